"""Training: overfitting a tiny corpus, exact reloads, resuming, per-batch padding, the CLI."""

import subprocess
import sys

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
from .tiny_translator import OVERFIT_EPOCHS, TINY, TINY_GROUP, tiny_run


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
    [pytest.param(False, "float32", id="plain"),
     # the overfit model that the decoding, REPL, ... tests share: trained once, on their worker
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
    "arch", [dict(attention=True), dict(attention=True, layers=2), dict(bidirectional=False)]
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


def test_export_drops_optimizer_state(corpus, tmp_path):
    result = train(data=corpus, dev=corpus, out=tmp_path / "run", epochs=1, **TINY)
    done = run_cli("export", result.checkpoint, str(tmp_path / "shipped"))
    assert done.returncode == 0, done.stderr
    trained, shipped = (tmp_path / d / "model.weights.h5" for d in ("run", "shipped"))
    assert shipped.stat().st_size < 0.6 * trained.stat().st_size  # Adam's two moments are gone
    assert (tmp_path / "shipped" / "history.csv").is_file()


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
    settings = dict(data=str(corpus), dev=str(corpus), out=out, attention=True, **TINY)
    interrupt = InterruptAfter(2)
    with pytest.raises(KeyboardInterrupt):
        train(epochs=4, callbacks=[interrupt], **settings)
    assert len(read_history(out)) == 2
    with pytest.raises(CheckpointError, match="--resume"):
        train(epochs=4, **settings)  # refuses to silently overwrite an interrupted run

    start = RecordStart()
    result = train(epochs=4, resume=True, callbacks=[start], **settings)
    assert [row["epoch"] for row in result.history] == [0, 1, 2, 3]
    assert start.iterations == interrupt.iterations > 0  # optimizer state came back too
    assert not (tmp_path / "run" / "resume").exists()  # cleaned up after a finished run
    with pytest.raises(CheckpointError, match="no interrupted run"):
        train(epochs=5, resume=True, **settings)


def _vocabs():
    return (CharVocabulary.build(en for en, _ in TINY_PAIRS),
            CharVocabulary.build(pt for _, pt in TINY_PAIRS))


def test_batches_are_padded_per_batch_not_to_the_corpus_maximum():
    pairs = TINY_PAIRS + [("a" * 90, "b" * 90)]
    widths = [source.shape[1] for (source, _), _ in make_dataset(pairs, *_vocabs(), 4, False)]
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


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "seq2seq", *args], capture_output=True,
                          text=True, timeout=300)


def test_cli_trains_and_refuses_to_overwrite(corpus, tmp_path, capsys):
    out = tmp_path / "cli"
    args = ["train", "--data", str(corpus), "--out", str(out), "--epochs", "1", "--units", "8",
            "--embedding-dim", "4", "--device", "cpu"]  # no attention: quicker to trace
    done = run_cli(*args)  # the real entry point once; the reruns in-process skip TF's import
    assert done.returncode == 0, done.stderr
    assert "dev loss" in done.stdout and (out / "model.weights.h5").is_file()
    assert main(args) == 2 and "already holds a run" in capsys.readouterr().err
    assert main([*args, "--overwrite"]) == 0 and "dev loss" in capsys.readouterr().out


def test_cli_reports_bad_corpus_and_missing_gpu(tmp_path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab\n")
    assert main(["train", "--data", str(bad), "--out", str(tmp_path / "x")]) == 2
    error = capsys.readouterr().err
    assert "no usable pairs" in error and "line 1" in error
    if not tf.config.list_physical_devices("GPU"):
        code = main(["train", "--data", str(bad), "--out", str(tmp_path / "y"), "--device", "gpu"])
        assert code == 2 and "sees no GPU" in capsys.readouterr().err
