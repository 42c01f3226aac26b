"""A learned span selector: which contiguous run of sentences answers the question.

The sentence extracts answer with the best sentence plus the others scoring close to it,
from anywhere in the top passages; on policy documents of unknown layout the gold answer is
one contiguous span (a clause, a sentence, a paragraph), so the answer should be one run of
neighbouring sentences of one passage. `runs` lists the runs (1–`MAX_RUN` sentences of one
passage, each also with up to `MAX_TRIM` clauses dropped from its start and from its end: gold
spans are short — median 37 characters against 90 for whole sentence runs — and often start
after a clause restating the question's subject, "对…，"), `run_features` describes each
(pure; with the question's words and kind, so the length expected of a kind of question and
a dropped clause that repeats the question are learned), and a model fitted on NCPQA dev to
pick the run of highest character F1 (bench/span_selector.py, out of fold by document; kept
in search/data/span_selector.json) scores them: the best run is the answer, cited to its
passage.

A question asking for a figure, a date or a phone number (`asks_value`) is often answered by
less than a clause ("…运送疫情防控物资多少吨？" → "1294吨"), so its candidates also hold the
`value_phrases` of each sentence (a value with its unit and close modifiers, or values joined
by 、/至), described by their clause's features plus their own (`_phrase_row`).

Besides the sentence scores and the question's bigrams, each run is described against the
question's weighted terms (`SpanContext`: how much of them the span, its first and last
clause, the clauses dropped, the sentence before and the passage hold — policy answers often
follow the sentence that restates the question) and against what the question asks for
(`ANSWER_CUES`: a date for 何时, a figure for 多少, an enumeration for 哪些 …). The score is
a LightGBM ranker's (lambdarank over each question's runs, labelled by character F1, kept as
LightGBM's own text format inside the JSON file — no pickle) blended with the linear one.

`selector_owns` says which questions it answers: the ones whose best source is a document
of unknown layout (a plain section, no case or measure fields), for which the structured
composer (search/compose.py) has nothing to compose; comparisons stay with the composer,
which answers per place. How-to questions about cases and measures stay with the composer
too: answered by one run, method questions of the tuned-on typed set fell from 5/8 to 3/8
(the case's opening sentence and the steps are in different places of the unit).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from search.compose import Candidate

if TYPE_CHECKING:
    from collections.abc import Mapping

log = logging.getLogger(__name__)

WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "span_selector.json"
MAX_RUN = 3
MAX_TRIM = 2  # clauses dropped at either end: out of fold 1 → 0.428, 2 → 0.435, 3 → 0.426
CLAUSE = re.compile(r"[^，；：,;:]*[，；：,;:]?")
CLAUSE_END = "，；：,;:"
SENTENCE_END = "。！？!?；;"
KINDS = ("field", "figure", "list", "method", "multi")  # kinds with their own length prior
COMPOSER_ONLY = frozenset({"comparison"})  # never the selector: answered per place
# What a question asks for, and what a span holding it contains: (name, asked, content).
ANSWER_CUES = (
    (
        "time",
        re.compile(r"时间|何时|什么时候|期限|截止|多久|日期|哪天|几月"),
        re.compile(r"\d{1,4}年|\d{1,2}月|\d{1,2}日|月底|年底|天|日前|之前"),
    ),
    (
        "number",
        # "复工率如何": a rate asked how it stands is a figure asked.
        re.compile(r"多少|几|比例|金额|标准|幅度|多大|多高|多长|(?<!效)率(?:如何|怎样|怎么样)"),
        re.compile(r"\d|[一二三四五六七八九十百千万两]+(?:个|项|条|类|种|家|名|人|元|倍|天|年|月)"),
    ),
    (
        "phone",
        re.compile(r"电话|热线|号码|拨打|联系方式"),
        re.compile(r"\d{5,}|\d{3,4}[-—－–]\d{7,8}"),
    ),
    (
        "list",
        re.compile(r"哪些|哪几|包括|什么内容|有何"),
        re.compile(r"、.*、|[；;]|一是|二是|（[一二三四]）|\d[.、．]"),
    ),
    (
        "how",
        re.compile(r"如何|怎么|怎样|怎麼|措施|做法|举措|方式|办法"),
        re.compile(r"要|应当|应|须|通过|实行|实施|采取|采用|开展|加强|建立|推行|落实|可"),
    ),
    (
        "who",
        re.compile(r"谁|哪个部门|哪家|哪个单位|什么单位|什么部门|哪个机构|由哪|负责"),
        re.compile(r"局|委|部|厅|办|中心|公司|集团|政府|银行|协会|医院|平台|客户端|公众号|APP|App"),
    ),
    (
        "entity",
        re.compile(
            r"哪(?:个|所|家|座|一个|一家)?(?!些|几|天|一天|年|月|[三四五六七八九十])[\u4e00-\u9fff]|在哪|哪里|哪儿|什么地方|何地"
        ),
        re.compile(
            r"(?:局|委|部|厅|院|公司|集团|银行|省|市|区|县|镇|村|社区|网|客户端|平台|系统|中心)"
        ),
    ),
    (
        "condition",
        re.compile(r"条件|对象|范围|哪些人|什么人|哪类"),
        re.compile(r"符合|对象|的[，,]|范围|条件"),
    ),
    (
        "purpose",
        re.compile(r"目的|意义|为什么|为何|原因"),
        re.compile(r"为了|为|以|旨在|确保|保障|目的"),
    ),
)
CUES = tuple(name for name, _, _ in ANSWER_CUES)
NUMBERED = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、是]|\d+[.．、]|第[一二三四五六七八九十]+)"
)
# Values a figure, date or phone question asks for, as a sentence writes them. A unit or
# measure word follows a figure ("212所", "2000万个", "85万人次", "50%"); a Chinese numeral
# counts only with one ("十二条", not 一线); a bare number needs three digits ("核准数仅162")
# and is never an ordinal ("第3批").
_UNIT = (
    r"(?:个百分点|个工作日|个月|人次|批次|平方米|毫升|公里|公斤|千克|小时|分钟|单位|工作日"
    r"|[个项条类种家户名人所元吨批件次天年周倍成只台套辆张份床间亩米座架箱剂例位支块栋期轮场]"
    r"|[%％‰])"
)
_DATE = (
    r"(?:\d{4}年(?:\d{1,2}月(?:份|\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|\d{1,2}月(?:底|初|上旬|中旬|下旬|份)"
    r"|\d{1,2}日)(?:\d{1,2}[时点](?:\d{1,2}分)?)?"
)
_PHONE = (
    r"(?:\d{3,4}[-—－–]\d{3,4}[-—－–]?\d{4}|\d{3,4}[-—－–]\d{7,8}|1\d{10}|\d{7,8}|[19]\d{4})"
    rf"(?![\d.．]|[万亿千百]?{_UNIT})"
)
_FIGURE = (
    rf"(?<![第〔\[])(?:\d+(?:[.．]\d+)?(?:多|余)?[万亿千百]?{_UNIT}"
    rf"|[一二三四五六七八九十两百千万亿]+(?:多|余)?{_UNIT}|\d+(?:[.．]\d+)?[万亿]|\d{{3,}})"
)
VALUE = re.compile(rf"(?<![\d.．])(?:(?P<date>{_DATE})|(?P<phone>{_PHONE})|(?P<figure>{_FIGURE}))")
# Close modifiers a value keeps ("超过2000家", "每人每月1000元", "至2月28日", "不超过5个月",
# "自2020年1月24日起", "2月17日24时前", "至2月28日（星期五）"), and what joins values into one
# ("2518363、2518690、2517106", "2020年1月1日至2020年6月30日", "2月9日~2月29日").
VALUE_BEFORE = re.compile(
    r"(?:近|约|超过|超|达到|达|仅|共计|共|累计|合计|总计|不超过|不少于|不低于|不高于|最长|最多|最高"
    r"|最低|至少|高达|多达|至|到|自|从|截至|截止|每人每月|每人每天|每人每年|每人|每户|每家|每月"
    r"|每天|每日|每年|每周)$"
)
VALUE_AFTER = re.compile(
    r"^(?:起|前|后|以上|以下|以内|左右|之内|之前|以后|为止|止|内)?(?:[（(][^（）()]{1,12}[)）])?"
)
VALUE_JOIN = re.compile(r"^(?:[、和及与或至到~～—－-]|以及)$")
PHRASE_SHAPES = ("date", "phone", "figure")
PHRASE_ASKS = ("time", "number", "phone")  # the cues (`ANSWER_CUES`) that get value phrases
ENTITY_ASKS = ("entity", "who")  # … and those that get entity phrases (`entity_phrases`)
_ASKED_UNIT = re.compile(rf"(?:多少|几)[万亿千百]?({_UNIT})")


@dataclass(frozen=True)
class Phrase:
    """Characters [start, end) of a sentence holding a value of `shape` (`PHRASE_SHAPES`,
    or "entity": a name, `entity_phrases`);
    `values`: how many values it joins; `modified`: with a close modifier or suffix."""

    start: int
    end: int
    shape: str
    values: int = 1
    modified: bool = False
    order: int = 0  # values before it in the sentence


def _widened(sentence: str, a: int, b: int) -> tuple[int, int]:
    """[a, b) of `sentence` with the close modifier before it and the suffix after it."""
    before = VALUE_BEFORE.search(sentence[max(0, a - 4) : a])
    after = VALUE_AFTER.match(sentence[b : b + 14])
    return (a - len(before.group()) if before else a), (b + len(after.group()) if after else b)


def value_phrases(sentence: str, question: str = "") -> list[Phrase]:
    """Minimal phrases of `sentence` holding a value (a figure with its unit, a date, a phone
    number), each alone and with its close modifiers, and runs of values joined by 、/和/至
    as one; a value the question itself states is none (it is what the question asks about,
    not for: "2月16日，全国铁路预计发送旅客多少人次？")."""
    asked = "".join(question.split())
    found = [
        m
        for m in VALUE.finditer(sentence)
        if not (asked and m.group() in asked) and m.group().strip()
    ]
    out: dict[tuple[int, int], Phrase] = {}

    def add(a: int, b: int, shape: str, values: int, modified: bool, order: int) -> None:
        if b > a and (a, b) not in out:
            out[(a, b)] = Phrase(a, b, shape, values, modified, order)

    chains: list[list[re.Match[str]]] = []
    for m in found:
        if chains and VALUE_JOIN.match(sentence[chains[-1][-1].end() : m.start()]):
            chains[-1].append(m)
        else:
            chains.append([m])
    order = 0
    for chain in chains:
        for m in chain:
            shape = str(m.lastgroup)
            a, b = m.span()
            a2, b2 = _widened(sentence, a, b)
            for start, end in {(a, b), (a2, b), (a, b2), (a2, b2)}:
                add(start, end, shape, 1, (start, end) != (a, b), order)
            order += 1
        if len(chain) > 1:
            a, b = chain[0].start(), chain[-1].end()
            a2, b2 = _widened(sentence, a, b)
            first = order - len(chain)
            add(a, b, str(chain[0].lastgroup), len(chain), False, first)
            add(a2, b2, str(chain[0].lastgroup), len(chain), (a2, b2) != (a, b), first)
    return sorted(out.values(), key=lambda p: (p.start, p.end))


# A list (哪些, 哪几) or a reason (为何) is not one value, whatever else the question says.
_ASKS_NO_VALUE = ("list", "purpose")
ASKS_WHEN = re.compile(r"何时|什么时候|哪天|哪一天|几月|几号|几日|日期|什么时间|截止|截至|起止")
ASKS_HOW_LONG = re.compile(r"多久|多长|期限|时限|时长|几天|几个月|几年|多少天|多少个月|多少年")
_DURATION = re.compile(r"(?:个?工作日|[天日年周]|个月|小时)(?:以上|以下|以内|左右|之内|内)?$")
# What a figure question's unit is when it does not say it after 多少 / 几.
_ASKED_SHARE = re.compile(r"比例|占比|百分|增幅|降幅|幅度|[^效]率")
_ASKED_MONEY = re.compile(r"多少钱|金额|多少资金")


@lru_cache(maxsize=1024)  # asked of every candidate sentence (`phrases`, `fits_ask`)
def asked_cues(question: str) -> frozenset[str]:
    """What the question asks for, by the names of `ANSWER_CUES` ("who", "time", …)."""
    return frozenset(name for name, a, _ in ANSWER_CUES if a.search(question))


# "…资金是否受70%资金比例的限制？": whether, answered yes or no by a clause, not by a value.
_ASKS_WHETHER = re.compile(r"是否|能否|可否|能不能|可不可以|会不会|要不要|需不需要")


def asks_value(question: str) -> bool:
    """Whether the question asks for a figure, a date or a phone number (`PHRASE_ASKS`),
    not for a list, a reason or whether (`_ASKS_WHETHER`)."""
    asks = asked_cues(question)
    whether = bool(_ASKS_WHETHER.search(question))
    return bool(asks & set(PHRASE_ASKS)) and not asks & set(_ASKS_NO_VALUE) and not whether


def asks_entity(question: str) -> bool:
    """Whether the question asks which one — a unit, a place, a site, a group (哪家企业、
    哪所医院、在哪里、哪个部门牵头; `ENTITY_ASKS`), not for a list or a reason."""
    asks = asked_cues(question)
    return bool(asks & set(ENTITY_ASKS)) and not asks & set(_ASKS_NO_VALUE)


# What a name ends with, by the noun a question asks with 哪 ("哪家企业" → …公司 / …集团).
_BODY_ENDS = "局|委|部|厅|办|办公室|中心|院|会|组|站|处|所"
_SITE_ENDS = "网|网站|系统|平台|客户端|APP|App|app|公众号|小程序"
_ENTITY_ENDS = {
    "企业": "公司|集团|企业|银行|厂|店|社",
    "公司": "公司|集团",
    "部门": _BODY_ENDS,
    "单位": f"{_BODY_ENDS}|公司|集团|银行|学校|大学",
    "机构": "局|委|部|厅|办|中心|院|会|所|公司|集团|银行|机构",
    "医院": "医院|院区|院",
    "网站": _SITE_ENDS,
    "平台": _SITE_ENDS,
    "媒介": f"{_SITE_ENDS}|报|台|频道|广播|专栏",
    "渠道": f"{_SITE_ENDS}|热线|窗口",
    "群体": "生|者|员|人|户|企业|群体|主体|人群|人员",
    "人群": "生|者|员|人|户|群体|人群|人员",
}
_PLACE_ENDS = "省|市|区|县|镇|乡|村|社区|街道|园区|园|港|口岸|站|中心|大厅|医院|院区|点"
_ENTITY_HEAD = re.compile(r"哪(?:个|所|家|座|类|种|位|一个|一家)?([\u4e00-\u9fff]{1,2})")
_ASKS_PLACE = re.compile(r"在哪(?![个所家座类种位一])|哪里|哪儿|什么地方|何地")


@lru_cache(maxsize=1024)  # asked of every candidate sentence and every name found
def entity_ends(question: str) -> re.Pattern[str] | None:
    """How the name a which-question asks for ends: the noun after 哪 or its kind's endings
    (`_ENTITY_ENDS`), a place's endings for 在哪里, a unit's for 谁 / 哪个部门; None when the
    question asks for no name."""
    if not asks_entity(question):
        return None
    if _ASKS_PLACE.search(question):
        return re.compile(rf"(?:{_PLACE_ENDS})$")
    m = _ENTITY_HEAD.search(question)
    head = m.group(1) if m else "单位"
    ends = next(
        (v for k, v in _ENTITY_ENDS.items() if head.startswith(k) or k.startswith(head)), ""
    )
    return re.compile(rf"(?:{ends or re.escape(head)})$")


_NOUNISH = ("n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "ng", "nl", "j", "vn", "eng")
_QUOTED = re.compile(r"[“《][^“”《》]{1,20}[”》]")
_PROPER = ("ns", "nt", "nz", "nr", "nrt")  # a place's, an organisation's, a person's name
_ORGANISATION = re.compile(r"(?:公司|集团|中心|协会|商会|基金会|联合会|研究院)$")
MAX_ENTITY_TOKENS = 8
MAX_ENTITY_CHARS = 30


def entity_phrases(sentence: str, question: str = "") -> list[Phrase]:
    """The names in `sentence` a which-question asks for (`entity_ends`): each run of nouns
    (jieba's part of speech) that ends as the name asked does ("自治区龙潭医院" for 哪所医院,
    "甘肃药业投资集团" for 哪家企业), from the run's start or a proper noun in it — not a
    bare tail ("有限公司", "社区") — and each quoted name that ends so; none the question
    itself holds."""
    import jieba.posseg as pseg

    ends = entity_ends(question)
    if ends is None:
        return []
    asked = "".join(question.split())
    spans: set[tuple[int, int]] = set()
    pos, run = 0, []  # run: (start, end, flag) of the nouns in a row
    for word, flag in [*pseg.cut(sentence), ("", "x")]:
        # A verb inside a name ("上海张江临港投资开发有限公司"), never at its start.
        if word.strip() and (flag.startswith(_NOUNISH) or (run and flag == "v")):
            run.append((pos, pos + len(word), flag))
        else:
            for k, (start, _, own) in enumerate(run):
                if own == "v" or k and not (own in _PROPER or run[k - 1][2] == "ns"):
                    continue  # a tail of a name is no name
                verb = False
                for j in range(k + 1, min(len(run), k + MAX_ENTITY_TOKENS) + 1):
                    end, flag_j = run[j - 1][1], run[j - 1][2]
                    verb = verb or flag_j == "v"
                    # Only an organisation's name holds a verb: "院区作为应急后备定点收治医院"
                    # is a clause.
                    if not verb or _ORGANISATION.search(sentence[start:end]):
                        spans.add((start, end))
            run = []
        pos += len(word)
    spans |= {m.span() for m in _QUOTED.finditer(sentence)}
    out = []
    for a, b in sorted(spans):
        text = sentence[a:b]
        if (
            2 <= len(text) <= MAX_ENTITY_CHARS
            and text not in asked
            and ends.search(text.strip("“”《》"))
        ):
            out.append(Phrase(a, b, "entity"))
    return [replace(p, order=n) for n, p in enumerate(out)]


def phrases(sentence: str, question: str) -> list[Phrase]:
    """What a question asking for a value (`value_phrases`) or a name (`entity_phrases`)
    may be answered by in `sentence`."""
    out = value_phrases(sentence, question) if asks_value(question) else []
    # A date answers only when a time is asked, a phone number only when one is ("咨询电话是
    # 多少？" is not answered by "2020年2月2日"); a figure of any unit may (`fits_ask` weighs it).
    asks = asked_cues(question)
    out = [p for p in out if p.shape == "figure" or _SHAPE_ASKS[p.shape] in asks]
    return out + entity_phrases(sentence, question)


_SHAPE_ASKS = {"date": "time", "phone": "phone"}


def fits_ask(phrase: str, shape: str, question: str) -> bool:
    """The phrase is the kind of value the question asks for: a date for 何时, a duration
    for 多久, a phone number for 电话, a figure in the unit asked for 多少 ("多少吨" →
    "1294吨", "比例" → "0.54%", "多少钱" → "200万元")."""
    if shape == "entity":
        ends = entity_ends(question)
        return ends is not None and ends.search(phrase) is not None
    asks = asked_cues(question)
    if shape == "phone":
        return "phone" in asks
    if shape == "date":
        return "time" in asks and not ASKS_HOW_LONG.search(question)
    if ASKS_HOW_LONG.search(question):
        return bool(_DURATION.search(phrase))
    if ASKS_WHEN.search(question) or "number" not in asks:
        return False
    unit = _ASKED_UNIT.search(question)
    if unit is not None:
        return unit.group(1) in phrase
    if _ASKED_SHARE.search(question):
        return bool(re.search(r"[%％‰成倍]", phrase))
    if _ASKED_MONEY.search(question):
        return "元" in phrase
    return True


FEATURES = (
    "bias",
    "max_score",
    "mean_score",
    "first_score",
    "gap_to_best",
    "rank_of_first",  # of the run's first sentence among all candidates, by score
    "hit_rank",
    "top_hit",
    "first_in_passage",
    "position",
    "run_length",
    "log_chars",
    "ends_sentence",
    "trimmed_start",
    "trimmed_end",
    "log_trim_start",
    "log_trim_end",
    "log_clauses",
    "question_overlap",  # share of the span's character bigrams that are the question's
    "dropped_overlap",  # the same for the clauses dropped at the start
    "first_clause_overlap",
    *(f"log_chars_{k}" for k in KINDS),
    *(f"log_clauses_{k}" for k in KINDS),
    # Shares of the question's weighted terms (SpanContext.terms) in …
    "terms_span",
    "terms_before",  # … the sentence before the span, in its passage
    "has_before",
    "terms_dropped",  # … the clauses dropped at the start
    "terms_first_clause",
    "terms_last_clause",
    "terms_after",  # … the clauses dropped at the end and the next sentence
    "terms_passage",
    "terms_titles",  # … the passage's unit title, section and document title
    "terms_lead_in",  # … the dropped clauses and the sentence before, together
    "novelty",  # share of the span's characters the question does not have
    "after_colon",  # the text just before the span ends with a colon
    "after_heading",  # the sentence before is a short heading
    "starts_numbered",  # "（一）", "一是", "1." …
    "hit_score_gap",  # the passage's retrieval score less the best passage's
    *(f"cue_{c}" for c in CUES),  # the question asks for it and the span has it
    *(f"log_chars_asks_{c}" for c in CUES),  # a length prior per thing asked for
    # A value phrase (`value_phrases`); the features above then describe its clause.
    "phrase",
    "phrase_log_chars",
    "phrase_kept",  # share of its clause the phrase keeps
    *(f"phrase_{s}" for s in PHRASE_SHAPES),
    *(f"phrase_asks_{c}" for c in PHRASE_ASKS),
    "phrase_fits",  # the shape (and unit) asked for: `fits_ask`
    "phrase_values",  # log of the values it joins
    "phrase_modified",
    "phrase_order",  # log of the values before it in its sentence
    # A name (`entity_phrases`), apart from the values: what tells a good name (its fit, its
    # length) is not what tells a good value, and neither is learnt from the other's rows.
    "entity",
    "entity_log_chars",
    "entity_kept",  # share of its clause the name keeps
    "entity_fits",  # it ends as the name asked does (`fits_ask`; a quoted name may not)
    "entity_quoted",
    "entity_order",  # log of the names before it in its sentence
)


@dataclass(frozen=True)
class Run:
    """Candidates [start, end) — neighbouring sentences of one passage (`hit`) — less
    `lead` clauses at the start of the first and `tail` clauses at the end of the last;
    or, with `phrase`, that phrase of the one sentence, the clause holding it being
    what `lead` and `tail` leave (`spans`)."""

    hit: int
    start: int
    end: int
    lead: int = 0
    tail: int = 0
    phrase: Phrase | None = None


@dataclass(frozen=True)
class SpanContext:
    """What the selector knows beyond the sentences: the question's terms with their weights
    (e.g. IDF), and per hit its retrieval score, passage text and titles."""

    terms: Mapping[str, float] = field(default_factory=dict)
    hit_scores: tuple[float, ...] = ()
    passages: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # unit title, section and document title


def selector_owns(kind: str, unit_kind: str) -> bool:
    """Whether the selector answers a question of `kind` whose best source is a unit of
    `unit_kind` (index.types.UNIT_KINDS)."""
    return kind not in COMPOSER_ONLY and unit_kind == "section"


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence, each with the comma, semicolon or colon that ends it."""
    return [c for c in CLAUSE.findall(sentence) if c]


