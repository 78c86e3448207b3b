"""English messages of the training view: merged into :mod:`tui.i18n.en`.

Only characters that :func:`engine.text.to_ascii` can rewrite (or plain ASCII) appear here,
so ``--ascii`` mode stays pure ASCII.
"""

MESSAGES: dict[str, str] = {
    # header and controls
    "train.header": "{scenario} ({update}) │ epochs {done} of {chosen} │ "
    "total {total} │ loss {loss} │ {status}",
    "train.update.online": "online",
    "train.update.batch": "batch",
    "train.status.ready": "ready",
    "train.status.running": "training…",
    "train.status.paused": "paused",
    "train.status.stopping": "stopping…",
    "train.status.stopped": "stopped",
    "train.status.done": "done",
    "train.epochs": "Epochs per run:",
    # warnings
    "train.warning.overflow": "Overflow: losses, weights or predictions became inf or nan. "
    "Gradient steps cannot come back from here.",
    "train.warning.huge": "Diverging: numbers have grown beyond {limit}; the updates push the "
    "outputs away from the targets.",
    # loss chart
    "train.chart.title": "Loss per epoch",
    "train.chart.empty": "No epochs yet: Enter trains.",
    "train.chart.summary": "first {first}, last {last}, min {min}, {epochs} epochs",
    "train.chart.overflow": "Overflow: {count} of {epochs} epoch losses are inf or nan "
    "(drawn as {mark}).",
    "train.chart.scale.linear": "linear scale: {low} to {high}",
    "train.chart.scale.log": "log scale: {low} to {high}",
    "train.chart.scale.linear.magnitude": "|loss|, linear scale: {low} to {high}",
    "train.chart.scale.log.magnitude": "|loss|, log scale: {low} to {high}",
    "train.chart.solved": "{mark} solved after {epochs} epochs: all on the right side of 0.5",
    # a saved lesson's weights (comments in its .toml file)
    "save.init.reached": "The weights lesson \"{name}\" had reached at iteration {iteration} "
    "(epoch {epoch}), by training and stepping from its own ({origin}).",
    "save.init.sample": "It went on with sample {sample}; this file starts again at sample 0.",
    "save.init.overflow": "Lesson \"{name}\" had reached iteration {iteration} (epoch "
    "{epoch}), but its weights overflowed to inf or nan, which a file cannot hold: these are "
    "its own starting weights.",
    # predictions
    "train.table.title": "Predictions",
    "train.table.input": "input",
    "train.table.target": "target",
    "train.table.prediction": "prediction",
    # decision map
    "train.map.title": "Decision map: {unit} over X1 and X2",
    "train.map.samples": "0/1 samples by target",
    "train.map.inputs": "A decision map needs exactly 2 inputs; this network has {count}.",
    "train.map.too_small": "Too small for the map.",
    # keys
    "train.key.start": "Train",
    "train.key.more": "More epochs",
    "train.key.fewer": "Fewer epochs",
    "train.key.pause": "Pause",
    "train.key.resume": "Resume",
    "train.key.stop": "Stop",
    "train.key.close": "Back",
}
