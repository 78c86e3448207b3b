"""网页上的全班视图（``/teacher``，tui/serve/web.py）的中文消息：并入 :mod:`tui.i18n.zh`。"""

MESSAGES: dict[str, str] = {
    # serve 打印的内容
    "web.teacher_connect": "在浏览器中打开全班视图：{url}，使用教师密码",
    # 网页
    "web.teacher_title": "全班视图",
    "web.teacher_welcome": "教师的全班视图：每位学员的步骤、得分和失误，以及带领全班。",
    "web.teacher_password": "教师密码",
    "web.teacher_open": "打开",
    "web.teacher_wrong_password": "教师密码不对。",
    # 开始页
    "web.teacher_name": "这个名字属于教师：请换一个名字。",
}
