"""Simplified Chinese messages: the key set of :mod:`tui.i18n.en`, the training view's part in
zh_training.

Unit names, numbers, formulas and key names stay as in English. Chinese characters take two
terminal columns, so every label is kept no wider than the English one.
"""

from tui.i18n import (
    zh_class,
    zh_lead,
    zh_outputs,
    zh_progress,
    zh_quiz,
    zh_readable,
    zh_sandbox,
    zh_serve,
    zh_symbols,
    zh_teacher,
    zh_training,
    zh_web,
    zh_webteacher,
)

MESSAGES: dict[str, str] = {
    # command line
    "cli.description": "一步一个数，看懂反向传播。",
    "cli.scenario": "内置场景（{names}）或场景 .toml 文件（默认：article）",
    "cli.ascii": "只用 ASCII 字符绘制",
    "cli.corrected": "原文的课程，但改正了其中的错误（等同于 --scenario article-corrected）",
    "cli.invalid_choice": "参数 {option}：无效的选项 {value}（可选：{choices}）",
    "cli.invalid_int": "参数 {option}：{value} 不是整数",
    "cli.expected_value": "参数 {option}：后面需要一个值",
    "cli.unrecognized": "无法识别的参数：{value}",
    "cli.lang": "界面语言：en 或 zh（默认：根据 LC_ALL、LC_MESSAGES 或 LANG）",
    "cli.corrected_only": "--corrected 只适用于原文的课程（--scenario article）",
    "cli.format": "输出格式（默认：text）",
    "cli.epochs": "训练多少轮（默认：{default}）",
    "cli.every": "文本输出：每 N 轮显示一次（默认：100 轮以内全部显示，否则约 25 行）",
    "cli.print": "打印第一次迭代的完整过程",
    "cli.train": "训练若干轮，并打印每一轮的损失",
    "cli.error": "错误",
    "cli.negative_epochs": "--epochs 不能小于 0，收到的是 {value}",
    "cli.negative_every": "--every 不能小于 0，收到的是 {value}",
    "cli.warning": "警告",
    "cli.overflow": "有数值溢出成了 inf 或 nan：这个学习率或损失函数让权重发散了",
    "cli.every_hint": "每 {every} 轮显示一次；--format json 会列出全部",
    "cli.training": "训练中",
    "cli.too_many_epochs": "--epochs 不能大于 {max}，收到的是 {value}",
    "cli.no_terminal": "backprop-tutor 需要在终端中运行，但它的输入或输出不是终端：要以文本"
    "查看过程请用 'backprop-tutor print'，要训练请用 'backprop-tutor train'；通过 SSH 时请用 "
    "'ssh -t' 连接",
    "cli.crashed": "backprop-tutor 因意外错误而停止；错误报告在上方（标准错误输出）",
    "cli.cannot_write": "无法写出输出：{reason}",
    "cli.cannot_encode": "无法写出输出：它的编码（{encoding}）中没有字符 {code}；{advice}",
    "cli.encoding_ascii": "请加上 --ascii，或使用 UTF-8 区域设置（例如 PYTHONIOENCODING=utf-8）",
    "cli.encoding_utf8": "请使用 UTF-8 区域设置（例如 PYTHONIOENCODING=utf-8）",
    # transcript
    "tr.title": "backprop-tutor：{name}",
    "tr.network_line": "网络：{shape}",
    "tr.settings": "激活函数 {activations}，损失函数 {loss}，学习率 {lr}，更新方式 {update}",
    "tr.iteration": "迭代 {iteration}（轮次 {epoch}），{samples}",
    "tr.forward": "前向传播",
    "tr.loss": "损失",
    "tr.deltas": "误差项 δ",
    "tr.updates": "权重更新",
    "tr.col.sample": "样本",
    "tr.all": "全部",
    "tr.epoch": "轮次",
    "tr.predictions": "训练后的预测",
    "tr.notes": "原文出错的地方",
    "tr.at_start": "开始时",
    "tr.at_step": "第 {step} 步（{phase}，{target}）",
    "tr.input_col": "输入",
    "tr.target": "目标",
    "tr.prediction": "预测",
    # phases and panes
    "phase.start": "开始",
    "phase.forward": "前向传播",
    "phase.loss": "损失",
    "phase.backward": "反向传播",
    "phase.update": "权重更新",
    "pane.network": "网络",
    "pane.forward": "前向传播",
    "pane.deltas": "误差项 δ",
    "pane.updates": "权重更新",
    "pane.explanation": "这一步在做什么",
    # header
    "header.line": "{scenario} │ {sample} │ 轮次 {epoch} │ {phase}",
    "header.step": "第 {step}/{total} 步",
    "header.sample": "样本 {sample}：{text}",
    "header.samples_all": "全部 {count} 个样本",
    "header.batch_sample": "样本 {sample}（共 {count} 个的批量）：{text}",
    "header.overflow": "溢出：inf/nan",
    # table columns
    "col.unit": "单元",
    "col.link": "连接",
    "col.formula": "公式",
    "col.numbers": "代入数值",
    "col.value": "值",
    "col.delta": "δ",
    "col.old": "原 w",
    "col.gradient": "梯度 Z·δ",
    "col.new": "新 w",
    "row.bias": "偏置，恒为 1",
    "row.input": "输入",
    "row.loss": "损失",
    # explanations
    "ex.start.title": "准备就绪：{scenario}",
    "ex.start.body": "网络从本课的初始权重出发。按 →（或 Space）计算前向传播的第一个单元，"
    "按 ] 一次走完整个阶段，按 ? 查看帮助。",
    "ex.start.sample": "本次迭代使用{samples}。",
    "ex.forward.title": "前向传播：单元 {unit}",
    "ex.forward.body": "{unit} 把连到它的每个单元的值乘以对应连接的权重，"
    "再全部加起来（{bias} 是偏置，恒为 1）。",
    "ex.forward.identity": "它的激活函数是恒等函数，所以加权和 z = {z} 原样就是它的输出：{text}",
    "ex.forward.activation": "然后由激活函数 {name} 把这个和 z = {z} 变换为它的输出：{text}",
    "ex.loss.title": "样本 {sample} 的损失",
    "ex.loss.batch_title": "整批样本的损失",
    "ex.loss.article_error": "原文的“损失”其实是带符号的误差：目标值减输出。"
    "它不是真正的代价（代价不可能为负），而且把它当作 δ 使用，更新就会让误差上升而不是下降。",
    "ex.loss.half_squared_error": "目标与输出之差平方的一半：输出正确时为 0，偏离越远增长越快。"
    "δ 由它的斜率（导数）得到。",
    "ex.loss.cross_entropy": "交叉熵：把 sigmoid 输出看作概率，衡量目标值让网络有多“意外”。"
    "很有把握地答对时为 0，很有把握地答错时会无限增大。",
    "ex.loss.batch": "批量更新使用所有样本损失的平均值。",
    "ex.backward.output_title": "反向传播：输出单元 {unit} 的 δ",
    "ex.backward.output_body": "反向传播从输出层开始：输出单元的 δ 表示，当它的加权和 z 变化时，"
    "损失会怎样随之变化。",
    "ex.backward.hidden_title": "反向传播：隐藏单元 {unit} 的 δ",
    "ex.backward.hidden_body": "隐藏单元的 δ：把它所连向的每个单元的 δ 乘以相应连接的权重后求和，"
    "再乘以 f′(z)。这就是链式法则，往回推了一层。",
    "ex.update.title": "权重更新：连接 {link}",
    "ex.update.body": "这个权重的梯度，是连接起点单元（{source}）的值乘以终点单元（{target}）"
    "的 δ。权重朝梯度的反方向移动，移动量为学习率乘以梯度。",
    "ex.update.batch": "批量更新时，梯度取所有样本的平均值。",
    "ex.end": "本次迭代结束。按 Enter 进入下一{what}。",
    # ex.end.*: "下一{what}" reads "下一个样本" or "下一轮"
    "ex.end.sample": "个样本",
    "ex.end.epoch": "轮",
    "ex.overflow": "警告：有数值溢出成了 inf 或 nan。对这组权重来说学习率太大了，"
    "或者损失把权重往错误的方向推。",
    # bindings: no wider than the English labels in the footer
    "key.next": "下一步",
    "key.previous": "上一步",
    "key.next_phase": "阶段",
    "key.previous_phase": "上一阶段",
    "key.first": "开头",
    "key.last": "结尾",
    "key.next_sample": "下个样本",
    "key.next_epoch": "下一轮",
    "key.restart": "重来",
    "key.scenario": "课程",
    "key.help": "帮助",
    "key.quit": "退出",
    "key.pane1": "网络面板",
    "key.pane2": "前向面板",
    "key.pane3": "δ 面板",
    "key.pane4": "更新面板",
    "key.corrected": "改正版",
    "key.compare": "对比",
    "key.close": "关闭",
    "key.train": "训练",
    "key.quiz": "测验",
    # key.language switches to the next language: from Chinese, back to English
    "key.language": "English",
    "key.leave_answer": "离开答题框",
    # screens
    "too_small": "终端窗口为 {width}×{height}。\nbackprop-tutor 至少需要 "
    "{min_width}×{min_height}，请把窗口调大。\n你在课程中的进度会保留。",
    "scenarios.title": "选择课程",
    "scenarios.hint": "↑/↓ 选择，Enter 打开，Escape 返回",
    "help.close": "按 Escape 或 ? 关闭帮助；按 g 打开术语表",
    "palette.phase": "跳到{phase}",
    "palette.phase_help": "显示当前迭代，一直到这个阶段结束",
    "palette.scenario": "打开课程：{name}",
    "palette.scenario_help": "切换到这个课程，从头开始",
    # errata: what the article does, what is right, and the numbers that prove it
    "err.heading": "原文这里有误",
    "err.symmetry.title": "初始权重全部相等",
    "err.symmetry.text": "所有权重都从 1 开始，于是 Z1、Z2、Z3 永远一模一样：δ 相同，更新也相同，"
    "三个隐藏单元只起一个的作用。初始权重应当互不相等（随机初始化）。",
    "err.linear.title": "线性网络学不会异或",
    "err.linear.text": "所有单元都用恒等激活函数，整个网络就只是一个线性函数，"
    "这里是 D0 = {c0} + {c1}·X1 + {c2}·X2。任何线性函数都拟合不了异或："
    "最好的那个对四个输入给出 {best}（均方误差 {mse}）。",
    "err.targets.title": "预测值与目标值",
    "err.targets.text": "原文说模型对 (0, 0) 的预测是 {claimed}，后面又说“是 4 而不是 1”。"
    "实际上前向传播算出的是 {prediction}，而 (0, 0) 的异或目标值是 {target}。"
    "（如果目标真是 {claimed}，误差应为 {loss_if_claimed}，而不是 {loss}。）",
    "err.cost.title": "声明的是代价函数，算的却是误差",
    "err.cost.text": "原文声明使用逻辑回归的代价函数 −[y·log h + (1 − y)·log(1 − h)]，"
    "实际算的却是 y − h = {loss}。在 h = {prediction} 处，这个代价函数要算 log({log_arg})，"
    "这是没有定义的；况且代价不可能为负：{loss} 只是带符号的误差。",
    "err.sign.title": "更新的符号反了",
    "err.sign.text": "取 δ(D0) = y − D0，再按 w ← w − α·Z·δ 更新，每一步都会让误差变大。"
    "对 E = ½(D0 − y)² 做有限差分，得到 ∂E/∂w(Z1->D0) = {numeric}；"
    "原文的 J′(W) 却是 {article_gradient}，符号正好相反。改正为：δ(D0) = D0 − y。",
    "err.delta_rule.title": "误差项公式漏了求和",
    "err.delta_rule.text": "原文的 δ(Z1) = w·δ(D0)·f′(z) 漏掉了对该单元所有输出连接的求和，"
    "应为 δ(Z1) = f′(z)·Σ w·δ，Z1 的每条输出连接贡献一项 w·δ"
    "（这里只有 Z1->D0 一项，所以结果碰巧一致）。"
    "原文算出的 δ(Z0) = {bias_delta} 根本用不上：Z0 是偏置，没有任何输入连接。",
    "err.symmetric_deltas.title": "同一个单元的几份副本",
    "err.symmetric_deltas.text": "δ(Z2) 等于 δ(Z1)，δ(Z3) 也会一样：权重相等时，"
    "几个隐藏单元始终完全相同。即使换成 sigmoid 单元加交叉熵，只要初始权重相等，"
    "以学习率 {learning_rate} 做全批量训练 {epochs} 轮后，(1, 1) 仍然分错：输出为 {outputs}。",
    "err.batch.title": "批量还是在线？",
    "err.batch.text": "原文称之为批量梯度下降，但它每看一个样本就更新一次：这是在线（随机）"
    "梯度下降。批量梯度下降要先把全部四个样本的梯度求平均，再更新一次。",
    "err.story.title": "惩罚会让权重变小？",
    "err.story.text": "原文说，要为误差负责的单元会被赋予更小的权重作为惩罚，"
    "可它改动的每个权重都变大了：{total} 个权重中有 {grown} 个从 1 变成了 {article_weight}。",
    "err.prediction.title": "这次更新对预测值的影响",
    "err.prediction.text": "按原文更新后，(0, 0) 的预测值变成 {p1}，比更新前的 {prediction} "
    "离目标 {target} 更远；再更新一次是 {p2}，然后是 {p3}。改正后的更新（δ(D0) = D0 − y）"
    "会把这些权重变成 {corrected_weight} 而不是 {article_weight}，"
    "预测值变为 {corrected_prediction}。",
    # the article's update against the corrected one
    "compare.title": "原文的更新与改正后的更新对比",
    "compare.prediction": "对 {input} 的预测（目标 {target}）：更新前 {before}；"
    "按原文更新后 {article}，按改正的规则更新后 {corrected}。",
    "compare.article": "原文：δ(D0) = y − D0",
    "compare.corrected": "改正：δ(D0) = D0 − y",
    "compare.hint": "按 Escape 关闭",
    # predict, then reveal
    "quiz.hint": "直接按 Enter 显示答案",
    "quiz.off": "测验已关闭：每一步直接显示结果。",
    "quiz.placeholder": "输入数字，如 0.5",
    "quiz.prompt": "{quantity} = ?",
    "quiz.not_a_number": "“{text}”不是数字：请输入像 1.4 或 -4 这样的数",
    "quiz.right": "正确：{value}。",
    "quiz.wrong": "不太对：你的答案是 {answer}，正确值是 {value}。",
    "quiz.revealed": "答案：{value}。",
    "quiz.diag.sign": "你的答案符号反了：检查减法的顺序（y − o 还是 o − y）以及各个因子的正负。",
    "quiz.diag.fprime": "这是没乘 f′(z) 的值：δ 还要乘以该单元激活函数的斜率（导数）。",
    "quiz.diag.learning_rate": "这是 原 w − Z·δ：步长要先乘以学习率 α。",
    "quiz.diag.updated_weight": "这里用了更新后的权重：反向传播用的是前向传播时的权重，"
    "所有更新都在这之后。",
    "quiz.diag.bias_zero": "这里漏掉了偏置：偏置单元恒为 1 而不是 0，所以它的权重要全额计入。",
    "quiz.diag.activation": "这是激活之前的加权和 z：单元输出的是 f(z)。",
    "quiz.score": "测验 {right}/{asked}",
    "quiz.summary": "本次迭代的测验：{tally}。",
    "quiz.summary_missed": "需要再看一遍：{missed}。",
    "quiz.summary_perfect": "全部答对。",
    "quiz.phase_count": "{phase} {count} 处",
    # scenario errors (engine/scenario_errors.py, by code), framed as
    # 键 '…' 不符合要求，应为：… ，实际是 …
    "error.expected.layers_shape": "每层的单元数，共 {min_layers} 到 {max_layers} 层，"
    "每层 1 到 {max_width} 个，例如 [2, 3, 1]",
    "error.expected.layers_type": "整数列表，例如 [2, 3, 1]",
    "error.expected.activations_count": "{count} 个名称，除输入层外每层一个",
    "error.expected.activations_type": "名称列表，例如 [\"sigmoid\", \"sigmoid\"]",
    "error.expected.activation_name": "取自 {names} 的名称",
    "error.expected.loss_name": "{names} 之一",
    "error.expected.cross_entropy_output": "输出层用 sigmoid，因为损失 'cross_entropy' 要求输出在 "
    "(0, 1) 之间",
    "error.expected.positive_number": "大于 0 的有限数",
    "error.expected.update_mode": "'online' 或 'batch'",
    "error.expected.init_kind": "{names} 之一",
    "error.expected.finite_number": "一个有限数",
    "error.expected.seed_range": "0 到 2**63 - 1 之间的整数",
    "error.expected.seed_type": "大于等于 0 的整数",
    "error.expected.matrix_count": "{count} 个矩阵，除输入层外每层一个",
    "error.expected.matrix_shape": "{rows} 行（第 {layer} 层每个单元一行），"
    "每行 {cols} 个数（先是偏置权重，再是第 {previous} 层每个单元一个）",
    "error.expected.finite_numbers": "全部为有限数",
    "error.expected.sample_count": "1 到 {max_samples} 行",
    "error.expected.target_count": "{count} 行，与 data.inputs 逐行对应",
    "error.expected.row_width": "{width} 个数",
    "error.expected.probability_targets": "0 到 1 之间的目标值，因为损失 'cross_entropy' "
    "比较的是概率",
    "error.expected.number": "一个数",
    "error.expected.string": "一个字符串",
    "error.expected.plain_text": "一行不含控制字符或格式字符的文本（不能有转义序列、换行、"
    "双向文本或零宽标记；第 {position} 个字符就是）",
    "error.expected.plain_text_lines": "除换行和制表符外不含控制字符或格式字符的文本（不能有"
    "转义序列、双向文本或零宽标记；第 {position} 个字符就是）",
    "error.expected.text_length": "最多 {max_chars} 个字符（这里有 {length} 个）",
    "error.expected.matrix_type": "由行组成的列表，每行是一个数的列表，例如 [[0, 1], [1, 0]]",
    # unknown_key_where is filled in first: "[init] 表中的键 kind, seed 之一（此键未知）"
    "error.expected.unknown_key": "{where}键 {names} 之一（此键未知）",
    "error.expected.unknown_key_where": "[{table}] 表中的",
    "error.expected.missing_key": "必须提供此键，但文件中没有",
    "error.expected.missing_for_kind": "此键（init.kind = \"{kind}\" 时必须提供）",
    "error.expected.init_table": "一个表，例如 [init] 中写 kind = \"random\" 和 seed = 0",
    "error.expected.matrices_type": "矩阵列表，除输入层外每层一个",
    "error.expected.data_table": "包含 inputs 和 targets 的表",
    "error.file.unreadable": "无法读取文件（{reason}）",
    "error.file.not_utf8": "文件不是 UTF-8 文本",
    "error.file.not_regular": "无法读取文件（不是普通文件，而是目录、设备或管道）",
    "error.file.too_large": "文件超过 {max_mb} MB，远超任何课程所需",
    "error.file.not_toml": "不是有效的 TOML（{reason}）",
    "error.file.unknown_name": "没有叫这个名字的内置场景（{names}），也没有这个文件",
    "error.frame.key": "键 '{key}' 不符合要求，应为：{expected}",
    "error.frame.got": "，实际是 {got}",
    "error.frame.file": "{path}：{message}",
}

