"""Simplified Chinese messages for progress: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {
    # 跨退出保存的进度（tui/progress.py）
    "progress.resumed": "回到上次离开 {name} 的地方：轮次 {epoch}，第 {step}/{total} 步。"
    "按 r 重新开始；--fresh 从头开始。",
    "progress.changed": "{name} 自上次离开后已被修改：从头开始（旧版本的进度仍然保留）。",
    "progress.unfit": "{name} 中保存的位置已与课程不符：从头开始。",
    "progress.corrupt": "进度文件 {path} 已损坏：从头开始。原文件已另存为 {aside}。",
    "progress.unreadable": "无法读取进度文件 {path}：从头开始，本次不保存进度，"
    "以免丢失其中的内容。",
    "progress.newer": "进度文件 {path} 由更新版本的 backprop-tutor 写入：从头开始，原文件保持不变"
    "（本次不保存进度）。",
    "cli.fresh": "从头开始这一课，而不是从上次离开的地方继续",
    # 命令面板自带的命令（Textual 自带的命令原本只有英文）
    "palette.search": "搜索命令……",
    "palette.search_themes": "搜索主题……",
    "palette.theme": "主题",
    "palette.theme_help": "更换界面配色",
    "palette.quit": "退出",
    "palette.quit_help": "关闭程序（会记住你学到的位置）",
    "palette.keys": "按键",
    "palette.keys_show": "显示一个面板，列出本屏幕的按键",
    "palette.keys_hide": "隐藏按键面板",
    "palette.maximize": "最大化",
    "palette.maximize_help": "让当前窗格占满整个屏幕",
    "palette.minimize": "还原",
    "palette.minimize_help": "各窗格恢复原来的大小",
    "palette.screenshot": "截图",
    "palette.screenshot_help": "把屏幕保存为 SVG 图片（与 F2 相同）",
    # 编辑器的选项：标识符，后面是它的含义
    "editor.choice": "{name}  {meaning}",
    "choice.identity": "恒等函数 f(z) = z",
    "choice.sigmoid": "S 型函数 σ(z) = 1/(1 + e^(−z))",
    "choice.tanh": "双曲正切 tanh(z)",
    "choice.relu": "线性整流 max(0, z)",
    "choice.article_error": "原文的带符号误差 y − o",
    "choice.half_squared_error": "半平方误差 ½ Σ (y − o)²",
    "choice.cross_entropy": "二元交叉熵",
    "choice.online": "在线：每个样本更新一次",
    "choice.batch": "批量：所有样本一起更新一次",
    "choice.random": "随机：由种子生成 N(0, 1)",
    "choice.constant": "常数：所有权重相同",
    "choice.explicit": "文件中给出的矩阵",
}
