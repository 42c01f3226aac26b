"""Login throttling for the page: repeated wrong passwords lock a client out for a while.

Gradio's `auth=` callable sees only the user name and password, not who is asking, so the
throttle is an ASGI middleware on Gradio's FastAPI app (passed through
`launch(app_kwargs={"middleware": [...]})`). It watches `POST /login`: after `free`
failures from one client address, that address is locked out for `lockout_s` seconds,
doubling with every further failure up to `max_lockout_s`; during a lock-out even the
right password is refused (429, with a Chinese message and Retry-After). A success
clears the client's record.

The client is the TCP peer address: behind a reverse proxy all users share the proxy's
address, so a lock-out there affects everyone (and should be done in the proxy instead).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.middleware import Middleware

FREE_FAILURES = 5
LOCKOUT_S = 30.0
MAX_LOCKOUT_S = 15 * 60.0
# Forget clients idle this long; bounds the table under a scan from many addresses.
FORGET_AFTER_S = 3600.0
MAX_CLIENTS = 10_000
MSG_WRONG = "用户名或密码不正确。"


@dataclass
class _Client:
    failures: int = 0
    locked_until: float = 0.0
    last_seen: float = 0.0


class LoginThrottle:
    """Failure counts and lock-outs per client address (thread-safe)."""

    def __init__(
        self,
        free: int = FREE_FAILURES,
        lockout_s: float = LOCKOUT_S,
        max_lockout_s: float = MAX_LOCKOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free = free
        self.lockout_s = lockout_s
        self.max_lockout_s = max_lockout_s
        self.clock = clock
        self._clients: dict[str, _Client] = {}
        self._lock = threading.Lock()

    def wait_s(self, client: str) -> float:
        """Seconds `client` must still wait before trying again (0: may try now)."""
        with self._lock:
            state = self._clients.get(client)
            return 0.0 if state is None else max(0.0, state.locked_until - self.clock())

    def failed(self, client: str) -> float:
        """Record a wrong password; returns the lock-out it earned (0 if none yet)."""
        now = self.clock()
        with self._lock:
            self._forget_idle(now)
            state = self._clients.setdefault(client, _Client())
            state.failures += 1
            state.last_seen = now
            over = state.failures - self.free
            if over <= 0:
                return 0.0
            lockout = min(self.max_lockout_s, self.lockout_s * 2 ** (over - 1))
            state.locked_until = now + lockout
            return lockout

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)

    def _forget_idle(self, now: float) -> None:
        if len(self._clients) < MAX_CLIENTS:
            return
        for key, state in list(self._clients.items()):
            if now - state.last_seen > FORGET_AFTER_S and state.locked_until < now:
                del self._clients[key]


def locked_message(wait_s: float) -> str:
    return f"登录失败次数过多，请在 {math.ceil(wait_s)} 秒后再试。"


class LoginThrottleMiddleware:
    """ASGI middleware applying a `LoginThrottle` to Gradio's `POST /login`."""

    def __init__(self, app, throttle: LoginThrottle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope, receive, send) -> None:
        if not _is_login(scope):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.throttle.wait_s(client)
        if wait > 0:
            await _send_json(send, 429, locked_message(wait), {"retry-after": str(math.ceil(wait))})
            return
        outcome: dict[str, int] = {}

        async def watch(message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                if message["status"] == 400:
                    return  # replaced below by a Chinese message
            elif outcome.get("status") == 400:
                return  # Gradio's English body
            await send(message)

        await self.app(scope, receive, watch)
        status = outcome.get("status")
        if status == 400:
            lockout = self.throttle.failed(client)
            text = f"{MSG_WRONG}{locked_message(lockout)}" if lockout else MSG_WRONG
            await _send_json(send, 400, text)
        elif status is not None and status < 400:
            self.throttle.succeeded(client)


def _is_login(scope) -> bool:
    return (
        scope.get("type") == "http"
        and scope.get("method") == "POST"
        and scope.get("path", "").rstrip("/").endswith("/login")
    )


async def _send_json(send, status: int, detail: str, headers: dict | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    raw_headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *((k.encode(), v.encode()) for k, v in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def app_kwargs(throttle: LoginThrottle | None = None) -> dict:
    """`launch(app_kwargs=…)` for a page with a login: the throttle as middleware."""
    return {
        "middleware": [Middleware(LoginThrottleMiddleware, throttle=throttle or LoginThrottle())]
    }
