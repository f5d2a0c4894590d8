"""A full disk mid-training: one line naming the file, exit status 1 (no traceback, no crash
signal), a loadable last bundle, no temporary files, and a --resume that works once space is
freed. On a real small tmpfs when the tests run as root (as CI does), simulated otherwise."""

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from seq2seq import files
from seq2seq.checkpoint import read_history
from seq2seq.cli import main
from seq2seq.translator import Translator

from .conftest import TINY_PAIRS, write_tsv

# 66 KB of weights (with Adam's slots) per file: a 200 KB disk holds the first epoch's
# resume state and best weights, and not the second epoch's resume state
TINY_RUN = ["--units", "8", "--embedding-dim", "4", "--epochs", "4", "--device", "cpu"]


def test_a_failed_write_names_the_file_and_leaves_nothing_behind(tmp_path):
    def fill_the_disk(tmp):
        Path(tmp).write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(files.WriteError) as caught:
        files.atomic_write(tmp_path / "history.csv", fill_the_disk)
    assert str(caught.value) == f"no space left on device writing {tmp_path / 'history.csv'}"
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 200 KB tmpfs (root), or None where mounting one is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs",
                                            str(mount)], capture_output=True).returncode:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_training_onto_a_full_disk_stops_cleanly_and_resumes(small_disk, tmp_path,
                                                             monkeypatch, capsys):
    corpus = write_tsv(tmp_path / "tiny.tsv", TINY_PAIRS)
    if small_disk is not None:  # a real disk and a real process: a crash would show as -11
        out = small_disk / "run"
        done = subprocess.run([sys.executable, "-m", "seq2seq", "train", "--data", str(corpus),
                               "--out", str(out), *TINY_RUN], capture_output=True, text=True,
                              timeout=180)
        status, error = done.returncode, done.stderr
    else:  # not root: the disk "fills up" after the first epoch's two weights files
        out = tmp_path / "run"
        free = iter([10**9, 10**9])
        monkeypatch.setattr(files.shutil, "disk_usage",
                            lambda path: shutil._ntuple_diskusage(0, 0, next(free, 0)))
        status = main(["train", "--data", str(corpus), "--out", str(out), *TINY_RUN])
        error = capsys.readouterr().err
    assert status == 1, error
    assert error.strip().splitlines() == [
        f"seq2seq train: error: no space left on device writing {out}/resume/latest.weights.h5; "
        f"continue with: seq2seq train --resume --out {out}"]
    assert not [p for p in out.rglob(".*")]  # no temporary file left
    Translator.load(out).translate(["Hello."])  # the last good bundle loads and translates

    if small_disk is not None:
        subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)
    else:
        monkeypatch.undo()
    assert main(["train", "--resume", "--out", str(out)]) == 0  # to its own --epochs 4
    assert not (out / "resume").exists()
    assert len(read_history(out)) == 4
