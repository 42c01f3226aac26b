"""Citations a reader of the original file can check: PDF pages, Word paragraphs.

A real index (FAISS + BM25, fake encoder) over a three-page PDF and a Word file; the
searches run through `Searcher` as the page and the CLI do.
"""

from __future__ import annotations

import json

import docx
import pytest

from index.build import sync_index
from index.store import current_version, load_index
from search.searcher import Filters, Searcher
from tests.index.fixtures_docs import make_docx, make_paged_pdf

PAGES = (
    (
        "一、企业开办",
        "北海市推行证照“三联办”，营业执照、公章刻制和税务登记一次办结。",
        "企业开办时间压缩至半个工作日，全年新设市场主体增长一成。",
    ),
    (
        "二、跨境贸易",
        "钦州港推行进口货物“船边直提”和出口货物“抵港直装”。",
        "口岸整体通关时间压缩一半，集装箱吞吐量创历史新高。",
    ),
    (
        "三、不动产登记",
        "南宁市推行不动产登记“全城通办”，群众可在任一窗口办理。",
        "一般登记业务一个工作日办结，抵押登记实现全程网办。",
    ),
)
# Long enough to be chunked into several passages, each paragraph about something else.
DOCX_TOPICS = (
    "工程建设项目审批",
    "水电气报装",
    "政府采购",
    "招标投标",
    "纳税缴费",
    "跨境贸易",
    "知识产权保护",
    "市场监管",
    "联合审图和联合验收",
    "中小投资者保护",
    "办理破产",
    "劳动力市场监管",
)
DOCX_PARAGRAPHS = tuple(
    f"（{n}）柳州市围绕{topic}推出改革举措，{topic}事项实行一窗受理、并联审批、限时办结，"
    f"企业办理{topic}相关业务的时间和成本明显下降，群众满意度持续提升。"
    for n, topic in enumerate(DOCX_TOPICS, 1)
)


@pytest.fixture
def paged_searcher(small_corpus, fake_encoder):
    make_paged_pdf(small_corpus.corpus_dir, PAGES, name="案例汇编.pdf")
    make_docx(
        small_corpus.corpus_dir,
        title="柳州市工程建设项目审批改革案例",
        paragraphs=DOCX_PARAGRAPHS,
        table=(),
        after_table="",
        name="柳州案例.docx",
    )
    sync_index(small_corpus, fake_encoder)
    return Searcher(small_corpus, fake_encoder)


def _top(searcher: Searcher, query: str, doc: str):
    hits = searcher.search(query, mode="bm25", filters=Filters(doc=doc)).hits
    assert hits, query
    return hits[0]


@pytest.mark.parametrize("page", [1, 2, 3])
def test_a_pdf_hit_cites_its_page(paged_searcher, page):
    query = {1: "证照三联办 公章刻制", 2: "船边直提 抵港直装", 3: "不动产登记全城通办"}[page]
    hit = _top(paged_searcher, query, "案例汇编.pdf")
    assert hit.citation.locator == f"第{page}页"
    assert hit.citation.label().endswith(f"案例汇编.pdf 第{page}页")
    assert hit.to_json()["locator"] == f"第{page}页"
    assert "行" not in hit.citation.label().rsplit("·", 1)[-1]  # no line numbers for a PDF


def test_a_docx_hit_cites_its_paragraphs(paged_searcher, small_corpus):
    hit = _top(paged_searcher, "联合审图和联合验收", "柳州案例.docx")
    assert "联合审图" in hit.passage.text
    # The paragraphs holding the passage's first and last characters, counted by
    # python-docx as a reader counts them (the heading is paragraph 1).
    texts = [p.text for p in docx.Document(small_corpus.corpus_dir / "柳州案例.docx").paragraphs]
    texts = [t for t in texts if t.strip()]
    first = next(n for n, t in enumerate(texts, 1) if hit.passage.text[:12] in t)
    tail = hit.passage.text[-12:]
    last = next(n for n, t in enumerate(texts, 1) if n >= first and tail in t)
    assert first > 1  # a passage in the middle of the document, not its start
    expected = f"第{first}段" if first == last else f"第{first}–{last}段"
    assert hit.citation.locator == expected
    assert hit.citation.label().endswith(f"柳州案例.docx {expected}")


