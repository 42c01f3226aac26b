"""Mine domain terms for jieba from a corpus: frequent n-grams that jieba splits.

Offline calibration: `python -m bench.terms --corpus corpus/ [--top 150]` prints candidate
terms, best first; the chosen ones are kept as data in `index/data/domain_terms.txt` (read by
`index.lexical`). A candidate is a 3–6 character run of Chinese that
- occurs at least `min_count` times in at least `min_docs` documents,
- is cut into several tokens by jieba (else jieba already knows it),
- is closed: no longer candidate containing it occurs almost as often (then the longer one
  is the term and this is a fragment of it),
- varies at both edges (left and right neighbour entropy), which fragments of phrases lack,
- does not start or end with a function character (的、和、在 …).
"""

from __future__ import annotations

import argparse
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import jieba

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_EDGE_STOP = set("的了和与及或是在有也就都而并对把被让给从向为以于上下中等这那其之个些我你他它")


def ngrams(run: str, n_min: int, n_max: int) -> Iterable[tuple[str, str, str]]:
    """(n-gram, left neighbour, right neighbour) for every n-gram of a run of Chinese."""
    for n in range(n_min, n_max + 1):
        for i in range(len(run) - n + 1):
            left = run[i - 1] if i > 0 else ""
            right = run[i + n] if i + n < len(run) else ""
            yield run[i : i + n], left, right


def _entropy(counter: Counter) -> float:
    total = sum(counter.values())
    return -sum(c / total * math.log(c / total) for c in counter.values()) if total else 0.0


def mine_terms(
    texts: Sequence[str],
    min_count: int = 4,
    min_docs: int = 2,
    n_range: tuple[int, int] = (3, 6),
    min_entropy: float = 1.0,
    known: Iterable[str] = (),
) -> list[tuple[str, int]]:
    """Candidate terms with their counts, most frequent first (see the module docstring)."""
    counts: Counter = Counter()
    docs: dict[str, set[int]] = defaultdict(set)
    lefts: dict[str, Counter] = defaultdict(Counter)
    rights: dict[str, Counter] = defaultdict(Counter)
    for d, text in enumerate(texts):
        for run in _HAN_RUN.findall(text):
            for g, left, right in ngrams(run, *n_range):
                counts[g] += 1
                docs[g].add(d)
                lefts[g][left] += 1
                rights[g][right] += 1
    known = set(known)
    frequent = {g: c for g, c in counts.items() if c >= min_count and len(docs[g]) >= min_docs}
    out = []
    for g, c in frequent.items():
        if g in known or g[0] in _EDGE_STOP or g[-1] in _EDGE_STOP:
            continue
        if len(jieba.lcut(g, HMM=False)) < 2:
            continue  # jieba keeps it whole already
        if min(_entropy(lefts[g]), _entropy(rights[g])) < min_entropy:
            continue  # always preceded or followed by the same character: a fragment
        longer = (frequent.get(g + ch, 0) for ch in rights[g] if ch)
        longer2 = (frequent.get(ch + g, 0) for ch in lefts[g] if ch)
        if max([*longer, *longer2, 0]) >= 0.8 * c:
            continue
        out.append((g, c))
    return sorted(out, key=lambda gc: (-gc[1], gc[0]))


def main(argv: list[str] | None = None) -> int:
    from index.build import corpus_files
    from index.lexical import domain_terms
    from index.reading import read_document

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", default="corpus")
    p.add_argument("--top", type=int, default=150)
    p.add_argument("--min-count", type=int, default=4)
    args = p.parse_args(argv)
    texts = [read_document(f).text for f in corpus_files(Path(args.corpus))]
    for term, count in mine_terms(texts, args.min_count, known=domain_terms())[: args.top]:
        print(f"{term}\t{count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
