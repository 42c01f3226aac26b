"""index.reading: formats, encodings, refusals and warnings, on real generated files."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from index.reading import (
    LONG_PARAGRAPH_CHARS,
    ReadLimits,
    SourceText,
    UnreadableDocument,
    content_hash,
    read_document,
)
from tests.index.fixtures_docs import (
    SAMPLE_PARAGRAPHS,
    SAMPLE_TEXT,
    SAMPLE_TITLE,
    make_docx,
    make_gbk_txt,
    make_html,
    make_pdf,
    make_scanned_pdf,
    make_utf16_txt,
)

SHORT_WORDS = ("中文", "测试", "营商环境", "一网通办", "纳税", "（一）强基础", "“放管服”改革")


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _unreadable(path: Path) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as info:
        read_document(path)
    return info.value


# --------------------------------------------------------------------------- text encodings


def test_utf8_file_is_returned_exactly(tmp_path):
    text = "一、总体要求\n\n（一）优化政务服务。\n"
    source = read_document(_write(tmp_path, "a.txt", text.encode("utf-8")))
    assert source == SourceText(text=text, encoding="utf-8", format="txt", warnings=())


def test_utf8_with_bom(tmp_path):
    source = read_document(_write(tmp_path, "a.md", b"\xef\xbb\xbf" + SAMPLE_TEXT.encode()))
    assert source.text == SAMPLE_TEXT
    assert source.encoding == "utf-8-sig"
    assert source.format == "md"


def test_gbk_file(tmp_path):
    source = read_document(make_gbk_txt(tmp_path))
    assert source.text == SAMPLE_TEXT
    assert source.encoding == "gb18030"
    assert source.warnings == ()


@pytest.mark.parametrize("word", SHORT_WORDS)
def test_short_gbk_is_not_misread(tmp_path, word):
    # charset-normalizer alone reads GBK "营商环境" as Johab and "中文" as Big5.
    path = _write(tmp_path, "short.txt", word.encode("gbk"))
    assert read_document(path).text == word


@pytest.mark.parametrize("word", SHORT_WORDS)
def test_short_utf8_stays_utf8(tmp_path, word):
    assert read_document(_write(tmp_path, "short.txt", word.encode())).text == word


@pytest.mark.parametrize("big_endian", [False, True])
@pytest.mark.parametrize("bom", [True, False])
def test_utf16(tmp_path, bom, big_endian):
    source = read_document(make_utf16_txt(tmp_path, bom=bom, big_endian=big_endian))
    assert source.text == SAMPLE_TEXT
    assert source.encoding.startswith("utf-16")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_of_pure_hanzi(tmp_path, codec):
    # No ASCII means no NUL bytes to tell the byte order; 一 (U+4E00) even adds a
    # misleading one.
    text = "一、优化营商环境，推进政务服务一网通办。"
    assert read_document(_write(tmp_path, "a.txt", text.encode(codec))).text == text


def test_windows_and_old_mac_newlines_become_lf(tmp_path):
    data = "第一行\r\n第二行\r第三行\u2028第四行".encode()
    assert read_document(_write(tmp_path, "a.txt", data)).text == "第一行\n第二行\n第三行\n第四行"


def test_control_characters_are_dropped_but_tabs_kept(tmp_path):
    data = "序号\t指标\x07\x00\n1\t开办企业\ufeff".encode()
    assert read_document(_write(tmp_path, "a.txt", data)).text == "序号\t指标\n1\t开办企业"


def test_gbk_line_inside_utf8_file_is_decoded_with_warning(tmp_path):
    data = (
        "第一行是UTF-8编码的内容。\n".encode()
        + "这一行是从别处粘贴的GBK内容。\n".encode("gbk")
        + "第三行又是UTF-8。".encode()
    )
    source = read_document(_write(tmp_path, "a.txt", data))
    assert source.text.splitlines()[1] == "这一行是从别处粘贴的GBK内容。"
    assert source.encoding == "utf-8"
    assert any("第 2 行" in w and "GB18030" in w for w in source.warnings)


def test_utf8_line_inside_gbk_file_is_decoded_with_warning(tmp_path):
    gbk = "这是一份GBK编码的文件，内容是优化营商环境的措施。\n".encode("gbk")
    utf8 = "这一行是从网页复制的UTF-8内容。\n".encode()
    source = read_document(_write(tmp_path, "a.txt", gbk * 3 + utf8 + gbk))
    assert source.encoding == "gb18030"
    assert source.text.splitlines()[3] == "这一行是从网页复制的UTF-8内容。"
    assert source.text.splitlines()[4] == "这是一份GBK编码的文件，内容是优化营商环境的措施。"
    assert any("第 4 行" in w and "UTF-8 解码" in w for w in source.warnings)


def test_undecodable_line_is_replaced_with_warning(tmp_path):
    data = "第一行正常。\n".encode() + b"\xff\xfe\xfd\x80 abc\n" + "第三行正常。".encode()
    source = read_document(_write(tmp_path, "a.txt", data))
    assert source.text.startswith("第一行正常。\n") and source.text.endswith("第三行正常。")
    assert "\ufffd" in source.text
    assert any("第 2 行" in w and "替换" in w for w in source.warnings)


def test_a_few_corrupt_bytes_do_not_lose_a_gbk_document(tmp_path):
    body = ("优化营商环境，推进政务服务一网通办。" * 200).encode("gbk")
    source = read_document(_write(tmp_path, "a.txt", body + b"\xff" + body))
    assert source.encoding == "gb18030"
    assert source.text.count("\ufffd") == 1
    assert any("1 处" in w for w in source.warnings)


def test_document_without_chinese_is_read_with_warning(tmp_path):
    source = read_document(_write(tmp_path, "a.txt", b"Business environment report 2023\n"))
    assert source.text == "Business environment report 2023\n"
    assert any("没有中文" in w for w in source.warnings)


def test_other_encodings_fall_back_to_charset_normalizer(tmp_path):
    text = "這是繁體中文的測試文件，優化營商環境典型案例，推進政務服務。"
    assert read_document(_write(tmp_path, "big5.txt", text.encode("big5"))).text == text


# --------------------------------------------------------------------------- long input


def test_twenty_megabytes_without_a_line_break(tmp_path):
    # ~20 MB of UTF-8 in one paragraph: must be read in well under the time a
    # quadratic algorithm would need, and flagged as suspicious.
    text = "优化营商环境，推进政务服务一网通办，企业开办全程网办。" * 250_000
    path = _write(tmp_path, "long.txt", text.encode())
    assert path.stat().st_size > 20_000_000
    started = time.perf_counter()
    source = read_document(path, ReadLimits(max_chars=10**8))
    assert time.perf_counter() - started < 20
    assert source.text == text
    assert any(str(len(text)) in w for w in source.warnings)
    # With the default 3-million-character limit it is refused before decoding.
    started = time.perf_counter()
    with pytest.raises(UnreadableDocument, match="文档过长"):
        read_document(path)
    assert time.perf_counter() - started < 1


def test_long_gbk_paragraph(tmp_path):
    text = "企业开办全程网办。" * (LONG_PARAGRAPH_CHARS // 8)
    source = read_document(_write(tmp_path, "long.txt", text.encode("gbk")))
    assert source.text == text and source.encoding == "gb18030"
    assert any("没有换行" in w for w in source.warnings)


# --------------------------------------------------------------------------- other formats


def test_docx_paragraphs_and_table_rows_in_order(tmp_path):
    source = read_document(make_docx(tmp_path))
    assert source.format == "docx"
    assert source.text.splitlines() == [
        SAMPLE_TITLE,
        *SAMPLE_PARAGRAPHS,
        "序号\t指标\t任务举措\t牵头单位",
        "1\t开办企业\t优化新登记企业开立银行账户流程\t人民银行南宁中心支行",
        "2\t纳税\t推行电子发票\t广西税务局",
        "三、取得成效：企业开办时间压缩至0.5个工作日。",
    ]
    assert source.warnings == ()


def test_docx_merged_cells(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows,
        [("指标", "任务", "单位"), ("纳税", "甲", "税务局"), ("", "乙", "")],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # 纳税 spans two rows
    table.cell(2, 1).merge(table.cell(2, 2))  # 乙 spans two columns
    table.cell(2, 1).text = "乙项任务"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    lines = read_document(path).text.splitlines()
    # Vertical merge: repeated so each row stands alone; horizontal: written once.
    assert lines == ["指标\t任务\t单位", "纳税\t甲\t税务局", "纳税\t乙项任务"]


def test_pdf_with_cjk_text_layer(tmp_path):
    source = read_document(make_pdf(tmp_path, pages=2))
    assert source.format == "pdf"
    for line in (SAMPLE_TITLE, *SAMPLE_PARAGRAPHS):
        assert source.text.count(line) == 2, line
    assert source.warnings == ()


def test_scanned_pdf_is_refused(tmp_path):
    error = _unreadable(make_scanned_pdf(tmp_path))
    assert str(error) == "无法读取《scanned.pdf》：PDF 没有文字层（可能是扫描件），请先进行文字识别"


def test_html_visible_text_as_lines(tmp_path):
    source = read_document(make_html(tmp_path))
    assert source.format == "html" and source.encoding == "utf-8"
    lines = source.text.splitlines()
    assert lines[lines.index(SAMPLE_TITLE) :] == [
        SAMPLE_TITLE,
        *SAMPLE_PARAGRAPHS,
        "联系人：张三",
        "电话：0779-1234567",
        "序号\t指标\t任务举措\t牵头单位",
        "1\t开办企业\t优化新登记企业开立银行账户流程\t人民银行南宁中心支行",
        "2\t纳税\t推行电子发票\t广西税务局",
    ]
    for hidden in ("脚本", "color", "注释"):
        assert hidden not in source.text


@pytest.mark.parametrize("declare", [True, False])
def test_gb2312_html(tmp_path, declare):
    source = read_document(make_html(tmp_path, encoding="gb2312", declare=declare, name="a.htm"))
    assert SAMPLE_PARAGRAPHS[1] in source.text.splitlines()
    assert source.encoding == "gb18030"


def test_html_whitespace_collapses_like_a_browser(tmp_path):
    page = "<div>优化\n   营商环境<span>  一网</span>通办</div><ul><li>一</li><li>二</li></ul>"
    source = read_document(_write(tmp_path, "a.html", page.encode()))
    assert source.text.splitlines() == ["优化 营商环境 一网通办", "一", "二"]


def test_html_cells_with_paragraphs_stay_on_one_row(tmp_path):
    page = (
        "<table><tr><th>指标</th><th>牵头单位</th></tr>"
        "<tr><td><p>纳税</p></td><td>税务局<br>财政厅</td></tr>"
        "<tr><td></td><td>市场监管局</td></tr></table>"
    )
    source = read_document(_write(tmp_path, "a.html", page.encode()))
    assert source.text.splitlines() == ["指标\t牵头单位", "纳税\t税务局 财政厅", "\t市场监管局"]


def test_html_pre_and_full_width_indentation(tmp_path):
    page = "<pre>第一行\n第二行</pre><p>\u3000\u3000正文缩进保留。</p>"
    source = read_document(_write(tmp_path, "a.html", page.encode()))
    assert source.text.splitlines() == ["第一行", "第二行", "\u3000\u3000正文缩进保留。"]


def test_pdf_locked_with_a_password_is_refused(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=make_pdf(tmp_path))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    locked = tmp_path / "加密.pdf"
    with open(locked, "wb") as handle:
        writer.write(handle)
    assert "已加密" in _unreadable(locked).reason


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=make_pdf(tmp_path))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "限制打印.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    assert SAMPLE_TITLE in read_document(path).text


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n"])
def test_empty_file(tmp_path, data):
    assert _unreadable(_write(tmp_path, "空.txt", data)).reason == "文件是空的"


def test_unsupported_extension(tmp_path):
    error = _unreadable(_write(tmp_path, "表格.xlsx", b"PK\x03\x04"))
    assert "不支持的文件类型 .xlsx" in str(error)
    assert error.path.name == "表格.xlsx"


def test_png_renamed_to_txt(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert "PNG 图片" in str(_unreadable(_write(tmp_path, "图.txt", data)))


def test_random_binary(tmp_path):
    data = bytes((i * 7919 + 13) % 256 for i in range(20_000))
    assert _unreadable(_write(tmp_path, "x.txt", data)).reason == "文件内容是二进制数据，不是文本"


def test_text_without_meaningful_characters(tmp_path):
    error = _unreadable(_write(tmp_path, "x.txt", "……——，。！\n***\n".encode()))
    assert "没有可识别的文字" in str(error)


def test_corrupt_docx(tmp_path):
    error = _unreadable(_write(tmp_path, "坏.docx", b"PK\x03\x04 this is not really a zip"))
    assert str(error).startswith("无法读取《坏.docx》：")
    assert "Word" in error.reason


def test_zip_without_word_document_is_not_a_docx(tmp_path):
    path = tmp_path / "a.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "你好")
    assert "Word" in _unreadable(path).reason


def test_docx_with_broken_xml(tmp_path):
    good = make_docx(tmp_path)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]  # truncated XML
            target.writestr(item, data)
    assert "损坏" in _unreadable(broken).reason


def test_empty_docx(tmp_path):
    path = make_docx(tmp_path, title="", paragraphs=(), table=(), after_table="")
    assert "没有可识别的文字" in _unreadable(path).reason


def test_corrupt_pdf(tmp_path):
    data = make_pdf(tmp_path).read_bytes()
    error = _unreadable(_write(tmp_path, "坏.pdf", data[:200]))
    assert str(error).startswith("无法读取《坏.pdf》：")


def test_file_named_pdf_that_is_not_a_pdf(tmp_path):
    assert "PDF" in _unreadable(_write(tmp_path, "a.pdf", "不是PDF".encode())).reason


def test_error_carries_path_and_reason(tmp_path):
    error = _unreadable(_write(tmp_path, "空.txt", b""))
    assert error.path == tmp_path / "空.txt"
    assert str(error) == "无法读取《空.txt》：文件是空的"


# --------------------------------------------------------------------------- content_hash


def test_content_hash_ignores_whitespace_only():
    a = "一、总体要求\n（一）优化政务服务。"
    b = "  一、总体要求\r\n\u3000（一）优化 政务服务。\n\n"
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(a.replace("优化", "改善"))
    assert len(content_hash(a)) == 64


def test_same_content_in_different_formats_has_same_hash(tmp_path):
    from_txt = read_document(make_gbk_txt(tmp_path)).text
    from_pdf = read_document(make_pdf(tmp_path)).text
    assert content_hash(from_txt) == content_hash(from_pdf)
