"""Answers with citations: extractive (no language model), optionally generated.

The pure layer works on plain values and is tested on its own:

* `detect_intent(question)` – which unit field a question asks for (see `INTENT_PATTERNS`);
* `split_sentences(text)` – sentences of a passage text;
* `score_sentences(question, sentences, sentence_vectors, question_vector, …)` – cosine
  similarity plus weighted jieba term overlap (plus small intent and rank bonuses);
* `compose_answer(question, hits, candidates, scores, …)` – picks ≤ 3 sentences (or a unit
  field) and numbers the citations (its threshold is calibrated by `bench.calibration`).

`Answerer(searcher, generator=None).ask(question)` runs the search, embeds the sentences of
the top passages, scores them against the query vector of that search and composes the
`Answer`. With a generator (see `search.llm`, which returns text and the numbers it cites)
it first tries a generated answer and falls back to the extractive one; citation numbers are
assigned here only (`number_citations`).

Citation numbers: `[n]` in `Answer.text` refers to `Answer.citations[n-1]` and to the n-th
source card `Answer.hits[n-1]`; the cited hits come first in `hits`, in order of first use,
followed by the remaining search hits in rank order.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from index.cleaning import SENTENCE
from index.facets import colloquial_in
from index.lexical import tokenize
from index.live import IndexSnapshot
from index.types import Citation, Hit, Passage, Unit
from search import (
    comparison_answer,
    compose,
    listing,
    method_steps,
    place_figures,
    question_parts,
)
from search.compose import Candidate, Composed, hit_evidence
from search.llm import Generated, GenerationError
from search.question import (
    FIELDS,
    Gazetteer,
    Question,
    QuestionModel,
    QuestionVectors,
    asks_in,
    asks_unit_or_date,
    clauses,
    embed_question,
    is_division_stem,
    may_compare,
    mention,
    place_list,
    understand,
)
from search.reader import (
    Selector,
    SpanContext,
    asked_cues,
    load_selector,
    run_pieces,
    run_text,
    selector_owns,
    whole_items,
    without_restated,
)

if TYPE_CHECKING:  # the type only: importing the searcher loads the index libraries
    from search.searcher import Searcher, SearchResult

KINDS = ("field", "extractive", "place", "list", "comparison", "none", "generated")

NOTICE_UNSURE = "没有找到有把握的答案，以下是最相关的内容。"
NOTICE_NO_HITS = "没有找到相关内容，请换个说法试试。"
NOTICE_NO_GENERATION = "生成式回答不可用，已显示摘录式答案。"
NOTICE_NO_PLACE = "资料中没有找到关于“{places}”的内容，以下是最相关的内容。"
NOTICE_NO_DAY = "资料中没有找到“{part}”的具体日期，以下是最相关的内容。"
# An unsure comparison shows each place's source card, not a paragraph: the notice says which.
NOTICE_PLACES_UNSURE = "没有把握逐地概括，以下是各地最相关的来源：{where}。"
NOTICE_SIMILAR = (
    "问题没有说明你们的改革是什么。请到“相似案例”页，用一两句话描述你们的做法（或选一个案例），"
    "即可找到其他地方的相似案例；以下是与问题字面最接近的内容。"
)
# "有没有和我们这个改革相似的案例？": similar to a reform the question does not describe.
_SIMILAR_TO_OURS = re.compile(
    r"(?:和|跟|与|同|像)(?:我们|咱们|我市|我区|我县|我省|本地|这边)(?:的|这个|这项|这次)?"
    r"(?:改革|做法|工作|项目|情况)?[^？?，,。]{0,4}(?:相似|类似|相近|差不多|一样)"
)


def asks_similar_to_ours(question: str) -> bool:
    """Whether the question asks for cases like the asker's own reform without saying what
    it is; the 相似案例 page, given a description, answers that."""
    return bool(_SIMILAR_TO_OURS.search(question))


# Confidence threshold on the best sentence score (see `score_sentences`). Obtained with
# `bench.calibration.calibrate_threshold` (maximum Youden J = TPR − FPR, midpoint between
# neighbouring scores) on the real seed index and multilingual-e5-small: positives are the
# questions of eval/own_queries.jsonl and shared/eval/seed_queries.jsonl whose extractive
# answer contains the expected answer; negatives are those whose answer misses it plus
# `bench.calibration.CALIBRATION_NEGATIVES` (questions the corpus cannot answer). Re-run
# with `yingshang calibrate` (prints the numbers).
CONFIDENCE_THRESHOLD = 1.111
# Confident from this best sentence score on when the dense and the BM25 retriever put the
# same passage first and the answer cites it (`agreed_band`): two retrievers that agree on
# the source are evidence the score alone does not give, when the answer is of the kind
# asked (`tells_what_is_asked`). Over the 1,376 rows of eval/'s readable sets it made 106
# right answers confident, 5 wrong ones and no unanswerable one (confident right 831 → 937,
# wrong 19 → 24); on the blind fresh31 and fresh32, 9 right and none wrong (`yingshang eval`
# prints these counts). Comparisons, answered per place, are left out.
AGREED_THRESHOLD = 1.0

# ------------------------------------------------------------------ intent

# The nouns of a figure ("抽查比例是多少", "数量"): a figure question's words, but in a how
# question what it is about, not a figure asked (`detect_intent`).
_FIGURE_NOUN_WORDS = "比例|比率|费率|比重|占比|天数|时长|金额|规模|数量|成功率|好评率|办理率|覆盖率"
# The words that ask how much.
# "这几年", "那几个" say a few, they ask nothing.
_AMOUNT_WORDS = (
    r"多少|(?<![哪好这那])几(?:个|天|项|人|次|年|倍|成|家|种|类|档|级|分钟|小时|枚|条|件|场|户|名"
    rf"|{compose.COUNT_MEASURES})"  # "派了几支工作队常驻": a count asked (14支)
    r"|百分之|多长|多久|多大|多高|多快|多远|多重|(?:什么|啥|多大)程度"
)

# Which unit field a question asks for. First matching row wins (配合 before 牵头: a question
# about 配合单位 often also names the measure's 牵头 unit). "figure" and "date" do not map to a
# field; they make sentences with a number or a date score higher.
INTENT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "coop",
        re.compile(
            r"配合单位|配合部门|由?谁(?:来)?配合|协助单位"
            # "全区要哪几个市配合推进 / 有哪几个市要参与配合": the cities a task row names
            # as 配合单位
            r"|哪(?:些|几个?|个)(?:部门|单位|市|县|区|城市|地市)(?:来|要|需要|得)?(?:参与|参加)?配合"
            # "还拉了哪些单位 / 哪个部门一起配合": the units asked, a few words before 配合
            r"|哪(?:些|几个?|个)(?:部门|单位)[^，,。？?；;]{0,4}配合"
            # "这条措施配合的群团组织有哪几家": the units named after 配合的
            r"|配合(?:它)?的(?:群团组织|组织|部门|单位|机构)?(?:都|还|主要)?(?:有|是|包括)哪(?:些|几家|几个)"
        ),
    ),
    (
        "lead",
        re.compile(
            r"牵头|责任单位|责任部门|主责部门|主管部门"
            r"|(?:哪个|哪些|什么)(?:部门|单位|机构)(?:来|在)?(?:负责|主抓|抓|承担|落实|管)"
            # "这条由谁来抓", "归哪个部门管": who leads, said as who takes charge
            r"|由谁(?:来)?(?:负责|落实|承担|抓|管)|谁(?:来)?(?:负责|抓)"
        ),
    ),
    (
        "deadline",
        re.compile(
            r"完成时限|时限|什么时候|什么时间|何时|哪天|哪一?年|截止|截至|期限"
            r"|最晚.{0,8}(?:时候|日期|时间)"
            r"|(?:多久|哪个月)(?:之?前)?完成"
        ),
    ),
    ("figure", re.compile(_AMOUNT_WORDS + "|" + _FIGURE_NOUN_WORDS)),
)
# A word that asks how much, not a figure's noun: "哪个城市…按不同比例缴存" asks no figure.
_ASKS_AMOUNT = re.compile(_AMOUNT_WORDS)
INTENT_FIELDS = {"lead": "牵头单位", "coop": "配合单位", "deadline": "完成时限"}

# Sentence features that fit an intent.
_FIGURE = re.compile(
    r"\d|[０-９]|[%％‰]|[一二三四五六七八九十两百千万亿]+(?:个|项|天|年|条|倍|成|家|名|件|次|枚)"
    r"|半(?:小时|天|个?月|年)|当场|当天|当日|即时|立等"
)
_DATE = re.compile(
    r"\d{4}\s*年|\d{1,2}\s*月|年底|年末|月底|月末|上半年|下半年|季度|当日|当天|前完成|之前|以前"
)
_INTENT_FEATURE = {
    "figure": _FIGURE,
    "deadline": _DATE,
    "lead": re.compile(r"牵头|负责"),
    "coop": re.compile(r"配合|协助"),
}

# Question words that say what kind of answer is wanted, not what it is about.
_INTENT_WORDS = frozenset(
    re.split(
        r"\s+",
        "牵头 牵头单位 配合 配合单位 单位 部门 负责 责任 完成 时限 完成时限 时候 何时 哪天 截止 期限"
        " 多少 比例 多长 多久 多大 达到 要求 目标 具体 一共 分别 其他 其他地方 地方 别的 外地 外省"
        " 城市 什么样 哪些 办法 怎样 这项 项任务 任务 措施 这个",
    )
)


# "几个部门 / 几类企业": how many things, which a how question names without asking (几天,
# 几倍 still ask a figure); "数量多 / 提高办理率 / 降低比例": what a how question is about,
# not a figure it asks (多少、多长、多久 … still ask one).
_COUNTED_THINGS = re.compile(
    rf"几(?:个|家|种|类|项|条|件|场|户|名|档|级|枚|人|{compose.COUNT_MEASURES})"
)
_FIGURE_NOUNS = re.compile(_FIGURE_NOUN_WORDS)
# "按信用好坏定抽查比例，玉林和江西在这上面做法有何不同": asks the practices, like a how
# question; the figure's noun names what they set.
_ASKS_PRACTICE = re.compile(r"做法|办法|措施|举措")


# "哪个市最先让…几分钟就拿到？": 几 before 就 says how little it takes, it asks no figure
# ("几天能办完" still asks one).
_FEW_THEN = "就"


# "跟广东、湖南几个县签了备忘录": 几个 right after a place and before a level of places
# means some of its counties, not how many (fresh67 zx35, a which-place question).
_SOME_PLACES = re.compile(r"几个(?:县|市|区|省|地市|城市)")
_PLACE_NAME_CHARS = (2, 3, 4)


def _says_few(question: str, match: re.Match[str]) -> bool:
    """Whether a figure word is 几… followed by 就 ("几分钟就拿到"), or 几个县 after a place
    ("湖南几个县"): told, not asked."""
    if not match.group().startswith("几"):
        return False
    if question[match.end() : match.end() + 1] == _FEW_THEN:
        return True
    if not _SOME_PLACES.match(question, match.start()):
        return False
    before = question[: match.start()]
    names = place_list().names
    return any(before[-n:] in names for n in _PLACE_NAME_CHARS if len(before) >= n)


def detect_intent(question: str) -> str:
    """ "lead" | "coop" | "deadline" | "figure" | "" (see `INTENT_PATTERNS`). In a how
    question, or one that asks for practices (做法/措施…), a count word with 几 ("怎么让几个部门
    一起办") or a figure's noun ("个体户数量多，怎样…分类监管") is no figure asked; nor is 几…
    before 就 in any question (`_says_few`)."""
    for name, pattern in INTENT_PATTERNS:
        found = [m.group() for m in pattern.finditer(question) if not _says_few(question, m)]
        if name == "figure" and (_ASKS_HOW.search(question) or _ASKS_PRACTICE.search(question)):
            found = [
                f for f in found if not (_COUNTED_THINGS.fullmatch(f) or _FIGURE_NOUNS.fullmatch(f))
            ]
        if found:
            return name
    return ""


# ------------------------------------------------------------------ sentences

_CLAUSE = re.compile(r"[^，,：:]*(?:[，,：:]|$)")
_HAS_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2}|\d")
MAX_SENTENCE_CHARS = 160
MIN_SENTENCE_CHARS = 4


def split_sentences(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[str]:
    """Sentences of `text`, stripped; over-long ones are cut at commas into ≤ max_chars."""
    out: list[str] = []
    for m in SENTENCE.finditer(text or ""):
        sentence = m.group().strip()
        if len(sentence) < MIN_SENTENCE_CHARS or not _HAS_WORD.search(sentence):
            continue
        if len(sentence) <= max_chars:
            out.append(sentence)
            continue
        piece = ""
        for clause in _clause_units(sentence, max_chars):
            if piece and len(piece) + len(clause) > max_chars:
                out.append(piece.strip())
                piece = ""
            while len(clause) > max_chars:  # a clause without any comma
                cut = _soft_cut(clause, max_chars)
                out.append(clause[:cut].strip())
                clause = clause[cut:]
            piece += clause
        if len(piece.strip()) >= MIN_SENTENCE_CHARS:
            out.append(piece.strip())
    return out


_SOFT_BREAK = ("、", "；", ";", "）", ")", "”")


def _soft_cut(clause: str, max_chars: int) -> int:
    """Where to cut a clause longer than `max_chars` that has no comma: after its last 、 (or
    ；, a closing bracket or quote) in the second half of the first `max_chars` characters,
    else at `max_chars` — "…不动产权证书、办" + "理抵押登记…" split a word in two."""
    at = max(clause.rfind(mark, max_chars // 2, max_chars) for mark in _SOFT_BREAK)
    return at + 1 if at >= 0 else max_chars


def _clause_units(sentence: str, max_chars: int) -> list[str]:
    """The clauses of a sentence, a clause that ends in a colon joined to the next one, and a
    short one ("即：", "分别是：") to the one before as well: a sentence cut after "打好法律服务
    五张牌，即：" loses what the colon introduces, and the list loses what it counts."""
    units: list[str] = []
    for c in _CLAUSE.finditer(sentence):
        clause = c.group()
        if not clause:
            continue
        after_colon = bool(units) and units[-1].endswith(("：", ":"))
        short_lead = clause.endswith(("：", ":")) and len(clause) <= SHORT_LEAD
        if units and len(units[-1] + clause) <= max_chars and (after_colon or short_lead):
            units[-1] += clause
        else:
            units.append(clause)
    return units


SHORT_LEAD = 6  # "即：", "分别是：": a colon clause this short belongs to the clause before


def strip_row_prefix(text: str, unit: Unit) -> str:
    """Text without the task-table columns a flattened row starts with.

    A task-list row reads "106纳税压缩出口退税办理时间推行出口退税智能化办税…": number,
    indicator and reform direction run into the task text. The answer shows those as fields,
    so the sentence starts at the task itself. Text that does not start that way is unchanged.
    """
    if unit.kind != "measure" or not unit.number.isdigit():
        return text
    head = text.lstrip()
    if not head.startswith(unit.number) or not unit.indicator:
        return text
    rest = head[len(unit.number) :].lstrip()
    if not rest.startswith(unit.indicator):  # "106项…": a figure, not a row number
        return text
    rest = rest[len(unit.indicator) :].lstrip()
    direction = unit.direction or unit.title
    if direction and rest.startswith(direction) and len(rest) > len(direction):
        rest = rest[len(direction) :].lstrip()
    return rest or text


# ------------------------------------------------------------------ places

# A question that names a place (jieba part-of-speech "ns": 海南, 钦州市 …) is only answered
# with confidence from sources that mention that place; "海南自贸港…" must not be answered
# confidently from a Guangxi passage that happens to match everything else.
_PLACE_SUFFIX = re.compile(
    r"(?:壮族自治区|维吾尔自治区|回族自治区|自治区|特别行政区|新区|省|市|县|区)$"
)


def question_places(question: str) -> list[str]:
    """Place names in a question (two characters or more), in order, without duplicates."""
    import jieba.posseg as pseg

    return list(dict.fromkeys(w for w, flag in pseg.cut(question) if flag == "ns" and len(w) >= 2))


def missing_places(question: str, evidence: Sequence[str]) -> list[str]:
    """Places the question names that none of the evidence texts mentions."""
    places = question_places(question)
    if not places:
        return []
    blob = "".join(evidence)
    return [place for place in places if not _mentioned(place, blob)]


# ------------------------------------------------------------------ scoring

LEXICAL_WEIGHT = 0.3  # weight of the term-overlap fraction (cosine has weight 1)
LENGTH_NORM = 0.0  # BM25-like b: how much the overlap of long sentences is discounted
AVG_SENTENCE_CHARS = 60.0
CONTEXT_CREDIT = 0.5  # a term found only in the unit title / section counts this much
INTENT_BONUS = 0.04  # sentence has what the intent asks for (a figure, a date, 牵头 …)
RANK_BONUS = 0.03  # for the sentences of the best passage, falling linearly to 0


def question_terms(question: str) -> list[str]:
    """Content terms of a question: jieba tokens without stopwords and intent words."""
    terms = [t for t in dict.fromkeys(tokenize(question)) if t not in _INTENT_WORDS]
    return terms or list(dict.fromkeys(tokenize(question)))


def _term_weight(term: str, weights: Mapping[str, float] | None) -> float:
    if weights is not None and term in weights:
        return float(weights[term])
    return float(min(len(term), 4))  # no statistics: longer terms say more


def term_overlap(
    terms: Sequence[str],
    text: str,
    context: str = "",
    weights: Mapping[str, float] | None = None,
    spellings: Mapping[str, Sequence[str]] | None = None,
) -> float:
    """Weighted share of `terms` found in `text` (full credit) or `context` (partial); a
    term with `spellings` (the documents' words for a colloquial one) is found as any."""
    total = found = 0.0
    text, context = text.lower(), context.lower()
    for term in terms:
        w = _term_weight(term, weights)
        total += w
        words = (term, *((spellings or {}).get(term, ())))
        if any(word.lower() in text for word in words):
            found += w
        elif context and any(word.lower() in context for word in words):
            found += CONTEXT_CREDIT * w
    return found / total if total else 0.0


def comparison_slack(
    question: str, places: Sequence[str], weights: Mapping[str, float] | None = None
) -> float:
    """What a sentence about one of the places a comparison names cannot score: the lexical
    credit of the other places' names (a sentence on 江西's practice never names 玉林), the
    least over the places; 0 when fewer than two places are named."""
    if len(places) < 2:
        return 0.0
    terms = question_terms(question)
    total = sum(_term_weight(t, weights) for t in terms)
    if not total:
        return 0.0

    def naming(place: str) -> float:
        return sum(_term_weight(t, weights) for t in terms if t in place or place in t)

    named = [naming(p) for p in places]
    return LEXICAL_WEIGHT * min(sum(named) - n for n in named) / total


def score_sentences(
    question: str,
    sentences: Sequence[str],
    sentence_vectors: np.ndarray,
    question_vector: np.ndarray,
    *,
    contexts: Sequence[str] | None = None,
    ranks: Sequence[int] | None = None,
    term_weights: Mapping[str, float] | None = None,
    intent: str | None = None,
) -> np.ndarray:
    """Score = cosine + LEXICAL_WEIGHT·overlap + intent bonus + rank bonus, per sentence.

    Vectors are L2-normalised (so the dot product is the cosine). `contexts` (unit title
    and section of each sentence's passage) give partial credit for question terms the
    sentence itself leaves implicit; `ranks` (0-based passage rank) add a small prior for
    the better passages; `term_weights` (e.g. IDF) weigh the question terms.
    """
    n = len(sentences)
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    vecs = np.asarray(sentence_vectors, dtype=np.float32).reshape(n, -1)
    qvec = np.asarray(question_vector, dtype=np.float32).reshape(-1)
    cos = vecs @ qvec
    terms = question_terms(question)
    # A colloquial word ("打官司") counts as found where the documents' word is ("诉讼"); a
    # word jieba does not cut out of the question ("拿地" → 拿/地) is a term of its own.
    spellings = colloquial_in(question)
    terms += [word for word in spellings if word not in terms]
    if intent is None:
        intent = detect_intent(question)
    feature = _INTENT_FEATURE.get(intent)
    max_rank = max(ranks) if ranks else 0
    scores = np.zeros(n, dtype=np.float32)
    for i, sentence in enumerate(sentences):
        context = contexts[i] if contexts else ""
        overlap = term_overlap(terms, sentence, context, term_weights, spellings)
        if LENGTH_NORM:
            overlap /= 1 - LENGTH_NORM + LENGTH_NORM * len(sentence) / AVG_SENTENCE_CHARS
        s = float(cos[i]) + LEXICAL_WEIGHT * overlap
        if feature is not None and feature.search(sentence):
            s += INTENT_BONUS
        if ranks and max_rank > 0:
            s += RANK_BONUS * (1 - ranks[i] / max_rank)
        elif ranks:
            s += RANK_BONUS
        scores[i] = s
    return scores


# ------------------------------------------------------------------ answers


@dataclass(frozen=True)
class Answer:
    text: str  # plain text; each sentence followed by its citation marker [n]
    sentences: tuple[tuple[str, int], ...]  # (sentence without marker, n)
    citations: tuple[Citation, ...]  # citations[n-1] is [n]
    hits: tuple[Hit, ...]  # source cards: cited hits first (card n = [n]), then the rest
    confident: bool
    notice: str  # Chinese notice for people, "" when there is nothing to say
    kind: str  # "field" | "extractive" | "span" | "list" | … | "none" | "generated"
    score: float = 0.0  # confidence score (best sentence score), for calibration
    query_terms: tuple[str, ...] = ()  # the search's query terms (to highlight the sources)
    continued: frozenset[int] = frozenset()  # sentences on the line of the one before

    @property
    def cited_hits(self) -> tuple[Hit, ...]:
        """The hits the text cites: card n is the source of [n]."""
        return self.hits[: len(self.citations)]

    @property
    def lines(self) -> tuple[str, ...]:
        """The text as it reads best: a numbered list one item per line (a list of twenty
        measures run together is hard to read and to copy), sentences before it one line."""
        if self.kind == "list":
            return tuple(part for part in _LIST_ITEM_START.split(self.text) if part)
        if self.kind == "comparison":  # a paragraph per place, as the places are compared
            lines: list[str] = []
            for k, (s, n) in enumerate(self.sentences):
                if k in self.continued and lines:
                    lines[-1] += _piece(s, n)  # the place's sentence of another source
                else:
                    lines.append(_piece(s, n))
            return tuple(lines)
        text, named = self.text, ()
        end = text.find("。") + 1
        if text.startswith(compose.CASE_LABEL) and end:  # the case named: a line of its own
            text, named = text[end:], (text[:end],)
        # Sentences, a paragraph per source they come from, then a numbered list from "1. "
        # on (a method's practices).
        start = text.find("。1. ") + 1
        if start <= 0:
            return (*named, *_paragraphs(text)) if text else named
        head, items = text[:start], text[start:]
        return (
            *named,
            *_paragraphs(head),
            *(part for part in _LIST_ITEM_START.split(items) if part),
        )


def _paragraphs(text: str) -> list[str]:
    """`by_source`'s paragraphs, the practices named at the end ("相关做法：A[4]。B[1]。") one
    line however many sources they cite."""
    at = text.find(comparison_answer.NAMED_LABEL)
    return [*by_source(text[:at]), text[at:]] if at > 0 else by_source(text)


def by_source(text: str) -> list[str]:
    """Cited sentences as paragraphs, a new one where the source cited changes ("…[1]。…[1]。"
    then "…[2]。"): a method told from three passages of its case reads as three paragraphs,
    not one wall of text. Text after the last marker stays with the last paragraph."""
    out: list[str] = []
    start, last = 0, None
    for m in _SENTENCE_CITED.finditer(text):
        if last is not None and m.group(1) != last:
            begins = text.rfind("。", start, m.start()) + 1 or start  # this sentence's start
            out.append(text[start:begins])
            start = begins
        last = m.group(1)
    return [p for p in (*out, text[start:]) if p]


_SENTENCE_CITED = re.compile(r"\[(\d+)\]。")


# Where the next item of a numbered list answer begins: "…[1]。2. …".
_LIST_ITEM_START = re.compile(r"(?<=。)(?=\d{1,2}\. )")


def _norm(text: str) -> str:
    return re.sub(r"[\s，。；、,.;：:“”\"'（）()]", "", text)


def _marked(sentence: str, n: int) -> str:
    body = sentence.rstrip(compose.CLAUSE_ENDS)
    return f"{body}[{n}]。"


def _piece(sentence: str, n: int) -> str:
    """One sentence of an answer's text: with its citation marker, or closed by "。" alone
    when it cites nothing ("北海：资料中没有找到这方面的内容。")."""
    return _marked(sentence, n) if n else f"{sentence.rstrip('。；;，, ')}。"


def _quote_text(sentences: Sequence[tuple[str, int]]) -> str:
    """A selector's span as one quote: its sentences as the source has them, cited once where
    the run of one source ends ("…；…。…[1]。"), not after every sentence."""
    pieces = []
    for i, (sentence, n) in enumerate(sentences):
        if i + 1 < len(sentences) and sentences[i + 1][1] == n:
            # mid-quote: the source's own closing mark, or "。" after a heading that has none
            pieces.append(sentence if sentence[-1:] in _CLOSING else f"{sentence}。")
        else:
            pieces.append(_piece(sentence, n))
    return "".join(pieces)


_CLOSING = frozenset("。！？!?；;：:，,、")


def row_task(hit: Hit) -> tuple[str, bool]:
    """(the task text of a hit's passage, whether the passage is a task-table row): the text
    without the row's leading columns, glued labels and trailing deadline/unit columns."""
    text = compose.clean_unit_text(strip_row_prefix(hit.passage.text, hit.unit), hit.unit)
    task, is_row = compose.split_task_row(text, hit.unit)
    return (task if is_row else text), is_row


def is_task_row(hit: Hit) -> bool:
    return row_task(hit)[1]


def readable_row(hit: Hit) -> str:
    """A task-table row's passage as the page shows it ("任务：…；牵头单位：…；完成时限：…"),
    or "" when the passage is not such a row: the raw row glues its number, area, task and
    columns into one string ("145政务服务进一步提升…2023年12月31日自治区大数据发展局…")."""
    task, is_row = row_task(hit)
    return compose.task_row_line(task, hit.unit) if is_row else ""


def number_citations(
    used: Sequence[int], hits: Sequence[Hit]
) -> tuple[dict[int, int], tuple[Citation, ...], tuple[Hit, ...]]:
    """Citation numbers for hit indices `used`: 1..N in order of first use.

    Returns (hit index → number, the citations – [n] is `citations[n-1]` –, the source cards:
    the cited hits first, so card n is [n], then the other hits in rank order).
    """
    numbers: dict[int, int] = {}
    for h in used:
        numbers.setdefault(h, len(numbers) + 1)
    cited = tuple(hits[h] for h in numbers)
    rest = tuple(h for i, h in enumerate(hits) if i not in numbers)
    return numbers, tuple(h.citation for h in cited), cited + rest


_DOCUMENT_NUMBER = re.compile(r"^\s*\d{1,2}、(?!\d)")


def _assemble(
    picked: Sequence[tuple[str, int]],
    hits: Sequence[Hit],
    confident: bool,
    notice: str,
    kind: str,
    score: float,
    continued: frozenset[int] = frozenset(),
) -> Answer:
    """The answer of `picked` (sentence, hit index), citations numbered in order of first use;
    sentences of task-table rows read as the row ("任务：…；牵头单位：…") in answers made of
    sentences (field, place and comparison answers already label their pieces)."""
    if kind in ("extractive", "list"):
        rows = [h for h in dict.fromkeys(h for _, h in picked) if h >= 0 and is_task_row(hits[h])]
        picked = compose.row_lines(picked, hits, rows)
        # "13、提升公共法律服务质效，…": the document's own number of a measure is no part of
        # the sentence told (a list's own "1. " numbering is kept).
        picked = [(_DOCUMENT_NUMBER.sub("", s, count=1), h) for s, h in picked]
    numbers, citations, cards = number_citations([h for _, h in picked if h >= 0], hits)
    sentences = tuple((s, numbers.get(h, 0)) for s, h in picked)
    text = _quote_text(sentences) if kind == "span" else "".join(_piece(s, n) for s, n in sentences)
    return Answer(
        text=text,
        sentences=sentences,
        citations=citations,
        hits=cards,
        confident=confident,
        notice=notice,
        kind=kind,
        score=score,
        continued=continued,
    )


_CITED = re.compile(r"\[(\d+)\]")


def without_citation_marks(text: str) -> str:
    """An answer's text without its citation marks ("十二条[1]。" → "十二条。")."""
    return _CITED.sub("", text)


_GEN_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]|\n|$)(?:\s*\[\d+\])*")


