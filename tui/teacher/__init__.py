"""The teacher's live view of the class (issue 15): a Textual app that ``backprop-tutor serve``
starts for ``ssh -p 2222 teacher@HOST``, fed snapshots of the class on a private channel.

- :mod:`tui.teacher.model`: a snapshot line parsed, checked, sorted and worded (no Textual);
- :mod:`tui.teacher.channel`: where snapshots come from and commands go (the channel's
  reading thread and non-blocking send, or a feed a test pushes into; no Textual);
- :mod:`tui.teacher.app`: :class:`~tui.teacher.app.ClassViewApp` (it also leads the class:
  commands written on the same channel);
- :mod:`tui.teacher.dialogs`: the step and broadcast dialogs;
- ``python -m tui.teacher``: the app on the channel in ``$BACKPROP_TUTOR_CHANNEL``.
"""