def asks_question(sentence: str) -> bool:
    """Whether a sentence is a question ("4、为什么要对密切接触者医学观察14天？"): a FAQ's
    heading restates what is asked; its answer is the text after it, never the question."""
    return sentence.strip().endswith(("？", "?"))


def runs(
    candidates: Sequence[Candidate], max_run: int = MAX_RUN, max_trim: int = MAX_TRIM
) -> list[Run]:
    """Every run of 1..`max_run` consecutive candidates of the same passage, each with
    0..`max_trim` clauses dropped at the start and at the end (never all of them); no run
    holds a question (`asks_question`)."""
    out = []
    for i, c in enumerate(candidates):
        first = len(clauses(c.text))
        for j in range(i + 1, min(len(candidates), i + max_run) + 1):
            if candidates[j - 1].hit != c.hit or asks_question(candidates[j - 1].text):
                break
            last = len(clauses(candidates[j - 1].text))
            for lead in range(min(max_trim, first - 1) + 1):
                for tail in range(min(max_trim, last - 1) + 1):
                    if j - i > 1 or lead + tail < first:
                        out.append(Run(c.hit, i, j, lead, tail))
    return out


def phrase_runs(candidates: Sequence[Candidate], question: str) -> list[Run]:
    """The `phrases` of every candidate sentence, each with the clause holding it."""
    out = []
    for i, c in enumerate(candidates):
        own = clauses(c.text)
        ends = np.cumsum([len(x) for x in own]).tolist()
        for p in phrases(c.text, question):
            first = next(k for k, e in enumerate(ends) if e > p.start)
            last = next(k for k, e in enumerate(ends) if e >= p.end)
            out.append(Run(c.hit, i, i + 1, first, len(own) - 1 - last, p))
    return out


