"""The 问答 tab's handler streams: `Page.ask` is a generator, driven here directly against the
real local chat-completions server (tests/search/chat_server.py); and the source cards keep at
most two per case or measure."""

from __future__ import annotations

import dataclasses

import pytest

from search.answer import NOTICE_NO_GENERATION, no_answer
from tests.conftest import count_query_calls
from tests.search.chat_server import chat_server  # noqa: F401  (fixture)
from tests.search.test_answer import make_hit
from ui import render
from ui.ask_stream import NOTICE_DRAFTING

QUESTION = "政府采购投标保证金比例降到多少？"


@pytest.fixture
def llm_page(small_corpus, fake_encoder, chat_server):  # noqa: F811
    from index.build import sync_index
    from search.searcher import Searcher
    from ui.app import Page

    config = dataclasses.replace(
        small_corpus, llm_base_url=chat_server.url, llm_model="test-model", llm_timeout=0.5
    )
    sync_index(config, fake_encoder)
    return Page(Searcher(config, fake_encoder), config)


def test_the_answer_streams_piece_by_piece_then_links_its_citations(llm_page, chat_server):  # noqa: F811
    chat_server.reply("甲市把投标保证金比例由2%降至1%[1]。", pieces=3)
    pieces = list(llm_page.ask(QUESTION))
    assert len(pieces) == 4  # three drafts, then the checked answer
    drafts, (answer, sources, viewer) = pieces[:-1], pieces[-1]
    assert all(NOTICE_DRAFTING in html for html, _, _ in drafts)
    assert "甲市把投标" in drafts[0][0] and "降至1%" not in drafts[0][0]
    assert "降至1%" in drafts[-1][0]
    assert all('class="ys-card ys-source-card"' in cards for _, cards, _ in drafts)
    assert NOTICE_DRAFTING not in answer and "ys-unsure" not in answer
    assert 'class="ys-cite-link" href="#ys-ask-src-1"' in answer
    assert "引用来源" in sources and 'id="ys-ask-src-1"' in sources and viewer == ""
    assert chat_server.requests[-1].body["stream"] is True


@pytest.mark.parametrize(
    ("content", "status", "delay"),
    [("保证金降至1%。", 200, 0.0), ("", 500, 0.0), ("迟到[1]。", 200, 1.5)],
)
def test_uncited_error_or_slow_replies_end_with_the_extractive_answer(
    llm_page,
    chat_server,  # noqa: F811
    content,
    status,
    delay,
):
    chat_server.reply(content, status=status, delay=delay)
    answer, sources, _ = list(llm_page.ask(QUESTION))[-1]
    assert NOTICE_NO_GENERATION in answer and NOTICE_DRAFTING not in answer
    assert "ys-source-card" in sources


def test_an_empty_question_is_a_chinese_notice_not_a_traceback(llm_page, chat_server):  # noqa: F811
    ((html, *_),) = list(llm_page.ask("   "))
    assert "ys-notice" in html and "请输入" in html
    assert chat_server.requests == []


def test_without_a_model_the_page_answers_extractively(small_corpus, fake_encoder):
    from index.build import sync_index
    from search.searcher import Searcher
    from ui.app import Page

    sync_index(small_corpus, fake_encoder)
    page = Page(Searcher(small_corpus, fake_encoder), small_corpus)
    assert page.generator is None
    ((answer, sources, _),) = list(page.ask(QUESTION))
    # Extractive, no generation notice; with the fake encoder the answer may be unsure, in
    # which case the page shows only the notice and the sources (never an unsure body).
    assert NOTICE_NO_GENERATION not in answer and NOTICE_DRAFTING not in answer
    assert "ys-source-card" in sources and "1%" in sources


# ------------------------------------------------------------------ at most two cards per unit


def _same_unit(hit, other):
    return dataclasses.replace(hit, unit=other.unit)


def test_one_case_cannot_fill_the_sources():
    a = make_hit("杭州：纳税服务创新一。", 1, "杭州纳税", doc="a.txt")
    many_a = [a] + [
        _same_unit(make_hit(f"杭州：纳税第{i}段。", i, doc="a.txt"), a) for i in range(2, 7)
    ]
    b = make_hit("百色：纳税服务创新。", 7, "百色纳税", doc="b.txt")
    hits = (*many_a, b)
    shown = render.source_cards(hits, keep=0)
    assert [h.unit.id for h in shown] == [a.unit.id, a.unit.id, b.unit.id]
    html = render.sources_html(no_answer(hits, "提示"))
    assert html.count("ys-source-card") == 3 and "百色纳税" in html


def test_cited_cards_are_always_kept_and_numbered_as_cited():
    a = make_hit("甲一。", 1, "甲")
    hits = [a] + [_same_unit(make_hit(f"甲{i}。", i), a) for i in range(2, 5)]
    assert render.source_cards(hits, keep=3) == hits[:3]  # cited: card n is [n]
    assert len(render.source_cards(hits + [make_hit("乙。", 9, "乙")], keep=0, limit=2)) == 2


def test_the_page_embeds_the_question_once(llm_page, chat_server, fake_encoder, monkeypatch):  # noqa: F811
    """The page's ask — streamed, then after a failed generation extractive — runs the encoder
    once: the question and its clauses in one call, shared by the search and the recogniser."""
    question = "企业开办时间压缩到多少，保证金比例降到多少？"
    assert llm_page.answerer.question_model  # the recogniser's examples, embedded up front
    calls = count_query_calls(monkeypatch, fake_encoder)
    chat_server.reply("企业开办压缩到1个工作日[1]。")
    list(llm_page.ask(question))
    assert calls == [[question, "企业开办时间压缩到多少", "保证金比例降到多少"]]
    calls.clear()
    chat_server.reply("", status=500)
    answer, *_ = list(llm_page.ask(question))[-1]
    assert NOTICE_NO_GENERATION in answer
    assert calls == [[question, "企业开办时间压缩到多少", "保证金比例降到多少"]]


def test_a_task_row_card_reads_as_its_fields():
    """A task-table row's card shows "任务：…；牵头单位：…", not the row's glued columns."""
    row = make_hit(
        "145政务服务进一步提升政务服务大厅服务效能开展标杆大厅等级评定。"
        "2023年12月31日自治区大数据发展局各市、县人民政府",
        1,
        "进一步提升政务服务大厅服务效能",
        kind="measure",
        lead=("自治区大数据发展局",),
        coop=("各市、县人民政府",),
        deadline="2023年12月31日",
    )
    row = dataclasses.replace(
        row, unit=dataclasses.replace(row.unit, number="145", indicator="政务服务")
    )
    html = render.sources_html(no_answer([row], "提示"))
    assert "任务：开展标杆大厅等级评定；牵头单位：自治区大数据发展局" in html
    assert "完成时限：2023年12月31日" in html and "145政务服务" not in html
    plain = make_hit("开展标杆大厅等级评定。", 2, "政务服务", kind="measure")
    assert "开展标杆大厅等级评定。" in render.sources_html(no_answer([plain], "提示"))
