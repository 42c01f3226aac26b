"""A learned span selector: which contiguous run of sentences answers the question.

The sentence extracts answer with the best sentence plus the others scoring close to it,
from anywhere in the top passages; on policy documents of unknown layout the gold answer is
one contiguous span (a clause, a sentence, a paragraph), so the answer should be one run of
neighbouring sentences of one passage. `runs` lists the runs (1–`MAX_RUN` sentences of one
passage), `run_features` describes each (pure), and a linear model fitted on NCPQA dev to pick the run of highest character F1
(bench/span_selector.py, out of fold by document; weights in search/data/span_selector.json)
scores them: the best run is the answer, cited to its passage.

`selector_owns` says which questions it answers: the ones whose best source is a document
of unknown layout (a plain section, no case or measure fields), for which the structured
composer (search/compose.py) has nothing to compose; comparisons stay with the composer,
which answers per place. How-to questions about cases and measures stay with the composer
too: answered by one run, method questions of the tuned-on typed set fell from 5/8 to 3/8
(the case's opening sentence and the steps are in different places of the unit).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.compose import Candidate

WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "span_selector.json"
MAX_RUN = 3
COMPOSER_ONLY = frozenset({"comparison"})  # never the selector: answered per place
FEATURES = (
    "bias",
    "max_score",
    "mean_score",
    "first_score",
    "gap_to_best",
    "rank_of_first",  # of the run's first sentence among all candidates, by score
    "hit_rank",
    "top_hit",
    "first_in_passage",
    "position",
    "run_length",
    "log_chars",
    "ends_sentence",
)


@dataclass(frozen=True)
class Run:
    """Candidates [start, end) — neighbouring sentences of one passage (`hit`)."""

    hit: int
    start: int
    end: int


def selector_owns(kind: str, unit_kind: str) -> bool:
    """Whether the selector answers a question of `kind` whose best source is a unit of
    `unit_kind` (index.types.UNIT_KINDS)."""
    return kind not in COMPOSER_ONLY and unit_kind == "section"


def runs(candidates: Sequence[Candidate], max_run: int = MAX_RUN) -> list[Run]:
    """Every run of 1..`max_run` consecutive candidates of the same passage."""
    out = []
    for i, c in enumerate(candidates):
        for j in range(i + 1, min(len(candidates), i + max_run) + 1):
            if candidates[j - 1].hit != c.hit:
                break
            out.append(Run(c.hit, i, j))
    return out


def run_text(candidates: Sequence[Candidate], run: Run) -> str:
    return "".join(candidates[i].text for i in range(run.start, run.end))


def run_features(
    candidates: Sequence[Candidate], scores: Sequence[float], found: Sequence[Run]
) -> np.ndarray:
    """One row of `FEATURES` per run (pure)."""
    scores = np.asarray(scores, dtype=np.float64)
    best = float(scores.max()) if len(scores) else 0.0
    order = np.argsort(-scores, kind="stable")
    rank = np.empty(len(scores), dtype=np.int64)
    rank[order] = np.arange(len(scores))
    first_of_hit: dict[int, int] = {}
    for i, c in enumerate(candidates):
        first_of_hit.setdefault(c.hit, i)

    rows = []
    for r in found:
        s = scores[r.start : r.end]
        text = run_text(candidates, r)
        pos = r.start - first_of_hit[r.hit]
        rows.append(
            [
                1.0,
                float(s.max()),
                float(s.mean()),
                float(s[0]),
                float(s.max()) - best,
                math.log1p(float(rank[r.start])),
                float(min(r.hit, 5)),
                float(r.hit == 0),
                float(pos == 0),
                math.log1p(pos),
                float(r.end - r.start),
                math.log1p(len(text)),
                float(text.rstrip()[-1:] in "。！？!?；;"),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(found), len(FEATURES))


@dataclass(frozen=True)
class SpanSelector:
    """A linear score over `run_features` (standardised with `mean`/`scale`)."""

    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    card: dict

    def score(self, features: np.ndarray) -> np.ndarray:
        x = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        return x @ np.asarray(self.weights)

    def select(self, candidates: Sequence[Candidate], scores: Sequence[float]) -> Run | None:
        found = runs(candidates)
        if not found:
            return None
        return found[int(np.argmax(self.score(run_features(candidates, scores, found))))]

    def to_json(self) -> dict:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "mean": list(self.mean),
            "scale": list(self.scale),
            **self.card,
        }


def load_selector(path: Path = WEIGHTS_PATH) -> SpanSelector | None:
    """The fitted selector, or None when there is no weights file (or it has other features)."""
    path = Path(path)
    if not path.exists():
        return None
    raw = json.loads(path.read_text("utf-8"))
    if tuple(raw.get("features", ())) != FEATURES:
        return None
    card = {k: v for k, v in raw.items() if k not in ("features", "weights", "mean", "scale")}
    return SpanSelector(tuple(raw["weights"]), tuple(raw["mean"]), tuple(raw["scale"]), card)
