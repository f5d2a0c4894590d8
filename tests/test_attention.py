"""Chunked additive attention gives today's outputs and gradients, in eager and graph mode."""

import numpy as np
import pytest
import tensorflow as tf

from seq2seq import attention
from seq2seq.attention import BahdanauAttention


def outputs_and_gradients(layer, query, values, mask):
    """Context, weights and the gradients of a loss that depends on both."""
    with tf.GradientTape() as tape:
        tape.watch([query, values])
        context, weights = layer(query, values, source_mask=mask)
        loss = tf.reduce_sum(tf.sin(context)) + tf.reduce_sum(weights * weights)
    return [context, weights, *tape.gradient(loss, [query, values, *layer.trainable_weights])]


@pytest.mark.parametrize("graph", [False, True], ids=["eager", "tf.function"])
def test_chunked_attention_equals_the_whole_tensor(monkeypatch, graph):
    rng = np.random.default_rng(0)
    query = tf.constant(rng.normal(size=(3, 11, 12)), tf.float32)  # (B, T, U_dec)
    values = tf.constant(rng.normal(size=(3, 7, 10)), tf.float32)  # (B, S, U_enc)
    mask = tf.constant(np.arange(7)[None] < np.array([[7], [5], [3]]))  # padded sources
    layer = BahdanauAttention(16, chunked=True)
    layer(query, values, source_mask=mask)  # build
    run = tf.function(outputs_and_gradients) if graph else outputs_and_gradients
    whole = outputs_and_gradients(layer, query, values, mask)
    # 3 x 7 x 16 elements per target step: chunks of 2 steps, the last one shorter (11 = 5 x 2 + 1)
    monkeypatch.setattr(attention, "CHUNK_ELEMENTS", 3 * 7 * 16 * 2)
    chunked = run(layer, query, values, mask)
    for expected, actual in zip(whole, chunked, strict=True):
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("max_length, chunked", [(100, False), (101, True), (None, True)])
def test_models_chunk_the_scores_only_when_sentences_may_be_long(max_length, chunked):
    """Unchunked, 256 pairs of 150-580 characters peaked at 20 GB (bench/memory.py); chunked,
    1.4 GB. Short sentences keep the unchunked layer, whose step is ~10% cheaper."""
    from seq2seq import TrainConfig
    from seq2seq.model import Seq2Seq

    config = TrainConfig(units=8, embedding_dim=4, attention=True, max_length=max_length)
    assert Seq2Seq(config, 20, 20).attention.chunked is chunked
