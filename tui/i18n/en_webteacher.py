"""English messages for the class view on the web (``/teacher``, tui/serve/web.py): merged
into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    # what serve prints
    "web.teacher_connect": "the class view in a browser: {url}, with the teacher's password",
    # the pages
    "web.teacher_title": "Class view",
    "web.teacher_welcome": "The teacher's view of the class: every learner's step, score and "
    "slips, and the lead.",
    "web.teacher_password": "Teacher's password",
    "web.teacher_open": "Open",
    "web.teacher_wrong_password": "That is not the teacher's password.",
    # the start page
    "web.teacher_name": "That name is the teacher's: choose another one.",
}
