"""The checkpoint bundle: one directory that holds everything needed to rebuild a translator.

    config.json            the TrainConfig (architecture + how it was trained)
    source_vocab.json      source vocabulary (readable JSON; spm runs also keep *.model files)
    target_vocab.json      target vocabulary
    model.weights.h5       weights of the best epoch on dev (Keras native format)
    history.csv            loss and accuracy per epoch, train and dev
    resume/                only while a run is unfinished: last epoch's weights + optimizer

Every file is written under a temporary name and renamed into place, so an interrupted run
never leaves a half-written file where a reader would pick it up.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from .config import TrainConfig
from .vocabulary import load_vocabulary

CONFIG = "config.json"
SOURCE_VOCAB = "source_vocab.json"
TARGET_VOCAB = "target_vocab.json"
WEIGHTS = "model.weights.h5"
HISTORY = "history.csv"
RESUME_DIR = "resume"

# Where ``seq2seq translate`` looks when no --checkpoint is given: checkpoints/default in the repo.
DEFAULT_CHECKPOINT = Path(__file__).resolve().parent.parent / "checkpoints" / "default"


class CheckpointError(RuntimeError):
    """A checkpoint directory that is missing, incomplete, or in the way of a new run."""


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)`` on a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    suffix = ".weights.h5" if path.name.endswith(".weights.h5") else path.suffix
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def save_weights(model, directory: str | Path) -> None:
    """Atomically replace the bundle's weights with the model's current weights."""
    atomic_write(Path(directory) / WEIGHTS, lambda tmp: model.save_weights(tmp, overwrite=True))


def write_bundle_header(directory: str | Path, config: TrainConfig, source_vocab, target_vocab):
    """Write config and vocabularies, which never change during a run."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write(directory / CONFIG, config.save)
    atomic_write(directory / SOURCE_VOCAB, source_vocab.save)
    atomic_write(directory / TARGET_VOCAB, target_vocab.save)


def read_bundle(directory: str | Path, need_weights: bool = True):
    """Return (config, source_vocab, target_vocab) of a bundle, checking that it is complete."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CheckpointError(f"checkpoint directory not found: {directory}")
    missing = [n for n in (CONFIG, SOURCE_VOCAB, TARGET_VOCAB) if not (directory / n).is_file()]
    if need_weights and not (directory / WEIGHTS).is_file():
        missing.append(WEIGHTS)
    if missing:
        hint = ""
        if missing == [WEIGHTS]:
            hint = " (training stopped before its first epoch ended?)"
        raise CheckpointError(f"{directory} is not a complete checkpoint: missing {missing}{hint}")
    config = TrainConfig.load(directory / CONFIG)
    source_vocab = load_vocabulary(directory / SOURCE_VOCAB)
    return config, source_vocab, load_vocabulary(directory / TARGET_VOCAB)


def read_history(directory: str | Path) -> list[dict[str, float]]:
    """The per-epoch rows of history.csv as dicts of floats (empty when there is none)."""
    path = Path(directory) / HISTORY
    if not path.is_file():
        return []
    with open(path, newline="") as handle:
        return [{k: float(v) for k, v in row.items() if v != ""} for row in csv.DictReader(handle)]