def _near_best(
    order: Sequence[int], scores: np.ndarray, limit: int, holds: Callable[[int], bool]
) -> int | None:
    """The first of the best `limit` candidates (`order`) within FIGURE_MARGIN of the best
    that `holds` what a figure answer needs, else None."""
    floor = float(scores[order[0]]) - compose.FIGURE_MARGIN
    return next((i for i in order[:limit] if float(scores[i]) >= floor and holds(i)), None)


def _figure_preferences(question: str, figure: re.Pattern[str]) -> list[Callable[[str], bool]]:
    """What a figure answer's first sentence should hold beyond `figure`, in the order they
    are applied (the last applied opens the answer): the thing measured named with its
    figure ("2023年营业收入到了多少" → "…营业收入分别达到…2277万元"), the bound asked ("一般至少要多少天" →
    "耗时至少半年（180天）", not "全流程耗时49天"), the act asked counted ("一共会诊了多少个" →
    "共会诊法律问题2500余个", not 商会83个), the total to date when that is asked
    ("搞到现在，一共…多少" → "截至目前，累计…"), then the year it counts up to ("到2024年底有多少
    个…" → "截至2024年12月，全市共有153个…", not "目前，全市共有610个…")."""
    act = compose.counted_act(question)
    bound = compose.asked_bound(question)
    year = compose.asked_until(question)
    noun = compose.measured_noun(question)
    out: list[Callable[[str], bool]] = []
    if noun:
        out.append(lambda text: compose.counts_act(text, noun, figure))
    if bound:
        out.append(lambda text: compose.states_bound(text, bound, figure))
    if act:
        out.append(lambda text: compose.counts_act(text, act, figure))
    if compose.asks_to_date(question):
        out.append(lambda text: compose.counts_to_date(text, figure))
    if year:
        out.append(lambda text: compose.counts_until(text, year, figure))
    return out


_NAMES_DEADLINE = re.compile(r"时限|期限|截止|完成")


def _day_as_figure(part: str, part_q: Question) -> Question:
    """A part asking a day ("…是哪天发布的") read as a figure part whatever the recogniser
    says (it reads "发布的" as a 完成时限): told only by a sentence with a day
    (`compose.figure_pattern`). Not a part naming a task's deadline ("完成时限是哪天"): its
    field line tells it."""
    if compose.figure_pattern(part) is not compose.DAY or _NAMES_DEADLINE.search(part):
        return part_q
    return dataclasses.replace(part_q, kind="figure", types=frozenset({"figure"}), fields=())


def _figure_first(answer: Answer, question: str, figure: re.Pattern[str]) -> Answer:
    """A figure question's answer with the sentences holding what it prefers first
    (`_figure_preferences`; the order of its sentences otherwise kept): a later question
    "…办事环节压缩了多少" adds "…环节压缩80%以上…", not the answer's first sentence "已为90余家
    企业提供…" (told already, it fills the part's room). Any sentence holding a figure of the
    kind asked comes before those holding none: "成都…是哪天发布的，一共提出了多少项工作举措" adds
    "…制定23个方面215项工作举措", which the part's first sentence (told already, "…十大举措")
    crowded out of the part's room."""
    order = list(range(len(answer.sentences)))
    for prefers in _figure_preferences(question, figure):
        order.sort(key=lambda k: not prefers(answer.sentences[k][0]))  # the last applied leads
    order.sort(key=lambda k: not compose.holds_figure(answer.sentences[k][0], figure))
    return dataclasses.replace(answer, sentences=tuple(answer.sentences[k] for k in order))


def _to_date_near(
    question: str, candidates: Sequence[Candidate], scores: np.ndarray, order: Sequence[int]
) -> int | None:
    """The best sentence near the best that counts to date the figure asked, or None."""
    figure = compose.figure_pattern(question)
    return _near_one_that(
        lambda text: compose.counts_to_date(text, figure), candidates, scores, order
    )


def _near_one_that(
    holds: Callable[[str], bool],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    order: Sequence[int],
) -> int | None:
    """The best candidate within FIGURE_MARGIN of the best whose text `holds`, or None."""
    return _near_best(order, scores, MAX_ANSWER_SENTENCES * 3, lambda i: holds(candidates[i].text))


def _opened_with_one_that(
    holds: Callable[[str], bool],
    picked: list[tuple[str, int]],
    heads: int,
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    order: Sequence[int],
) -> list[tuple[str, int]]:
    """`picked` as it is when one of its sentences (after the `heads` pieces) `holds`, else
    opened with the best near candidate that does (`_near_one_that`), when there is one."""
    if any(holds(text) for text, _ in picked[heads:]):
        return picked
    found = _near_one_that(holds, candidates, scores, order)
    if found is None:
        return picked
    first = candidates[found]
    own = [p for p in picked[heads:] if p[0] != first.text]
    return [*picked[:heads], (first.text, first.hit), *own]


def generated_answer(generated: Generated, hits: Sequence[Hit], notice: str = "") -> Answer:
    """An `Answer` of kind "generated": the model's [n] (the n-th hit it was given) renumbered
    1..N in order of use, like the extractive answers."""
    hits = tuple(hits)
    numbers, citations, cards = number_citations([n - 1 for n in generated.cited], hits)
    text = _CITED.sub(lambda m: f"[{numbers[int(m.group(1)) - 1]}]", generated.text)
    return Answer(
        text=text,
        sentences=tuple(generated_sentences(text)),
        citations=citations,
        hits=cards,
        confident=True,
        notice=notice,
        kind="generated",
        score=0.0,
    )


def generated_sentences(text: str) -> list[tuple[str, int]]:
    """(sentence without markers, its first cited number or 0) for a generated text."""
    out = []
    for m in _GEN_SENTENCE.finditer(text):
        piece = m.group().strip()
        if not piece:
            continue
        numbers = [int(n) for n in _CITED.findall(piece)]
        plain = without_citation_marks(piece).strip()
        if plain:
            out.append((plain, numbers[0] if numbers else 0))
    return out


def no_answer(hits: Sequence[Hit] = (), notice: str = NOTICE_NO_HITS) -> Answer:
    return Answer("", (), (), tuple(hits), False, notice, "none", 0.0)


SENTENCE_MARGIN = 0.1  # further sentences must score within this of the best one
MAX_ANSWER_SENTENCES = 3
# Hits a comparison reads for a place its hits lack: "百色税务纳税服务" finds four other
# places' 纳税服务 measures before the 百色 tax case (5th).
PLACE_SEARCH_K = 8
PROVINCE_SEARCH_TIMES = 4  # a province set against its city: its own units, further down
METHOD_SENTENCES = 4  # "怎样做的" is answered by the steps, not one fact
METHOD_MARGIN = 0.15
OUTLINE_HITS = 5  # the units whose own structure may tell a method
FIELD_MARGIN = 0.03  # a unit's field is used when its best sentence is this close to the best
MAX_FIELDS = 2


def _field_value(hit: Hit, intent: str) -> str:
    unit = hit.unit
    return compose.field_value(unit, INTENT_FIELDS[intent]) if intent in INTENT_FIELDS else ""


def compose_answer(
    question: str,
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: Sequence[float] | np.ndarray,
    *,
    threshold: float = CONFIDENCE_THRESHOLD,
    intent: str | None = None,
    max_sentences: int = MAX_ANSWER_SENTENCES,
    margin: float = SENTENCE_MARGIN,
    missing: Sequence[str] | None = None,
    lead: int | None = None,
    tail: Sequence[tuple[str, int]] = (),
    head: Sequence[tuple[str, int]] = (),
    after: Sequence[tuple[str, int]] = (),
    narrate: bool = False,
) -> Answer:
    """Pick the answer from scored candidate sentences; `lead` (a candidate index, see
    `compose.lead_sentence`) is put before them when given, the `head` pieces (text, hit
    index) before everything, and the `tail` pieces, then the `after` pieces, after them in a
    confident answer. `narrate`: the lead, the sentences picked and the tail are told in
    their documents' order (`compose.in_source_order`), the head and `after` stay in place.

    Field intents (牵头单位 / 配合单位 / 完成时限) answer with the field of the units the best
    sentences come from ("牵头单位：…[n]。", see `_field_answer`) followed by the best sentence. Otherwise the
    best sentence, plus up to `max_sentences`-1 more scoring within `margin` of it. When the
    best score is below `threshold`, or the question names a place that the best sources never
    mention, the answer is not confident: the notice says so and only the best sentence is
    shown, as the closest match.
    """
    hits = tuple(hits)
    if not hits:
        return no_answer()
    if not candidates:
        return no_answer(hits, NOTICE_UNSURE)
    scores = np.asarray(scores, dtype=np.float32)
    if intent is None:
        intent = detect_intent(question)
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    if intent not in INTENT_FIELDS:
        # A task's field column ("配合单位：…〕") answers only the field it names.
        order = [i for i in order if not compose.is_field_line(candidates[i].text)] or order
    best = float(scores[order[0]])
    confident = best >= threshold
    notice = NOTICE_UNSURE
    # Checked whatever the score: telling the user the place is absent is the useful notice.
    if missing is None:  # no whole-index check available: the best sources decide
        top_hits = dict.fromkeys(candidates[i].hit for i in order[: max(1, max_sentences)])
        missing = missing_places(question, [hit_evidence(hits[h]) for h in top_hits])
    if missing:
        confident = False
        notice = NOTICE_NO_PLACE.format(places="、".join(missing))

    if confident and intent in INTENT_FIELDS:
        field = _field_answer(hits, candidates, scores, order, intent)
        if field is not None:
            return field

    first = [] if lead is None or lead == order[0] else [lead]
    if first and any(_norm(candidates[lead].text) in _norm(text) for text, _ in head):
        first = []  # the case's title line, named already ("案例：<title>")

    def near_figure(figure: re.Pattern[str]) -> int | None:
        """The candidate near the best that holds `figure` (`_near_best`), if any."""
        return _near_best(
            order, scores, max_sentences * 3, lambda i: bool(figure.search(candidates[i].text))
        )

    if not confident:
        told = order[0]
        # The sources shown open with one that holds the figure asked, when the question
        # says which kind of figure ("审批时间压到了多少": a span, not "座谈活动13家次").
        if intent == "figure" and compose.asks_figure_kind(question):
            held = near_figure(compose.figure_pattern(question))
            told = told if held is None else held
        if intent == "figure" and compose.asks_to_date(question):
            held = _to_date_near(question, candidates, scores, order)
            told = told if held is None else held
        return _assemble(
            [*head, *((candidates[i].text, candidates[i].hit) for i in [*first, told])],
            hits,
            False,
            notice,
            "extractive",
            best,
        )
    picked = [*head, *((candidates[i].text, candidates[i].hit) for i in first)]
    seen = [_norm(text) for text, _ in picked]
    for i in order:
        if (
            len(picked) >= max_sentences + len(first) + len(head)
            or float(scores[i]) < best - margin
        ):
            break
        key = _norm(candidates[i].text)
        if any(key in s or s in key for s in seen):
            continue
        seen.append(key)
        picked.append((candidates[i].text, candidates[i].hit))
    if intent == "figure":
        figure = compose.figure_pattern(question)
        if not compose.has_figure(picked, figure):
            # The figure asked ("多少项" → "215项") is often in a sentence just below the
            # headline ones that name the topic; without it the answer is not an answer.
            i = near_figure(figure)
            if i is None:
                return _assemble(picked, hits, False, NOTICE_UNSURE, "extractive", best)
            own = picked[len(head) :]
            picked = [*head, (candidates[i].text, candidates[i].hit), *own[: max_sentences - 1]]
        for holds in _figure_preferences(question, figure):
            picked = _opened_with_one_that(holds, picked, len(head), candidates, scores, order)
    tail = _unseen(tail, seen)
    body = [*picked[len(head) :], *tail]
    if narrate:
        body = compose.in_source_order(body, hits, first=len(first))
    after = _unseen(_headings_if_told(after, seen), seen)
    if after:  # the numbered practices below stand for their headings told above
        listed = {_bare(text) for text, _ in after}
        body = [(text, h) for text, h in body if _bare(text) not in listed]
    return _assemble([*head, *body, *after], hits, True, "", "extractive", best)


