"""The checkpoint bundle: one directory that holds everything needed to rebuild a translator.

    config.json            the TrainConfig (architecture + how it was trained)
    source_vocab.json      source vocabulary (readable JSON; spm runs also keep *.model files)
    target_vocab.json      target vocabulary
    model.weights.h5       weights of the best epoch on dev (Keras native format)
    history.csv            loss and accuracy per epoch, train and dev, and the learning rate
    resume/                only while a run is unfinished: last epoch's weights + optimizer
    epochs/                with --keep-epochs K: epoch-NNN/ bundles of the last K epochs
    .seq2seq.lock          only while a run is writing the bundle (see ``training_lock``)

An ensemble bundle (``seq2seq ensemble OUT CKPT CKPT ...``) is a directory of such bundles that
decode together (the mean of their log-probabilities), opened as one model by every command:

    ensemble.json          {"members": ["member-1", "member-2"]}: the member bundles, in order
    member-1/, member-2/   one bundle each (same vocabularies; architectures may differ)

Every file is written atomically (``files.atomic_write``). Reading a bundle checks each file and
fails with one ``CheckpointError`` line that names the file and what is wrong with it, never with
a traceback from deep inside h5py or json. ``--overwrite`` removes only the entries listed here.
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import re
import shutil
import socket
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

from .config import TrainConfig
from .files import TEMPORARY_NAME, atomic_write, check_space, weights_bytes
from .vocabulary import CharVocabulary

CONFIG = "config.json"
SOURCE_VOCAB = "source_vocab.json"
TARGET_VOCAB = "target_vocab.json"
WEIGHTS = "model.weights.h5"
HISTORY = "history.csv"
RESUME_DIR = "resume"
ENSEMBLE = "ensemble.json"  # marks an ensemble bundle and lists its members
EPOCHS_DIR = "epochs"  # with --keep-epochs: one small bundle per kept epoch
LOCK = ".seq2seq.lock"
SPM_MODELS = ("source.spm.model", "target.spm.model", "joint.spm.model")  # see subwords.py
BUNDLE_FILES = (CONFIG, SOURCE_VOCAB, TARGET_VOCAB, WEIGHTS, HISTORY, LOCK, *SPM_MODELS)

# The config fields that define the network: a bundle's config.json must record every one
ARCHITECTURE = ("tokens", "embedding_dim", "units", "layers", "bidirectional", "attention",
                "input_feeding")

# Where ``seq2seq translate`` looks when no --checkpoint is given: checkpoints/default in the repo.
DEFAULT_CHECKPOINT = Path(__file__).resolve().parent.parent / "checkpoints" / "default"


class CheckpointError(RuntimeError):
    """A checkpoint directory that is missing, damaged, busy, or in the way of a new run."""


# -- writing ---------------------------------------------------------------------------------


def save_weights(model, directory: str | Path) -> None:
    """Atomically replace the bundle's weights with the model's current weights."""
    check_space(Path(directory) / WEIGHTS, weights_bytes(model, Path(directory) / WEIGHTS))
    atomic_write(Path(directory) / WEIGHTS, lambda tmp: model.save_weights(tmp, overwrite=True))


def write_bundle_header(directory: str | Path, config: TrainConfig, source_vocab, target_vocab):
    """Write config and vocabularies, which never change during a run."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write(directory / CONFIG, config.save)
    atomic_write(directory / SOURCE_VOCAB, source_vocab.save)
    atomic_write(directory / TARGET_VOCAB, target_vocab.save)


def is_bundle_entry(entry: Path) -> bool:
    """Whether ``entry`` is something a run writes: a bundle file, resume/, or a leftover
    temporary file of an interrupted atomic write of one of them."""
    name = entry.name
    if name in (RESUME_DIR, EPOCHS_DIR):
        return entry.is_dir() and not entry.is_symlink()
    if name in BUNDLE_FILES:
        return not entry.is_dir() or entry.is_symlink()
    temporary = TEMPORARY_NAME.match(name)
    return bool(temporary) and entry.is_file() and \
        f"{temporary['stem']}{temporary.group(2) or ''}" in BUNDLE_FILES