MESSAGES.update(
    {
        "key.back": "返回",
        "key.scroll_down": "向下滚动",
        "key.scroll_up": "向上滚动",
        "key.page_down": "下一页",
        "key.page_up": "上一页",
        "diagram.input": "输入层",
        "diagram.hidden": "隐藏层",
        "diagram.hidden_n": "隐藏层 {n}",
        "diagram.output": "输出层",
        "diagram.legend.current": "当前步骤",
        "diagram.legend.source": "起点",
        "diagram.legend.new": "新算出",
        "diagram.legend.updated": "已更新的权重",
        "diagram.legend.pending": "待计算",
        "scenario.article": "原文的异或例子，原样照搬：2-3-1 网络，恒等激活函数，所有权重为 1，"
        "学习率 0.1，每个样本更新一次，并把带符号的误差 y - o 当作误差项 δ。",
        "scenario.article-corrected": "同一个网络，改用平方误差的一半作损失，更新方向才是下坡："
        "改动的 7 个权重变为 0.6，(0,0) 的预测值从 4 降到 1.68。",
        "scenario.xor-sigmoid": "一个真正学会异或的 2-3-1 网络：sigmoid 单元、交叉熵损失、"
        "固定种子的随机初始权重、批量更新。",
        "cli.ascii_english": "--ascii 只能用英文显示：中文无法用 ASCII 字符画出",
    }
)

