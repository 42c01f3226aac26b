"""The 问答 tab's answer as it arrives: HTML for each `Draft` of the generated text, then for
the final answer (see `search.answer_stream`).

While the model writes, the sources are the hits in search order, so the model's [n] links to
card n; the final answer renumbers its citations in order of use and its cards follow.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping

from search.answer import Answer, Answerer, no_answer
from search.answer_stream import Draft, stream_answer
from search.llm import normalise_markers
from ui import render
from ui.render import notice

NOTICE_DRAFTING = "正在生成回答……"
NOTICE_NOTHING = "没有找到相关内容，请换个说法试试。"

# A model's reasoning is not part of the answer: closed blocks, and one still open at the end.
_THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL)


def draft_answer(draft: Draft) -> Answer:
    """A draft as an answer the renderer shows: card n is the n-th hit, the model's [n]."""
    text = normalise_markers(_THINKING.sub("", draft.text)).strip()
    notice_text = f"{draft.notice} {NOTICE_DRAFTING}".strip()
    return dataclasses.replace(
        no_answer(draft.hits, notice_text),
        text=text,
        confident=True,
        kind="generated",
        query_terms=draft.query_terms,
    )


def answer_parts(
    answer: Answer, keep: int | None = None, docs: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """(answer HTML, source cards HTML) of an answer (or of a draft, with `keep` cards);
    `docs`: the document line (issuer, number, date) of each document for the cards."""
    html = render.answer_html(answer)
    if not answer.text and not answer.hits:
        html = html or notice(NOTICE_NOTHING, "warn")
    return html, render.sources_html(answer, answer.query_terms, keep=keep, docs=docs)


def ask_pieces(
    answerer: Answerer, question: str, k: int, docs: Mapping[str, str] | None = None
) -> Iterator[tuple[str, str, str]]:
    """(answer HTML, source cards HTML, viewer HTML – cleared) for each draft, then the answer."""
    for item in stream_answer(answerer, question, k=k):
        if isinstance(item, Draft):
            yield (*answer_parts(draft_answer(item), keep=len(item.given), docs=docs), "")
        else:
            yield (*answer_parts(item, docs=docs), "")
