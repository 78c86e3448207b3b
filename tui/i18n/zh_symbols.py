"""Simplified Chinese messages for symbols: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {
    "sym.col.article_gradient": "原文的 Z·δ",
    "sym.start.later": "第 {iteration} 次迭代：网络沿用目前得到的权重（此前各次更新或训练的结果）"
    "继续。按 →（或 Space）走第一步，按 ] 一次走完整个阶段，按 ? 查看帮助。",
    "sym.start.edited": "你修改了本课（{changes}）：下面的每个数字都来自修改后的课程。",
    "sym.start.edited_article": "原文勘误（!!）不再显示：其中的数字属于原样的课程，"
    "按 s 可以重新打开它。",
    "sym.delta.fprime": "f′(z) 是 {unit} 的激活函数在 z = {z} 处的斜率：{text}",
    "sym.delta.cancels": "为什么这里没有 f′(z)：按链式法则，δ = ∂E/∂o·σ′(z)。"
    "交叉熵的斜率是 ∂E/∂o = (o − y)/(o·(1 − o))，而 o = σ(z) 时 sigmoid 的斜率是 {text}，"
    "正是同一个 o·(1 − o)。两者相消，于是 δ({unit}) = {unit} − y。",
    "sym.delta.cancels_mean": "为什么这里没有 f′(z)：按链式法则，δ = ∂E/∂o·σ′(z)。"
    "交叉熵的斜率是 ∂E/∂o = (o − y)/(o·(1 − o))，而 o = σ(z) 时 sigmoid 的斜率是 {text}，"
    "正是同一个 o·(1 − o)。两者相消，于是 δ({unit}) = ({unit} − y)/K，"
    "因为损失是 K = {count} 个输出的平均值。",
    "sym.update.article": "这里的 δ({output}) = (y − {output})·f′(z) 与损失的斜率符号相反，"
    "所以原文的“梯度”Z·δ 其实是真正梯度的相反数：{source}·δ({target}) = {product}，"
    "而对 E = ½({output} − y)² 来说 ∂E/∂w = {gradient}。减去 α·Z·δ 会让误差变大；"
    "这一列是原文的 Z·δ。",
    "sym.update.batch_sample": "前向传播表和网络图显示的是样本 {sample}：{text}，"
    "即这一批的最后一个；这次更新用的是 Z·δ 在全部 {count} 个样本上的平均值，"
    "算式里每个样本一个乘积。",
    "key.glossary": "术语表",
    "glossary.close": "按 Escape 或 g 关闭术语表",
}
