"""`yingshang ask` / `eval` with generated answers, the endpoint given by YINGSHANG_LLM_*
variables and served by the real local chat-completions server (tests/search/chat_server.py)."""

from __future__ import annotations

import json

import pytest

from scripts import settings
from scripts.cli import main
from search.answer import NOTICE_NO_GENERATION
from tests.search.chat_server import chat_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

QUESTION = "压缩出口退税办理时间由哪个部门牵头？"


@pytest.fixture
def llm_env(monkeypatch, tmp_path, chat_server):  # noqa: F811
    monkeypatch.setattr(settings, "user_config_file", lambda: tmp_path / "none.toml")
    monkeypatch.chdir(tmp_path)
    for key in ("CONFIG", "LLM", "LLM_CONFIG", "LLM_API_KEY"):
        monkeypatch.delenv(f"YINGSHANG_{key}", raising=False)
    monkeypatch.setenv("YINGSHANG_LLM_BASE_URL", chat_server.url)
    monkeypatch.setenv("YINGSHANG_LLM_MODEL", "test-model")
    monkeypatch.setenv("YINGSHANG_LLM_TIMEOUT", "0.5")
    return chat_server


def ask_json(index_dir, *flags: str, capsys) -> dict:
    assert main(["ask", QUESTION, "--json", "--index", str(index_dir), *flags]) == 0
    return json.loads(capsys.readouterr().out)


def test_ask_uses_the_configured_model_and_checks_its_citations(seed_index, llm_env, capsys):
    config, _ = seed_index
    llm_env.reply("由广西税务局牵头【1】，人民银行南宁中心支行等配合[1]。")
    out = ask_json(config.index_dir, "--llm", capsys=capsys)
    assert out["kind"] == "generated" and out["confident"] and out["notice"] == ""
    assert out["answer"] == "由广西税务局牵头[1]，人民银行南宁中心支行等配合[1]。"
    assert len(out["citations"]) == 1 and out["citations"][0]["doc"].endswith(".txt")
    sent = llm_env.requests[-1].body
    assert sent["model"] == "test-model" and sent["stream"] is False
    assert QUESTION in sent["messages"][-1]["content"]


@pytest.mark.parametrize(
    ("content", "status", "delay"),
    [("由广西税务局牵头。", 200, 0.0), ("", 500, 0.0), ("迟到[1]。", 200, 1.5)],
)
def test_ask_falls_back_to_the_extractive_answer_with_a_notice(
    seed_index, llm_env, capsys, content, status, delay
):
    config, _ = seed_index
    llm_env.reply(content, status=status, delay=delay)
    out = ask_json(config.index_dir, capsys=capsys)  # configured: used without --llm
    assert len(llm_env.requests) == 1
    assert out["kind"] in ("field", "extractive")
    assert out["notice"].startswith(NOTICE_NO_GENERATION)
    assert "广西税务局" in out["answer"] and "[1]" in out["answer"]


def test_no_llm_switches_it_off_and_llm_without_endpoint_is_an_error(
    seed_index, llm_env, capsys, monkeypatch
):
    config, _ = seed_index
    out = ask_json(config.index_dir, "--no-llm", capsys=capsys)
    assert out["kind"] != "generated" and llm_env.requests == []
    monkeypatch.delenv("YINGSHANG_LLM_BASE_URL")
    assert main(["ask", QUESTION, "--llm", "--index", str(config.index_dir)]) == 2
    assert "YINGSHANG_LLM_BASE_URL" in capsys.readouterr().err


def test_eval_answers_with_the_model_when_configured(seed_index, llm_env, tmp_path, capsys):
    config, _ = seed_index
    queries = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "query": QUESTION, "answer": "广西税务局", "gold": []},
        {"id": "b", "query": "企业开办时间压缩到多少？", "answer": "广西税务局", "gold": []},
    ]
    queries.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    llm_env.reply("牵头单位是广西税务局[1]。")
    out = tmp_path / "hits.jsonl"
    argv = ["eval", "--queries", str(queries), "--index", str(config.index_dir)]
    assert main([*argv, "--hits-out", str(out)]) == 0
    assert "answer_rate=1.000" in capsys.readouterr().out  # the scripted reply, both times
    assert len(llm_env.requests) == 2
    answers = [json.loads(line)["answer"] for line in out.read_text("utf-8").splitlines()]
    assert answers == ["牵头单位是广西税务局[1]。"] * 2
    assert main([*argv, "--no-llm"]) == 0 and len(llm_env.requests) == 2
    assert "answer_rate=0.500" in capsys.readouterr().out  # extractive: only the first
