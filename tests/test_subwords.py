"""SentencePiece vocabularies (--tokens spm): interface, bundle round trips, size errors."""

from __future__ import annotations

import json
import re
import shutil
from types import SimpleNamespace

import numpy as np
import pytest

from seq2seq import checkpoint
from seq2seq.subwords import SubwordVocabulary, train_subword_vocabularies
from seq2seq.training import train
from seq2seq.translator import Translator
from seq2seq.vocabulary import END_ID, PAD_ID, START_ID, UNK_ID, CharVocabulary
from tests.conftest import TINY_PAIRS as PAIRS
from tests.conftest import write_tsv
from tests.tiny_translator import TINY_GROUP, tiny_checkpoint

SMALL = dict(units=64, embedding_dim=32, batch_size=4, learning_rate=2e-2, dropout=0.0,
             bidirectional=False, label_smoothing=0.0, verbose=0)
# Learned pieces per language; the tiny corpus allows about 38..62 (the source adds 256 bytes).
VOCAB = 60
JOINT_VOCAB = 80  # one model for both languages needs more pieces
# The tests sharing the trained spm_run go to one xdist worker (--dist loadgroup): trained once.
SPM_RUN = pytest.mark.xdist_group("spm_run")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_tsv(tmp_path_factory.mktemp("data") / "pairs.tsv", PAIRS)


@pytest.fixture(scope="module")
def spm_run(corpus, tmp_path_factory):
    """One spm checkpoint with attention, trained to overfit the tiny corpus.

    With SMALL it reproduces all 20 pairs after ~22 epochs; CPU training is not bit-reproducible.
    """
    out = tmp_path_factory.mktemp("ckpt") / "spm"
    result = train(data=str(corpus), dev=str(corpus), out=str(out), tokens="spm",
                   vocab_size=VOCAB, attention=True, epochs=25, patience=40, **SMALL)
    return result


def test_subword_vocabulary_interface():
    vocab = SubwordVocabulary.train([t for _, t in PAIRS], VOCAB, side="target")
    text = "O gato está aqui."
    ids = vocab.encode(text)
    assert all(0 <= i < vocab.size for i in ids)
    assert not {PAD_ID, UNK_ID, START_ID, END_ID} & set(ids)
    assert vocab.decode([START_ID, *ids, END_ID, *ids, PAD_ID]) == text
    assert vocab.decode([PAD_ID, *ids, PAD_ID]) == text
    assert len(vocab.pieces(text)) == len(ids)
    assert "".join(vocab.pieces(text)).replace("\u2581", " ").strip() == text
    assert vocab.unknown(text) == []


def test_unknown_text_falls_back_to_bytes_and_never_raises():
    vocab = SubwordVocabulary.train([t for _, t in PAIRS], VOCAB, side="target")
    text = "Zürich ő € 日本 está"
    ids = vocab.encode(text)
    assert UNK_ID not in ids
    assert vocab.decode(ids) == text  # bytes give the unseen characters back exactly
    seen = set("".join(t for _, t in PAIRS))
    assert vocab.unknown(text) == [c for c in dict.fromkeys(text) if c not in seen | {" "}]
    assert {"ő", "€", "日", "本"} <= set(vocab.unknown(text)) and "á" not in vocab.unknown(text)
    assert any(p.startswith("<0x") for p in vocab.pieces(text))
    # a lone UTF-8 continuation byte, as a model could emit, decodes to U+FFFD
    lone = vocab.processor.piece_to_id("<0xA7>")
    assert vocab.decode([lone]) == "\ufffd"
    assert vocab.decode([UNK_ID]) == "\ufffd"
    assert vocab.encode("") == [] and vocab.decode([]) == ""


def test_target_side_without_bytes_maps_unseen_characters_to_unk(tmp_path):
    config = SimpleNamespace(vocab_size=VOCAB, spm_model_type="unigram", spm_joint=False)
    source, target = train_subword_vocabularies(PAIRS, config, tmp_path)
    assert source.byte_fallback and not target.byte_fallback
    assert source.size == VOCAB + 256 and target.size == VOCAB  # no dead softmax classes
    ids = target.encode("日本 está")
    assert UNK_ID in ids and target.unknown("日本 está") == ["日", "本"]
    assert target.decode(ids) == "\ufffd está"


@pytest.mark.parametrize("byte_fallback", [False, True])
def test_too_large_vocab_size_names_the_largest_that_works(byte_fallback):
    texts = [t for _, t in PAIRS]
    extra = 256 if byte_fallback else 0  # byte pieces come on top of --vocab-size
    with pytest.raises(ValueError, match=r"at most (\d+)") as caught:
        SubwordVocabulary.train(texts, 5000, side="target", byte_fallback=byte_fallback)
    largest = int(re.search(r"at most (\d+)", str(caught.value)).group(1))
    assert SubwordVocabulary.train(texts, largest, byte_fallback=byte_fallback).size == (
        largest + extra)
    with pytest.raises(ValueError, match="too large"):
        SubwordVocabulary.train(texts, largest + 1, byte_fallback=byte_fallback)


