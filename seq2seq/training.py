"""Training with teacher forcing: corpus -> vocabularies -> batches -> Keras ``fit`` -> bundle.

Keras does the heavy lifting: ``fit`` with its progress bar, ``BackupAndRestore`` for resuming
an interrupted run with its optimizer state, ``EarlyStopping``, ``ReduceLROnPlateau`` and
``CSVLogger``. The only callback written here saves the best epoch on dev atomically.
"""

from __future__ import annotations

import csv
import dataclasses
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import keras
from keras import ops

from . import checkpoint
from .batching import make_dataset
from .config import TrainConfig
from .data import read_corpus, split_pairs
from .device import check_precision, describe
from .distributed import fit_distributed, is_multi_worker, read_cluster, select_strategy
from .files import WriteError, check_space, weights_bytes, write_temporary
from .model import Seq2Seq
from .vocabulary import PAD_ID, CharVocabulary

# tf.data pipelines of unknown length make Keras warn once per fit that the input "ran out".
warnings.filterwarnings("ignore", message="Your input ran out of data")

SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "data" / "sample-en-pt.tsv"


@keras.saving.register_keras_serializable(package="seq2seq")
class MaskedAccuracy(keras.metrics.Metric):
    """Share of real (non-padding) target tokens predicted right under teacher forcing."""

    def __init__(self, name="accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.correct = self.add_variable((), initializer="zeros", name="correct")
        self.total = self.add_variable((), initializer="zeros", name="total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        real = ops.cast(ops.not_equal(y_true, PAD_ID), "float32")  # (B, T)
        hits = ops.cast(ops.equal(ops.cast(y_true, "int32"), ops.argmax(y_pred, -1)), "float32")
        self.correct.assign_add(ops.sum(hits * real))
        self.total.assign_add(ops.sum(real))

    def result(self):
        return ops.divide_no_nan(self.correct, self.total)

    def reset_state(self):
        self.correct.assign(0.0)
        self.total.assign(0.0)


def masked_loss(label_smoothing: float = 0.0):
    """Cross-entropy over real target tokens only (padding, id 0, is ignored), averaged per token.

    With ``label_smoothing`` = e the target distribution is (1 - e) on the reference token plus
    e spread evenly over the vocabulary (Szegedy et al. 2016), so the model is not pushed to
    ever more confident logits on a small corpus.
    """
    if not label_smoothing:
        return keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=PAD_ID)

    def smoothed_cross_entropy(labels, logits):  # labels (B, T), logits (B, T, V)
        log_probs = ops.log_softmax(ops.cast(logits, "float32"), axis=-1)
        labels = ops.cast(labels, "int32")
        nll = -ops.squeeze(ops.take_along_axis(log_probs, labels[..., None], axis=-1), -1)
        uniform = -ops.mean(log_probs, axis=-1)  # cross-entropy with the uniform distribution
        per_token = (1.0 - label_smoothing) * nll + label_smoothing * uniform  # (B, T)
        # zero on padding; Keras then averages over every position of the padded batch, not
        # over real tokens only (the logits carry no mask: measured, see the input-feeding
        # note in bench/README.md), so batches with more padding weigh a little less
        return per_token * ops.cast(ops.not_equal(labels, PAD_ID), "float32")

    return smoothed_cross_entropy


def compile_model(model: keras.Model, config: TrainConfig) -> None:
    optimizer = keras.optimizers.Adam(config.learning_rate, clipnorm=config.clipnorm)
    model.compile(optimizer=optimizer, loss=masked_loss(config.label_smoothing),
                  metrics=[MaskedAccuracy()])
    # Adam's slots now, not inside the first traced step: a step that creates variables is
    # traced twice by tf.function (the second time without them): 1.6 s of a 10 s tiny run
    optimizer.build(model.trainable_variables)


class BestCheckpoint(keras.callbacks.Callback):
    """Save the bundle's weights whenever dev loss improves (atomically, via the bundle)."""

    def __init__(self, directory: Path, best: float = float("inf"), monitor: str = "val_loss"):
        super().__init__()
        self.directory, self.best, self.monitor = directory, best, monitor

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is not None and value < self.best:
            self.best = value
            checkpoint.save_weights(self.model, self.directory)


class AtomicBackup(keras.callbacks.BackupAndRestore):
    """Keras' BackupAndRestore (``resume/``), with each epoch's state written atomically: a disk
    that fills up mid-save leaves the previous epoch's state whole, so ``--resume`` still works.

    Both files are written to temporary names first and renamed only when both are complete.
    """

    def _save_model(self):
        import json
        import os

        Path(self.backup_dir).mkdir(parents=True, exist_ok=True)
        metadata = json.dumps({"epoch": self._current_epoch, "batch": self._last_batch_seen})
        check_space(self._weights_path, weights_bytes(self.model, self._weights_path))
        written = [write_temporary(self._weights_path,
                                   lambda tmp: self.model.save_weights(tmp, overwrite=True))]
        try:
            written.append(write_temporary(self._training_metadata_path,
                                           lambda tmp: Path(tmp).write_text(metadata)))
            os.replace(written[0], self._weights_path)  # renames need no space: both or neither
            os.replace(written[1], self._training_metadata_path)
        finally:
            for tmp in written:
                tmp.unlink(missing_ok=True)


class HistoryLog(keras.callbacks.CSVLogger):
    """Keras' CSVLogger (``history.csv``), failing with a WriteError that names the file.

    Placed after ReduceLROnPlateau, so each row holds the learning rate the epoch trained with. A
    resumed run writes the columns the file already has (a run begun without that column stays
    readable)."""

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        if self.append and Path(self.filename).is_file():
            with open(self.filename, newline="") as handle:
                header = next(csv.reader(handle), None)
            if header:
                self.keys = header[1:]  # after "epoch"

    def on_epoch_end(self, epoch, logs=None):
        try:
            super().on_epoch_end(epoch, logs)
        except OSError as error:
            raise WriteError(self.filename, error) from None


class TimeBudget(keras.callbacks.Callback):
    """Stop training before an epoch that would end after ``minutes`` (``--time-budget``).

    Runs with different recipes are then compared at equal wall time; the mean epoch time so
    far predicts the next one, so the budget is a cap, not a target that is overrun.
    """

    def __init__(self, minutes: float, clock=time.monotonic):
        super().__init__()
        self.seconds, self.clock = minutes * 60.0, clock
        self.started = self.clock()
        self.epochs = 0

    def on_epoch_end(self, epoch, logs=None):
        self.epochs += 1
        elapsed = self.clock() - self.started
        if elapsed + elapsed / self.epochs > self.seconds:
            self.model.stop_training = True


class EpochSnapshots(keras.callbacks.Callback):
    """Keep the weights of the last ``keep`` epochs as bundles OUT/epochs/epoch-NNN, for
    checkpoint averaging (``seq2seq average``); older snapshots are removed."""

    def __init__(self, translator, directory: Path, keep: int):
        super().__init__()
        self.translator, self.directory, self.keep = translator, directory, keep

    def on_epoch_end(self, epoch, logs=None):
        self.directory.mkdir(exist_ok=True)
        target = self.directory / f"epoch-{epoch + 1:03d}"
        if target.exists():  # a resumed run repeats the epoch it was interrupted in
            shutil.rmtree(target)
        self.translator.save(target)
        for old in sorted(self.directory.glob("epoch-*"))[: -self.keep]:
            shutil.rmtree(old)


class AttentionImages(keras.callbacks.Callback):
    """After each epoch, the attention heatmap of one fixed sentence as a TensorBoard image
    (tag ``attention`` in LOG_DIR/attention), to watch the alignment form while training."""

    def __init__(self, log_dir, sentence: str, translator):
        super().__init__()
        self.log_dir, self.sentence = Path(log_dir) / "attention", sentence
        self.translator = translator  # over the network being trained
        self.writer = None

    def on_epoch_end(self, epoch, logs=None):
        import tensorflow as tf

        from .plotting import plot_attention

        a = self.translator.translate_with_attention(self.sentence)
        png = plot_attention(a.weights, a.source_pieces, a.output_pieces,
                             self.log_dir / "latest.png")
        image = tf.io.decode_png(png.read_bytes(), channels=3)[None]  # (1, H, W, 3)
        if self.writer is None:
            self.writer = tf.summary.create_file_writer(str(self.log_dir))
        with self.writer.as_default():
            tf.summary.image("attention", image, step=epoch,
                             description=f"{self.sentence} -> {a.text}")
        self.writer.flush()


@dataclass
class TrainResult:
    checkpoint: str
    history: list[dict[str, float]]
    seconds: float
    train_pairs: int
    dev_pairs: int

    @property
    def best_dev_loss(self) -> float:
        """Lowest dev loss of the run (NaN when no epoch reached validation)."""
        return min((r["val_loss"] for r in self.history if "val_loss" in r), default=float("nan"))

    def translator(self):
        from .translator import Translator

        return Translator.load(self.checkpoint)


def build_vocabularies(config: TrainConfig, train_pairs, out: Path):
    """Source and target vocabularies from the training side only."""
    if config.tokens == "spm":
        from .subwords import train_subword_vocabularies

        return train_subword_vocabularies(train_pairs, config, out)
    return (
        CharVocabulary.build(s for s, _ in train_pairs),
        CharVocabulary.build(t for _, t in train_pairs),
    )


def _initial_vocabularies(config: TrainConfig):
    """The vocabularies of ``--init-from``, after checking that its network is this run's."""
    start, source_vocab, target_vocab = checkpoint.read_bundle(config.init_from)
    for name in checkpoint.ARCHITECTURE:
        if getattr(start, name) != getattr(config, name):
            raise checkpoint.CheckpointError(
                f"--init-from {config.init_from}: its {name} is {getattr(start, name)!r}, this "
                f"run's is {getattr(config, name)!r}; give the same architecture")
    return source_vocab, target_vocab


def _prepare_output(config: TrainConfig, overwrite: bool) -> Path:
    """Check that --out is free (or resumable) before spending time on data and models.

    Runs under the training lock, so no other run can change the directory meanwhile.
    """
    out = Path(config.out)
    has_run = (out / checkpoint.CONFIG).exists()
    if config.resume:
        if not (out / checkpoint.RESUME_DIR).is_dir():
            state = "finished" if (out / checkpoint.WEIGHTS).exists() else "nothing to resume"
            raise checkpoint.CheckpointError(f"--resume: {out} has no interrupted run ({state})")
    elif has_run:
        if not overwrite:
            raise checkpoint.CheckpointError(
                f"{out} already holds a run; pass --resume to continue an interrupted one, "
                "--overwrite to replace it, or choose another --out"
            )
        checkpoint.remove_bundle(out)
    elif foreign := checkpoint.foreign_entries(out):
        raise checkpoint.CheckpointError(
            f"{out} is not empty and holds no checkpoint ({', '.join(foreign[:8])}); "
            "choose a new or empty directory for --out"
        )
    return out


def train(config: TrainConfig | None = None, *, callbacks=(), verbose=None, overwrite=False,
          **overrides) -> TrainResult:
    """Train a translator and write its checkpoint bundle to ``config.out``.

    ``train(data="pairs.tsv", out="checkpoints/x", attention=True, epochs=10)`` or
    ``train(TrainConfig(...))``; ``data`` may be a list of corpus files. Returns the per-epoch
    history and the bundle's path.
    """
    resuming_as_begun = config is None and "epochs" not in overrides
    config = dataclasses.replace(config or TrainConfig(), **overrides)
    if config.resume and resuming_as_begun:  # not the default 10: the run's own --epochs
        config = dataclasses.replace(config, epochs=None)
    config.validate()
    if verbose is None:
        verbose = 1 if sys.stdout.isatty() else 2
    log = print if verbose else (lambda *a, **k: None)
    cluster = read_cluster()
    if cluster and not cluster.is_chief:
        return _train_helper(config, cluster, callbacks, verbose, log)
    out = Path(config.out)
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        with checkpoint.training_lock(out) as stale:
            if stale:
                log(f"note: {out} was locked by a run that is no longer running ({stale})")
            return _train(config, _prepare_output(config, overwrite), callbacks, verbose, log)
    finally:
        if created and not any(out.iterdir()):  # a run that failed before writing anything
            out.rmdir()


def resumed_config(saved: TrainConfig, asked: TrainConfig) -> TrainConfig:
    """The interrupted run's settings, with today's ``epochs`` when one was given: a plain
    ``--resume`` must not end a run begun with ``--epochs 500`` at the default 10."""
    epochs = saved.epochs if asked.epochs is None else asked.epochs
    return dataclasses.replace(saved, epochs=epochs, resume=True)


def _train_helper(config: TrainConfig, cluster, callbacks, verbose, log) -> TrainResult:
    """A worker other than the chief: the same run, its files in a scratch directory that is
    removed afterwards, so that only the chief writes ``--out`` (the same path, or a shared one).
    """
    scratch = Path(tempfile.mkdtemp(prefix=f"seq2seq-worker{cluster.index}-"))
    try:
        if config.resume and (Path(config.out) / checkpoint.CONFIG).exists():
            # the chief's settings and vocabularies, read only; its state is broadcast later
            saved, *vocabularies = checkpoint.read_bundle(config.out, need_weights=False)
            config = resumed_config(saved, config)
        else:  # --out is not shared with the chief: today's flags and the same corpus
            if config.epochs is None:  # the chief's own count is in a --out this worker lacks
                raise ValueError(f"--resume: this worker cannot read {config.out}, so give "
                                 "--epochs, the same count as the chief's")
            config, vocabularies = dataclasses.replace(config, resume=False), None
        if config.tensorboard:
            config = dataclasses.replace(config, tensorboard=str(scratch / "tensorboard"))
        if vocabularies:
            checkpoint.write_bundle_header(scratch, config, *vocabularies)
        result = _train(config, scratch, callbacks, verbose, log, chief=False)
        return dataclasses.replace(result, checkpoint=config.out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _train(config: TrainConfig, out: Path, callbacks, verbose, log, chief=True) -> TrainResult:
    """The run itself, with ``out`` locked and ready (a scratch directory on a helper worker)."""
    strategy = select_strategy(config.device)
    keras.utils.set_random_seed(config.seed)

    if config.resume:  # the interrupted run's own settings and vocabularies, not today's flags
        saved, source_vocab, target_vocab = checkpoint.read_bundle(out, need_weights=False)
        config = resumed_config(saved, config)
        done = len(checkpoint.read_history(out))
        if done >= config.epochs:
            log(f"note: {done} epochs were already done, of --epochs {config.epochs}: "
                "nothing left to train")
    check_precision(config.precision)
    pairs = []
    for path in config.data_files() or [str(SAMPLE_CORPUS)]:  # each file read and reported
        corpus = read_corpus(path, config.max_length, config.strict)
        log(corpus.summary())
        pairs += corpus.pairs
    if config.dev:
        dev_corpus = read_corpus(config.dev, config.max_length, config.strict)
        log(dev_corpus.summary())
        train_pairs, dev_pairs = pairs, dev_corpus.pairs
    else:
        train_pairs, dev_pairs = split_pairs(pairs, config.dev_fraction, config.seed)
        log(f"random split (seed {config.seed}): {len(train_pairs)} train, {len(dev_pairs)} dev")
    if not dev_pairs:
        raise ValueError("no dev pairs: give --dev or use a corpus with more than one sentence")

    if not config.resume:  # --init-from: the start's vocabularies, whose ids its weights learnt
        source_vocab, target_vocab = (_initial_vocabularies(config) if config.init_from
                                      else build_vocabularies(config, train_pairs, out))
        checkpoint.write_bundle_header(out, config, source_vocab, target_vocab)
    log(f"vocabulary: {source_vocab.size} source / {target_vocab.size} target {config.tokens} "
        f"tokens; device: {describe(strategy)}; precision: {config.precision}")

    with strategy.scope():
        network = Seq2Seq(config, source_vocab.size, target_vocab.size, config.precision)
        if config.init_from and not config.resume:  # resume/ holds newer weights than the start
            # before compile: a bundle holds no optimizer state for the new Adam to expect
            checkpoint.load_weights(network.training_model, config.init_from)
            log(f"weights: from {config.init_from}")
        compile_model(network.training_model, config)
    train_data = make_dataset(train_pairs, source_vocab, target_vocab, config.batch_size,
                              shuffle=True, seed=config.seed, batch_tokens=config.batch_tokens)
    dev_data = make_dataset(dev_pairs, source_vocab, target_vocab, config.batch_size,
                            shuffle=False, batch_tokens=config.batch_tokens)
    log(f"batches: at most {config.batch_size} pairs" + (
        f" and {config.batch_tokens} padded characters" if config.batch_tokens else ""))

    history = checkpoint.read_history(out) if config.resume else []
    best = min((r["val_loss"] for r in history if "val_loss" in r), default=float("inf"))
    all_callbacks = [
        AtomicBackup(str(out / checkpoint.RESUME_DIR)),
        BestCheckpoint(out, best=best),
        keras.callbacks.EarlyStopping(patience=config.patience),
        keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=config.lr_patience, verbose=0),
        HistoryLog(str(out / checkpoint.HISTORY), append=config.resume),  # rows get the rate
        keras.callbacks.TerminateOnNaN(),
        *callbacks,
    ]
    if config.time_budget:
        all_callbacks.append(TimeBudget(config.time_budget))
    if config.keep_epochs or config.tensorboard:
        from .translator import Translator

        # a Translator over the network being trained: it sees every update
        current = Translator(config, source_vocab, target_vocab, network)
    if config.keep_epochs:
        all_callbacks.append(EpochSnapshots(current, out / checkpoint.EPOCHS_DIR,
                                            config.keep_epochs))
    if config.tensorboard:  # scalars per epoch (learning_rate is in the logs), no graph
        all_callbacks.append(keras.callbacks.TensorBoard(config.tensorboard, write_graph=False))
        if network.attention is not None:
            all_callbacks.append(AttentionImages(config.tensorboard, dev_pairs[0][0], current))
    started = time.perf_counter()
    if is_multi_worker(strategy):  # Keras' fit fails under it: the same steps, our epoch loop
        fit_distributed(network.training_model, train_data, dev_data, config.epochs,
                        all_callbacks, strategy, verbose)
    else:
        network.training_model.fit(train_data, validation_data=dev_data, epochs=config.epochs,
                                   callbacks=all_callbacks, verbose=verbose, shuffle=False)
    seconds = time.perf_counter() - started
    if not (out / checkpoint.WEIGHTS).exists():  # e.g. dev loss was NaN from the start
        checkpoint.save_weights(network.training_model, out)
    result = TrainResult(str(out), checkpoint.read_history(out), seconds, len(train_pairs),
                         len(dev_pairs))
    where = f"saved {out}" if chief else "trained (the chief worker saved the bundle)"
    log(f"{where} in {seconds:.1f}s; best dev loss {result.best_dev_loss:.4f}")
    return result

