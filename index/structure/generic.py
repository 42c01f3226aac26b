"""Fallback structure parser for documents whose layout no other parser recognises.

`parse` splits a document at numbered headings (一、 （一） 1. （1） ① 第X章/节/条 …) into
`section` units titled by their heading; text without headings is cut into paragraph
groups of at most ~`MAX_UNIT_CHARS`. `parse_span` does the same for one stretch of text
(the dispatcher uses it for text no layout parser claimed). Every non-whitespace character
of the parsed span ends up in a unit, except page furniture found by `furniture_spans`,
which `parse` reports in `ParsedDocument.dropped`.

The small text helpers (`clean_inline`, `short_title`, `match_heading`) are shared with
the layout parsers so titles look the same everywhere.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from index.types import ParsedDocument, Unit

MAX_UNIT_CHARS = 1500
TITLE_CHARS = 30  # titles made from running text
HEADING_TITLE_CHARS = 40  # titles taken from a heading may be a little longer

# --------------------------------------------------------------------------- text helpers

# CJK ideographs, CJK and full-width punctuation, curly quotes, dashes, ellipsis: the
# characters next to which a PDF line break or a stray space carries no meaning.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\ufe30-\ufe4f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"</?[A-Za-z][^<>]{0,40}>")  # stray <p> tags inside table cells
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CLAUSE_END = re.compile(r"[，,：:]")
_MIN_CLAUSE = 4  # a shorter first clause ("同时，") says nothing about the text


def clean_inline(text: str) -> str:
    """One line of display text: tags removed, lines joined, no spaces next to CJK."""
    text = _TAGS.sub(" ", text)
    text = _SPACE_NEAR_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


def short_title(text: str, limit: int = TITLE_CHARS) -> str:
    """First sentence of `text`; if longer than `limit`, cut at the last clause break
    (，：) that fits, else clipped to `limit` characters."""
    first = _SENTENCE_END.split(clean_inline(text), maxsplit=1)[0]
    if len(first) > limit:
        breaks = [m.start() for m in _CLAUSE_END.finditer(first, 0, limit + 1)]
        cut = max((b for b in breaks if b >= _MIN_CLAUSE), default=limit)
        first = first[:cut]
    return first.strip(" ，,、：:")


# --------------------------------------------------------------------------- headings

_CN_NUM = "一二三四五六七八九十百零〇"
_DIGIT = "0-9０-９"
# (style, pattern) matched at the start of a line, after optional indentation. The
# patterns only cover the marker; what follows on the line is the heading text.
_HEADING_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"第[{_CN_NUM}{_DIGIT}]+[编章]|第[{_CN_NUM}{_DIGIT}]+部分")),
    ("part", re.compile(rf"第[{_CN_NUM}{_DIGIT}]+节")),
    ("article", re.compile(rf"第[{_CN_NUM}{_DIGIT}]+条")),
    ("cn", re.compile(rf"[{_CN_NUM}]+[、．]")),
    ("paren_cn", re.compile(rf"[（(〔]\s*[{_CN_NUM}]+\s*[）)〕]")),
    # "1." but not a decimal such as "1.2年" at the start of a broken line.
    ("arabic", re.compile(rf"[{_DIGIT}]{{1,3}}(?:[.．](?![{_DIGIT}])|、)")),
    ("paren_arabic", re.compile(rf"[（(]\s*[{_DIGIT}]{{1,3}}\s*[）)]")),
    ("circled", re.compile(r"[\u2460-\u2473]")),
)
_INDENT = re.compile(r"[ \t\u3000\xa0]*")


@dataclass(frozen=True)
class Heading:
    """A numbered heading found at the start of a line."""

    style: str
    number: str  # the marker as printed, spaces removed: "（一）", "1", "一", "第三条"
    start: int  # offset of the marker
    text_start: int  # offset right after the marker (the heading text follows)


def match_heading(text: str, pos: int, end: int) -> Heading | None:
    """The numbered heading starting the line at `pos`, if any."""
    pos = _INDENT.match(text, pos, end).end()
    for style, pattern in _HEADING_STYLES:
        m = pattern.match(text, pos, end)
        if m:
            # A bare marker with no text after it on the line is a list number or a
            # table cell, not a heading.
            rest = text[m.end() : end].split("\n", 1)[0]
            if not rest.strip():
                return None
            number = re.sub(r"\s+", "", m.group()).rstrip("、．.")
            return Heading(style, number, m.start(), m.end())
    return None


def heading_label(number: str, title: str, style: str) -> str:
    """How a heading is shown in `heading_path`: its number and title, e.g. '一、总体要求'."""
    sep = {"cn": "、", "arabic": ".", "chapter": " ", "part": " ", "article": " "}.get(style, "")
    return f"{number}{sep}{title}"


# --------------------------------------------------------------------------- furniture

_PAGE_NUMBER = re.compile(
    r"[ \t\u3000]*(?:[-—–－―~～]+[ \t\u3000]*)?(?:第[ \t\u3000]*)?[0-9０-９]{1,4}"
    r"(?:[ \t\u3000]*页)?(?:[ \t\u3000]*(?:[/／]|共)[ \t\u3000]*[0-9０-９]{1,4}[ \t\u3000]*页?)?"
    r"(?:[ \t\u3000]*[-—–－―~～]+)?[ \t\u3000]*"
)
_DASHED = re.compile(r"[-—–－―~～页/／]")
_TOC_LINE = re.compile(
    r"[ \t\u3000]*\S.{0,80}?(?:[.．·•]{4,}|…{2,}|(?:[.．·][ \t]){4,}|-{4,})[ \t\u3000]*[0-9０-９]{1,4}[ \t\u3000]*"
)
_LABEL_OR_SENTENCE_END = re.compile(r"[。！？；，、：:,;]$")
_MIN_REPEATS = 3
_LONG_RUNNING_HEADER = 8
_MIN_PAGE_CHARS = 200  # running headers are at least this far apart …
_MAX_PAGE_RATIO = 4  # … and their largest gap is at most this many times the smallest


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each line in text[start:end], newline excluded."""
    end = len(text) if end is None else end
    spans, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        spans.append((pos, stop))
        pos = stop + 1
    return spans


