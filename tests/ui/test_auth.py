"""Login throttling: the policy with a fake clock, then a real login route served by
`ui.app.launch` (a one-button page, so no model or index is needed)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

import gradio as gr
import pytest

from index.config import Config
from ui.app import launch
from ui.auth import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_lockout_starts_after_the_free_failures_and_doubles():
    clock = Clock()
    throttle = LoginThrottle(free=3, lockout_s=10, max_lockout_s=35, clock=clock)
    assert [throttle.failed("a") for _ in range(3)] == [0, 0, 0]
    assert throttle.wait_s("a") == 0
    assert throttle.failed("a") == 10 and throttle.wait_s("a") == 10
    clock.now += 4
    assert throttle.wait_s("a") == 6
    assert throttle.wait_s("b") == 0  # per client
    clock.now += 6
    assert throttle.wait_s("a") == 0
    assert throttle.failed("a") == 20
    clock.now += 20
    assert throttle.failed("a") == 35  # capped
    throttle.succeeded("a")
    assert throttle.wait_s("a") == 0 and throttle.failed("a") == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(url: str, user: str, password: str) -> tuple[int, dict, dict]:
    data = urllib.parse.urlencode({"username": user, "password": password}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as r:
            return r.status, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), dict(exc.headers)


@pytest.fixture
def served(tmp_path):
    with gr.Blocks() as app:
        gr.Button("检索")
    config = Config(
        corpus_dir=tmp_path, index_dir=tmp_path / "index", cache_dir=tmp_path, port=_free_port()
    )
    launch(app, config, ("admin", "正确的密码"), block=False, quiet=True)
    yield f"http://127.0.0.1:{config.port}/login"
    app.close()


def test_the_served_login_locks_out_repeated_failures(served):
    status, body, _ = _login(served, "admin", "正确的密码")
    assert status == 200 and body["success"]  # a success before any failure
    answers = [_login(served, "admin", f"错{i}")[:2] for i in range(5)]
    assert answers == [(400, {"detail": "用户名或密码不正确。"})] * 5
    status, body, _ = _login(served, "admin", "错")
    assert status == 400 and "请在 30 秒后再试" in body["detail"]
    # Locked out: even the right password is refused, in Chinese, with Retry-After.
    status, body, headers = _login(served, "admin", "正确的密码")
    assert status == 429 and "登录失败次数过多" in body["detail"]
    assert int(headers["retry-after"]) in range(25, 31)
    assert _login(served, "admin", "错")[0] == 429  # no guessing during the lock-out
