"""Input feeding (``--input-feeding``): the one-step decoder that inference runs computes what
training computed, and a model with it trains, translates and reloads."""

import numpy as np
import pytest
import tensorflow as tf

from seq2seq import TrainConfig, Translator, train
from seq2seq.model import Seq2Seq

from .conftest import TINY_PAIRS, write_tsv
from .tiny_translator import OVERFIT_EPOCHS, TINY


@pytest.mark.parametrize("arch", [dict(), dict(input_feeding=True),
                                  dict(input_feeding=True, layers=2, bidirectional=True)])
def test_step_by_step_decoding_equals_teacher_forcing(arch):
    """encoder_model + step_model, fed the reference one token at a time, give the training
    model's log-probabilities at every position: the states (the attentional vector too) are
    carried exactly."""
    config = TrainConfig(units=16, embedding_dim=8, attention=True, **arch)
    network = Seq2Seq(config, 20, 22)
    rng = np.random.default_rng(0)
    for variable in network.training_model.weights:  # non-trivial weights
        variable.assign(rng.normal(0, 0.3, variable.shape))
    source = tf.constant([[5, 6, 7, 8, 9], [10, 11, 12, 0, 0]], tf.int32)
    target_in = tf.constant([[1, 5, 6, 7, 8], [1, 9, 10, 11, 0]], tf.int32)
    expected = tf.nn.log_softmax(network.training_model([source, target_in])).numpy()

    # tf.identity drops the Keras mask the encoder attached (the step model takes none)
    encoded = {k: tf.nest.map_structure(tf.identity, v)
               for k, v in network.encoder_model(source).items()}
    states = encoded["states"]
    for t in range(target_in.shape[1]):
        step = network.step_model({"token": target_in[:, t:t + 1], "states": states,
                                   "outputs": encoded["outputs"], "mask": encoded["mask"],
                                   "keys": encoded["keys"]})
        np.testing.assert_allclose(step["log_probs"].numpy(), expected[:, t], atol=1e-5)
        states = step["states"]


def test_input_feeding_needs_attention():
    with pytest.raises(ValueError, match="--input-feeding .* needs --attention"):
        TrainConfig(input_feeding=True, attention=False).validate()


def test_an_input_feeding_model_trains_and_translates(tmp_path):
    data = write_tsv(tmp_path / "tiny.tsv", TINY_PAIRS)
    # 2e-2, the tiny attention model's rate, overshoots with the attentional vector fed back
    settings = {**TINY, "learning_rate": 1e-2}
    result = train(data=data, dev=data, out=tmp_path / "model", attention=True,
                   input_feeding=True, epochs=OVERFIT_EPOCHS, device="cpu", **settings)
    assert result.history[-1]["loss"] < 0.2 * result.history[0]["loss"]
    translator = Translator.load(result.checkpoint)
    sources, targets = [en for en, _ in TINY_PAIRS], [pt for _, pt in TINY_PAIRS]
    greedy = translator.translate(sources, beam=1)
    assert sum(g == t for g, t in zip(greedy, targets, strict=True)) >= 18
    beamed = translator.translate(sources)  # the default beam carries the fed-back vector too
    assert sum(b == t for b, t in zip(beamed, targets, strict=True)) >= 18
