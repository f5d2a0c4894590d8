"""Greedy and beam search decoding, through ``Decoder`` and ``Translator.translate``."""

import numpy as np
import pytest

from seq2seq import segmenting
from seq2seq.decoding import Decoder, length_penalty, repeat_bans
from seq2seq.translator import Translator
from seq2seq.vocabulary import END_ID, PAD_ID, START_ID

from .conftest import TINY_PAIRS
from .tiny_translator import TINY_GROUP, tiny_checkpoint

pytestmark = pytest.mark.xdist_group(TINY_GROUP)  # one worker trains the tiny models once

SOURCES = [en for en, _ in TINY_PAIRS]
TARGETS = [pt for _, pt in TINY_PAIRS]
# Sentences the model never saw: beam search must still behave (sorted, K=1 == greedy, ...).
NOVEL = ["Good tea.", "I am late.", "Open it?", "Call the door.", "Wait here, I know."]


@pytest.fixture(scope="module")
def translator(tmp_path_factory) -> Translator:
    return Translator.load(tiny_checkpoint(tmp_path_factory))


@pytest.fixture(scope="module")
def plain_translator(tmp_path_factory) -> Translator:
    """A barely trained model without attention: long, unfinished outputs are likely."""
    return Translator.load(tiny_checkpoint(tmp_path_factory, attention=False))


def encoded(translator, texts):
    return [translator.source_vocab.encode(t) for t in texts]


def test_greedy_reproduces_the_training_sentences(translator):
    assert translator.translate(SOURCES) == TARGETS


def test_beam_reproduces_the_training_sentences(translator):
    assert translator.translate(SOURCES, beam=4) == TARGETS


@pytest.mark.parametrize("name", ["translator", "plain_translator"])
def test_beam_of_one_is_exactly_greedy(name, request):
    translator = request.getfixturevalue(name)
    sources = encoded(translator, SOURCES + NOVEL)
    greedy = translator.decoder.greedy(sources, alpha=0.6)
    beam = translator.decoder.beam_search(sources, beam=1, alpha=0.6)
    for g, (b,) in zip(greedy, beam, strict=True):
        assert g.tokens == b.tokens
        assert g.log_prob == pytest.approx(b.log_prob, abs=1e-9)
        assert g.score == pytest.approx(b.score, abs=1e-9)
        if g.weights is None:
            assert b.weights is None
        else:
            np.testing.assert_allclose(g.weights, b.weights)


def test_n_best_lists_are_sorted_distinct_and_scored(translator):
    alpha = 0.6
    results = translator.decoder.beam_search(encoded(translator, SOURCES + NOVEL), beam=5,
                                             n_best=3, alpha=alpha)
    for hyps in results:
        assert len(hyps) == 3
        scores = [h.score for h in hyps]
        assert scores == sorted(scores, reverse=True)
        assert len({tuple(h.tokens) for h in hyps}) == 3
        for h in hyps:
            assert h.score == pytest.approx(h.log_prob / length_penalty(len(h.tokens), alpha))
            assert h.log_prob <= 0
    listed = translator.translate(SOURCES[:3], beam=3, n_best=2)
    assert [len(n) for n in listed] == [2, 2, 2]
    assert [n[0][0] for n in listed] == TARGETS[:3]
    assert all(isinstance(t, str) and isinstance(s, float) for n in listed for t, s in n)


@pytest.mark.parametrize("name", ["translator", "plain_translator"])
def test_the_best_of_an_n_best_list_is_the_one_best_output(name, request):
    # the search waits for `beam` finished hypotheses whatever n_best asks for
    translator = request.getfixturevalue(name)
    sources = encoded(translator, SOURCES + NOVEL)
    one = translator.decoder.beam_search(sources, beam=5, n_best=1, alpha=1.0)
    five = translator.decoder.beam_search(sources, beam=5, n_best=5, alpha=1.0)
    for (best,), listed in zip(one, five, strict=True):
        assert (best.tokens, best.score) == (listed[0].tokens, listed[0].score)


def test_beam_model_score_never_below_greedy(translator):
    sources = encoded(translator, SOURCES + NOVEL)
    greedy = translator.decoder.greedy(sources)
    for width in (2, 5):
        beam = translator.decoder.beam_search(sources, beam=width, alpha=0.0)
        for g, (b,) in zip(greedy, beam, strict=True):
            assert b.log_prob >= g.log_prob - 1e-6


@pytest.mark.parametrize("beam", [1, 3])
def test_batched_decoding_equals_one_by_one(translator, beam):
    texts = SOURCES + NOVEL
    together = translator.translate(texts, beam=beam, batch_size=64)
    alone = [translator.translate([t], beam=beam)[0] for t in texts]
    assert together == alone
    assert translator.translate(texts, beam=beam, batch_size=4) == together


def test_results_come_back_in_input_order(translator):
    rng = np.random.default_rng(0)
    order = rng.permutation(len(SOURCES))
    assert translator.translate([SOURCES[i] for i in order]) == [TARGETS[i] for i in order]


