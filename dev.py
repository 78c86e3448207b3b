#!/usr/bin/env python3
"""Set up and run backprop-tutor from a clean clone, with nothing but Python 3.10+.

    python3 dev.py tutor [ARGS...]   create .venv if needed, install, start the tutor
    python3 dev.py test [ARGS...]    create .venv if needed, install with test tools, lint, test

The virtual environment is reinstalled whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("BACKPROP_TUTOR_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _run(*args: str | Path) -> None:
    """Run a command, stopping with its exit status if it fails."""
    code = subprocess.call([str(a) for a in args], cwd=ROOT)
    if code:
        raise SystemExit(code)


def ensure_venv(extras: str) -> None:
    """Create the venv and install the project (with ``extras``) unless already done."""
    if sys.version_info < (3, 10):  # noqa: UP036 - the user may run an older python3
        raise SystemExit("backprop-tutor needs Python 3.10 or newer")
    stamp = VENV / f".installed-{extras or 'base'}"
    constraints = ROOT / "constraints-test.txt"
    sources = [ROOT / "pyproject.toml"] + ([constraints] if extras == "test" else [])
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing backprop-tutor and its dependencies", flush=True)
    _run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    pinned = ["--constraint", str(constraints)] if extras == "test" else []
    _run(PYTHON, "-m", "pip", "install", "--quiet", *pinned, "--editable", target)
    stamp.write_text(digest)


def compile_sources() -> None:
    """Byte-compile engine/ and tui/ (only what changed), as pip does for an installed copy.

    The editable install runs them from the checkout, and where PYTHONDONTWRITEBYTECODE is set
    Python never caches their bytecode: every start would compile them again (about a tenth of
    the start-up time, see bench/tui.py).
    """
    _run(PYTHON, "-m", "compileall", "-q", "engine", "tui")


def main(argv: list[str]) -> None:
    """Dispatch ``tutor`` or ``test``."""
    if not argv or argv[0] not in ("tutor", "test"):
        print(__doc__)
        raise SystemExit(2)
    command, rest = argv[0], argv[1:]
    if command == "tutor":
        ensure_venv("")
        compile_sources()
        _run(BIN / "backprop-tutor", *rest)
        return
    ensure_venv("test")
    _run(PYTHON, "-m", "ruff", "check", ".")
    _run(PYTHON, "-m", "pytest", *rest)


if __name__ == "__main__":
    main(sys.argv[1:])
