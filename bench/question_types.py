"""Accuracy of question recognition (search.question) on labelled question sets.

    python -m bench.question_types [eval/answer_types_tune.jsonl eval/answer_types_holdout.jsonl]

For each set: kind accuracy over the answerable rows (the label "none" says the documents
cannot answer, not what is asked, so those rows are left out), field accuracy (the set of
fields asked equals the labelled `fields`, on rows that have them), places found on
comparison rows, and on "none" rows how many name a place the index lacks. The misses are
listed per row, except for held-out sets (a file name with "holdout"): nobody tunes on those,
so only their summary is printed.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from index.config import REPO_ROOT, Config
from index.embedding import Encoder
from index.metadata import read_meta
from index.reading import read_document
from index.structure import parse_document
from search.answer import detect_intent, reconcile
from search.question import Gazetteer, Question, QuestionModel, understand

DEFAULT_SETS = (
    REPO_ROOT / "eval" / "answer_types_tune.jsonl",
    REPO_ROOT / "eval" / "answer_types_holdout.jsonl",
)


@dataclass(frozen=True)
class Report:
    name: str
    kind_right: int
    kind_total: int
    field_right: int
    field_total: int
    place_right: int
    place_total: int
    by_kind: dict[str, tuple[int, int]]
    misses: tuple[str, ...]

    def lines(self, rows: bool = True) -> list[str]:
        def rate(a: int, b: int) -> str:
            return f"{a}/{b} = {a / b:.3f}" if b else "-"

        out = [
            f"{self.name}: kind accuracy {rate(self.kind_right, self.kind_total)}; "
            f"field accuracy {rate(self.field_right, self.field_total)}; "
            f"comparison places {rate(self.place_right, self.place_total)}",
            "  " + "  ".join(f"{k} {rate(*v)}" for k, v in sorted(self.by_kind.items())),
        ]
        return out + ([f"  miss {m}" for m in self.misses] if rows else [])


def load_rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def score(name: str, rows: list[dict], recognised: list[Question]) -> Report:
    by_kind: dict[str, list[int]] = {}
    kind_right = kind_total = field_right = field_total = place_right = place_total = 0
    misses = []
    for row, q in zip(rows, recognised, strict=True):
        if row["type"] == "none":
            continue
        ok = q.kind == row["type"]
        kind_total += 1
        kind_right += ok
        tally = by_kind.setdefault(row["type"], [0, 0])
        tally[0] += ok
        tally[1] += 1
        if row.get("fields"):
            field_total += 1
            field_ok = set(q.fields) == set(row["fields"])
            field_right += field_ok
            ok = ok and field_ok
        if row.get("places"):
            place_total += 1
            place_right += all(any(p in f or f in p for f in q.places) for p in row["places"])
        if not ok:
            misses.append(
                f"{row['id']} {row['type']}{row.get('fields', '')} → {q.kind}{list(q.fields)}: {row['query']}"
            )
    return Report(
        name,
        kind_right,
        kind_total,
        field_right,
        field_total,
        place_right,
        place_total,
        {k: (v[0], v[1]) for k, v in by_kind.items()},
        tuple(misses),
    )


def gazetteer_for(config: Config) -> Gazetteer:
    """From the corpus documents' units, parsed as the index parses them."""
    return corpus_places(config)[0]


def corpus_places(config: Config) -> tuple[Gazetteer, frozenset[str]]:
    """From the corpus documents' units, parsed as the index parses them: the gazetteer, and
    the regions of the documents with task rows (what `search.answer.index_task_places`
    reads from an index)."""
    regions, titles, task_places = [], [], set()
    for path in sorted(config.corpus_dir.glob("*.txt")):
        source = read_document(path)
        parsed = parse_document(source.text, path.name, path.stem[:8])
        regions += [u.region for u in parsed.units if u.region]
        titles += [u.title for u in parsed.units]
        if any(u.lead_units or u.coop_units or u.deadline for u in parsed.units):
            task_places.add(read_meta(config.corpus_dir, path.name).region)
    return Gazetteer.from_units(regions, titles), frozenset(task_places - {""})


def main(argv: list[str]) -> int:
    config = Config()
    encoder = Encoder(config)
    model = QuestionModel.build(encoder, cache_dir=config.cache_dir)
    gazetteer, task_places = corpus_places(config)
    paths = [Path(a) for a in argv] or list(DEFAULT_SETS)
    for path in paths:
        rows = load_rows(path)
        recognised = [understand(r["query"], model, gazetteer) for r in rows]
        held_out = "holdout" in path.name
        for line in score(path.name, rows, recognised).lines(rows=not held_out):
            print(line)
        # As the answers use it: checked against the words that say how much, when or who
        # (search.answer.reconcile).
        used = [reconcile(q, detect_intent(q.text), task_places) for q in recognised]
        print("  after reconcile:", score(path.name, rows, used).lines()[0].split(": ", 1)[1])
        none = [q for r, q in zip(rows, recognised, strict=False) if r["type"] == "none"]
        flagged = sum(bool(q.unknown_places) for q in none)
        print(f"  none rows naming a place the index lacks: {flagged}/{len(none)}")
        print("  kinds recognised on none rows:", dict(Counter(q.kind for q in none)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
