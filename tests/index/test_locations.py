"""index.locations and the reader's pages/paragraphs: what a reader of the original can check."""

from __future__ import annotations

import docx
import pypdf

from index.locations import Locations
from index.reading import read_document
from tests.index.fixtures_docs import make_docx, make_paged_pdf

PAGES = (
    ("一、第一页标题", "北海市推行证照联办，企业开办更快捷。"),
    ("二、第二页标题", "钦州港口岸通关时间压缩一半，跨境贸易更便利。"),
    ("三、第三页标题", "南宁市推行不动产登记全城通办，群众少跑腿。"),
)


# ------------------------------------------------------------------ Locations.describe


def test_pages_are_numbered_from_their_start_offsets():
    loc = Locations(pages=(0, 100, 250))
    assert loc.describe(0, 10) == "第1页"
    assert loc.describe(100, 120) == "第2页"
    assert loc.describe(99, 101) == "第1–2页"
    assert loc.describe(90, 100) == "第1页"  # the end is exclusive
    assert loc.describe(260, 300) == "第3页"


def test_word_paragraphs_and_table_rows():
    loc = Locations(paragraphs=(0, 20, 50, 200), table_rows=((80, 1, 1), (100, 1, 2), (150, 1, 4)))
    assert loc.describe(21, 40) == "第2段"
    assert loc.describe(21, 60) == "第2–3段"
    assert loc.describe(100, 120) == "表1第2行"
    assert loc.describe(85, 160) == "表1第1–4行"
    assert loc.describe(55, 110) == "第3段至表1第2行"
    assert loc.describe(210, 220) == "第4段"  # the paragraph after the table


def test_no_locations_means_no_locator():
    assert not Locations()
    assert Locations().describe(0, 10) == ""
    assert Locations(paragraphs=(30,)).describe(0, 10) == ""  # before the first paragraph


def test_locations_survive_json():
    loc = Locations(pages=(0, 9), paragraphs=(1, 5), table_rows=((7, 1, 2),))
    assert Locations.from_json(loc.to_json()) == loc
    assert Locations.from_json(None) == Locations()


# ------------------------------------------------------------------ from real files


def test_pdf_page_starts_point_at_each_page(tmp_path):
    path = make_paged_pdf(tmp_path, PAGES)
    source = read_document(path)
    extracted = [p.extract_text() for p in pypdf.PdfReader(path).pages]
    assert len(source.locations.pages) == 3
    for number, (start, page_text) in enumerate(
        zip(source.locations.pages, extracted, strict=True), 1
    ):
        assert source.text.startswith(page_text, start)
        hit = source.text.index("页标题", start)
        assert source.locations.describe(hit, hit + 3) == f"第{number}页"


def test_docx_paragraphs_count_what_a_reader_sees(tmp_path):
    # A paragraph with a soft line break is two lines of text but one paragraph; empty
    # paragraphs are not counted; table rows are cited by table and row.
    path = make_docx(tmp_path)
    document = docx.Document(str(path))
    broken = document.paragraphs[1]
    broken.add_run().add_break()
    broken.add_run("（续）同一段的第二行。")
    document.paragraphs[2].insert_paragraph_before("")
    document.save(str(path))
    source = read_document(path)
    text, loc = source.text, source.locations

    def where(phrase: str) -> str:
        at = text.index(phrase)
        return loc.describe(at, at + len(phrase))

    assert where("同一段的第二行") == "第2段"
    assert where("依托政务服务平台") == "第3段"  # not 4 (a line break) nor 5 (an empty one)
    assert where("推行电子发票") == "表1第3行"
    assert where("企业开办时间压缩") == "第4段"
    assert len(loc.paragraphs) == 4


def test_text_formats_have_no_locations(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("一、总体要求\n内容。\n", encoding="utf-8")
    assert not read_document(path).locations
