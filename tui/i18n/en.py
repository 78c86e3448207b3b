"""English messages: the one English catalogue (the training view's part lives in en_training)."""

from engine.scenario_errors import EXPECTED, FILE_PROBLEMS, FRAMES
from tui.i18n import (
    en_class,
    en_lead,
    en_outputs,
    en_progress,
    en_quiz,
    en_readable,
    en_sandbox,
    en_serve,
    en_symbols,
    en_teacher,
    en_training,
    en_web,
    en_webteacher,
)

MESSAGES: dict[str, str] = {
    # command line
    "cli.description": "Step through backpropagation, one number at a time.",
    "cli.scenario": "a built-in scenario ({names}) or a scenario .toml file (default: article)",
    "cli.ascii": "draw with ASCII characters only",
    "cli.corrected": "the article's lesson with its mistakes corrected (same as --scenario "
    "article-corrected)",
    "cli.invalid_choice": "argument {option}: invalid choice: '{value}' (choose from {choices})",
    "cli.invalid_int": "argument {option}: invalid int value: '{value}'",
    "cli.expected_value": "argument {option}: expected one argument",
    "cli.unrecognized": "unrecognized arguments: {value}",
    "cli.lang": "language: en or zh (default: from LC_ALL, LC_MESSAGES or LANG)",
    "cli.corrected_only": "--corrected applies to the article's lesson only (--scenario article)",
    "cli.format": "output format (default: text)",
    "cli.epochs": "how many epochs to train (default: {default})",
    "cli.every": "text output: show every Nth epoch (default: all up to 100, else about 25 rows)",
    "cli.print": "print the walkthrough of the first iteration",
    "cli.train": "train for some epochs and print the loss of each",
    "cli.error": "error",
    "cli.negative_epochs": "--epochs must be 0 or more, got {value}",
    "cli.negative_every": "--every must be 0 or more, got {value}",
    "cli.warning": "warning",
    "cli.overflow": "some numbers overflowed to inf or nan: this learning rate or loss makes "
    "the weights blow up",
    "cli.every_hint": "showing one epoch in {every}; --format json lists them all",
    "cli.training": "training",
    "cli.too_many_epochs": "--epochs must be at most {max}, got {value}",
    "cli.no_terminal": "the tutor needs a terminal, and its input or output is not one: for "
    "the walkthrough as text use 'backprop-tutor print', to train 'backprop-tutor train'; "
    "over SSH, connect with 'ssh -t'",
    "cli.crashed": "the tutor stopped on an unexpected error; its report is above, on stderr",
    "cli.cannot_write": "cannot write the output: {reason}",
    "cli.cannot_encode": "cannot write the output: its encoding ({encoding}) has no character "
    "{code}; {advice}",
    "cli.encoding_ascii": "add --ascii, or use a UTF-8 locale (e.g. PYTHONIOENCODING=utf-8)",
    "cli.encoding_utf8": "use a UTF-8 locale (e.g. PYTHONIOENCODING=utf-8)",
    # transcript
    "tr.title": "backprop-tutor: {name}",
    "tr.network_line": "network: {shape}",
    "tr.settings": "activations {activations}, loss {loss}, learning rate {lr}, update {update}",
    "tr.iteration": "iteration {iteration} (epoch {epoch}), {samples}",
    "tr.forward": "Forward pass",
    "tr.loss": "Loss",
    "tr.deltas": "Deltas",
    "tr.updates": "Weight updates",
    "tr.col.sample": "sample",
    "tr.all": "all",
    "tr.epoch": "epoch",
    "tr.predictions": "Predictions after training",
    "tr.notes": "Where the article goes wrong",
    "tr.at_start": "At the start",
    "tr.at_step": "Step {step} ({phase}, {target})",
    "tr.input_col": "input",
    "tr.target": "target",
    "tr.prediction": "prediction",
}

