"""A real local HTTP server speaking the OpenAI chat-completions protocol, for tests.

    def test_x(chat_server):
        chat_server.reply("答案[1]。")                 # next reply, cited
        chat_server.reply("", status=500)              # then an HTTP 500
        chat_server.reply("慢[1]", delay=2.0)          # then a slow one (client timeout)
        config = LLMConfig(base_url=chat_server.url, model="m", timeout=0.5)

POST /v1/chat/completions answers with the next scripted reply (the last one repeats when
the script runs out): a JSON completion, or, when the request has "stream": true, Server-Sent
Events `data: {chunk}` lines split into `pieces` and ending with `data: [DONE]`. Every request
body and its headers are kept in `requests` for assertions.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass(frozen=True)
class Reply:
    content: str
    status: int = 200
    delay: float = 0.0  # seconds before the response starts
    pieces: int = 3  # streamed chunks the content is split into
    piece_delay: float = 0.0  # seconds between streamed chunks (to watch a page stream)


@dataclass(frozen=True)
class Received:
    path: str
    body: dict
    headers: dict


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client that timed out and hung up is part of the script, not an error.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class ChatServer:
    def __init__(self) -> None:
        self._script: list[Reply] = []
        self._last = Reply("", status=503)  # nothing scripted yet: service unavailable
        self._lock = threading.Lock()
        self.requests: list[Received] = []
        self.httpd = _Server(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def reply(
        self,
        content: str,
        status: int = 200,
        delay: float = 0.0,
        pieces: int = 3,
        piece_delay: float = 0.0,
    ) -> None:
        with self._lock:
            self._script.append(Reply(content, status, delay, pieces, piece_delay))

    def next_reply(self) -> Reply:
        with self._lock:
            if self._script:
                self._last = self._script.pop(0)
            return self._last

    def start(self) -> ChatServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _split(text: str, n: int) -> list[str]:
    size = max(1, -(-len(text) // max(1, n)))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode("utf-8") or "{}")
            server.requests.append(Received(self.path, body, dict(self.headers)))
            if not self.path.rstrip("/").endswith("/chat/completions"):
                return self._json(404, {"error": {"message": "not found"}})
            reply = server.next_reply()
            if reply.delay:
                time.sleep(reply.delay)
            if reply.status != 200:
                return self._json(reply.status, {"error": {"message": "scripted error"}})
            if body.get("stream"):
                return self._stream(body, reply)
            self._json(200, _completion(body, reply.content))

        def _json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, body: dict, reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            for event in _chunks(body, reply):
                self.wfile.write(f"data: {event}\n\n".encode())
                self.wfile.flush()
                time.sleep(reply.piece_delay)
            self.close_connection = True

    return Handler


def _completion(body: dict, content: str) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": body.get("model", ""),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }


def _chunks(body: dict, reply: Reply) -> Iterator[str]:
    def chunk(delta: dict, finish: str | None = None) -> str:
        return json.dumps(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion.chunk",
                "model": body.get("model", ""),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            },
            ensure_ascii=False,
        )

    yield chunk({"role": "assistant"})
    for piece in _split(reply.content, reply.pieces):
        yield chunk({"content": piece})
    yield chunk({}, "stop")
    yield "[DONE]"


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    server = ChatServer().start()
    try:
        yield server
    finally:
        server.stop()
