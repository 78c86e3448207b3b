"""Simplified Chinese messages for --sandbox and --lessons: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {
    # 命令行
    "cli.sandbox": "用于服务器上的课堂：不能输入路径，只能保存到 $BACKPROP_TUTOR_SAVE_DIR",
    "cli.lessons": "存放课程 .toml 文件的目录，打开对话框（o）会列出其中的课程",
    "cli.lessons_not_dir": "--lessons {path}：不是可读取的目录",
    # 打开对话框（o 键），有课程目录时
    "open.title_folder": "打开课程：从列表中选择，或输入路径（.toml）",
    "open.title_sandbox": "打开老师提供的课程",
    "open.title_no_folder": "打开课程",
    "open.hint_folder": "↑/↓ 选择，Enter 打开，Tab 切到路径，Esc 保留当前课程",
    "open.hint_sandbox": "↑/↓ 选择，Enter 打开，Esc 保留当前课程；内置课程请按 s",
    "open.empty": "课程目录中没有课程文件（.toml）。",
    "open.more": "只列出前 {max} 个课程。",
    "open.unreadable": "无法读取课程目录（{reason}）。",
    "open.no_folder": "老师没有提供课程目录，这里不能打开文件。内置课程请按 s。",
    "open.hint_back": "按 Esc 返回",
    "open.refused.outside": "{name}：已拒绝：它指向课程目录之外",
    "open.refused.not_in_folder": "{name}：已不是该目录中的课程文件",
    "open.refused.no_folder": "{name}：没有课程目录",
    # --sandbox 下的保存
    "sandbox.no_save_dir": "本次会话没有保存目录（未设置 BACKPROP_TUTOR_SAVE_DIR），"
    "也不会把文件写到其他地方",
}
