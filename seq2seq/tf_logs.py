"""Keeping TensorFlow's C++ log lines ("oneDNN custom operations are on", ...) off the terminal.

TensorFlow writes them from C++ straight to file descriptor 2, some before its logging is set up,
so ``TF_CPP_MIN_LOG_LEVEL`` does not silence them all, and no user can act on them. The command
line therefore sends its stderr through a filter: a forked child reads it from a pipe and passes
on every line except TensorFlow's informational, warning and error lines; fatal ones still show.
A child, not a thread, so that whatever the process wrote before a crash still gets through.
Numerics are untouched (``TF_ENABLE_ONEDNN_OPTS`` stays as TensorFlow sets it). Set
``SEQ2SEQ_TF_LOGS=1`` (or pass ``--verbose``) to see them all.
"""

from __future__ import annotations

import atexit
import io
import os
import re
import signal
import sys

ENVIRONMENT = "SEQ2SEQ_TF_LOGS"  # "1": show TensorFlow's C++ log lines
# "I0000 00:00:1796584921.443646    2640 port.cc:153] oneDNN custom operations are on. ..."
# (absl's prefix: severity, date, time, thread, file:line), and absl's pre-initialisation notice
# and LiteRT's notice for every interpreter it makes
_NOISE = re.compile(rb"^(?:[IWE]\d{4} [\d:.]+\s+\d+ [\w.\-]+:\d+\] |WARNING: All log messages "
                    rb"before absl::InitializeLog\(\) is called are written to STDERR|INFO: "
                    rb"Created TensorFlow Lite XNNPACK delegate for CPU\.$)")


def is_noise(line: bytes) -> bool:
    """Whether one stderr line is a TensorFlow C++ log line the user is spared."""
    return bool(_NOISE.match(line))


def wanted() -> bool:
    return os.environ.get(ENVIRONMENT, "") not in ("", "0")


def filter_stream(source: int, sink: int) -> None:
    """Copy lines from ``source`` to ``sink`` until end of file, leaving out the noise."""
    pending = b""
    while chunk := os.read(source, 65536):
        *lines, pending = (pending + chunk).split(b"\n")
        kept = b"".join(line + b"\n" for line in lines if not is_noise(line))
        if kept:
            os.write(sink, kept)
        if pending[:1] not in (b"", b"I", b"W", b"E"):  # cannot become noise (a progress bar
            os.write(sink, pending)  # redrawn with "\r", a prompt): pass it on now
            pending = b""
    if pending and not is_noise(pending):
        os.write(sink, pending)


def filter_stderr() -> None:
    """Route this process's stderr (fd 2) through the filter, until the process exits."""
    if wanted() or not hasattr(os, "fork"):
        return
    sys.stderr.flush()
    original = os.dup(2)
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the filter: it ends when every writer of the pipe has gone
        # Ctrl-C and kill reach the whole process group: the filter outlives them, so the
        # process's last words ("interrupted; continue with ...") still get through
        for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        os.close(write_end)
        try:
            filter_stream(read_end, original)
        finally:
            os._exit(0)
    os.close(read_end)
    terminal = sys.stderr.isatty()
    os.dup2(write_end, 2)
    os.close(write_end)
    # fd 2 is a pipe now; progress lines ask sys.stderr whether a person is watching
    sys.stderr = _Stderr(open(2, "wb", buffering=0, closefd=False), terminal,
                         encoding=sys.stderr.encoding, errors="backslashreplace",
                         line_buffering=True)

    def finish():  # give the filter its end of file and wait until it has written everything
        sys.stderr.flush()
        sys.stderr = sys.__stderr__
        os.dup2(original, 2)
        os.waitpid(child, 0)

    atexit.register(finish)


class _Stderr(io.TextIOWrapper):
    """sys.stderr over the filter's pipe, still a terminal when the real stderr is one."""

    def __init__(self, buffer, terminal: bool, **kwargs):
        super().__init__(buffer, **kwargs)
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal
