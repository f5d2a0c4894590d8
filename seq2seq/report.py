"""Evaluation reports: scores, signatures, length buckets and the worst sentences, for a person.

``write_report`` writes Markdown for a ``.md`` path and a standalone HTML page for ``.html``;
both hold the same sections, built once as plain rows here.
"""

from __future__ import annotations

import html
from pathlib import Path

from .evaluation import Evaluation, length_buckets, sentence_chrf
from .files import atomic_write

WORST = 20  # sentences listed in the "worst by chrF" section


def worst_sentences(evaluation: Evaluation, count: int = WORST) -> list[tuple[float, int]]:
    """(sentence chrF, index) of the ``count`` lowest-scoring sentences, worst first."""
    scores = sentence_chrf(evaluation.hypotheses, evaluation.references)
    return sorted((s, i) for i, s in enumerate(scores))[:count]


def report_sections(evaluation: Evaluation) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of each report table, as plain text cells."""
    s = evaluation.scores
    overall = [["BLEU", f"{s.bleu:.2f}", s.bleu_signature],
               ["chrF", f"{s.chrf:.2f}", s.chrf_signature],
               ["sentences", str(s.sentences), ""],
               ["references per sentence", f"{s.references_per_sentence:.2f} (mean)",
                f"max {s.max_references}"]]
    buckets = [[label, str(b.sentences), f"{b.bleu:.2f}", f"{b.chrf:.2f}"]
               for label, b in length_buckets(evaluation)]
    worst = [[str(rank), f"{chrf:.1f}", evaluation.sources[i], evaluation.hypotheses[i],
              " / ".join(evaluation.references[i])]
             for rank, (chrf, i) in enumerate(worst_sentences(evaluation), start=1)]
    settings = [[key, str(value)] for key, value in evaluation.settings.items()]
    return [
        ("Scores", ["metric", "value", "sacrebleu signature"], overall),
        ("By source length (characters)", ["length", "sentences", "BLEU", "chrF"], buckets),
        (f"{len(worst)} worst sentences by sentence chrF",
         ["#", "chrF", "source", "hypothesis", "references"], worst),
        ("Settings", ["setting", "value"], settings),
    ]


def markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(evaluation: Evaluation) -> str:
    lines = ["# Evaluation report", ""]
    for title, header, rows in report_sections(evaluation):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |",
                  "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def to_html(evaluation: Evaluation) -> str:
    parts = ['<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Evaluation report'
             "</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}</style></head>"
             "<body>\n<h1>Evaluation report</h1>"]
    for title, header, rows in report_sections(evaluation):
        parts.append(f"<h2>{html.escape(title)}</h2>\n<table>\n<tr>"
                     + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                  for row in rows]
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(evaluation: Evaluation, path: str | Path) -> Path:
    """Write the report as Markdown (``.md``) or HTML (``.html``/``.htm``); returns the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text = to_html(evaluation)
    elif suffix == ".md":
        text = to_markdown(evaluation)
    else:
        raise ValueError(f"report must end in .md or .html, not {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path
