"""Checks on an uploaded document before it enters the corpus folder.

Used by `yingshang add` and by the web page's upload. `check_upload` decides whether a
file may come in and under which safe name; `safe_destination` picks the path inside the
corpus folder without escaping it or overwriting a different document; `save_upload`
does both and writes the file atomically. Every refusal is a `RejectedUpload` whose
`str()` is a Chinese sentence naming the file and the reason.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_ALLOWED = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
TEXT_LIKE = (".txt", ".md", ".html", ".htm")

# ext4 and most file systems cap a name at 255 *bytes*; a Chinese character takes 3 in
# UTF-8. Stay well below so a suffix such as " (2)" or a temp prefix still fits.
MAX_NAME_BYTES = 200
_SNIFF_BYTES = 8192

# Characters Windows forbids in names, plus the path separators; replaced, not dropped,
# so "a/b" does not silently become "ab".
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)

# Leading bytes of formats that are never a text document. Checked on .txt/.md/.html so a
# renamed image, archive or program is refused with a message that says what it is.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"BM", "BMP 图片"),  # only trusted together with the NUL check below
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"%PDF-", "PDF 文件"),
    (b"PK\x03\x04", "ZIP 压缩包（或 Office 文档）"),
    (b"PK\x05\x06", "ZIP 压缩包"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档（.doc/.xls）"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"BZh", "bzip2 压缩包"),
    (b"\xfd7zXZ\x00", "xz 压缩包"),
    (b"\x7fELF", "ELF 可执行程序"),
    (b"MZ", "Windows 可执行程序"),
    (b"\xcf\xfa\xed\xfe", "Mach-O 可执行程序"),
    (b"\x00asm", "WebAssembly 程序"),
    (b"SQLite format 3\x00", "SQLite 数据库"),
    (b"ID3", "MP3 音频"),
    (b"OggS", "Ogg 音频"),
    (b"fLaC", "FLAC 音频"),
)


_WEAK_SIGNATURES = frozenset((b"BM", b"MZ", b"ID3", b"BZh"))
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class RejectedUpload(Exception):
    """An upload we refuse; `str()` is a Chinese message naming the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(name, reason)

    def __str__(self) -> str:
        return f"无法添加《{_printable(self.name)}》：{self.reason}"


# --------------------------------------------------------------------------- public API


def check_upload(
    name: str,
    data_or_path: bytes | bytearray | memoryview | str | os.PathLike,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
) -> str:
    """Return a safe file name for the upload, or raise `RejectedUpload`.

    `name` is the name the user gave (a browser may send a full Windows path);
    `data_or_path` is the content or a path to it (Gradio hands over a temp file).
    """
    safe = sanitize_name(name)
    suffix = Path(safe).suffix.lower()
    allowed_lower = tuple(a.lower() for a in allowed)
    if suffix not in allowed_lower:
        shown = suffix or "（无扩展名）"
        raise RejectedUpload(name, f"不支持的文件类型 {shown}，只接受 {'、'.join(allowed_lower)}")
    size = _size_of(name, data_or_path)
    if size == 0:
        raise RejectedUpload(name, "文件是空的")
    if size > max_bytes:
        raise RejectedUpload(name, f"文件大小 {_mb(size)} MB，超过了 {_mb(max_bytes)} MB 的上限")
    _sniff(name, suffix, data_or_path)
    return safe


def sanitize_name(name: str) -> str:
    """The last path component of `name`, cleaned so it is safe as a single file name.

    Chinese characters are kept; directories, `..`, control and invisible format
    characters (e.g. U+202E, which can disguise "txt.exe" as "exe.txt") are removed.
    """
    # Browsers on Windows may send "C:\\Users\\x\\报告.txt"; both separators count.
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", str(name)))[-1]
    # Tabs and newlines are Cc too, but stand between words: they become spaces below.
    base = "".join(ch for ch in base if ch.isspace() or unicodedata.category(ch)[0] != "C")
    base = _FORBIDDEN.sub("_", base)
    base = " ".join(base.split()).rstrip(". ")  # Windows drops trailing dots and spaces
    if not base.strip("."):
        raise RejectedUpload(name, "文件名为空或无效")
    if base.startswith("."):
        raise RejectedUpload(name, "不接受隐藏文件（文件名以“.”开头）")
    stem, suffix = _split_suffix(base)
    if not stem.strip(" ._-"):
        raise RejectedUpload(name, "文件名只有扩展名，没有名称")
    if _WINDOWS_RESERVED.match(base):
        stem = "_" + stem
    return _truncate(stem, suffix.lower())


def safe_destination(
    corpus_dir: Path,
    name: str,
    *,
    content: bytes | str | os.PathLike | None = None,
    replace: bool = False,
) -> Path:
    """The path for `name` directly inside `corpus_dir`.

    Raises `RejectedUpload` if the path would leave the folder (e.g. through a symlink),
    or if a *different* file already has that name and `replace` is False. When
    `content` is given and equals the existing file, the existing path is returned: a
    repeated upload of the same document is harmless.
    """
    root = Path(corpus_dir).resolve()
    safe = sanitize_name(name)  # again: callers may skip check_upload
    if (root / safe).is_symlink():
        # Writing through a link would change whatever it points to, inside or outside.
        raise RejectedUpload(name, "资料库中的同名项是一个符号链接，不能写入")
    dest = (root / safe).resolve()
    if dest.parent != root:
        raise RejectedUpload(name, "目标路径不在资料库文件夹内")
    if not dest.exists():
        return dest
    if not dest.is_file():
        raise RejectedUpload(name, "资料库中已有同名的文件夹或特殊文件")
    if content is not None and _same_content(dest, content):
        return dest
    if replace:
        return dest
    raise RejectedUpload(name, "资料库中已有同名但内容不同的文件；如需覆盖，请选择“替换”")