def _is_page_number(line: str) -> bool:
    if not line.strip() or not _PAGE_NUMBER.fullmatch(line):
        return False
    # A bare number in a tab-indented line is a table cell (序号), not a page number.
    return not (line.startswith("\t") and not _DASHED.search(line))


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Spans of page furniture: lone page numbers ("3", "- 3 -", "— 3 —", "第3页"), table
    of contents lines (dot leaders + page number) and running headers/footers.

    A running header is a line repeated at least three times that is not a heading, a
    label, a sentence or a table cell, and that either sits next to a page number or
    recurs at roughly page-like intervals. Each span covers one whole line (without its
    newline); the list is sorted and non-overlapping.
    """
    lines = line_spans(text)
    page = [_is_page_number(text[s:e]) for s, e in lines]
    running = _running_headers(text, lines, page)
    spans = []
    for i, (s, e) in enumerate(lines):
        if page[i] or i in running or _TOC_LINE.fullmatch(text[s:e]):
            spans.append((s, e))
    return spans


def _running_headers(text: str, lines: list[tuple[int, int]], page: list[bool]) -> set[int]:
    """Indexes of the lines that are running headers or footers."""
    occurrences: dict[str, list[int]] = defaultdict(list)
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        key = line.strip()
        # Tab-indented lines are table cells; headings, labels ("报送单位：") and
        # sentences recur per case as content, not as furniture.
        if not 2 <= len(key) <= 60 or line.startswith("\t") or _LABEL_OR_SENTENCE_END.search(key):
            continue
        if not match_heading(text, s, e):
            occurrences[key].append(i)
    found: set[int] = set()
    for key, idx in occurrences.items():
        if len(idx) < _MIN_REPEATS:
            continue
        near_page = any(
            page[j] for i in idx for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(lines)
        )
        # Short repeated lines ("主要做法") count only next to a page number.
        if near_page or (len(key) >= _LONG_RUNNING_HEADER and _page_like(lines, idx)):
            found.update(idx)
    return found


def _page_like(lines: list[tuple[int, int]], idx: list[int]) -> bool:
    """Whether occurrences are spread like pages: far apart and at similar intervals.

    A case title listed in a table of contents, as a heading and in a summary table
    recurs too, but at very uneven distances.
    """
    gaps = [lines[b][0] - lines[a][0] for a, b in zip(idx, idx[1:], strict=False)]
    return min(gaps) >= _MIN_PAGE_CHARS and max(gaps) <= _MAX_PAGE_RATIO * min(gaps)


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
    return clean_inline(heading_text).rstrip("。：:；;，,") == title


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
        cuts = [m.end() for m in _SENTENCE_END.finditer(window)]
        cut = start + (cuts[-1] if cuts and cuts[-1] > limit // 3 else limit)
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append((start, end))
    return out
