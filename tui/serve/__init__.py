"""``backprop-tutor serve``: a class over SSH, one tutor process per learner.

Plain asyncio and asyncssh, one module per concern (in the spirit of Charm's Wish
middleware): :mod:`.command` (the command), :mod:`.options` (its settings, no asyncssh),
:mod:`.hostkey`, :mod:`.auth`, :mod:`.sessions` (limits and timers), :mod:`.child` (a tutor
in its own pseudo-terminal), :mod:`.server` (the SSH side) and :mod:`.log`. Nothing here
imports Textual: the tutor runs in a child process (``python -m tui.cli``), which handles
the terminal itself.
"""
