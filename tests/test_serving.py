"""``seq2seq export --format saved-model``: a SavedModel that translates like the Translator,
loaded in a Python process that cannot import this package."""

import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from seq2seq import TrainConfig, Translator
from seq2seq import checkpoint as bundle
from seq2seq.cli import main
from seq2seq.data import normalize
from seq2seq.model import Seq2Seq
from seq2seq.subwords import SubwordVocabulary
from seq2seq.vocabulary import CharVocabulary

from .conftest import TINY_PAIRS

# unseen characters, an empty line, outer spaces, a decomposed "é" (NFD), a long sentence
TEXTS = ["Hello.", "I love you ж€!", "", "   Good night.  ", "Cafe\u0301 here?",
         "Wait a minute, I am tired and it is raining; open the door and call me later."]

LOAD_WITHOUT_SEQ2SEQ = """
import json, sys
sys.modules["seq2seq"] = None  # any attempt to import the package fails
import tensorflow as tf
signatures = tf.saved_model.load(sys.argv[1]).signatures
texts = tf.constant(json.loads(sys.stdin.read()), dtype=tf.string)
out = signatures["serving_default"](text=texts)["translation"]
beam = signatures["beam_search"](text=texts)
print(json.dumps({"greedy": [t.decode("utf-8") for t in out.numpy()],
                  "beam": [[t.decode("utf-8") for t in row]
                           for row in beam["translations"].numpy()],
                  "scores": beam["scores"].numpy().tolist()}))
"""


def random_bundle(directory, seed, **architecture):
    """A bundle with random, peaked (not trained) weights: what is compared is the two
    decoders, so training would add time and nothing else."""
    config = TrainConfig(**architecture)
    source = CharVocabulary.build(en for en, _ in TINY_PAIRS)
    target = CharVocabulary.build(pt for _, pt in TINY_PAIRS)
    network = Seq2Seq(config, source.size, target.size)
    rng = np.random.default_rng(seed)
    for variable in network.training_model.weights:
        variable.assign(rng.normal(0, 0.8, variable.shape))
    bundle.write_bundle_header(directory, config, source, target)
    bundle.save_weights(network.training_model, directory)
    return str(directory)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """An ensemble bundle of a bidirectional two-layer attention network and a plain one-layer
    network: the graph averages their log-probs at every step as the Translator does (the
    README's Serving block exports the shipped single model)."""
    root = tmp_path_factory.mktemp("serving")
    members = [random_bundle(root / "a", 3, units=16, embedding_dim=8, attention=True,
                             bidirectional=True, layers=2),
               random_bundle(root / "b", 4, units=8, embedding_dim=4)]
    return Translator.load_ensemble(members).save(root / "ensemble")


def test_saved_model_translates_like_the_translator_without_the_package(checkpoint, tmp_path,
                                                                         capsys):
    out = tmp_path / "saved"
    assert main(["export", str(checkpoint), str(out), "--format", "saved-model"]) == 0
    assert "saved-model" in capsys.readouterr().out
    done = subprocess.run([sys.executable, "-c", LOAD_WITHOUT_SEQ2SEQ, str(out)], cwd=tmp_path,
                          input=json.dumps(TEXTS), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    translator = Translator.load(checkpoint)
    served, expected = result["greedy"], translator.translate(TEXTS, beam=1, no_repeat=0,
                                                                    split=0)
    assert served == expected
    assert served[2] == "" and any(len(t) > 20 for t in served)  # empty in, long outputs out
    # beam_search: 5 per sentence, best first, the first as translate --beam 5 with its score
    # and all 5 as translate --n-best 5 (one search, whatever n-best is)
    assert [len(row) for row in result["beam"]] == [5] * len(TEXTS)
    assert [row[0] for row in result["beam"]] == translator.translate(TEXTS, beam=5,
                                                                        no_repeat=0, split=0)
    listed = translator.translate(TEXTS, beam=5, n_best=5, no_repeat=0)
    for text, row, scores, n_best in zip(TEXTS, result["beam"], result["scores"], listed,
                                         strict=True):
        if text.strip():
            assert row[: len(n_best)] == [t for t, _ in n_best]
            assert scores[: len(n_best)] == pytest.approx([s for _, s in n_best], abs=1e-4)
    decoded = [t for t in TEXTS if t.strip()]
    best = translator.decoder.beam_search(  # the search translate --beam 5 runs, with scores
        [translator.source_vocab.encode(normalize(t)) for t in decoded], beam=5, n_best=1)
    firsts = [row[0] for text, row in zip(TEXTS, result["scores"], strict=True) if text.strip()]
    assert firsts == pytest.approx([hyps[0].score for hyps in best], abs=1e-4)
    assert all(row == sorted(row, reverse=True) for row in result["scores"])

    # saved_model_cli run (a session, as TensorFlow Serving's C++ loader loads it) is checked on
    # the shipped model by the README's Serving block (test_readme.check_saved_model)

    assert main(["export", str(checkpoint), str(out), "--format", "saved-model"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_subword_bundles_are_refused_with_the_reason(tmp_path):
    from seq2seq.serving import export_saved_model

    vocab = SubwordVocabulary.train([pt for _, pt in TINY_PAIRS], 60, side="target")
    with pytest.raises(ValueError, match="character models only: SentencePiece"):
        export_saved_model(SimpleNamespace(source_vocab=vocab, target_vocab=vocab),
                           tmp_path / "saved")
    assert not (tmp_path / "saved").exists()
