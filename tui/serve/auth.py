"""Who may join, and under which name: no authentication by default (the SSH user name is
only the learner's label), a shared class password, or an authorized_keys file."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

MAX_NAME = 32
DEFAULT_NAME = "learner"
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9_.-]")


class AuthError(Exception):
    """A password or key setting that cannot be used: (message key, values)."""


def learner_name(username: str) -> str:
    """The SSH user name as a learner's label and directory name: letters, digits and
    ``-_.`` only, at most 32 characters, never starting with a dot (so ``..`` cannot climb
    out of the learners' directory), ``learner`` when nothing is left."""
    name = _NOT_ALLOWED.sub("", username)[:MAX_NAME].lstrip(".")
    return name or DEFAULT_NAME


def read_password(file: str | None, env: str | None) -> str | None:
    """The class password from a file (its first line) or an environment variable, never
    from the command line, where every user of the machine could read it in ``ps``."""
    if file is not None:
        try:
            with open(file, encoding="utf-8") as stream:
                password = stream.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise AuthError(("serve.password_file_problem", {"path": file, "reason": reason})
                            ) from error
    elif env is not None:
        if env not in os.environ:
            raise AuthError(("serve.password_env_missing", {"name": env}))
        password = os.environ[env]
    else:
        return None
    if not password:
        raise AuthError(("serve.password_empty", {}))
    return password


def read_authorized_keys(path: str | None):  # type: ignore[no-untyped-def]
    """The learners' public keys (asyncssh's SSHAuthorizedKeys), or None."""
    if path is None:
        return None
    import asyncssh

    try:
        return asyncssh.read_authorized_keys(path)
    except (OSError, ValueError, asyncssh.KeyImportError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise AuthError(("serve.authorized_keys_problem", {"path": path, "reason": reason})
                        ) from error


def password_matches(expected: str, given: str) -> bool:
    """Compared in constant time, so timing says nothing about the password."""
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def key_id(public_data: bytes) -> str:
    """A short, file-name-safe name for a learner's public key."""
    return hashlib.sha256(public_data).hexdigest()[:16]


def learner_dir(state_dir: Path, name: str, key: str | None = None) -> Path:
    """``<state dir>/learners/<name>``, or ``<name>.<key id>`` for a learner who logged in
    with a key: each learner's progress and saved files, and with keys nobody else's, even
    under the same name."""
    folder = learner_name(name)
    return state_dir / "learners" / (folder if key is None else f"{folder}.{key}")