def _bare(text: str) -> str:
    """A sentence's words without its step number, normalised (`_norm`)."""
    return _norm(compose.STEP_NUMBER.sub("", text, count=1))


# "2. 建立信用分类分级监管制度：探索实施对气瓶…": an outline item, its heading and its detail.
_OUTLINE_ITEM = re.compile(r"^(?P<head>\d{1,2}\. [^：]+)：(?P<detail>.+)$")


def _headings_if_told(pieces: Sequence[tuple[str, int]], seen: list[str]) -> list[tuple[str, int]]:
    """Outline items whose detail the answer has told already (in `seen`) as their heading
    alone ("1. 制定全区燃气行业首个地方标准"): the numbered practices still sum the case up,
    without repeating the sentence above them."""
    out = []
    for text, h in pieces:
        m = _OUTLINE_ITEM.match(text)
        told = m and any(_norm(m.group("detail")) in s for s in seen)
        out.append((m.group("head"), h) if told else (text, h))
    return out


def _unseen(pieces: Sequence[tuple[str, int]], seen: list[str]) -> list[tuple[str, int]]:
    """The pieces whose sentence is not told already (in `seen`, normalised texts, which
    grows with each piece kept): a detail, a further step and an outline item may be one."""
    out = []
    for text, h in pieces:
        key = _norm(text)
        if not any(key in s for s in seen):
            seen.append(key)
            out.append((text, h))
    return out


# Intent (sentence bonus and field lines of `compose_answer`) of the first field asked.
_FIELD_INTENTS = {"牵头单位": "lead", "配合单位": "coop", "完成时限": "deadline"}


def question_intent(q: Question) -> str:
    """The `detect_intent` name for a recognised question ("" when it asks none of them)."""
    if "figure" in q.types and not q.fields:
        return "figure"
    return next((_FIELD_INTENTS[f] for f in q.fields if f in _FIELD_INTENTS), "")


# The question words that say what is asked: a unit's field (who, which unit or indicator,
# when), several items (哪些 / 哪几 / 哪三…) or how (怎么 / 如何 / 用什么办法).
_ASKS_FIELD = re.compile(
    r"谁|单位|部门|机构|牵头|配合|负责|报送|上来|指标|时限|什么时候|何时|哪天|哪一?年|多久"
    r"|期限|截止|完成|办完|日期|日子|哪个厅|哪个局|哪家|哪里|哪儿"
)
# The field words that ask (not 单位/部门/机构 alone, which also name who acts).
_QUESTIONS_FIELD = re.compile(
    r"谁|哪(?:个|些|家|里|儿|天|一?年)|什么(?:单位|部门|机构|时候|时间)|牵头|配合|负责|报送"
    r"|指标|时限|何时|多久|期限|截止|完成|办完|日期|日子"
)
_ASKS_ITEMS = re.compile(r"哪些|哪几|哪[两二三四五六七八九十]")
# "…市里打算靠什么来统筹调度": by what means is a how question too.
# "准备用什么服务模式": the way asked may carry a word of what it does.
_ASKS_HOW = re.compile(
    r"怎么|怎样|如何|靠什么|凭什么|靠啥|什么[\u4e00-\u9fff]{0,2}?(?:办法|方法|模式|招|手段|途径"
    r"|班子|小组|专班)"  # "搭了个什么班子来统一调度": the body set up is the way it is done
)
# "A和B都建了什么机制 / 都是怎么…": what each of the places named does.
_ASKS_BOTH = re.compile(r"都[^，,。？?]{0,4}(?:什么|啥|怎么|怎样|如何)")
# "Is there anywhere that…": asks for an example, not which place.
_ASKS_ANY_PLACE = re.compile(r"有没有(?:哪里|哪儿|哪个地方|哪些地方|什么地方|一个地方|地方)")
# Words for a unit's own field other than its indicator (who leads, cooperates, by when).
_NAMES_UNIT_FIELD = re.compile(r"谁|单位|部门|牵头|配合|负责|时限|什么时候|何时|完成|截止")


def asking_part(text: str) -> str:
    """The clauses of a question that ask something (`asks_in`), joined; the whole question
    when it is one clause or none of its clauses asks."""
    parts = clauses(text)
    asking = [c for c in parts if asks_in(c)]
    return "，".join(asking) if len(parts) > 1 and asking else text


def reconcile(q: Question, lexical: str, task_places: frozenset[str] | None = None) -> Question:
    """The recognised question checked against the words that say how much or when
    (`detect_intent`), which level of place ("哪个市", `compose.asked_level`), and whether
    items, a way of doing or a unit's field are asked (`words_kind`): the classifier, trained
    on a few hundred examples, takes some "多少项 / 几天内 / 什么时候" questions for lists,
    places or several fields, some which-city questions for lists, and some "有哪些措施" /
    "怎么做的" questions for each other or for fields. `task_places`: the regions of the
    documents whose task rows have fields (`index_task_places`); None when not known."""
    q = one_way_asked(words_kind(worded_fields(named_fields(q)), lexical), lexical)
    # "桂林和全区…各有什么举措或目标": a figure read by the model with no word that asks how
    # much (多少/几…) is each place's practice when the places are asked each.
    unworded_figure = q.kind == "figure" and lexical != "figure"
    # "全区和洮南分别要求多长时间内办完给答复": a field read with no word that names it (配合单位
    # here) is no field asked of places asked each.
    unworded_field = bool(q.fields) and not any(
        _FIELD_ASKED[f].search(q.text) for f in q.fields if f in _FIELD_ASKED
    )
    # "桂林工商联和洮南各给自己定了什么时限": a task row's field (牵头单位、配合单位、完成时限)
    # asked of places no document of task rows covers is each place's own practice: the
    # cases name no such field to answer from.
    rowless = (
        task_places is not None
        and bool(q.fields and q.places)
        and all(f in _TASK_FIELDS for f in q.fields)
        and not any(_mentioned(p, region) for p in q.places for region in task_places)
    )
    fieldless = unworded_field or rowless  # the fields read are none to answer from
    comparable = ("list", "method", "comparison", "place")
    # "海珠、万州和驻马店各压到了什么程度": a figure asked of each place is each place's own.
    readings = q.kind in (*comparable, "figure") or fieldless
    if len(q.places) >= 2 and readings and (not q.fields or fieldless):
        apart = comparison_answer.places_apart(q.text, q.places) >= 2
        # A how question's figure word names what is done, not a figure asked ("玉林和江西按
        # 信用风险分类定抽查比例，这两地各是怎么搞的": each place's way of setting it).
        asks = _ASKS_HOW.search(q.text) or _ASKS_PRACTICE.search(q.text)
        how = bool(asks) and not _ASKS_ITEMS.search(q.text)
        # "崇左和杭州税务怎么通过视频远程辅导办税？": how two places named apart do one thing
        # is each place's own practice, as much as with 各/分别.
        # "来宾和成都谁的办法更成体系": which of two named places, asked of their practices,
        # is answered by each place's practice (the reader judges), not by one place.
        # "摸清企业缺多少工，钦州和广西全区的办法有什么区别": the model's comparison of the
        # places' practices stands; 多少 tells what the practices find out.
        # "北辰和钦州都建了什么机制": what both did (都…什么) is asked of each.
        if apart and (
            comparison_answer.asks_each(q.text)
            or (how and q.kind in ("method", "place", "comparison"))
            or (_ASKS_BOTH.search(q.text) and q.kind in ("list", "method", "place"))
        ):
            # "崇左、百色和杭州的税务部门…分别有什么新招": each place's own practice, compared;
            # "东丽…和武昌…哪个是…？两边各怎么服务企业": which one, and how each does it;
            # "玉林和贺州…分别把对象分成几档": each place's own figure.
            counts = lexical == "figure" and not how
            types = frozenset({"comparison", "figure"} if counts else {"comparison"})
            return dataclasses.replace(q, kind="comparison", fields=(), types=types)
    # "…有多少人次？这个案例是哪个单位报上来的？": a figure and a field, each asked in a
    # clause of its own, are both asked whichever field it is, and whatever kind the model
    # read ("…一共分几个模块？这个案例是哪个单位报的？", read as a field alone).
    two_part = (q.kind == "multi" and any(f in q.fields for f in ("牵头单位", "配合单位"))) or (
        bool(q.fields) and asks_figure_and_field(q.text)
    )
    asked_field = INTENT_FIELDS.get(lexical)
    if q.kind == "figure" and not q.fields and asked_field and asks_figure_and_field(q.text):
        # "…研发投入不能低于营收的百分之几？这条在全区是哪几家牵头？": the model read the
        # figure only; the other clause asks the field with a question word of its own.
        types = q.types | {"figure", "field"}
        return dataclasses.replace(q, kind="multi", fields=(asked_field,), types=types)
    # "哪个城市…搞了…按不同比例缴存的政策": a figure's noun alone tells what was done, the place
    # is asked (fresh64 zt28); "哪个市…多少" asks the figure.
    place_figure = q.kind == "place" and bool(_ASKS_AMOUNT.search(q.text))
    if (
        lexical == "figure"
        and (q.kind in ("list", "comparison") or place_figure or q.fields)
        and not two_part
    ):
        return dataclasses.replace(q, kind="figure", fields=(), types=frozenset({"figure"}))
    several = q.kind in ("method", "figure", "place") and not q.fields and lexical != "figure"
    # "织成了三张网，这三张网分别叫什么": what each of a counted few is called, a list too.
    counted_each = bool(_NAMES_COUNTED_EACH.search(q.text))
    if ("哪几" in q.text or counted_each) and several and not _ASKS_UNITS.search(q.text):
        # "涉及哪几方主体 / 分成了哪几类 / 在哪几个市试点": the items are asked, not a method,
        # a count or one place.
        return dataclasses.replace(q, kind="list", types=frozenset({"list"}))
    listed = q.kind in ("list", "method")
    if compose.asked_level(q.text) and q.kind == "field" and unworded_field and not q.places:
        # "各市…年度增长任务里，哪个市的指标定得最高？": a city asked, and no word asks the
        # field the examples read (指标 here is the target, not the indicator).
        return dataclasses.replace(q, kind="place", fields=(), types=frozenset({"place"}))
    # "哪个市税务局牵头的纳税指标连续三年排全区前四" / "杭州哪个区的税务部门搞了个…": the
    # unit words say whose work it is at the level asked; the place is asked, and no word asks
    # who (谁 / 哪个部门).
    if q.fields == ("牵头单位",) and q.kind == "field" and places_a_unit(q.text):
        return dataclasses.replace(q, kind="place", fields=(), types=frozenset({"place"}))
    if compose.asked_level(q.text) and (listed or unworded_figure) and not q.fields:
        # "广西哪个市率先推行…的模式": a place of a named level is asked, not the measures;
        # "哪个市的经营主体总量排在全区第二": nor a figure, when no word asks how much.
        return dataclasses.replace(q, kind="place", types=frozenset({"place"}))
    if _ASKS_SOME_PLACES.search(q.text) and not q.places and q.kind in ("list", "method"):
        # "哪些地方在推行个体工商户信用分类管理？": the places doing it are asked, not one
        # place's measures.
        return dataclasses.replace(q, kind="place", fields=(), types=frozenset({"place"}))
    if q.kind == "place" and not _ASKS_PLACE.search(q.text):
        # "公共文化云平台由谁来建、归哪个部门管": no word asks where (哪个市/哪里/在哪…;
        # every which-place question of the labelled sets has one), so the fields the
        # classifier read are asked, or its next reading.
        return _without_kind(q, "place")
    if q.kind == "list" and q.fields and asks_items_and_field(q.text):
        # "全区支持哪几个市去冲国家级营商环境创新试点？这项由谁牵头？": two questions, the
        # task's own sentence and its lead unit (the tasks of a group asked with their fields
        # are `compose.compose_task_fields`').
        return dataclasses.replace(q, kind="multi", types=q.types | {"field"})
    if q.kind in ("field", "list") and q.fields and asks_figure_and_field(q.text):
        # "钦州城市污水的集中收集率目标定在多少？要在什么时候前完成？": the figure and the field,
        # each in a clause of its own, are both asked; so with "新增几家上市公司？…由哪个部门
        # 牵头？", whose 几家 (no 哪) the model reads as items.
        return dataclasses.replace(q, kind="multi", types=q.types | {"figure", "field"})
    if q.kind in ("list", "method") and q.fields and _ASKS_UNITS.search(q.text):
        # "那条措施，由哪些部门牵头 / 配合单位有哪些": the units of one field are asked, not a
        # list of items nor a way of doing.
        return _field_of_words(_without_kind(q, q.kind), lexical)
    field = INTENT_FIELDS.get(lexical)
    if (worded := _field_of_words(q, lexical)) is not q:
        return worded
    asks_how = bool(_ASKS_HOW.search(q.text))
    if (
        field
        and q.kind in ("list", "place", "comparison", "method")
        and not q.fields
        and not asks_how
        and not says_whose_work_only(q.text)
    ):
        # "…是哪些部门牵头？" asks the 牵头单位 (a field), not a list of measures, nor (without
        # 怎么/如何) a way of doing ("…审判改革由谁牵头？").
        return dataclasses.replace(q, kind="field", fields=(field,), types=frozenset({"field"}))
    return q


def _field_of_words(q: Question, lexical: str) -> Question:
    """`q` asking the field its words name (`lexical`, read from the clauses that ask) in
    place of the one field the classifier read: "…这项任务要哪些部门配合？" names its field,
    not the nearest examples (which took it for 牵头单位); in "…，检察院牵头，配合它的是哪个
    单位？" 牵头 sets the scene, 配合单位 is asked. So with a two-part question whose one field
    has no word of its own ("…多少场以上？钦州这条措施配合的群团组织有哪几家？" read as
    牵头单位). `q` itself otherwise."""
    field = INTENT_FIELDS.get(lexical)
    if not field or len(q.fields) != 1 or field in q.fields:
        return q
    swaps = q.kind == "field" or (q.kind == "multi" and not field_worded(q.fields[0], q.text))
    if swaps and detect_intent(asking_part(q.text)) == lexical:
        return dataclasses.replace(q, fields=(field,))
    return q


# "这三张网分别叫什么 / 这四个动作各是什么": each of a counted few named.
_NAMES_COUNTED_EACH = re.compile(
    r"[二三四五六七八九十两]+[个张项条类种大块件招步][\u4e00-\u9fff]{0,6}?(?:分别|各自?)"
    r"(?:叫|是|指|称为|为)?(?:什么|啥|哪些|哪几)"
)


# "…的那个案例，归在营商环境哪个指标？": which indicator is asked, however the rest reads.
_ASKS_INDICATOR = re.compile(r"(?:哪个|哪一个|哪项|哪一项|哪类|什么)(?:营商环境)?指标")
# "牵头和配合的各是谁", "报送和牵头单位": two fields named side by side are both asked.
_FIELD_WORDS = {"牵头": "牵头单位", "配合": "配合单位", "报送": "报送单位"}
# The words that ask by when it is done ("啥时候前要落实 / 什么时候完成"); not how long ("多久
# 办完" asks a figure), nor "政策要延续到什么时候" (the policy's own term, which the task's
# sentence tells).
_ASKS_WHEN = re.compile(
    r"(?:什么时候|啥时候|什么时间|啥时间|何时|哪天|哪一天)(?:之?前|以前|[要能得]?(?:完成|落实|办完|到位))"
)
_JOINED_FIELDS = re.compile(r"(牵头|配合|报送)(?:单位|部门)?(?:和|、|及|与|跟)(牵头|配合|报送)")


# The words that ask where: a place of some level (哪个市/哪个片区), somewhere (哪里/在哪), or
# whether any place did it ("有没有城市把…热线整合成一条").
_ASKS_PLACE = re.compile(
    # not "哪个地方标准 / 地方性法规": a local standard or rule is a thing asked, not a place
    r"哪(?:个|座|一个|些)?(?:市|区|县|城市|省|片区|州|地(?!方标准|方性)|里|儿)|在哪"
    r"|有没有(?:哪个|一个)?(?:城市|地方|地市|省份?|市|区|县)"
)


# A place's name of a level (南宁市, 龙里县, 武昌区), not the level itself (全市, 各区, 本县).
_LEVEL_NAME = "(?<![全各本该我两三四五六七八九十])[\u4e00-\u9fff]{2,6}?"


def names_place_of_level(question: str, texts: Sequence[str]) -> bool:
    """Whether one of `texts` names a place of the level the question asks for (哪个市 → …市;
    any of 市/县/区 when no level is asked) that the question does not name itself."""
    endings = compose.asked_level(question) or ("市", "县", "区")
    pattern = re.compile(f"{_LEVEL_NAME}(?:{'|'.join(map(re.escape, endings))})")
    return any(m.group() not in question for text in texts for m in pattern.finditer(text))


def tells_extreme_place(q: Question, texts: Sequence[str]) -> bool:
    """False when the question asks which place's figure is the highest or the lowest and
    `texts`, an answer not read off a run of each place's figure, name no place of the level
    asked ("各市跨境电商企业数量的目标里，哪个市定得最高" answered by 海外仓2家): the place asked
    is not told. True otherwise."""
    return not asks_extreme_place(q) or names_place_of_level(q.text, texts)


def asks_extreme_place(q: Question) -> bool:
    """Whether the question asks which place's figure is the highest or the lowest
    ("各市…的目标里，哪个市定得最高？"): a word asking where, one asking for the extreme and
    no field."""
    return (
        q.kind in ("place", "figure", "list")
        and not q.fields
        and bool(_ASKS_PLACE.search(q.text))
        and bool(place_figures.asked_extreme(q.text))
    )


# The words that ask a unit's field outright (who, which body, by when, which indicator).
# "…拿谁做参照 / 向谁看齐": who is the benchmark, not who leads.
_WHO_LEADS = r"(?<!拿)(?<!以)(?<!向)(?<!对标)(?<!参照)(?<!比照)谁"
# "哪个市税务局 / 哪个区的税务部门": a unit named by the place of the level asked.
_PLACE_OF_UNIT = re.compile(r"哪(?:个|一个)?(?:市|区|县)的?[\u4e00-\u9fff]{0,4}?(?:局|部门|厅|委)")
_ASKS_WHO_UNIT = re.compile(
    rf"{_WHO_LEADS}|哪(?:个|家|些)(?:部门|单位|机构|厅|局)|什么(?:部门|单位|机构)"
)


def places_a_unit(question: str) -> bool:
    """Whether a question asks the place of a unit (哪个市税务局, 哪个区的税务部门) and not who
    did something (谁, 哪个部门)."""
    return bool(_PLACE_OF_UNIT.search(question)) and not _ASKS_WHO_UNIT.search(question)