MESSAGES.update(
    {
        # phases and panes
        "phase.start": "start",
        "phase.forward": "forward pass",
        "phase.loss": "loss",
        "phase.backward": "backward pass",
        "phase.update": "weight update",
        "pane.network": "Network",
        "pane.forward": "Forward pass",
        "pane.deltas": "Deltas",
        "pane.updates": "Weight updates",
        "pane.explanation": "What is happening",
        # header
        "header.line": "{scenario} │ {sample} │ epoch {epoch} │ {phase}",
        "header.step": "step {step} of {total}",
        "header.sample": "sample {sample}: {text}",
        "header.samples_all": "all {count} samples",
        "header.batch_sample": "sample {sample} (batch of {count}): {text}",
        "header.overflow": "overflow: inf/nan",
        # table columns
        "col.unit": "unit",
        "col.link": "link",
        "col.formula": "formula",
        "col.numbers": "with numbers",
        "col.value": "value",
        "col.delta": "δ",
        "col.old": "old w",
        "col.gradient": "gradient Z·δ",
        "col.new": "new w",
        "row.bias": "bias, always 1",
        "row.input": "input",
        "row.loss": "loss",
        # explanations
        "ex.start.title": "Ready: {scenario}",
        "ex.start.body": "The network starts with the weights of this lesson. Press → (or "
        "Space) to compute the first unit of the forward pass, ] to run a whole phase, ? for "
        "help.",
        "ex.start.sample": "This iteration uses {samples}.",
        "ex.forward.title": "Forward pass: unit {unit}",
        "ex.forward.body": "{unit} adds up the value of every unit that feeds it, each times the "
        "weight of its link ({bias} is the bias, always 1).",
        "ex.forward.identity": "Its activation is the identity, so the weighted sum z = {z} "
        "is the value it passes on: {text}",
        "ex.forward.activation": "Then its activation, {name}, turns that sum z = {z} into the "
        "value it passes on: {text}",
        "ex.loss.title": "Loss of sample {sample}",
        "ex.loss.batch_title": "Loss of the batch",
        "ex.loss.article_error": "The article's \"loss\" is the signed error: target minus "
        "output. It is not a true cost (a cost is never negative), and using it as δ makes "
        "the update climb the error instead of descending it.",
        "ex.loss.half_squared_error": "Half the squared distance between target and output: "
        "0 when the output is right, growing fast as it moves away. Its slope gives δ.",
        "ex.loss.cross_entropy": "Cross-entropy: how surprised the network is by the target, "
        "reading its sigmoid output as a probability. It is 0 for a confident right answer and "
        "grows without bound for a confident wrong one.",
        "ex.loss.batch": "A batch update uses the mean loss of all its samples.",
        "ex.backward.output_title": "Backward pass: δ of output {unit}",
        "ex.backward.output_body": "Backpropagation starts at the output: its δ says how the "
        "loss changes when this unit's weighted sum z changes.",
        "ex.backward.hidden_title": "Backward pass: δ of hidden unit {unit}",
        "ex.backward.hidden_body": "A hidden unit's δ adds up the δ of every unit it "
        "feeds, each times the weight of that link, then multiplies by f′(z): the chain "
        "rule, one layer back.",
        "ex.update.title": "Weight update: link {link}",
        "ex.update.body": "The gradient of this weight is the value of the unit the link comes "
        "from ({source}) times the δ of the unit it goes to ({target}). The weight moves "
        "by the learning rate times that gradient, against it.",
        "ex.update.batch": "In a batch update the gradient is the mean over all samples.",
        "ex.end": "This iteration is done. Press Enter for the next {what}.",
        "ex.end.sample": "sample",
        "ex.end.epoch": "epoch",
        "ex.overflow": "Warning: a number has overflowed to inf or nan. The learning rate is "
        "too large for these weights, or the loss pushes them the wrong way.",
        # bindings
        "key.next": "Next",
        "key.previous": "Back",
        "key.next_phase": "Phase",
        "key.previous_phase": "Phase back",
        "key.first": "First",
        "key.last": "Last",
        "key.next_sample": "Next sample",
        "key.next_epoch": "Next epoch",
        "key.restart": "Restart",
        "key.scenario": "Scenario",
        "key.help": "Help",
        "key.quit": "Quit",
        "key.pane1": "Network pane",
        "key.pane2": "Forward pane",
        "key.pane3": "Delta pane",
        "key.pane4": "Update pane",
        # screens
        "too_small": "The terminal is {width}×{height}.\nbackprop-tutor needs at least "
        "{min_width}×{min_height}: please enlarge it.\nYour place in the lesson is kept.",
        "scenarios.title": "Choose a lesson",
        "scenarios.hint": "↑/↓ to choose, Enter to open, Escape to go back",
        "help.close": "Escape or ? closes this help; g opens the glossary",
        "palette.phase": "Go to the {phase}",
        "palette.phase_help": "Show the current iteration up to the end of this phase",
        "palette.scenario": "Open lesson: {name}",
        "palette.scenario_help": "Restart the tutor on this scenario",
    }
)

MESSAGES.update(en_training.MESSAGES)

