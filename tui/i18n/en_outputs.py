"""English messages for outputs: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    "cli.nothing_to_train": "--epochs 0: nothing to train; the predictions are those of the "
    "starting weights",
    "tr.loss_col": "loss",
    "tr.predictions_untrained": "Predictions of the starting weights",
}
