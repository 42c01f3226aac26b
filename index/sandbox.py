"""Read documents with a time and memory limit, so one file cannot stall the library.

Size checks before parsing (index.reading.check_size) stop the known attacks; this is the
backstop for what they miss (a PDF whose objects explode, an HTML page that makes the
parser allocate without end). Container and markup formats (.docx, .pdf, .html) are
parsed in one long-lived child process whose address space is capped with
RLIMIT_AS; a parse that overruns the time limit or kills the child is refused, and the
child is restarted for the next file. Plain text (.txt/.md) is decoded in this process:
its cost is linear in a size already checked, and a child round trip would only add
latency.
"""

from __future__ import annotations

import json
import os
import resource
import select
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from index.locations import Locations
from index.reading import (
    HTML_SUFFIXES,
    ReadLimits,
    SourceText,
    UnreadableDocument,
    read_document,
)

CHILD_SUFFIXES = (".docx", ".pdf", *HTML_SUFFIXES)
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]


class BoundedReader:
    """`read(path)` like `read_document`, with .docx/.pdf/.html parsed under limits.

    Use as a context manager (or call `close`): the child process lives until then, so a
    build of many files pays its start-up (~0.1 s) once. The child is a plain
    `python -m index.sandbox` speaking JSON lines, not a multiprocessing child: that
    would re-import the caller's main script, which a library must not assume is
    guarded by `if __name__ == "__main__"`.
    """

    def __init__(self, limits: ReadLimits, timeout_s: float, memory_mb: int) -> None:
        self.limits = limits
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> BoundedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, path: Path) -> SourceText:
        path = Path(path)
        if path.suffix.lower() not in CHILD_SUFFIXES:
            return read_document(path, self.limits)
        process = self._child()
        try:
            process.stdin.write(json.dumps({"path": str(path)}) + "\n")
            process.stdin.flush()
        except (BrokenPipeError, OSError):
            self.close()
            raise UnreadableDocument(path, self._memory_reason()) from None
        ready, _, _ = select.select([process.stdout], [], [], self.timeout_s)
        if not ready:
            self.close()
            raise UnreadableDocument(
                path, f"解析超过 {self.timeout_s:g} 秒仍未完成，已停止（文件可能过大或已损坏）"
            )
        line = process.stdout.readline()
        if not line:
            self.close()  # the child died: the kernel or RLIMIT_AS stopped it
            raise UnreadableDocument(path, self._memory_reason())
        reply = json.loads(line)
        if reply["kind"] == "ok":
            source = reply["source"]
            return SourceText(
                **{
                    **source,
                    "warnings": tuple(source["warnings"]),
                    "locations": Locations.from_json(source["locations"]),
                }
            )
        if reply["kind"] == "memory":
            self.close()  # a MemoryError may leave the child's heap fragmented
            raise UnreadableDocument(path, self._memory_reason())
        raise UnreadableDocument(path, reply["reason"])

    def close(self) -> None:
        if self._process is None:
            return
        self._process.kill()
        self._process.wait(timeout=5)
        for stream in (self._process.stdin, self._process.stdout):
            stream.close()
        self._process = None

    def _memory_reason(self) -> str:
        return f"解析时所需内存超过 {self.memory_mb} MB 的上限（文件可能过大或是“压缩炸弹”）"

    def _child(self) -> subprocess.Popen:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self.close()
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
        limits = json.dumps({"limits": asdict(self.limits), "memory_mb": self.memory_mb})
        self._process = subprocess.Popen(
            [sys.executable, "-m", "index.sandbox", limits],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=env,
        )
        return self._process


def _serve(limits: ReadLimits, memory_mb: int) -> None:
    """Child process: read paths from stdin until it closes; answer one JSON line each."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for line in sys.stdin:
        path = Path(json.loads(line)["path"])
        try:
            source = read_document(path, limits)
            as_json = {**asdict(source), "locations": source.locations.to_json()}
            reply: dict = {"kind": "ok", "source": as_json}
        except UnreadableDocument as exc:
            reply = {"kind": "refused", "reason": exc.reason}
        except MemoryError:
            reply = {"kind": "memory"}
        except Exception as exc:  # a parser bug must not take the library down
            reply = {"kind": "refused", "reason": f"解析出错（{type(exc).__name__}）"}
        # ensure_ascii keeps the reply on one line whatever the text holds.
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _settings = json.loads(sys.argv[1])
    _serve(ReadLimits(**_settings["limits"]), _settings["memory_mb"])
