"""Training: overfitting a tiny corpus, exact reloads, resuming, per-batch padding, the CLI."""

import contextlib
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from seq2seq import TrainConfig, Translator, train
from seq2seq.batching import make_dataset
from seq2seq.checkpoint import CheckpointError, read_history, save_weights, write_bundle_header
from seq2seq.cli import main
from seq2seq.model import Seq2Seq
from seq2seq.vocabulary import CharVocabulary

from .conftest import TINY_PAIRS, write_tsv
from .tiny_translator import OVERFIT_EPOCHS, TINY, TINY_GROUP, tiny_checkpoint, tiny_run


def teacher_forced_accuracy(translator, pairs):
    """Share of real target characters (and end markers) predicted right under teacher forcing."""
    logits = translator.teacher_forced_logits(pairs)  # (B, T, V)
    hits = total = 0
    for row, (_, target) in zip(logits, pairs, strict=True):
        labels = [*translator.target_vocab.encode(target), 3]
        predicted = row[: len(labels)].argmax(-1)
        hits += int((predicted == np.array(labels)).sum())
        total += len(labels)
    return hits / total


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_tsv(tmp_path_factory.mktemp("corpus") / "tiny.tsv", TINY_PAIRS)


@pytest.mark.parametrize(
    "attention, precision",
    # the float32 models that the decoding, REPL, ... tests share: trained once, on their worker
    [pytest.param(False, "float32", id="plain", marks=pytest.mark.xdist_group(TINY_GROUP)),
     pytest.param(True, "float32", id="attention", marks=pytest.mark.xdist_group(TINY_GROUP)),
     pytest.param(True, "mixed_bfloat16", id="attention-bf16")],
)
def test_overfits_twenty_pairs(tmp_path_factory, attention, precision):
    result = tiny_run(tmp_path_factory, attention=attention, precision=precision)
    assert len(result.history) == OVERFIT_EPOCHS
    assert result.history[-1]["loss"] < result.history[0]["loss"]
    accuracy = teacher_forced_accuracy(result.translator(), TINY_PAIRS)
    assert accuracy >= 0.95, f"teacher-forced accuracy {accuracy:.3f}"


@pytest.mark.parametrize(
    "arch", [dict(attention=True), dict(attention=True, layers=2), dict(bidirectional=False),
             dict(attention=True, input_feeding=True, layers=2)]
)
def test_save_then_load_gives_identical_logits(tmp_path, arch):
    config = TrainConfig(units=16, embedding_dim=8, **arch)
    source = CharVocabulary.build(en for en, _ in TINY_PAIRS)
    target = CharVocabulary.build(pt for _, pt in TINY_PAIRS)
    network = Seq2Seq(config, source.size, target.size)
    for variable in network.training_model.weights:  # non-trivial weights, not the initial ones
        variable.assign(np.random.default_rng(0).normal(0, 0.3, variable.shape))
    write_bundle_header(tmp_path, config, source, target)
    save_weights(network.training_model, tmp_path)

    loaded = Translator.load(tmp_path)
    in_memory = Translator(config, source, target, network)
    pairs = TINY_PAIRS[:5] + [("Zebra €!", "Zebra €!")]  # includes unknown characters
    np.testing.assert_array_equal(loaded.teacher_forced_logits(pairs),
                                  in_memory.teacher_forced_logits(pairs))

    exported = Translator.load(loaded.save(tmp_path / "exported"))  # the shipping copy
    np.testing.assert_array_equal(exported.teacher_forced_logits(pairs),
                                  in_memory.teacher_forced_logits(pairs))
    with pytest.raises(CheckpointError, match="already exists"):
        loaded.save(tmp_path / "exported")


