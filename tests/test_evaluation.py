"""Scoring and evaluation: our numbers are sacrebleu's own, over one or uneven many references."""

import html
import json

import pytest
import sacrebleu

from seq2seq.cli import main
from seq2seq.config import DEFAULT_BEAM
from seq2seq.data import read_corpus
from seq2seq.evaluation import (
    Evaluation,
    group_references,
    reference_streams,
    score,
    score_files,
    sentence_chrf,
)
from seq2seq.report import worst_sentences, write_report
from tests.tiny_translator import TINY_GROUP

pytestmark = pytest.mark.xdist_group(TINY_GROUP)  # one worker trains the tiny model once

HYPOTHESES = ["o gato está na mesa .", "eu gosto muito de café", "bom dia", "ele foi para casa"]
FIRST_REFS = ["o gato está sobre a mesa .", "eu adoro café", "bom dia !", "ele voltou para casa"]
SECOND_REFS = ["o gato está na mesa .", None, "olá", None]
THIRD_REFS = [None, None, "bom dia a todos", None]


def test_group_references_keeps_first_appearance_order():
    pairs = [("Hi.", "Oi."), ("Run!", "Corra!"), ("Hi.", "Olá."), ("Go.", "Vá."), ("Run!", "Fuja!")]
    sources, references = group_references(pairs)
    assert sources == ["Hi.", "Run!", "Go."]
    assert references == [["Oi.", "Olá."], ["Corra!", "Fuja!"], ["Vá."]]


def test_single_reference_scores_are_sacrebleus():
    scores = score(HYPOTHESES, [[r] for r in FIRST_REFS])
    assert scores.bleu == pytest.approx(sacrebleu.corpus_bleu(HYPOTHESES, [FIRST_REFS]).score)
    assert scores.chrf == pytest.approx(sacrebleu.corpus_chrf(HYPOTHESES, [FIRST_REFS]).score)
    assert 0 < scores.bleu < 100 and 0 < scores.chrf < 100
    assert scores.sentences == 4 and scores.references_per_sentence == 1.0
    assert scores.bleu_signature.startswith("nrefs:1|") and "tok:13a" in scores.bleu_signature
    assert scores.chrf_signature.startswith("nrefs:1|") and "nc:6" in scores.chrf_signature


def test_uneven_references_match_sacrebleu_with_none_padded_streams():
    references = [[r for r in refs if r is not None]
                  for refs in zip(FIRST_REFS, SECOND_REFS, THIRD_REFS, strict=True)]
    assert [len(r) for r in references] == [2, 1, 3, 1]
    streams = [FIRST_REFS, SECOND_REFS, THIRD_REFS]
    assert reference_streams(references) == streams

    scores = score(HYPOTHESES, references)
    assert scores.bleu == pytest.approx(sacrebleu.corpus_bleu(HYPOTHESES, streams).score)
    assert scores.chrf == pytest.approx(sacrebleu.corpus_chrf(HYPOTHESES, streams).score)
    assert scores.references_per_sentence == pytest.approx(7 / 4) and scores.max_references == 3
    assert scores.bleu_signature.startswith("nrefs:var|")
    # the second reference of sentence 1 is the hypothesis itself: more refs, higher BLEU
    assert scores.bleu > score(HYPOTHESES, [[r] for r in FIRST_REFS]).bleu


def test_missing_references_are_not_empty_references():
    """Padding with "" would make an empty reference the closest length and hide brevity."""
    hypotheses = ["bom dia", "o gato está na mesa ."]
    references = [["bom dia para todos"], ["o gato está na mesa .", "o gato está sobre a mesa ."]]
    scores = score(hypotheses, references)
    none_padded = [["bom dia para todos", "o gato está na mesa ."],
                   [None, "o gato está sobre a mesa ."]]
    empty_padded = [none_padded[0], ["", none_padded[1][1]]]
    assert scores.bleu == pytest.approx(sacrebleu.corpus_bleu(hypotheses, none_padded).score)
    assert scores.bleu < 90 < sacrebleu.corpus_bleu(hypotheses, empty_padded).score


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError, match="4 hypotheses but 3 reference sets"):
        score(HYPOTHESES, [[r] for r in FIRST_REFS[:3]])
    with pytest.raises(ValueError, match="sentence 2 has no reference"):
        score(HYPOTHESES, [["a"], [], ["b"], ["c"]])


def write_lines(path, lines):
    path.write_text("".join(f"{line or ''}\n" for line in lines), encoding="utf-8")
    return str(path)