def save_upload(
    corpus_dir: Path,
    name: str,
    data_or_path: bytes | str | os.PathLike,
    *,
    replace: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
) -> Path:
    """Check, place and write an upload; return its path in the corpus folder.

    Written to a temp file in the same folder and renamed, so a crash never leaves a
    half-written document for the indexer to pick up.
    """
    safe = check_upload(name, data_or_path, max_bytes=max_bytes, allowed=allowed)
    data = _read_all(data_or_path)
    dest = safe_destination(corpus_dir, safe, content=data, replace=replace)
    if dest.is_file() and _same_content(dest, data):
        return dest
    write_atomic(dest, data)
    return dest


def write_atomic(dest: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `dest` and rename it into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the web page may run as another user
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def binary_kind(head: bytes) -> str | None:
    """What a non-text file is, from its first bytes (e.g. "PNG 图片"), else None."""
    for signature, kind in _SIGNATURES:
        if not head.startswith(signature):
            continue
        # "BM", "MZ", "ID3", "BZh" are letters a text may well start with; believe them
        # only when control bytes right after confirm a binary header.
        if signature in _WEAK_SIGNATURES and not _CONTROL_BYTES.search(head[:64]):
            continue
        return kind
    return None


# --------------------------------------------------------------------------- content sniff


def _sniff(name: str, suffix: str, data_or_path) -> None:
    head = _head(data_or_path)
    if suffix == ".pdf":
        if not head.lstrip()[:5] == b"%PDF-":
            raise RejectedUpload(name, _not_really(head, "PDF"))
    elif suffix == ".docx":
        if not _is_docx(data_or_path):
            raise RejectedUpload(name, _not_really(head, "Word（.docx）"))
    elif suffix in TEXT_LIKE:
        kind = binary_kind(head)
        if kind is not None:
            raise RejectedUpload(name, f"文件内容实际上是{kind}，不是文本")
        if _looks_binary(head):
            raise RejectedUpload(name, "文件内容是二进制数据，不是文本")


def _not_really(head: bytes, expected: str) -> str:
    kind = binary_kind(head)
    if kind == "旧版 Office 文档（.doc/.xls）" and expected.startswith("Word"):
        return "这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再上传"
    what = f"实际上是{kind}" if kind else "不是有效的格式"
    return f"文件扩展名是 {expected}，但内容{what}，可能已损坏或被改了扩展名"


def _is_docx(data_or_path) -> bool:
    """A .docx is a ZIP holding word/document.xml; a renamed .xlsx or .zip is not."""
    source = io.BytesIO(bytes(data_or_path)) if _is_bytes(data_or_path) else data_or_path
    try:
        with zipfile.ZipFile(source) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _looks_binary(head: bytes) -> bool:
    """NULs or many control bytes mean binary – unless the head is UTF-16 text, where
    every ASCII character (newlines included) brings a NUL byte along."""
    if b"\x00" in head:
        return not any(
            _is_utf16_text(head, codec) for codec in ("utf-16", "utf-16-le", "utf-16-be")
        )
    return len(_CONTROL_BYTES.findall(head)) * 10 > len(head)


def _is_utf16_text(head: bytes, codec: str) -> bool:
    """`head` decodes in `codec` without NUL or control characters. Random binary fails
    on an unpaired surrogate or a zero code unit almost at once."""
    sample = head[: len(head) // 2 * 2]
    try:
        text = sample.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:
            return False
        text = sample[: exc.start].decode(codec)  # a surrogate pair cut by the sample
    return not _CONTROL_CHARS.search(text)


# --------------------------------------------------------------------------- helpers


def _is_bytes(value) -> bool:
    return isinstance(value, bytes | bytearray | memoryview)


def _size_of(name: str, data_or_path) -> int:
    if _is_bytes(data_or_path):
        return len(data_or_path)
    path = Path(data_or_path)
    if not path.is_file():
        raise RejectedUpload(name, "找不到上传的文件内容")
    return path.stat().st_size


def _head(data_or_path) -> bytes:
    if _is_bytes(data_or_path):
        return bytes(data_or_path[:_SNIFF_BYTES])
    with open(data_or_path, "rb") as handle:
        return handle.read(_SNIFF_BYTES)


def _read_all(data_or_path) -> bytes:
    return bytes(data_or_path) if _is_bytes(data_or_path) else Path(data_or_path).read_bytes()


def _same_content(path: Path, content) -> bool:
    try:
        other = _read_all(content)
    except OSError:
        return False
    return path.stat().st_size == len(other) and path.read_bytes() == other


def _split_suffix(base: str) -> tuple[str, str]:
    suffix = Path(base).suffix
    if not suffix or len(suffix.encode("utf-8")) > 16:
        return base, ""  # "报告.2023年第三季度汇总" has no real extension
    return base[: -len(suffix)], suffix


def _truncate(stem: str, suffix: str) -> str:
    """Shorten the stem (never the extension) to fit MAX_NAME_BYTES, on a char boundary."""
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    raw = stem.encode("utf-8")[:budget]
    return raw.decode("utf-8", errors="ignore").rstrip(" .") + suffix


def _mb(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _printable(name: str, limit: int = 80) -> str:
    """The user's name for messages: no control characters, not absurdly long."""
    base = re.split(r"[/\\]", str(name))[-1] or str(name)
    shown = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
