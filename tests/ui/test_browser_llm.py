"""The 问答 tab with a configured model, in headless Chromium: the answer appears piece by
piece while the real local chat-completions server (tests/search/chat_server.py) streams it,
then becomes the checked answer; a failing model leaves the extractive answer and a notice.

Its own app (a model endpoint configured) over a temp copy of the seed corpus; the browser,
page helpers and screenshots are those of tests/ui/test_browser.py.
"""

from __future__ import annotations

import pytest

from search.answer import NOTICE_NO_GENERATION
from tests.search.chat_server import ChatServer
from tests.ui.test_browser import (  # noqa: F401  (browser: fixture)
    BROWSER_MARKS,
    SHOTS,
    _clean,
    _open,
    _shot,
    browser,
    served_seed_copy,
)
from ui.ask_stream import NOTICE_DRAFTING

pytestmark = BROWSER_MARKS

QUESTION = "压缩出口退税办理时间由哪个部门牵头？"


@pytest.fixture(scope="module")
def llm_app(tmp_path_factory, real_encoder):
    """(url, chat server) of the real app with a model endpoint configured."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    server = ChatServer().start()
    endpoint = {"llm_base_url": server.url, "llm_model": "test-model", "llm_timeout": 5.0}
    try:
        with served_seed_copy(tmp_path_factory, real_encoder, "browser-llm", **endpoint) as env:
            yield env[0], server
    finally:
        server.stop()


@pytest.fixture
def page(browser, llm_app):  # noqa: F811
    p = _open(browser, llm_app[0])
    yield p
    p.context.close()


def _ask(page, question: str) -> None:
    page.fill("#ys-ask-q textarea", question)
    page.click("#ys-ask-btn")


def test_the_answer_streams_in_then_links_its_sources(page, llm_app):
    _, server = llm_app
    reply = "压缩出口退税办理时间由广西税务局牵头[1]，人民银行南宁中心支行等单位配合[1]。"
    server.reply(reply, pieces=4, piece_delay=1.0)
    _ask(page, QUESTION)
    page.wait_for_selector(f"#ys-ask-answer .ys-notice:has-text('{NOTICE_DRAFTING}')")
    page.wait_for_selector("#ys-ask-answer .ys-answer")
    partial = page.inner_text("#ys-ask-answer .ys-answer")
    assert partial and "配合" not in partial  # only the first pieces so far
    assert page.locator("#ys-ask-sources .ys-card").count() >= 1  # sources while it writes
    _shot(page, "40-ask-generated-streaming")

    page.wait_for_selector("#ys-ask-answer .ys-cite-link")
    page.wait_for_selector(
        f"#ys-ask-answer .ys-notice:has-text('{NOTICE_DRAFTING}')", state="detached"
    )
    answer = page.inner_text("#ys-ask-answer .ys-answer")
    assert "广西税务局牵头[1]" in answer and "配合[1]" in answer
    assert "引用来源" in page.inner_text("#ys-ask-sources")
    assert page.locator("#ys-ask-src-1").is_visible()
    _clean(page)
    _shot(page, "41-ask-generated-done")


def test_a_failing_model_leaves_the_extractive_answer_and_a_notice(page, llm_app):
    _, server = llm_app
    server.reply("", status=500)
    _ask(page, QUESTION)
    page.wait_for_selector(f"#ys-ask-answer .ys-notice:has-text('{NOTICE_NO_GENERATION[:6]}')")
    page.wait_for_selector("#ys-ask-answer .ys-cite-link")
    assert "广西税务局" in page.inner_text("#ys-ask-answer .ys-answer")
    _clean(page)
    _shot(page, "42-ask-generated-fallback")