def test_mixed_bfloat16_computes_in_bf16_with_float32_weights_and_loads_in_float32(tmp_path):
    config = TrainConfig(units=16, embedding_dim=8, attention=True, bidirectional=True,
                         precision="mixed_bfloat16")
    source, target = _vocabs()
    network = Seq2Seq(config, source.size, target.size, config.precision)
    assert network.decoder_lstms[0].compute_dtype == "bfloat16"
    assert network.attention.query_dense.compute_dtype == "bfloat16"
    assert network.output_projection.compute_dtype == "float32"  # logits and loss in float32
    assert {v.dtype for v in network.training_model.weights} == {"float32"}
    for variable in network.training_model.weights:
        variable.assign(np.random.default_rng(0).normal(0, 0.3, variable.shape))
    write_bundle_header(tmp_path, config, source, target)
    save_weights(network.training_model, tmp_path)

    loaded = Translator.load(tmp_path)  # a bundle translates in float32, whatever it trained in
    assert loaded.network.decoder_lstms[0].compute_dtype == "float32"
    pairs = TINY_PAIRS[:5]
    bf16 = Translator(config, source, target, network).teacher_forced_logits(pairs)
    fp32 = loaded.teacher_forced_logits(pairs)
    assert bf16.dtype == fp32.dtype == np.float32
    # bfloat16 keeps 8 significant bits: close to the float32 logits, but not equal to them
    assert 0 < np.abs(bf16 - fp32).max() < 0.1 * np.abs(fp32).max()


