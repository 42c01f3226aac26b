"""`stream_answer` against the real local chat-completions server (tests/search/chat_server.py)."""

from __future__ import annotations

import time

import pytest

from index.config import Config
from search.answer import NOTICE_NO_GENERATION, Answer, Answerer
from search.answer_stream import Draft, stream_answer
from search.llm import generator_for
from tests.search.chat_server import chat_server  # noqa: F401  (fixture)
from tests.search.test_answer import StubSearcher, make_hit

QUESTION = "保证金比例降到多少？"


@pytest.fixture
def hits():
    return [
        make_hit("政府采购投标保证金比例由2%降至1%。", 1, "降低保证金"),
        make_hit("企业开办时间压缩至1个工作日。", 2, "压缩时限"),
        make_hit("推行不动产登记全城通办。", 3, "全城通办"),
    ]


def answerer_for(server, hits, encoder, timeout: float = 5.0) -> Answerer:
    config = Config(llm_base_url=server.url, llm_model="test-model", llm_timeout=timeout)
    return Answerer(StubSearcher(encoder, hits), generator=generator_for(config), threshold=0.0)


def test_cited_reply_streams_drafts_then_the_checked_answer(chat_server, hits, fake_encoder):  # noqa: F811
    chat_server.reply("企业开办压缩到1个工作日[2]，保证金降至1%【1】。", pieces=4)
    items = list(stream_answer(answerer_for(chat_server, hits, fake_encoder), QUESTION))
    drafts, final = items[:-1], items[-1]
    assert len(drafts) == 4 and all(isinstance(d, Draft) for d in drafts)
    assert [len(d.text) for d in drafts] == sorted(len(d.text) for d in drafts)  # growing
    assert drafts[-1].text == "企业开办压缩到1个工作日[2]，保证金降至1%【1】。"
    assert drafts[0].given == tuple(hits)  # the model's [n] is hits[n-1]
    assert isinstance(final, Answer) and final.kind == "generated" and final.confident
    # renumbered in order of use, like every answer: old [2] → [1], old [1] → [2]
    assert final.text == "企业开办压缩到1个工作日[1]，保证金降至1%[2]。"
    assert final.citations == (hits[1].citation, hits[0].citation)
    assert chat_server.requests[-1].body["stream"] is True


@pytest.mark.parametrize(
    ("content", "status", "delay"),
    [
        ("保证金降至1%。", 200, 0.0),  # uncited: shown while it arrives, then replaced
        ("保证金降至1%[7]。", 200, 0.0),  # cites a passage it was not given
        ("", 500, 0.0),  # server error
        ("迟到的回答[1]。", 200, 6.0),  # far slower than the timeout
    ],
)
def test_failures_end_with_the_extractive_answer_and_a_notice(
    chat_server,  # noqa: F811
    hits,
    fake_encoder,
    content,
    status,
    delay,
):
    chat_server.reply(content, status=status, delay=delay)
    answerer = answerer_for(chat_server, hits, fake_encoder, timeout=0.4)
    t0 = time.perf_counter()
    items = list(stream_answer(answerer, QUESTION))
    assert time.perf_counter() - t0 < 4.0  # the 0.4 s timeout cut the 6 s reply short
    final = items[-1]
    assert isinstance(final, Answer) and all(isinstance(d, Draft) for d in items[:-1])
    assert final.kind == "extractive" and final.notice.startswith(NOTICE_NO_GENERATION)
    assert "1%" in final.text and "[1]" in final.text
    assert len(chat_server.requests) == 1
    if status == 200 and not delay:
        assert items[-2].text == content  # the text was shown as it arrived, then replaced


def test_without_a_generator_the_answer_is_the_extractive_one(hits, fake_encoder):
    answerer = Answerer(StubSearcher(fake_encoder, hits), threshold=0.0)
    (only,) = stream_answer(answerer, QUESTION)
    assert isinstance(only, Answer) and only.kind == "extractive" and not only.notice
