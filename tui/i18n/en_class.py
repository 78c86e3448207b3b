"""English messages for the class records (issue 15: tui/serve/classroom.py,
tui/serve/records.py, the tutor's reports read by tui/serve/session.py): merged into
:mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    # the command line
    "serve.db": "the class records (SQLite): each learner's place and every quiz answer, "
    "kept across restarts (default: class.sqlite3 in the state folder)",
    "class.db_newer": "the class records {path} were written by a newer backprop-tutor "
    "(version {version}; this one reads version {supported}): upgrade, or choose another "
    "file with --db",
    "class.db_foreign": "{path} is not a class records file (it holds other tables): choose "
    "another file with --db",
    "class.db_unreadable": "the class records {path} cannot be used: {reason}",
    # while serving
    "class.db_write": "the class records {path} cannot be written ({reason}): the class goes "
    "on, but the answers since the last save are not kept",
    "serve.log.channel-cut": "{learner} from {address}: their tutor's reports are no longer "
    "read ({reason})",
    # the exports' column headers
    "class.col.name": "Learner",
    "class.col.lesson": "Lesson",
    "class.col.answered": "Answered",
    "class.col.right_first": "Right first time",
    "class.col.revealed": "Revealed",
    "class.col.slips": "Slips",
}
