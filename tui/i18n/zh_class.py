"""班级记录的中文消息（第 15 号议题：tui/serve/classroom.py、tui/serve/records.py，以及
tui/serve/session.py 读取的导师报告）：并入 :mod:`tui.i18n.zh`。"""

MESSAGES: dict[str, str] = {
    # 命令行
    "serve.db": "班级记录（SQLite）：每位学员学到哪里和每一次测验作答，重启后仍然保留"
    "（默认：状态文件夹中的 class.sqlite3）",
    "class.db_newer": "班级记录 {path} 由更新版本的 backprop-tutor 写入（版本 {version}；"
    "本程序只能读取版本 {supported}）：请升级，或用 --db 另选一个文件",
    "class.db_foreign": "{path} 不是班级记录文件（其中有别的数据表）：请用 --db 另选一个文件",
    "class.db_unreadable": "班级记录 {path} 无法使用：{reason}",
    # 运行中
    "class.db_write": "无法写入班级记录 {path}（{reason}）：课程照常进行，但上次保存之后的"
    "作答不会保留",
    "serve.log.channel-cut": "来自 {address} 的 {learner}：不再读取其导师发来的报告（{reason}）",
    # 导出表格的列名
    "class.col.name": "学员",
    "class.col.lesson": "课程",
    "class.col.answered": "作答",
    "class.col.right_first": "首次即答对",
    "class.col.revealed": "看答案",
    "class.col.slips": "失误",
}