MESSAGES.update(
    {
        "key.edit": "修改",
        "key.open": "打开",
        "key.save": "保存",
        "key.screenshot": "截图",
        "key.cancel": "取消",
        "key.apply": "应用",
        "editor.title": "修改课程：{name}",
        "editor.learning_rate": "学习率 α",
        "editor.hidden_activation": "隐藏层激活函数",
        "editor.output_activation": "输出层激活函数",
        "editor.loss": "损失函数",
        "editor.update": "更新方式",
        "editor.init": "初始权重",
        "editor.seed": "随机种子",
        "editor.value": "全部权重 =",
        "editor.hint": "Tab 切换，Enter 打开列表，Ctrl+S 应用，Esc 取消",
        "editor.apply": "应用并重新开始",
        "open.title": "打开场景文件（.toml）",
        "open.placeholder": "path/to/lesson.toml",
        "open.hint": "Enter 打开，Esc 保留当前课程",
        "save.done": "已把场景保存到 {toml}，本次迭代保存到 {md}",
        "save.screenshot": "截图已保存到 {path}",
        "save.failed": "无法保存：{reason}",
        "header.changed": "已修改：{changes}",
        "field.learning_rate": "α {value}",
        "field.activations": "{value}",
        "field.loss": "{value}",
        "field.update": "{value}",
        "field.init": "权重 {value}",
        "field.layers": "层 {value}",
        "field.data": "{value} 个样本",
    }
)

