"""Simplified Chinese messages for outputs: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {
    "cli.nothing_to_train": "--epochs 0：没有要训练的轮次；下面的预测来自初始权重",
    "tr.loss_col": "损失",
    "tr.predictions_untrained": "初始权重的预测",
}
