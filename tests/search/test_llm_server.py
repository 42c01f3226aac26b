"""The chat-completions client against a real local HTTP server (tests/search/chat_server.py)."""

from __future__ import annotations

import pytest

from search.llm import ChatClient, GenerationError, Generator, LLMConfig, validate_answer
from tests.search.chat_server import chat_server  # noqa: F401  (fixture)

PASSAGES = ["钦州：办理破产收回债务所需时间压缩至1.2年内。", "自治区：压缩收回债务所需时间。"]


def config(server, timeout: float = 5.0, api_key: str = "k-test") -> LLMConfig:
    return LLMConfig(base_url=server.url, model="test-model", api_key=api_key, timeout=timeout)


def test_cited_reply_is_accepted_and_request_is_openai_shaped(chat_server):  # noqa: F811
    chat_server.reply("钦州由市中级法院牵头【1】。")
    generated = Generator(config(chat_server)).generate("谁牵头？", PASSAGES)
    assert generated.text == "钦州由市中级法院牵头[1]。"
    assert generated.cited == (1,)
    request = chat_server.requests[-1]
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "test-model"
    assert request.body["stream"] is False
    assert [m["role"] for m in request.body["messages"]] == ["system", "user"]
    assert "[2] 自治区" in request.body["messages"][1]["content"]
    assert request.headers["Authorization"] == "Bearer k-test"


def test_uncited_reply_is_refused(chat_server):  # noqa: F811
    chat_server.reply("市中级法院牵头。")
    with pytest.raises(GenerationError, match="没有标注出处"):
        Generator(config(chat_server)).generate("谁牵头？", PASSAGES)


def test_server_error_is_a_generation_error(chat_server):  # noqa: F811
    chat_server.reply("", status=500)
    with pytest.raises(GenerationError, match="HTTP 500"):
        Generator(config(chat_server)).generate("谁牵头？", PASSAGES)


def test_slow_server_times_out(chat_server):  # noqa: F811
    chat_server.reply("迟到的回答[1]", delay=1.5)
    with pytest.raises(GenerationError, match="超时"):
        Generator(config(chat_server, timeout=0.3)).generate("谁牵头？", PASSAGES)


def test_stream_yields_pieces_that_join_to_the_reply(chat_server):  # noqa: F811
    reply = "钦州由市中级法院牵头[1]，自治区由高级人民法院牵头[2]。"
    chat_server.reply(reply, pieces=4)
    pieces = list(Generator(config(chat_server)).stream("谁牵头？", PASSAGES))
    assert len(pieces) == 4
    assert "".join(pieces) == reply
    assert validate_answer("".join(pieces), len(PASSAGES)) == [1, 2]
    assert chat_server.requests[-1].body["stream"] is True


def test_stream_errors_and_timeouts(chat_server):  # noqa: F811
    chat_server.reply("", status=500)
    with pytest.raises(GenerationError, match="HTTP 500"):
        list(ChatClient(config(chat_server)).stream([{"role": "user", "content": "问"}]))
    chat_server.reply("慢[1]", delay=1.5)
    with pytest.raises(GenerationError, match="超时"):
        list(Generator(config(chat_server, timeout=0.3)).stream("问", PASSAGES))


def test_stream_without_passages_is_refused(chat_server):  # noqa: F811
    with pytest.raises(GenerationError):
        list(Generator(config(chat_server)).stream("问", []))
    assert chat_server.requests == []


def test_no_api_key_sends_no_authorization(chat_server):  # noqa: F811
    chat_server.reply("好[1]")
    Generator(config(chat_server, api_key="")).generate("问", PASSAGES)
    assert "Authorization" not in chat_server.requests[-1].headers