# A document's closing line, its issuer and date ("重庆市大渡口区市场监督管理局2020年2月1日。"),
# or a bare date or year left as a sentence ("2020年1月24日。", "2019-2020年。", "2020。").
_FOOTER = re.compile(
    r"^(?:[^，,；;：:。]{2,40}?(?:局|委|厅|办公室|办|政府|院|会|部|中心|小组|处|所|公司|社))?"
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日。?$|^\d{4}(?:[-—–~至]\d{4})?年?。?$"
)


def is_footer(text: str) -> bool:
    """Whether a span is only a document's closing line or a bare date: no answer to a
    question that does not ask for a date (NCPQA: "…采取什么样的办法？" → "2020年1月24日。")."""
    return bool(_FOOTER.match("".join(text.split())))


def spans(candidates: Sequence[Candidate], question: str = "") -> list[Run]:
    """What the selector chooses from: the `runs`, and for a question asking for a figure,
    a date or a phone number (`asks_value`) or for a name (`asks_entity`) the sentences'
    `phrases`; no run holds a closing line or a bare date (`is_footer`) but that line alone,
    for a question asking for a value."""
    footers = {i for i, c in enumerate(candidates) if is_footer(c.text)}
    value = asks_value(question) or asks_entity(question)
    # A closing line is its own sentence: no run goes on into it, and only a question asking
    # for a value may be answered by it alone.
    every = runs(candidates)
    found = [
        run
        for run in every
        if not footers.intersection(range(run.start, run.end))
        or (value and run.end - run.start == 1)
    ]
    if value:
        return found + phrase_runs(candidates, question)
    return found or every