def test_precision_is_checked(monkeypatch):
    with pytest.raises(ValueError, match="--precision must be one of"):
        TrainConfig(precision="float16").validate()
    from seq2seq import device

    fake_gpu = [tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")]
    monkeypatch.setattr(tf.config, "get_visible_devices", lambda kind=None: fake_gpu)
    with pytest.raises(device.DeviceError, match="no bfloat16 kernel"):
        device.check_precision("mixed_bfloat16")
    device.check_precision("float32")  # float32 runs anywhere


@pytest.mark.xdist_group(TINY_GROUP)
def test_export_drops_optimizer_state(tmp_path_factory, tmp_path):
    trained = tiny_checkpoint(tmp_path_factory)  # a finished run's bundle, Adam's state in it
    assert main(["export", str(trained), str(tmp_path / "shipped")]) == 0
    shipped = tmp_path / "shipped" / "model.weights.h5"
    assert shipped.stat().st_size < 0.6 * (trained / "model.weights.h5").stat().st_size
    assert (tmp_path / "shipped" / "history.csv").is_file()
    np.testing.assert_array_equal(Translator.load(tmp_path / "shipped").teacher_forced_logits(
        TINY_PAIRS[:3]), Translator.load(trained).teacher_forced_logits(TINY_PAIRS[:3]))


@pytest.mark.xdist_group(TINY_GROUP)
def test_init_from_starts_at_a_bundles_weights_and_vocabularies(tmp_path_factory, tmp_path):
    start = tiny_checkpoint(tmp_path_factory)
    # characters the start never saw: a vocabulary built from this corpus would differ
    corpus = str(write_tsv(tmp_path / "new.tsv", [*TINY_PAIRS, ("Zebra ж!", "Zebra ж!")]))
    settings = dict(data=corpus, dev=corpus, attention=True, epochs=1, init_from=start,
                    **{**TINY, "learning_rate": 1e-9})  # one step too small to move a weight
    with pytest.raises(CheckpointError, match="its units is 64, this run's is 32"):
        train(out=str(tmp_path / "other"), **{**settings, "units": 32})
    result = train(out=str(tmp_path / "run"), **settings)
    for name in ("source_vocab.json", "target_vocab.json"):
        assert (tmp_path / "run" / name).read_text() == (start / name).read_text()
    np.testing.assert_allclose(result.translator().teacher_forced_logits(TINY_PAIRS[:3]),
                               Translator.load(start).teacher_forced_logits(TINY_PAIRS[:3]),
                               atol=1e-4)


class InterruptAfter(keras.callbacks.Callback):
    """Simulates Ctrl-C at the end of an epoch (after the backup callback has run)."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == self.epoch:
            self.iterations = int(self.model.optimizer.iterations.numpy())
            raise KeyboardInterrupt


class RecordStart(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.iterations = int(self.model.optimizer.iterations.numpy())


def test_resume_continues_at_the_right_epoch_with_optimizer_state(corpus, tmp_path):
    out = str(tmp_path / "run")
    settings = dict(data=str(corpus), dev=str(corpus), out=out, **TINY)  # no attention: quicker
    interrupt = InterruptAfter(2)
    with pytest.raises(KeyboardInterrupt):
        train(epochs=4, callbacks=[interrupt], **settings)
    assert len(read_history(out)) == 2
    with pytest.raises(CheckpointError, match="--resume"):
        train(epochs=4, **settings)  # refuses to silently overwrite an interrupted run

    # a run begun before history.csv had a learning_rate column resumes under its old header
    history = Path(out) / "history.csv"
    rows = read_history(out)
    rate = np.float32(TINY["learning_rate"])
    assert [np.float32(row["learning_rate"]) for row in rows] == [rate, rate]
    columns = [c for c in rows[0] if c != "learning_rate"]
    with history.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)

    start = RecordStart()
    result = train(resume=True, callbacks=[start], **settings)  # to its own epochs=4
    assert [row["epoch"] for row in result.history] == [0, 1, 2, 3]
    assert history.read_text().splitlines()[0] == ",".join(columns)
    assert start.iterations == interrupt.iterations > 0  # optimizer state came back too
    assert not (tmp_path / "run" / "resume").exists()  # cleaned up after a finished run
    with pytest.raises(CheckpointError, match="no interrupted run"):
        train(epochs=5, resume=True, **settings)


def _vocabs():
    return (CharVocabulary.build(en for en, _ in TINY_PAIRS),
            CharVocabulary.build(pt for _, pt in TINY_PAIRS))


def test_a_worker_without_the_chiefs_out_needs_epochs_to_resume(tmp_path):
    """A plain --resume takes the interrupted run's --epochs from --out; a helper worker that
    cannot read the chief's --out is told to give the count instead of training to None."""
    from types import SimpleNamespace

    from seq2seq.training import _train_helper

    config = TrainConfig(out=str(tmp_path / "chiefs-run"), resume=True, epochs=None)
    with pytest.raises(ValueError, match="give --epochs"):
        _train_helper(config, SimpleNamespace(index=1), (), 0, print)


def test_batches_are_padded_per_batch_not_to_the_corpus_maximum():
    pairs = TINY_PAIRS + [("a" * 90, "b" * 90)]
    dataset = make_dataset(pairs, *_vocabs(), 4, False)
    # without tf.data's autotuning thread, deleting an epoch's iterator never waits for it
    assert dataset.options().autotune.enabled is False
    widths = [source.shape[1] for (source, _), _ in dataset]
    assert max(widths) == 90
    assert min(widths) < 20, widths
    for (_, decoder_in), labels in make_dataset(TINY_PAIRS, *_vocabs(), 4, False):
        assert decoder_in.shape == labels.shape
        assert (decoder_in.numpy()[:, 0] == 2).all()  # every decoder input starts with <s>
        shifted, real = decoder_in.numpy()[:, 1:], decoder_in.numpy()[:, 1:] != 0
        assert (shifted == labels.numpy()[:, :-1])[real].all()  # labels = inputs shifted by one
        assert ((labels.numpy() == 3).sum(axis=1) == 1).all()  # one end marker per row


def test_batch_tokens_fit_many_short_or_few_long_pairs_in_one_budget():
    short = [(f"ab{i}", f"cd{i}") for i in range(60)]  # 3-4 characters a side
    long = [("x" * 100 + str(i), "y" * 100 + str(i)) for i in range(10)]  # 101 a side
    for most in (1000, 4):  # --batch-size: the most pairs per batch
        batches = list(make_dataset(short + long, *_vocabs(), most, False, batch_tokens=420))
        sizes = {}
        for (source, decoder_in), _ in batches:
            padded = source.shape[0] * (source.shape[1] + decoder_in.shape[1])  # (B, S) + (B, T)
            assert padded <= 420, (source.shape, decoder_in.shape)
            sizes.setdefault(source.shape[1] > 50, []).append(source.shape[0])
        assert max(sizes[True]) == 2  # 2 x (101 + 102) padded characters fit 420, 3 would not
        if most == 4:
            assert max(sizes[False]) == 4  # the budget would allow more: --batch-size caps them
        else:
            assert max(sizes[False]) > 4 * 5  # short pairs: many per batch
        assert sum(b[0][0].shape[0] for b in batches) == 70  # every pair once
    unlimited = list(make_dataset(short + long, *_vocabs(), 4, False, batch_tokens=None))
    assert max(b[0][0].shape[0] for b in unlimited if b[0][0].shape[1] > 50) == 4
    with pytest.raises(ValueError, match="--batch-tokens"):
        TrainConfig(batch_tokens=1).validate()


@pytest.fixture(scope="module")
def cli_runs(corpus, tmp_path_factory):
    """`seq2seq train` into a new --out, again (refused), again with --overwrite (the same
    seed), and with --overwrite and another seed. Returns the out directory, (exit status,
    stdout, stderr) of each call, and the weights and the weights file's (inode, mtime) after
    each call."""
    out = tmp_path_factory.mktemp("cli") / "run"
    # every source of randomness on: the seeded dev split, dropout, token dropout, shuffling
    args = ["train", "--data", str(corpus), "--out", str(out), "--epochs", "2", "--units", "8",
            "--embedding-dim", "4", "--token-dropout", "0.1", "--device", "cpu"]
    calls, weights, files = [], [], []
    for argv in (args, args, [*args, "--overwrite"], [*args, "--overwrite", "--seed", "7"]):
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            calls.append((main(argv), stdout.getvalue(), stderr.getvalue()))
        weights.append(Translator.load(out).network.training_model.get_weights())
        stat = (out / "model.weights.h5").stat()
        files.append((stat.st_ino, stat.st_mtime_ns))
    return out, calls, weights, files


CLI_RUNS = pytest.mark.xdist_group("cli_runs")  # one worker runs the four calls, once


@CLI_RUNS
def test_cli_trains_and_refuses_to_overwrite(cli_runs):
    out, (first, refused, overwrite, _), _, files = cli_runs
    assert first[0] == 0, first[2]
    assert "dev loss" in first[1] and (out / "model.weights.h5").is_file()
    assert refused[0] == 2 and "already holds a run" in refused[2]
    assert files[1] == files[0]  # the refused run wrote nothing
    assert overwrite[0] == 0 and "dev loss" in overwrite[1]


@CLI_RUNS
def test_same_seed_trains_identical_weights(cli_runs):
    """Dropout, token dropout, the dev split and shuffling all draw on the seed: the run that
    --overwrite replaced and the run that replaced it have identical weights, in a weights file
    written anew; another seed gives other weights."""
    _, _, (first, _, again, other_seed), files = cli_runs
    assert files[2] != files[1]  # --overwrite retrained: a new file, not the old one left alone
    assert len(again) == len(first) > 10
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other_seed, strict=True))