def test_score_cli_prints_sacrebleus_numbers(tmp_path, capsys):
    hyp = write_lines(tmp_path / "hyp.txt", HYPOTHESES)
    refs = [write_lines(tmp_path / f"ref{k}.txt", stream)
            for k, stream in enumerate([FIRST_REFS, SECOND_REFS, THIRD_REFS])]
    streams = [FIRST_REFS, SECOND_REFS, THIRD_REFS]
    bleu = sacrebleu.corpus_bleu(HYPOTHESES, streams).score
    chrf = sacrebleu.corpus_chrf(HYPOTHESES, streams).score

    assert main(["score", "--hyp", hyp, "--ref", refs[0], "--ref", refs[1], "--ref", refs[2],
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["bleu"] == pytest.approx(bleu) and data["chrf"] == pytest.approx(chrf)
    assert data["sentences"] == 4 and data["references_per_sentence"] == pytest.approx(1.75)
    assert data["signature"]["bleu"].startswith("nrefs:var|")

    assert main(["score", "--hyp", hyp, "--ref", refs[0]]) == 0
    printed = capsys.readouterr().out
    one_ref = sacrebleu.metrics.BLEU()
    assert f"BLEU = {one_ref.corpus_score(HYPOTHESES, [FIRST_REFS]).score:.2f}" in printed
    assert str(one_ref.get_signature()) in printed
    assert score_files(hyp, [refs[0]]).bleu == pytest.approx(
        sacrebleu.corpus_bleu(HYPOTHESES, [FIRST_REFS]).score)


def test_commands_without_a_model_start_without_tensorflow(tmp_path):
    """`seq2seq score`, and the package's names until one is used, import neither TensorFlow
    nor Keras (a ~5 s import)."""
    import subprocess
    import sys

    (tmp_path / "hyp.txt").write_text("bom dia\n")
    code = ("import sys; from seq2seq.cli import main; "
            f"main(['score', '--hyp', {str(tmp_path / 'hyp.txt')!r}, "
            f"'--ref', {str(tmp_path / 'hyp.txt')!r}]); "
            "from seq2seq import score; "  # the package's names load on first use
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "chrF = 100.00" in done.stdout and done.stdout.strip().endswith("[]"), done.stdout


def test_score_cli_rejects_files_of_different_length(tmp_path, capsys):
    hyp = write_lines(tmp_path / "hyp.txt", HYPOTHESES)
    ref = write_lines(tmp_path / "ref.txt", FIRST_REFS[:3])
    assert main(["score", "--hyp", hyp, "--ref", ref]) == 2
    assert "has 4 lines but" in capsys.readouterr().err
    assert main(["score", "--hyp", hyp, "--ref", str(tmp_path / "missing.txt")]) == 2
    assert "file not found" in capsys.readouterr().err


def known_evaluation() -> Evaluation:
    """25 sentences: 22 translated perfectly, #7 totally wrong, #12 half wrong, #3 slightly."""
    sources = [f"This is sentence number {i}." for i in range(25)]
    references = [[f"Esta é a frase número {i}."] for i in range(25)]
    hypotheses = [refs[0] for refs in references]
    hypotheses[7] = "xxxxxx"
    hypotheses[12] = "Esta é outra coisa."
    hypotheses[3] = "Esta é a frase número 3"
    references[3].append("Essa é a frase 3.")
    sources[20] = "A much longer English sentence, number 20, to fill the last bucket."
    return Evaluation(sources, hypotheses, references, score(hypotheses, references),
                      {"checkpoint": "checkpoints/known", "data": "test.tsv", "beam": 3})


def test_report_names_the_worst_sentences_first(tmp_path):
    evaluation = known_evaluation()
    chrf = sentence_chrf(evaluation.hypotheses, evaluation.references)
    assert chrf[7] < chrf[12] < chrf[3] < chrf[0] == 100.0
    worst = worst_sentences(evaluation)
    assert len(worst) == 20 and [i for _, i in worst[:3]] == [7, 12, 3]

    text = write_report(evaluation, tmp_path / "report.md").read_text(encoding="utf-8")
    worst_section = text.split("worst sentences")[1].split("## Settings")[0]
    assert worst_section.index("| 1 | 0.0 | This is sentence number 7. | xxxxxx |") \
        < worst_section.index("sentence number 12.") < worst_section.index("sentence number 3.")
    assert "Esta é a frase número 3. / Essa é a frase 3." in worst_section  # both references
    assert "sentence number 24." not in worst_section  # a perfect one beyond the top 20
    for signature in (evaluation.scores.bleu_signature, evaluation.scores.chrf_signature):
        assert signature.replace("|", "\\|") in text  # escaped inside a Markdown table
    assert "| 16-30 | 24 |" in text and "| 51-100 | 1 |" in text and "1-15" not in text
    assert "| checkpoint | checkpoints/known |" in text and "| beam | 3 |" in text

    page = write_report(evaluation, tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<td>xxxxxx</td>" in page
    assert page.index("sentence number 7.") < page.index("sentence number 12.")
    with pytest.raises(ValueError, match=".md or .html"):
        write_report(evaluation, tmp_path / "report.txt")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The shared tiny attention model and a test TSV with uneven references per sentence."""
    from tests.conftest import TINY_PAIRS, write_tsv
    from tests.tiny_translator import tiny_checkpoint

    long_source = "This sentence is much longer than anything the model saw while training, " \
                  "on purpose, past the limit."
    pairs = [*TINY_PAIRS[:6], ("Hello.", "Oi."), *TINY_PAIRS[6:], ("Thank you.", "Obrigada."),
             ("Hello.", "Olá."), (long_source, "Frase longa."), ("Hello.", "E aí?")]
    data = write_tsv(tmp_path_factory.mktemp("eval") / "test.tsv", pairs)
    with open(data, "a", encoding="utf-8") as handle:
        handle.write("a line without a tab\n")
    return tiny_checkpoint(tmp_path_factory), data, long_source


def test_evaluate_cli_json_is_sacrebleu_on_grouped_references(trained, tmp_path, capsys):
    import seq2seq
    from tests.conftest import TINY_PAIRS

    checkpoint, data, long_source = trained
    hyp, report = tmp_path / "hyp.txt", tmp_path / "report.html"
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(data), "--json",
                 "--output", str(hyp), "--report", str(report)]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert "1 unparsable lines" in captured.err

    sources = [en for en, _ in TINY_PAIRS] + [long_source]  # every line, no length filter
    hypotheses = hyp.read_text(encoding="utf-8").splitlines()
    assert len(hypotheses) == len(sources) == result["sentences"] == 21
    assert hypotheses == seq2seq.Translator.load(checkpoint).translate(sources)
    first = [pt for _, pt in TINY_PAIRS] + ["Frase longa."]
    second = [None] * 21
    second[0], second[1] = "Oi.", "Obrigada."  # Hello. / Thank you.
    third = [None] * 21
    third[0] = "E aí?"  # the duplicate "Hello. / Olá." line is dropped
    streams = [first, second, third]
    assert result["bleu"] == pytest.approx(sacrebleu.corpus_bleu(hypotheses, streams).score)
    assert result["chrf"] == pytest.approx(sacrebleu.corpus_chrf(hypotheses, streams).score)
    assert result["chrf"] > 50  # an overfit model reproduces most of its training pairs
    assert result["references_per_sentence"] == pytest.approx(24 / 21)
    assert result["signature"]["bleu"].startswith("nrefs:var|")
    assert result["settings"]["checkpoint"] == str(checkpoint)
    assert result["settings"]["beam"] == DEFAULT_BEAM  # one default, in config.py
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and html.escape(long_source) in page

    api = seq2seq.evaluate(checkpoint, data)
    assert api.hypotheses == hypotheses and api.scores.bleu == pytest.approx(result["bleu"])


def test_evaluate_cli_prints_scores_with_beam_search(trained, tmp_path, capsys):
    checkpoint, data, _ = trained
    hyp = tmp_path / "beam.txt"
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(data), "--beam", "3",
                 "--output", str(hyp)]) == 0
    printed = capsys.readouterr().out
    hypotheses = hyp.read_text(encoding="utf-8").splitlines()
    _, references = group_references(read_corpus(data).pairs)
    streams = reference_streams(references)
    bleu, chrf = sacrebleu.metrics.BLEU(), sacrebleu.metrics.CHRF()
    assert f"BLEU = {bleu.corpus_score(hypotheses, streams).score:.2f}" in printed
    assert f"chrF = {chrf.corpus_score(hypotheses, streams).score:.2f}" in printed
    assert str(bleu.get_signature()) in printed and str(chrf.get_signature()) in printed
    assert "beam 3" in printed

    assert main(["evaluate", "--checkpoint", str(tmp_path), "--data", str(data)]) == 2
    assert "not a complete checkpoint" in capsys.readouterr().err
