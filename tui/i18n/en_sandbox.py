"""English messages for --sandbox and --lessons (the teacher's folder of lessons, a served
session's limits): merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    # command line
    "cli.sandbox": "for a served session: no typed paths, saves only into "
    "$BACKPROP_TUTOR_SAVE_DIR",
    "cli.lessons": "a folder of lesson .toml files that the open dialog (o) lists",
    "cli.lessons_not_dir": "--lessons {path}: not a folder that can be read",
    # the open dialog (key o) with a folder of lessons
    "open.title_folder": "Open a lesson: pick one from the list, or type a path (.toml)",
    "open.title_sandbox": "Open a lesson from your teacher's folder",
    "open.title_no_folder": "Open a lesson",
    "open.hint_folder": "↑/↓ to choose, Enter opens, Tab to the path, Escape keeps the "
    "current lesson",
    "open.hint_sandbox": "↑/↓ to choose, Enter opens, Escape keeps the current lesson; the "
    "built-in lessons are under s",
    "open.empty": "The lesson folder has no lesson files (.toml).",
    "open.more": "Only the first {max} lessons are listed.",
    "open.unreadable": "The lesson folder cannot be read ({reason}).",
    "open.no_folder": "Your teacher has given no lesson folder, so no file can be opened "
    "here. The built-in lessons are under s.",
    "open.hint_back": "Escape to go back",
    "open.refused.outside": "{name}: refused: it leads outside the lesson folder",
    "open.refused.not_in_folder": "{name}: no longer a lesson file of the folder",
    "open.refused.no_folder": "{name}: there is no lesson folder",
    # saving under --sandbox
    "sandbox.no_save_dir": "this session has no save folder (BACKPROP_TUTOR_SAVE_DIR is not "
    "set), and files are not written anywhere else",
}