def run_pieces(candidates: Sequence[Candidate], run: Run) -> list[str]:
    """The run's text per sentence, the dropped clauses left out (a phrase: one piece)."""
    if run.phrase is not None:
        return [candidates[run.start].text[run.phrase.start : run.phrase.end]]
    parts = [clauses(candidates[i].text) for i in range(run.start, run.end)]
    parts[0] = parts[0][run.lead :]
    parts[-1] = parts[-1][: len(parts[-1]) - run.tail]
    pieces = ["".join(p) for p in parts]
    if run.tail:  # a span cut inside a sentence ends without the clause's comma
        pieces[-1] = pieces[-1].rstrip(CLAUSE_END)
    return pieces


MAX_ITEMS = 10  # sentences a list's run may grow by (`whole_items`)


def _numbered(text: str) -> bool:
    return NUMBERED.match(text.strip()) is not None


def whole_items(candidates: Sequence[Candidate], run: Run) -> Run:
    """A run that holds an item of an enumeration ("一是…", "（二）…", "3.") grown to the
    whole enumeration — the clauses it drops at its end and the next sentences of its
    passage while they are items (at most MAX_ITEMS): a list asked is told whole, not cut
    after its first item. Any other run as it is."""
    if run.phrase is not None:
        return run
    kept = [c for piece in run_pieces(candidates, run) for c in clauses(piece)]
    if not any(_numbered(c) for c in kept):
        return run
    last = clauses(candidates[run.end - 1].text)
    dropped = last[len(last) - run.tail :] if run.tail else []
    end = run.end
    while (
        end < len(candidates)
        and end - run.end < MAX_ITEMS
        and candidates[end].hit == run.hit
        and _numbered(candidates[end].text)
    ):
        end += 1
    if end == run.end and not any(_numbered(c) for c in dropped):
        return run
    return replace(run, end=end, tail=0)


