"""``backprop-tutor serve``: check the options, print how to connect, serve until SIGTERM
or SIGINT, then end every session (no tutor process is left behind)."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from tui.i18n import t
from tui.progress import state_directory
from tui.serve.options import ServeOptions, parse_address, parse_duration


def options_from(args: argparse.Namespace, scenario: str,
                 fail: Callable[[str], NoReturn]) -> ServeOptions:
    """The server's settings from the command line, or ``fail`` with the first problem."""
    from tui.serve.auth import AuthError, read_password

    try:
        host, port = parse_address(args.ssh)
    except ValueError:
        fail(t("serve.bad_address", value=args.ssh))
    durations = {}
    for option, value in (("--idle-timeout", args.idle_timeout),
                          ("--max-duration", args.max_duration)):
        try:
            durations[option] = parse_duration(value)
        except ValueError:
            fail(t("serve.bad_duration", option=option, value=value))
    if args.max_sessions < 1:
        fail(t("serve.bad_max_sessions", value=args.max_sessions))
    try:
        password = read_password(args.password_file, args.password_env)
    except AuthError as error:
        key, values = error.args[0]
        fail(t(key, **values))
    lessons = getattr(args, "serve_lessons", None)
    if lessons is not None:
        if not (os.path.isdir(lessons) and os.access(lessons, os.R_OK | os.X_OK)):
            from tui.lessons_dir import safe_name

            fail(t("serve.lessons_not_dir", path=safe_name(lessons)))
        lessons = Path(os.path.abspath(lessons))
    return ServeOptions(
        host=host, port=port, scenario=scenario, lang=args.lang, ascii_only=args.ascii,
        lessons=lessons,
        max_sessions=args.max_sessions, idle_timeout=durations["--idle-timeout"],
        max_duration=durations["--max-duration"], state_dir=state_directory(),
        password=password,
        authorized_keys=Path(args.authorized_keys) if args.authorized_keys else None)


def run_serve(args: argparse.Namespace, scenario: str, fail: Callable[[str], NoReturn]) -> int:
    """Serve the class; exit status 2 for anything wrong before listening."""
    try:
        import asyncssh  # noqa: F401
    except ImportError:
        fail(t("serve.no_asyncssh"))
    from tui.serve.auth import AuthError, read_authorized_keys
    from tui.serve.hostkey import HostKeyError, default_path, fingerprint, load_or_create
    from tui.serve.log import SessionLog

    options = options_from(args, scenario, fail)
    try:
        keys = read_authorized_keys(args.authorized_keys)
    except AuthError as error:
        key, values = error.args[0]
        fail(t(key, **values))
    key_path = Path(args.host_key) if args.host_key else default_path(options.state_dir)
    try:
        host_key, created = load_or_create(key_path)
    except HostKeyError as error:
        kind, path, reason = error.args[0]
        fail(t(f"serve.key_{kind}", path=path, reason=reason))
    try:
        log = SessionLog(args.log)
    except OSError as error:
        fail(f"{args.log}: {error.strerror or error}")
    if created:
        log.say(t("serve.key_created", path=key_path))
    try:
        return asyncio.run(_serve(options, host_key, fingerprint(host_key), keys, log, fail))
    finally:
        log.close()


async def _serve(options: ServeOptions, host_key: object, print_: str, keys: object,
                 log: object, fail: Callable[[str], NoReturn]) -> int:
    """Listen, say how to connect, wait for SIGTERM or SIGINT, close."""
    from tui.serve.log import SessionLog
    from tui.serve.server import TutorServer

    assert isinstance(log, SessionLog)
    server = TutorServer(options, host_key, log, keys)  # type: ignore[arg-type]
    try:
        await server.start()
    except OSError as error:
        fail(t("serve.cannot_listen", host=options.host, port=options.port,
               reason=error.strerror or error))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(number, stop.set)
    host = options.host
    shown = host if host not in ("0.0.0.0", "::", "") else socket.gethostname()
    shown = f"[{shown}]" if ":" in shown else shown
    lines = [
        t("serve.listening", scenario=options.scenario, host=host, port=server.port),
        t("serve.fingerprint", fingerprint=print_),
        t("serve.connect", command=f"ssh -p {server.port} NAME@{shown}"),
        t("serve.connect_check"),
        t("serve.auth_password") if options.password is not None
        else t("serve.auth_keys", path=options.authorized_keys) if options.authorized_keys
        else t("serve.auth_none"),
    ]
    print("\n".join(lines), flush=True)
    try:
        await stop.wait()
    finally:
        log.say(t("serve.stopping"))
        await server.close()
        log.say(t("serve.stopped"))
        print("", end="", flush=True)
    return 0
