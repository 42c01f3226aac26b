"""Bounded load on a running page: N clients calling search and ask for D seconds each.

Only against this machine (127.0.0.1/localhost: refused otherwise), through the page's own
queue the way the browser calls it: one session per simulated user, each call a POST to
`/gradio_api/queue/join` and the session's event stream (`/gradio_api/queue/data`) read until
the call's result has arrived whole (a result with the wrong number of outputs, or an error
message, counts as an error). Prints one row per client count: calls/s, p50, p95, errors,
and the server's RSS if --pid is given.

`--gradio-client` uses gradio_client instead (one `Client` per user). It costs the load
machine ~40 ms of CPU per call (it builds two HTTP clients, each loading the CA bundle, per
call) and adds ~25 ms of latency (it polls for messages every 50 ms), on the same two cores
as the page: it measured the client as much as the page.

    yingshang serve --port 7912 &                       # the page under test
    python -m scripts.load_test --url http://127.0.0.1:7912/ --clients 1 4 16 --duration 25

Memory over many calls: `--calls 20000 --sample-at 2000 5000 10000 20000 --pid PID` runs
until that many calls are done and prints the server's RSS at each mark. `--http` calls the
plain HTTP API (`/gradio_api/call/…`, as curl or a script would) instead: every such call is
a new Gradio session, the case that made the server grow.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from index.config import REPO_ROOT

QUERIES = REPO_ROOT.parent / "shared" / "eval" / "seed_queries.jsonl"
FALLBACK_QUERIES = (
    "政府采购保证金比例",
    "不动产登记全区通办",
    "企业开办时间压缩",
    "出口退税办理时间",
    "水电气网联合报装",
)

# The page's search inputs after the query (ui/app.py `s_filters`): kind, province, city,
# indicator, year, lead unit, document, document type — all "any".
SEARCH_FILTERS = ("", "", "", "", "", "", "", "")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float | None, error: str = "") -> None:
        with self.lock:
            if seconds is None:
                self.errors += 1
                self.first_error = self.first_error or error
            else:
                self.latencies.append(seconds)


def load_queries(path: Path = QUERIES) -> list[str]:
    if not path.is_file():
        return list(FALLBACK_QUERIES)
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [r["query"] for r in rows] or list(FALLBACK_QUERIES)


class HttpClient:
    """The plain HTTP API: POST /gradio_api/call/<name>, then read its event stream.
    Sends no session id, so every call is a new session on the server."""

    def __init__(self, url: str) -> None:
        self.base = url.rstrip("/") + "/gradio_api/call/"

    def predict(self, *data, api_name: str):
        name = api_name.strip("/")
        body = json.dumps({"data": list(data)}).encode()
        request = urllib.request.Request(
            self.base + name, body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            event_id = json.loads(response.read())["event_id"]
        with urllib.request.urlopen(f"{self.base}{name}/{event_id}", timeout=120) as stream:
            event = ""
            for raw in stream:
                line = raw.decode("utf-8").strip()
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    if event == "error":
                        raise RuntimeError(f"server error: {line[5:].strip()[:150]}")
                    return json.loads(line[5:])
        raise RuntimeError("stream ended without a result")


class SessionClient:
    """One browser session: its own session id and keep-alive connection. A call joins the
    page's queue (the event the page's button sends) and reads the session's event stream
    until that call's result has arrived, as the page's own JavaScript does."""

    def __init__(self, url: str, auth: tuple[str, str] | None = None) -> None:
        import httpx

        self.http = httpx.Client(base_url=url.rstrip("/") + "/", timeout=120)
        if auth:
            login = self.http.post("login", data={"username": auth[0], "password": auth[1]})
            if not login.is_success:
                raise RuntimeError(f"login failed: HTTP {login.status_code}")
        config = self.http.get("config").json()
        prefix = str(config.get("api_prefix") or "/gradio_api").strip("/")
        self.join_url, self.data_url = f"{prefix}/queue/join", f"{prefix}/queue/data"
        # api name → (the event's index, how many outputs its result has)
        self.endpoints = {
            d["api_name"]: (d["id"], len(d["outputs"]))
            for d in config["dependencies"]
            if d.get("api_name")
        }
        self.session = uuid.uuid4().hex[:12]
        self.messages: list[str] = []  # the kinds of message the last call received

    def predict(self, *data, api_name: str) -> list:
        fn_index, outputs = self.endpoints[api_name.strip("/")]
        body = {"data": list(data), "fn_index": fn_index, "session_hash": self.session}
        joined = self.http.post(self.join_url, json={**body, "event_data": None})
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        result, self.messages = None, []
        params = {"session_hash": self.session}
        with self.http.stream("GET", self.data_url, params=params) as stream:
            stream.raise_for_status()
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                kind = message.get("msg")
                self.messages.append(kind)
                if kind == "process_completed" and message.get("event_id") == event_id:
                    result = completed_data(message, outputs)
                elif kind == "unexpected_error":
                    raise RuntimeError(f"server error: {str(message.get('message'))[:150]}")
                elif kind == "close_stream":
                    break
        if result is None:
            raise RuntimeError("stream ended without the call's result")
        return result


def completed_data(message: dict, outputs: int) -> list:
    """The output values of a `process_completed` message, checked: a failed call or a
    result with the wrong number of outputs is an error."""
    output = message.get("output") or {}
    if not message.get("success"):
        raise RuntimeError(f"call failed: {str(output.get('error'))[:150]}")
    data = output.get("data")
    if not isinstance(data, list) or len(data) != outputs:
        raise RuntimeError(f"incomplete result: {str(data)[:150]}")
    return data


CLIENT_KINDS = ("session", "http", "gradio_client")


def _client(url: str, auth: tuple[str, str] | None, kind: str = "session"):
    if kind == "http":
        return HttpClient(url)
    if kind == "gradio_client":
        from gradio_client import Client

        return Client(url, auth=auth, verbose=False)
    return SessionClient(url, auth)


@dataclass
class Budget:
    """Stop after `total` calls (or at the deadline); note the server's RSS at each mark."""

    deadline: float
    total: int = 0  # 0: no call limit
    marks: tuple[int, ...] = ()
    pid: int | None = None
    done: int = 0
    samples: list[tuple[int, float, float | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.perf_counter)

    def more(self) -> bool:
        with self.lock:
            over = self.total and self.done >= self.total
        return not over and time.perf_counter() < self.deadline

    def count(self) -> None:
        with self.lock:
            self.done += 1
            if self.done in self.marks:
                elapsed = time.perf_counter() - self.started
                self.samples.append((self.done, elapsed, rss_mb(self.pid)))


def _user(url, auth, queries, ask_share, budget, tally, seed, kind="session") -> None:
    rng = random.Random(seed)
    try:
        client = _client(url, auth, kind)
    except Exception as exc:
        tally.add(None, f"connect: {exc}")
        return
    while budget.more():
        query = rng.choice(queries)
        started = time.perf_counter()
        try:
            if rng.random() < ask_share:
                client.predict(query, api_name="/on_ask")
            else:
                client.predict(query, *SEARCH_FILTERS, "hybrid", True, api_name="/on_search")
            tally.add(time.perf_counter() - started)
        except Exception as exc:  # counted, not fatal: the table reports errors
            tally.add(None, f"{type(exc).__name__}: {exc}"[:200])
        budget.count()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def run_level(
    url,
    auth,
    clients,
    duration,
    ask_share,
    queries,
    budget: Budget | None = None,
    kind: str = "session",
) -> dict:
    tally = Tally()
    budget = budget or Budget(deadline=time.perf_counter() + duration)
    threads = [
        threading.Thread(
            target=_user,
            args=(url, auth, queries, ask_share, budget, tally, n, kind),
            daemon=True,
        )
        for n in range(clients)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, budget.deadline - time.perf_counter()) + 120)
    elapsed = time.perf_counter() - started
    calls = len(tally.latencies)
    return {
        "clients": clients,
        "calls": calls,
        "calls_per_s": calls / elapsed,
        "p50_ms": percentile(tally.latencies, 0.50) * 1000,
        "p95_ms": percentile(tally.latencies, 0.95) * 1000,
        "errors": tally.errors,
        "first_error": tally.first_error,
        "rss_samples": [
            {"calls": c, "seconds": round(t, 1), "rss_mb": m} for c, t, m in budget.samples
        ],
    }