_ASKS_UNIT_FIELD = re.compile(
    rf"{_WHO_LEADS}|牵头|配合|负责|报送|上来|指标|时限|什么时候|何时|哪天|哪一?年|多久|期限"
    r"|截止|办完|日期|哪个(?:厅|局|部门|单位|机构)|哪家|什么(?:单位|部门|机构)"
)
# "哪些地方在推行…": places doing something; not "好在哪些地方？" (which aspects).
_ASKS_SOME_PLACES = re.compile(r"哪些(?:地方|地区)(?=[在已也还都率开推实搞做试建出有把将对])")
# "由哪些部门牵头 / 要哪些单位配合 / 还要哪几个市直部门配合 / 拉了哪几个群团组织一起配合 /
# 配合单位有哪些": the several units of one field.
_ASKS_UNITS = re.compile(
    r"哪(?:些|几个|几家|几类)(?:市直|区直|相关|群团)?(?:部门|单位|机构|组织)"
    r"|(?:牵头|配合|责任|报送)(?:单位|部门)(?:都|还|主要)?(?:有|是|包括)哪"
    r"|哪(?:些|几家|几个)(?=来?(?:牵头|配合|负责))"  # "这条是哪几家牵头"
    # "配合的群团组织有哪几家": the units named first, then asked
    r"|(?:部门|单位|机构|组织)(?:都|还|主要)?(?:有|是|包括)哪(?:些|几家|几个)(?=$|[？?呢，,。])"
)


_QUESTION_WORD = re.compile(r"谁|哪|什么|何时|多久|几时")


def _question_clauses(question: str) -> list[str]:
    """The clauses of a question, split at its question marks, commas and full stops."""
    return [c for c in re.split(r"[？?，,；;。]", question) if c]


# "自治区工信厅牵头的…": a field's verb that describes the thing, whose work it is.
_WHOSE_WORK = re.compile(r"(?:牵头|负责|主责|配合|报送)的")


def says_whose_work_only(question: str) -> bool:
    """Whether a field's word only says whose work the thing is ("自治区工信厅牵头的实体经济
    调研服务，具体是哪八个方面的调研？": the eight aspects are asked, not the lead unit): a
    clause says it attributively (…牵头的) with no question word, and no clause asks a field
    with a question word of its own ("…由谁牵头")."""
    clauses = _question_clauses(question)
    whose = any(_WHOSE_WORK.search(c) and not _QUESTION_WORD.search(c) for c in clauses)
    asked = any(_ASKS_UNIT_FIELD.search(c) and _QUESTION_WORD.search(c) for c in clauses)
    return whose and not asked


def asks_items_and_field(question: str) -> bool:
    """Whether one clause asks for items and another for a unit's field ("…哪几个市…？这项由
    谁牵头？"), not the tasks of a group ("有哪些任务，由哪个部门牵头")."""
    return not compose.ASKS_TASKS.search(question) and _asks_apart(question, _ASKS_ITEMS)


def asks_figure_and_field(question: str) -> bool:
    """Whether one clause asks how much (多少/几…) and another, with a question word of its
    own, a unit's field ("…目标定在多少？要在什么时候前完成？")."""
    return _asks_apart(question, _ASKS_FIGURE)


def _asks_apart(question: str, other: re.Pattern[str]) -> bool:
    """Whether one clause asks what `other` matches (items, a figure) and no field, and
    another a unit's field with a question word of its own and not what `other` matches."""
    clauses = _question_clauses(question)
    asked = any(other.search(c) and not _ASKS_UNIT_FIELD.search(c) for c in clauses)
    # "工信厅牵头的…，分成哪八大类": a field word that asks nothing (no 谁/哪/什么/何时) only
    # says whose work it is.
    # "配合…的有哪些单位": its 哪些 asks the units of the field, not other items.
    field = any(
        _ASKS_UNIT_FIELD.search(c)
        and _QUESTION_WORD.search(c)
        and (not other.search(c) or _ASKS_UNITS.search(c))
        for c in clauses
    )
    return asked and field


# The words that ask for each field. A field the classifier reads into a question with none
# of its words ("…什么时候要办完？" read as 牵头单位、完成时限、报送单位) is not asked: the
# answer then shows it unasked, and lacking it makes a right answer unsure.
_FIELD_ASKED = {
    "牵头单位": re.compile(
        rf"{_WHO_LEADS}|牵头|负责|抓|管|主责|哪个(?:部门|厅|局|机构)|哪些(?:部门|机构)"
        r"|什么(?:部门|机构)|哪家|责任单位"
    ),
    "配合单位": re.compile(r"配合|协助|协同|参与"),
    "完成时限": re.compile(
        r"什么时候|啥时候|什么时间|何时|时限|期限|截止|截至|办完|完成|弄好|哪天|哪一?年|多久"
        r"|几月|哪个月|日期|日子|时间节点"
    ),
    "报送单位": re.compile(r"报送|报上来|报的|上报|推荐"),
    # "算哪个营商环境指标 / 属于什么指标": the unit's indicator; "哪个市的指标定得最高" asks a
    # target's value, not the indicator.
    "指标": re.compile(r"(?:哪个|哪一个|哪项|哪一?类|什么)(?:营商环境)?指标"),
}
# "哪个单位 / 哪些单位" asks who leads, unless it asks who reported or cooperates.
_WHICH_UNIT = re.compile(r"(?:哪个|哪些|什么)单位")


_ASKS_FIGURE = dict(INTENT_PATTERNS)["figure"]


def worded_fields(q: Question) -> Question:
    """The fields of a field or multi question less those none of its words ask for (when
    at least one is asked in words), and no figure without a word that asks one:
    "…什么时候要办完？" asks 完成时限 alone, "…这事由谁来抓？" 牵头单位 alone, "一照多址、一市
    一照的改革归哪个部门管？" no figure."""
    if q.kind not in ("field", "multi") or not q.fields:
        return q
    text = q.text
    fields = tuple(f for f in q.fields if field_worded(f, text)) or q.fields
    types = q.types if _ASKS_FIGURE.search(text) else q.types - {"figure"}
    if fields == q.fields and types == q.types:
        return q
    kind = "multi" if len(fields) >= 2 or types - {"field", "multi"} else "field"
    return dataclasses.replace(q, kind=kind, fields=fields, types=types | {"field"})


_UNIT_FIELDS = frozenset({"牵头单位", "配合单位", "报送单位"})


def field_worded(field: str, text: str) -> bool:
    """Whether a question's words ask `field` (`_FIELD_ASKED`; "哪个单位" asks who leads
    unless 报送/配合 is said)."""
    if field in _FIELD_ASKED and _FIELD_ASKED[field].search(text):
        return True
    if field != "牵头单位" or not _WHICH_UNIT.search(text):
        return False
    return not (_FIELD_ASKED["报送单位"].search(text) or _FIELD_ASKED["配合单位"].search(text))


def _without_kind(q: Question, kind: str) -> Question:
    """The question read without `kind`: as asking its fields when it has any (two or more:
    multi), else as the classifier's next kind."""
    if q.fields:
        new = "multi" if len(q.fields) >= 2 else "field"
        return dataclasses.replace(q, kind=new, types=frozenset({new}))
    # With no fields read, the next kind is no field either.
    rest = [k for k, _ in q.scores if k not in (kind, "field", "multi")]
    return dataclasses.replace(q, kind=rest[0], types=frozenset({rest[0]})) if rest else q


def named_fields(q: Question) -> Question:
    """The fields a question's words name outright: an indicator asked (`_ASKS_INDICATOR`), or
    two fields named side by side (`_JOINED_FIELDS`), which the classifier's margin may miss
    ("牵头和配合的各是谁" read as 牵头单位 alone); and no indicator unless the question says
    指标 (the classifier reads one into 营商环境)."""
    asks_indicator = bool(_ASKS_INDICATOR.search(q.text)) and q.kind != "comparison"
    # "算在哪个营商环境指标下面" names no other field: the indicator alone is asked.
    with_unit = bool(_NAMES_UNIT_FIELD.search(q.text)) or "报送" in q.text
    if asks_indicator and (q.kind not in ("field", "multi") or not with_unit):
        return dataclasses.replace(q, kind="field", fields=("指标",), types=frozenset({"field"}))
    if "指标" in q.fields and len(q.fields) >= 2 and "指标" not in q.text:
        # "营商环境按季度做监测…由谁来抓": 营商环境 read as an indicator, none asked.
        fields = tuple(f for f in q.fields if f != "指标")
        kind = "multi" if len(fields) >= 2 or "figure" in q.types else "field"
        q = dataclasses.replace(q, kind=kind, fields=fields, types=q.types | {"field"})
    reads_fields = q.kind in ("field", "multi") and bool(q.fields)
    if reads_fields and "完成时限" not in q.fields and _ASKS_WHEN.search(q.text):
        # "这事谁来牵头、啥时候前要落实": a field question that asks when asks the deadline,
        # whichever unit the classifier read into 落实.
        fields = tuple(f for f in FIELDS if f in {*q.fields, "完成时限"})
        q = dataclasses.replace(q, kind="multi", fields=fields, types=q.types | {"field"})
    joined = _JOINED_FIELDS.search(q.text)
    if not joined or q.kind not in ("field", "multi"):
        return q
    named = {*q.fields, *(_FIELD_WORDS[w] for w in joined.groups())}
    fields = tuple(f for f in FIELDS if f in named)  # in the order answers tell them
    kind = "multi" if len(fields) >= 2 else q.kind
    return dataclasses.replace(q, kind=kind, fields=fields, types=q.types | {"field"})


# "是按什么来算的 / 依据什么定的": the basis of something is asked, a way of doing it.
_ASKS_BASIS = re.compile(r"(?:按|依|依据|根据|以|凭)(?:什么|啥)")
# "除了政采贷，…还推了什么": one thing set aside, what else asked.
_SETS_ASIDE = re.compile(r"除了[^，,。？?]{2,12}[，,]?.{0,24}还")


def words_kind(q: Question, lexical: str = "") -> Question:
    """The kind the question's own words settle when the classifier's reading contradicts
    them: fields need a word for a unit, an indicator or a time (or `lexical`, the field
    `detect_intent` reads: "哪几张牌" asks none, nor "是怎么解决多头检查的"); "有哪些便捷
    措施" asks items and "是怎么服务的" a way of doing,
    unless the question has words for both (a list of measures is then a good method answer
    too, and the classifier decides)."""
    items, how = bool(_ASKS_ITEMS.search(q.text)), bool(_ASKS_HOW.search(q.text))
    measures = compose.asks_measures(q.text)  # "采取了哪些做法": a method and a list at once
    if (
        q.kind in ("field", "multi")
        and compose.ASKS_TASKS.search(q.text)
        and not _NAMES_UNIT_FIELD.search(q.text)
    ):
        return dataclasses.replace(q, kind="list", fields=(), types=frozenset({"list"}))
    # "专班里都配了哪几类专门负责的人": the sorts are asked (负责 says what they do), not a
    # unit's field, when no word of a field asks (`lexical`) and no units are asked.
    sorts = compose.asks_sorts(q.text) and not _ASKS_UNITS.search(q.text)
    if q.kind in ("field", "multi") and sorts and lexical not in INTENT_FIELDS:
        return dataclasses.replace(q, kind="list", fields=(), types=frozenset({"list"}))
    # "政府部门欠中小企业的钱…要求怎么清": a how question whose unit word is no question word
    # (部门 of 政府部门) asks a way of doing, not a field.
    how_only = how and not items and not _QUESTIONS_FIELD.search(q.text)
    # "承建单位搞职工代表巡视，都检查哪些内容？": 单位 names who acts; 哪些 asks of 内容, not
    # of a unit, and no word asks who leads or by when.
    items_only = items and not _ASKS_UNIT_FIELD.search(q.text) and not _ASKS_UNITS.search(q.text)
    # "企业反映的问题…常牵扯好多部门，全区专门搭了个什么班子…": 部门 in a clause that asks
    # nothing sets the scene; a field word asks only in a clause that asks.
    asks_field = _ASKS_FIELD.search(asking_part(q.text)) and not items_only
    # "…到底是安排什么人全程跟着纳税人把事办完？" read as 牵头单位: a field word there (办完)
    # asks no field the classifier read, and none of the read fields has a word of its own.
    # A unit asked (谁 / 哪个部门) asks a unit's field, whichever the classifier read.
    unit_asked = bool(_ASKS_WHO_UNIT.search(q.text)) and bool(set(q.fields) & _UNIT_FIELDS)
    unworded = not unit_asked and not any(field_worded(f, q.text) for f in q.fields)
    if q.fields and lexical not in INTENT_FIELDS and (how_only or not asks_field or unworded):
        rest = [k for k, _ in q.scores if k not in ("field", "multi")]
        # Not a comparison when nothing is compared ("税务局有什么陪着办的服务").
        rest = [k for k in rest if k != "comparison" or may_compare(q.text, q.places)]
        # Nor a place when no word asks where (`_ASKS_PLACE`).
        rest = [k for k in rest if k != "place" or _ASKS_PLACE.search(q.text)]
        # Nor a figure when no word asks how much and the words ask how or on what basis
        # ("给担保机构补资本金是按什么来算的"); "捐款账户信息是什么" stays a figure (an account
        # number answers it: NCPQA).
        basis = how or bool(_ASKS_BASIS.search(q.text))
        rest = [k for k in rest if k != "figure" or lexical == "figure" or not basis]
        kind = "list" if items and not how else "method" if how and not items else None
        kind = kind or (rest[0] if rest else "")
        if kind:  # else nothing else was read: the fields stand
            return dataclasses.replace(q, kind=kind, fields=(), types=frozenset({kind}))
    if q.kind == "method" and items and not how and not measures:
        return dataclasses.replace(q, kind="list", types=frozenset({"list"}))
    if q.kind == "list" and not items and not measures and _SETS_ASIDE.search(q.text):
        # "除了政采贷，自治区财政厅…还推了什么？": what else was done besides the one thing set
        # aside, a practice, when no word asks for items (哪些/哪几).
        return dataclasses.replace(q, kind="method", types=frozenset({"method"}))
    if q.kind == "figure" and how and not items and lexical != "figure":
        # "个体户数量多，怎样按信用高低分类监管？": the classifier reads the figure's noun; the
        # words ask how and no figure (`detect_intent`).
        return dataclasses.replace(q, kind="method", types=frozenset({"method"}))
    if q.kind in ("list", "place") and how and "哪" not in q.text:
        # "洛阳怎么给新开办的企业免费刻章？" names the place and asks how, not which place.
        return dataclasses.replace(q, kind="method", types=frozenset({"method"}))
    # "有没有哪里把不动产登记和银行抵押放在一起办的，怎么做的？", "…要跑好几个单位，有没有一个
    # 地方全办的做法？": an example of a practice is asked, not which place nor how many (a
    # method answer names its case: `compose.case_named`).
    example = _ASKS_ANY_PLACE.search(q.text) and (how or "做法" in q.text)
    if q.kind != "method" and not items and example:
        return dataclasses.replace(q, kind="method", types=frozenset({"method"}))
    return q


def one_way_asked(q: Question, lexical: str = "") -> Question:
    """A list read where no word asks for several things (`_NAMES_ITEMS`) asks one way of
    doing: "按什么原则来划分由谁把关", "有没有专门全程代办的服务队", "打算从哪儿下手". Not when
    the words ask a figure or a field (`lexical`: "一共提出了多少项…" is a figure)."""
    if q.kind == "list" and not q.fields and not lexical and not _NAMES_ITEMS.search(q.text):
        return dataclasses.replace(q, kind="method", types=frozenset({"method"}))
    return q


# The words that ask for several things (哪些 / 哪几 / 几个 / 有什么 / 有何 / 哪三… / 都部署了啥 /
# 各指什么 / 包括… / 什么措施、什么要求…: NCPQA's "有何支持政策", "采取了什么措施"), or name them
# (“加减乘除”).
_NAMES_ITEMS = re.compile(
    r"哪些|哪几|几[个项类条种块方家大]|分别|有什么|有何|哪[两二三四五六七八九十\d]|啥|包括"
    r"|是什么|各[指是有]|“[^“”]+”|什么样"
    r"|什么(?:措施|举措|政策|要求|条件|安排|支持|保障|管理|便利|优惠|规定)"
)


def _method_answer(
    q: Question,
    hits: tuple[Hit, ...],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    intent: str,
    best: float,
    outlines: Mapping[str, compose.Outline] | None = None,
    first_part: np.ndarray | None = None,
    doc_regions: Mapping[str, str] | None = None,
) -> Answer:
    """How it was done, told from one case (`compose.method_scope`: of the place or body
    named): its best sentences, steps weighed above background and results
    (`compose.doing_weight`), a sentence that answers a problem right after it
    (`compose.with_responses`), after the case's opening sentence when that names the
    practice (`compose.lead_sentence`). When the case names its practices in its own
    structure (`outlines`, unit id → `compose.case_outline` and its lead-in), the answer is
    its opening and best sentence, then the sentence that introduces those practices and
    the practices numbered. A task or heading the question names word for word scopes the
    answer to it (`method_steps.named_scope`). `first_part`: each candidate's score against
    the first clause that asks how, when two do (the procedure is told from its answer).
    `doc_regions`: document → region, for a province named alone (`compose.province_own`)."""
    scores = np.asarray(scores) + compose.means_weight(q.text, [c.text for c in candidates])
    scope = method_steps.named_scope(q.text, hits, candidates) or compose.method_scope(
        q.places, hits, candidates, scores, q.text, doc_regions
    )
    sub = [candidates[i] for i in scope]
    weighed = np.array(
        [
            float(scores[i]) + compose.method_weight(hits[candidates[i].hit], candidates[i].text)
            for i in scope
        ]
    )
    weighed = compose.with_step_details(sub, compose.with_responses(sub, weighed))
    weighed = compose.with_device_heading(sub, weighed)
    weighed = compose.with_antecedent(hits, sub, weighed)
    weighed = compose.with_elaboration(sub, weighed, q.text)
    weighed = compose.with_sibling_step(hits, sub, compose.with_step_rest(hits, sub, weighed))
    weighed = compose.with_premise(hits, sub, compose.with_paragraph(hits, sub, weighed))
    weighed = method_steps.with_named_step(hits, sub, weighed, q.text)
    start = None if first_part is None else np.asarray(first_part)[scope]
    weighed = method_steps.with_sequence(hits, sub, weighed, q.text, start)
    weighed = method_steps.with_chain(sub, weighed, q.text)
    lead = compose.lead_sentence(hits, candidates, scores, METHOD_MARGIN)
    lead = scope.index(lead) if lead in scope else None
    outline = _outline_items(outlines or {}, hits, sub, weighed)
    tail = [
        *method_steps.more_of_case(hits, sub, weighed, METHOD_SENTENCES, METHOD_MARGIN),
        *_detail(q, hits, sub, weighed),
    ]
    head = compose.case_named(hits, sub, weighed)

    def told(after: Sequence[tuple[str, int]]) -> Answer:
        """The answer with `after` at its end (composed again once the names are known)."""
        return compose_answer(
            q.text,
            hits,
            sub,
            weighed,
            threshold=-np.inf,
            intent=intent,
            missing=(),
            max_sentences=METHOD_SENTENCES,
            margin=METHOD_MARGIN,
            lead=lead,
            tail=tail,
            after=after,
            narrate=True,
            head=head,
        )

    answer = told(outline)
    # The practices the case's other close sentences name, before its numbered practices (as
    # after a comparison's paragraph, `comparison_answer.named_line`). Thirty-ninth session:
    # every set +5 −0 (blind fresh56 +1, held-out +1); method answers 503 → 518 characters.
    best_weight = float(weighed.max()) if len(sub) else 0.0
    near = [i for i in range(len(sub)) if float(weighed[i]) >= best_weight - METHOD_MARGIN]
    named = comparison_answer.named_line(near, sub, weighed, answer.text) if near else []
    if named:
        answer = told([*named, *outline])
    return dataclasses.replace(answer, score=best)


def _detail(
    q: Question, hits: Sequence[Hit], sub: Sequence[Candidate], weighed: np.ndarray
) -> list[tuple[str, int]]:
    """The best sentence of the unit that alone holds a word of the question
    (`compose.detail_sentences`: "企业当场提的难题…" → "…当场能解决的立即解决…"), when it scores
    within METHOD_MARGIN of the best: told after the best sentences, whatever their number
    (it is the detail asked; `compose_answer` drops it when it is told already)."""
    titles = list(dict.fromkeys(hits[c.hit].unit.title for c in sub))
    found = compose.detail_sentences(
        question_terms(q.text), [c.text for c in sub], titles, q.places
    )
    near = [i for i in found if float(weighed[i]) >= float(weighed.max()) - METHOD_MARGIN]
    if not near:
        return []
    i = max(near, key=lambda i: float(weighed[i]))
    return [(sub[i].text, sub[i].hit)]


def _outline_items(
    outlines: Mapping[str, compose.Outline],
    hits: Sequence[Hit],
    sub: Sequence[Candidate],
    weighed: np.ndarray,
) -> list[tuple[str, int]]:
    """The practices the case of the best sentence names in its own structure, numbered and
    cited to that case, after the sentence that introduces them when there is one (none
    when it names none)."""
    if not sub:
        return []
    hit = sub[int(np.argmax(weighed))].hit
    outline = outlines.get(hits[hit].unit.id, compose.Outline())
    steps = [
        (f"{n}. {step}", hit) for n, step in enumerate(outline.steps[: compose.MAX_LIST_ITEMS], 1)
    ]
    return [(outline.lead, hit), *steps] if outline.lead and steps else steps


def asks_several_places(q: Question) -> bool:
    """ "哪些地方在推行政府采购合同融资？": the places doing it, none named (answered as a
    comparison of the top places)."""
    return q.kind == "place" and not q.places and compose.asks_places(q.text)


def short_of_count(question: str, composed: Composed) -> bool:
    """Whether a list answer told item by item tells fewer items than the question counts
    ("哪四个动作" told by two: probe_mw ym02 was confident) and none of its pieces states that
    count itself ("…集数据、精分类、强运用、促发展四个方面…"). A list told by one sentence holds
    its items inside it ("推行A和B两种办电方式"): not counted here."""
    want = compose.asked_count(question)
    if composed.kind != "list" or want < 2 or not 2 <= len(composed.picked) < want:
        return False
    return not any(compose.says_count(text, want) for text, _ in composed.picked)


def fields_asked_apart(question: str, places: Sequence[str]) -> bool:
    """Whether each of `places` is named in a clause of its own that asks a unit's field with
    a question word ("全区任务清单里是哪家法院牵头，钦州方案里又是谁牵头"), not all in one
    ("钦州和全区的这项任务由谁牵头")."""
    asking = [
        c
        for c in _question_clauses(question)
        if _ASKS_UNIT_FIELD.search(c) and _QUESTION_WORD.search(c)
    ]
    # A place the question spells out is named by its name; the region by its level word
    # (全区), which `mention` finds for any place the text lacks.
    spelled = {p: p in question for p in places}
    named = [[p for p in places if (p in c if spelled[p] else mention(c, p))] for c in asking]
    return all(sum(p in n for n in named) == 1 for p in places) and all(len(n) <= 1 for n in named)


def fields_per_place(
    q: Question,
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    sure: bool,
    doc_regions: Mapping[str, str] | None = None,
) -> Composed | None:
    """The fields asked of each of two or more places asked apart ("全区任务清单里是哪家法院
    牵头，钦州方案里又是谁牵头？"), each from its own place's unit (`compose.compose_fields`)
    and its lines marked with the place: "（广西）牵头单位：自治区高级人民法院", then 钦州's.
    None when fewer places are asked apart, or a place has no unit of its own that answers
    (or the same unit answers two)."""
    if len(q.places) < 2 or not fields_asked_apart(q.text, q.places):
        return None
    each = [
        compose.compose_fields(
            dataclasses.replace(q, places=(place,)),
            hits,
            candidates,
            scores,
            sure,
            doc_regions=doc_regions,
        )
        for place in q.places
    ]
    answered = [c for c in each if c is not None and c.picked]
    if len(answered) < len(each):
        return None
    units = {hits[c.picked[0][1]].unit.id for c in answered}
    if len(units) < len(answered):
        return None
    picked = tuple(
        (f"（{place}）{text}" if n == 0 else text, h)
        for place, c in zip(q.places, answered, strict=True)
        for n, (text, h) in enumerate(c.picked)
    )
    return Composed(picked, all(c.confident for c in answered), "field")


def compose_typed(
    q: Question,
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: Sequence[float] | np.ndarray,
    *,
    threshold: float = CONFIDENCE_THRESHOLD,
    intent: str = "",
    missing: Sequence[str] = (),
    places: Sequence[str] = (),
    list_options: Sequence[compose.ListOption] = (),
    list_scores: Sequence[float] | np.ndarray = (),
    divisions: Sequence[str] = (),
    outlines: Mapping[str, compose.Outline] | None = None,
    first_part: np.ndarray | None = None,
    doc_regions: Mapping[str, str] | None = None,
    term_weights: Mapping[str, float] | None = None,
    figure_asks: Sequence[tuple[Sequence[re.Pattern[str]], np.ndarray]] = (),
) -> Answer:
    """The answer composed for the kind of question (see `search.compose`); questions of
    other kinds, or when no unit fits, get `compose_answer`'s best sentences.
    `term_weights`: the index's IDF, which tells a comparison's topic words from common ones.

    Confident only when the best sentence scores at least `threshold`, no place named is
    missing from the whole index (`missing`), and what was asked is in the answer.
    """
    hits = tuple(hits)
    if not hits:
        return no_answer()
    if not candidates:
        return no_answer(hits, NOTICE_UNSURE)
    scores = np.asarray(scores, dtype=np.float32)
    best = float(scores.max())
    sure = best >= threshold and not missing
    # "优化在线帮办服务这条任务具体要怎么落实": the row named word for word is what was asked.
    sure = sure or (
        q.kind == "method" and not missing and method_steps.names_task_row(q.text, hits)
    )
    composed: Composed | None = None
    cited = [hits[h] for h in dict.fromkeys(c.hit for c in candidates)]
    named = comparison_answer.distinct_places(q.text, q.places) or tuple(
        comparison_answer.top_places(cited)
    )
    # "哪些地方在推行政府采购合同融资？": the places doing it, each told by its own practice as
    # in a comparison of the top places (one place found: the which-place answer below).
    several = asks_several_places(q)
    if (q.kind == "comparison" or several) and len(named) >= 2:
        # Each place's own figure when one is asked ("玉林和贺州…分别分成几档").
        figure = compose.figure_pattern(q.text) if "figure" in q.types else None
        topics = comparison_answer.comparison_topics(q.text, q.topics, term_weights, q.places)
        composed = comparison_answer.compose_comparison(
            named,
            hits,
            candidates,
            scores,
            sure,
            topics=topics,
            figure=figure,
            name_asked=comparison_answer.asks_name(q.text),
            kinds_asked=comparison_answer.asked_kinds(q.text),
            regions=compose.hit_regions(hits, doc_regions),
            question=q.text,
            task_names={h: hit.unit.title for h, hit in enumerate(hits) if is_task_row(hit)},
            outlines=outlines,
            place_floor=np.inf if missing else comparison_answer.PLACE_CONFIDENCE,
        )
    elif asks_extreme_place(q) and (
        extreme := compose.compose_extreme_place(q.text, hits, candidates, scores, sure)
    ):
        composed = extreme  # "各市…的目标里，哪个市定得最高": read off each city's figure
    elif q.fields and (tasks := compose.compose_task_fields(q, list_options, hits)):
        composed = tasks  # "政务服务方面有哪些任务，分别由谁牵头": each task with its fields
    elif q.fields and q.kind in ("field", "multi"):
        composed = fields_per_place(
            q, hits, candidates, scores, sure, doc_regions
        ) or compose.compose_fields(q, hits, candidates, scores, sure, doc_regions=doc_regions)
    elif q.kind == "place":
        composed = compose.compose_place(
            q, hits, candidates, scores, places, sure, divisions=divisions, doc_regions=doc_regions
        )
    elif compose.reads_list(q):
        composed = compose.compose_list(
            list_options,
            list_scores,
            sure,
            question=q.text,
            hits=hits,
            places=q.places,
            floor=best - compose.LIST_MARGIN,
            named_only=q.kind == "method",
            doc_regions=doc_regions,
        )
    if composed is None and figure_asks and q.kind in ("figure", "multi") and not q.fields:
        # "一天能开评多少个项目？平均每个项目能省多少钱？": a sentence with each figure asked.
        composed = compose.compose_figures(figure_asks, candidates, sure)
    if composed is None and q.kind in ("figure", "multi", "method") and not q.fields:
        # "A类和D类各按多大比例抽查": one sentence for each thing named, not the best one only.
        parts = comparison_answer.each_asked(q.text, [c.text for c in candidates])
        if parts:
            composed = comparison_answer.compose_each(parts, candidates, scores, sure)
    if composed is None and q.kind == "method":
        # Composed whatever the score, like every other kind: the score decides whether it is
        # confident (the page shows an unsure answer's notice and sources, not its body).
        answer = _method_answer(
            q, hits, candidates, scores, intent, best, outlines, first_part, doc_regions
        )
        if sure and tells_fields(q, answer):
            return answer
        notice = NOTICE_NO_PLACE.format(places="、".join(missing)) if missing else NOTICE_UNSURE
        return dataclasses.replace(answer, confident=False, notice=notice)
    if composed is None:
        # A comparison whose sources are about one place only ("其他地方怎样…" answered from
        # one case) is answered by the best sentences, told in a few more of them (a method
        # never gets here: the branch above answers it whatever its score).
        wide = q.kind == "comparison"
        if q.places and q.kind != "comparison":
            # The place asked about decides which sources answer (钦州's own measures, not
            # a 柳州 case on the same topic), when any of them is about it.
            keep = compose.place_candidates(q.places, hits, candidates)
            candidates, scores = [candidates[i] for i in keep], scores[keep]
        lead = compose.lead_sentence(hits, candidates, scores, METHOD_MARGIN) if wide else None
        answer = compose_answer(
            q.text,
            hits,
            candidates,
            scores,
            threshold=threshold,
            intent=intent,
            missing=missing,
            max_sentences=METHOD_SENTENCES if wide else MAX_ANSWER_SENTENCES,
            margin=METHOD_MARGIN if wide else SENTENCE_MARGIN,
            lead=lead,
        )
        if asks_whose_case(q):
            answer = with_reporter(answer)
        if answer.confident and not tells_extreme_place(q, [s for s, _ in answer.sentences]):
            return dataclasses.replace(answer, confident=False, notice=NOTICE_UNSURE)
        return answer
    composed = compose.with_part_antecedent(composed, hits, candidates)
    confident = composed.confident
    cited = [hits[h] for _, h in composed.picked if h >= 0]
    if q.places and not any(compose.mentions(hit, p) for hit in cited for p in q.places):
        confident = False  # the place asked about is not where the answer comes from
    figure = compose.figure_pattern(q.text)
    # A list for "分成哪几类" names the items: a figure is asked only by "多少/几个…".
    asked = "figure" in q.types and (composed.kind != "list" or listing.asks_number(q.text))
    if confident and asked and not compose.has_figure(composed.picked, figure):
        confident = False
    if composed.kind != "place":
        confident = confident and tells_extreme_place(q, [text for text, _ in composed.picked])
    confident = confident and not missing  # a place asked about is in no document
    confident = confident and not short_of_count(q.text, composed)
    notice = "" if confident else NOTICE_UNSURE
    if missing:
        notice = NOTICE_NO_PLACE.format(places="、".join(missing))
    answer = _assemble(
        composed.picked, hits, confident, notice, composed.kind, best, composed.continued
    )
    if composed.kind == "comparison" and notice == NOTICE_UNSURE:
        # picked opens each place's paragraph with a piece, in order: "南宁 来源[1]，洛阳
        # 来源[2][4]" — every source the paragraph cites (a place's device is often in a later
        # passage of its case than the opening one).
        where = [
            f"{p} 来源{''.join(f'[{n}]' for n in cited)}"
            for p, cited in zip(named, paragraph_sources(answer), strict=False)
            if cited
        ]
        if where:
            answer = dataclasses.replace(
                answer, notice=NOTICE_PLACES_UNSURE.format(where="，".join(where))
            )
    return answer


_WHO_FIELDS = frozenset({"牵头单位", "配合单位"})
# "是哪几家单位一起印发的": the units a sentence names, not the one whose case it is (not
# `question._ASKS_SEVERAL`, which reads whether any several things are asked).
_ASKS_SEVERAL_UNITS = re.compile(r"哪[几两三四五]|哪些|几家|几个|[两三四五]家")


# "东兴边检站与东兴市人民医院签定救助协议": the sentence names who did it.
_NAMES_BODY = re.compile(
    r"[\u4e00-\u9fa5]{2,12}?(?:公司|局|站|医院|厅|委|中心|银行|法院|检察院|办公室|协会|商会|联社"
    r"|集团|支行|分行|工作队|专班)"
)


def asks_whose_case(q: Question) -> bool:
    """Whether a question asks who (牵头单位 read: "是哪家单位弄出来的？") of one unit, which a
    case answers by its 报送单位 when no unit with a lead unit does."""
    return (
        bool(q.fields) and set(q.fields) <= _WHO_FIELDS and not _ASKS_SEVERAL_UNITS.search(q.text)
    )


def with_reporter(answer: Answer) -> Answer:
    """`answer` led by "报送单位：…" when its first source is a case that has one: "全区头一个…
    评标“舱位”，是哪家单位弄出来的？" → 报送单位：自治区公共资源交易中心 (a case has no lead
    unit; the unit that reports it is the one whose work it tells), unless its first sentence
    names a body of its own ("东兴边检站与东兴市人民医院签定救助协议")."""
    if not answer.citations or _NAMES_BODY.search(answer.sentences[0][0]):
        return answer
    unit = answer.cited_hits[0].unit
    value = compose.field_value(unit, "报送单位") if unit.kind == "case" else ""
    if not value:
        return answer
    line = (f"报送单位：{value}", 1)
    return dataclasses.replace(
        answer,
        text=_piece(*line) + answer.text,
        sentences=(line, *answer.sentences),
        continued=frozenset(k + 1 for k in answer.continued),
    )


def paragraph_sources(answer: Answer) -> list[list[int]]:
    """The source numbers each paragraph of a comparison cites, in order of first citation;
    a paragraph opens at each sentence not in `answer.continued`."""
    out: list[list[int]] = []
    for k, (_, n) in enumerate(answer.sentences):
        if k not in answer.continued or not out:
            out.append([])
        if n and n not in out[-1]:
            out[-1].append(n)
    return out


def _field_answer(
    hits: tuple[Hit, ...],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    order: list[int],
    intent: str,
    margin: float = FIELD_MARGIN,
    max_fields: int = MAX_FIELDS,
) -> Answer | None:
    """The field of the best matching units, if the best sentences come from units with it.

    A unit qualifies when it has the field and is the top retrieval hit, or its best sentence
    scores within `margin` of the best sentence overall; up to `max_fields` units (two measures often cover the
    same task, e.g. a list item and a task-table row), best first. Their field lines are
    followed by the best sentence of the first unit.
    """
    best = float(scores[order[0]])
    chosen: list[tuple[int, int]] = []  # (hit, its best candidate)
    seen_units: set[str] = set()
    # The top retrieval hit qualifies whatever its sentences score: a field question names the
    # task ("压缩出口退税办理时间由哪个部门牵头"), and retrieval, which sees the unit title,
    # judges which unit is meant better than sentence scores, which favour figures and dates.
    top = next((i for i in order if candidates[i].hit == 0), None)
    if top is not None and _field_value(hits[0], intent):
        chosen.append((0, top))
        seen_units.add(hits[0].unit.id)
    for i in order:
        if float(scores[i]) < best - margin or len(chosen) >= max_fields:
            break
        h = candidates[i].hit
        unit_id = hits[h].unit.id
        if unit_id in seen_units:
            continue
        seen_units.add(unit_id)
        if _field_value(hits[h], intent):
            chosen.append((h, i))
    if not chosen:
        return None
    label = INTENT_FIELDS[intent]
    picked = [(f"{label}：{_field_value(hits[h], intent)}", h) for h, _ in chosen]
    h, i = chosen[0]
    value = _field_value(hits[h], intent)
    if _norm(value) not in _norm(candidates[i].text) or intent == "deadline":
        picked.append((candidates[i].text, h))
    return _assemble(picked, hits, True, "", "field", best)


# ------------------------------------------------------------------ the answerer

MAX_PASSAGES = 6  # sentences come from the top passages only …
MAX_CANDIDATES = 48  # … and at most this many sentences are embedded per question
# "（牵头单位：市商务局，钦州海关；" / "配合单位：市发展改革委、…）": a measure's field columns
# in its text, which answers show as fields ("牵头单位：…"); as a sentence they tell nothing of
# the measure (and a method or comparison answer led by one tells only who helps).
_FIELD_LABEL_LINE = re.compile(r"^\s*[（(〔]?\s*(?:牵头|配合|责任|报送)(?:单位|部门)[：:]")


NOTED_UNIT_PASSAGES = 2  # passages read of a unit whose hit is only its field note


def only_fields(text: str) -> bool:
    """Whether a passage is only a task's field note: every sentence a field column."""
    sentences = [x for x in re.split(r"[。；;]", text) if x.strip(" 〕）)】]\n")]
    return bool(sentences) and all(compose.is_field_line(x) for x in sentences)


def shown_as_field(sentence: str, unit: Unit) -> bool:
    """Whether a sentence is a field column of its unit that answers show as a field: only
    when the unit's fields were read (a policy of unknown layout keeps "责任单位：…" as its
    only statement of who is responsible; NCPQA answers 0.4556 → 0.4528 without it)."""
    fields = unit.lead_units or unit.coop_units or unit.org
    return bool(fields) and bool(_FIELD_LABEL_LINE.match(sentence))


# A comparison also reads up to PLACE_UNIT_PASSAGES more passages of each named place's case,
# so it embeds up to this many sentences: over the 115 labelled comparisons, 4 passages and 64
# sentences answer as many as 8 and 96 (blind fresh24 7 → 8 of 12, fresh28 5 → 6 of 11).
# Read nearest the question first, 6 passages answer as many as 4 (89 of 137 comparisons).
PLACE_UNIT_PASSAGES = 4
# …and this many of its best passages on the topic among its own units (own_topic_hits; 2
# lost four rows for none). Those are read after the search's passages: 80 sentences leave
# them room (64 lost fresh28 c19's 合规经营指南 to them; ~5 ms more per comparison).
OWN_TOPIC_PASSAGES = 1
# …and, for a province named by its level word ("…和全区各是怎么做的"), this many passages of
# its own policy documents nearest the whole question (`_level_policy_hits`): its 工作要点
# rows are worded unlike the colloquial topic words (3: +1 −2 rows over the readable sets,
# 6: +5 −2, 9: +5 −3).
LEVEL_POLICY_PASSAGES = 6
# …and, for a place with policy documents of its own, this many of their passages nearest the
# question without the places' names (`_own_policy_hits`).
OWN_POLICY_PASSAGES = 1
# A place asked about alone whose units the search missed: its passages read (the one nearest
# the question is often a neighbouring topic's: "中小企业融资难" → 钦州's "新官不理旧账" row
# before its 融资顺畅 measure).
ABSENT_PLACE_PASSAGES = 3
# The sentences a comparison reads: the passages fetched for each place come after the
# search's, and 全区's six plan rows filled 80 before its case's other passages were reached
# (the 12345 case's “桂商码”). Thirtieth session, every set: 120 +3 −0 rows, 160 +1 more, 240
# none more; blind sets unchanged; warm comparison p50 113 → 114 ms over 40 questions.
COMPARISON_MAX_CANDIDATES = 160
_VECTOR_CACHE_SIZE = 50_000


