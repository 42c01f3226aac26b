"""Build real test documents (GBK/UTF-16 text, .docx, .pdf, .html) in a folder.

Reusable from any test module: every `make_*` takes the target folder and returns the
path of the file it wrote. The PDF needs a CJK TrueType font that fpdf2 can embed; the
Debian package `fonts-wqy-zenhei` provides one (see `cjk_font`).
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

# One case in a layout no seed parser knows, as a user would upload it (a GBK .txt in the
# browser test; the generic case parser must recognise it).
LINGSHAN_CASE = (
    "灵山县荔枝产业“一码通”服务案例\n"
    "一、案例背景\n"
    "灵山县是荔枝之乡，果农和收购企业办事要跑多个部门。\n"
    "二、主要做法\n"
    "灵山县推行荔枝产业“一码通”服务，把产地证明、检疫申报和运输通行证整合到一个二维码，"
    "企业扫码即可一次办结，办事时间由3天压缩至半天。\n"
    "三、取得成效\n"
    "全年服务荔枝收购企业420家，群众满意率达到99%。\n"
)

SAMPLE_TITLE = "北海市证照“三联办”跑出企业开办“加速度”"
SAMPLE_PARAGRAPHS = (
    "一、案例背景：北海市聚焦企业开办中的堵点难点，推行证照“三联办”改革。",
    "二、主要做法：依托政务服务平台，实现营业执照、公章刻制、税务登记一网通办。",
)
SAMPLE_TABLE = (
    ("序号", "指标", "任务举措", "牵头单位"),
    ("1", "开办企业", "优化新登记企业开立银行账户流程", "人民银行南宁中心支行"),
    ("2", "纳税", "推行电子发票", "广西税务局"),
)
SAMPLE_TEXT = "\n".join((SAMPLE_TITLE, *SAMPLE_PARAGRAPHS))

# Debian's fonts-wqy-zenhei (a .ttc; fpdf2 needs the face number) and fallbacks.
CJK_FONT_PACKAGE = "fonts-wqy-zenhei"
_KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def make_gbk_txt(folder: Path, text: str = SAMPLE_TEXT, name: str = "gbk.txt") -> Path:
    """A text file in GB18030 (a superset of GBK; identical bytes for these characters)."""
    path = Path(folder) / name
    path.write_bytes(text.encode("gb18030"))
    return path


def make_utf16_txt(
    folder: Path,
    text: str = SAMPLE_TEXT,
    *,
    bom: bool = True,
    big_endian: bool = False,
    name: str | None = None,
) -> Path:
    """A UTF-16 text file, with or without a byte-order mark."""
    codec = "utf-16-be" if big_endian else "utf-16-le"
    mark = ("\ufeff" if bom else "").encode(codec)
    path = Path(folder) / (name or f"{codec}{'-bom' if bom else ''}.txt")
    path.write_bytes(mark + text.encode(codec))
    return path


def make_docx(
    folder: Path,
    *,
    title: str = SAMPLE_TITLE,
    paragraphs: Sequence[str] = SAMPLE_PARAGRAPHS,
    table: Sequence[Sequence[str]] = SAMPLE_TABLE,
    after_table: str = "三、取得成效：企业开办时间压缩至0.5个工作日。",
    name: str = "sample.docx",
) -> Path:
    """A Word file made by python-docx: a heading, paragraphs, a table, a paragraph."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    if after_table:
        document.add_paragraph(after_table)
    path = Path(folder) / name
    document.save(str(path))
    return path


def cjk_font() -> Path:
    """A CJK font file fpdf2 can embed; fails with the package to install if none."""
    for known in _KNOWN_FONTS:
        if Path(known).is_file():
            return Path(known)
    if shutil.which("fc-list"):
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False
        ).stdout
        for line in listed.splitlines():
            candidate = Path(line.split(":")[0].strip())
            if candidate.suffix.lower() in (".ttf", ".ttc") and candidate.is_file():
                return candidate
    raise RuntimeError(f"没有中文字体：请先安装 Debian 软件包 {CJK_FONT_PACKAGE}")


def make_pdf(
    folder: Path,
    lines: Sequence[str] = (SAMPLE_TITLE, *SAMPLE_PARAGRAPHS),
    *,
    name: str = "sample.pdf",
    pages: int = 1,
) -> Path:
    """A PDF with a real CJK text layer (fpdf2 embeds a subset of the font)."""
    return make_paged_pdf(folder, [lines] * pages, name=name)


def make_paged_pdf(
    folder: Path, pages: Sequence[Sequence[str]], *, name: str = "paged.pdf"
) -> Path:
    """A PDF with the given lines on each page (a page break before every page)."""
    path = Path(folder) / name
    path.write_bytes(_pdf_bytes(tuple(tuple(lines) for lines in pages)))
    return path


@functools.cache
def _pdf_bytes(pages: tuple[tuple[str, ...], ...]) -> bytes:
    # Cached: parsing and subsetting the 17 MB zenhei collection takes about a second.
    from fpdf import FPDF

    # fontTools reports the zenhei bitmap strikes it cannot subset; harmless noise.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = FPDF()
    pdf.add_font("cjk", fname=str(cjk_font()), collection_font_number=0)
    pdf.set_font("cjk", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_scanned_pdf(folder: Path, name: str = "scanned.pdf") -> Path:
    """A PDF that is only a picture of a page, like a scan: no text layer at all."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 800), color=255)
    draw = ImageDraw.Draw(image)
    for y in range(80, 760, 30):  # grey bars where the lines of text would be
        draw.rectangle((60, y, 540, y + 12), fill=90)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    path = Path(folder) / name
    pdf.output(str(path))
    return path


def make_html(
    folder: Path,
    *,
    title: str = SAMPLE_TITLE,
    paragraphs: Sequence[str] = SAMPLE_PARAGRAPHS,
    table: Sequence[Sequence[str]] = SAMPLE_TABLE,
    encoding: str = "utf-8",
    declare: bool = True,
    name: str = "sample.html",
) -> Path:
    """An HTML page with a script, a style, a heading, paragraphs, a <br> and a table.

    `encoding` is both the bytes' codec and (if `declare`) the <meta charset>.
    """
    meta = f'<meta charset="{encoding}">' if declare else ""
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n" for row in table
    )
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    page = f"""<!DOCTYPE html>
<html><head>{meta}<title>{title}</title>
<style>p {{ color: red; }} .不要 {{ }}</style>
<script>var 脚本 = "不应出现在正文中";</script></head>
<body><div class="nav"><a href="/">首页</a> &gt; <span>典型案例</span></div>
<h1>{title}</h1>
{body}
<p>联系人：张三<br>电话：0779-1234567</p>
<table>
{rows}</table>
<!-- 注释也不应出现 -->
</body></html>
"""
    path = Path(folder) / name
    path.write_bytes(page.encode(encoding))
    return path
