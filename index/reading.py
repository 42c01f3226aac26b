"""Turn a document file into its *source text*: the string every offset refers to.

Supported: .txt/.md (encoding detected), .docx (paragraphs and table rows in body order),
.pdf (text layer only) and .html/.htm (block elements as lines). Anything we cannot turn
into meaningful text raises `UnreadableDocument` with a Chinese message a user can act on;
odd-but-usable input comes back with `SourceText.warnings`.

Everything here is linear in the input size: a 20 MB file with no line breaks must not
stall indexing, so encoding detection looks at a bounded sample and full passes use
C-level str/bytes methods or compiled regexes.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from index.intake import binary_kind  # intake owns the table of file signatures
from index.locations import Locations

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf", *HTML_SUFFIXES)
_FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}

# A paragraph longer than this (in characters, without a line break) is legal but usually
# means lost line breaks (e.g. a PDF export); chunking and line citations suffer.
LONG_PARAGRAPH_CHARS = 20_000

# How many decoded characters encoding detection scores. Enough to see past an ASCII
# header, small enough to stay cheap on huge files.
_SAMPLE_CHARS = 64 * 1024
# A text whose non-ASCII characters score below this under every candidate encoding is
# treated as not decodable.
_MIN_PLAUSIBILITY = 0.75
# A candidate of ours scoring this well is taken without asking charset-normalizer.
_CONFIDENT = 0.9
# charset-normalizer's guess for a non-Chinese codec scores about 0.5 (letters of other
# scripts); below this it contains control or private-use characters: garbage.
_FOREIGN_MIN = 0.4
# Bytes 0x00–0x7F, deleted to count a line's non-ASCII bytes at C speed.
_ASCII_BYTES = bytes(range(128))
# A line with this many non-ASCII bytes that is valid UTF-8 is UTF-8: GBK text passes
# UTF-8's strict byte patterns by chance only for a character or two.
_UTF8_EVIDENCE_BYTES = 12
# Below this many non-ASCII characters a strictly valid UTF-8 decode can be a coincidence
# (GBK "中文" is valid UTF-8 for "אׄ"), so GB18030 gets a chance to do better.
_UTF8_TRUST_CHARS = 16

# Line breaks other than \n: str.splitlines() honours all of them, so leaving any in the
# text would make "line numbers" depend on how a caller splits. Normalise to \n once here.
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Controls that carry no text (NUL, BEL, ESC …) and zero-width BOMs inside the text.
_JUNK_CHARS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f\ufeff]")
_REPLACED_WARNING = "文件中有部分字节不符合其编码，已用“�”替换"
_MEANINGFUL = re.compile(r"[^\W_]")  # a letter, digit or ideograph
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class UnreadableDocument(Exception):
    """A document we cannot turn into text; `str()` is a Chinese message for the user."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(path, reason)

    def __str__(self) -> str:
        return f"无法读取《{self.path.name}》：{self.reason}"


@dataclass(frozen=True)
class ReadLimits:
    """Bounds checked *before* a document is parsed, so a hostile or broken file is refused
    in milliseconds instead of taking minutes and gigabytes (values: index.config.Config)."""

    max_chars: int = 3_000_000
    max_zip_entries: int = 2000
    max_unzipped_mb: int = 200
    max_zip_ratio: int = 100
    max_pdf_pages: int = 3000


# A ZIP entry smaller than this is never a bomb, whatever its ratio: XML of repeated
# empty paragraphs compresses 200:1 and is harmless at this size.
_ZIP_RATIO_MIN_BYTES = 4 * 1024 * 1024
# Upper bound of bytes per character in any text encoding we accept (UTF-32).
_MAX_BYTES_PER_CHAR = 4


@dataclass(frozen=True)
class SourceText:
    """Decoded or extracted text of one document.

    `encoding` is the codec used for text formats (.txt/.md/.html) and "" for container
    formats (.docx/.pdf) whose text is not stored as a byte encoding we chose.
    """

    text: str
    encoding: str
    format: str  # "txt", "md", "docx", "pdf" or "html"
    warnings: tuple[str, ...] = ()
    # Where PDF pages and Word paragraphs/table rows start in `text` (empty for text formats).
    locations: Locations = Locations()


