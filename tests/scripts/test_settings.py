"""Settings: Config defaults ← config file ← environment ← flags (scripts/settings.py, cli)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import settings
from scripts.cli import build_parser
from scripts.common import config_from_args

LLM_TOML = """
index_dir = "idx"
k = 7
[llm]
base_url = "http://file/v1"
model = "file-model"
timeout = 9
"""


@pytest.fixture
def no_user_file(monkeypatch, tmp_path):
    """No config file from the machine running the tests, no YINGSHANG_* from its shell."""
    monkeypatch.setattr(settings, "user_config_file", lambda: tmp_path / "none" / "config.toml")
    monkeypatch.chdir(tmp_path)
    for key in ("CONFIG", "LLM", "LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "LLM_TIMEOUT",
                "LLM_CONFIG", "K", "INDEX_DIR"):  # fmt: skip
        monkeypatch.delenv(f"YINGSHANG_{key}", raising=False)


def test_no_file_no_env_means_no_generation(no_user_file):
    config = settings.load_config()
    assert (config.llm, config.llm_base_url, config.llm_model) == ("auto", "", "")


def test_the_working_folder_file_sets_fields_and_the_llm_table(no_user_file, tmp_path):
    (tmp_path / "yingshang.toml").write_text(LLM_TOML, "utf-8")
    config = settings.load_config()
    assert config.index_dir == tmp_path / "idx"  # relative to the file
    assert config.k == 7 and isinstance(config.k, int)
    assert (config.llm_base_url, config.llm_model, config.llm_timeout) == (
        "http://file/v1",
        "file-model",
        9.0,
    )


def test_environment_beats_the_file_and_flags_beat_both(no_user_file, tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text(LLM_TOML, "utf-8")
    monkeypatch.setenv("YINGSHANG_CONFIG", str(path))
    monkeypatch.setenv("YINGSHANG_LLM_MODEL", "env-model")
    config = settings.load_config()
    assert (config.llm_base_url, config.llm_model) == ("http://file/v1", "env-model")
    args = build_parser().parse_args(["ask", "问", "--no-llm"])
    assert config_from_args(args).llm == "off"
    args = build_parser().parse_args(["eval", "--queries", "q.jsonl", "--llm"])
    assert config_from_args(args).llm == "on"
    assert config_from_args(build_parser().parse_args(["serve"])).llm == "auto"


def test_the_user_config_folder_is_read_when_there_is_no_local_file(
    no_user_file, tmp_path, monkeypatch
):
    user = tmp_path / "user" / "config.toml"
    user.parent.mkdir()
    user.write_text('[llm]\nbase_url = "http://user/v1"\nmodel = "m"\nenabled = false\n', "utf-8")
    monkeypatch.setattr(settings, "user_config_file", lambda: user)
    config = settings.load_config()
    assert (config.llm_base_url, config.llm) == ("http://user/v1", "off")


def test_the_older_json_file_still_works(no_user_file, tmp_path, monkeypatch):
    path = tmp_path / "llm.json"
    path.write_text(json.dumps({"base_url": "http://json/v1", "model": "j"}), "utf-8")
    monkeypatch.setenv("YINGSHANG_LLM_CONFIG", str(path))
    config = settings.load_config()
    assert (config.llm_base_url, config.llm_model) == ("http://json/v1", "j")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'blue'\n", "未知的设置：colour"),
        ("[llm]\nurl = 'x'\n", "[llm] 中有未知的设置：url"),
        ("k = 'many'\n", "k 的值无效"),
        ("k = \n", "无法读取配置文件"),
        ("llm = 3\n", "应是一个表"),
    ],
)
def test_bad_files_are_chinese_errors(no_user_file, tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        settings.load_config(path)


def test_a_named_file_must_exist(no_user_file, tmp_path):
    with pytest.raises(ValueError, match="找不到配置文件"):
        settings.load_config(Path(tmp_path / "missing.toml"))
