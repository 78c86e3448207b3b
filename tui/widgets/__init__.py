"""The tutor's widgets: each shows one view of the current :class:`~tui.lesson.Cursor`."""
