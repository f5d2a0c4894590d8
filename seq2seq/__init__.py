"""seq2seq: character-level encoder-decoder LSTM translators (English -> Portuguese) in Keras.

    from seq2seq import train, Translator
    result = train(data="pairs.tsv", out="checkpoints/x", attention=True, epochs=10)
    Translator.load("checkpoints/x")
"""

import importlib
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ start-up chatter quiet
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

# name -> module; imported on first use, so that commands which need no model (score,
# plot-history, --help) start without TensorFlow's ~5 s import
_EXPORTS = {"TrainConfig": "config", "Evaluation": "evaluation", "Scores": "evaluation",
            "evaluate": "evaluation", "score": "evaluation", "score_files": "evaluation",
            "TrainResult": "training", "train": "training", "Translator": "translator"}
__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__():
    return sorted([*globals(), *_EXPORTS])
