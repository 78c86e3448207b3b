"""The server's host key: ed25519, made on first run (mode 0600) and reused, so that
learners' ``known_hosts`` entries stay valid from one lesson to the next."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import asyncssh

KEY_NAME = "ssh_host_ed25519_key"


class HostKeyError(Exception):
    """The key file cannot be used: the message says why (the command exits with 2)."""


def default_path(state_dir: Path) -> Path:
    """``<state dir>/ssh_host_ed25519_key``."""
    return state_dir / KEY_NAME


def load_or_create(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The key at ``path`` and whether it was made just now. A key another user could read
    (any group or other bit) or one that cannot be read or parsed is refused, never
    replaced: replacing it would make every learner's ssh warn of an attack."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return _create(path), True
    except OSError as error:
        raise HostKeyError(("unreadable", str(path), error.strerror or str(error))) from error
    if not stat.S_ISREG(info.st_mode):
        raise HostKeyError(("unreadable", str(path), "not a regular file"))
    if info.st_mode & 0o077:
        raise HostKeyError(("mode", str(path), f"{stat.S_IMODE(info.st_mode):04o}"))
    try:
        return asyncssh.read_private_key(str(path)), False
    except (OSError, asyncssh.KeyImportError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise HostKeyError(("unreadable", str(path), reason)) from error


def _create(path: Path) -> asyncssh.SSHKey:
    """A new ed25519 key written to ``path`` (its directory 0700, the file 0600, never over
    anything already there)."""
    key = asyncssh.generate_private_key("ssh-ed25519", comment="backprop-tutor")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as stream:
            stream.write(key.export_private_key("openssh"))
    except OSError as error:
        raise HostKeyError(("unwritable", str(path), error.strerror or str(error))) from error
    return key


def fingerprint(key: asyncssh.SSHKey) -> str:
    """``SHA256:…``, as ``ssh`` shows it on first connection."""
    return key.get_fingerprint("sha256")
