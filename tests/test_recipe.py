"""Training-recipe options: several corpus files, label smoothing, token (character) dropout."""

import json

import numpy as np
import pytest

from seq2seq import TrainConfig, train
from seq2seq.batching import make_dataset
from seq2seq.cli import build_parser
from seq2seq.model import Seq2Seq, TokenDropout
from seq2seq.training import masked_loss
from seq2seq.vocabulary import PAD_ID, UNK_ID, CharVocabulary

from .conftest import TINY_PAIRS, write_tsv


def vocabularies():
    return (CharVocabulary.build(en for en, _ in TINY_PAIRS),
            CharVocabulary.build(pt for _, pt in TINY_PAIRS))


def confident_network(**settings) -> Seq2Seq:
    source, target = vocabularies()
    network = Seq2Seq(TrainConfig(units=8, embedding_dim=4, dropout=0.0, **settings),
                      source.size, target.size)
    rng = np.random.default_rng(0)
    for variable in network.training_model.weights:  # large weights: peaked distributions
        variable.assign(rng.normal(0, 1.0, variable.shape))
    return network


def test_label_smoothing_is_the_smoothed_cross_entropy_of_real_tokens():
    network = confident_network()
    model = network.training_model
    batches = make_dataset(TINY_PAIRS, *vocabularies(), 8, shuffle=False)
    (source, decoder_in), labels = max(batches, key=lambda b: int((b[1].numpy() == 0).sum()))
    labels = labels.numpy()
    assert (labels == PAD_ID).any()  # the batch has padding, which must not count
    logits = model([source, decoder_in]).numpy().astype(np.float64)
    log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    nll = -np.take_along_axis(log_probs, labels[..., None], -1)[..., 0]
    uniform = -log_probs.mean(-1)
    real = labels != PAD_ID
    measured = {}
    for smoothing in (0.0, 0.2):
        model.compile(optimizer="adam", loss=masked_loss(smoothing))
        measured[smoothing] = model.evaluate([source, decoder_in], labels, verbose=0)
        expected = ((1 - smoothing) * nll + smoothing * uniform)[real].mean()
        assert measured[smoothing] == pytest.approx(expected, rel=1e-5)
    assert abs(measured[0.2] - measured[0.0]) > 1e-3  # 20x the tolerance above: it acts


def test_token_dropout_replaces_only_real_characters_and_only_in_training():
    ids = np.array([[2, 10, 11, 12, 13, 14, 15, 16, 3, 0, 0]] * 200, dtype="int32")
    layer = TokenDropout(0.3, seed=1)
    dropped = layer(ids, training=True).numpy()
    changed = dropped != ids
    assert (dropped[changed] == UNK_ID).all()
    assert not changed[:, [0, 8, 9, 10]].any()  # <s>, </s> and padding stay
    assert 0.25 < changed[:, 1:8].mean() < 0.35
    np.testing.assert_array_equal(layer(ids, training=False).numpy(), ids)


@pytest.mark.parametrize("rate", [0.0, 0.5])
def test_token_dropout_is_wired_into_the_network(rate):
    network = confident_network(token_dropout=rate)
    batches = make_dataset(TINY_PAIRS, *vocabularies(), 8, shuffle=False)
    (source, decoder_in), _ = next(iter(batches))
    model = network.training_model
    first, second = (model([source, decoder_in], training=True).numpy() for _ in range(2))
    assert (not np.allclose(first, second)) == (rate > 0)  # dropout is the only randomness
    np.testing.assert_array_equal(model([source, decoder_in], training=False).numpy(),
                                  model([source, decoder_in], training=False).numpy())


def test_several_corpus_files_are_read_and_reported_one_by_one(tmp_path, capsys):
    first = write_tsv(tmp_path / "first.tsv", TINY_PAIRS[:12])
    second = write_tsv(tmp_path / "second.tsv", TINY_PAIRS[12:])
    with open(second, "a", encoding="utf-8") as handle:
        handle.write("a line without a tab\n")
    args = build_parser().parse_args(["train", "--data", str(first), "--data", str(second)])
    assert args.data == [str(first), str(second)]

    result = train(data=[first, second], dev=str(first), out=str(tmp_path / "run"), epochs=1,
                   units=8, embedding_dim=4, verbose=2, label_smoothing=0.1, token_dropout=0.1)
    log = capsys.readouterr().out
    assert f"{first}: 12 pairs" in log
    assert f"{second}: 8 pairs, 1 bad lines skipped - line 9: no tab" in log
    assert result.train_pairs == 20
    saved = json.loads((tmp_path / "run" / "config.json").read_text())
    assert saved["data"] == [str(first), str(second)]
    assert saved["label_smoothing"] == 0.1 and saved["token_dropout"] == 0.1
    assert result.translator().network.token_dropout is not None  # reloads with its layer


def test_train_config_file_gives_the_defaults_and_flags_override_it(tmp_path, monkeypatch,
                                                                      capsys):
    import seq2seq.training
    from seq2seq.cli import main

    seen = []

    def fake_train(config, overwrite=False):  # stands in for the run: we check its settings
        seen.append(config)
        raise KeyboardInterrupt

    monkeypatch.setattr(seq2seq.training, "train", fake_train)
    recorded = TrainConfig(data=["a.tsv", "b.tsv"], units=32, attention=True, clipnorm=5.0,
                           label_smoothing=0.1)
    recorded.save(tmp_path / "config.json")
    assert main(["train", "--config", str(tmp_path / "config.json"), "--epochs", "3",
                 "--no-attention"]) == 130
    config = seen[-1]
    assert (config.units, config.clipnorm, config.label_smoothing) == (32, 5.0, 0.1)  # file
    assert config.data == ["a.tsv", "b.tsv"]  # no flag: the file's list, not appended to
    assert (config.epochs, config.attention) == (3, False)  # flags win
    assert main(["train", "--config", str(tmp_path / "config.json"), "--data", "c.tsv"]) == 130
    assert seen[-1].data == "c.tsv" and seen[-1].attention

    (tmp_path / "bad.json").write_text('{"units": 8, "unit": 8, "atention": true}')
    assert main(["train", "--config", str(tmp_path / "bad.json")]) == 2
    assert "unknown key(s) 'unit', 'atention'" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text('{"units": "many"}')
    assert main(["train", "--config", str(tmp_path / "bad.json")]) == 2
    assert "field 'units' must be an integer, not 'many'" in capsys.readouterr().err
    assert len(seen) == 2
