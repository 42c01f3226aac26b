"""Settings for the command line: Config defaults, then the config file, then YINGSHANG_*
environment variables (flags are applied last, by scripts/cli.py).

The config file is the one named by --config or YINGSHANG_CONFIG, else `yingshang.toml` in
the working folder, else `config.toml` in the user config folder
(~/.config/yingshang/config.toml on Linux). Any `Config` field may be set at the top level;
the generated-answer endpoint goes in an [llm] table:

    index_dir = "/srv/yingshang/index"      # relative paths: relative to this file
    [llm]
    base_url = "http://127.0.0.1:8000/v1"   # POST …/chat/completions
    model = "qwen2.5-7b-instruct"
    api_key = "…"                           # optional
    timeout = 20                            # optional, seconds
    enabled = "auto"                        # optional: auto | on | off

YINGSHANG_LLM_CONFIG may still name a JSON file holding the [llm] table's keys (the older way).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path

from index.config import Config, from_env

FILE_NAME = "yingshang.toml"
LLM_KEYS = {
    "base_url": "llm_base_url",
    "model": "llm_model",
    "api_key": "llm_api_key",
    "timeout": "llm_timeout",
    "enabled": "llm",
}


def user_config_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("yingshang")) / "config.toml"


def find_config_file(
    explicit: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path | None:
    """The config file to read, or None. A file named explicitly must exist."""
    env = os.environ if env is None else env
    named = explicit or env.get("YINGSHANG_CONFIG", "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ValueError(f"找不到配置文件 {path}")
        return path
    for path in ((cwd or Path.cwd()) / FILE_NAME, user_config_file()):
        if path.is_file():
            return path
    return None


def _coerce(name: str, value: object, default: object, where: Path) -> object:
    """`value` as the type of the Config field `name` (TOML and JSON have their own types)."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("1", "true", "yes", "on")
    try:
        if isinstance(default, int):
            return int(value)  # type: ignore[arg-type]
        if isinstance(default, float):
            return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"配置文件 {where} 中 {name} 的值无效：{value!r}") from exc
    if name == "llm" and isinstance(value, bool):  # enabled = true / false
        return "on" if value else "off"
    if name.endswith("_dir"):
        path = Path(str(value)).expanduser()
        return path if path.is_absolute() else where.parent / path
    return str(value)


def file_overrides(path: Path) -> dict[str, object]:
    """Config field → value from a TOML config file; unknown keys are an error."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"无法读取配置文件 {path}：{exc}") from exc
    llm = data.pop("llm", {})
    if not isinstance(llm, dict):
        raise ValueError(f"配置文件 {path} 中 llm 应是一个表（[llm]）")
    return {**_fields(data, path), **_llm_fields(llm, path)}


def _fields(data: Mapping[str, object], path: Path) -> dict[str, object]:
    defaults = {f.name: getattr(Config(), f.name) for f in fields(Config)}
    unknown = sorted(set(data) - set(defaults))
    if unknown:
        raise ValueError(f"配置文件 {path} 中有未知的设置：{', '.join(unknown)}")
    return {k: _coerce(k, v, defaults[k], path) for k, v in data.items()}


def _llm_fields(table: Mapping[str, object], path: Path) -> dict[str, object]:
    unknown = sorted(set(table) - set(LLM_KEYS))
    if unknown:
        raise ValueError(f"配置文件 {path} 的 [llm] 中有未知的设置：{', '.join(unknown)}")
    return _fields({LLM_KEYS[k]: v for k, v in table.items()}, path)


def legacy_llm_json(env: Mapping[str, str]) -> dict[str, object]:
    """The [llm] keys of the JSON file named by YINGSHANG_LLM_CONFIG ({} when unset)."""
    name = env.get("YINGSHANG_LLM_CONFIG", "").strip()
    if not name:
        return {}
    path = Path(name).expanduser()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"无法读取生成式回答配置文件 {path}：{exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"生成式回答配置文件 {path} 应是一个 JSON 对象")
    return _llm_fields(data, path)


def load_config(
    explicit: str | os.PathLike | None = None, env: Mapping[str, str] | None = None
) -> Config:
    """Config defaults ← config file ← YINGSHANG_LLM_CONFIG (JSON) ← YINGSHANG_* variables."""
    env = os.environ if env is None else env
    overrides: dict[str, object] = {}
    path = find_config_file(explicit, env)
    if path is not None:
        overrides.update(file_overrides(path))
    overrides.update(legacy_llm_json(env))
    return from_env(Config().with_overrides(**overrides), env)