@pytest.mark.parametrize("byte_fallback", [False, True])
def test_too_small_vocab_size_names_the_smallest_that_works(byte_fallback):
    texts = [t for _, t in PAIRS]
    extra = 256 if byte_fallback else 0
    with pytest.raises(ValueError, match=r"at least (\d+)") as caught:
        SubwordVocabulary.train(texts, 10, side="target", byte_fallback=byte_fallback)
    smallest = int(re.search(r"at least (\d+)", str(caught.value)).group(1))
    distinct = len(set("".join(texts)) - {" "})
    assert smallest >= 4 + distinct
    assert SubwordVocabulary.train(texts, smallest, byte_fallback=byte_fallback).size == (
        smallest + extra)
    with pytest.raises(ValueError, match="too small"):
        SubwordVocabulary.train(texts, smallest - 1, byte_fallback=byte_fallback)


def test_cli_reports_vocab_size_error_cleanly(corpus, tmp_path, capsys):
    from seq2seq.cli import main

    code = main(["train", "--data", str(corpus), "--dev", str(corpus), "--out",
                 str(tmp_path / "x"), "--tokens", "spm", "--vocab-size", "5000", "--epochs", "1"])
    assert code != 0
    err = capsys.readouterr().err
    assert "at most" in err and "Traceback" not in err


def test_joint_model_is_shared_and_separate_models_are_not(tmp_path):
    joint_dir, split_dir = tmp_path / "joint", tmp_path / "split"
    joint_dir.mkdir()
    split_dir.mkdir()
    config = SimpleNamespace(vocab_size=JOINT_VOCAB, spm_model_type="bpe", spm_joint=True)
    source, target = train_subword_vocabularies(PAIRS, config, joint_dir)
    assert source is target and sorted(p.name for p in joint_dir.iterdir()) == ["joint.spm.model"]
    assert source.unknown("Obrigado cat") == []  # both languages' characters are pieces
    config.spm_joint = False
    source, target = train_subword_vocabularies(PAIRS, config, split_dir)
    assert sorted(p.name for p in split_dir.iterdir()) == ["source.spm.model", "target.spm.model"]
    assert target.unknown("á") == [] and source.unknown("á") == ["á"]


def test_spm_joint_checkpoint_round_trips(corpus, tmp_path):
    out = tmp_path / "joint"
    train(data=str(corpus), dev=str(corpus), out=str(out), tokens="spm", vocab_size=JOINT_VOCAB,
          spm_joint=True, spm_model_type="bpe", epochs=1, **SMALL)
    for name in (checkpoint.SOURCE_VOCAB, checkpoint.TARGET_VOCAB):
        assert json.loads((out / name).read_text())["model"] == "joint.spm.model"
    assert not (out / "source.spm.model").exists()
    a = Translator.load(out)
    assert a.source_vocab.size == a.target_vocab.size == JOINT_VOCAB + 256  # bytes
    b = Translator.load(out)
    np.testing.assert_array_equal(a.teacher_forced_logits(PAIRS[:4]),
                                  b.teacher_forced_logits(PAIRS[:4]))


@pytest.mark.xdist_group(TINY_GROUP)
def test_char_checkpoint_round_trips(tmp_path_factory):
    out = tiny_checkpoint(tmp_path_factory)  # a trained character model, shared
    first = Translator.load(out)
    assert isinstance(first.source_vocab, CharVocabulary)
    np.testing.assert_array_equal(first.teacher_forced_logits(PAIRS),
                                  Translator.load(out).teacher_forced_logits(PAIRS))


@SPM_RUN
def test_spm_checkpoint_is_self_contained(spm_run, tmp_path):
    original = Translator.load(spm_run.checkpoint)
    assert isinstance(original.source_vocab, SubwordVocabulary)
    expected = original.teacher_forced_logits(PAIRS)
    moved = tmp_path / "elsewhere" / "copy"
    shutil.copytree(spm_run.checkpoint, moved)
    shutil.rmtree(spm_run.checkpoint)  # nothing may point back at the original directory
    data = json.loads((moved / checkpoint.SOURCE_VOCAB).read_text())
    assert data["model"] == "source.spm.model" and data["kind"] == "spm"
    assert checkpoint.load_vocabulary(moved / checkpoint.TARGET_VOCAB).size == VOCAB
    np.testing.assert_array_equal(Translator.load(moved).teacher_forced_logits(PAIRS), expected)
    shutil.copytree(moved, spm_run.checkpoint)  # later tests use the run again


@SPM_RUN
def test_spm_model_overfits_tiny_corpus(spm_run):
    assert spm_run.history[-1]["accuracy"] > 0.95
    assert spm_run.best_dev_loss < 0.2
    translator = spm_run.translator()
    logits = translator.teacher_forced_logits(PAIRS)
    predicted = logits.argmax(-1)
    exact = 0
    for row, (_, target) in zip(predicted, PAIRS, strict=True):
        n = len(translator.target_vocab.encode(target))
        exact += translator.target_vocab.decode(row[: n + 1]) == target
    assert exact >= len(PAIRS) - 2  # CPU training is not bit-reproducible: allow a near miss
    sources = [s for s, _ in PAIRS]
    outputs = translator.translate(sources)
    right = sum(o == t for o, (_, t) in zip(outputs, PAIRS, strict=True))
    assert right >= len(PAIRS) - 2, list(zip(outputs, [t for _, t in PAIRS], strict=True))


@SPM_RUN
def test_unknown_source_text_translates_without_error(spm_run):
    translator = spm_run.translator()
    text = "Zürich 日本 ő"
    assert translator.source_vocab.unknown(text)
    logits = translator.teacher_forced_logits([(text, "Olá.")])
    assert np.isfinite(logits).all()
    assert isinstance(translator.translate([text])[0], str)
