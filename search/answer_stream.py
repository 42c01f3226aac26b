"""Answers that arrive piece by piece: the generated text as the model writes it, then the
checked answer.

`stream_answer(answerer, question)` embeds the question once and searches once
(`Answerer.retrieve`), then yields `Draft`s (the generated text so far) and finally one
`Answer`: the generated answer when the whole text cites existing passages
(`Generator.finish`, the same check as `Answerer.ask`), else the extractive answer with
`NOTICE_NO_GENERATION` — after an HTTP error, a timeout or an uncited reply, also when some
text was already shown. Without a generator (or without hits) it yields only the
`Answerer.ask` answer.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from index.types import Hit
from search.answer import NOTICE_NO_GENERATION, Answer, Answerer, generated_answer
from search.llm import GenerationError, Generator

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    """Generated text so far. Its [n] is `given[n-1]`, the n-th passage the model was given
    (the final `Answer` renumbers citations in order of use)."""

    text: str
    given: tuple[Hit, ...]  # the passages sent to the model, in order
    hits: tuple[Hit, ...]  # every search hit, in rank order
    notice: str = ""  # the search's own message (e.g. a relaxed filter)
    query_terms: tuple[str, ...] = ()


def stream_answer(
    answerer: Answerer, question: str, k: int = 8, filters=None
) -> Iterator[Draft | Answer]:
    """Drafts while the model writes, then the final `Answer` (always last, always one)."""
    generator = answerer.generator
    if not isinstance(generator, Generator):  # none, or one that cannot stream
        yield answerer.ask(question, k=k, filters=filters)
        return
    result, embedded = answerer.retrieve(question, k, filters)
    hits = tuple(result.hits)
    if not hits:
        yield answerer.answer(result, embedded)  # the same "nothing found" answer as `ask`
        return
    given = generator.given(hits)
    text = ""
    try:
        for piece in generator.stream_for_hits(result.query, hits):
            text += piece
            yield Draft(text, given, hits, result.message, result.query_terms)
        answer = generated_answer(generator.finish(text, len(given)), hits, result.message)
    except GenerationError as exc:
        log.warning("generated answer not used: %s", exc)
        answer = answerer.extractive(result.query, hits, result.message, embedded)
        answer = dataclasses.replace(answer, notice=f"{NOTICE_NO_GENERATION}{answer.notice}")
    yield dataclasses.replace(answer, query_terms=result.query_terms)
