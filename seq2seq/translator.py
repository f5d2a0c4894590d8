"""A trained translator loaded from its checkpoint bundle."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from . import checkpoint
from .batching import encode_pairs
from .model import Seq2Seq


class Translator:
    """Vocabularies + rebuilt network of one checkpoint."""

    def __init__(self, config, source_vocab, target_vocab, network: Seq2Seq, directory=None):
        self.config = config
        self.source_vocab, self.target_vocab = source_vocab, target_vocab
        self.network = network
        self.directory = str(directory) if directory is not None else None

    @classmethod
    def load(cls, directory: str | Path) -> Translator:
        """Rebuild the model from config.json and load the best weights of the bundle."""
        config, source_vocab, target_vocab = checkpoint.read_bundle(directory)
        network = Seq2Seq(config, source_vocab.size, target_vocab.size)
        network.training_model.load_weights(Path(directory) / checkpoint.WEIGHTS)
        return cls(config, source_vocab, target_vocab, network, directory)

    def teacher_forced_logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Logits (B, T, V) for (source, reference) pairs, padded to the longest; no dropout."""
        sources, decoder_inputs, _ = encode_pairs(pairs, self.source_vocab, self.target_vocab)
        src = keras.utils.pad_sequences(sources, padding="post")
        dec = keras.utils.pad_sequences(decoder_inputs, padding="post")
        return self.network.training_model([src, dec], training=False).numpy()