class AnswerGenerator(Protocol):
    """What `Answerer` needs of a language-model client (see `search.llm.Generator`)."""

    def generate_for_hits(self, question: str, hits: Sequence[Hit]) -> Generated: ...


def bm25_idf(snapshot: IndexSnapshot) -> dict[str, float] | None:
    """IDF of an index version's BM25 tokens (None for an empty index)."""
    df, n = snapshot.lexical.document_frequencies()
    if not n:
        return None
    return {t: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for t, c in df.items()}


def index_gazetteer(snapshot: IndexSnapshot) -> Gazetteer:
    """Places of an index version: its units' regions and case titles."""
    return Gazetteer.from_units(
        [u.region for u in snapshot.units if u.region], [u.title for u in snapshot.units]
    )


def index_headings(snapshot: IndexSnapshot) -> dict[compose.Heading, tuple[str, ...]]:
    """Heading → the units under it, of an index version (lists of measures)."""
    return compose.heading_members(snapshot.units)


def index_indicators(snapshot: IndexSnapshot) -> dict[compose.Heading, tuple[str, ...]]:
    """(document, "指标：…") → the units of that indicator in that document, in order: the
    tasks a task table lists under one 指标."""
    out: dict[compose.Heading, list[str]] = {}
    for u in snapshot.units:
        # A section titled by the indicator itself ("政务服务") heads the tasks, is not one.
        if u.indicator and u.title != u.indicator:
            out.setdefault((u.doc, f"{INDICATOR_HEAD}{u.indicator}"), []).append(u.id)
    return {k: tuple(v) for k, v in out.items()}


INDICATOR_HEAD = "指标："


def index_doc_regions(snapshot: IndexSnapshot) -> dict[str, str]:
    """Document → its region (corpus manifest), of an index version."""
    return {d.doc: d.region for d in snapshot.documents if d.region}


# The fields only a task row has (a case names its 报送单位 and 指标 too).
_TASK_FIELDS = frozenset({"牵头单位", "配合单位", "完成时限"})


def index_task_places(snapshot: IndexSnapshot) -> frozenset[str]:
    """The regions (corpus manifest) of the documents whose units have a task row's
    fields (牵头单位、配合单位、完成时限), of an index version."""
    regions = index_doc_regions(snapshot)
    docs = {u.doc for u in snapshot.units if u.lead_units or u.coop_units or u.deadline}
    return frozenset(regions[d] for d in docs if d in regions)


def index_plain_docs(snapshot: IndexSnapshot) -> frozenset[str]:
    """The documents of an index version whose units are all plain sections: layouts no
    parser knew (a notice, a news item), unlike a plan whose parts hold its measures."""
    kinds: dict[str, set[str]] = {}
    for u in snapshot.units:
        kinds.setdefault(u.doc, set()).add(u.kind)
    return frozenset(doc for doc, held in kinds.items() if held == {"section"})


def index_doc_units(snapshot: IndexSnapshot) -> dict[str, tuple[str, ...]]:
    """Document → its unit ids, in document order, of an index version."""
    out: dict[str, list[str]] = {}
    for u in snapshot.units:
        out.setdefault(u.doc, []).append(u.id)
    return {k: tuple(v) for k, v in out.items()}


def index_text(snapshot: IndexSnapshot) -> str:
    """All text of an index version, to tell whether any document mentions a place."""
    parts = [d.title for d in snapshot.documents]
    parts += [f"{u.title} {u.region} {u.org}" for u in snapshot.units]
    parts += [p.text for p in snapshot.passages]
    return re.sub(r"\s", "", "\n".join(parts))


def _mentioned(place: str, text: str) -> bool:
    """Whether a text names a place, in full or by its stem of two or more characters
    (百色 for 百色市)."""
    stem = _PLACE_SUFFIX.sub("", place)
    return place in text or (len(stem) >= 2 and stem in text)


# A line of a unit's fields or a task row's ("牵头单位：…", "任务：…；牵头单位：…").
_FIELD_LABEL = re.compile(rf"^(?:{'|'.join(FIELDS)}：|{compose.TASK_LABEL})")
# A part's answer adds its first pieces up to this many characters (its field line, its best
# sentence), not a whole method answer: what the whole answer lacks is one fact.
PART_CHARS = 150
# A figure part is told when the answer holds a sentence with its figure this close to the
# part's best such sentence.
PART_MARGIN = 0.03
# A part's best sentence told already tells the part when it holds this share of the terms of
# the part's own asking clause (weighted by idf).
PART_TERMS = 0.5
# A piece whose first characters the answer already tells is told already.
PART_TOLD_CHARS = 20


def _as_told(sentence: str) -> str:
    """A sentence as an answer's text holds it whatever ends it: no whitespace, no closing
    punctuation (a clause cut at "；" is told as "…现场抽查[1]。"; nor "？" or "！")."""
    return re.sub(r"\s", "", sentence).rstrip(compose.CLAUSE_ENDS + "！!？?")


_ITEM_NUMBER = re.compile(r"^\d+\.\s*")  # a list item's number ("6. 积极组织…")
# A list part's answer gives way to one sentence scoring this far above all its items.
LIST_PART_MARGIN = 0.1


def _sentence_alone(answer: Answer, sentence: str, hit: Hit) -> Answer:
    """`answer` telling `sentence` (cited to `hit`) instead of its own sentences."""
    hits = answer.hits if hit in answer.hits else (*answer.hits, hit)
    return dataclasses.replace(answer, hits=hits, sentences=((sentence, hits.index(hit) + 1),))


def _told_key(sentence: str) -> str:
    """A sentence's opening as an answer's text would hold it (PART_TOLD_CHARS of `_as_told`)."""
    return _as_told(sentence)[:PART_TOLD_CHARS]


def _leading_pieces(
    answer: Answer, told: str, told_takes_room: bool = False
) -> list[tuple[str, Hit]]:
    """An answer's first pieces (sentence, cited hit) that `told` (an answer's text, without
    citation marks and whitespace) does not hold already, up to PART_CHARS characters, without
    the case's title line ("案例：…") nor a piece that cites nothing. `told_takes_room`: the
    pieces `told` holds count towards PART_CHARS all the same (a figure part's: it is told by
    its figure's sentence)."""
    out: list[tuple[str, Hit]] = []
    length = taken = 0
    for sentence, n in answer.sentences:
        if not n or sentence.startswith(compose.CASE_LABEL):
            continue
        held = _told_key(sentence) in told
        if held and not told_takes_room:
            continue
        if taken and length + len(sentence) > PART_CHARS:
            break
        taken += 1
        length += len(sentence)
        if not held:
            out.append((sentence, answer.hits[n - 1]))
    return out


def _with_pieces(answer: Answer, added: Sequence[tuple[str, Hit]], confident: bool) -> Answer:
    """`answer` with the pieces `added` after its own, citations numbered again (a hit cited
    by both keeps one number)."""
    hits = list(answer.hits)
    index = {hit.passage.id: k for k, hit in enumerate(hits)}
    picked = [(s, n - 1 if n else -1) for s, n in answer.sentences]
    for sentence, hit in added:
        if hit.passage.id not in index:
            index[hit.passage.id] = len(hits)
            hits.append(hit)
        picked.append((sentence, index[hit.passage.id]))
    numbers, citations, cards = number_citations([h for _, h in picked if h >= 0], hits)
    sentences = tuple((s, numbers.get(h, 0)) for s, h in picked)
    return dataclasses.replace(
        answer,
        text="".join(_piece(s, n) for s, n in sentences),
        sentences=sentences,
        citations=citations,
        hits=cards,
        confident=confident,
        notice="" if confident else answer.notice or NOTICE_UNSURE,
    )


def tells_fields(q: Question, answer: Answer) -> bool:
    """Whether a method's answer has a line for every field the question asks in words for a
    unit or a date (`asks_unit_or_date`: "报送单位：…"): a case's sentences answering "是哪个
    单位报上来的？" do not say what was asked, however well they match (fresh64 zt24 was
    confident). A field the classifier reads into "背后搭了个什么" is not asked; other kinds
    tell a field in their own words ("执行到2023年底"), not on a line."""
    if q.kind != "method" or not q.fields or not asks_unit_or_date(q.text):
        return True
    return all(any(f"{name}：" in s for s, _ in answer.sentences) for name in q.fields)


def _unsure(answer: Answer) -> Answer:
    return dataclasses.replace(answer, confident=False, notice=answer.notice or NOTICE_UNSURE)


def _day_notice(answer: Answer, part: str) -> Answer:
    """An unsure answer's notice naming the part whose day the documents do not give
    ("资料中没有找到“成都营商环境4.0版是哪天发布的”的具体日期…"), unless it says something else
    already (a place missing)."""
    if not part or answer.confident or answer.notice not in ("", NOTICE_UNSURE):
        return answer
    return dataclasses.replace(answer, notice=NOTICE_NO_DAY.format(part=part))


def _with_notice(answer: Answer, notice: str) -> Answer:
    if not notice:
        return answer
    return dataclasses.replace(answer, notice=f"{notice} {answer.notice}".strip())


def default_selector(config) -> Selector | None:
    """The span selector a config asks for: None when it is off or has no weights file."""
    if config is None or config.reader == "off":
        return None
    return load_selector(Path(config.reader_dir) / "span_selector.json")


def span_context(
    question: str, hits: Sequence[Hit], weights: Mapping[str, float] | None
) -> SpanContext:
    """What the span selector reads besides the sentences: the question's content terms
    weighted like the sentence scores' (`weights`, e.g. the index's IDF), and per hit its
    retrieval score, passage and titles."""
    return SpanContext(
        terms={t: _term_weight(t, weights) for t in question_terms(question)},
        hit_scores=tuple(float(h.score) for h in hits),
        passages=tuple(h.passage.text for h in hits),
        titles=tuple(f"{h.unit.title} {h.passage.section} {h.doc_title}" for h in hits),
    )


def rows_hold_fields(q: Question, hits: Sequence[Hit]) -> bool:
    """Whether a task row's field the question asks (牵头单位、配合单位、完成时限) is held by
    one of the hits' units: the composer answers from it."""
    asked = [f for f in q.fields if f in _TASK_FIELDS]
    return any(compose.field_value(h.unit, f) for h in hits for f in asked)


_ASKS_STEPS = re.compile(r"步骤|流程")


def selected_answer(
    selector: Selector,
    q: Question,
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    *,
    threshold: float,
    missing: Sequence[str],
    context: SpanContext | None = None,
) -> Answer:
    """The selector's run of sentences as the answer, cited to its passage. Confident like
    the sentence extracts (the best sentence scores at least `threshold`, no place named is
    missing from the index), and only when every place named is in the cited source and a
    figure question's run has a figure."""
    run = selector.select(candidates, scores, q.text, q.kind, context)
    pattern = compose.figure_pattern(q.text)
    whole = dataclasses.replace(run, lead=0, tail=0, phrase=None)
    if (
        "figure" in q.types
        and not pattern.search(run_text(candidates, run))
        and pattern.search(run_text(candidates, whole))
    ):  # never trim away the figure asked for ("建立100个民营企业监测点，…")
        run = whole
    # "一是…；二是…；三是…" told whole, as is a procedure asked ("操作步骤是什么": 第一步…).
    if q.kind == "list" or _ASKS_STEPS.search(q.text):
        run = whole_items(candidates, run)
    best = float(np.max(scores))
    pieces = [text for text in run_pieces(candidates, run) if text]
    if run.phrase is None and len(pieces) == 1:  # not a value's phrase: minimal already
        pieces = [without_restated(pieces[0], q.text)]
    picked = [(text, run.hit) for text in pieces]
    hit = hits[run.hit]
    confident = best >= threshold and not missing
    if q.places and not any(compose.mentions(hit, p) for p in q.places):
        confident = False
    if "figure" in q.types and not compose.has_figure(picked, pattern):
        confident = False
    notice = "" if confident else NOTICE_UNSURE
    if missing:
        notice = NOTICE_NO_PLACE.format(places="、".join(missing))
    answer = _assemble(picked, hits, confident, notice, "span", best)
    if run.phrase is not None:  # a value or a name is no sentence: "十二条[1]", not "十二条[1]。"
        answer = dataclasses.replace(answer, text=answer.text.removesuffix("。"))
    return answer


UNIT_PASSAGES_READ = 12  # a list reads at most this many passages of each of its top units


def _unit_passages(
    snap: IndexSnapshot, unit_id: str, first: int | None = None
) -> list[tuple[Passage, Unit]]:
    """A unit's passages (its `first` ones when given), each with the unit; none when the
    version lacks the unit."""
    unit = snap.unit(unit_id)
    if unit is None:
        return []
    return [(snap.passages[pos], unit) for pos in snap.unit_rows(unit_id).tolist()[:first]]


def _fetched_hit(snap: IndexSnapshot, passage: Passage, unit: Unit, rank: int) -> Hit:
    """A passage the answer reads beyond the search's hits (no score of its own)."""
    return Hit(passage, unit, snap.doc_title(passage.doc), 0.0, rank)


# The answer kinds that tell what a kind of question asks: a field question answered by a
# sentence, not by the unit's field, has not been told what it asked.
_TELLS_KIND = {"field": ("field",), "multi": ("field",), "place": ("place",), "list": ("list",)}


def tells_what_is_asked(q: Question, answer: Answer) -> bool:
    """Whether the answer is of the kind the question asks for (`_TELLS_KIND`); a question
    asking who does something ("由哪个部门审批") is told by a unit's field only."""
    if "who" in asked_cues(q.text) and answer.kind != "field":
        return False
    return answer.kind in _TELLS_KIND.get(q.kind, (answer.kind,))


def agreed_band(q: Question, hits: Sequence[Hit], answer: Answer, missing: Sequence[str]) -> bool:
    """Whether an unsure answer may be confident at `AGREED_THRESHOLD`: no place asked is
    missing, both retrievers put the same passage first, the score reaches it, and the
    answer is of the kind the question asks for (`tells_what_is_asked`)."""
    return (
        q.kind != "comparison"
        and tells_what_is_asked(q, answer)
        and not missing
        and bool(hits)
        and hits[0].first_in_both
        and answer.score >= AGREED_THRESHOLD
    )


def cites(answer: Answer, hit: Hit) -> bool:
    """Whether the answer cites `hit`'s passage."""
    return any(h.passage.id == hit.passage.id for h in answer.cited_hits)