# A span's opening that only repeats the question ("对受疫情影响较大的中小企业在原有贷款利率水平|
# 基础上再下浮10%左右" for "内蒙古对…在原有贷款利率水平有什么变化？"): at least this many
# characters, each in a character pair of the question, and this many left after it.
RESTATED_MIN = 4
ANSWER_MIN = 4


def without_restated(piece: str, question: str) -> str:
    """`piece` (one sentence or less) without its opening run of the question's own
    character pairs (`RESTATED_MIN` or more, `ANSWER_MIN` left): what it adds to the
    question. NCPQA dev, out of fold: +0.0035 F1 (23 answers changed)."""
    if re.search(r"[。！？!?]", piece.rstrip("。！？!?")):
        return piece
    pairs = bigrams(question)
    end = 0
    while end + 1 < len(piece) and piece[end : end + 2] in pairs:
        end += 1
    cut = end + 1 if end else 0
    rest = piece[cut:].lstrip(CLAUSE_END + "、")
    # "…无法及时|的，适用…": a cut that leaves a particle first is inside a phrase.
    if cut < RESTATED_MIN or len(rest) < ANSWER_MIN or rest[0] in "的了地得之":
        return piece
    return rest


def run_text(candidates: Sequence[Candidate], run: Run) -> str:
    return "".join(run_pieces(candidates, run))


def bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def overlap(text: str, question: set[str]) -> float:
    """Share of `text`'s character bigrams found in the question's (`question`)."""
    own = bigrams(text)
    return len(own & question) / len(own) if own else 0.0


def term_share(text: str, terms: Mapping[str, float]) -> float:
    """Weighted share of the question's `terms` that `text` contains."""
    total = sum(terms.values())
    if not text or total <= 0:
        return 0.0
    return sum(w for t, w in terms.items() if t in text) / total


def is_heading(sentence: str) -> bool:
    """A short line without a closing sentence mark, or a short numbered one."""
    s = sentence.strip()
    return 0 < len(s) < 25 and (s[-1:] not in SENTENCE_END or bool(NUMBERED.match(s)))


def _neighbour(candidates: Sequence[Candidate], i: int, hit: int) -> str:
    """The text of candidate `i` when it is of passage `hit` (else "")."""
    if 0 <= i < len(candidates) and candidates[i].hit == hit:
        return candidates[i].text
    return ""


class _Shares:
    """`term_share` and `clauses` remembered per text: a question's ~500 spans share their
    sentences, clauses and passages (keeps the selector at a few ms a question)."""

    def __init__(self, terms: Mapping[str, float]) -> None:
        self.terms = terms
        self._shares: dict[str, float] = {}
        self._clauses: dict[str, list[str]] = {}

    def __call__(self, text: str) -> float:
        if text not in self._shares:
            self._shares[text] = term_share(text, self.terms)
        return self._shares[text]

    def clauses(self, text: str) -> list[str]:
        if text not in self._clauses:
            self._clauses[text] = clauses(text)
        return self._clauses[text]

    def novelty(self, text: str, question: str) -> float:
        """Share of `text`'s characters that are not in `question`."""
        key = "\0" + text
        if key not in self._shares:
            asked = set(question)
            self._shares[key] = sum(ch not in asked for ch in text) / max(1, len(text))
        return self._shares[key]