MESSAGES.update(zh_training.MESSAGES)

# The network diagram's words (issue 12).
MESSAGES.update(
    {
        "diagram.legend.weights": "权重：蓝为正，橙为负",
        "diagram.scroll": "滚动",
        "diagram.scroll_sideways": "左右滚动",
        "diagram.scroll_up": "向上滚动",
        "diagram.scroll_left": "向左滚动",
    }
)

# The teaching pass keeps each part's new messages in a module of its own.
for _part in (zh_readable, zh_quiz, zh_symbols, zh_outputs, zh_progress,
              zh_serve):
    MESSAGES.update(_part.MESSAGES)
# --sandbox and --lessons (the teacher's folder of lessons, a served session's limits).
MESSAGES.update(zh_sandbox.MESSAGES)
# serve --web (the web front's pages and options).
MESSAGES.update(zh_web.MESSAGES)
# The class records (issue 15: serve --db, the tutors' reports, the exports).
MESSAGES.update(zh_class.MESSAGES)
# The teacher's live view of the class (issue 15: tui/teacher/).
MESSAGES.update(zh_teacher.MESSAGES)
# The teacher leads the class (issue 15: the lead, hold and broadcast lines).
MESSAGES.update(zh_lead.MESSAGES)
# The class view on the web (issue 15: /teacher).
MESSAGES.update(zh_webteacher.MESSAGES)
