"""seq2seq: character-level encoder-decoder LSTM translators (English -> Portuguese) in Keras.

    from seq2seq import train, Translator
    result = train(data="pairs.tsv", out="checkpoints/x", attention=True, epochs=10)
    Translator.load("checkpoints/x")
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ start-up chatter quiet
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from .config import TrainConfig  # noqa: E402
from .evaluation import Evaluation, Scores, evaluate, score, score_files  # noqa: E402
from .training import TrainResult, train  # noqa: E402
from .translator import Translator  # noqa: E402

__all__ = ["Evaluation", "Scores", "TrainConfig", "TrainResult", "Translator", "evaluate",
           "score", "score_files", "train"]
__version__ = "0.1.0"