def test_text_files_keep_line_numbers(paged_searcher):
    hit = _top(paged_searcher, "投标保证金", "a.txt")
    assert hit.citation.locator == ""
    p = hit.passage
    assert (p.line_start, p.line_end) == (2, 3)
    assert hit.citation.label().endswith("a.txt 第2–3行")


def test_an_index_without_locations_loads_and_the_next_sync_fills_them_in(
    small_corpus, fake_encoder
):
    make_paged_pdf(small_corpus.corpus_dir, PAGES, name="案例汇编.pdf")
    sync_index(small_corpus, fake_encoder)
    # Make the index look like one written before locations were kept.
    folder = small_corpus.index_dir / current_version(small_corpus.index_dir)
    docs = folder / "documents.jsonl"
    rows = [json.loads(line) for line in docs.read_text("utf-8").splitlines()]
    for row in rows:
        row.pop("locations")
    docs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")

    old = load_index(small_corpus.index_dir)
    pdf = next(d for d in old.documents if d.doc == "案例汇编.pdf")
    assert not pdf.locations and pdf.locator(0, 5) == ""
    hit = _top(Searcher(small_corpus, fake_encoder), "船边直提", "案例汇编.pdf")
    assert hit.citation.locator == "" and "行" in hit.citation.label()  # lines, as before

    embedded = fake_encoder.calls
    report = sync_index(small_corpus, fake_encoder)
    assert fake_encoder.calls == embedded and report.embedded == 0  # nothing re-embedded
    hit = _top(Searcher(small_corpus, fake_encoder), "船边直提", "案例汇编.pdf")
    assert hit.citation.locator == "第2页"


def test_a_comparison_cites_pages(paged_searcher):
    from search.compare import unit_view

    snap = paged_searcher.index.current
    hit = _top(paged_searcher, "船边直提 抵港直装", "案例汇编.pdf")
    view = unit_view(snap.data, hit.unit.id)
    assert view.citation.locator.startswith("第") and "页" in view.citation.locator


def test_a_saved_basket_citation_keeps_its_locator(paged_searcher):
    from search.briefing import BriefingItem, citation_text, item_from_hit

    hit = _top(paged_searcher, "船边直提 抵港直装", "案例汇编.pdf")
    item = BriefingItem.from_json(json.loads(json.dumps(item_from_hit(hit).to_json())))
    assert item.citations[0].locator == "第2页"
    assert citation_text(item.citations[0]).endswith("第2页")
    # A basket saved before citations had a locator still loads.
    old = item_from_hit(hit).to_json()
    old["citations"][0].pop("locator")
    assert BriefingItem.from_json(old).citations[0].locator == ""


def test_a_case_listed_in_the_contents_is_cited_with_its_printed_page(small_corpus, fake_encoder):
    """A text collection with contents: line numbers, then the page the contents print."""
    articles = [
        (
            "广西壮族自治区北海市：证照“三联办”跑出开办加速度",
            "北海市推行证照“三联办”，营业执照和公章一次办结。",
        ),
        (
            "广西壮族自治区钦州市：港口通关提速",
            "钦州港推行进口货物“船边直提”和出口货物“抵港直装”。",
        ),
        (
            "广西壮族自治区南宁市：不动产登记全城通办",
            "南宁市推行不动产登记“全城通办”，群众可就近办理。",
        ),
    ]
    contents = "\n".join(f"{title}.....\t{3 + 2 * k}" for k, (title, _) in enumerate(articles))
    body = "\n\n".join(f"{title}\n\n{text * 3}" for title, text in articles)
    (small_corpus.corpus_dir / "周报.txt").write_text(
        f"每周案例\n\n目录\n{contents}\n\n{body}\n", encoding="utf-8"
    )
    sync_index(small_corpus, fake_encoder)
    hit = _top(Searcher(small_corpus, fake_encoder), "船边直提 抵港直装", "周报.txt")
    assert hit.unit.title == "广西壮族自治区钦州市：港口通关提速" and hit.unit.page == "5"
    assert hit.citation.label().endswith("行（原书第5页）")
