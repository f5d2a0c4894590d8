"""The LiteRT export: greedy decoding inside a .tflite model, and a client without TensorFlow."""

import subprocess
import sys
from types import SimpleNamespace

import pytest

from seq2seq.cli import main
from seq2seq.lite import LiteTranslator
from seq2seq.lite_export import export_lite
from seq2seq.subwords import SubwordVocabulary
from seq2seq.translator import Translator

from .conftest import TINY_PAIRS
from .tiny_translator import TINY_GROUP, tiny_checkpoint

pytestmark = pytest.mark.xdist_group(TINY_GROUP)  # the overfit tiny model, trained once

# the tiny pairs, an empty line, outer spaces, unseen characters, a decomposed "é" (NFD)
TEXTS = [en for en, _ in TINY_PAIRS] + ["", "  Hello.  ", "Help me ж!", "Cafe\u0301."]

WITHOUT_TENSORFLOW = """
import sys
sys.modules["tensorflow"] = sys.modules["keras"] = None  # importing either now fails
from seq2seq.lite import main
sys.exit(main())  # the command line: sys.argv[1:], stderr filtered
"""


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """The overfit tiny model and its float and int8 (dynamic-range) tflite exports."""
    checkpoint = tiny_checkpoint(tmp_path_factory)
    root = tmp_path_factory.mktemp("lite")
    for quantize in ("none", "dynamic"):
        assert main(["export", str(checkpoint), str(root / quantize), "--format", "tflite",
                     "--quantize", quantize]) == 0
    return checkpoint, root


def test_tflite_export_translates_like_the_translator(exports):
    checkpoint, root = exports
    expected = Translator.load(checkpoint).translate(TEXTS, beam=1, no_repeat=0)
    assert LiteTranslator.load(root / "none").translate(TEXTS) == expected
    assert expected[:20] == [pt for _, pt in TINY_PAIRS] and expected[20] == ""
    int8 = LiteTranslator.load(root / "dynamic").translate(TEXTS)
    assert sum(a == b for a, b in zip(int8, expected, strict=True)) >= 18  # as measured: bench/
    assert (root / "dynamic" / "model.tflite").stat().st_size < \
        (root / "none" / "model.tflite").stat().st_size


def test_a_process_that_cannot_import_tensorflow_translates(exports):
    checkpoint, root = exports
    done = subprocess.run([sys.executable, "-c", WITHOUT_TENSORFLOW, str(root / "none"),
                           "I love you.", "Good night."], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Eu te amo.", "Boa noite."]
    assert done.stderr == ""  # LiteRT's XNNPACK notice is filtered like TensorFlow's


def test_subword_bundles_are_refused_with_the_reason(tmp_path):
    vocab = SubwordVocabulary.train([pt for _, pt in TINY_PAIRS], 60, side="target")
    with pytest.raises(ValueError, match="character models only: the client would need "
                                         "SentencePiece"):
        export_lite(SimpleNamespace(source_vocab=vocab, target_vocab=vocab), tmp_path / "lite")
    assert not (tmp_path / "lite").exists()


def test_translate_lite_refuses_options_it_cannot_honour(exports, capsys):
    _, root = exports
    assert main(["translate", "--lite", str(root / "none"), "--beam", "5", "Hi."]) == 2
    assert "--lite decodes greedily" in capsys.readouterr().err
    assert main(["translate", "--lite", str(root / "none"), "Hello."]) == 0
    assert capsys.readouterr().out == "Olá.\n"
    assert main(["translate", "--lite", str(root / "none"), "--no-repeat", "8", "Hi."]) == 2
    assert "without the --no-repeat rule" in capsys.readouterr().err
    assert main(["translate", "--lite", str(root / "none"), "--no-repeat", "0", "Hello."]) == 0
    assert capsys.readouterr().out == "Olá.\n"
