"""Translate with an exported ``.tflite`` model and LiteRT: NumPy and ``ai-edge-litert`` only.

For small and offline machines (a Raspberry Pi, a phone, a laptop without TensorFlow): this
module never imports TensorFlow or Keras. The model (``seq2seq export CKPT DIR --format tflite``,
see lite_export.py) decodes greedily inside itself; here is only what it cannot do: NFC,
characters -> ids, ids -> characters, and splitting long inputs (segmenting.py). It decodes
without the no-repeat rule of ``Translator.translate`` (``no_repeat=0`` there matches it).

    python -m seq2seq.lite DIR "I love you." "Where is the station?"

    from seq2seq.lite import LiteTranslator
    LiteTranslator.load(DIR).translate(["I love you."])
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from . import segmenting
from .config import DEFAULT_SPLIT
from .data import normalize
from .vocabulary import CharVocabulary

MODEL, SETTINGS = "model.tflite", "lite.json"  # the export's files (lite_export.py writes them)
SOURCE_VOCAB, TARGET_VOCAB = "source_vocab.json", "target_vocab.json"


class LiteTranslator:
    """A LiteRT interpreter over ``model.tflite`` and the two character vocabularies."""

    def __init__(self, runner, source_vocab: CharVocabulary, target_vocab: CharVocabulary,
                 settings: dict):
        self.runner, self.settings = runner, settings
        self.source_vocab, self.target_vocab = source_vocab, target_vocab

    @classmethod
    def load(cls, directory: str | Path) -> LiteTranslator:
        directory = Path(directory)
        missing = [n for n in (MODEL, SOURCE_VOCAB, TARGET_VOCAB) if not (directory / n).is_file()]
        if missing:
            raise FileNotFoundError(f"{directory} is not a tflite export (missing {missing}); "
                                    "make one with: seq2seq export CKPT DIR --format tflite")
        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError:
            raise ImportError("LiteRT is not installed: pip install ai-edge-litert "
                              "(or the toolkit's extra: pip install 'seq2seq[lite]')") from None
        vocabularies = [CharVocabulary.from_json(json.loads((directory / n).read_text("utf-8")))
                        for n in (SOURCE_VOCAB, TARGET_VOCAB)]
        settings_path = directory / SETTINGS
        settings = json.loads(settings_path.read_text("utf-8")) if settings_path.is_file() else {}
        interpreter = Interpreter(model_path=str(directory / MODEL))
        return cls(interpreter.get_signature_runner(), *vocabularies, settings)

    def translate(self, texts: list[str], split: int = DEFAULT_SPLIT) -> list[str]:
        """Greedy translations of ``texts``, one model call per sentence or, for inputs longer
        than ``split`` characters (0: none), per piece."""
        if isinstance(texts, str):
            raise TypeError("translate() takes a list of sentences; wrap a single one in [ ]")
        out = []
        for text in texts:
            pieces = segmenting.split(normalize(text), split)
            outputs = [self._translate(p) for p in segmenting.model_inputs(pieces)]
            out.append(segmenting.join(pieces, outputs))
        return out

    def _translate(self, text: str) -> str:
        if not text:
            return ""
        source = np.array([self.source_vocab.encode(text)], np.int32)  # (1, S)
        target = self.runner(source=source)["target"]  # (T,) ids
        return self.target_vocab.decode(target.tolist())


def main(argv: list[str] | None = None) -> int:
    """``python -m seq2seq.lite DIR [SENTENCE ...]``: sentences as arguments or lines on stdin."""
    if argv is None:  # a process of its own: LiteRT's notices kept off the terminal
        from . import tf_logs

        tf_logs.filter_stderr()
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.split("\n\n")[2].strip() + "\n\nusage: python -m seq2seq.lite DIR "
              "[SENTENCE ...]   (no sentences: one per line on stdin)")
        return 0 if argv else 2
    try:
        translator = LiteTranslator.load(argv[0])
    except (FileNotFoundError, ImportError, ValueError) as error:
        print(f"seq2seq.lite: error: {error}", file=sys.stderr)
        return 2
    texts = argv[1:] or [line.rstrip("\r\n") for line in sys.stdin]
    for translation in translator.translate(texts):
        print(translation, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
