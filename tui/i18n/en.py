"""English messages: the one English catalogue (the training view's part lives in en_training)."""

from tui.i18n import en_training

MESSAGES: dict[str, str] = {
    # command line
    "cli.description": "Step through backpropagation, one number at a time.",
    "cli.scenario": "a built-in scenario ({names}) or a scenario .toml file (default: article)",
    "cli.ascii": "draw with ASCII characters only",
    "cli.format": "output format (default: text)",
    "cli.epochs": "how many epochs to train (default: {default})",
    "cli.every": "text output: show every Nth epoch (default: all up to 100, else about 25 rows)",
    "cli.print": "print the walkthrough of the first iteration",
    "cli.train": "train for some epochs and print the loss of each",
    "cli.error": "error",
    "cli.bad_scenario": "scenario {name}: {message}",
    "cli.negative_epochs": "--epochs must be 0 or more, got {value}",
    "cli.warning": "warning",
    "cli.overflow": "some numbers overflowed to inf or nan: this learning rate or loss makes "
    "the weights blow up",
    "cli.every_hint": "showing every {every}th epoch; --format json lists them all",
    "cli.training": "training",
    # transcript
    "tr.title": "backprop-tutor: {name}",
    "tr.network": "network",
    "tr.settings": "activations {activations}, loss {loss}, learning rate {lr}, update {update}",
    "tr.iteration": "iteration {iteration} (epoch {epoch}), {samples}",
    "tr.samples_all": "all {count} samples",
    "tr.sample_one": "sample {sample}: {text}",
    "tr.forward": "Forward pass",
    "tr.loss": "Loss",
    "tr.deltas": "Deltas",
    "tr.updates": "Weight updates",
    "tr.col.unit": "unit",
    "tr.col.link": "link",
    "tr.col.sample": "sample",
    "tr.col.formula": "formula",
    "tr.col.numbers": "with numbers",
    "tr.col.value": "value",
    "tr.col.delta": "\u03b4",
    "tr.col.old": "old w",
    "tr.col.gradient": "gradient Z\u00b7\u03b4",
    "tr.col.new": "new w",
    "tr.input": "input",
    "tr.bias": "bias, always 1",
    "tr.all": "all",
    "tr.epoch": "epoch",
    "tr.predictions": "Predictions after training",
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
        "header.line": "{scenario} \u2502 {sample} \u2502 epoch {epoch} \u2502 {phase} \u2502 "
        "step {step} of {total}",
        "header.sample": "sample {sample}: {text}",
        "header.samples_all": "all {count} samples",
        "header.batch_sample": "sample {sample} of {count}: {text}",
        "header.overflow": "numbers overflowed to inf/nan",
        # table columns
        "col.unit": "unit",
        "col.link": "link",
        "col.formula": "formula",
        "col.numbers": "with numbers",
        "col.value": "value",
        "col.delta": "\u03b4",
        "col.old": "old w",
        "col.gradient": "gradient Z\u00b7\u03b4",
        "col.new": "new w",
        "row.bias": "bias, always 1",
        "row.input": "input",
        "row.loss": "loss",
        # explanations
        "ex.start.title": "Ready: {scenario}",
        "ex.start.body": "The network starts with the weights of this lesson. Press \u2192 (or "
        "Space) to compute the first unit of the forward pass, ] to run a whole phase, ? for "
        "help.",
        "ex.start.sample": "This iteration uses {samples}.",
        "ex.forward.title": "Forward pass: unit {unit}",
        "ex.forward.body": "{unit} adds up the value of every unit that feeds it, each times the "
        "weight of its link ({bias} is the bias, always 1).",
        "ex.forward.identity": "Its activation is the identity, f(a) = a, so the weighted sum "
        "is the value it passes on.",
        "ex.forward.activation": "Then the activation {name} turns that sum z into the value "
        "it passes on.",
        "ex.loss.title": "Loss of sample {sample}",
        "ex.loss.batch_title": "Loss of the batch",
        "ex.loss.article_error": "The article's \"loss\" is the signed error: target minus "
        "output. It is not a true cost (a cost is never negative), and using it as \u03b4 makes "
        "the update climb the error instead of descending it.",
        "ex.loss.half_squared_error": "Half the squared distance between target and output: "
        "0 when the output is right, growing fast as it moves away. Its slope gives \u03b4.",
        "ex.loss.cross_entropy": "Cross-entropy: how surprised the network is by the target, "
        "reading its sigmoid output as a probability. It is 0 for a confident right answer and "
        "grows without bound for a confident wrong one.",
        "ex.loss.batch": "A batch update uses the mean loss of all its samples.",
        "ex.backward.output_title": "Backward pass: \u03b4 of output {unit}",
        "ex.backward.output_body": "Backpropagation starts at the output: its \u03b4 says how the "
        "loss changes when this unit's weighted sum z changes.",
        "ex.backward.hidden_title": "Backward pass: \u03b4 of hidden unit {unit}",
        "ex.backward.hidden_body": "A hidden unit's \u03b4 adds up the \u03b4 of every unit it "
        "feeds, each times the weight of that link, then multiplies by f\u2032(z): the chain "
        "rule, one layer back.",
        "ex.update.title": "Weight update: link {link}",
        "ex.update.body": "The gradient of this weight is the value of the unit the link comes "
        "from ({source}) times the \u03b4 of the unit it goes to ({target}). The weight moves "
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
        "key.pane": "Pane",
        # screens
        "too_small": "The terminal is {width}\u00d7{height}.\nbackprop-tutor needs at least "
        "{min_width}\u00d7{min_height}: please enlarge it.\nYour place in the lesson is kept.",
        "scenarios.title": "Choose a lesson",
        "scenarios.hint": "\u2191/\u2193 to choose, Enter to open, Escape to go back",
        "help.title": "Help",
        "help.close": "Escape or ? closes this help",
        "palette.phase": "Go to the {phase}",
        "palette.phase_help": "Show the current iteration up to the end of this phase",
        "palette.scenario": "Open lesson: {name}",
        "palette.scenario_help": "Restart the tutor on this scenario",
    }
)

MESSAGES.update(en_training.MESSAGES)
