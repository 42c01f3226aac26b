"""A learned span selector: which contiguous run of sentences answers the question.

The sentence extracts answer with the best sentence plus the others scoring close to it,
from anywhere in the top passages; on policy documents of unknown layout the gold answer is
one contiguous span (a clause, a sentence, a paragraph), so the answer should be one run of
neighbouring sentences of one passage. `runs` lists the runs (1–`MAX_RUN` sentences of one
passage, each also with up to `MAX_TRIM` clauses dropped from its start and from its end: gold
spans are short — median 37 characters against 90 for whole sentence runs — and often start
after a clause restating the question's subject, "对…，"), `run_features` describes each
(pure; with the question's words and kind, so the length expected of a kind of question and
a dropped clause that repeats the question are learned), and a linear model fitted on NCPQA dev to pick the run of highest character F1
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
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.compose import Candidate

log = logging.getLogger(__name__)

WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "span_selector.json"
MAX_RUN = 3
MAX_TRIM = 2  # clauses dropped at either end: out of fold 1 → 0.428, 2 → 0.435, 3 → 0.426
CLAUSE = re.compile(r"[^，；：,;:]*[，；：,;:]?")
CLAUSE_END = "，；：,;:"
KINDS = ("field", "figure", "list", "method", "multi")  # kinds with their own length prior
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
    "trimmed_start",
    "trimmed_end",
    "log_trim_start",
    "log_trim_end",
    "log_clauses",
    "question_overlap",  # share of the span's character bigrams that are the question's
    "dropped_overlap",  # the same for the clauses dropped at the start
    "first_clause_overlap",
    *(f"log_chars_{k}" for k in KINDS),
    *(f"log_clauses_{k}" for k in KINDS),
)


@dataclass(frozen=True)
class Run:
    """Candidates [start, end) — neighbouring sentences of one passage (`hit`) — less
    `lead` clauses at the start of the first and `tail` clauses at the end of the last."""

    hit: int
    start: int
    end: int
    lead: int = 0
    tail: int = 0


def selector_owns(kind: str, unit_kind: str) -> bool:
    """Whether the selector answers a question of `kind` whose best source is a unit of
    `unit_kind` (index.types.UNIT_KINDS)."""
    return kind not in COMPOSER_ONLY and unit_kind == "section"


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence, each with the comma, semicolon or colon that ends it."""
    return [c for c in CLAUSE.findall(sentence) if c]


def runs(
    candidates: Sequence[Candidate], max_run: int = MAX_RUN, max_trim: int = MAX_TRIM
) -> list[Run]:
    """Every run of 1..`max_run` consecutive candidates of the same passage, each with
    0..`max_trim` clauses dropped at the start and at the end (never all of them)."""
    out = []
    for i, c in enumerate(candidates):
        first = len(clauses(c.text))
        for j in range(i + 1, min(len(candidates), i + max_run) + 1):
            if candidates[j - 1].hit != c.hit:
                break
            last = len(clauses(candidates[j - 1].text))
            for lead in range(min(max_trim, first - 1) + 1):
                for tail in range(min(max_trim, last - 1) + 1):
                    if j - i > 1 or lead + tail < first:
                        out.append(Run(c.hit, i, j, lead, tail))
    return out


def run_pieces(candidates: Sequence[Candidate], run: Run) -> list[str]:
    """The run's text per sentence, the dropped clauses left out."""
    parts = [clauses(candidates[i].text) for i in range(run.start, run.end)]
    parts[0] = parts[0][run.lead :]
    parts[-1] = parts[-1][: len(parts[-1]) - run.tail]
    pieces = ["".join(p) for p in parts]
    if run.tail:  # a span cut inside a sentence ends without the clause's comma
        pieces[-1] = pieces[-1].rstrip(CLAUSE_END)
    return pieces


def run_text(candidates: Sequence[Candidate], run: Run) -> str:
    return "".join(run_pieces(candidates, run))


def bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def overlap(text: str, question: set[str]) -> float:
    """Share of `text`'s character bigrams found in the question's (`question`)."""
    own = bigrams(text)
    return len(own & question) / len(own) if own else 0.0


def run_features(
    candidates: Sequence[Candidate],
    scores: Sequence[float],
    found: Sequence[Run],
    question: str = "",
    kind: str = "",
) -> np.ndarray:
    """One row of `FEATURES` per run (pure): `question` and its recognised `kind`
    (search.question.KINDS) for the overlap and length-prior features."""
    scores = np.asarray(scores, dtype=np.float64)
    best = float(scores.max()) if len(scores) else 0.0
    order = np.argsort(-scores, kind="stable")
    rank = np.empty(len(scores), dtype=np.int64)
    rank[order] = np.arange(len(scores))
    first_of_hit: dict[int, int] = {}
    for i, c in enumerate(candidates):
        first_of_hit.setdefault(c.hit, i)
    asked = bigrams(question)

    rows = []
    for r in found:
        s = scores[r.start : r.end]
        text = run_text(candidates, r)
        pos = r.start - first_of_hit[r.hit]
        own = clauses(text)
        dropped = "".join(clauses(candidates[r.start].text)[: r.lead])
        log_chars, log_clauses = math.log1p(len(text)), math.log1p(len(own))
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
                log_chars,
                float(text.rstrip()[-1:] in "。！？!?；;"),
                float(r.lead > 0),
                float(r.tail > 0),
                math.log1p(r.lead),
                math.log1p(r.tail),
                log_clauses,
                overlap(text, asked),
                overlap(dropped, asked),
                overlap(own[0], asked) if own else 0.0,
                *(log_chars * (kind == k) for k in KINDS),
                *(log_clauses * (kind == k) for k in KINDS),
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

    def select(
        self,
        candidates: Sequence[Candidate],
        scores: Sequence[float],
        question: str = "",
        kind: str = "",
    ) -> Run | None:
        found = runs(candidates)
        if not found:
            return None
        x = run_features(candidates, scores, found, question, kind)
        return found[int(np.argmax(self.score(x)))]

    def to_json(self) -> dict:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "mean": list(self.mean),
            "scale": list(self.scale),
            **self.card,
        }


def load_selector(path: Path = WEIGHTS_PATH) -> SpanSelector | None:
    """The fitted selector, or None when there is no weights file, or it is unreadable or
    written for other features: answers fall back to sentence extracts, and the log says
    why (a broken file must not stop the page from starting)."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text("utf-8"))
        if tuple(raw.get("features", ())) != FEATURES:
            log.warning(
                "答案区间选择器 %s 的特征与程序不符，已改用句子摘录；请运行 yingshang train-reader",
                path,
            )
            return None
        card = {k: v for k, v in raw.items() if k not in ("features", "weights", "mean", "scale")}
        return SpanSelector(tuple(raw["weights"]), tuple(raw["mean"]), tuple(raw["scale"]), card)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("无法读取答案区间选择器 %s（%s），已改用句子摘录", path, exc)
        return None