MESSAGES.update(
    {
        # errata: what the article does, what is right, and the numbers that prove it
        "err.heading": "The article goes wrong here",
        "err.symmetry.title": "Equal starting weights",
        "err.symmetry.text": "Every weight starts at 1, so Z1, Z2 and Z3 stay identical forever: "
        "the same δ, the same update; three hidden units act as one. Start from unequal "
        "(random) weights.",
        "err.linear.title": "A linear network cannot learn XOR",
        "err.linear.text": "Identity units make the whole network one linear function, here "
        "D0 = {c0} + {c1}·X1 + {c2}·X2. No linear function fits XOR: the best one answers {best} "
        "(mean squared error {mse}).",
        "err.targets.title": "Prediction and target",
        "err.targets.text": "The article says the model predicts {claimed} for (0, 0), later "
        "\"4 instead of 1\". The forward pass gives {prediction}, and the XOR target of (0, 0) "
        "is {target}. (Had the target been {claimed}, the error would be {loss_if_claimed}, "
        "not {loss}.)",
        "err.cost.title": "Declared cost, computed error",
        "err.cost.text": "The article declares the logistic-regression cost "
        "−[y·log h + (1 − y)·log(1 − h)] but computes y − h = {loss}. At h = {prediction} that "
        "cost needs log({log_arg}), which is undefined; and a cost is never negative: {loss} is a "
        "signed error.",
        "err.sign.title": "The sign of the update",
        "err.sign.text": "With δ(D0) = y − D0 and w ← w − α·Z·δ every step climbs the "
        "error. Finite differences of E = ½(D0 − y)² give ∂E/∂w(Z1->D0) = {numeric}; the "
        "article's J′(W) is {article_gradient}, the opposite sign. Corrected: "
        "δ(D0) = D0 − y.",
        "err.delta_rule.title": "The delta rule's missing sum",
        "err.delta_rule.text": "The article's δ(Z1) = w·δ(D0)·f′(z) leaves out the sum over "
        "the links a unit feeds: δ(Z1) = f′(z)·Σ w·δ, one term w·δ for each link out of Z1 "
        "(here one, Z1->D0, so it agrees). Its δ(Z0) = {bias_delta} is never used: Z0 is a "
        "bias with no incoming links.",
        "err.symmetric_deltas.title": "Copies of one unit",
        "err.symmetric_deltas.text": "δ(Z2) equals δ(Z1), and δ(Z3) will too: with equal "
        "weights the hidden units stay identical. Even sigmoid units with cross-entropy, started "
        "from equal weights, still get (1, 1) wrong after {epochs} epochs at learning rate "
        "{learning_rate} (full batch): {outputs}.",
        "err.batch.title": "Batch or online?",
        "err.batch.text": "The article calls this batch gradient descent, but it updates "
        "after one sample: that is online (stochastic) descent. Batch descent averages the "
        "gradient over all four samples, then updates once.",
        "err.story.title": "Smaller weights for the blame?",
        "err.story.text": "The article says a unit to blame is penalised with a smaller weight, "
        "yet every weight it changes grows: {grown} of the {total} weights go from 1 to "
        "{article_weight}.",
        "err.prediction.title": "What the update does to the prediction",
        "err.prediction.text": "After the article's update the prediction for (0, 0) is "
        "{p1}, further from the target {target} than {prediction}; again: {p2}, then {p3}. The "
        "corrected update (δ(D0) = D0 − y) makes these weights {corrected_weight}, not "
        "{article_weight}, and the prediction {corrected_prediction}.",
    }
)

MESSAGES.update(
    {
        "key.corrected": "Corrected",
        "key.compare": "Compare",
        "key.close": "Close",
        "compare.title": "The article's update against the corrected one",
        "compare.prediction": "Prediction for {input} (target {target}): {before} before; "
        "{article} after the article's update, {corrected} after the corrected one.",
        "compare.article": "article: δ(D0) = y − D0",
        "compare.corrected": "corrected: δ(D0) = D0 − y",
        "compare.hint": "Escape closes",
    }
)

MESSAGES.update(
    {
        # predict, then reveal
        "key.train": "Train",
        "key.quiz": "Quiz",
        "key.language": "中文",
        "key.leave_answer": "Leave answer box",
        "quiz.hint": "Enter alone shows the value",
        "quiz.off": "Quiz off: each step shows its value at once.",
        "quiz.placeholder": "a number, e.g. 0.5",
        "quiz.prompt": "{quantity} = ?",
        "quiz.not_a_number": "\"{text}\" is not a number: type e.g. 1.4 or -4",
        "quiz.right": "Right: {value}.",
        "quiz.wrong": "Not quite: you said {answer}, the value is {value}.",
        "quiz.revealed": "Revealed: {value}.",
        "quiz.diag.sign": "Your answer has the opposite sign: check the order of the "
        "subtraction (y − o or o − y) and the signs of the factors.",
        "quiz.diag.fprime": "That is the value without the factor f′(z): a δ is multiplied "
        "by the slope of the unit's activation.",
        "quiz.diag.learning_rate": "That is old w − Z·δ: the step is scaled by the learning "
        "rate α first.",
        "quiz.diag.updated_weight": "That uses the new weight: backpropagation uses the weights "
        "as they were in the forward pass; all updates come after.",
        "quiz.diag.bias_zero": "That leaves out the bias: the bias unit is always 1, not 0, so "
        "its weight counts in full.",
        "quiz.diag.activation": "That is the weighted sum z before the activation: the unit "
        "passes on f(z).",
        "quiz.score": "quiz {right}/{asked}",
        "quiz.summary": "Quiz for this iteration: {tally}.",
        "quiz.summary_missed": "To go over again: {missed}.",
        "quiz.summary_perfect": "Every answer right.",
        "quiz.phase_count": "{phase} ×{count}",
    }
)

