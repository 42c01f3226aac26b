"""Optional generated answers from an OpenAI-compatible chat-completions endpoint.

Off by default. Configure with environment variables

    YINGSHANG_LLM_BASE_URL   e.g. http://127.0.0.1:8000/v1  (POST <base>/chat/completions)
    YINGSHANG_LLM_MODEL      model name sent in the request
    YINGSHANG_LLM_API_KEY    optional; sent as "Authorization: Bearer …"
    YINGSHANG_LLM_TIMEOUT    optional, seconds (default 20)

or put the same settings in a JSON file named by YINGSHANG_LLM_CONFIG
(`{"base_url": …, "model": …, "api_key": …, "timeout": …}`); environment variables win.

The model gets the question and the top passages numbered [1]..[n] and must answer in
Chinese citing them as [n]. An answer is accepted only when it cites at least one passage
and every cited number exists; otherwise, and on any HTTP error or timeout,
`GenerationError` is raised and `search.answer.Answerer` falls back to the extractive answer.
The client returns the text and the cited numbers (`Generated`); `search.answer` numbers the
citations of the answer it shows. Only the standard library is used (urllib).
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.types import Hit

DEFAULT_TIMEOUT_S = 20.0
MAX_PASSAGES = 5
MAX_PASSAGE_CHARS = 600

SYSTEM_PROMPT = (
    "你是营商环境政策与案例的检索助手。只根据用户给出的编号资料回答问题，不要使用资料以外的知识。"
    "用简体中文作答，简洁准确，不超过三句话。每句话后用方括号标注所依据资料的编号，例如[1]或[2]，"
    "只能引用给出的编号。资料中没有答案时，直接说明资料中没有相关内容，并引用最接近的资料编号。"
)


class GenerationError(RuntimeError):
    """No usable generated answer (endpoint error, timeout, invalid or uncited text)."""


@dataclass(frozen=True)
class Generated:
    """A generated answer as the model numbered it: [n] is the n-th passage it was given."""

    text: str  # markers normalised to [n]
    cited: tuple[int, ...]  # the cited numbers, in order of first use (all exist)


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = DEFAULT_TIMEOUT_S
    max_tokens: int = 600
    temperature: float = 0.2
    max_passages: int = MAX_PASSAGES

    @property
    def url(self) -> str:
        base = self.base_url.rstrip("/")
        return base if base.endswith("/chat/completions") else base + "/chat/completions"


def config_from_env(env: Mapping[str, str] | None = None) -> LLMConfig | None:
    """The endpoint configuration, or None when generation is not configured."""
    env = os.environ if env is None else env
    settings: dict[str, object] = {}
    path = env.get("YINGSHANG_LLM_CONFIG", "").strip()
    if path:
        try:
            loaded = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"无法读取生成式回答配置文件 {path}：{exc}") from exc
        if not isinstance(loaded, dict):
            raise ValueError(f"生成式回答配置文件 {path} 应是一个 JSON 对象")
        settings.update(loaded)
    for key in ("base_url", "model", "api_key", "timeout"):
        value = env.get(f"YINGSHANG_LLM_{key.upper()}", "").strip()
        if value:
            settings[key] = value
    base_url = str(settings.get("base_url") or "").strip()
    model = str(settings.get("model") or "").strip()
    if not base_url or not model:
        return None
    try:
        timeout = float(settings.get("timeout") or DEFAULT_TIMEOUT_S)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"生成式回答超时设置无效：{settings.get('timeout')}") from exc
    extra = {
        k: type(getattr(LLMConfig, k))(settings[k])
        for k in ("max_tokens", "temperature", "max_passages")
        if k in settings
    }
    return LLMConfig(
        base_url=base_url,
        model=model,
        api_key=str(settings.get("api_key") or ""),
        timeout=timeout,
        **extra,
    )


# ------------------------------------------------------------------ prompt and validation


def build_messages(question: str, passages: Sequence[str]) -> list[dict]:
    """Chat messages: the instructions, then the numbered passages and the question."""
    numbered = "\n\n".join(
        f"[{n}] {text[:MAX_PASSAGE_CHARS]}" for n, text in enumerate(passages, 1)
    )
    user = (
        f"资料：\n{numbered}\n\n问题：{question}\n\n请根据以上资料用中文回答，并用[编号]标注出处。"
    )
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


# [1] [1,2] [1、3] and the full-width 【1】 ［1］ forms.
_MARKER = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】］]")
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)


def normalise_markers(text: str) -> str:
    """Rewrite every citation marker as [n] (one bracket per number)."""

    def one(m: re.Match[str]) -> str:
        return "".join(f"[{int(n)}]" for n in re.split(r"\s*[,，、]\s*", m.group(1).strip()))

    return _MARKER.sub(one, text)


def cited_numbers(text: str) -> list[int]:
    """Cited numbers in order of first use."""
    return list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", normalise_markers(text))))


def validate_answer(text: str, n_passages: int) -> list[int]:
    """The cited numbers; raises GenerationError if none is cited or one does not exist."""
    if not text.strip():
        raise GenerationError("生成的回答为空")
    cited = cited_numbers(text)
    if not cited:
        raise GenerationError("生成的回答没有标注出处")
    bad = [n for n in cited if not 1 <= n <= n_passages]
    if bad:
        raise GenerationError(f"生成的回答引用了不存在的资料编号：{bad}")
    return cited


# ------------------------------------------------------------------ client


class ChatClient:
    """Minimal OpenAI-compatible /chat/completions client over urllib."""

    def __init__(self, config: LLMConfig) -> None:
        self.config = config

    def request_body(self, messages: list[dict]) -> dict:
        return {
            "model": self.config.model,
            "messages": messages,
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
            "stream": False,
        }

    def complete(self, messages: list[dict]) -> str:
        body = json.dumps(self.request_body(messages), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        request = urllib.request.Request(self.config.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise GenerationError(f"生成服务返回错误 HTTP {exc.code}") from exc
        except TimeoutError as exc:
            raise GenerationError(f"生成服务超时（{self.config.timeout:g} 秒）") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise GenerationError(f"生成服务超时（{self.config.timeout:g} 秒）") from exc
            raise GenerationError(f"无法连接生成服务：{reason}") from exc
        try:
            data = json.loads(raw.decode("utf-8"))
            content = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise GenerationError("生成服务的响应格式无法识别") from exc
        if not isinstance(content, str):
            raise GenerationError("生成服务的响应格式无法识别")
        return content

    def stream(self, messages: list[dict]) -> Iterator[str]:
        """Text pieces as the endpoint sends them ("stream": true, Server-Sent Events).

        Raises GenerationError on an HTTP error, a timeout (also between two pieces) or a
        malformed event, possibly after some pieces were yielded.
        """
        body = dict(self.request_body(messages), stream=True)
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "text/event-stream"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        request = urllib.request.Request(self.config.url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:
                yield from _sse_pieces(response)
        except GenerationError:
            raise
        except urllib.error.HTTPError as exc:
            raise GenerationError(f"生成服务返回错误 HTTP {exc.code}") from exc
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
                raise GenerationError(f"生成服务超时（{self.config.timeout:g} 秒）") from exc
            raise GenerationError(f"无法连接生成服务：{reason}") from exc


def _sse_pieces(lines) -> Iterator[str]:
    """Content deltas of an OpenAI-style event stream, up to `data: [DONE]`."""
    for raw in lines:
        line = raw.decode("utf-8").strip()
        if not line.startswith("data:"):
            continue  # blank separators, comments, "event:" lines
        payload = line[5:].strip()
        if payload == "[DONE]":
            return
        try:
            choices = json.loads(payload)["choices"]
            piece = choices[0].get("delta", {}).get("content") if choices else None
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise GenerationError("生成服务的流式响应格式无法识别") from exc
        if piece:
            yield piece


# ------------------------------------------------------------------ generator


class Generator:
    """Generated text with validated citations; plugs into `search.answer.Answerer`."""

    def __init__(self, config: LLMConfig, client: ChatClient | None = None) -> None:
        self.config = config
        self.client = client or ChatClient(config)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Generator | None:
        config = config_from_env(env)
        return cls(config) if config else None

    def generate(self, question: str, passages: Sequence[str]) -> Generated:
        """The answer with its [n] markers normalised and checked, or GenerationError."""
        if not passages:
            raise GenerationError("没有可供生成回答的资料")
        content = self.client.complete(build_messages(question, passages))
        text = normalise_markers(_THINK.sub("", content)).strip()
        return Generated(text, tuple(validate_answer(text, len(passages))))

    def stream(self, question: str, passages: Sequence[str]) -> Iterator[str]:
        """The generated text piece by piece, as it arrives, for a page that shows it live.

        The pieces are raw: the caller validates the joined text with `validate_answer`
        (and `normalise_markers`) before treating it as a cited answer.
        """
        if not passages:
            raise GenerationError("没有可供生成回答的资料")
        yield from self.client.stream(build_messages(question, passages))

    def generate_for_hits(self, question: str, hits: Sequence[Hit]) -> Generated:
        """`generate` over the texts of the first `max_passages` hits: [n] is `hits[n-1]`."""
        given = tuple(hits)[: self.config.max_passages]
        return self.generate(question, [h.passage.text for h in given])
