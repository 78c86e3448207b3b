"""Simplified Chinese messages of the training view: merged into :mod:`tui.i18n.zh`.

Labels are kept no wider (in terminal columns) than the English ones in en_training.
"""

MESSAGES: dict[str, str] = {
    # header and controls
    "train.header": "{scenario}（{update}）│ {done}/{chosen} 轮 │ 累计 {total} 轮 │ 损失 {loss} │ "
    "{status}",
    "train.update.online": "在线",
    "train.update.batch": "批量",
    "train.status.ready": "就绪",
    "train.status.running": "训练中…",
    "train.status.paused": "已暂停",
    "train.status.stopping": "正在停止…",
    "train.status.stopped": "已停止",
    "train.status.done": "完成",
    "train.epochs": "每次训练轮数：",
    # warnings
    "train.warning.overflow": "溢出：损失、权重或预测值变成了 inf 或 nan。"
    "梯度下降已无法从这里恢复。",
    "train.warning.huge": "发散：数值已超过 {limit}；每次更新都把输出推得离目标更远。",
    # loss chart
    "train.chart.title": "每轮损失",
    "train.chart.empty": "还没有训练：按 Enter 开始。",
    "train.chart.summary": "首轮 {first}，末轮 {last}，最小 {min}，共 {epochs} 轮",
    "train.chart.overflow": "溢出：{epochs} 轮中有 {count} 轮的损失为 inf 或 nan（画作 {mark}）。",
    "train.chart.scale.linear": "线性刻度：{low} 至 {high}",
    "train.chart.scale.log": "对数刻度：{low} 至 {high}",
    "train.chart.scale.linear.magnitude": "|损失|，线性刻度：{low} 至 {high}",
    "train.chart.scale.log.magnitude": "|损失|，对数刻度：{low} 至 {high}",
    "train.chart.solved": "{mark} 训练 {epochs} 轮后全部分类正确",
    # a saved lesson's weights (comments in its .toml file)
    "save.init.reached": "课程“{name}”在第 {iteration} 次迭代（第 {epoch} 轮）时的权重，"
    "由它自己的初始权重（{origin}）经训练和逐步计算得到。",
    "save.init.sample": "原本接着处理样本 {sample}；本文件从样本 0 重新开始。",
    "save.init.overflow": "课程“{name}”已到第 {iteration} 次迭代（第 {epoch} 轮），"
    "但权重溢出为 inf 或 nan，文件无法保存这样的值：这里是它的初始权重。",
    # predictions
    "train.table.title": "预测",
    "train.table.input": "输入",
    "train.table.target": "目标",
    "train.table.prediction": "预测",
    # decision map
    "train.map.title": "决策图：{unit} 随 X1、X2 的变化",
    "train.map.samples": "0/1 为样本目标",
    "train.map.inputs": "决策图要求恰好 2 个输入；这个网络有 {count} 个。",
    "train.map.too_small": "空间太小，画不下决策图。",
    # keys
    "train.key.start": "训练",
    "train.key.more": "增加轮数",
    "train.key.fewer": "减少轮数",
    "train.key.pause": "暂停",
    "train.key.resume": "继续",
    "train.key.stop": "停止",
    "train.key.close": "返回",
}
