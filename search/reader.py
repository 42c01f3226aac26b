"""The extractive reader at question time: the answer span of the top passages.

`best_span` (pure) decodes a passage's start/end token scores into a character span;
`Reader.read` runs the model (index/reader_model.py) over the top passages and returns the
best span with the passage it came from, so the citation is that passage. `reader_owns`
says which questions the reader answers: the ones the structured composer (search/compose.py)
has no layout for — how-to / policy questions, and any question whose best source is a
document of unknown layout (a plain section, no case or measure fields); comparisons stay
with the composer, which answers per place.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.reader_model import READER_DIR, PassageLogits, load_card, load_reader

READ_PASSAGES = 2  # passages read per question (each one forward pass of the model)
MAX_READ_CHARS = 420  # longest text read; a passage is ≤ 400 characters (Config.chunk_max)
READER_KINDS = frozenset({"method"})  # question kinds the reader answers whatever the layout
COMPOSER_ONLY = frozenset({"comparison"})  # never the reader: answered per place


@dataclass(frozen=True)
class Span:
    """An answer span: characters [start, end) of the `hit`-th text read."""

    hit: int
    start: int
    end: int
    text: str
    score: float  # span score minus the passage's "no answer" score (logits)


def best_span(logits: PassageLogits, max_tokens: int) -> tuple[int, int, float] | None:
    """(start char, end char, margin) of the best span of one passage, or None when the
    passage has no token of text. The score of tokens i..j is start[i] + end[j] (j ≥ i, at
    most `max_tokens` tokens); the margin is that minus the "no answer" score at <s>."""
    inside = logits.offsets[:, 0] >= 0
    if not inside.any():
        return None
    start = np.where(inside, logits.start, -np.inf)
    end = np.where(inside, logits.end, -np.inf)
    n = len(start)
    i, j = np.triu_indices(n)
    keep = (j - i) < max_tokens
    i, j = i[keep], j[keep]
    total = start[i] + end[j]
    best = int(np.argmax(total))
    if not np.isfinite(total[best]):
        return None
    a, b = int(i[best]), int(j[best])
    null = float(logits.start[0] + logits.end[0])
    return int(logits.offsets[a, 0]), int(logits.offsets[b, 1]), float(total[best]) - null


_CLOSE = "。；;！？!?"


def tidy_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading punctuation or spaces, and ended at the end of its sentence
    when only a few characters of it are left out (the model often stops before "。")."""
    while start < end and (text[start].isspace() or text[start] in "，,、；;。：:）)"):
        start += 1
    rest = text[end : end + 6]
    stop = next((k for k, ch in enumerate(rest) if ch in _CLOSE), None)
    if stop is not None:
        end += stop + 1
    return start, end


def reader_owns(kind: str, unit_kind: str) -> bool:
    """Whether the reader answers a question of `kind` whose best source is a unit of
    `unit_kind` (index.types.UNIT_KINDS)."""
    if kind in COMPOSER_ONLY:
        return False
    return kind in READER_KINDS or unit_kind == "section"


class Reader:
    """The shipped reader over the base model folder; the model is loaded on first use."""

    def __init__(self, base_dir: str | Path, folder: Path = READER_DIR) -> None:
        self.base_dir = base_dir
        self.folder = Path(folder)
        self.card = load_card(self.folder)
        self._model = None
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.card is not None

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                self._model, self.card = load_reader(self.base_dir, self.folder)
            return self._model

    def read(self, question: str, texts: Sequence[str]) -> Span | None:
        """The best answer span over `texts` (the top passages, best first), or None when
        every passage's "no answer" scores higher than its best span by the card's margin."""
        texts = [t[:MAX_READ_CHARS] for t in texts]
        if not texts or self.card is None:
            return None
        found = []
        for h, logits in enumerate(self.model.read(question, texts)):
            span = best_span(logits, self.card.max_answer_tokens)
            if span is not None:
                a, b, score = span
                a, b = tidy_span(texts[h], a, b)
                if b > a:
                    found.append(Span(h, a, b, texts[h][a:b], score))
        found = [s for s in found if s.score >= self.card.null_margin]
        return max(found, key=lambda s: s.score, default=None)
