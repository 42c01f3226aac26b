"""The served page's queue, called as its browser calls it (scripts.load_test.SessionClient):
without a model a question is one result message, the reading handlers share one queue, and
Gradio's per-call analytics table is not rebuilt after every call."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from scripts.load_test import SEARCH_FILTERS, SessionClient
from tests.search.chat_server import chat_server  # noqa: F401  (fixture)

QUESTION = "政府采购投标保证金比例降到多少？"


@contextmanager
def served(config, encoder, credentials=None) -> Iterator[tuple[object, str]]:
    """(the Gradio app, its URL) for the page over `config`'s index, on a free local port
    (behind a login when `credentials` are given)."""
    from index.build import sync_index
    from search.searcher import Searcher
    from ui.app import Page, build_app, launch

    sync_index(config, encoder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = dataclasses.replace(config, port=port)
    app = build_app(Page(Searcher(config, encoder), config))
    launch(app, config, credentials, block=False, quiet=True)
    try:
        yield app, f"http://127.0.0.1:{port}/"
    finally:
        app.close()


def test_without_a_model_a_question_is_one_result_message(small_corpus, fake_encoder):
    with served(small_corpus, fake_encoder) as (_, url):
        client = SessionClient(url)
        answer, sources, viewer = client.predict(QUESTION, api_name="/on_ask")
    assert "ys-source-card" in sources and viewer == ""
    assert "process_generating" not in client.messages
    assert client.messages.count("process_completed") == 1


def test_with_a_model_the_answer_still_streams(small_corpus, fake_encoder, chat_server):  # noqa: F811
    chat_server.reply("甲市把投标保证金比例由2%降至1%[1]。", pieces=3)
    config = dataclasses.replace(
        small_corpus, llm_base_url=chat_server.url, llm_model="test-model", llm_timeout=5.0
    )
    with served(config, fake_encoder) as (_, url):
        client = SessionClient(url)
        answer, _, _ = client.predict(QUESTION, api_name="/on_ask")
    assert "降至1%" in answer
    assert client.messages.count("process_generating") >= 3  # the drafts, then the answer


def test_asking_searching_and_similar_cases_share_one_queue(small_corpus, fake_encoder):
    with served(small_corpus, fake_encoder) as (app, _):
        queues: dict[str, set] = {}
        for fn in app.fns.values():
            queues.setdefault(getattr(fn.fn, "__name__", ""), set()).add(fn.concurrency_id)
    reads = set().union(*(queues[n] for n in ("on_ask", "on_search", "on_similar_case")))
    assert reads == queues["on_similar_text"] and len(reads) == 1
    assert queues["on_click"].isdisjoint(reads)  # opening a source never waits behind them


def test_the_queue_does_not_rebuild_its_analytics_table_per_call(
    small_corpus, fake_encoder, monkeypatch
):
    from gradio.queueing import Queue

    tables = []
    build_table = Queue._get_df
    monkeypatch.setattr(
        Queue, "_get_df", staticmethod(lambda records: tables.append(1) or build_table(records))
    )
    with served(small_corpus, fake_encoder) as (_, url):
        client = SessionClient(url)
        for query in ("保证金", "不动产登记", "企业开办"):
            client.predict(query, api_name="/on_ask")
            client.predict(query, *SEARCH_FILTERS, "hybrid", True, api_name="/on_search")
    assert tables == []


@pytest.mark.parametrize("api_name", ["/on_ask", "/on_search"])
def test_a_broken_query_is_a_chinese_notice_in_the_result(small_corpus, fake_encoder, api_name):
    with served(small_corpus, fake_encoder) as (_, url):
        client = SessionClient(url)
        args = ("   ",) if api_name == "/on_ask" else ("   ", *SEARCH_FILTERS, "hybrid", True)
        html, *_ = client.predict(*args, api_name=api_name)
    assert "ys-notice" in html and "请输入" in html
