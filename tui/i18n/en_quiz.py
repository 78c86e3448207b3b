"""English messages for quiz: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    # what the answer box asks for: the quantity, by name
    "quiz.quantity.forward": "{unit}",
    "quiz.quantity.loss": "E",
    "quiz.quantity.backward": "δ({unit})",
    "quiz.quantity.update": "new w({link})",
    # what a slip means ({this}/{other}: the lesson's δ sign and the other one;
    # {source}/{target}: an update's link)
    "quiz.diag.sum_sign": "That is f(−z): the weighted sum with the opposite sign. Check the "
    "signs of the weights and inputs.",
    "quiz.diag.half": "That is (y − o)² without the ½: this loss is half the squared error.",
    "quiz.diag.mean": "That is the sum over the samples, not their mean: a batch divides by m, "
    "the number of samples.",
    "quiz.diag.delta_sign": "That is δ with the opposite sign: this lesson's δ starts from "
    "{this} at the output, not {other}, and that sign carries to every δ below it.",
    "quiz.diag.fprime_extra": "That multiplies by σ′(z), which cancels here: with a sigmoid "
    "output and cross-entropy, δ of the output is just o − y.",
    "quiz.diag.unit_value": "That is the value of {unit}, not its δ: δ is how the loss "
    "changes with {unit}'s weighted sum z.",
    "quiz.diag.plus": "That is old w + α·Z·δ: the rule subtracts the step, w ← w − α·Z·δ.",
    "quiz.diag.plus_delta_sign": "That is old w + α·Z·δ: the step was added, or δ taken as "
    "{other} instead of this lesson's {this}. The rule subtracts: w ← w − α·Z·δ.",
    "quiz.diag.wrong_end": "That takes Z from {target}, the unit the link goes to: in "
    "w ← w − α·Z·δ, Z is the value of the link's source {source}, δ that of its target "
    "{target}.",
    "quiz.diag.input_one": "That takes the input {source} as 1 where it is 0: with Z = 0, "
    "Z·δ is 0 and that sample does not move the weight.",
    "quiz.diag.bias_unit_zero": "That leaves the weight as it was, as if the bias unit "
    "{source} were 0: it is always 1, so its weight moves by α·δ.",
    "quiz.diag.step_only": "That is the change −α·Z·δ alone: the new weight is the old one "
    "plus this change.",
    "quiz.diag.or": "Or: {words}",
    # the slips' short names, for summaries
    "quiz.slip.bias_zero": "bias left out",
    "quiz.slip.activation": "activation left out",
    "quiz.slip.sum_sign": "sum's sign flipped",
    "quiz.slip.sign": "opposite sign",
    "quiz.slip.half": "½ left out",
    "quiz.slip.mean": "sum instead of mean",
    "quiz.slip.delta_sign": "δ with the other sign",
    "quiz.slip.fprime": "f′(z) left out",
    "quiz.slip.fprime_extra": "σ′ kept where it cancels",
    "quiz.slip.updated_weight": "updated weight used",
    "quiz.slip.unit_value": "the unit's value for its δ",
    "quiz.slip.plus": "+ instead of −",
    "quiz.slip.plus_delta_sign": "+ instead of − or δ's sign flipped",
    "quiz.slip.wrong_end": "Z from the link's target",
    "quiz.slip.input_one": "input 0 taken as 1",
    "quiz.slip.learning_rate": "α left out",
    "quiz.slip.bias_unit_zero": "bias unit taken as 0",
    "quiz.slip.step_only": "the change for the weight",
    "quiz.list_sep": ", ",
    "quiz.slip_or": "{first} or {second}",
    "quiz.slip_count": "{slip} ×{count}",
    # summaries: at the end of an iteration, when the quiz is switched off, in the transcript
    "quiz.tally": "{right} of {steps} right first time, {wrong} wrong, {revealed} revealed",
    "quiz.summary_slips": "Slips: {slips}.",
    "quiz.round_summary": "This quiz: {tally}.",
    "quiz.md.title": "Quiz",
    "quiz.md.step": "step",
    "quiz.md.question": "asked",
    "quiz.md.answer": "answer",
    "quiz.md.value": "value",
    "quiz.md.result": "result",
    "quiz.md.right": "right",
    "quiz.md.wrong": "wrong",
    "quiz.md.wrong_slips": "wrong: {slips}",
    "quiz.md.summary": "{tally}.",
    "quiz.md.revealed": "revealed",
}
