"""The load script: its bookkeeping (the call budget and the RSS marks) and its calls against
a real page served on this machine."""

from __future__ import annotations

import os
import time

import pytest

from scripts import load_test
from scripts.load_test import Budget, main, percentile, rss_mb


def test_budget_stops_at_the_call_limit_and_samples_at_the_marks():
    budget = Budget(deadline=time.perf_counter() + 60, total=5, marks=(2, 5), pid=os.getpid())
    done = 0
    while budget.more():
        budget.count()
        done += 1
    assert done == 5
    assert [calls for calls, _, _ in budget.samples] == [2, 5]
    assert all(rss and rss > 1 for _, _, rss in budget.samples)  # this process's RSS in MB


def test_budget_without_a_limit_runs_until_the_deadline():
    budget = Budget(deadline=time.perf_counter() - 1)
    assert not budget.more()
    assert Budget(deadline=time.perf_counter() + 60).more()


def test_percentile_and_missing_pid():
    assert percentile([3.0, 1.0, 2.0, 4.0], 0.5) == 3.0
    assert rss_mb(None) is None


@pytest.mark.parametrize(
    "argv",
    [
        ["--url", "http://example.com/"],
        ["--calls", "60000"],
        ["--http", "--auth", "a:b"],
    ],
)
def test_refuses_remote_hosts_and_unbounded_runs(argv, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    assert "error" in capsys.readouterr().err


@pytest.mark.parametrize("kind", load_test.CLIENT_KINDS)
def test_the_calls_match_the_served_page(small_corpus, fake_encoder, kind):
    """The script's search and ask calls are accepted by the real page (no errors): a page
    whose inputs changed would otherwise show up only as an error column."""
    import socket
    import time

    from index.build import sync_index
    from search.searcher import Searcher
    from ui.app import Page, build_app, launch

    sync_index(small_corpus, fake_encoder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = small_corpus.with_overrides(port=port)
    app = build_app(Page(Searcher(config, fake_encoder), config))
    launch(app, config, None, block=False, quiet=True)
    try:
        budget = Budget(deadline=time.perf_counter() + 60, total=6)
        row = load_test.run_level(
            f"http://127.0.0.1:{port}/", None, 2, 60, 0.5, ["保证金", "不动产登记"], budget, kind
        )
    finally:
        app.close()
    assert row["calls"] >= 6 and row["errors"] == 0, row["first_error"]
