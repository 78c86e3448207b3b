"""The lesson screen (lesson.py) and the dialogs shown over it: help, lesson chooser,
training, editor, open a file, compare."""
