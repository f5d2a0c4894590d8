"""Long inputs cut into sentences and clauses, and their translations joined (segmenting.py)."""

import pytest

from seq2seq import segmenting
from seq2seq.segmenting import join, model_inputs, split


def test_short_inputs_and_split_zero_stay_whole():
    text = "It was late, and we were tired. We went home."
    assert split(text, 60) == [text]
    assert split(text * 3, 0) == [text * 3]


def test_sentences_first_then_clauses_and_nothing_lost():
    text = ("The fifth game ended in a draw after five hours of play. Tomorrow, which is "
            "Thursday, is a free day for both players, and the match goes on on Friday.")
    pieces = split(text, 60)
    assert pieces == ["The fifth game ended in a draw after five hours of play.",
                      "Tomorrow, which is Thursday,", "is a free day for both players,",
                      "and the match goes on on Friday."]
    assert " ".join(pieces) == text


def test_initials_titles_and_short_pieces_do_not_stand_alone():
    text = ("Mr. Smith met U.S. officials in Washington on Monday. Yes. They talked about trade "
            "for hours and agreed on very little.")
    pieces = split(text, 40)
    assert pieces[0].startswith("Mr. Smith met U.S. officials in Washington")
    assert all(len(p) >= segmenting.MIN_PIECE for p in pieces)
    assert " ".join(pieces) == text


def test_cut_pieces_reach_the_model_as_sentences():
    pieces = ["Tomorrow, which is Thursday,", 'and "the match" goes on;', "it ends at noon."]
    assert model_inputs(pieces) == ["Tomorrow, which is Thursday.", 'And "the match" goes on.',
                                    "It ends at noon."]
    assert model_inputs(["and it was late,"]) == ["and it was late,"]  # an uncut input stays


def test_join_fixes_case_and_the_full_stops_of_pieces_that_go_on():
    sources = ['"It was a good day,"', "said the man, who was tired,", "and he went home."]
    outputs = ['"Foi um bom dia."', "Disse o homem, que estava cansado.", "E ele foi para casa."]
    assert join(sources, outputs) == ('"Foi um bom dia", disse o homem, que estava cansado, '
                                      "e ele foi para casa.")
    assert join(["A question?", "Yes."], ["Uma pergunta?", ""]) == "Uma pergunta?"


@pytest.mark.parametrize("text", ["", "   ", "Hello", "a" * 200, "Hi. " * 40])
def test_any_text_splits_into_pieces_that_give_it_back(text):
    pieces = split(text, 30)
    assert " ".join(pieces) == " ".join(text.split()) or pieces == [text.strip()]