MESSAGES.update(
    {
        # change the lesson, open and save
        "key.edit": "Edit",
        "key.open": "Open",
        "key.save": "Save",
        "key.screenshot": "Screenshot",
        "key.cancel": "Cancel",
        "key.apply": "Apply",
        "editor.title": "Change the lesson: {name}",
        "editor.learning_rate": "Learning rate α",
        "editor.hidden_activation": "Hidden activation",
        "editor.output_activation": "Output activation",
        "editor.loss": "Loss",
        "editor.update": "Update",
        "editor.init": "Initial weights",
        "editor.seed": "Random seed",
        "editor.value": "All weights =",
        "editor.hint": "Tab moves, Enter opens a list, Ctrl+S applies, Escape cancels",
        "editor.apply": "Apply and restart",
        "open.title": "Open a scenario file (.toml)",
        "open.placeholder": "path/to/lesson.toml",
        "open.hint": "Enter opens, Escape keeps the current lesson",
        "save.done": "Saved the scenario to {toml} and this iteration to {md}",
        "save.screenshot": "Saved a screenshot to {path}",
        "save.failed": "Could not save: {reason}",
        "header.changed": "changed: {changes}",
        "field.learning_rate": "α {value}",
        "field.activations": "{value}",
        "field.loss": "{value}",
        "field.update": "{value}",
        "field.init": "weights {value}",
        "field.layers": "layers {value}",
        "field.data": "{value} samples",
    }
)

# Scenario errors: the engine's own English templates (engine/scenario_errors.py), by code.
MESSAGES.update({f"error.expected.{code}": text for code, text in EXPECTED.items()})
MESSAGES.update({f"error.file.{code}": text for code, text in FILE_PROBLEMS.items()})
MESSAGES.update({f"error.frame.{code}": text for code, text in FRAMES.items()})

MESSAGES.update(
    {
        "key.back": "Back",
        "key.scroll_down": "Scroll down",
        "key.scroll_up": "Scroll up",
        "key.page_down": "Page down",
        "key.page_up": "Page up",
        "diagram.input": "input",
        "diagram.hidden": "hidden",
        "diagram.hidden_n": "hidden {n}",
        "diagram.output": "output",
        "diagram.legend.current": "current step",
        "diagram.legend.source": "source",
        "diagram.legend.new": "new",
        "diagram.legend.updated": "updated weight",
        "diagram.legend.pending": "pending",
        "scenario.article": "The article's XOR example exactly: 2-3-1, identity activations, "
        "every weight 1, learning rate 0.1, one sample per update, and its signed error y - o "
        "as the delta.",
        "scenario.article-corrected": "The same network with half squared error, so the update "
        "goes downhill: the 7 changed weights become 0.6 and the prediction for (0,0) drops "
        "from 4 to 1.68.",
        "scenario.xor-sigmoid": "A 2-3-1 network that really learns XOR: sigmoid units, "
        "cross-entropy, seeded random weights and full-batch updates.",
        "cli.ascii_english": "--ascii shows English: Chinese text cannot be drawn with ASCII "
        "characters",
    }
)

# The network diagram's words (issue 12).
MESSAGES.update(
    {
        "diagram.legend.weights": "weight: blue +, orange −",
        "diagram.scroll": "Scroll",
        "diagram.scroll_sideways": "Scroll sideways",
        "diagram.scroll_up": "Scroll up",
        "diagram.scroll_left": "Scroll left",
    }
)

# The teaching pass keeps each part's new messages in a module of its own.
for _part in (en_readable, en_quiz, en_symbols, en_outputs, en_progress,
              en_serve):
    MESSAGES.update(_part.MESSAGES)
# --sandbox and --lessons (the teacher's folder of lessons, a served session's limits).
MESSAGES.update(en_sandbox.MESSAGES)
# serve --web (the web front's pages and options).
MESSAGES.update(en_web.MESSAGES)
# The class records (issue 15: serve --db, the tutors' reports, the exports).
MESSAGES.update(en_class.MESSAGES)
# The teacher's live view of the class (issue 15: tui/teacher/).
MESSAGES.update(en_teacher.MESSAGES)
# The teacher leads the class (issue 15: the lead, hold and broadcast lines).
MESSAGES.update(en_lead.MESSAGES)
# The class view on the web (issue 15: /teacher).
MESSAGES.update(en_webteacher.MESSAGES)
