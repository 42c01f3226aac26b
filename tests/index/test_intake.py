"""index.intake: upload names, sizes, content sniffing and safe placement."""

from __future__ import annotations

import io
import zipfile

import pytest

from index.intake import (
    MAX_NAME_BYTES,
    RejectedUpload,
    check_upload,
    safe_destination,
    sanitize_name,
    save_upload,
)
from tests.index.fixtures_docs import (
    make_docx,
    make_gbk_txt,
    make_html,
    make_pdf,
    make_utf16_txt,
)

TEXT = "广西优化营商环境典型案例\n一、案例背景\n".encode()


def _rejected(name: str, data, **kwargs) -> RejectedUpload:
    with pytest.raises(RejectedUpload) as info:
        check_upload(name, data, **kwargs)
    return info.value


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    return buffer.getvalue()


# --------------------------------------------------------------------------- accepted


def test_real_documents_are_accepted_from_path_and_bytes(tmp_path):
    for path in (
        make_gbk_txt(tmp_path),
        make_utf16_txt(tmp_path),
        make_utf16_txt(tmp_path, bom=False, big_endian=True),
        make_docx(tmp_path),
        make_pdf(tmp_path),
        make_html(tmp_path),
    ):
        assert check_upload(path.name, path) == path.name
        assert check_upload(path.name, str(path)) == path.name
        assert check_upload(path.name, path.read_bytes()) == path.name


def test_markdown_and_htm(tmp_path):
    assert check_upload("说明.md", "# 标题\n正文".encode()) == "说明.md"
    assert check_upload("页面.htm", "<p>正文</p>".encode("gb18030")) == "页面.htm"


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2023年广西优化营商环境工作要点.txt", "2023年广西优化营商环境工作要点.txt"),
        ("../../etc/报告.txt", "报告.txt"),
        ("C:\\Users\\张三\\Desktop\\报告.TXT", "报告.txt"),
        ("/tmp/gradio/abc123/案例 汇编.pdf", "案例 汇编.pdf"),
        ("报告\x00\x1b[31m.txt", "报告[31m.txt"),
        ("报告\u202etxt.exe.txt", "报告txt.exe.txt"),  # right-to-left override removed
        ("报告\u200b.txt", "报告.txt"),  # zero-width space removed
        ('a<b>:c"d|e?f*.md', "a_b__c_d_e_f_.md"),
        ("  多个   空格\t名称 .txt ", "多个 空格 名称.txt"),
        ("报告.txt...", "报告.txt"),
        ("CON.txt", "_CON.txt"),
        ("（一）措施.DOCX", "（一）措施.docx"),
    ],
)
def test_sanitize_name(given, expected):
    assert sanitize_name(given) == expected


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("", "为空"),
        ("   ", "为空"),
        ("..", "为空"),
        ("../..", "为空"),
        ("\x00\x01", "为空"),
        (".bashrc.txt", "隐藏文件"),
        ("../.hidden.txt", "隐藏文件"),
        (".txt", "隐藏文件"),
        ("_.txt", "没有名称"),
    ],
)
def test_invalid_names(given, reason):
    with pytest.raises(RejectedUpload) as info:
        sanitize_name(given)
    assert reason in info.value.reason


def test_long_names_are_cut_on_a_character_boundary_keeping_the_extension():
    name = "广西壮族自治区" * 40 + ".docx"
    safe = sanitize_name(name)
    assert safe.endswith(".docx")
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    assert safe.startswith("广西壮族自治区")
    safe.encode("utf-8").decode("utf-8")  # no broken multi-byte character


@pytest.mark.parametrize(
    "name",
    ["报告.exe", "报告.txt.exe", "报告", "报告.doc", "报告.xlsx", "a.2023年第三季度汇总表格"],
)
def test_extension_not_allowed(name):
    error = _rejected(name, TEXT)
    assert "不支持的文件类型" in error.reason
    assert str(error).startswith(f"无法添加《{name}》：")


def test_allowed_extensions_can_be_narrowed():
    assert "不支持" in _rejected("a.pdf", b"%PDF-1.4", allowed=(".txt",)).reason
    assert check_upload("a.TXT", TEXT, allowed=(".TXT",)) == "a.txt"


# --------------------------------------------------------------------------- size


def test_over_the_size_limit_names_the_limit_in_mb(tmp_path):
    path = tmp_path / "大文件.txt"
    path.write_bytes(TEXT * 60_000)  # 3.2 MB
    error = _rejected(path.name, path, max_bytes=2 * 1024 * 1024)
    assert error.reason == "文件大小 3.2 MB，超过了 2 MB 的上限"
    assert check_upload(path.name, path, max_bytes=4 * 1024 * 1024) == path.name


def test_default_limit_is_50_mb(tmp_path):
    path = tmp_path / "a.txt"
    with open(path, "wb") as handle:  # sparse: no need to write 50 MB
        handle.truncate(50 * 1024 * 1024 + 1)
    assert "50 MB" in _rejected("a.txt", path).reason


def test_empty_upload():
    assert _rejected("空.txt", b"").reason == "文件是空的"


def test_missing_upload_file(tmp_path):
    assert "找不到" in _rejected("a.txt", tmp_path / "gone.txt").reason
    assert "找不到" in _rejected("a.txt", tmp_path).reason  # a folder is not an upload


