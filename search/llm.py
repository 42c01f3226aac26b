"""Generated answers from an OpenAI-compatible chat-completions endpoint.

Used whenever it is configured: `generator_for(config)` is the one place a `Generator` is
built from the `index.config.Config` (fields `llm`, `llm_base_url`, `llm_model`,
`llm_api_key`, `llm_timeout`; `scripts/` fills them from YINGSHANG_LLM_* variables, the
config file and the --llm/--no-llm flags). `ask`, `eval`, the benchmark and the page all use it.

The model gets the question and the top passages numbered [1]..[n] and must answer in
Chinese citing them as [n]. An answer is accepted only when it cites at least one passage
and every cited number exists; otherwise, and on any HTTP error or timeout,
`GenerationError` is raised and the caller falls back to the extractive answer. The client
returns the text and the cited numbers (`Generated`); `search.answer` numbers the citations
of the answer it shows. `Generator.stream_for_hits` gives the text as it arrives (for the
page) and `Generator.finish` checks the joined text like `generate` does. Only the standard
library is used (urllib).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from index.config import Config
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
    api_key: str = field(default="", repr=False)
    timeout: float = DEFAULT_TIMEOUT_S
    max_tokens: int = 600
    temperature: float = 0.2
    max_passages: int = MAX_PASSAGES

    @property
    def url(self) -> str:
        base = self.base_url.rstrip("/")
        return base if base.endswith("/chat/completions") else base + "/chat/completions"


LLM_SWITCH = ("auto", "on", "off")


def llm_config(config: Config) -> LLMConfig | None:
    """The endpoint settings of `config`, or None when generation is off or not configured.

    Raises ValueError (Chinese) for `llm="on"` without an endpoint and for an unknown switch.
    """
    switch = (config.llm or "auto").strip().lower()
    if switch not in LLM_SWITCH:
        raise ValueError(f"生成式回答开关应为 auto、on 或 off，而不是 {config.llm!r}")
    base_url, model = config.llm_base_url.strip(), config.llm_model.strip()
    if switch == "off":
        return None
    if not base_url or not model:
        if switch == "on":
            raise ValueError(
                "已要求使用生成式回答（--llm），但没有配置生成服务：请设置 YINGSHANG_LLM_BASE_URL "
                "和 YINGSHANG_LLM_MODEL，或在配置文件的 [llm] 中写 base_url 和 model。"
            )
        return None
    if not config.llm_timeout > 0:
        raise ValueError(f"生成式回答超时设置无效：{config.llm_timeout}")
    return LLMConfig(
        base_url=base_url,
        model=model,
        api_key=config.llm_api_key.strip(),
        timeout=float(config.llm_timeout),
    )


def generator_for(config: Config) -> Generator | None:
    """The generator `config` asks for (None: extractive answers only)."""
    settings = llm_config(config)
    return Generator(settings) if settings else None


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

    def generate(self, question: str, passages: Sequence[str]) -> Generated:
        """The answer with its [n] markers normalised and checked, or GenerationError."""
        if not passages:
            raise GenerationError("没有可供生成回答的资料")
        return self.finish(self.client.complete(build_messages(question, passages)), len(passages))

    @staticmethod
    def finish(content: str, n_passages: int) -> Generated:
        """The model's whole reply as a checked answer (reasoning dropped, markers normalised)."""
        text = normalise_markers(_THINK.sub("", content)).strip()
        return Generated(text, tuple(validate_answer(text, n_passages)))

    def stream(self, question: str, passages: Sequence[str]) -> Iterator[str]:
        """The generated text piece by piece, as it arrives, for a page that shows it live.

        The pieces are raw: the caller validates the joined text with `validate_answer`
        (and `normalise_markers`) before treating it as a cited answer.
        """
        if not passages:
            raise GenerationError("没有可供生成回答的资料")
        yield from self.client.stream(build_messages(question, passages))

    def given(self, hits: Sequence[Hit]) -> tuple[Hit, ...]:
        """The hits the model sees, in order: its [n] is `given(hits)[n-1]`."""
        return tuple(hits)[: self.config.max_passages]

    def generate_for_hits(self, question: str, hits: Sequence[Hit]) -> Generated:
        """`generate` over the texts of the first `max_passages` hits: [n] is `hits[n-1]`."""
        return self.generate(question, [h.passage.text for h in self.given(hits)])

    def stream_for_hits(self, question: str, hits: Sequence[Hit]) -> Iterator[str]:
        """`stream` over the same passages as `generate_for_hits`; check the joined text with
        `finish(text, len(given(hits)))`."""
        return self.stream(question, [h.passage.text for h in self.given(hits)])
