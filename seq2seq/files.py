"""Writing files safely: each appears whole or not at all, with the permissions users expect.

Every file the toolkit writes (bundle files, reports, plots, hypotheses) goes through
``atomic_write``: it is written under a hidden temporary name beside its destination and renamed
into place, so an interrupted write never leaves half a file where a reader would pick it up.
The temporary file is created like any file the user writes (mode 0666 minus the umask), so a
bundle trained by one user can be read by a colleague or by a server running as someone else.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

# Names of the hidden temporary files: ".<stem>.<8 hex digits><suffix>" (see atomic_write).
TEMPORARY_NAME = re.compile(r"^\.(?P<stem>.+)\.[0-9a-f]{8}(\.weights\.h5|\.[^.]*)?$")


def temporary_path(path: Path) -> Path:
    """A new, empty file beside ``path`` with a hidden random name and umask-respecting mode.

    The suffix of ``path`` is kept (Keras insists on ``.weights.h5``, matplotlib reads it).
    """
    suffix = ".weights.h5" if path.name.endswith(".weights.h5") else path.suffix
    stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
    while True:
        candidate = path.parent / f".{stem}.{secrets.token_hex(4)}{suffix}"
        # O_EXCL: never reuse a name; 0o666: the umask decides, as for any file the user writes
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return candidate
        except FileExistsError:
            continue


def atomic_write(path: str | Path, write) -> None:
    """Call ``write(tmp_path)`` on a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    tmp = temporary_path(path)
    try:
        write(str(tmp))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def new_directory_beside(path: Path) -> Path:
    """An empty hidden directory next to ``path`` (umask-respecting mode), to fill and rename."""
    while True:
        candidate = path.parent / f".{path.name}.{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue
