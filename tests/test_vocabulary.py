"""Character vocabularies: reserved ids, unknown characters, JSON round trip."""

from seq2seq.checkpoint import load_vocabulary
from seq2seq.vocabulary import END_ID, PAD_ID, START_ID, UNK_ID, CharVocabulary


def test_reserved_ids_and_round_trip():
    vocab = CharVocabulary.build(["olá", "oi"])
    assert vocab.itos[:4] == ["<pad>", "<unk>", "<s>", "</s>"]
    assert (PAD_ID, UNK_ID, START_ID, END_ID) == (0, 1, 2, 3)
    ids = vocab.encode("olá")
    assert min(ids) > END_ID
    assert vocab.decode([START_ID, *ids, END_ID, *ids, PAD_ID]) == "olá"


def test_unknown_characters_map_to_unk_and_never_raise():
    vocab = CharVocabulary.build(["abc"])
    assert vocab.encode("aZc€") == [vocab.stoi["a"], UNK_ID, vocab.stoi["c"], UNK_ID]
    assert vocab.unknown("aZc€Z") == ["Z", "€"]


def test_saved_as_readable_json(tmp_path):
    vocab = CharVocabulary.build(["ação", "pão"])
    vocab.save(tmp_path / "v.json")
    text = (tmp_path / "v.json").read_text()
    assert "ç" in text and '"kind": "char"' in text  # readable, not escaped
    loaded = load_vocabulary(tmp_path / "v.json")
    assert loaded.itos == vocab.itos