def test_unknown_characters_and_empty_inputs_never_raise(translator):
    texts = ["", "Héllo ж€.", "   ", "Hello."]
    out = translator.translate(texts, beam=2)
    assert out[0] == "" and out[2] == "" and out[3] == "Olá."
    assert isinstance(out[1], str)
    assert translator.unknown("Héllo ж€.") == ["é", "ж", "€"]
    assert translator.translate(["", "Hello."], beam=2, n_best=2)[0] == [("", 0.0)]


def test_too_long_inputs_are_reported_and_still_translated(translator):
    limit = translator.config.max_length
    long_text = "Hello. " * (limit // 7 + 2)
    assert translator.too_long(["Hello.", long_text, "I know."]) == [1]
    (output,) = translator.translate([long_text])
    assert isinstance(output, str) and output  # translated, not refused or truncated to ""


def test_outputs_respect_the_length_limit_and_never_emit_pad_or_start(plain_translator):
    sources = encoded(plain_translator, SOURCES)
    decoder = Decoder(plain_translator.network, max_ratio=0.0, max_extra=3)
    greedy = decoder.greedy(sources)
    beam = decoder.beam_search(sources, beam=3, n_best=3)
    for hyp in greedy + [h for hyps in beam for h in hyps]:
        assert 1 <= len(hyp.tokens) <= 3
        assert PAD_ID not in hyp.tokens and START_ID not in hyp.tokens
        assert END_ID not in hyp.tokens[:-1]
    default = plain_translator.decoder.greedy(sources)
    for hyp, source in zip(default, sources, strict=True):
        assert len(hyp.tokens) <= 2 * len(source) + 10


def repeats(ids: list[int], n: int) -> bool:
    grams = [tuple(ids[i : i + n]) for i in range(len(ids) - n + 1)]
    return len(grams) != len(set(grams))


def test_repeat_bans_name_the_ids_that_would_complete_a_seen_n_gram():
    rows, ids = repeat_bans(np.array([[1, 2, 3, 1, 2], [4, 5, 6, 7, 8]]), 3)
    assert rows.tolist() == [0] and ids.tolist() == [3]  # "1 2" was followed by 3 before
    assert repeat_bans(np.array([[4, 4]]), 3)[0].size == 0  # too short to repeat a 3-gram


def test_no_repeat_rule_stops_the_loops_of_a_weak_model(plain_translator):
    sources = encoded(plain_translator, SOURCES + NOVEL)
    decoder = plain_translator.decoder
    loose = decoder.greedy(sources) + [h[0] for h in decoder.beam_search(sources, beam=3)]
    assert any(repeats(h.tokens, 4) for h in loose)  # this model loops ("a a a a")
    beams = decoder.beam_search(sources, beam=3, n_best=3, no_repeat=4)
    ruled = decoder.greedy(sources, no_repeat=4) + [h for hs in beams for h in hs]
    assert not any(repeats(h.tokens, 4) for h in ruled)


def test_long_inputs_are_translated_piece_by_piece(translator, monkeypatch):
    monkeypatch.setattr(segmenting, "MIN_PIECE", 1)  # every sentence its own piece
    text = "Good morning. I am tired. It is raining. Open the door. I like tea."
    whole, pieces = translator.translate([text, text], split=0), translator.translate([text])
    assert pieces == ["Bom dia. Estou cansado. Está chovendo. Abra a porta. Eu gosto de chá."]
    assert whole[0] != pieces[0]
    assert translator.translate([text], split=len(text)) == whole[:1]  # not longer than split


def test_attention_of_the_best_hypothesis(translator):
    for beam in (1, 3):
        result = translator.translate_with_attention("I am tired.", beam=beam)
        assert result.text == "Estou cansado."
        assert result.source_pieces == list("I am tired.")
        assert result.output_pieces == [*"Estou cansado.", "</s>"]
        assert result.weights.shape == (len(result.output_pieces), len(result.source_pieces))
        np.testing.assert_allclose(result.weights.sum(axis=1), 1.0, atol=1e-5)
    batched = translator.decoder.greedy(encoded(translator, ["Hello.", "I am tired."]))
    alone = translator.translate_with_attention("Hello.")
    np.testing.assert_allclose(batched[0].weights, alone.weights, atol=1e-5)  # padding ignored


def test_model_without_attention_decodes_but_has_no_weights(plain_translator):
    assert not plain_translator.has_attention
    hyps = plain_translator.decoder.greedy(encoded(plain_translator, SOURCES[:2]))
    assert all(h.weights is None for h in hyps)
    with pytest.raises(ValueError, match="no attention"):
        plain_translator.translate_with_attention("Hello.")


def test_invalid_n_best_is_an_error(translator):
    with pytest.raises(ValueError, match="n-best"):
        translator.translate(["Hello."], beam=2, n_best=3)
    with pytest.raises(TypeError):
        translator.translate("Hello.")
    with pytest.raises(ValueError, match="--split"):  # would otherwise cut every input
        translator.translate(["Hello."], split=-1)