# --------------------------------------------------------------------------- public API


def read_document(path: Path, limits: ReadLimits | None = None) -> SourceText:
    """Read `path` into a `SourceText`, or raise `UnreadableDocument`."""
    path = Path(path)
    limits = limits or ReadLimits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "（无扩展名）"
        raise UnreadableDocument(path, f"不支持的文件类型 {shown}，支持 txt、md、docx、pdf、html")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(path, f"文件无法打开（{exc.strerror or exc}）") from exc
    if not data.strip():
        raise UnreadableDocument(path, "文件是空的")
    check_size(path, suffix, data, limits)

    locations = Locations()
    if suffix in TEXT_SUFFIXES:
        text, encoding, warnings = _decode_text(path, data)
    elif suffix in HTML_SUFFIXES:
        text, encoding, warnings = _read_html(path, data)
    elif suffix == ".docx":
        (text, locations), encoding, warnings = _read_docx(path, data), "", []
    else:
        (text, locations), encoding, warnings = _read_pdf(path, data, limits.max_pdf_pages), "", []

    text = _normalise(text)
    if len(text) > limits.max_chars:
        raise UnreadableDocument(path, _too_long(len(text), limits.max_chars))
    if not _MEANINGFUL.search(text):
        raise UnreadableDocument(path, "文件中没有可识别的文字内容")
    return SourceText(
        text=text,
        encoding=encoding,
        format=_FORMATS[suffix],
        warnings=tuple(warnings + _content_warnings(text)),
        locations=locations,
    )


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks (model files are tens of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def check_size(path: Path, suffix: str, data: bytes, limits: ReadLimits) -> None:
    """Refuse what would be too big to parse, from sizes known without parsing it: the
    ZIP directory of a .docx, the byte length of a text (its character count is at
    least a quarter of it). A PDF's page count is checked in `_read_pdf`, before text
    extraction."""
    if suffix == ".docx":
        _check_zip(path, data, limits)
    elif len(data) > _MAX_BYTES_PER_CHAR * limits.max_chars:
        raise UnreadableDocument(
            path, _too_long(len(data) // _MAX_BYTES_PER_CHAR, limits.max_chars)
        )


def _too_long(chars: int, limit: int) -> str:
    return (
        f"文档过长（约 {chars // 10000} 万字），超过 {limit // 10000} 万字的上限；"
        "请拆分成几个文件后再添加"
    )


def _check_zip(path: Path, data: bytes, limits: ReadLimits) -> None:
    """Entry count, total unpacked size and per-entry ratio from the ZIP's directory.

    The declared sizes can lie, but zipfile stops at the declared size and then fails
    the CRC check, so a lying entry costs no more than an honest one of that size.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a ZIP: _read_docx says so in its own words
    if len(entries) > limits.max_zip_entries:
        raise UnreadableDocument(
            path, f"压缩包内有 {len(entries)} 个部件，超过 {limits.max_zip_entries} 个的上限"
        )
    total = sum(e.file_size for e in entries)
    if total > limits.max_unzipped_mb * 1024 * 1024:
        raise UnreadableDocument(
            path,
            f"文件解压后约 {total // (1024 * 1024)} MB，超过 {limits.max_unzipped_mb} MB 的上限"
            "（可能是“压缩炸弹”或已损坏）",
        )
    for entry in entries:
        ratio = entry.file_size / max(1, entry.compress_size)
        if entry.file_size >= _ZIP_RATIO_MIN_BYTES and ratio > limits.max_zip_ratio:
            raise UnreadableDocument(
                path,
                f"文件中的 {entry.filename} 解压后约 {entry.file_size // (1024 * 1024)} MB，"
                f"压缩比 {ratio:.0f} 倍，超过 {limits.max_zip_ratio} 倍的上限"
                "（可能是“压缩炸弹”）",
            )


def content_hash(text: str) -> str:
    """sha256 of `text` with all whitespace removed.

    Two documents that differ only in line breaks, indentation or full-width spaces (a
    re-export, a copy with different wrapping) get the same hash, so exact duplicates are
    found across formats.
    """
    # str.split() without arguments splits on every Unicode whitespace, including U+3000.
    return hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- text files


def _decode_text(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """Decode the bytes of a text file: (text, codec name, warnings)."""
    _reject_binary_signature(path, data)
    by_bom = _decode_by_bom(data)
    if by_bom is not None:
        return by_bom
    utf8 = _try_decode(data, "utf-8")
    if utf8 is not None and _trust_utf8(data, utf8):
        return utf8, "utf-8", []
    if utf8 is None:
        # One pasted paragraph in the other encoding must not turn the rest to mojibake.
        mixed = _decode_mixed_lines(data)
        if mixed is not None:
            return mixed
    best = _best_candidate(data, utf8)
    if best is not None:
        return best[0], best[1], []
    repaired = _decode_with_repairs(data)
    if repaired is not None:
        return repaired
    raise UnreadableDocument(path, _undecodable_reason(data))


def _decode_with_repairs(data: bytes) -> tuple[str, str, list[str]] | None:
    """A few corrupt bytes (a truncated download, a bad copy) should not lose a whole
    document: accept UTF-8 or GB18030 with at most 1 replaced character in 1,000."""
    best = None
    for codec in ("utf-8", "gb18030"):
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        if bad * 1000 <= len(text) and (best is None or bad < best[0]):
            best = (bad, text, codec)
    if best is None:
        return None
    bad, text, codec = best
    if not _reads_well(text):
        return None
    label = "UTF-8" if codec == "utf-8" else "GB18030"
    return text, codec, [f"有 {bad} 处字节不符合 {label} 编码，已用“�”替换"]


def _decode_by_bom(data: bytes) -> tuple[str, str, list[str]] | None:
    """A byte-order mark settles the encoding; invalid bytes after it are repaired."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if not data.startswith(bom):
            continue
        text = _try_decode(data, codec)
        if text is not None:
            return text, codec, []
        if codec == "utf-8-sig":
            mixed = _decode_lines(data[len(bom) :], "utf-8")
            return mixed[0], codec, mixed[2]
        return data.decode(codec, errors="replace"), codec, [_REPLACED_WARNING]
    return None


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _trust_utf8(data: bytes, text: str) -> bool:
    """Strictly valid UTF-8 is almost certainly UTF-8 – unless it is short or full of NULs."""
    score, non_ascii = _plausibility(text)
    if score < _FOREIGN_MIN:
        return False  # e.g. UTF-16 without BOM of ASCII text: valid UTF-8 full of NULs
    if non_ascii >= _UTF8_TRUST_CHARS:
        return True
    gb = _try_decode(data, "gb18030")
    return gb is None or _plausibility(gb)[0] <= score


def _best_candidate(data: bytes, utf8: str | None) -> tuple[str, str] | None:
    """The most plausible decode, in this order of trust:

    1. utf-8, gb18030 and the UTF-16 byte order that the file's NUL bytes point to
       (ASCII characters, newlines included, leave a NUL beside them), if one reads well;
    2. UTF-16 of pure hanzi (no ASCII, so no NULs to go by), only if it reads very well:
       ASCII, Shift-JIS or Big5 bytes also make "hanzi" in UTF-16, but rare ones, while
       real text is mostly the common hanzi of GB2312;
    3. charset-normalizer's guess, for encodings we do not try (Big5, cp1252 …). It is
       asked last because it misreads short Chinese (GBK "营商环境" as Johab Korean);
    4. our best candidate if it is at least plausible.
    """
    own: list[tuple[str, str]] = [] if utf8 is None else [(utf8, "utf-8")]
    tried = ["gb18030", *_utf16_by_nuls(data)]
    own += _decodes(data, tried)
    best = _most_plausible(own)
    if best is not None and best[0] >= _CONFIDENT:
        return best[1], best[2]
    others = [c for c in ("utf-16-le", "utf-16-be") if len(data) % 2 == 0 and c not in tried]
    pure = _most_plausible(_decodes(data, others))
    if pure is not None and pure[0] >= _CONFIDENT:
        return pure[1], pure[2]
    guessed = _charset_normalizer_guess(data)
    if guessed is not None:
        guess = _most_plausible(_decodes(data, [guessed]))
        if guess is not None and guess[0] >= _FOREIGN_MIN and (best is None or guess[0] > best[0]):
            return guess[1], guess[2]
    if best is not None and best[0] >= _MIN_PLAUSIBILITY:
        return best[1], best[2]
    return None


def _decodes(data: bytes, codecs_to_try: list[str]) -> list[tuple[str, str]]:
    return [(text, c) for c in codecs_to_try if (text := _try_decode(data, c)) is not None]


def _utf16_by_nuls(data: bytes) -> list[str]:
    """The UTF-16 byte order whose pattern the NUL bytes follow, if any: an ASCII
    character is "x\\0" in little-endian and "\\0x" in big-endian."""
    if len(data) % 2 or b"\x00" not in data:
        return []
    head = data[:65536]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 4 * even:
        return ["utf-16-le"]
    if even > 4 * odd:
        return ["utf-16-be"]
    return []


def _most_plausible(candidates: list[tuple[str, str]]) -> tuple[float, str, str] | None:
    best = None
    for text, codec in candidates:
        score = _plausibility(text)[0]
        if best is None or score > best[0]:  # strict ">": earlier candidates win ties
            best = (score, text, codec)
    return best


def _charset_normalizer_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data[: 1024 * 1024]).best()
    return None if match is None else _codec_name(match.encoding)


def _decode_mixed_lines(data: bytes) -> tuple[str, str, list[str]] | None:
    """Line-by-line decoding for a file that is neither UTF-8 nor GB18030 as a whole but
    mostly one of them line by line (lines never split a character in either codec)."""
    primary = _line_majority(data)
    if primary is None:
        return None
    text, codec, warnings = _decode_lines(data, primary)
    if not _reads_well(text):
        return None  # e.g. UTF-16 hanzi whose 0x0A bytes made lucky "lines"
    return text, codec, warnings


def _reads_well(text: str) -> bool:
    """Confidently plausible, not counting the "�" of bytes we already gave up on."""
    return _plausibility(text[:_SAMPLE_CHARS].replace("\ufffd", ""))[0] >= _CONFIDENT


def _line_majority(data: bytes) -> str | None:
    """The codec most lines with non-ASCII bytes decode in: "utf-8", "gb18030" or None."""
    if b"\x00" in data:
        return None  # UTF-16/32 or binary: not line-compatible with ASCII
    total = utf8 = gb = 0
    for line in data.split(b"\n"):
        if line.isascii():
            continue
        total += 1
        if _try_decode(line, "utf-8") is not None:
            utf8 += 1
        elif _try_decode(line, "gb18030") is not None:
            gb += 1
    if total and utf8 * 2 >= total:
        return "utf-8"
    if total and gb * 2 >= total:
        return "gb18030"
    return None


def _decode_lines(data: bytes, primary: str) -> tuple[str, str, list[str]]:
    """Decode each line in `primary`, else in the other of UTF-8/GB18030, else replace."""
    secondary = "gb18030" if primary == "utf-8" else "utf-8"
    lines, other, replaced = [], [], []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        text = _try_decode(raw, primary)
        if text is not None and primary == "gb18030" and _utf8_evidence(raw):
            text = _try_decode(raw, "utf-8")  # UTF-8 that GB18030 happens to accept too
            other.append(number)
        if text is None:
            alt = _try_decode(raw, secondary)
            if alt is not None and _plausibility(alt)[0] >= _CONFIDENT:
                text = alt
                other.append(number)
            else:
                text = raw.decode(primary, errors="replace")
                replaced.append(number)
        lines.append(text)
    return "\n".join(lines), primary, _mixed_warnings(primary, secondary, other, replaced)


def _utf8_evidence(raw: bytes) -> bool:
    """Enough non-ASCII bytes, all in valid UTF-8 sequences, to rule out chance."""
    non_ascii = len(raw.translate(None, _ASCII_BYTES))
    return non_ascii >= _UTF8_EVIDENCE_BYTES and _try_decode(raw, "utf-8") is not None


def _mixed_warnings(
    primary: str, secondary: str, other: list[int], replaced: list[int]
) -> list[str]:
    names = {"utf-8": "UTF-8", "gb18030": "GB18030"}
    warnings = []
    if other:
        warnings.append(
            f"{_line_list(other)}的编码与全文（{names[primary]}）不一致，已按 {names[secondary]} 解码"
        )
    if replaced:
        warnings.append(f"{_line_list(replaced)}含无法识别的字节，已用“�”替换")
    return warnings


def _line_list(numbers: list[int], shown: int = 5) -> str:
    listed = "、".join(str(n) for n in numbers[:shown])
    more = f"等共 {len(numbers)} 行" if len(numbers) > shown else ""
    return f"第 {listed} 行{more}"


def _undecodable_reason(data: bytes) -> str:
    head = data[:8192]
    controls = sum(head.count(bytes([b])) for b in range(32) if b not in b"\t\n\r\f")
    if b"\x00" in head or controls * 10 > len(head):
        return "文件内容是二进制数据，不是文本"
    return "无法识别文本编码（支持 UTF-8、GB18030/GBK、UTF-16）"


def _reject_binary_signature(path: Path, data: bytes) -> None:
    """A renamed image or archive should say what it is, not "unknown encoding"."""
    kind = binary_kind(data[:64])
    if kind is not None:
        raise UnreadableDocument(path, f"文件内容实际上是{kind}，不是文本")


@functools.cache
def _gb2312_hanzi() -> frozenset[str]:
    """The ~6,700 common hanzi of GB2312 (rows 0xB0–0xF7): real Chinese text is mostly
    these, while mojibake from a wrong codec mostly is not."""
    raw = bytes(
        b for lead in range(0xB0, 0xF8) for trail in range(0xA1, 0xFF) for b in (lead, trail)
    )
    return frozenset(raw.decode("gb2312", errors="ignore"))


def _char_weight(ch: str) -> float:
    """How likely `ch` is in a real document (1 typical, 0 impossible)."""
    code = ord(ch)
    if ch in _gb2312_hanzi():
        return 1.0
    if 0x4E00 <= code <= 0x9FFF:
        return 0.6  # rarer hanzi: fine in text, common in GB18030-as-something mojibake
    if (
        0x2000 <= code <= 0x206F  # general punctuation —…‰
        or 0x2150 <= code <= 0x21FF  # number forms Ⅰ Ⅱ, arrows →
        or 0x2460 <= code <= 0x26FF  # ① ⑴ ⒈, box drawing, shapes ■ ○, symbols ★
        or 0x3000 <= code <= 0x303F  # CJK punctuation 、。《》
        or 0xFF00 <= code <= 0xFFEF  # full-width forms （），：
        or 0x00A0 <= code <= 0x00BF  # Latin-1 symbols ·°±
        or code in (0x00D7, 0x00F7)  # × ÷
    ):
        return 1.0
    category = unicodedata.category(ch)
    if category[0] == "C" or ch == "\ufffd":
        return 0.0  # controls, private use, unassigned, replacement char
    return 0.5  # other scripts and symbols: possible, but not what we expect


def _plausibility(text: str) -> tuple[float, int]:
    """(mean weight of the non-ASCII or control characters in a sample, their count).

    Plain printable ASCII is the same under every candidate codec, so it is left out:
    otherwise a mostly-ASCII file would make mojibake look plausible.
    """
    odd = [ch for ch in text[:_SAMPLE_CHARS] if not (" " <= ch <= "~" or ch in "\t\n\r\f")]
    if not odd:
        return 1.0, 0
    return sum(map(_char_weight, odd)) / len(odd), len(odd)


# --------------------------------------------------------------------------- docx


def _read_docx(path: Path, data: bytes) -> tuple[str, Locations]:
    """Body paragraphs and tables in document order; one table row per line; where each
    non-empty paragraph and each table row starts.

    Headers, footers, footnotes and text boxes are left out: page furniture or asides.
    """
    import docx

    if not _is_docx_zip(data):
        raise UnreadableDocument(
            path, "不是有效的 Word（.docx）文件，可能已损坏或是改了扩展名的其他文件"
        )
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _docx_body(document)
    except MemoryError:
        raise
    except Exception as exc:  # python-docx/lxml raise many types on malformed parts
        raise UnreadableDocument(path, f"Word 文件已损坏（{type(exc).__name__}）") from exc
    text, starts = _joined([line for line, _ in blocks])
    paragraphs, rows = [], []
    for start, (line, where) in zip(starts, blocks, strict=True):
        if where is None:
            if line.strip():  # an empty paragraph is a blank line, which nobody counts
                paragraphs.append(start)
        else:
            rows.append((start, *where))
    return text, Locations(paragraphs=tuple(paragraphs), table_rows=tuple(rows))


def _is_docx_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _docx_body(document) -> list[tuple[str, tuple[int, int] | None]]:
    """Lines of the body: (paragraph text, None) or (table row, (table no., row no.))."""
    from docx.table import Table

    blocks: list[tuple[str, tuple[int, int] | None]] = []
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            blocks.extend((line, (tables, row)) for row, line in _docx_table_rows(block))
        else:
            blocks.append((block.text, None))
    return blocks


def _docx_block_lines(container) -> list[str]:
    """Lines of a table cell: each paragraph, each nested table row."""
    from docx.table import Table

    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(line for _, line in _docx_table_rows(block))
        else:
            lines.append(block.text)
    return lines


def _docx_table_rows(table) -> list[tuple[int, str]]:
    """(1-based row number, cells joined by tabs) as in the corpus' tables; empty rows are
    left out but keep their number. A horizontally merged cell appears once; a vertically
    merged one is repeated so every row stays self-contained."""
    lines = []
    for number, row in enumerate(table.rows, start=1):
        cells, previous = [], None
        for cell in row.cells:
            if previous is not None and cell._tc is previous._tc:
                continue
            previous = cell
            # Inside a cell, paragraphs and nested rows become spaces: a tab or newline
            # would break the one-row-one-line shape.
            cells.append(" ".join(" ".join(_docx_block_lines(cell)).split()))
        if any(cells):
            lines.append((number, "\t".join(cells)))
    return lines


# --------------------------------------------------------------------------- pdf


def _read_pdf(path: Path, data: bytes, max_pages: int = 3000) -> tuple[str, Locations]:
    """The PDF's text layer, pages joined by line breaks, and where each page starts (the
    page count is checked first)."""
    import pypdf

    if not data.lstrip()[:5] == b"%PDF-":
        raise UnreadableDocument(path, "不是有效的 PDF 文件，可能已损坏或是改了扩展名的其他文件")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise UnreadableDocument(path, "PDF 已加密，请先解除密码保护")
        if len(reader.pages) > max_pages:
            raise UnreadableDocument(
                path, f"PDF 共 {len(reader.pages)} 页，超过 {max_pages} 页的上限；请拆分后再添加"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except (UnreadableDocument, MemoryError):
        raise
    except Exception as exc:  # pypdf raises many types on malformed files
        raise UnreadableDocument(path, f"PDF 文件已损坏（{type(exc).__name__}）") from exc
    text, starts = _joined(pages)
    if not _MEANINGFUL.search(text):
        raise UnreadableDocument(path, "PDF 没有文字层（可能是扫描件），请先进行文字识别")
    return text, Locations(pages=tuple(starts))


def _decrypts_without_password(reader) -> bool:
    """Many PDFs are "encrypted" only to restrict printing, with an empty user password."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. AES without the optional `cryptography` package
        return False


# --------------------------------------------------------------------------- html

_BLOCK_TAGS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "body", "caption", "dd", "details"),
        *("dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p"),
        *("pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul"),
    )
)
_CELL_TAGS = frozenset(("td", "th"))
# HTML's own whitespace. U+3000 and &nbsp; are not collapsed by browsers and are often
# used to indent Chinese paragraphs, so they are kept like in a .txt file.
_HTML_SPACE_CHARS = " \t\n\r\f"
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_DROPPED_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")


def _read_html(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """Visible text with block elements on their own lines and table rows tab-separated."""
    from bs4 import BeautifulSoup

    markup, encoding, warnings = _decode_html(path, data)
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(_DROPPED_TAGS):
        tag.decompose()
    return "\n".join(_html_lines(soup)), encoding, warnings


def _decode_html(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """Honour a <meta charset>, which Chinese government sites often set to gb2312."""
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(data[:16384], is_html=True)
    if declared and not _decode_by_bom(data):
        codec = _codec_name(declared)
        if codec in ("gb2312", "gbk"):
            codec = "gb18030"  # a superset; pages labelled gb2312 routinely use GBK chars
        text = _try_decode(data, codec) if codec else None
        if text is not None:
            return text, codec, []
    return _decode_text(path, data)


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _html_lines(soup) -> list[str]:
    """Break lines at blocks and <br>, cells at <td>, then collapse whitespace like a
    browser does."""
    # Marks that survive whitespace collapsing; real breaks are made from them at the end.
    line, cell = "\x1e", "\x1f"
    for pre in soup.find_all("pre"):  # <pre> keeps its line breaks (not its indentation)
        for text in pre.find_all(string=True):
            text.replace_with(str(text).replace("\n", line))
    for tag in soup.find_all(True):
        # Inside a table cell every break is a space: a row must stay on one line.
        in_cell = tag.find_parent(_CELL_TAGS) is not None
        if tag.name == "br":
            tag.replace_with(" " if in_cell else line)
        elif tag.name in _BLOCK_TAGS:
            tag.insert_before(" " if in_cell else line)
            tag.append(" " if in_cell else line)
        elif tag.name in _CELL_TAGS:
            tag.append(" " if in_cell else cell)
    lines = []
    for chunk in soup.get_text().split(line):
        *cells, tail = (_html_collapse(c) for c in chunk.split(cell))
        # Empty cells inside a row keep their column; text after the last cell is kept too.
        text = "\t".join([*cells, tail] if tail else cells) if any(cells) else tail
        if text:
            lines.append(text)
    return lines


def _html_collapse(text: str) -> str:
    return _HTML_SPACE.sub(" ", text).strip(_HTML_SPACE_CHARS)


# --------------------------------------------------------------------------- shared


def _normalise(text: str) -> str:
    """One kind of line break and no invisible control characters.

    Nothing else changes (no stripping), so a clean UTF-8 file's source text is exactly
    its content and line numbers in citations match what an editor shows.
    """
    return _JUNK_CHARS.sub("", _LINE_BREAKS.sub("\n", text))


def _joined(lines: list[str]) -> tuple[str, list[int]]:
    """`_normalise("\\n".join(lines))` and where each line starts in it.

    Each line is normalised with the break after it: normalising never joins characters
    across a line break we add, so the pieces add up to the normalised whole.
    """
    if not lines:
        return "", []
    pieces = [_normalise(line + "\n") for line in lines[:-1]] + [_normalise(lines[-1])]
    starts = [0]
    for piece in pieces[:-1]:
        starts.append(starts[-1] + len(piece))
    return "".join(pieces), starts


def _content_warnings(text: str) -> list[str]:
    warnings = []
    if not _HAN.search(text):
        warnings.append("文档中没有中文字符，请确认文件内容是否正确")
    longest = max(map(len, text.split("\n")))
    if longest > LONG_PARAGRAPH_CHARS:
        warnings.append(f"文档中有一段长达 {longest} 字且没有换行，分段和引用行号可能不够准确")
    return warnings
