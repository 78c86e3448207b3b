"""``backprop-tutor serve``: check the options, print how to connect, serve until SIGTERM
or SIGINT, then end every session (no tutor process is left behind)."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import re
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from tui.i18n import t
from tui.progress import state_directory
from tui.serve.options import ServeOptions, parse_address, parse_duration


def options_from(args: argparse.Namespace, scenario: str,
                 fail: Callable[[str], NoReturn]) -> ServeOptions:
    """The server's settings from the command line, or ``fail`` with the first problem."""
    from tui.serve.auth import AuthError, learner_name, read_password

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
        teacher_password = read_password(getattr(args, "teacher_password_file", None),
                                         getattr(args, "teacher_password_env", None))
    except AuthError as error:
        key, values = error.args[0]
        fail(t(key, **values))
    teacher = getattr(args, "teacher", None)
    if teacher is not None and learner_name(teacher) != teacher:
        fail(t("serve.bad_teacher", value=teacher))
    if teacher is not None and teacher_password is None:
        fail(t("serve.teacher_needs_password"))
    if teacher is None and teacher_password is not None:
        fail(t("serve.teacher_password_alone"))
    lessons = getattr(args, "serve_lessons", None) or getattr(args, "lessons", None)
    if lessons is not None:
        if not (os.path.isdir(lessons) and os.access(lessons, os.R_OK | os.X_OK)):
            from tui.lessons_dir import safe_name

            fail(t("serve.lessons_not_dir", path=safe_name(lessons)))
        lessons = Path(os.path.abspath(lessons))
    web = web_settings(args, password, fail)
    return ServeOptions(
        host=host, port=port, scenario=scenario, lang=args.lang, ascii_only=args.ascii,
        lessons=lessons,
        max_sessions=args.max_sessions, idle_timeout=durations["--idle-timeout"],
        max_duration=durations["--max-duration"], state_dir=state_directory(),
        password=password, teacher=teacher, teacher_password=teacher_password,
        authorized_keys=Path(args.authorized_keys) if args.authorized_keys else None,
        db=records_path(args), **web)


def records_path(args: argparse.Namespace) -> Path:
    """``--db``: the class records file (default ``<state dir>/class.sqlite3``)."""
    db = getattr(args, "db", None)
    return Path(os.path.abspath(db)) if db else state_directory() / "class.sqlite3"


def parse_public_url(text: str) -> str:
    """``--public-url``: an http(s) address with a host and nothing after its path, ending
    in ``/`` (ValueError otherwise)."""
    parts = urlsplit(text.strip())
    try:
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError as error:
        raise ValueError(text) from error
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username \
            or parts.password or parts.query or parts.fragment \
            or not re.fullmatch(r"[A-Za-z0-9._~%/-]*", parts.path) \
            or not re.fullmatch(r"[A-Za-z0-9.:\[\]-]+", parts.netloc):
        raise ValueError(text)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}"


def web_settings(args: argparse.Namespace, password: str | None,
                 fail: Callable[[str], NoReturn]) -> dict[str, object]:
    """``--web`` and ``--public-url`` as ServeOptions' fields (none without ``--web``)."""
    web, public_url = getattr(args, "web", None), getattr(args, "public_url", None)
    if web is None:
        if public_url is not None:
            fail(t("web.public_url_alone"))
        return {}
    try:
        host, port = parse_address(web)
    except ValueError:
        fail(t("web.bad_address", value=web))
    if public_url is not None:
        try:
            public_url = parse_public_url(public_url)
        except ValueError:
            fail(t("web.bad_public_url", value=public_url))
    if getattr(args, "authorized_keys", None) and password is None:
        fail(t("web.keys_only"))  # a browser has no key: the web would let anyone in
    return {"web_host": host, "web_port": port, "public_url": public_url}


def is_loopback(host: str) -> bool:
    """True for an address only this machine reaches (``localhost``, 127.x, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def web_lines(options: ServeOptions, port: int) -> tuple[list[str], list[str]]:
    """What ``serve`` prints about its web front: the lines to connect, and the warnings
    (a web front reachable from other machines with no ``--public-url``: plain HTTP, and
    links made of whatever address each browser typed)."""
    host = options.web_host
    shown = host if host not in ("0.0.0.0", "::", "") else socket.gethostname()
    shown = f"[{shown}]" if ":" in shown else shown
    url = options.public_url or f"http://{shown}:{port}/"
    lines = [t("web.listening", host=host, port=port), t("web.connect", url=url)]
    if options.teacher is not None:
        lines.append(t("web.teacher_connect", url=url.rstrip("/") + "/teacher"))
    warnings = []
    if options.public_url is None and not is_loopback(host):
        warnings.append(t("web.not_local", host=host, port=port))
    return lines, warnings


def run_serve(args: argparse.Namespace, scenario: str, fail: Callable[[str], NoReturn]) -> int:
    """Serve the class; exit status 2 for anything wrong before listening."""
    try:
        import asyncssh  # noqa: F401
    except ImportError:
        fail(t("serve.no_asyncssh"))
    if getattr(args, "web", None) is not None:
        try:
            import aiohttp  # noqa: F401
            import textual_serve  # noqa: F401
        except ImportError:
            fail(t("web.no_aiohttp"))
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
    from tui.serve.records import RecordsError
    from tui.serve.server import TutorServer

    assert isinstance(log, SessionLog)
    server = TutorServer(options, host_key, log, keys)  # type: ignore[arg-type]
    try:
        await server.start()
    except RecordsError as error:  # --db: a newer schema, not ours, unreadable
        fail(error.message())
    except OSError as error:
        web_address = getattr(error, "web_address", None)
        if web_address is not None:
            fail(t("web.cannot_listen", host=web_address[0], port=web_address[1],
                   reason=error.strerror or error))
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
    if server.web_port is not None:
        more, warnings = web_lines(options, server.web_port)
        lines += more
        for warning in warnings:
            log.say(warning)
    if options.teacher is not None:
        lines.append(t("serve.auth_teacher", port=server.port, teacher=options.teacher))
    print("\n".join(lines), flush=True)
    try:
        await stop.wait()
    finally:
        log.say(t("serve.stopping"))
        await server.close()
        log.say(t("serve.stopped"))
        print("", end="", flush=True)
    return 0