def foreign_entries(directory: Path) -> list[str]:
    """Names of what ``directory`` holds besides bundle entries (sorted)."""
    return sorted(p.name for p in directory.iterdir() if not is_bundle_entry(p))


def remove_bundle(directory: str | Path) -> None:
    """Delete the bundle in ``directory`` (for --overwrite), never anything else.

    Refuses, before removing anything, when the directory holds entries that no run writes:
    ``--out`` may point at a folder that only happens to contain a config.json.
    """
    directory = Path(directory)
    foreign = foreign_entries(directory)
    if foreign:
        shown = ", ".join(foreign[:8]) + (f" and {len(foreign) - 8} more" if len(foreign) > 8
                                          else "")
        raise CheckpointError(
            f"--overwrite: {directory} holds files that are not part of a checkpoint ({shown}); "
            "nothing was removed. Move them away or choose another --out"
        )
    for entry in directory.iterdir():
        if entry.name == LOCK:
            continue  # held by this run (see training_lock)
        if entry.name in (RESUME_DIR, EPOCHS_DIR):
            shutil.rmtree(entry)
        else:
            entry.unlink()


@contextmanager
def training_lock(directory: str | Path):
    """Hold ``directory`` for one training run; another run into it is refused while it lasts.

    The lock is the kernel's ``flock`` on ``.seq2seq.lock``, which the kernel releases when its
    holder exits in any way, ``kill -9`` included: a lock file left by a dead run is stale by
    construction and the next run (e.g. ``--resume``) simply takes it. The file's text names the
    holder, for the refusal message. Yields the previous holder's text when the lock was stale.
    """
    path = Path(directory) / LOCK
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 1000).decode("utf-8", "replace").strip() or "unknown process"
            os.close(fd)
            raise CheckpointError(
                f"{directory} is in use by another training run ({holder}); wait for it to "
                "finish or choose another --out"
            ) from None
        try:  # a run that finished between our open() and flock() unlinked the file: retry
            current = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(fd)
    try:
        stale = os.read(fd, 1000).decode("utf-8", "replace").strip()
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, started "
                      f"{time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
        yield stale or None
    finally:
        try:
            path.unlink()  # while still holding the lock, so no one can lock the old file
        finally:
            os.close(fd)


# -- reading ---------------------------------------------------------------------------------


def _read_file(path: Path, load):
    """``load(path)``, with every way the file can be broken turned into one CheckpointError."""
    try:
        return load(path)
    except json.JSONDecodeError as error:
        raise CheckpointError(f"{path}: not valid JSON ({error.msg} at line {error.lineno} "
                              f"column {error.colno}): the file is damaged or cut short") from None
    except OSError as error:
        raise CheckpointError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (ValueError, TypeError, KeyError) as error:  # UnicodeDecodeError is a ValueError
        raise CheckpointError(f"{path}: {error}") from None


def load_config(path: Path) -> TrainConfig:
    """A bundle's config.json: valid settings that name every architecture field."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):  # bundles older than these settings were trained without them
        data.setdefault("input_feeding", False)
        data.setdefault("label_smoothing", 0.0)
        data.setdefault("batch_tokens", None)
    if isinstance(data, dict) and (missing := [f for f in ARCHITECTURE if f not in data]):
        raise ValueError(f"missing field(s) {', '.join(map(repr, missing))}, which every "
                         "checkpoint records")
    return TrainConfig.from_dict(data)


def load_vocabulary(path: str | Path):
    """Load any vocabulary kind saved by ``save`` (dispatches on its ``kind`` field)."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object with 'kind' and 'tokens', "
                         f"got {type(data).__name__}")
    kind = data.get("kind", "char")
    if kind == "char":
        return CharVocabulary.from_json(data)
    if kind == "spm":  # imported here: a LiteRT-only install has no sentencepiece
        from .subwords import SubwordVocabulary

        return SubwordVocabulary.from_json(data, base_dir=path.parent)
    raise ValueError(f"unknown vocabulary kind {kind!r} (expected 'char' or 'spm')")


