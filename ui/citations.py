"""Citations a reader can check: where the cited sentences are in the source text, and a
link to the original file.

Passage text is cleaned (whitespace inside sentences removed), so a quoted sentence is
found in the source by comparing without whitespace and mapping back to offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

_SPACE = re.compile(r"\s")
_TRAILING = "。；;，,、 "
MAX_QUOTES = 12


def quote_spans(
    source: str, start: int, end: int, sentences: Iterable[str]
) -> list[tuple[int, int]]:
    """Document offsets of each sentence found in source[start:end], whitespace ignored."""
    keep = [i for i in range(start, min(end, len(source))) if not _SPACE.match(source[i])]
    compact = "".join(source[i] for i in keep)
    spans = []
    for sentence in list(sentences)[:MAX_QUOTES]:
        core = _SPACE.sub("", str(sentence)).rstrip(_TRAILING)
        at = compact.find(core) if core else -1
        if at >= 0:
            spans.append((keep[at], keep[at + len(core) - 1] + 1))
    return spans


def original_url(corpus_dir: Path, doc: str) -> str:
    """The page's link to a corpus file (served by Gradio from the allowed corpus folder)."""
    path = (Path(corpus_dir) / doc).resolve()
    if not path.is_file():
        return ""
    return "gradio_api/file=" + quote(str(path))