def _context_row(
    candidates: Sequence[Candidate],
    r: Run,
    text: str,
    question: str,
    context: SpanContext,
    share: _Shares,
) -> list[float]:
    """The features of `r` against the question's terms, the thing asked and its passage."""
    before = _neighbour(candidates, r.start - 1, r.hit)
    after = _neighbour(candidates, r.end, r.hit)
    first = share.clauses(candidates[r.start].text)
    last = share.clauses(candidates[r.end - 1].text)
    dropped = "".join(first[: r.lead])
    dropped_end = "".join(last[len(last) - r.tail :]) if r.tail else ""
    own = share.clauses(text)
    lead_in = dropped or before
    passage = context.passages[r.hit] if r.hit < len(context.passages) else ""
    titles = context.titles[r.hit] if r.hit < len(context.titles) else ""
    scores = context.hit_scores
    gap = scores[r.hit] - scores[0] if r.hit < len(scores) else 0.0
    return [
        share(text),
        share(before),
        float(bool(before)),
        share(dropped),
        share(own[0] if own else ""),
        share(own[-1] if own else ""),
        share(dropped_end + after),
        share(passage),
        share(titles),
        share(dropped + before),
        share.novelty(text, question),
        float(lead_in.rstrip()[-1:] in "：:"),
        float(bool(before) and is_heading(before)),
        float(bool(NUMBERED.match(text))),
        float(gap),
    ]


def _cue_row(text: str, asks: Sequence[bool]) -> list[float]:
    """What is asked for (`asks`, one per `ANSWER_CUES`) against what the run holds."""
    log_chars = math.log1p(len(text))
    row = [
        float(a and bool(m.search(text))) for a, (_, _, m) in zip(asks, ANSWER_CUES, strict=True)
    ]
    return row + [float(a) * log_chars for a in asks]


_NO_PHRASE = [0.0] * sum(f.startswith("phrase") for f in FEATURES)
_NO_ENTITY = [0.0] * sum(f.startswith("entity") for f in FEATURES)


def _phrase_row(
    candidates: Sequence[Candidate], r: Run, clause: str, question: str, asks: Sequence[bool]
) -> list[float]:
    """A value phrase or a name against its clause (`clause`) and what the question asks
    for: the value features, then the name features."""
    p = r.phrase
    if p is None:
        return _NO_PHRASE + _NO_ENTITY
    text = candidates[r.start].text[p.start : p.end]
    if p.shape == "entity":
        return _NO_PHRASE + [
            1.0,
            math.log1p(len(text)),
            len(text) / max(1, len(clause)),
            float(fits_ask(text, p.shape, question)),
            float(text[:1] in "“《"),
            math.log1p(p.order),
        ]
    return [
        1.0,
        math.log1p(len(text)),
        len(text) / max(1, len(clause)),
        *(float(p.shape == shape) for shape in PHRASE_SHAPES),
        *(float(a) for a in asks),
        float(fits_ask(text, p.shape, question)),
        math.log(p.values),
        float(p.modified),
        math.log1p(p.order),
        *_NO_ENTITY,
    ]


