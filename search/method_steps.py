"""Which sentences tell how something was done, beyond `search.compose`'s method rules:

- the task the question names word for word ("全区要压缩出口退税办理时间，税务局具体打算怎
  么做？" → the task 压缩出口退税办理时间, not a case that reports a shorter time);
- the step (numbered, or a paragraph's short heading) whose heading names what is asked ("北海是怎么搞联合惩戒的" → "三是依法
  实施政采联合惩戒…" and its sentences);
- a procedure asked step by step ("从告知到拿证分几步走") told in the order of its paragraph;
- more of the same case when it scores close to the best sentences (`more_of_case`).

Pure functions over one question's hits, candidate sentences and their scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

import numpy as np

from index.types import Hit
from search.compose import (
    FIELD_LINE,
    MARKER,
    MAX_HEADING_CHARS,
    MAX_ITEM_CHARS,
    RESPONSE_GAP,
    Candidate,
    doing_weight,
    in_results,
    paragraph_key,
    passage_at,
    unmarked,
)
from search.listing import named_unit


def named_scope(question: str, hits: Sequence[Hit], candidates: Sequence[Candidate]) -> list[int]:
    """Candidate indices of the task the question names word for word (`listing.named_unit`),
    when it has any; [] otherwise (the usual scope decides)."""
    h = named_unit(question, hits)
    if h is None:
        return []
    unit = hits[h].unit.id
    return [
        i
        for i, c in enumerate(candidates)
        if hits[c.hit].unit.id == unit and not FIELD_LINE.search(c.text)
    ]


def names_task_row(question: str, hits: Sequence[Hit]) -> bool:
    """Whether the question names a task-table row word for word ("优化在线帮办服务这条任务
    具体要怎么落实？"): the row tells it, not a span of the plan section that ranks first."""
    h = named_unit(question, hits)
    return h is not None and hits[h].unit.number.isdigit() and bool(hits[h].unit.deadline)


STEP_NAMED_CHARS = 4  # a heading that repeats this much of the question names the step asked


def named_step(question: str, heading: str, title: str) -> bool:
    """Whether a step heading repeats a phrase of the question (4+ characters) that the unit's
    title does not: the step is what is asked ("怎么搞联合惩戒" → "三是依法实施政采联合惩戒…"),
    not the case's topic, which every step shares."""
    q, head = re.sub(r"\s", "", question), unmarked(heading)
    m = SequenceMatcher(None, q, head, autojunk=False).find_longest_match(0, len(q), 0, len(head))
    return m.size >= STEP_NAMED_CHARS and q[m.a : m.a + m.size] not in title


def is_heading(hit: Hit, sentence: str) -> bool:
    """Whether a sentence heads a step: numbered ("三是…"), or short and first in its
    paragraph ("创新全流程闭环管理模式。")."""
    if MARKER.match(sentence):
        return len(sentence) <= MAX_ITEM_CHARS
    if len(sentence) > MAX_HEADING_CHARS:
        return False
    at = passage_at(hit, sentence)
    return at > 0 and hit.passage.text[:at].rstrip(" \t\u3000").endswith("\n")


def with_named_step(
    hits: Sequence[Hit], candidates: Sequence[Candidate], scores: np.ndarray, question: str
) -> np.ndarray:
    """Scores in which the sentences of the one numbered step whose heading names what the
    question asks (`named_step`) score just below the best sentence, in order: the answer
    tells that step ("打通…建立失信数据库…" under "三是依法实施政采联合惩戒"). Unchanged when
    no heading, or more than one, names it."""
    out = np.array(scores, dtype=np.float32)
    if not len(candidates):
        return out
    heads = [
        j
        for j, c in enumerate(candidates)
        if is_heading(hits[c.hit], c.text) and named_step(question, c.text, hits[c.hit].unit.title)
    ]
    if len(heads) != 1:
        return out
    j, best = heads[0], float(out.max())
    body = []
    for k in range(j + 1, len(candidates)):
        c = candidates[k]
        if c.hit != candidates[j].hit or is_heading(hits[c.hit], c.text):
            break
        if doing_weight(c.text) >= 0 and not in_results(hits[c.hit], c.text):
            body.append(k)
    for n, k in enumerate(body, 1):
        out[k] = max(out[k], best - (n + 2) * RESPONSE_GAP)
    return out


# "分几步走 / 有哪些步骤 / 流程是怎样的 / 从告知到拿证": a procedure, told in order.
_ASKS_STEPS = re.compile(
    r"几步|步骤|流程|程序|一步步|一步一步|从[\u4e00-\u9fff]{1,6}到[\u4e00-\u9fff]{1,6}"
)
# "收集—筛分—办理—反馈": a procedure named by its steps joined by dashes or arrows.
_CHAIN = re.compile(r"[\u4e00-\u9fff]{2,4}(?:[—－→][\u4e00-\u9fff]{2,4}){2,}")
CHAIN_MARGIN = 0.15


def with_chain(candidates: Sequence[Candidate], scores: np.ndarray, question: str) -> np.ndarray:
    """For a question that asks for a procedure (`asks_steps`), the sentence that names the
    procedure by its steps ("构建问题“收集—筛分—办理—反馈”闭环工作机制"), within CHAIN_MARGIN of
    the best, scores first."""
    out = np.array(scores, dtype=np.float32)
    if not len(candidates) or not asks_steps(question):
        return out
    top = float(out.max())
    chained = [i for i, c in enumerate(candidates) if _CHAIN.search(c.text)]
    near = [i for i in chained if out[i] >= top - CHAIN_MARGIN]
    if near:
        b = max(near, key=lambda i: out[i])
        out[b] = top + 0.01
    return out


SEQUENCE_SENTENCES = 3


def asks_steps(question: str) -> bool:
    """Whether a procedure is asked: in so many words, or by asking how twice about one
    practice ("…是怎么让企业知道自己能享受这个政策的，证怎么领？": from telling the firm to
    handing over the licence, the steps in between are half the answer)."""
    return bool(_ASKS_STEPS.search(question)) or asks_how_twice(question)


_HOW = re.compile(r"怎么|怎样|如何")
_CLAUSES = re.compile(r"[，,；;？?。！!]+")


def asks_how_twice(question: str) -> bool:
    """Whether two clauses of the question each ask how."""
    return sum(bool(_HOW.search(c)) for c in _CLAUSES.split(question)) >= 2


def with_sequence(
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    question: str,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """For a question that asks for a procedure (`asks_steps`), scores in which the sentences
    after the best one in its paragraph score just below it, in order ("…就主动与其联系…" →
    "经市场主体同意后，采集许可证照面信息…" → "…设置了现场领取和邮递寄送两种方式").
    `start`: scores for where the procedure begins (the first clause that asks how), whose
    best sentence then opens the steps, just below the best sentence overall."""
    out = np.array(scores, dtype=np.float32)
    if not len(candidates) or not asks_steps(question):
        return out
    top = float(out.max())
    b = int(np.argmax(out if start is None else start))
    key = paragraph_key(hits[candidates[b].hit], candidates[b].text)
    if key is None:
        return out
    out[b] = max(out[b], top - 2 * RESPONSE_GAP)
    for n, k in enumerate(range(b + 1, min(b + 1 + SEQUENCE_SENTENCES, len(candidates))), 1):
        c = candidates[k]
        if paragraph_key(hits[c.hit], c.text) != key:
            break
        out[k] = max(out[k], float(out[b]) - (n + 2) * RESPONSE_GAP)
    return out


MORE_OF_CASE = 2  # sentences a method answer may add beyond its best ones, from their case


def more_of_case(
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    skip: int,
    margin: float,
    limit: int = MORE_OF_CASE,
) -> list[tuple[str, int]]:
    """Up to `limit` further sentences (text, hit index) of the best sentence's case, after
    the `skip` best-scored ones, scoring within `margin` of the best: steps (a doing verb
    first, `compose.doing_weight`) before the rest, each in score order. A case tells how it
    was done over more sentences than a fact needs; the detail asked ("推出无抵押、纯信用贷
    款") often scores just below the sentences that restate the goal. Field columns are
    never added."""
    if not len(candidates):
        return []
    order = [int(i) for i in np.argsort(-np.asarray(scores), kind="stable")]
    floor = float(scores[order[0]]) - margin
    case = hits[candidates[order[0]].hit].unit.id
    steps, rest = [], []
    for i in order[skip:]:
        if float(scores[i]) < floor:
            break
        c = candidates[i]
        if hits[c.hit].unit.id != case or FIELD_LINE.search(c.text):
            continue
        (steps if doing_weight(c.text) > 0 else rest).append((c.text, c.hit))
    return (steps + rest)[:limit]