def test_cli_reports_bad_corpus_and_missing_gpu(tmp_path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab\n")
    assert main(["train", "--data", str(bad), "--out", str(tmp_path / "x")]) == 2
    error = capsys.readouterr().err
    assert "no usable pairs" in error and "line 1" in error
    if not tf.config.list_physical_devices("GPU"):
        code = main(["train", "--data", str(bad), "--out", str(tmp_path / "y"), "--device", "gpu"])
        assert code == 2 and "sees no GPU" in capsys.readouterr().err


def _stop_after_epochs(argv, out, epochs: int, signum) -> subprocess.CompletedProcess:
    """Run ``seq2seq`` in a process group of its own and, once ``epochs`` rows of history are
    written, send ``signum``: SIGTERM to the process (as `kill` and `timeout` do), SIGINT to
    the whole group (as a terminal's Ctrl-C does, its stderr filter included)."""
    process = subprocess.Popen([sys.executable, "-m", "seq2seq", *argv], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(read_history(out)) < epochs and process.poll() is None:
        assert time.monotonic() < deadline, "no epoch ended within 120 s"
        time.sleep(0.1)
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)


def test_sigterm_and_ctrl_c_stop_training_cleanly_and_say_how_to_resume(corpus, tmp_path):
    """A real SIGTERM (what `timeout`, schedulers and containers send) to a real training
    process, then a real SIGINT (Ctrl-C) to the `--resume` run that continues it."""
    out = tmp_path / "run"
    argv = ["train", "--data", str(corpus), "--out", str(out), "--epochs", "1000", "--units",
            "8", "--embedding-dim", "4", "--device", "cpu"]
    resume = f"seq2seq train --resume --out {out}"
    terminated = _stop_after_epochs(argv, out, 1, signal.SIGTERM)
    assert terminated.returncode == 143, terminated.stderr
    assert terminated.stderr.rstrip().endswith(f"terminated; continue with: {resume}")
    assert "Traceback" not in terminated.stderr and (out / "resume").is_dir()
    done = len(read_history(out))
    interrupted = _stop_after_epochs(["train", "--resume", "--out", str(out), "--epochs", "1000"],
                                     out, done + 1, signal.SIGINT)
    assert interrupted.returncode == 130, interrupted.stderr
    assert interrupted.stderr.rstrip().endswith(f"interrupted; continue with: {resume}")
    epochs = [int(row["epoch"]) for row in read_history(out)]
    assert epochs[: done + 1] == list(range(done + 1))  # the resumed run went on from `done`


# a dev set the tiny corpus teaches nothing about: its loss soon rises as training overfits
UNRELATED_DEV = [("The cat sleeps.", "O gato dorme."), ("We sold the car.", "Vendemos o carro."),
                 ("Nobody came back.", "Ninguém voltou."), ("Is it far?", "É longe?")]


def test_early_stopping_halving_and_best_weights_in_a_real_run(corpus, tmp_path):
    """Inside one real (tiny) run: the learning rate halves on dev-loss plateaus, training stops
    `patience` epochs after the best dev loss, and the bundle holds that best epoch's weights."""
    dev = write_tsv(tmp_path / "dev.tsv", UNRELATED_DEV)
    result = train(data=str(corpus), dev=str(dev), out=str(tmp_path / "run"), epochs=60,
                   keep_epochs=60,
                   **{**TINY, "units": 16, "embedding_dim": 8, "patience": 3, "lr_patience": 1})
    losses = [row["val_loss"] for row in result.history]
    rates = [row["learning_rate"] for row in result.history]  # each epoch's, from history.csv
    best = int(np.argmin(losses))
    assert len(losses) == best + 1 + 3 < 60  # stopped 3 epochs after the best
    assert len(rates) == len(losses) and min(rates) < rates[0] == np.float32(TINY["learning_rate"])
    assert rates[best + 2] == rates[best + 1] / 2  # halved after one epoch without progress
    assert all(b in (a, a / 2) for a, b in zip(rates, rates[1:], strict=False))  # only halved
    kept = Translator.load(tmp_path / "run" / "epochs" / f"epoch-{best + 1:03d}")
    for a, b in zip(result.translator().network.training_model.get_weights(),
                    kept.network.training_model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_time_budget_stops_a_real_run_before_an_epoch_that_would_overrun(corpus, tmp_path):
    result = train(data=str(corpus), dev=str(corpus), out=str(tmp_path / "run"), epochs=50,
                   time_budget=0.001, **{**TINY, "units": 8, "embedding_dim": 4})  # 60 ms
    assert len(result.history) == 1  # the first epoch alone took longer than the budget
    assert (tmp_path / "run" / "model.weights.h5").is_file()


def test_cli_drives_strict_subwords_label_smoothing_and_bf16(corpus, tmp_path, capsys):
    """The options other tests set through Python, given as flags: they reach the run."""
    bad = write_tsv(tmp_path / "bad.tsv", [*TINY_PAIRS, ("no Portuguese side", "")])
    assert main(["train", "--data", str(bad), "--strict", "--out", str(tmp_path / "x")]) == 2
    assert "--strict" in capsys.readouterr().err and not (tmp_path / "x").exists()
    out = tmp_path / "run"
    assert main(["train", "--data", str(corpus), "--out", str(out), "--epochs", "1", "--units",
                 "8", "--embedding-dim", "4", "--tokens", "spm", "--vocab-size", "60",
                 "--label-smoothing", "0.2", "--precision", "mixed_bfloat16", "--strict",
                 "--device", "cpu"]) == 0
    config = json.loads((out / "config.json").read_text())
    assert (config["tokens"], config["vocab_size"], config["label_smoothing"],
            config["precision"], config["strict"]) == ("spm", 60, 0.2, "mixed_bfloat16", True)
    assert json.loads((out / "target_vocab.json").read_text())["kind"] == "spm"
    capsys.readouterr()
    assert main(["translate", "--checkpoint", str(out), "Hello."]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
