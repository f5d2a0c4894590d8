"""Scoring translations with sacrebleu: corpus BLEU and chrF over one or more references each.

Tatoeba often accepts several Portuguese translations of one English sentence, so pairs that
share a source are grouped into one test sentence with all its references. sacrebleu takes
references as *streams* (stream k holds the k-th reference of every sentence); a sentence with
fewer references than the most-referenced one gets ``None`` in the missing streams, which
sacrebleu drops per sentence (signature ``nrefs:var``). An empty string would instead count as
a real, empty reference and distort BLEU's brevity penalty.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF

from .config import DEFAULT_BEAM, DEFAULT_NO_REPEAT, DEFAULT_SPLIT
from .data import Pair, read_corpus

# Source-length buckets (characters, inclusive) for the report: short sentences are easy; the
# last three split long ones (issue #20's long-sentence dev set runs to 574 characters)
LENGTH_BUCKETS = ((1, 15), (16, 30), (31, 50), (51, 100), (101, 200), (201, None))


def group_references(pairs: Sequence[Pair]) -> tuple[list[str], list[list[str]]]:
    """Distinct English sources in order of first appearance, each with all its translations."""
    references: dict[str, list[str]] = {}
    for source, target in pairs:
        references.setdefault(source, []).append(target)
    return list(references), list(references.values())


def reference_streams(references: Sequence[Sequence[str]]) -> list[list[str | None]]:
    """Per-sentence reference lists -> sacrebleu's equal-length streams, padded with None."""
    width = max(len(refs) for refs in references)
    return [[refs[k] if k < len(refs) else None for refs in references] for k in range(width)]


@dataclass
class Scores:
    """Corpus BLEU and chrF (0-100) of one hypothesis set, with sacrebleu's signatures.

    ``references_per_sentence`` is the MEAN number of references per sentence (1.0 for a
    single reference file); ``max_references`` is the largest count.
    """

    bleu: float
    chrf: float
    sentences: int
    references_per_sentence: float
    max_references: int
    bleu_signature: str
    chrf_signature: str
    bleu_detail: str = ""  # sacrebleu's own one-line summary: n-gram precisions, BP, ratio

    def to_dict(self) -> dict:
        data = asdict(self)
        data["signature"] = {"bleu": self.bleu_signature, "chrf": self.chrf_signature}
        return data

    def to_json(self) -> str:
        """One JSON object: bleu, chrf, sentences, references_per_sentence, signature, ..."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def summary(self) -> str:
        """Console lines: BLEU and chrF to two decimals, each with its sacrebleu signature."""
        return (f"BLEU = {self.bleu:.2f}  ({self.bleu_signature})\n"
                f"chrF = {self.chrf:.2f}  ({self.chrf_signature})\n"
                f"{self.sentences} sentences, {self.references_per_sentence:.2f} references "
                f"per sentence on average (max {self.max_references})")


def check_lengths(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> None:
    """Raise ValueError unless there is one hypothesis and at least one reference per sentence."""
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} reference sets: "
                         "there must be exactly one hypothesis per sentence")
    if not hypotheses:
        raise ValueError("nothing to score: no sentences")
    for number, refs in enumerate(references, start=1):
        if not any(ref is not None for ref in refs):
            raise ValueError(f"sentence {number} has no reference")


def score(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> Scores:
    """Corpus BLEU and chrF of ``hypotheses[i]`` against the list ``references[i]``."""
    check_lengths(hypotheses, references)
    references = [[ref for ref in refs if ref is not None] for refs in references]
    streams = reference_streams(references)
    bleu, chrf = BLEU(), CHRF()
    bleu_score = bleu.corpus_score(list(hypotheses), streams)
    chrf_score = chrf.corpus_score(list(hypotheses), streams)
    counts = [len(refs) for refs in references]
    return Scores(
        bleu=bleu_score.score,
        chrf=chrf_score.score,
        sentences=len(hypotheses),
        references_per_sentence=sum(counts) / len(counts),
        max_references=max(counts),
        bleu_signature=str(bleu.get_signature()),
        chrf_signature=str(chrf.get_signature()),
        bleu_detail=str(bleu_score),
    )


def sentence_chrf(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list[float]:
    """sacrebleu's sentence-level chrF of each hypothesis against its own references."""
    check_lengths(hypotheses, references)
    chrf = CHRF()
    return [chrf.sentence_score(h, [r for r in refs if r is not None]).score
            for h, refs in zip(hypotheses, references, strict=True)]


def read_lines(path: str | Path) -> list[str]:
    """Lines of a UTF-8 text file without their line endings (one sentence per line)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"file not found: {path}")
    return path.read_text(encoding="utf-8").splitlines()


def score_files(hypothesis_file: str | Path, reference_files: Sequence[str | Path]) -> Scores:
    """Score a hypothesis file against one or more line-aligned reference files.

    An empty line in a reference file means "no reference here", so files of uneven
    reference counts line up; every sentence needs at least one non-empty reference.
    """
    if not reference_files:
        raise ValueError("give at least one reference file")
    hypotheses = read_lines(hypothesis_file)
    columns = [read_lines(path) for path in reference_files]
    for path, column in zip(reference_files, columns, strict=True):
        if len(column) != len(hypotheses):
            raise ValueError(f"{hypothesis_file} has {len(hypotheses)} lines but {path} has "
                             f"{len(column)}: files must be line-aligned")
    references = [[line for line in row if line.strip()] for row in zip(*columns, strict=True)]
    return score(hypotheses, references)


@dataclass
class Evaluation:
    """A translator's output on a test set, the references it was scored against, and how."""

    sources: list[str]
    hypotheses: list[str]
    references: list[list[str]]
    scores: Scores
    settings: dict = field(default_factory=dict)  # checkpoint, data, beam, corpus counts

    def to_dict(self) -> dict:
        return {**self.scores.to_dict(), "settings": self.settings}


def evaluate(translator, data_path: str | Path, beam: int = DEFAULT_BEAM, progress=None,
             no_repeat: int = DEFAULT_NO_REPEAT, split: int = DEFAULT_SPLIT,
             **translate_options) -> Evaluation:
    """Translate every distinct source of a TSV test file and score it against all references.

    ``translator`` is a loaded ``Translator`` or a checkpoint directory. Every line is read
    (no length filter); only unparsable lines and exact duplicate pairs are left out.
    ``progress`` is an optional ``progress.Progress`` to show how far the translation is.
    """
    if isinstance(translator, (str, Path)):
        from .translator import Translator

        translator = Translator.load(translator)
    corpus = read_corpus(data_path, max_length=None)
    sources, references = group_references(corpus.pairs)
    if progress is not None:
        progress.start(len(sources))
    translate_options.update(no_repeat=no_repeat, split=split)
    hypotheses = list(translator.translate(sources, beam=beam, **translate_options,
                                           progress=progress and progress.update))
    if progress is not None:
        progress.close()
    settings = {
        "checkpoint": getattr(translator, "directory", None),
        "data": str(data_path),
        "beam": beam,
        **translate_options,
        "pairs": len(corpus.pairs),
        "bad_lines": len(corpus.bad_lines),
        "duplicates": corpus.duplicates,
    }
    return Evaluation(sources, hypotheses, references, score(hypotheses, references), settings)


def length_buckets(evaluation: Evaluation) -> list[tuple[str, Scores]]:
    """Corpus scores of the sentences in each source-length bucket (empty buckets left out)."""
    rows = []
    for low, high in LENGTH_BUCKETS:
        chosen = [i for i, s in enumerate(evaluation.sources)
                  if len(s) >= low and (high is None or len(s) <= high)]
        if chosen:
            label = f"{low}-{high}" if high is not None else f"{low}+"
            rows.append((label, score([evaluation.hypotheses[i] for i in chosen],
                                      [evaluation.references[i] for i in chosen])))
    return rows


@dataclass
class Comparison:
    """One system against a baseline on the same sentences: paired bootstrap resampling.

    For each metric, ``scores[metric]`` is (score, mean over resamples, 95% half-interval) of the
    system and ``baseline[metric]`` the same for the baseline; ``p_value[metric]`` is the chance
    of a difference at least this large if the two systems were equally good (Koehn 2004, as
    sacrebleu's ``--paired-bs`` computes it).
    """

    system: str
    baseline_name: str
    scores: dict[str, tuple[float, float, float]]
    baseline: dict[str, tuple[float, float, float]]
    p_value: dict[str, float]
    signature: dict[str, str]
    samples: int

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        rows = [f"paired bootstrap resampling ({self.samples} samples), 95% intervals:"]
        for metric in self.scores:
            base, system = self.baseline[metric], self.scores[metric]
            rows.append(f"{metric:>4}: {self.system} {system[0]:.2f} ({system[1]:.2f} ± "
                        f"{system[2]:.2f})  vs  baseline {self.baseline_name} {base[0]:.2f} "
                        f"({base[1]:.2f} ± {base[2]:.2f})  p = {self.p_value[metric]:.4f}")
        return "\n".join(rows)


def paired_bootstrap(system: tuple[str, Sequence[str]], baseline: tuple[str, Sequence[str]],
                     references: Sequence[Sequence[str]], samples: int = 1000) -> Comparison:
    """Is ``system`` (name, hypotheses) better than ``baseline`` on the same sentences, or is
    the difference within what resampling the test set gives? Uses sacrebleu's PairedTest."""
    from sacrebleu.significance import PairedTest

    check_lengths(system[1], references)
    check_lengths(baseline[1], references)
    streams = reference_streams([[r for r in refs if r is not None] for refs in references])
    test = PairedTest([(baseline[0], list(baseline[1])), (system[0], list(system[1]))],
                      {"BLEU": BLEU(references=streams), "chrF": CHRF(references=streams)},
                      references=None, test_type="bs", n_samples=samples)
    signatures, results = test()
    keys = [k for k in results if k != "System"]  # sacrebleu's names: "BLEU", "chrF2"
    comparison = Comparison(system[0], baseline[0], {}, {}, {}, {}, samples)
    for name, key in zip(("BLEU", "chrF"), keys, strict=True):
        base, other = results[key]  # sacrebleu's means and intervals are numpy floats
        comparison.baseline[name] = (float(base.score), float(base.mean), float(base.ci))
        comparison.scores[name] = (float(other.score), float(other.mean), float(other.ci))
        # sacrebleu counts resampled differences strictly above the observed one, which gives
        # p = 1/(samples+1) when there is no difference at all; no difference means p = 1
        comparison.p_value[name] = 1.0 if other.score == base.score else float(other.p_value)
        comparison.signature[name] = str(signatures[key])
    return comparison