def _is_local(url: str) -> bool:
    host = urllib.parse.urlparse(url).hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="对本机网页做有界压力测试（检索/问答混合）")
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--duration", type=float, default=25.0, help="每档秒数（≤ 300）")
    parser.add_argument("--ask-share", type=float, default=0.5, help="问答所占比例（0–1）")
    parser.add_argument("--auth", help="用户名:密码（网页设了登录时）")
    parser.add_argument("--pid", type=int, help="网页进程号：报告其内存（RSS）")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--calls", type=int, default=0, help="每档做满这么多次调用为止（≤ 50000；时长上限 4 小时）"
    )
    parser.add_argument(
        "--sample-at", type=int, nargs="*", default=[], help="在这些调用次数时记录网页进程内存"
    )
    parser.add_argument(
        "--http", action="store_true", help="用普通 HTTP 接口调用（每次调用都是新的会话）"
    )
    parser.add_argument(
        "--gradio-client",
        action="store_true",
        help="用 gradio_client 调用（它本身每次调用耗 CPU 约 40 毫秒，用于对比）",
    )
    args = parser.parse_args(argv)
    if not _is_local(args.url):
        parser.error("只对本机（127.0.0.1 / localhost）做压力测试")
    if not 0 < args.duration <= 300 or not all(1 <= c <= 64 for c in args.clients):
        parser.error("--duration 应在 0–300 秒，--clients 每档 1–64")
    if not 0 <= args.calls <= 50_000:
        parser.error("--calls 应在 0–50000")
    if args.http and args.auth:
        parser.error("--http 不支持登录；请对不设密码的本机网页使用")
    if args.http and args.gradio_client:
        parser.error("--http 与 --gradio-client 只能选一个")
    kind = "http" if args.http else "gradio_client" if args.gradio_client else "session"
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    queries = load_queries()
    rows = []
    for clients in args.clients:
        # With --calls the level runs until that many calls are done (at most 4 hours).
        seconds = 4 * 3600 if args.calls else args.duration
        budget = Budget(
            deadline=time.perf_counter() + seconds,
            total=args.calls,
            marks=tuple(args.sample_at),
            pid=args.pid,
        )
        row = run_level(args.url, auth, clients, seconds, args.ask_share, queries, budget, kind)
        row["rss_mb"] = rss_mb(args.pid)
        rows.append(row)
        if not args.json:
            _print_row(row, header=len(rows) == 1)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    return 1 if any(r["errors"] for r in rows) else 0


def _print_row(row: dict, header: bool) -> None:
    if header:
        print("| clients | calls | calls/s | p50 ms | p95 ms | errors | server RSS MB |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
    rss = "-" if row["rss_mb"] is None else f"{row['rss_mb']:.0f}"
    print(
        f"| {row['clients']} | {row['calls']} | {row['calls_per_s']:.1f} | {row['p50_ms']:.0f} "
        f"| {row['p95_ms']:.0f} | {row['errors']} | {rss} |"
    )
    for sample in row["rss_samples"]:
        rss = "-" if sample["rss_mb"] is None else f"{sample['rss_mb']:.0f}"
        print(f"  after {sample['calls']} calls ({sample['seconds']:.0f} s): RSS {rss} MB")
    if row["first_error"]:
        print(f"  first error: {row['first_error']}", file=sys.stderr)
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