def _load_members(path: Path) -> list[str]:
    """The member names an ensemble.json lists: plain directory names, at least two."""
    data = json.loads(path.read_text(encoding="utf-8"))
    members = data.get("members") if isinstance(data, dict) else None
    if not isinstance(members, list) or len(members) < 2 or \
            not all(isinstance(m, str) and m and Path(m).name == m and m not in (".", "..")
                    for m in members):
        raise ValueError('expected {"members": [NAME, NAME, ...]}: the names of at least two '
                         "member directories beside it")
    return members


def ensemble_members(directory: str | Path) -> list[Path] | None:
    """The member bundles of an ensemble bundle, or None when ``directory`` is not one."""
    directory = Path(directory)
    if not (directory / ENSEMBLE).is_file():
        return None
    members = [directory / name for name in _read_file(directory / ENSEMBLE, _load_members)]
    for member in members:
        if not member.is_dir():
            raise CheckpointError(f"{directory / ENSEMBLE} lists {member.name}, but "
                                  f"{member} is not a directory")
        if (member / ENSEMBLE).exists():
            raise CheckpointError(f"{member}: an ensemble inside an ensemble is not supported; "
                                  "list its members instead")
    return members


def read_bundle(directory: str | Path, need_weights: bool = True):
    """Return (config, source_vocab, target_vocab) of a bundle, checking that it is complete."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CheckpointError(f"checkpoint directory not found: {directory}")
    members = ensemble_members(directory)
    if members is not None:  # Translator.load opens these; nothing else can
        raise CheckpointError(f"{directory} is an ensemble of {len(members)} models "
                              f"({ENSEMBLE}); use one of its members here, e.g. {members[0]}")
    missing = [n for n in (CONFIG, SOURCE_VOCAB, TARGET_VOCAB) if not (directory / n).exists()]
    if need_weights and not (directory / WEIGHTS).exists():
        missing.append(WEIGHTS)
    if missing:
        hint = ""
        if missing == [WEIGHTS]:
            hint = " (training stopped before its first epoch ended?)"
        raise CheckpointError(f"{directory} is not a complete checkpoint: missing {missing}{hint}")
    config = _read_file(directory / CONFIG, load_config)
    source_vocab = _read_file(directory / SOURCE_VOCAB, load_vocabulary)
    target_vocab = _read_file(directory / TARGET_VOCAB, load_vocabulary)
    if need_weights:
        check_weight_shapes(directory, config, source_vocab.size, target_vocab.size)
    return config, source_vocab, target_vocab


def weight_shapes(path: Path) -> dict[str, tuple[int, ...]]:
    """Every array's shape in a Keras ``.weights.h5`` file, by its path; no data is read."""
    import h5py

    shapes = {}
    with h5py.File(path, "r") as handle:
        handle.visititems(lambda name, item: shapes.__setitem__(name, item.shape)
                          if isinstance(item, h5py.Dataset) else None)
    return shapes


def architecture_in(shapes: dict[str, tuple[int, ...]]) -> dict[str, object] | None:
    """The architecture fields and vocabulary sizes that a weights file's shapes imply, or None
    for a layout this version does not know (its load then fails or succeeds on its own).

    Keras names the groups by layer class: ``layers/embedding{,_1}/vars/0`` (rows, embedding),
    ``layers/lstm*/cell/vars/1`` (units, 4 units) for each unidirectional LSTM (the decoder's,
    and the encoder's without --bidirectional), ``layers/bidirectional*/...`` for encoder
    layers, ``layers/bahdanau_attention/...`` with --attention; with --input-feeding the
    decoder's cells, attention and combining layer sit in ``layers/input_feeding_decoder/``.
    """
    groups = {name.split("/")[1] for name in shapes if name.startswith("layers/")}
    lstms = [f"{g}/cell" for g in groups if re.fullmatch(r"lstm(_\d+)?", g)]
    feeding = "input_feeding_decoder" in groups
    lstms += sorted({"/".join(name.split("/")[1:4]) for name in shapes
                     if name.startswith("layers/input_feeding_decoder/cells/")})
    encoders = [g for g in groups if re.fullmatch(r"bidirectional(_\d+)?", g)]
    embeddings = [shapes.get(f"layers/{g}/vars/0") for g in groups
                  if re.fullmatch(r"embedding(_\d+)?", g)]
    units = {shapes.get(f"layers/{g}/vars/1", (None,))[0] for g in lstms}
    if len(embeddings) != 2 or None in embeddings or len(units) != 1 or None in units:
        return None
    return {"bidirectional": bool(encoders), "input_feeding": feeding,
            "attention": feeding or any("attention" in g for g in groups),
            "layers": (len(lstms) + len(encoders)) // 2, "units": units.pop(),
            "embedding_dim": embeddings[0][1],
            "vocabulary sizes": sorted(rows for rows, _ in embeddings)}