def run_features(
    candidates: Sequence[Candidate],
    scores: Sequence[float],
    found: Sequence[Run],
    question: str = "",
    kind: str = "",
    context: SpanContext | None = None,
) -> np.ndarray:
    """One row of `FEATURES` per run (pure): `question` and its recognised `kind`
    (search.question.KINDS) for the overlap and length-prior features, `context` for the
    question's weighted terms and the passages."""
    context = context or SpanContext()
    scores = np.asarray(scores, dtype=np.float64)
    best = float(scores.max()) if len(scores) else 0.0
    order = np.argsort(-scores, kind="stable")
    rank = np.empty(len(scores), dtype=np.int64)
    rank[order] = np.arange(len(scores))
    first_of_hit: dict[int, int] = {}
    for i, c in enumerate(candidates):
        first_of_hit.setdefault(c.hit, i)
    asked = bigrams(question)
    asks = [bool(a.search(question)) for _, a, _ in ANSWER_CUES]
    asks_phrase = [asks[CUES.index(c)] for c in PHRASE_ASKS]
    share = _Shares(context.terms)
    overlaps: dict[str, float] = {}

    def overlap_of(text: str) -> float:
        if text not in overlaps:
            overlaps[text] = overlap(text, asked)
        return overlaps[text]

    rows = []
    listed = scores.tolist()
    for r in found:
        s = listed[r.start : r.end]
        top = max(s)
        text = run_text(candidates, replace(r, phrase=None))  # a phrase's: its clause
        pos = r.start - first_of_hit[r.hit]
        own = share.clauses(text)
        dropped = "".join(share.clauses(candidates[r.start].text)[: r.lead])
        log_chars, log_clauses = math.log1p(len(text)), math.log1p(len(own))
        rows.append(
            [
                1.0,
                top,
                sum(s) / len(s),
                s[0],
                top - best,
                math.log1p(float(rank[r.start])),
                float(min(r.hit, 5)),
                float(r.hit == 0),
                float(pos == 0),
                math.log1p(pos),
                float(r.end - r.start),
                log_chars,
                float(text.rstrip()[-1:] in SENTENCE_END),
                float(r.lead > 0),
                float(r.tail > 0),
                math.log1p(r.lead),
                math.log1p(r.tail),
                log_clauses,
                overlap_of(text),
                overlap_of(dropped),
                overlap_of(own[0]) if own else 0.0,
                *(log_chars * (kind == k) for k in KINDS),
                *(log_clauses * (kind == k) for k in KINDS),
                *_context_row(candidates, r, text, question, context, share),
                *_cue_row(text, asks),
                *_phrase_row(candidates, r, text, question, asks_phrase),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(found), len(FEATURES))


class _Selects:
    """Picking the best-scored span (shared by the selector kinds)."""

    def score(self, features: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def select(
        self,
        candidates: Sequence[Candidate],
        scores: Sequence[float],
        question: str = "",
        kind: str = "",
        context: SpanContext | None = None,
    ) -> Run | None:
        found = spans(candidates, question)
        if not found:
            return None
        x = run_features(candidates, scores, found, question, kind, context)
        return found[int(np.argmax(self.score(x)))]


@dataclass(frozen=True)
class SpanSelector(_Selects):
    """A linear score over `run_features` (standardised with `mean`/`scale`)."""

    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    card: dict

    def score(self, features: np.ndarray) -> np.ndarray:
        x = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        return x @ np.asarray(self.weights)

    def to_json(self) -> dict:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "mean": list(self.mean),
            "scale": list(self.scale),
            **self.card,
        }


def standardised(scores: np.ndarray) -> np.ndarray:
    """Scores of one question's spans on a common scale (mean 0, deviation 1)."""
    scores = np.asarray(scores, dtype=np.float64)
    return (scores - scores.mean()) / (scores.std() + 1e-9)


@dataclass(frozen=True)
class RankedSelector(_Selects):
    """A LightGBM ranker over `run_features`, kept as LightGBM's text model (`model`),
    blended with a linear selector (`linear`, weight `blend`) when there is one: each
    score standardised over the question's spans. The two err on different questions."""

    model: str
    card: dict
    linear: SpanSelector | None = None
    blend: float = 0.0
    booster: object = field(default=None, compare=False, repr=False)

    @classmethod
    def from_text(
        cls, model: str, card: dict, linear: SpanSelector | None = None, blend: float = 0.0
    ) -> RankedSelector:
        import lightgbm

        try:
            booster = lightgbm.Booster(model_str=model)
        except lightgbm.basic.LightGBMError as exc:  # not a model: say why, as for bad JSON
            raise ValueError(str(exc)) from exc
        if booster.num_feature() != len(FEATURES):
            raise ValueError(f"模型有 {booster.num_feature()} 个特征，程序有 {len(FEATURES)} 个")
        return cls(model, card, linear, blend, booster)

    def score(self, features: np.ndarray) -> np.ndarray:
        ranked = np.asarray(self.booster.predict(features, num_threads=1), dtype=np.float64)
        if self.linear is None or not self.blend:
            return ranked
        return self.blend * standardised(self.linear.score(features)) + (
            1 - self.blend
        ) * standardised(ranked)

    def to_json(self) -> dict:
        out = {"features": list(FEATURES), "kind": "lightgbm", "model": self.model}
        if self.linear is not None:
            linear = self.linear.to_json()
            out |= {k: linear[k] for k in ("weights", "mean", "scale")} | {"blend": self.blend}
        return out | self.card


Selector = SpanSelector | RankedSelector
_MODEL_KEYS = ("features", "kind", "model", "weights", "mean", "scale", "blend")


def load_selector(path: Path = WEIGHTS_PATH) -> Selector | None:
    """The fitted selector, or None when there is no weights file, or it is unreadable or
    written for other features: answers fall back to sentence extracts, and the log says
    why (a broken file must not stop the page from starting)."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text("utf-8"))
        if tuple(raw.get("features", ())) != FEATURES:
            log.warning(
                "答案区间选择器 %s 的特征与程序不符，已改用句子摘录；请运行 yingshang train-reader",
                path,
            )
            return None
        card = {k: v for k, v in raw.items() if k not in _MODEL_KEYS}
        linear = None
        if "weights" in raw or raw.get("kind") != "lightgbm":
            linear = SpanSelector(
                tuple(raw["weights"]), tuple(raw["mean"]), tuple(raw["scale"]), card
            )
            if not len(linear.weights) == len(linear.mean) == len(linear.scale) == len(FEATURES):
                raise ValueError("线性权重的长度与特征数不符")
        if raw.get("kind") == "lightgbm":
            return RankedSelector.from_text(
                str(raw["model"]), card, linear, float(raw.get("blend", 0.0))
            )
        return linear
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError) as exc:
        log.warning("无法读取答案区间选择器 %s（%s），已改用句子摘录", path, exc)
        return None
