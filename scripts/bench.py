"""Benchmark entry point: `python scripts/bench.py [--quick] [--json FILE]` = `yingshang bench`.

The flags are parsed by scripts/cli.py and the measuring code lives in `bench.performance`.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.cli import main as cli_main  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    return cli_main(["bench", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
