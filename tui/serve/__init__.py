"""``backprop-tutor serve``: a class over SSH and in a browser, one tutor process per learner.

Plain asyncio, asyncssh and aiohttp, one module per concern (in the spirit of Charm's Wish
middleware): :mod:`.command` (the command), :mod:`.options` (its settings, no asyncssh),
:mod:`.hostkey`, :mod:`.auth`, :mod:`.sessions` (limits and timers), :mod:`.session` (one
learner's session, whatever carries it), :mod:`.server` (the SSH side and the server as a
whole), :mod:`.web` (the browser side), :mod:`.child` (a tutor in its own pseudo-terminal),
:mod:`.launcher`, :mod:`.forkserver` and :mod:`.tutor_process` (how a tutor process is
started: forked from a process that imported everything once, or spawned) and :mod:`.log`.
Nothing the server imports imports Textual: the tutor runs in a child process, which
handles the terminal itself, and hears from the server on a private channel
(:mod:`tui.served`).
"""