def check_weight_shapes(directory: Path, config: TrainConfig, source_size: int,
                        target_size: int) -> None:
    """Refuse a config.json (or vocabulary) that its weights cannot fit, before a model is built:
    a damaged or hostile ``"units": 200000000`` would otherwise allocate gigabytes first."""
    path = directory / WEIGHTS
    try:
        found = architecture_in(weight_shapes(path))
    except (OSError, ValueError):  # not HDF5, cut short: load_weights names the damage
        return
    if found is None:
        return
    expected = {name: getattr(config, name) for name in found if name != "vocabulary sizes"}
    expected["vocabulary sizes"] = sorted([source_size, target_size])
    for name, value in found.items():
        if expected[name] != value:
            where = (f"{SOURCE_VOCAB} and {TARGET_VOCAB} say" if name == "vocabulary sizes"
                     else f"{CONFIG} says {name}")
            raise CheckpointError(f"{directory}: {where} {expected[name]} but {WEIGHTS} holds "
                                  f"weights for {value}")


# Keras' message when a saved array does not fit its variable, and when variables are missing
_SHAPES = re.compile(r"variable\.shape=(\([^)]*\)), Received: value\.shape=(\([^)]*\))")
_COUNTS = re.compile(r"expected (\d+) variables, but received (\d+)")
_OBJECT = re.compile(r"object <\w+ name=([^,>]+)")
_SYSTEM_ERROR = re.compile(r"error message = '([^']+)'")  # h5py's word for an OS error


def load_weights(model, directory: str | Path) -> None:
    """Load the bundle's weights into ``model``, naming the file when they cannot be loaded."""
    path = Path(directory) / WEIGHTS
    if not path.is_file():
        raise CheckpointError(f"{path}: cannot be read (not a regular file)")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.load_weights(path)
        for warning in caught:  # Keras loads what matches and only warns about the rest
            if "Skipping" in str(warning.message):
                raise CheckpointError(f"{path} does not fit {CONFIG} and the vocabularies of "
                                      f"{directory}: {str(warning.message).split(':')[0]}")
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
    except OSError as error:  # h5py: truncated, not HDF5 at all, unreadable
        text = " ".join(str(error).split())
        if system := _SYSTEM_ERROR.search(text):
            raise CheckpointError(f"{path}: cannot be read ({system[1]})") from None
        reason = text.split("(", 1)[1].rstrip(")") if "(" in text else text
        raise CheckpointError(f"{path}: not a readable weights file ({reason}): the file is "
                              "damaged or cut short") from None
    except ValueError as error:  # Keras: arrays of other shapes or counts than the model's
        message = str(error)
        layer = _OBJECT.search(message)
        where = f"layer {layer[1]}" if layer else "a layer"
        if shapes := _SHAPES.search(message):
            detail = f"{where} needs shape {shapes[1]} but the file holds {shapes[2]}"
        elif counts := _COUNTS.search(message):
            detail = f"{where} needs {counts[1]} arrays but the file holds {counts[2]}"
        else:
            detail = message.strip().splitlines()[0]
        raise CheckpointError(f"{path} does not fit {CONFIG} and the vocabularies of "
                              f"{directory}: {detail}") from None


def read_history(directory: str | Path) -> list[dict[str, float]]:
    """The per-epoch rows of history.csv as dicts of floats (empty when there is none)."""
    path = Path(directory) / HISTORY
    if not path.is_file():
        return []
    with open(path, newline="") as handle:
        return [{k: float(v) for k, v in row.items() if v != ""} for row in csv.DictReader(handle)]
