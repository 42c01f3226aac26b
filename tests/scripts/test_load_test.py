"""The load script's bookkeeping (no server): the call budget and the RSS marks."""

from __future__ import annotations

import os
import time

import pytest

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
