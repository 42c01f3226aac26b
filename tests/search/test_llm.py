"""Generated answers against a local chat-completions server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index.config import Config
from search import llm
from search.answer import NOTICE_NO_GENERATION, Answerer, generated_answer
from search.llm import (
    Generated,
    GenerationError,
    Generator,
    LLMConfig,
    build_messages,
    cited_numbers,
    llm_config,
    normalise_markers,
    validate_answer,
)
from tests.search.test_answer import StubSearcher, make_hit


class ChatServer:
    """A chat-completions endpoint whose reply, status and delay the test sets."""

    def __init__(self) -> None:
        self.reply = "答案[1]。"
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                server.requests.append({"path": self.path, "body": body})
                server.headers.append(dict(self.headers))
                if server.delay:
                    time.sleep(server.delay)
                if server.status != 200:
                    self.send_response(server.status)
                    self.end_headers()
                    self.wfile.write(b'{"error": "boom"}')
                    return
                data = {
                    "id": "x",
                    "object": "chat.completion",
                    "model": body.get("model"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": server.reply},
                            "finish_reason": "stop",
                        }
                    ],
                }
                raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    with ChatServer() as s:
        yield s


@pytest.fixture
def hits():
    return [
        make_hit("政府采购投标保证金比例由2%降至1%。", 1, "降低保证金"),
        make_hit("企业开办时间压缩至1个工作日。", 2, "压缩时限"),
        make_hit("推行不动产登记全城通办。", 3, "不动产登记"),
    ]


def generator_for(server: ChatServer, timeout: float = 5.0, **kw) -> Generator:
    return Generator(LLMConfig(server.base_url, "test-model", "sk-test", timeout=timeout, **kw))


# ------------------------------------------------------------------ pure parts


def test_build_messages_numbers_passages():
    messages = build_messages("问题？", ["甲", "乙"])
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "[1] 甲" in messages[1]["content"] and "[2] 乙" in messages[1]["content"]
    assert "问题？" in messages[1]["content"]
    assert "中文" in messages[0]["content"]


def test_markers_are_normalised_and_validated():
    assert normalise_markers("甲【1】乙［2］丙[1, 3]丁[2、4]") == "甲[1]乙[2]丙[1][3]丁[2][4]"
    assert cited_numbers("甲[2]乙[1]丙[2]") == [2, 1]
    assert validate_answer("甲[1]乙[2]", 2) == [1, 2]
    with pytest.raises(GenerationError):
        validate_answer("没有出处。", 3)
    with pytest.raises(GenerationError):
        validate_answer("甲[9]", 3)
    with pytest.raises(GenerationError):
        validate_answer("   ", 3)


def test_llm_config_from_the_one_config():
    assert llm_config(Config()) is None  # off by default
    assert llm.generator_for(Config(llm_base_url="http://x/v1")) is None  # no model: not configured
    on = Config(llm_base_url="http://x/v1/", llm_model="m", llm_api_key="sk", llm_timeout=3)
    cfg = llm_config(on)
    assert cfg is not None and cfg.url == "http://x/v1/chat/completions"
    assert (cfg.model, cfg.api_key, cfg.timeout) == ("m", "sk", 3.0)
    assert "sk" not in repr(cfg) and "sk" not in repr(on)  # the key stays out of logs
    assert isinstance(llm.generator_for(on), Generator)
    assert llm.generator_for(replace(on, llm="off")) is None
    assert llm.generator_for(replace(on, llm="ON")) is not None


def test_llm_switch_on_without_endpoint_and_bad_values_are_chinese_errors():
    with pytest.raises(ValueError, match="YINGSHANG_LLM_BASE_URL"):
        llm.generator_for(Config(llm="on"))
    with pytest.raises(ValueError, match="开关"):
        llm.generator_for(Config(llm="maybe"))
    with pytest.raises(ValueError, match="超时"):
        llm.generator_for(Config(llm_base_url="http://x/v1", llm_model="m", llm_timeout=0))


# ------------------------------------------------------------------ against the server


def test_request_body_and_parsed_answer(server, hits):
    server.reply = "企业开办压缩到1个工作日[2]，保证金比例降至1%[1]。"
    generated = generator_for(server).generate_for_hits("怎样减轻企业负担？", hits)
    # The client reports the model's own numbers; answers number the citations.
    assert generated == Generated("企业开办压缩到1个工作日[2]，保证金比例降至1%[1]。", (2, 1))
    ans = generated_answer(generated, hits)
    (req,) = server.requests
    assert req["path"] == "/v1/chat/completions"
    body = req["body"]
    assert body["model"] == "test-model"
    user = body["messages"][-1]["content"]
    assert "[1] 政府采购投标保证金比例由2%降至1%。" in user
    assert "[2] 企业开办时间压缩至1个工作日。" in user
    assert "[3] 推行不动产登记全城通办。" in user
    assert "怎样减轻企业负担？" in user
    assert server.headers[0].get("Authorization") == "Bearer sk-test"
    # citations renumbered in order of use: old [2] -> [1], old [1] -> [2]
    assert ans.kind == "generated" and ans.confident
    assert ans.text == "企业开办压缩到1个工作日[1]，保证金比例降至1%[2]。"
    assert ans.citations == (hits[1].citation, hits[0].citation)
    assert ans.hits[:2] == (hits[1], hits[0]) and ans.hits[2] is hits[2]
    assert ans.sentences == (("企业开办压缩到1个工作日，保证金比例降至1%。", 1),)


def test_answerer_returns_generated_answer(server, hits, fake_encoder):
    server.reply = "保证金比例降至1%【1】。"
    answerer = Answerer(StubSearcher(fake_encoder, hits), generator=generator_for(server))
    ans = answerer.ask("保证金比例降到多少？")
    assert ans.kind == "generated" and ans.text == "保证金比例降至1%[1]。"
    assert ans.citations[0] == hits[0].citation


@pytest.mark.parametrize(
    ("status", "reply"),
    [
        (500, "答案[1]。"),  # server error
        (200, "保证金比例降至1%[9]。"),  # cites a passage that does not exist
        (200, "保证金比例降至1%。"),  # cites nothing
        (200, ""),  # empty
    ],
)
def test_fallback_to_extractive(server, hits, fake_encoder, status, reply):
    server.status, server.reply = status, reply
    answerer = Answerer(
        StubSearcher(fake_encoder, hits), generator=generator_for(server), threshold=0.0
    )
    ans = answerer.ask("保证金比例降到多少？")
    assert len(server.requests) == 1
    assert ans.kind == "extractive"
    assert ans.notice.startswith(NOTICE_NO_GENERATION)
    assert "1%" in ans.text and re.search(r"\[1\]", ans.text)


def test_fallback_on_timeout(server, hits, fake_encoder):
    server.delay = 1.5
    answerer = Answerer(
        StubSearcher(fake_encoder, hits), generator=generator_for(server, timeout=0.3)
    )
    t0 = time.perf_counter()
    ans = answerer.ask("保证金比例降到多少？")
    assert time.perf_counter() - t0 < 1.4
    assert ans.kind == "extractive" and ans.notice.startswith(NOTICE_NO_GENERATION)


def test_timeout_and_unreachable_raise_generation_error(server, hits):
    server.delay = 1.0
    with pytest.raises(GenerationError, match="超时"):
        generator_for(server, timeout=0.2).generate("问？", ["甲"])
    dead = Generator(LLMConfig("http://127.0.0.1:9/v1", "m", timeout=1.0))
    with pytest.raises(GenerationError):
        dead.generate("问？", ["甲"])


def test_only_max_passages_are_sent(server, hits):
    server.reply = "甲[1]。"
    assert generator_for(server, max_passages=2).generate_for_hits("问？", hits).cited == (1,)
    user = server.requests[0]["body"]["messages"][-1]["content"]
    assert "[2]" in user and "[3]" not in user


def test_the_client_does_not_import_the_answers():
    """answer.py uses the client; the client returns text and numbers, never an `Answer`."""
    import ast
    from pathlib import Path

    import search.llm

    tree = ast.parse(Path(search.llm.__file__).read_text("utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {m for m in imported if m and m.startswith("search.")}
