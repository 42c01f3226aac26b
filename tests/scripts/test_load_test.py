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
    from tests.ui.test_queue import served

    with served(small_corpus, fake_encoder) as (_, url):
        budget = Budget(deadline=time.perf_counter() + 60, total=6)
        row = load_test.run_level(url, None, 2, 60, 0.5, ["保证金", "不动产登记"], budget, kind)
    assert row["calls"] >= 6 and row["errors"] == 0, row["first_error"]


def test_a_call_counts_only_when_its_whole_result_arrived():
    from scripts.load_test import completed_data

    done = {"msg": "process_completed", "success": True, "output": {"data": ["<p>结果</p>", ""]}}
    assert completed_data(done, 2) == ["<p>结果</p>", ""]
    with pytest.raises(RuntimeError, match="incomplete"):
        completed_data(done, 3)  # an output missing
    with pytest.raises(RuntimeError, match="failed"):
        completed_data({**done, "success": False, "output": {"error": "boom"}}, 2)


def test_a_session_logs_in_when_the_page_has_a_password(small_corpus, fake_encoder):
    from scripts.load_test import SessionClient
    from tests.ui.test_queue import served

    with served(small_corpus, fake_encoder, ("审阅人", "营商2024")) as (_, url):
        with pytest.raises(RuntimeError, match="login failed"):
            SessionClient(url, ("审阅人", "错的"))
        client = SessionClient(url, ("审阅人", "营商2024"))
        html, _ = client.predict("保证金", *load_test.SEARCH_FILTERS, "hybrid", True,
                                 api_name="/on_search")  # fmt: skip
    assert "ys-card" in html