class Answerer:
    """Extractive (or generated) answers over a `search.searcher.Searcher`."""

    def __init__(
        self,
        searcher: Searcher,
        generator: AnswerGenerator | None = None,
        threshold: float | None = None,
        max_passages: int = MAX_PASSAGES,
        max_candidates: int = MAX_CANDIDATES,
        question_model: QuestionModel | None = None,
        selector: Selector | None | str = "auto",
    ) -> None:
        self.searcher = searcher
        # "auto": the shipped span selector unless the config turns it off (`default_selector`).
        self._selector = selector
        self.generator = generator
        self.threshold = CONFIDENCE_THRESHOLD if threshold is None else threshold
        self.max_passages = max_passages
        self.max_candidates = max_candidates
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._question_model = question_model

    # ---------------------------------------------------------- embedding

    @property
    def encoder(self):
        return self.searcher.encoder

    def sentence_vectors(self, sentences: Sequence[str]) -> np.ndarray:
        """Passage-side vectors of sentences (memory LRU, then the encoder's disk cache)."""
        dim = self.encoder.info.dim
        out = np.zeros((len(sentences), dim), dtype=np.float32)
        missing: list[int] = []
        with self._lock:
            for i, s in enumerate(sentences):
                v = self._vectors.get(s)
                if v is None:
                    missing.append(i)
                else:
                    self._vectors.move_to_end(s)
                    out[i] = v
        if missing:
            texts = list(dict.fromkeys(sentences[i] for i in missing))
            vecs, _ = self.encoder.encode_passages(texts)
            new = dict(zip(texts, np.asarray(vecs, dtype=np.float32), strict=True))
            with self._lock:
                for text, v in new.items():
                    self._vectors[text] = v
                while len(self._vectors) > _VECTOR_CACHE_SIZE:
                    self._vectors.popitem(last=False)
            for i in missing:
                out[i] = new[sentences[i]]
        return out

    def warm(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed every sentence of the index once (fills the disk cache); returns the count."""
        passages = self.searcher.index.current.passages
        texts = list(dict.fromkeys(s for p in passages for s in split_sentences(p.text)))
        for start in range(0, len(texts), 256):
            self.sentence_vectors(texts[start : start + 256])
            if progress:
                progress(min(start + 256, len(texts)), len(texts))
        return len(texts)

    def term_weights(self) -> dict[str, float] | None:
        """IDF of the live index's BM25 tokens (computed once per index version)."""
        return self.searcher.index.current.derived(bm25_idf)

    @property
    def selector(self) -> Selector | None:
        with self._lock:
            if self._selector == "auto":
                self._selector = default_selector(getattr(self.encoder, "config", None))
            return self._selector  # type: ignore[return-value]

    # ---------------------------------------------------------- the question

    @property
    def question_model(self) -> QuestionModel:
        """The recogniser's labelled examples, embedded once (cached on disk by content)."""
        with self._lock:
            if self._question_model is None:
                config = getattr(self.encoder, "config", None)
                cache = getattr(config, "cache_dir", None)
                self._question_model = QuestionModel.build(self.encoder, cache_dir=cache)
            return self._question_model

    def understand(self, question: str, embedded: QuestionVectors | None = None) -> Question:
        gazetteer = self.searcher.index.current.derived(index_gazetteer)
        q = understand(question, self.question_model, gazetteer, embedded)
        # "太原和防城港都是怎么做的": 太原 is in a case's text, not in any unit's region or
        # title; a place the documents mention is a place asked about all the same.
        # Only names of the division list: jieba also tags words like 城市 (of "其他城市") as
        # places, and every document mentions those.
        listed = [p for p in q.unknown_places if p in place_list().names or is_division_stem(p)]
        mentioned = [p for p in listed if p not in self.missing_places(q)] if listed else []
        if not mentioned:
            return q
        wider = Gazetteer(gazetteer.names | frozenset(mentioned))
        return understand(question, self.question_model, wider, embedded)

    def embed(self, question: str) -> QuestionVectors:
        """The question as the search runs it (stripped, clipped) and its clauses, embedded in
        one encoder call: the search, the recogniser and the sentence scores all use them."""
        # Imported here: a searcher (hence the module) exists before anything is asked.
        from search.searcher import validate_query

        return embed_question(self.encoder, validate_query(question)[0])

    def retrieve(
        self, question: str, k: int = 8, filters=None
    ) -> tuple[SearchResult, QuestionVectors]:
        """The search for `question` and the question's vectors (the only encoder call for
        the question in an ask); raises `QueryError` for an empty question."""
        embedded = self.embed(question)
        return self.searcher.search(question, k=k, filters=filters, embedded=embedded), embedded

    def missing_places(self, q: Question) -> list[str]:
        """Places named in the question that no indexed document mentions (whole index)."""
        if not q.unknown_places:
            return []  # most questions: no need to build (or scan) the whole-index text
        text = self.searcher.index.current.derived(index_text)
        return [p for p in q.unknown_places if not _mentioned(p, text)]

    # ---------------------------------------------------------- asking

    def candidates(
        self, hits: Sequence[Hit], rows: Sequence[int] | None = None, cap: int | None = None
    ) -> list[Candidate]:
        """Clean sentences of the hits `rows` (default: the top `max_passages`)."""
        cap = cap or self.max_candidates
        out: list[Candidate] = []
        seen: set[str] = set()
        for h in range(min(len(hits), self.max_passages)) if rows is None else rows:
            hit = hits[h]
            for s in split_sentences(row_task(hit)[0]):
                if s in seen or shown_as_field(s, hit.unit):
                    continue
                seen.add(s)
                out.append(Candidate(s, h))
                if len(out) >= cap:
                    return out
        return out

    def place_unit_hits(
        self,
        q: Question,
        hits: Sequence[Hit],
        query_vector: np.ndarray,
        limit: int = PLACE_UNIT_PASSAGES,
    ) -> list[Hit]:
        """For a comparison: up to `limit` more passages per named place, of the units among
        `hits` that the place names (its case), those nearest the question first: a long
        case's device may be in a late passage (万州's 政银企恳谈, asked about 座谈会)."""
        have = {h.passage.id for h in hits}
        out: list[Hit] = []
        for place in q.places:
            units = dict.fromkeys(h.unit.id for h in hits if compose.unit_names(h, [place]))
            out += self._nearest_unit_passages(
                units, query_vector, limit, have, len(hits) + len(out)
            )
        return out

    def _nearest_unit_passages(
        self,
        units: Iterable[str],
        query_vector: np.ndarray,
        limit: int,
        have: set[str],
        ranked: int,
    ) -> list[Hit]:
        """Up to `limit` passages of `units` (together) nearest the question, none of `have`
        (which they join), ranked after `ranked` hits."""
        snap = self.searcher.index.current
        fresh = [(p, u) for uid in units for p, u in _unit_passages(snap, uid) if p.id not in have]
        if not fresh:
            return []
        positions = [snap.passage_position(p.id) for p, _ in fresh]
        near = snap.dense.rows(np.array(positions)) @ query_vector
        out: list[Hit] = []
        for n in np.argsort(-near, kind="stable")[:limit].tolist():
            passage, unit = fresh[n]
            have.add(passage.id)
            out.append(_fetched_hit(snap, passage, unit, ranked + len(out) + 1))
        return out

    def noted_unit_hits(self, hits: Sequence[Hit], query_vector: np.ndarray) -> list[Hit]:
        """For a field question: the NOTED_UNIT_PASSAGES passages nearest the question of each
        unit whose hit is only its field note ("（牵头单位：市商务局…；配合单位：…自贸区钦州港片区…）"): the note
        names what the question names (钦州港片区) and ranks high, but what the unit does —
        the task the question asks about — is in a passage the search did not return."""
        have = {h.passage.id for h in hits}
        out: list[Hit] = []
        for uid in dict.fromkeys(h.unit.id for h in hits if only_fields(h.passage.text)):
            ranked = len(hits) + len(out)
            out += self._nearest_unit_passages(
                [uid], query_vector, NOTED_UNIT_PASSAGES, have, ranked
            )
        return out

    def unit_hits(self, hits: Sequence[Hit], units: int = 2) -> list[Hit]:
        """Hits for the other passages of the top `units` units (a list's items are often in
        a passage of the unit that retrieval did not return)."""
        snap = self.searcher.index.current
        have = {h.passage.id for h in hits}
        out: list[Hit] = []
        for uid in list(dict.fromkeys(h.unit.id for h in hits))[:units]:
            for passage, unit in _unit_passages(snap, uid, UNIT_PASSAGES_READ):
                if passage.id not in have:
                    out.append(_fetched_hit(snap, passage, unit, len(hits) + len(out) + 1))
        return out

    def counted_hits(
        self, q: Question, hits: Sequence[Hit], documents: int = 2, limit: int = 2
    ) -> list[Hit]:
        """Hits for passages of the top documents (of the place named) that count what a list
        question asks ("钦州的实施方案要优化哪几大环境？" → the 总体要求 passage that says
        “五大环境”), when retrieval did not return them: the enumerating sentence is
        where the document counts the items."""
        pattern = compose.count_pattern(compose.list_noun(q.text))
        if pattern is None:
            return []
        snap = self.searcher.index.current
        doc_units = snap.derived(index_doc_units)
        have = {h.passage.id for h in hits}
        about = [h for h in hits if not q.places or compose.unit_names(h, q.places)] or hits
        out: list[Hit] = []
        for doc in list(dict.fromkeys(h.passage.doc for h in about))[:documents]:
            # One search of the document's text; only a match's passage is read.
            for m in pattern.finditer(snap.source_text(doc)):
                units = (snap.unit(uid) for uid in doc_units.get(doc, ()))
                unit = next((u for u in units if u and u.start <= m.start() < u.end), None)
                if unit is None:
                    continue
                for pos in snap.unit_rows(unit.id).tolist():
                    passage = snap.passages[pos]
                    if passage.start <= m.start() < passage.end and passage.id not in have:
                        have.add(passage.id)
                        out.append(_fetched_hit(snap, passage, unit, len(hits) + len(out) + 1))
                if len(out) >= limit:
                    return out[:limit]
        return out

    def place_hits(self, q: Question, hits: Sequence[Hit], filters=None) -> list[Hit]:
        """For a comparison: the best hits about each named place that `hits` lack."""
        have = {h.passage.id for h in hits}
        out: list[Hit] = []
        topic = "".join(q.topics) or q.text
        doc_regions = self.searcher.index.current.derived(index_doc_regions)
        top = hits[: self.max_passages]
        top_regions = compose.hit_regions(top, doc_regions)
        for place in q.places:
            level = compose.province_level(place, q.places, top_regions, q.text)
            if level or level is None and any(compose.unit_names(h, [place]) for h in top):
                continue
            # The province's own units are few among its cities' cases: read further for them.
            k = PLACE_SEARCH_K * (1 if level is None else PROVINCE_SEARCH_TIMES)
            result = self.searcher.search(f"{place}{topic}", k=k, filters=filters)
            fresh = [h for h in result.hits if h.passage.id not in have]
            # The province's own unit when it is set against a place inside it ("贵港和广西
            # 全区"), else the place's own unit, else a passage that names it ("太原市建设
            # 市商事登记系统…" in a case titled by its province).
            own: set[int] = set()
            if level is not None:
                own = compose.province_hits(place, compose.hit_regions(fresh, doc_regions))
            hit = (
                next((h for n, h in enumerate(fresh) if n in own), None)
                or next((h for h in fresh if compose.unit_names(h, [place])), None)
                or next((h for h in fresh if compose.mentions(h, place)), None)
            )
            if hit is None and level is None:
                # None of the passages on the topic is the place's: its own units nearest the
                # topic ("…政府采购信息公开，…和钦州各是怎么做的" → 钦州's plan, whose passages
                # never name 钦州; else "钦州：资料中没有找到这方面的内容").
                hit = self._own_unit_hit(place, topic, hits, have, filters)
            if hit is not None:
                have.add(hit.passage.id)
                out.append(dataclasses.replace(hit, rank=len(hits) + len(out) + 1))
        return out

    def absent_place_hits(self, q: Question, hits: Sequence[Hit]) -> list[Hit]:
        """For a question of one named place (not a comparison nor a which-place question)
        whose top hits are none of the place's units: its own passages on the topic
        nearest the question without its name, ABSENT_PLACE_PASSAGES of them; none when the top
        holds one, or the index has no unit of the place."""
        if len(q.places) != 1 or q.kind in ("comparison", "place"):
            return []
        if any(compose.unit_names(h, q.places) for h in hits[: self.max_passages]):
            return []
        text = comparison_answer.without_places(q.text, q.places)
        have = {h.passage.id for h in hits}
        found = [h for h in self._region_hits(text, q.places[0], False) if h.passage.id not in have]
        return [
            dataclasses.replace(h, rank=len(hits) + n + 1)
            for n, h in enumerate(found[:ABSENT_PLACE_PASSAGES])
        ]

    def own_topic_hits(
        self, q: Question, hits: Sequence[Hit], limit: int = OWN_TOPIC_PASSAGES, filters=None
    ) -> list[Hit]:
        """For a comparison: each named place's best passages on the question's topic among
        its own units that `hits` lack (`_own_hits`) — a place's device is often in a unit
        the search did not return at all (全区's "优化营商环境专线" measure, when the top held
        another 全区 measure). Units among `hits` give their other passages by
        `place_unit_hits`."""
        units = {h.unit.id for h in hits}
        out: list[Hit] = []
        topic = "".join(q.topics) or q.text
        doc_regions = self.searcher.index.current.derived(index_doc_regions)
        top_regions = compose.hit_regions(hits[: self.max_passages], doc_regions)
        for place in q.places:
            level = compose.province_level(place, q.places, top_regions, q.text)
            found = self._own_hits(place, topic, level, filters)
            take = limit
            if level is not None and compose.names_level(place, q.text):
                policy = self._level_policy_hits(place, q, filters)
                policy = [h for h in policy if h.unit.id not in units]
                found = policy[:LEVEL_POLICY_PASSAGES] + found
                take += min(len(policy), LEVEL_POLICY_PASSAGES)
            elif level is None:
                policy = self._own_policy_hits(place, q, filters)
                policy = [h for h in policy if h.unit.id not in units]
                found = policy[:OWN_POLICY_PASSAGES] + found
            for hit in found:
                if take == 0:
                    break
                if hit.unit.id not in units:  # a unit once: its other passages are read later
                    units.add(hit.unit.id)
                    out.append(dataclasses.replace(hit, rank=len(hits) + len(out) + 1))
                    take -= 1
        return out

    def _level_policy_hits(self, place: str, q: Question, filters=None) -> list[Hit]:
        """For a province named by its level word ("洛阳和全区各是怎么落地的"): the passages of
        its own policy documents (its 工作要点) nearest the whole question, the other places'
        names taken out — the topic words alone ("企业申请不用享受政策") miss its rows."""
        text = comparison_answer.without_places(q.text, [p for p in q.places if p != place])
        return self._region_hits(text, place, True, filters, doc_type="政策文件")

    def _own_policy_hits(self, place: str, q: Question, filters=None) -> list[Hit]:
        """A place's own policy documents' passages (钦州's 实施方案) nearest the question
        without any place's name: its rows name 钦州港 often and the topic in the plan's words,
        so the place's name steered the search to the port."""
        text = comparison_answer.without_places(q.text, q.places)
        return self._region_hits(text, place, False, filters, doc_type="政策文件")

    def _own_unit_hit(
        self, place: str, topic: str, hits: Sequence[Hit], have: set[str], filters=None
    ) -> Hit | None:
        """The best passage on `topic` among the units whose region is `place` (a region
        filter), when its unit is not among `hits` yet; else None."""
        found = self._own_hits(place, topic, None, filters)
        if not found:
            return None
        units = {h.unit.id for h in hits}
        best = found[0]
        return None if best.unit.id in units or best.passage.id in have else best

    def _own_hits(self, place: str, topic: str, level: set[int] | None, filters=None) -> list[Hit]:
        """The passages on `topic` among `place`'s own units, best first: a region filter,
        and only the province's own units when `level` is not None (the province set against
        a place inside it, `compose.province_level`: searched further, its cities' cases are
        many)."""
        return self._region_hits(f"{place}{topic}", place, level is not None, filters)

    def _region_hits(
        self, query: str, place: str, province_only: bool, filters=None, doc_type: str = ""
    ) -> list[Hit]:
        """The hits for `query` among the units of `place`'s region (of `doc_type` when
        given), best first; with `province_only`, searched further and only the province's own
        units (region: the province, no city)."""
        from search.searcher import Filters, SearchStatus

        own = dataclasses.replace(filters or Filters(), region=place)
        if doc_type:
            own = dataclasses.replace(own, doc_type=doc_type)
        k = PLACE_SEARCH_K * (PROVINCE_SEARCH_TIMES if province_only else 1)
        result = self.searcher.search(query, k=k, filters=own)
        if result.status is not SearchStatus.OK:
            return []
        found = list(result.hits)
        if not province_only:
            return found
        doc_regions = self.searcher.index.current.derived(index_doc_regions)
        mine = compose.province_hits(place, compose.hit_regions(found, doc_regions))
        return [h for n, h in enumerate(found) if n in mine]

    def vectors_for(self, question: str, embedded: QuestionVectors | None) -> QuestionVectors:
        """`embedded` when it is this question's (made by the search), else embedded now."""
        if embedded is not None and embedded.text == question:
            return embedded
        return embed_question(self.encoder, question)

    def recognised(
        self,
        question: str,
        embedded: QuestionVectors,
        q: Question | None = None,
        lexical: str | None = None,
    ) -> Question:
        """What `question` asks: `q`, else the recogniser's reading (`understand`), read again
        with the question's own words (`reconcile`; `lexical`: its `detect_intent`, when made)."""
        lexical = detect_intent(question) if lexical is None else lexical
        task_places = self.searcher.index.current.derived(index_task_places)
        return reconcile(q or self.understand(question, embedded), lexical, task_places)

    def scored(
        self,
        question: str,
        hits: tuple[Hit, ...],
        embedded: QuestionVectors | None = None,
        q: Question | None = None,
    ) -> tuple[Question, tuple[Hit, ...], list[Candidate], np.ndarray]:
        """The recognised question, the hits (with the extra ones a comparison or a list
        reads), their candidate sentences and each sentence's score; `embedded`: the
        question's vectors when the search already made them (else embedded here)."""
        lexical = detect_intent(question)
        embedded = self.vectors_for(question, embedded)
        query_vector = embedded.whole
        q = self.recognised(question, embedded, q, lexical)
        intent = question_intent(q) or lexical
        rows = list(range(min(len(hits), self.max_passages)))
        later: list[int] = []
        if q.kind == "comparison":
            extra = self.place_hits(q, hits)
            # The places share the passages read: each named place's hits are all read, not
            # only those among the top few ("玉林…和贺州…": 玉林's own figure is in the 7th
            # hit), after the hits of the places the top lacks (the sentences read are capped).
            later = [
                h
                for h in range(len(rows), len(hits))
                if any(compose.mentions(hits[h], p) for p in q.places)
            ]
        elif compose.reads_list(q):
            extra = self.unit_hits(hits)
            extra += self.counted_hits(q, hits + tuple(extra))
        elif q.fields:
            extra = self.noted_unit_hits(hits[: len(rows)], query_vector)
        elif q.kind == "figure":
            # "…办一次登记要走的环节压到了几个？": a case's figures are often in its 主要成效
            # passage, which the search did not return with the 做法 passages it did.
            extra = self.unit_hits(hits[: len(rows)], units=1)
        else:
            extra = []
        fetched = list(range(len(hits), len(hits) + len(extra)))
        # "钦州对中小企业融资难有哪些措施？" when every passage found is another place's (深圳's
        # 订单融资): the place's own passages on the topic are read first, the answer is told
        # from them (`compose.method_scope`), not from another place's.
        own = self.absent_place_hits(q, hits + tuple(extra))
        first = list(range(len(hits) + len(extra), len(hits) + len(extra) + len(own)))
        rows = first + rows + fetched + later
        hits = hits + tuple(extra) + tuple(own)
        cap = self.max_candidates
        sentence_query = query_vector
        if q.kind == "comparison":
            # What is asked of each place is the question without the places' names: with
            # them, a sentence (or passage) that names its place ("玉林市实有个体工商户…")
            # outscores the one that tells the device asked (readable sets +9 −6 rows).
            sentence_query = embed_question(
                self.encoder, comparison_answer.without_places(question, q.places)
            ).whole
            # Each place's best passage on the topic among its own units the search missed;
            # read after the search's (first, they displaced better sentences: fresh26 b27).
            own_topic = self.own_topic_hits(q, hits)
            rows += list(range(len(hits), len(hits) + len(own_topic)))
            hits = hits + tuple(own_topic)
            # A place's device is often in another passage of its own case ("网超店铺前台展示
            # 中小企业身份标识" of 台州, when the search returned the case's opening passage).
            whole = self.place_unit_hits(q, hits, sentence_query)
            rows += list(range(len(hits), len(hits) + len(whole)))
            hits = hits + tuple(whole)
            cap = COMPARISON_MAX_CANDIDATES
            # Each place's first passage is read first: the top passages of another place
            # ("武汉城市圈跟万州…": eight 武汉 hits) would fill the sentences read before it.
            firsts = (
                next((h for h in rows if compose.mentions(hits[h], p)), None) for p in q.places
            )
            lead = list(dict.fromkeys([*fetched, *(h for h in firsts if h is not None)]))
            rows = lead + [h for h in rows if h not in lead]
        cands = self.candidates(hits, rows, cap)
        if q.places:  # "钦州…目标定在多少": 钦州's figure of a regional task's list for each city
            # Not joined to its clause for a field question: the place's own plan answers
            # "按钦州的实施方案，…要压到多少，什么时候做到", and the joined regional clause
            # would outscore it.
            join = q.kind == "figure" and not q.fields
            cands = compose.own_shares(cands, q.places, join=join)
        scores = self.sentence_scores(question, sentence_query, hits, cands, intent)
        return q, hits, cands, compose.with_before(cands, scores, question)

    def sentence_scores(
        self,
        question: str,
        query_vector: np.ndarray,
        hits: Sequence[Hit],
        cands: Sequence[Candidate],
        intent: str = "",
    ) -> np.ndarray:
        """Each candidate's score against `question` (embedded as `query_vector`), read with
        its unit's title, section and document, and its passage's rank."""
        texts = [c.text for c in cands]
        return score_sentences(
            question,
            texts,
            self.sentence_vectors(texts),
            query_vector,
            contexts=[
                f"{hits[c.hit].unit.title} {hits[c.hit].passage.section} {hits[c.hit].doc_title}"
                for c in cands
            ],
            ranks=[min(c.hit, self.max_passages) for c in cands],
            term_weights=self.term_weights(),
            intent=intent,
        )

    def extractive(
        self,
        question: str,
        hits: Sequence[Hit],
        notice: str = "",
        embedded: QuestionVectors | None = None,
        q: Question | None = None,
        split_parts: bool = True,
    ) -> Answer:
        """The extractive answer from `hits`; `embedded`: the question's vectors when the
        search already made them (else the question is embedded here); `split_parts`: False
        for a question that is itself one part of another (`with_parts`), not split again."""
        hits = tuple(hits)
        if not hits:
            return no_answer((), notice or NOTICE_NO_HITS)
        if asks_similar_to_ours(question):
            return no_answer(hits, NOTICE_SIMILAR)
        embedded = self.vectors_for(question, embedded)
        query_vector = embedded.whole
        q, hits, cands, scores = self.scored(question, hits, embedded, q)
        intent = question_intent(q) or detect_intent(question)
        missing = self.missing_places(q)
        selector = self.selector
        owned = selector is not None and bool(cands) and selector_owns(q.kind, hits[0].unit.kind)
        owned = owned and not method_steps.names_task_row(q.text, hits)
        # "…监测这项任务由哪个部门牵头、何时完成？" under a plan's section that ranks first: the
        # task rows among the hits hold the fields asked, which no span of the section does.
        owned = owned and not rows_hold_fields(q, hits)

        def selected() -> Answer:
            answer = selected_answer(
                selector,
                q,
                hits,
                cands,
                scores,
                threshold=self.threshold,
                missing=missing,
                context=span_context(q.text, hits, self.term_weights()),
            )
            return _with_notice(answer, notice)

        if owned and (q.kind != "list" or self.plain_document(hits[0])):
            # A list question about a plain document too: NCPQA's "有哪些…" answers are spans
            # of the body, not the section's headings nor one enumerating sentence
            # (thirty-fifth session, its 32 list questions out of fold: the composer's lists
            # 0.446, the selector's spans 0.550). Not a plan's part, whose measures are the
            # list asked ("钦州实施方案的保障措施有哪几条"; 20 readable rows).
            return selected()
        read = hits
        gazetteer = self.searcher.index.current.derived(index_gazetteer)
        options: list[compose.ListOption] = []
        option_scores = np.zeros(0, dtype=np.float32)
        if compose.reads_list(q):
            read, options = self.list_options(q, hits, cands, scores)
            snap = self.searcher.index.current
            options += listing.extra_options(
                q.text, read, cands, options, lambda h: self.step_text(snap, h)
            )
            option_scores = self.score_options(question, options, read, query_vector, intent)
            options = self.aspect_options(
                question, options, option_scores, read, query_vector, intent
            )
            option_scores = listing.lifted(q.text, options, option_scores, cands, scores, read)
        # A comparison's sentences each tell of one place: the other places' names are no
        # evidence a sentence can hold.
        slack = 0.0
        if q.kind == "comparison":
            slack = comparison_slack(q.text, q.places, self.term_weights())
        compose_at = functools.partial(
            compose_typed,
            q,
            read,
            cands,
            scores,
            intent=intent,
            missing=missing,
            places=sorted(gazetteer.names),
            list_options=options,
            list_scores=option_scores,
            divisions=tuple(place_list().names),
            outlines=self.outlines(q, hits),
            first_part=self.first_part(q, read, cands, embedded),
            doc_regions=self.searcher.index.current.derived(index_doc_regions),
            term_weights=self.term_weights(),
            figure_asks=self.figure_asks(q, read, cands, embedded),
        )
        answer = compose_at(threshold=self.threshold - slack)
        if not answer.confident and agreed_band(q, hits, answer, missing):
            lower = compose_at(threshold=AGREED_THRESHOLD)
            answer = lower if lower.confident and cites(lower, hits[0]) else answer
        if owned and (answer.kind != "list" or self._one_sentence_list(q, answer)):
            # A list question about a plain section: the composer's enumeration when the
            # sources offer one of several items, or a sentence that counts what is asked
            # ("哪几大环境" → "…“五大环境”"), else the selector's span (NCPQA's "有哪些…"
            # answers: a single enumerating sentence read 0.457 from the composer against
            # 0.522 from the selector, out of fold).
            return selected()
        if split_parts:
            answer = self.with_parts(q, hits, answer)
        return _with_notice(answer, notice)

    def with_parts(self, q: Question, hits: tuple[Hit, ...], answer: Answer) -> Answer:
        """`answer` with what the confident answers of the question's parts tell that it lacks
        (`question_parts.standalone_parts`: "…有多少个？是按哪个办法来管的？", read as a figure
        question — the figure's sentence answered, the 办法 was not), each part answered on its
        own from the same hits; not confident when a part's answer that would add something is
        not (its sentences are added all the same: the page marks them in the sources). A question read as a field and a figure (`multi`) too: its fields are composed
        together, but a method, a list or a second figure asked after them is not
        ("…压到多少天内？…靠什么解决？牵头单位是哪几个？"). Not comparisons: they answer each place
        already."""
        if q.kind == "comparison" or answer.kind in ("comparison", "none"):
            return answer
        parts = question_parts.standalone_parts(q.text, q.places)
        # Citation marks taken out: a sentence "…以上。" is told as "…以上[1]。".
        told = re.sub(r"\s", "", without_citation_marks(answer.text))
        # A task row the answer cites is not told again whole (its card shows it whole); a
        # sentence of it, or a line said of it ("南宁市1900人，各市任务中最多"), may be.
        rows = {hit.passage.id for hit in answer.cited_hits if is_task_row(hit)}
        added: list[tuple[str, Hit]] = []
        sure = answer.confident
        no_day = ""  # a part asking a day that nothing read gives: the notice says so
        for part in parts:
            embedded = self.vectors_for(part, None)  # once for every step
            part_q = _day_as_figure(part, self.recognised(part, embedded))
            # "城网和农网…的目标各是多少小时": a figure asked of each thing is told by its own
            # answer's sentences, not by one sentence with its figure.
            each = part_q.kind == "figure" and comparison_answer.asks_each(part)
            if not each and self.tells_part(part_q, hits, told, q.types, embedded):
                continue
            # A figure part is told by a sentence with its figure, not by its topic's headline.
            figure = compose.figure_pattern(part) if part_q.kind == "figure" else None
            sub = self.best_first(part_q, hits, embedded)
            if figure is None and self.best_told(part, sub, told):
                continue
            if figure is not None:
                sub = _figure_first(sub, part, figure)
            # The part's sentences told already take none of its room (the part's text holds
            # the first part's words, so the first part's sentence often ranks first), nor do
            # an each part's; another figure part's do: it is told by its figure's sentence.
            room = figure is not None and not each
            new = [
                (s, hit)
                for s, hit in _leading_pieces(sub, told, told_takes_room=room)
                if not (hit.passage.id in rows and s.startswith(compose.TASK_LABEL))
                and (figure is None or compose.holds_figure(s, figure))
            ]
            if new:
                # An unsure part's sentences go in too, the whole then unsure: the page shows
                # its sources with them marked, not an answer body.
                added += new
                told += "".join(re.sub(r"\s", "", s) for s, _ in new)
                sure = sure and sub.confident
            elif figure is compose.DAY and not figure.search(told):
                sure = False  # a day asked that neither the answer nor any sentence gives
                no_day = no_day or part
        if not added:
            told_answer = answer if sure == answer.confident else _unsure(answer)
        else:
            told_answer = _with_pieces(answer, added, sure)
        return _day_notice(told_answer, no_day)

    def best_first(
        self, part_q: Question, hits: tuple[Hit, ...], embedded: QuestionVectors
    ) -> Answer:
        """A part's own answer with its best sentence first when it scores more than
        PART_MARGIN above the answer's own first (its composer's order stands otherwise: the
        scores of sentences that close are noise): a part adds its first pieces only, and
        "…找人找财产难的问题打算靠什么解决" is told by the third sentence of its answer ("优化执行
        指挥机制…", 0.2 above the first). A line of fields (or a task row's) stays first, as
        does a place part's place; any other line no sentence scored goes last, and a method
        part's (a "相关做法：" line, an outline's steps) is left out. A list part's items are
        scored as their sentences (numbers dropped when they are reordered); a list part whose
        best sentence scores LIST_PART_MARGIN above all its items is told by that sentence
        alone."""
        sub = self.extractive(part_q.text, hits, embedded=embedded, split_parts=False)
        _, read, cands, scores = self.scored(part_q.text, hits, embedded, part_q)
        score = {_told_key(c.text): float(s) for c, s in zip(cands, scores, strict=True)}
        # A list's items are scored as the sentences they are.
        found = [score.get(_told_key(_ITEM_NUMBER.sub("", s))) for s, _ in sub.sentences]
        known = [x for x in found if x is not None]
        if part_q.kind == "list" and known:  # a scored item: there are candidates
            top = int(np.argmax(scores))
            if float(scores[top]) > max(known) + LIST_PART_MARGIN:
                # "大用户用气贵，钦州准备组织企业去申报什么试点": read as a list, the part's
                # answer is a measure's eight items; one sentence answers it far better ("积极组织
                # 企业申报自治区天然气大用户市场化改革试点…"): that sentence alone.
                return _sentence_alone(sub, cands[top].text, read[cands[top].hit])
        by_score = bool(known) and max(known) > known[0] + PART_MARGIN

        def rank(k: int) -> tuple[int, float]:
            if found[k] is not None:
                return 1, -found[k] if by_score else k
            first = part_q.kind == "place" or _FIELD_LABEL.match(sub.sentences[k][0])
            return (0, k) if first else (2, k)

        order = sorted(range(len(sub.sentences)), key=rank)
        if part_q.kind == "method":
            order = [k for k in order if rank(k)[0] < 2]
        sentences = tuple(sub.sentences[k] for k in order)
        if by_score:  # out of the list's order, its numbers would mislead
            sentences = tuple((_ITEM_NUMBER.sub("", s), n) for s, n in sentences)
        return dataclasses.replace(sub, sentences=sentences)

    def best_told(self, part: str, sub: Answer, told: str) -> bool:
        """Whether the answer (`told`: its text without citation marks and whitespace) holds
        the best sentence of the part's own answer `sub` (`best_first`) and that sentence says
        what the part's own asking clause asks: PART_TERMS of its terms ("…又打通了一条什么成长
        通道" by "同时，打通“个转企”成长通道…"). "…是按哪个办法来管的" is not told by the count's
        sentence ranked first for it: the part's text holds the count's words too."""
        best = next((s for s, n in sub.sentences if n and not _FIELD_LABEL.match(s)), "")
        if not best or _told_key(best) not in told:
            return False
        asking = [c for c in clauses(part) if asks_in(c)]
        own = asking[-1] if asking else part
        terms = question_terms(own)
        return term_overlap(terms, best, weights=self.term_weights()) >= PART_TERMS

    def tells_part(
        self,
        part_q: Question,
        hits: tuple[Hit, ...],
        told: str,
        asked: frozenset[str],
        embedded: QuestionVectors | None = None,
    ) -> bool:
        """Whether the answer (its text `told`, citation marks taken out, composed for the
        types `asked`) tells the part `part_q` already. A figure part: when `told` holds a
        sentence with the figure it asks (`compose.figure_pattern`) scoring within PART_MARGIN
        of the part's best such sentence ("…诉求降了多少？…有多少个工程项目投了这个保？": two
        figures asked, the composed answer may hold one). A part of another kind: when it asks
        one of the types `asked` (a field part: the fields are composed together); any other
        part is answered on its own, its pieces the answer tells already left out."""
        if part_q.kind == "field" and part_q.fields:
            # "…多少场以上？钦州这条措施配合的群团组织有哪几家？": the fields are composed
            # together, but an answer composed otherwise (sentences, a task row without the
            # field) tells a field only on its line.
            return all(f"{field}：" in told for field in part_q.fields)
        if part_q.kind != "figure":
            return part_q.kind in asked
        embedded = self.vectors_for(part_q.text, embedded)
        _, _, cands, scores = self.scored(part_q.text, hits, embedded, part_q)
        figure = compose.figure_pattern(part_q.text)
        # "原来8个环节压成了几项": "…8项压缩至…" holds the question's own 8, not the figure asked.
        with_figure = [
            i
            for i, c in enumerate(cands)
            if compose.holds_figure(c.text, figure, stated=part_q.text)
        ]
        if not with_figure:
            # Nothing to add: no sentence holds such a figure. A day asked that no sentence
            # gives is not told ("成都营商环境4.0版是哪天发布的": the case says "今天上午").
            return figure is not compose.DAY
        # "…一共会诊了多少个法律问题": told by a sentence counting the act asked ("共会诊法律
        # 问题2500余个"), not by another figure in the unit ("商（协）会83个"); the preference
        # applied last, which opens a figure answer, narrows first.
        for prefers in reversed(_figure_preferences(part_q.text, figure)):
            with_figure = [i for i in with_figure if prefers(cands[i].text)] or with_figure
        best = max(float(scores[i]) for i in with_figure)
        inside = [float(scores[i]) for i in with_figure if _as_told(cands[i].text) in told]
        return bool(inside) and max(inside) >= best - PART_MARGIN

    def first_part(
        self,
        q: Question,
        hits: Sequence[Hit],
        cands: Sequence[Candidate],
        embedded: QuestionVectors,
    ) -> np.ndarray | None:
        """For a method question that asks how twice ("…是怎么让企业知道…的，证怎么领？"),
        each candidate's score against the first clause that asks how (its own vector, made
        with the question's); None otherwise."""
        if q.kind != "method" or not method_steps.asks_how_twice(q.text) or not cands:
            return None
        parts = clauses(q.text)
        first = next((i for i, p in enumerate(parts) if _ASKS_HOW.search(p)), None)
        if first is None or len(parts) != len(embedded.clauses):
            return None
        return self.sentence_scores(parts[first], embedded.clauses[first], hits, cands)

    def figure_asks(
        self,
        q: Question,
        hits: Sequence[Hit],
        cands: Sequence[Candidate],
        embedded: QuestionVectors | None = None,
    ) -> list[tuple[tuple[re.Pattern[str], ...], np.ndarray]]:
        """For a question that asks two figures or more, one question after the other or in
        clauses of one: each one's figure patterns and each candidate's score against it; []
        otherwise. An ask that is one of the recogniser's clauses has the vector the search
        made (`embedded`), not another encoder call."""
        asks = compose.figure_asks(q.text) if q.kind in ("figure", "multi") else ()
        if not asks or q.fields or not cands:
            return []
        made: dict[str, np.ndarray] = {}
        if embedded is not None and embedded.text == q.text and len(embedded.clauses):
            made = dict(zip(clauses(q.text), embedded.clauses, strict=False))
        return [
            (
                compose.counted_patterns(ask),
                self.sentence_scores(
                    ask,
                    made[ask] if ask in made else embed_question(self.encoder, ask).whole,
                    hits,
                    cands,
                ),
            )
            for ask in asks
        ]

    @staticmethod
    def _one_sentence_list(q: Question, answer: Answer) -> bool:
        """A list answer of one sentence that does not count what is asked (the selector's
        span reads better then; "哪几大环境" → "…“五大环境”" stays, and so do "哪五件事" →
        "…五件事…" and a run where the question asks for it: "打通哪几方的信息系统" →
        "打通…码头、海关、铁路、船公司等多主体之间的信息系统")."""
        if len(answer.sentences) >= 2:
            return False
        want = compose.asked_count(q.text)
        return not (
            compose.counts_noun_asked(q.text, answer.text)
            or (want >= 2 and compose.says_count(answer.text, want))
            or compose.fills_slot(q.text, answer.text)
        )

    def list_options(
        self, q: Question, hits: tuple[Hit, ...], cands: Sequence[Candidate], scores: np.ndarray
    ) -> tuple[tuple[Hit, ...], list[compose.ListOption]]:
        """The lists the sources offer (`compose.list_options`): enumerating sentences, and
        the numbered structure of the best units (`compose.list_focus`) and the units under
        their headings (hits for those units are added, so each item cites its own unit)."""
        snap = self.searcher.index.current
        focus = compose.list_focus(q.places, hits, cands, scores)
        unit_texts = {h: self.unit_text(snap, hits[h]) for h in focus}
        members = snap.derived(index_headings)
        have = {hit.unit.id: i for i, hit in reversed(list(enumerate(hits)))}
        extra: list[Hit] = []
        groups = []
        # The tasks a task table lists under the indicator of a top unit, when the question
        # says 指标 ("…这个指标有哪些任务") or asks the tasks of one it names ("政务服务方面有
        # 哪些任务"): another grouping would compete otherwise.
        indicators = {
            key: units
            for key, units in snap.derived(index_indicators).items()
            if "指标" in q.text
            or (compose.ASKS_TASKS.search(q.text) and compose.names_heading(key[1], q.text))
        }
        members = {**members, **indicators}
        keys = {k: h for h in reversed(focus) for k in compose.headings_of(hits[h].unit, members)}
        keys.update(
            {
                key: h
                for h in reversed(focus)
                if (key := (hits[h].unit.doc, f"{INDICATOR_HEAD}{hits[h].unit.indicator}"))
                in indicators
                and len(indicators[key]) >= 2
            }
        )
        for key, source in keys.items():
            if len(members[key]) > compose.group_cap(key[1], q.text):
                continue
            indices = []
            for uid in members[key]:
                if uid not in have and (hit := self._first_hit(snap, uid, len(hits) + len(extra))):
                    have[uid] = len(hits) + len(extra)
                    extra.append(hit)
                if uid in have:
                    indices.append(have[uid])
            groups.append((key[1], indices, source))
        hits = hits + tuple(extra)
        return hits, compose.list_options(hits, cands, unit_texts, groups, question=q.text)

    @staticmethod
    def _first_hit(snap: IndexSnapshot, unit_id: str, rank: int) -> Hit | None:
        unit, rows = snap.unit(unit_id), snap.unit_rows(unit_id).tolist()
        if unit is None or not rows:
            return None
        return _fetched_hit(snap, snap.passages[rows[0]], unit, rank + 1)

    def score_options(
        self,
        question: str,
        options: Sequence[compose.ListOption],
        hits: Sequence[Hit],
        query_vector: np.ndarray,
        intent: str,
    ) -> np.ndarray:
        """Each list option scored against the question like a sentence (`score_sentences`),
        with the same context (unit title, section and document title: "钦州实施方案的保障措施"
        names the document, not the items)."""
        if not options:
            return np.zeros(0, dtype=np.float32)
        texts = [o.text for o in options]
        first = [o.hit for o in options]
        return score_sentences(
            question,
            texts,
            self.sentence_vectors(texts),
            query_vector,
            contexts=[
                f"{hits[h].unit.title} {hits[h].passage.section} {hits[h].doc_title}" for h in first
            ],
            ranks=[min(h, self.max_passages) for h in first],
            term_weights=self.term_weights(),
            intent=intent,
        )

    def aspect_options(
        self,
        question: str,
        options: Sequence[compose.ListOption],
        scores: np.ndarray,
        hits: Sequence[Hit],
        query_vector: np.ndarray,
        intent: str,
    ) -> list[compose.ListOption]:
        """The options marked where the question asks about one aspect of a case
        (`compose.narrow_to_aspect`); the case's own lists are scored on their items for it
        (`compose.scoring_text`: the title, every list's context, does not count twice)."""
        titles = [hit.unit.title for hit in hits]
        case = [i for i, o in enumerate(options) if compose.is_case_run(o, titles)]
        if not case:
            return list(options)
        texts = [compose.scoring_text(options[i], titles[options[i].hit]) for i in case]
        own = [dataclasses.replace(options[i], text=t) for i, t in zip(case, texts, strict=True)]
        case_scores = scores.copy()
        case_scores[case] = self.score_options(question, own, hits, query_vector, intent)
        terms = question_terms(question)
        return compose.narrow_to_aspect(options, scores, case_scores, titles, terms)

    def outlines(self, q: Question, hits: tuple[Hit, ...]) -> dict[str, compose.Outline]:
        """For a method question, the practices each of the top units names in its own
        structure (`compose.case_outline`) and what introduces them, by unit id; for a
        comparison, those of every unit among the hits (a place's case may rank low)."""
        if not (q.kind in ("method", "comparison") or asks_several_places(q)):
            return {}
        snap = self.searcher.index.current
        read = hits[:OUTLINE_HITS] if q.kind == "method" else hits
        top = {hit.unit.id: hit for hit in reversed(read)}
        return {uid: self.outline(snap, hit) for uid, hit in top.items()}

    @classmethod
    def outline(cls, snap: IndexSnapshot, hit: Hit) -> compose.Outline:
        """The practices `hit`'s unit names in its own structure, with what introduces them."""
        text = cls.unit_text(snap, hit)
        headings = compose.case_outline(hit.unit, text)
        return compose.Outline(
            compose.outline_lead(hit.unit, text),
            compose.detailed_outline(headings, text),
            headings,
        )

    @classmethod
    def step_text(cls, snap: IndexSnapshot, hit: Hit) -> str:
        """A unit's text as its steps read: a task-table row without its columns."""
        task, is_row = row_task(hit)
        return task if is_row else cls.unit_text(snap, hit)

    def plain_document(self, hit: Hit) -> bool:
        """Whether `hit` is of a document whose units are all plain sections."""
        return hit.unit.doc in self.searcher.index.current.derived(index_plain_docs)

    @staticmethod
    def unit_text(snap: IndexSnapshot, hit: Hit) -> str:
        passages = [snap.passages[pos] for pos in snap.unit_rows(hit.unit.id).tolist()]
        return compose.clean_unit_text(compose.joined(passages) or hit.passage.text, hit.unit)

    def ask(self, question: str, k: int = 8, filters=None) -> Answer:
        """Answer `question` from the top `k` hits; raises `QueryError` for an empty one."""
        return self.answer(*self.retrieve(question, k, filters))

    def answer(self, result: SearchResult, embedded: QuestionVectors | None = None) -> Answer:
        """The answer from a search's hits: generated when a model is configured (extractive
        when it fails), else extractive; `embedded`: the question's vectors (`retrieve`)."""
        query, hits = result.query, tuple(result.hits)
        if not hits:
            answer = no_answer((), result.message or NOTICE_NO_HITS)
        elif self.generator is not None:
            try:
                generated = self.generator.generate_for_hits(query, hits)
                answer = generated_answer(generated, hits, notice=result.message)
            except GenerationError:
                answer = self.extractive(query, hits, result.message, embedded)
                notice = f"{NOTICE_NO_GENERATION}{answer.notice}"
                answer = dataclasses.replace(answer, notice=notice)
        else:
            answer = self.extractive(query, hits, result.message, embedded)
        return dataclasses.replace(answer, query_terms=result.query_terms)