# --------------------------------------------------------------------------- content sniff


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "Windows"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "旧版 Office"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip"),
    ],
)
@pytest.mark.parametrize("name", ["改名.txt", "改名.md", "改名.html"])
def test_renamed_binary_is_refused_as_text(name, data, kind):
    error = _rejected(name, data + bytes(range(256)))
    assert kind in error.reason and "不是文本" in error.reason


def test_unknown_binary_is_refused_as_text():
    data = bytes((i * 7919 + 13) % 256 for i in range(4096))
    assert "二进制" in _rejected("a.txt", data).reason


def test_text_starting_like_a_weak_signature_is_still_text():
    # "BM", "MZ", "ID3" are ordinary letters at the start of a text.
    for text in ("BMW 宝马汽车", "MZ 部门报告", "ID3 编号说明"):
        assert check_upload("a.txt", text.encode()) == "a.txt"


def test_pdf_must_start_with_pdf_header():
    error = _rejected("报告.pdf", "这其实是文本".encode())
    assert "PDF" in error.reason and "扩展名" in error.reason
    assert "PNG" in _rejected("报告.pdf", b"\x89PNG\r\n\x1a\n\x00\x00").reason


def test_docx_must_be_a_zip_with_word_document():
    assert "Word" in _rejected("a.docx", "纯文本".encode()).reason
    xlsx = _zip({"xl/workbook.xml": "<workbook/>", "[Content_Types].xml": "<Types/>"})
    assert "Word" in _rejected("a.docx", xlsx).reason
    ok = _zip({"word/document.xml": "<document/>"})
    assert check_upload("a.docx", ok) == "a.docx"


def test_old_doc_renamed_to_docx_gets_a_helpful_message():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    assert "另存为 .docx" in _rejected("旧.docx", data).reason


def test_message_names_the_file_without_its_directories():
    error = _rejected("C:\\Users\\张三\\报告.exe", TEXT)
    assert str(error).startswith("无法添加《报告.exe》：")
    assert error.name == "C:\\Users\\张三\\报告.exe"


# --------------------------------------------------------------------------- destination


def test_destination_is_inside_the_corpus(tmp_path):
    dest = safe_destination(tmp_path, "../../报告.txt")
    assert dest == tmp_path.resolve() / "报告.txt"


def test_destination_never_overwrites_a_different_file(tmp_path):
    (tmp_path / "报告.txt").write_bytes(TEXT)
    with pytest.raises(RejectedUpload) as info:
        safe_destination(tmp_path, "报告.txt", content=b"other")
    assert "同名" in info.value.reason
    with pytest.raises(RejectedUpload):
        safe_destination(tmp_path, "报告.txt")  # unknown content: cannot tell it is the same
    assert safe_destination(tmp_path, "报告.txt", content=b"other", replace=True).name == "报告.txt"


def test_same_content_is_not_a_conflict(tmp_path):
    (tmp_path / "报告.txt").write_bytes(TEXT)
    upload = tmp_path / "upload.bin"
    upload.write_bytes(TEXT)
    assert safe_destination(tmp_path, "报告.txt", content=TEXT) == tmp_path.resolve() / "报告.txt"
    assert safe_destination(tmp_path, "报告.txt", content=upload).name == "报告.txt"


def test_symlink_escaping_the_corpus_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("机密")
    (corpus / "报告.txt").symlink_to(outside)
    with pytest.raises(RejectedUpload) as info:
        safe_destination(corpus, "报告.txt", replace=True)
    assert "符号链接" in info.value.reason
    assert outside.read_text() == "机密"


def test_directory_with_the_same_name_is_refused(tmp_path):
    (tmp_path / "报告.txt").mkdir()
    with pytest.raises(RejectedUpload):
        safe_destination(tmp_path, "报告.txt", replace=True)


# --------------------------------------------------------------------------- save_upload


def test_save_upload_writes_atomically_and_is_idempotent(tmp_path):
    corpus = tmp_path / "corpus"
    source = make_docx(tmp_path)
    dest = save_upload(corpus, "C:\\下载\\案例.docx", source)
    assert dest == corpus.resolve() / "案例.docx"
    assert dest.read_bytes() == source.read_bytes()
    assert save_upload(corpus, "案例.docx", source) == dest  # same bytes again: fine
    assert sorted(p.name for p in corpus.iterdir()) == ["案例.docx"]  # no temp files left


def test_saved_file_is_readable_by_others(tmp_path):
    dest = save_upload(tmp_path, "报告.txt", TEXT)
    assert dest.stat().st_mode & 0o777 == 0o644


def test_save_upload_refuses_then_replaces(tmp_path):
    save_upload(tmp_path, "报告.txt", TEXT)
    newer = "更新后的报告".encode()
    with pytest.raises(RejectedUpload):
        save_upload(tmp_path, "报告.txt", newer)
    assert (tmp_path / "报告.txt").read_bytes() == TEXT
    save_upload(tmp_path, "报告.txt", newer, replace=True)
    assert (tmp_path / "报告.txt").read_bytes() == newer


def test_save_upload_checks_before_writing(tmp_path):
    with pytest.raises(RejectedUpload):
        save_upload(tmp_path, "图.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert list(tmp_path.iterdir()) == []
