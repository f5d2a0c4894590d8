"""Writing files safely: each appears whole or not at all, with the permissions users expect.

Every file the toolkit writes (bundle files, reports, plots, hypotheses) goes through
``atomic_write``: it is written under a hidden temporary name beside its destination and renamed
into place, so an interrupted write never leaves half a file where a reader would pick it up.
The temporary file is created like any file the user writes (mode 0666 minus the umask), so a
bundle trained by one user can be read by a colleague or by a server running as someone else.
"""

from __future__ import annotations

import errno
import math
import os
import re
import secrets
import shutil
from pathlib import Path

import numpy as np

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


class WriteError(OSError):
    """A file that could not be written (a full disk, a read-only folder, ...): one line that
    names the file the user knows, not the temporary file, and the cause."""

    def __init__(self, path: str | Path, cause: OSError):
        super().__init__(cause.errno, cause.strerror)
        self.path, self.cause = Path(path), cause

    def __str__(self) -> str:
        if self.cause.errno:  # "no space left on device", whatever library raised it
            reason = os.strerror(self.cause.errno)
            reason = reason[:1].lower() + reason[1:]
        else:
            reason = str(self.cause)
        return f"{reason} writing {self.path}"


def write_temporary(path: str | Path, write) -> Path:
    """Call ``write(tmp_path)`` on a new temporary file beside ``path`` and return it (the caller
    renames it into place). On any OSError, e.g. h5py's on a full disk, the temporary file is
    removed and a WriteError naming ``path`` is raised."""
    path = Path(path)
    try:
        tmp = temporary_path(path)
    except OSError as error:
        raise WriteError(path, error) from None
    try:
        write(str(tmp))
    except BaseException as error:  # Ctrl-C included: never leave the temporary file behind
        tmp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise WriteError(path, error) from None
        raise
    return tmp


def atomic_write(path: str | Path, write) -> None:
    """Call ``write(tmp_path)`` on a temporary file beside ``path``, then rename it into place,
    so the file appears whole or not at all; a failure raises WriteError (write_temporary)."""
    tmp = write_temporary(path, write)
    try:
        os.replace(tmp, path)
    except OSError as error:
        raise WriteError(path, error) from None
    finally:
        tmp.unlink(missing_ok=True)


def check_space(path: str | Path, needed: int) -> None:
    """Raise WriteError (no space left on device) unless the disk of ``path`` has room for
    ``needed`` bytes more. Before HDF5 writes: h5py's failures on a full disk leave open
    objects behind that spill errors and crash the process when it exits."""
    path = Path(path)
    if shutil.disk_usage(path.parent).free < needed:
        raise WriteError(path, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))


def weights_bytes(model, path: str | Path) -> int:
    """What writing ``model``'s weights to ``path`` will need: the size of the file it replaces
    (weights keep their shapes), else the arrays' bytes and room for HDF5's own structures
    (measured: 1.1 KB an array, 66-73 KB a file, for the shipped architecture and a tiny one)."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_size + 16384
    optimizer = getattr(model, "optimizer", None)  # none before compile
    variables = [*model.weights, *(getattr(optimizer, "variables", None) or [])]
    return sum(math.prod(v.shape) * np.dtype(v.dtype).itemsize + 1536 for v in variables) + 16384


def new_directory_beside(path: Path) -> Path:
    """An empty hidden directory next to ``path`` (umask-respecting mode), to fill and rename."""
    while True:
        candidate = path.parent / f".{path.name}.{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue
