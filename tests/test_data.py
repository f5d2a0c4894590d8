"""Corpus reading: formats, normalisation, duplicates, bad-line reports, seeded splits."""

import unicodedata

import pytest

from seq2seq.data import CorpusError, read_corpus, split_pairs


def test_reads_plain_and_anki_formats(tmp_path):
    path = tmp_path / "mixed.tsv"
    path.write_text(
        "Hi.\tOi.\n"
        "Run!\tCorra!\tCC-BY 2.0 (France) Attribution: tatoeba.org #906328 (x) & #1 (y)\n",
        encoding="utf-8",
    )
    corpus = read_corpus(path)
    assert corpus.pairs == [("Hi.", "Oi."), ("Run!", "Corra!")]
    assert corpus.bad_lines == []


def test_nfc_strip_and_duplicates(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Não.")
    path = tmp_path / "dups.tsv"
    path.write_text(f"  No.  \t{decomposed}\nNo.\tNão.\nNo.\tNão!\n", encoding="utf-8")
    corpus = read_corpus(path)
    assert corpus.pairs == [("No.", "Não."), ("No.", "Não!")]
    assert corpus.duplicates == 1


def test_bad_lines_are_reported_with_numbers_and_reasons(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_bytes(
        b"Hi.\tOi.\n"  # 1 good
        b"no tab here\n"  # 2
        b"\tvazio\n"  # 3 empty English
        b"Empty.\t  \n"  # 4 empty Portuguese
        b"Bytes \xff\xfe.\tBytes.\n"  # 5 not UTF-8
        b"\n"  # 6 blank: ignored, not an error
        + ("x" * 30 + "\ty\n").encode()  # 7 too long for max_length=20
    )
    corpus = read_corpus(path, max_length=20)
    assert corpus.pairs == [("Hi.", "Oi.")]
    reported = {b.line_number: b.reason for b in corpus.bad_lines}
    assert sorted(reported) == [2, 3, 4, 5]  # a long pair is not bad, only left out
    assert "tab" in reported[2] and "English" in reported[3] and "Portuguese" in reported[4]
    assert "UTF-8" in reported[5] and corpus.too_long == 1
    summary = corpus.summary()
    assert "4 bad lines" in summary and "line 2" in summary
    assert "1 longer than --max-length 20 left out" in summary
    with pytest.raises(CorpusError, match="strict"):
        read_corpus(path, max_length=20, strict=True)


def test_missing_or_empty_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        read_corpus(tmp_path / "nope.tsv")
    (tmp_path / "empty.tsv").write_text("only junk\n")
    with pytest.raises(CorpusError, match="no usable pairs"):
        read_corpus(tmp_path / "empty.tsv")


def test_split_is_seeded_random_and_keeps_sentences_together():
    # sorted input, as Tatoeba files are; two translations per English sentence
    pairs = [(f"sentence {i:03d}", f"frase {i} {k}") for i in range(200) for k in "ab"]
    train, dev = split_pairs(pairs, dev_fraction=0.1, seed=7)
    assert (train, dev) == split_pairs(pairs, dev_fraction=0.1, seed=7)
    assert split_pairs(pairs, dev_fraction=0.1, seed=8)[1] != dev
    assert len(dev) == 40 and len(train) == 360
    assert not {s for s, _ in train} & {s for s, _ in dev}
    assert dev != pairs[-40:], "the dev split must not be the last lines of a sorted file"
