"""Long inputs cut into pieces the model translates well: sentences, then clauses.

The models learn from short Tatoeba pairs and translate short sentences far better than long
ones (model card: beam-5 chrF about 53 on dev, 32 on sources over 50 characters), so an input
longer than ``longest`` characters is translated piece by piece and the pieces' translations
are joined again. It is split at sentence ends; a sentence still longer than ``longest`` is cut
at commas, semicolons and colons, and before English clause words ("and", "which", ...). Pieces
shorter than ``MIN_PIECE`` characters join a neighbour, so "U.S." or "Yes," never stand alone.
"""

from __future__ import annotations

import re

MIN_PIECE = 25  # characters; shorter pieces join their neighbour
# a sentence ends at . ! ? (and any closing quotes or brackets) followed by a space and a capital,
# a digit or an opening quote
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+(?=[A-Z0-9\"“‘'(\[])")
# no sentence end after initials ("U.S.", "J.") or these titles
ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.)+|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Gov|Sen|Rep|Col|Lt|Sgt|Capt|Mt|"
    r"vs|etc|No|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)
CLAUSE_BREAK = re.compile(
    r"(?:(?<=[,;:])|(?<=[,;:][\"'”’)]))\s+|\s+(?=(?:and|but|or|because|which|who|when|while|where|so|that)\s)"
)
SENTENCE_FINAL = ".!?…"
CLOSING = "\"'”’)]"


def _sentences(text: str) -> list[str]:
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        before = text[start : match.start()]
        if ABBREVIATION.search(before):
            continue
        pieces.append(before)
        start = match.end()
    pieces.append(text[start:])
    return pieces


def _merge_short(pieces: list[str]) -> list[str]:
    """Join each piece shorter than MIN_PIECE to the next one (the last to the one before)."""
    merged: list[str] = []
    pending = ""
    for piece in pieces:
        pending = f"{pending} {piece}" if pending else piece
        if len(pending) >= MIN_PIECE:
            merged.append(pending)
            pending = ""
    if pending:
        if merged:
            merged[-1] = f"{merged[-1]} {pending}"
        else:
            merged.append(pending)
    return merged


def split(text: str, longest: int) -> list[str]:
    """``text`` as pieces to translate one by one; ``[text]`` when it is at most ``longest``
    characters (or ``longest`` is 0). Joining the pieces with spaces gives ``text`` back, up to
    runs of whitespace."""
    text = text.strip()
    if not longest or len(text) <= longest:
        return [text]
    pieces = []
    for sentence in _merge_short(_sentences(text)):
        if len(sentence) > longest:
            pieces.extend(_merge_short([c for c in CLAUSE_BREAK.split(sentence) if c]))
        else:
            pieces.append(sentence)
    return pieces


def as_sentence(piece: str) -> str:
    """A piece as the model saw sentences in training: capitalised, ending in a full stop rather
    than the , ; or : it was cut after (``join`` puts the piece's own first letter and
    punctuation back)."""
    piece = piece[:1].upper() + piece[1:]
    body = piece.rstrip(CLOSING)
    if body[-1:] in ",;:":
        piece = body[:-1] + "." + piece[len(body) :]
    return piece


def model_inputs(pieces: list[str]) -> list[str]:
    """What the model translates for one input's pieces: each as a sentence, if it was cut."""
    return [as_sentence(p) for p in pieces] if len(pieces) > 1 else pieces


def join(sources: list[str], translations: list[str]) -> str:
    """The translations of one input's pieces as one text: a piece that starts in lower case
    starts its translation in lower case, and a piece that does not end a sentence loses the
    full stop the model adds (keeping the piece's own , ; or :)."""
    out = []
    for source, translation in zip(sources, translations, strict=True):
        if not translation:
            continue
        if source[:1].islower() and translation[:1].isupper():
            translation = translation[0].lower() + translation[1:]
        end = source.rstrip(CLOSING)[-1:]
        if end not in SENTENCE_FINAL and translation.rstrip(CLOSING)[-1:] in SENTENCE_FINAL:
            body = translation.rstrip(CLOSING)
            translation = body[:-1] + translation[len(body) :]
        if end in ",;:" and not translation.endswith(end):
            translation += end
        out.append(translation)
    return " ".join(out)
