"""Fallback structure parser for documents whose layout no other parser recognises.

`parse` splits a document at numbered headings (一、 （一） 1. （1） ① 第X章/节/条 …) into
`section` units titled by their heading; text without headings is cut into paragraph
groups of at most ~`MAX_UNIT_CHARS`. `parse_span` does the same for one stretch of text
(the dispatcher uses it for text no layout parser claimed). Every non-whitespace character
of the parsed span ends up in a unit, except page furniture found by `furniture_spans`,
which `parse` reports in `ParsedDocument.dropped`. Headings, titles and furniture are found
with the helpers in `index.structure.common`, shared with the layout parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.structure.common import (
    HEADING_TITLE_CHARS,
    SENTENCE_END_MARK,
    Heading,
    furniture_spans,
    heading_label,
    line_spans,
    match_heading,
    one_line,
    short_title,
)
from index.types import ParsedDocument, Unit

MAX_UNIT_CHARS = 1500

# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Line:
    start: int  # first non-whitespace character
    end: int  # after the last non-whitespace character


def parse(text: str, doc: str) -> ParsedDocument:
    """Parse a whole document of unknown layout."""
    dropped = furniture_spans(text)
    units = _parse_region(text, doc, 0, len(text), dropped)
    return ParsedDocument(units=tuple(units), dropped=tuple(dropped), layout="generic")


def parse_span(text: str, doc: str, start: int, end: int) -> list[Unit]:
    """Section units covering every non-whitespace character of text[start:end]."""
    return _parse_region(text, doc, start, end, [])


def _parse_region(
    text: str, doc: str, start: int, end: int, skip: list[tuple[int, int]]
) -> list[Unit]:
    lines = _content_lines(text, start, end, skip)
    if not lines:
        return []
    heads = [(i, h) for i, ln in enumerate(lines) if (h := match_heading(text, ln.start, ln.end))]
    if not heads:
        return _paragraph_units(text, doc, lines, ())
    units = _paragraph_units(text, doc, lines[: heads[0][0]], ())  # preamble
    levels = _levels([h.style for _, h in heads])
    stack: list[tuple[int, str]] = []
    pending: int | None = None  # start of headings with no body of their own
    for k, (i, head) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        level = levels[head.style]
        while stack and stack[-1][0] >= level:
            stack.pop()
        path = tuple(label for _, label in stack)
        title = (
            short_title(text[head.text_start : lines[i].end], HEADING_TITLE_CHARS) or head.number
        )
        stack.append((level, heading_label(head.number, title, head.style)))
        next_is_child = k + 1 < len(heads) and levels[heads[k + 1][1].style] > level
        bare = stop == i + 1 and _is_bare(text[head.text_start : lines[i].end], title)
        if bare and next_is_child:
            # A bare group heading: keep its text with its first child, whose
            # heading_path names it.
            pending = head.start if pending is None else pending
            continue
        block = [
            _Line(head.start if pending is None else pending, lines[i].end),
            *lines[i + 1 : stop],
        ]
        pending = None
        units += _heading_units(text, doc, block, head, title, path)
    return units


def _is_bare(heading_text: str, title: str) -> bool:
    """Whether a heading line holds only its title (no run-in body text)."""
    return one_line(heading_text).rstrip("。：:；;，,") == title


def _content_lines(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> list[_Line]:
    """Non-blank lines of text[start:end] trimmed to their content, furniture left out."""
    out = []
    for s, e in line_spans(text, start, end):
        if any(a <= s and e <= b for a, b in skip):
            continue
        line = text[s:e]
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append(_Line(s + lead, s + lead + len(stripped)))
    return out


def _levels(styles: list[str]) -> dict[str, int]:
    """Nesting level of each heading style: the order in which the styles first appear."""
    levels: dict[str, int] = {}
    for style in styles:
        levels.setdefault(style, len(levels) + 1)
    return levels


def _heading_units(
    text: str, doc: str, block: list[_Line], head: Heading, title: str, path: tuple[str, ...]
) -> list[Unit]:
    """One unit for a heading and its body, or several when the body is too long."""
    groups = _pack(text, block)
    label = heading_label(head.number, title, head.style)
    units = [_unit(doc, groups[0][0], groups[0][1], title, head.number, path)]
    for s, e in groups[1:]:
        units.append(_unit(doc, s, e, short_title(text[s:e]), "", (*path, label)))
    return units


def _paragraph_units(text: str, doc: str, lines: list[_Line], path: tuple[str, ...]) -> list[Unit]:
    return [_unit(doc, s, e, short_title(text[s:e]), "", path) for s, e in _pack(text, lines)]


def _unit(doc: str, start: int, end: int, title: str, number: str, path: tuple[str, ...]) -> Unit:
    return Unit(
        id=f"{doc}#section@{start}",  # provisional; the dispatcher renumbers
        doc=doc,
        kind="section",
        title=title,
        start=start,
        end=end,
        number=number,
        heading_path=path,
    )


def _pack(text: str, lines: list[_Line], limit: int = MAX_UNIT_CHARS) -> list[tuple[int, int]]:
    """Group lines into spans of at most `limit` chars, preferring paragraph breaks.

    A paragraph is a run of lines without a blank line between them; a paragraph or
    a line that is itself too long is cut at sentence ends, as a last resort anywhere.
    """
    atoms: list[tuple[int, int]] = []
    for para in _paragraphs(text, lines):
        atoms += _split_long(text, para, limit)
    groups: list[tuple[int, int]] = []
    for s, e in atoms:
        if groups and e - groups[-1][0] <= limit:
            groups[-1] = (groups[-1][0], e)
        else:
            groups.append((s, e))
    return groups


def _paragraphs(text: str, lines: list[_Line]) -> list[list[_Line]]:
    paras: list[list[_Line]] = []
    for ln in lines:
        if paras and "\n\n" not in _SPACES_NO_NL.sub("", text[paras[-1][-1].end : ln.start]):
            paras[-1].append(ln)
        else:
            paras.append([ln])
    return paras


_SPACES_NO_NL = re.compile(r"[^\S\n]+")


def _split_long(text: str, para: list[_Line], limit: int) -> list[tuple[int, int]]:
    start, end = para[0].start, para[-1].end
    if end - start <= limit:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    for ln in para:
        pieces += _split_at_sentences(text, ln.start, ln.end, limit)
    out: list[tuple[int, int]] = []
    for s, e in pieces:
        if out and e - out[-1][0] <= limit:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _split_at_sentences(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    out = []
    while end - start > limit:
        window = text[start : start + limit]
        cuts = [m.end() for m in SENTENCE_END_MARK.finditer(window)]
        cut = start + (cuts[-1] if cuts and cuts[-1] > limit // 3 else limit)
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append((start, end))
    return out
