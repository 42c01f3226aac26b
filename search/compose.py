"""Answer composition per question type: pure functions on plain values, tested on their own.

`search.answer.Answerer` recognises the question (`search.question.understand`), scores the
candidate sentences and calls one of these; each returns a `Composed` (the answer's pieces as
(text, hit index) pairs, whether it is confident, its kind), and `search.answer` numbers the
citations. What each type answers with:

* fields (牵头单位、配合单位、完成时限、报送单位、指标): every field asked, read from the unit
  of the place asked about (钦州's own plan, not the regional list, for "钦州…牵头单位");
* which place: the place (region, title or 报送单位 of the cited unit) and the case;
* lists: the list of the sources that fits the question best (`list_options`,
  `choose_list`): a sentence that enumerates the items, or the items of the best unit's
  numbered structure, of a section's measures or of a measure's steps, numbered and each cited;
* methods: told from one case (`method_scope`), steps before background (`doing_weight`);
* comparisons: one short cited paragraph per place, its sentence the figure asked or a
  practice on the topic asked (in `search.comparison_answer`, which builds on these pieces);
* figures: confident only with a figure in the answer.

Sentences are cleaned first (`clean_unit_text`): titles, field labels and table columns that
the document layout glued to the text are removed, and a task-table row reads
"任务：…；牵头单位：…；完成时限：…" (`task_row_line`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from index import facets
from index.structure.common import cn_number
from index.types import Hit, Passage, Unit
from search import place_figures
from search.question import FIELD_ATTRS, Question, mention
from search.question_parts import asks_day

# "通报我区十大正面典型案例": a count written as 十大/五大 is a figure too (not 一大批, nor
# the party congresses: 党的二十大、十九大).
FIGURE = re.compile(
    r"\d|[０-９]|[%％‰]|[一二三四五六七八九十两百千万亿]+(?:个|项|天|年|条|倍|成|家|名|件|次)"
    r"|(?<![一第的二三四五六七八九十两])(?!十[七八九]大|二十大)[二三四五六七八九十两]+大"
)


@dataclass(frozen=True)
class Candidate:
    """A sentence of one of the top passages; `hit` indexes the hits it was taken from."""

    text: str
    hit: int


@dataclass(frozen=True)
class Composed:
    """An answer before its citations are numbered: (text, hit index) pieces."""

    picked: tuple[tuple[str, int], ...]
    confident: bool
    kind: str  # "field" | "place" | "list" | "comparison" | "extractive"
    notice: str = ""
    continued: frozenset[int] = frozenset()  # pieces on the line of the piece before


# ------------------------------------------------------------------ clean text

_NUMBER_HEAD = re.compile(
    r"^\s*(?:编号\s*\d+\s*[：:]|\d{1,3}\s*[.．、]|[（(][一二三四五六七八九十\d]+[)）])"
)
_LABELS = ("指标名称", "案例名称", "案例特色或亮点", "主要内容")


def _strip_loose(text: str, prefix: str) -> str | None:
    """`text` after `prefix`, ignoring whitespace in both; None when it does not start so."""
    want = re.sub(r"\s", "", prefix)
    if not want:
        return None
    i = j = 0
    while i < len(text) and j < len(want):
        if text[i].isspace():
            i += 1
            continue
        if text[i] != want[j]:
            return None
        i += 1
        j += 1
    return text[i:] if j == len(want) else None


def joined(passages: Sequence[Passage]) -> str:
    """The text of a unit's passages in order, with a line break where the source has a gap
    between two of them (a paragraph ends) and none where one runs on into the next (a
    paragraph the chunking cut): the unit's paragraphs as the document has them."""
    out: list[str] = []
    for i, p in enumerate(passages):
        if i and p.start > passages[i - 1].end:
            out.append("\n")
        out.append(p.text)
    return "".join(out)


_CLAUSE_GO_ON = ("，", ",", "、", "；", ";")


def clean_unit_text(text: str, unit: Unit) -> str:
    """Passage text without what the layout glued into it: a leading number and title, the
    case table's labels (指标名称…案例名称…案例特色或亮点, 报送单位…主要内容)."""
    out = _NUMBER_HEAD.sub("", text, count=1).lstrip()
    for head in (unit.title, unit.heading, unit.direction):
        rest = _strip_loose(out, head) if head else None
        # "探索柔性监管方式，完善免罚清单…": words the sentence starts with, not a glued title.
        if (
            rest is not None
            and len(rest.strip()) > 4
            and not rest.lstrip().startswith(_CLAUSE_GO_ON)
        ):
            out = rest.lstrip("：: \n")
            break
    if unit.indicator:
        out = out.replace(f"指标名称{unit.indicator}", "\n")
    out = out.replace(f"案例名称{unit.title}", "\n") if unit.title else out
    if unit.org:
        out = re.sub(rf"报送单位\s*{re.escape(unit.org)}\s*(?:主要内容)?", "\n", out)
    for label in _LABELS:
        out = out.replace(label, "\n")
    return out.strip()


def split_task_row(text: str, unit: Unit) -> tuple[str, bool]:
    """(task text, True) for a task-table row "…任务…2023年12月31日牵头单位配合单位": the
    text before the deadline column; (text, False) when the row does not end that way."""
    if not unit.deadline or unit.kind != "measure":
        return text, False
    flat = re.sub(r"\s", "", text)
    at = flat.rfind(unit.deadline)
    tail = flat[at + len(unit.deadline) :] if at >= 0 else ""
    lead = re.sub(r"\s", "", unit.lead_units[0]) if unit.lead_units else ""
    if at < 0 or (lead and not tail.startswith(lead[:4])):
        return text, False
    # Map the position in the whitespace-free text back to the text.
    seen = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            if seen == at:
                return text[:i].rstrip(), True
            seen += 1
    return text, False


def own_share(sentence: str, places: Sequence[str]) -> str:
    """A regional task's list of each city's figure told as the named cities' own ("（各市目标
    任务：…钦州市 57%…）" → "（各市目标任务：钦州市57%）" when 钦州 is asked about): the
    place asked decides which figure answers, and the other thirteen are noise. Any other
    sentence is returned as it is."""
    figures = place_figures.each_place_figures(sentence)
    own = [f"{f.place}{f.figure}" for p in places for f in figures if f.place.startswith(p)]
    if not own:
        return sentence
    opened = "（" if sentence.lstrip().startswith(("（", "(")) else ""
    closed = "）" if opened else ""
    return f"{opened}{place_figures.run_head(sentence)}：{'、'.join(own)}{closed}"


def own_shares(
    candidates: Sequence[Candidate], places: Sequence[str], join: bool = True
) -> list[Candidate]:
    """`own_share` of each candidate; with `join`, a run cut from its sentence at a comma
    ("…其中全区目标值为4.51小时，" | "各市目标值分别为南宁市1.63小时、…") is joined to the
    clause it continues, which names what the figures are of ("百色的城网停电时间目标" is
    answered by "…城网用户平均停电时间…，各市目标值：百色市11.92小时", not by the region's
    figure alone)."""
    out: list[Candidate] = []
    for c in candidates:
        text = own_share(c.text, places)
        before = out[-1] if out and join else None
        if text != c.text and before and cut_at_comma(before, c):
            out[-1] = Candidate(before.text + text, c.hit)
        else:
            out.append(Candidate(text, c.hit))
    return out


def cut_at_comma(before: Candidate, after: Candidate) -> bool:
    """Whether `after` goes on the clause `before` ends with a comma, in the same passage."""
    return after.hit == before.hit and before.text.endswith(("，", ","))


# The cells as printed, which answers quote ("北海、钦州、防城港市人民政府", not the names
# the index splits and expands them into).
_PRINTED = {"牵头单位": "lead_text", "配合单位": "coop_text"}


def field_value(unit: Unit, name: str) -> str:
    printed = getattr(unit, _PRINTED.get(name, ""), "")
    value = getattr(unit, FIELD_ATTRS[name], "")
    return printed or ("、".join(value) if isinstance(value, tuple) else value)


# What may close a sentence or a clause cut from one ("…13.97小时，", "…10.94小时、"): dropped
# before a sentence is closed again ("…[1]。", "任务：…；牵头单位：…").
CLAUSE_ENDS = "。；;，,、 "


TASK_LABEL = "任务："


def task_row_line(task: str, unit: Unit) -> str:
    """ "任务：…；牵头单位：…；配合单位：…；完成时限：…" (fields the unit has)."""
    parts = [f"{TASK_LABEL}{task.rstrip(CLAUSE_ENDS)}"] if task else []
    for name in ("牵头单位", "配合单位", "完成时限"):
        if value := field_value(unit, name):
            parts.append(f"{name}：{value}")
    return "；".join(parts)


_LIST_ITEM = re.compile(r"\d+\. ")


def named_row_task(task: str, unit: Unit) -> str:
    """A row's task cell opened by the row's name (its unit's title) when the cell does not
    say it already (`opened_by`): the name is the practice ("搭建破产案件受理信息自动推送
    系统"), the cell how it works ("破产案件受理时，法院审判系统智能检索…"). The source card
    shows the name as its title already."""
    # The name word for word, not `repeats`: "搭建破产案件受理信息自动推送系统" has most of its
    # characters scattered over its cell ("破产案件受理时，法院审判系统…推送…"), and the
    # answer then lacked the system's name (fresh66 zv23).
    return opened_by(re.sub(r"\s", "", unit.title).rstrip(CLAUSE_ENDS), task, holds_phrase)


REPEAT_SHARE = 0.8
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


def han_share(sentence: str, other: str) -> float:
    """The share of a sentence's Chinese characters that `other` holds (0 when it has none)."""
    chars = _HAN_CHAR.findall(sentence)
    have = set(other)
    return sum(c in have for c in chars) / len(chars) if chars else 0.0


def repeats(sentence: str, other: str) -> bool:
    """Whether REPEAT_SHARE or more of a sentence's Chinese characters are in `other`: the
    same thing said again (a task's title and its measure's sentence)."""
    return han_share(sentence, other) >= REPEAT_SHARE


def holds_phrase(phrase: str, text: str) -> bool:
    """Whether `text` holds `phrase` word for word, whitespace aside."""
    return phrase in re.sub(r"\s", "", text)


def opened_by(name: str, text: str, says: Callable[[str, str], bool] = repeats) -> str:
    """`text` opened by the name of what it tells ("name。text"), unless it says the name
    already (`says`): a task-table row's name and a cell or clause."""
    if not name or says(name, text):
        return text
    return f"{name}。{text}"


def row_lines(
    picked: Sequence[tuple[str, int]], hits: Sequence[Hit], rows: Sequence[int]
) -> tuple[tuple[str, int], ...]:
    """Pieces with the sentences of task-table rows (hit indices `rows`) read as the row:
    "任务：…；牵头单位：…；完成时限：…", one line per row at the place of its first sentence
    (a row's task may be picked as several sentences). Other pieces, and numbered list items
    ("1. …"), are unchanged."""
    if any(_LIST_ITEM.match(text) for text, _ in picked):
        return tuple(picked)
    texts: dict[int, list[str]] = {}
    for text, h in picked:
        if h in rows:
            # "…13.97小时，" then "各市目标值分别为…来宾市10.94小时、": a cell's sentences cut
            # mid-list join with "。" and end the task without their dangling "，" or "、".
            texts.setdefault(h, []).append(text.rstrip(CLAUSE_ENDS))
    out: list[tuple[str, int]] = []
    for text, h in picked:
        if h not in texts:
            out.append((text, h))
        elif texts[h]:
            task = named_row_task("。".join(texts.pop(h)), hits[h].unit)
            out.append((task_row_line(task, hits[h].unit), h))
            texts[h] = []
    return tuple(out)


def field_line(unit: Unit, fields: Sequence[str]) -> str:
    """ "牵头单位：…；完成时限：…" for the fields asked that the unit has ("" when none)."""
    return "；".join(f"{f}：{v}" for f in fields if (v := field_value(unit, f)))


# ------------------------------------------------------------------ places


def hit_evidence(hit: Hit) -> str:
    """What a hit says about where it applies: its text, titles and region fields."""
    u = hit.unit
    return " ".join((hit.passage.text, u.title, hit.doc_title, u.region, u.org, *u.heading_path))


def mentions(hit: Hit, place: str) -> bool:
    u = hit.unit
    return place in " ".join((u.region, u.title, u.org, hit.doc_title, hit.passage.text))


def unit_place(unit: Unit, places: Sequence[str], skip: Sequence[str] = ()) -> str:
    """The most specific place of a unit: the last part of its region, else the first known
    place in its title or 报送单位; places the question itself names (`skip`) are not answers."""
    for part in reversed(region_parts(unit.region)):
        if part not in skip and not any(part.startswith(s) or s.startswith(part) for s in skip):
            return part
    known = [p for p in places if p not in skip]
    for source in (unit.title, unit.org):
        found = [(source.find(p), -len(p), p) for p in known if p in source]
        if found:
            return min(found)[2]
    return ""


# "哪个区 / 哪个县 / 哪个城市": the level of place a which-place question asks for.
_ASKED_LEVEL = re.compile(r"哪(?:个|一个|些)?(省|自治区|城市|地市|县市|片区|市|区|县)")
_LEVEL_SUFFIXES = {
    "省": ("省", "自治区"),
    "自治区": ("自治区",),
    "城市": ("市",),
    "地市": ("市",),
    "市": ("市",),
    "县市": ("县", "市"),
    "区": ("区",),
    "县": ("县",),
    "片区": ("片区",),  # a free trade zone's part, named by its city (南宁片区)
}


def asked_level(question: str) -> tuple[str, ...]:
    """Name endings of the place a question asks for ("哪个区" → ("区",)); () when none."""
    m = _ASKED_LEVEL.search(question)
    return _LEVEL_SUFFIXES[m.group(1)] if m else ()


def specific_place(
    texts: Sequence[str], names: Sequence[str], endings: Sequence[str], skip: Sequence[str] = ()
) -> str:
    """The first place name of the asked level (ending in one of `endings`) in the first text
    that has one: "哪个区" answers 武昌区, not the case's city 武汉. Places the question
    names (`skip`) are not answers."""
    wanted = [
        n
        for n in names
        if n.endswith(tuple(endings)) and not any(n.startswith(s) or s.startswith(n) for s in skip)
    ]
    for text in texts:
        found = [(text.find(n), -len(n), n) for n in wanted if n in text]
        if found:
            return min(found)[2]
    return ""


# A numbered item that opens with a place ("4. 茑州市通过整合窗口…"): lists of places' practices.
_ITEM_HEAD = re.compile(r"(?:^|[。；\n])\s*\d{1,2}\s*[.．、]\s*([\u4e00-\u9fff]{2,4}?(?:市|县|区))")


def item_head_place(
    passage: str,
    sentence: str,
    endings: Sequence[str],
    skip: Sequence[str] = (),
    names: Sequence[str] = (),
) -> str:
    """The place that opens the numbered item `sentence` sits in, when of the asked level: a
    known name (`names`), or a city's three-character name the lists lack (a misspelt
    "茑州市"); "" when the sentence is not in the passage or its item opens with no place."""
    flat, key = re.sub(r"\s", "", passage), re.sub(r"\s", "", sentence)[:12]
    at = flat.find(key) if key else -1
    if at < 0:
        return ""
    heads = list(_ITEM_HEAD.finditer(flat[: at + len(key)]))
    if not heads:
        return ""
    name = heads[-1].group(1)
    known = name in names or len(name) == 3 and name[-1] == "市" and name[0] not in "各全本该我每此"
    if not known or not name.endswith(tuple(endings)) or any(name.startswith(s) for s in skip):
        return ""
    return name


def region_parts(region: str) -> list[str]:
    """ "广西壮族自治区北海市" → ["广西", "北海"] (short names, outermost first)."""
    parts = re.findall(r".+?(?:壮族自治区|自治区|自治州|省|市|州(?![市区县])|区|县)", region)
    out = []
    for part in parts:
        short = re.sub(r"(?:壮族自治区|自治区|自治州|省|市|区|县)$", "", part)
        out.append(short if len(short) >= 2 else part)
    return out


# ------------------------------------------------------------------ composition


def _best_by_hit(order: Sequence[int], candidates: Sequence[Candidate]) -> dict[int, int]:
    """Best candidate index of each hit, hits in order of their best sentence."""
    out: dict[int, int] = {}
    for i in order:
        out.setdefault(candidates[i].hit, i)
    return out


def place_units(hits: Sequence[Hit], places: Sequence[str]) -> list[int]:
    """Hit indices whose unit is about one of `places` (all hits when none or none match)."""
    if not places:
        return list(range(len(hits)))
    inside = [h for h, hit in enumerate(hits) if any(mentions(hit, p) for p in places)]
    return inside or list(range(len(hits)))


# "钦州铁路集装箱中心站": a place's name and this many characters after it name a thing of the
# place's, which a row of another place's document may name too.
PLACE_THING_CHARS = 4
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=256)  # asked of each hit's best sentence
def place_things(question: str, places: tuple[str, ...]) -> tuple[str, ...]:
    """The things of the places a question names: a place's name and the PLACE_THING_CHARS
    characters after it in one run of Chinese characters ("钦州铁路集")."""
    things = []
    for place in places:
        for run in _HAN_RUN.findall(question):
            at = run.find(place)
            thing = run[at : at + len(place) + PLACE_THING_CHARS] if at >= 0 else ""
            if len(thing) == len(place) + PLACE_THING_CHARS:
                things.append(thing)
    return tuple(things)


def names_place_thing(question: str, places: Sequence[str], sentence: str) -> bool:
    """Whether `sentence` names a thing of a place as the question does (`place_things`)."""
    return any(thing in sentence for thing in place_things(question, tuple(places)))


def compose_fields(
    q: Question,
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    confident: bool,
    margin: float = 0.03,
    doc_regions: Mapping[str, str] | None = None,
) -> Composed | None:
    """All fields asked, from the first unit (in rank order, among the units of the place
    asked about) that has them, then the task itself; None when no unit has any.
    A province named alone answers from its own units (`province_own`): "全区要把免罚清单做
    完善，这事由谁来抓" → 自治区市场监管局, not 钦州's plan (titled "…落实《广西…》…")."""
    where = [h for h in place_units(hits, q.places) if q.places and unit_names(hits[h], q.places)]
    own = province_own(q.places, hits, doc_regions, q.text)
    where = [h for h in where if h in own] or where
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    best = _best_by_hit(order, candidates)
    if where:
        # "把钦州铁路集装箱中心站…的信息系统打通，这事是谁来抓": a row that names the place's
        # own thing as the question does (a regional task) answers too, in rank order.
        naming = [
            h for h, i in best.items() if names_place_thing(q.text, q.places, candidates[i].text)
        ]
        where = sorted({*where, *naming})
    top = float(scores[order[0]])
    # A unit answers when retrieval ranks it first (among the place's units) or its best
    # sentence is close to the best one: the question names the task, not the field.
    allowed = where or list(range(len(hits)))
    near = [h for h in allowed if h in best and float(scores[best[h]]) >= top - margin]
    # Of the units close to the best sentence, the one holding it first: "…监测这项任务由哪个
    # 部门牵头" is the 监测 row's, not the row ranked above it that mentions 监测预警.
    near.sort(key=lambda h: -float(scores[best[h]]))
    # "钦州…污水集中收集率目标定在多少？…什么时候前完成": 钦州's own units lack the field; the
    # regional task that sets 钦州's figure among each city's ("各市目标任务：…钦州市57%…")
    # answers. Only when a figure is asked that 钦州's own sentences lack: "按钦州的实施方案，…
    # 降到3.13小时以内，什么时候要办完" is answered by 钦州's plan ("到2024年底…"), not by the
    # regional row naming 钦州's 3.13.
    figure = figure_pattern(q.text) if "figure" in q.types else None
    counted = figure is not None and bool(where)
    counted = counted and not _holds_figure(figure, q.topics, where, candidates, order)
    # Not the place's own units ("钦州…千企技改…多少个项目": 钦州's plan units that name 钦州
    # in passing), which `where` holds already.
    telling = [
        h
        for h in range(len(hits))
        if any(mentions(hits[h], p) for p in q.places) and not unit_names(hits[h], q.places)
    ]
    first = allowed[0]
    # (A passage of the note's own unit leaves the note to answer: it is the hit retrieval
    # put first, which `answer.agreed_band` trusts.)
    if first not in best and near and hits[near[0]].unit.id != hits[first].unit.id:
        # "钦州…给钦州港片区单独搞一个…行动方案，这事是哪个部门牵头": the top hit is only a
        # unit's field note (it names 钦州港片区 as the question does) and tells no task; the
        # unit of the best sentence answers.
        first = near[0]
    lines = {
        h: field_line(hits[h].unit, q.fields)
        for h in dict.fromkeys([first, *near, *(telling if counted else ())])
    }
    units = [h for h, line in lines.items() if line]
    if figure is not None:
        # "…平均多长时间内响应？要求什么时候做到": of the units that answer, one holding the
        # figure asked ("诉求响应平均时长缩短至1分钟以内"), not the top one that holds none.
        # Else the one whose best sentence is closest: "钦州2024年千企技改打算推进多少个项目？
        # …哪个部门牵头" is 营造良好创新创业环境's ("…推进千企技改工程70个以上", the best
        # sentence; "工程", not the 项目 asked), not the top hit's.
        units.sort(
            key=lambda h: (
                not any(figure.search(c.text) for c in candidates if c.hit == h),
                -float(scores[best[h]]) if h in best else 0.0,
            )
        )
    if not units:
        return None
    h = units[0]
    shown = [best[h]] if h in best else []
    if figure is not None:  # "…目标定在多少？…什么时候前完成": the figure too
        asked = figure_ask_topics(q.text, q.topics)
        shown = _with_unit_figure(figure, hits, h, shown, candidates, order, asked)
    picked = [(lines[h], h), *((with_own_share(candidates, i), candidates[i].hit) for i in shown)]
    has_all = all(field_value(hits[h].unit, f) for f in q.fields)
    return Composed(tuple(picked), confident and has_all, "field")


def _holds_figure(
    figure: re.Pattern[str],
    topics: Sequence[str],
    where: Sequence[int],
    candidates: Sequence[Candidate],
    order: Sequence[int],
) -> bool:
    """Whether the place's own hits `where` hold the figure asked in one of the best sentences
    (`figure`; the top FIGURE_READ by score), on the question's topic (FIGURE_TOPICS of its
    `topics`):
    "按钦州自己的实施方案，农村电网…要压到多少，什么时候做到" is answered by 钦州's plan
    ("到2024年底…农网用户平均停电时间降至10.33小时/户以内"), not by the regional row; 钦州's
    goals ("…各县区进入全区前10行列") hold no figure of its sewage rate."""
    top = [candidates[i].text for i in order[:FIGURE_READ] if candidates[i].hit in where]
    return any(
        figure.search(text) and sum(t in text for t in topics) >= FIGURE_TOPICS for text in top
    )


FIGURE_READ = 5
FIGURE_TOPICS = 2


def _with_unit_figure(
    figure: re.Pattern[str],
    hits: Sequence[Hit],
    h: int,
    shown: list[int],
    candidates: Sequence[Candidate],
    order: Sequence[int],
    asked: Sequence[str] = (),
) -> list[int]:
    """The sentences `shown` after the field line (hit `h`'s best) with the best sentence of
    `h`'s unit holding the `figure` asked: in place of the shown one when it ranks higher,
    else after it when that holds none (the field line's deadline is a figure of sorts). A
    case's figure is often in a later passage of it than the one ranked first: "…哪个单位报上
    来的？2023年它一共给多少户出口企业办了退税" is told under 工作成效 ("共为全市261户出口企业
    …"), not by the first passage's "将937户外资外贸企业纳入…". Of the unit's sentences with
    such a figure, one whose figure's clause holds more of the words that ask it (`asked`)
    comes first: "涉金融案件执结了多少件" is "执结涉金融案件22329件", not the better-scored
    "…执结涉中小微企业案件17940件"."""
    unit = hits[h].unit.id
    same_unit = [i for i in order if hits[candidates[i].hit].unit.id == unit]
    holding = [i for i in same_unit if figure.search(candidates[i].text)]
    if not holding:
        return shown
    told = [figure_clause_words(figure, candidates[i].text, asked) for i in holding]
    counted = holding[told.index(max(told))]
    if not shown or order.index(counted) < order.index(shown[0]):
        return [counted]
    first = candidates[shown[0]].text
    if figure.search(first) and max(told) > figure_clause_words(figure, first, asked):
        return [counted]  # the figure in the words asked, in place of another figure
    if any(figure.search(with_own_share(candidates, i)) for i in shown):
        return shown
    return [*shown, counted]


def asks_figure_in(clause: str) -> bool:
    """Whether a clause asks a figure: not "广西这几年…" nor "那几个县…" (what they name is
    no figure asked)."""
    return bool(_ASKS_FIGURE.search(_THIS_FEW.sub("", clause)))


def figure_ask_topics(question: str, topics: Sequence[str]) -> tuple[str, ...]:
    """The question's topic words in the clause that asks the figure ("…模式搞起来以后，涉金融
    案件执结了多少件？" → 金融, 案件, 执结); () when no one clause asks it."""
    asking = [c for c in re.split(r"[，,？?；;。！!]", question) if asks_figure_in(c)]
    if len(asking) != 1:
        return ()
    return tuple(t for t in topics if t in asking[0])


def figure_clause_words(figure: re.Pattern[str], text: str, words: Sequence[str]) -> int:
    """The most of `words` a comma clause of `text` holding a `figure` holds."""
    most = 0
    for m in figure.finditer(text) if words else ():
        start = max(text.rfind(mark, 0, m.start()) for mark in "，,；;：:")
        ends = [e for mark in "，,；;。" if (e := text.find(mark, m.end())) >= 0]
        clause = text[start + 1 : min(ends, default=len(text))]
        most = max(most, sum(w in clause for w in words))
    return most


def with_own_share(candidates: Sequence[Candidate], i: int) -> str:
    """Candidate `i`'s text, joined to the place's own share of the run its comma leads to
    (`own_share`: "…其中全区目标值为4.51小时，" + "各市目标值：南宁市1.63小时"): the region's
    figure is not the one a question naming 南宁 asks."""
    text = candidates[i].text
    nxt = candidates[i + 1] if i + 1 < len(candidates) else None
    own = nxt is not None and cut_at_comma(candidates[i], nxt)
    own = own and bool(place_figures.EACH_CITY.match(nxt.text.lstrip("（(")))
    own = own and not place_figures.each_place_figures(nxt.text)  # the run cut to the place's
    return text + nxt.text if own else text


def unit_names(hit: Hit, places: Sequence[str]) -> bool:
    """The unit itself (region, title, document) is about one of the places."""
    u = hit.unit
    return any(p in " ".join((u.region, u.title, u.org, hit.doc_title)) for p in places)


def compose_place(
    q: Question,
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    places: Sequence[str],
    confident: bool,
    divisions: Sequence[str] = (),
    doc_regions: Mapping[str, str] | None = None,
) -> Composed | None:
    """ "北海市：<the case>[n]。<best sentence>[n]。" for the best sentence's unit.

    When the question asks for a level ("哪个区"), the first place of that level in the best
    sentence, then its passage, then the unit's title and 报送单位 (`divisions`: full names
    of counties and districts as well) answers before the unit's region."""
    # "山西哪个市…": the answer is a city of 山西, so 山西's passages answer when any is read.
    inside = set(place_candidates(q.places, hits, candidates)) if q.places else None
    order = [
        int(i) for i in np.argsort(-scores, kind="stable") if inside is None or int(i) in inside
    ]
    endings = asked_level(q.text)
    names = [*places, *divisions, *(f"{p}片区" for p in places if "片区" in endings)]
    for i in order[:6] if endings else ():
        # "东兴跟越南哪个城市…": a place of a region no document is about, named after it.
        if abroad := within_named(q.text, candidates[i].text, endings, q.places):
            h = candidates[i].hit
            return Composed(
                ((place_head(abroad, hits[h].unit.title), h), (candidates[i].text, h)),
                confident,
                "place",
            )
    for i in order[:6]:
        h = candidates[i].hit
        unit = hits[h].unit
        text = hits[h].passage.text
        # The numbered item the sentence belongs to names its place first ("4. 茑州市通过…。
        # 目前，抵押登记…90分钟内办结"), before any other place its passage names.
        item = (
            item_head_place(text, candidates[i].text, endings, q.places, names) if endings else ""
        )
        texts = (candidates[i].text, item, text, unit.title, unit.org)
        place = specific_place(texts, [*names, item], endings, q.places) if endings else ""
        place = place or unit_place(unit, places, skip=q.places)
        # "…零投资的，除了南宁城区，全区还定了哪个地方": the region's own task row, whose place
        # the question names; its sentence names the places it sets.
        region = hit_regions([hits[h]], doc_regions)[0]
        place = place or told_place(candidates[i].text, names, q.text, region)
        if place:
            title = hits[h].unit.title
            head = place_head(place, title)
            picked = ((head, h), (candidates[i].text, h))
            return Composed(picked, confident, "place")
    return None


def told_place(sentence: str, names: Sequence[str], question: str, region: str = "") -> str:
    """The first place the sentence names that neither the question (its name or its first
    two characters: "除了南宁城区" sets 南宁市 aside) nor the unit's `region` does (a city's
    plan naming "信用中国（广西钦州）" sets no place: 广西 is the province it is in); "" when
    none."""
    found = [
        (sentence.find(n), -len(n), n)
        for n in names
        if len(n) >= 2
        and n in sentence
        and not any(n in text or n[:2] in text for text in (question, region))
    ]
    return min(found)[2] if found else ""


def place_head(place: str, title: str) -> str:
    """The place asked, then its case: "北海市：<title>"; the title in brackets when it has a
    colon of its own ("滨江区（浙江省杭州市：方便快捷又走心…）", not "滨江区：浙江省杭州市：…");
    the title alone when it names the place."""
    if place in title:
        return title
    return f"{place}（{title}）" if re.search(r"[：:]", title) else f"{place}：{title}"


# "东兴跟越南哪个城市…": the region named right before the level asked.
_REGION_THEN_LEVEL = re.compile(r"([\u4e00-\u9fff]{2})哪(?:个|一个|座)(?:城市|市|县|区)")


def within_named(
    question: str, sentence: str, endings: Sequence[str], known: Sequence[str] = ()
) -> str:
    """The place of the level asked that the sentence names right after the region the
    question names before it, when that region is none of the places the question was read
    to name (`known`; "东兴跟越南哪个城市…" → "与越南芒街市…" → 芒街市: a place no index
    gazetteer holds); "" when the sentence names none so."""
    asked = _REGION_THEN_LEVEL.search(question)
    if not asked or any(asked.group(1) in p or p in asked.group(1) for p in known):
        return ""
    level = "|".join(map(re.escape, endings))
    named = re.search(rf"{re.escape(asked.group(1))}([\u4e00-\u9fff]{{2,4}}?(?:{level}))", sentence)
    return named.group(1) if named else ""


# Sentences read, best first, for the run of each city's figure a superlative asks about.
EXTREME_READ = 4


def compose_extreme_place(
    question: str,
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    confident: bool,
) -> Composed | None:
    """ "桂林市82%，各市目标任务中最高[n]。稳步提升城市生活污水集中收集率[n]。" for "各市…的
    目标里，哪个市定得最高？": the extreme city of the run of each city's figure that follows
    one of the best sentences in its passage (the run itself has none of the question's
    topic words); None when the question asks no 最高/最少… or none of them is followed by
    a run."""
    word = place_figures.asked_extreme(question)
    if not word:
        return None
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    for i in order[:EXTREME_READ]:
        found = _run_from(candidates, i)
        if found is None:
            continue
        at, figures = found
        run = candidates[at].text
        best = place_figures.extremes(figures, word)
        h = candidates[i].hit
        told = place_figures.told(best, word, place_figures.run_head(run))
        picked = [(told, h)]
        topic = i if at != i else i - 1  # the run's own sentence: the one it continues
        if topic >= 0 and candidates[topic].hit == h:
            picked.append((candidates[topic].text.rstrip("，,；;"), h))
        return Composed(tuple(picked), confident, "place")
    return None


def _run_from(
    candidates: Sequence[Candidate], i: int, reach: int = 2
) -> tuple[int, tuple[place_figures.PlaceFigure, ...]] | None:
    """The first candidate from `i` on, within `reach` sentences of the same passage, that
    holds a run of each city's figure, with the run's figures."""
    for j in range(i, min(len(candidates), i + reach + 1)):
        if candidates[j].hit != candidates[i].hit:
            return None
        if figures := place_figures.each_place_figures(candidates[j].text):
            return j, figures
    return None


# "哪些地方在推行个体工商户信用分类管理？": several places are asked (answered per place as a
# comparison of the top places is, `answer.compose_typed`).
_ASKS_PLACES = re.compile(r"哪些(?:地方|地区|城市|地市|省份?|市|县|区)")


def asks_places(question: str) -> bool:
    """Whether a which-place question asks for several places (哪些地方/哪些城市…)."""
    return bool(_ASKS_PLACES.search(question))


# A 、 run of three items or more: items of up to 16 characters ("第二类医疗器械经营变更备案"),
# the last of up to 12 (a longer last one runs on into the sentence: "…政务服务等指标成为全区标杆"),
# or of up to 16 when 等 closes it ("…、政务数据共享开放及电子证照使用等情况").
ENUM = re.compile(
    r"(?:[^、，。；“”]{1,16}[、”][“]?){2,}(?:[^、，。；“”等]{13,16}(?=等)|[^、，。；“”]{1,12})"
)


_LIST_NOUN = re.compile(  # "哪几类…", "哪些…", and a count asked: "哪六大计划", "哪四个动作"
    r"哪(?:几|些|[二两三四五六七八九十])[个大项类方种条件步点块]?([\u4e00-\u9fff]{1,8}?)(?:[？?，,。]|$)"
)
# "哪几个系统、平台？": two kinds of item, joined as the documents join them (the pattern
# above stops at the 、 and names none).
_LIST_NOUNS_JOINED = re.compile(
    r"哪(?:几|些)[个大项类方种条件步点块]?([\u4e00-\u9fff]{2,4}(?:、[\u4e00-\u9fff]{2,4})+)(?:[？?，,。]|$)"
)
# A count of two or more (a lone "一" is part of words: 统一时间, 进一步).
_COUNT = r"(?:[二三四五六七八九十两]|[一二三四五六七八九十]{2,3}|[2-9]|\d{2,})"


# "…头疼的问题有哪些？": the noun before the question word.
_NOUN_FIRST = re.compile(
    r"([\u4e00-\u9fff]{2})(?:都|主要|具体)?(?:有|是|包括|包含)哪(?:些|几[个项类种条])[？?。]?$"
)


# "哪几类许可证的注销…": the noun before a 的 that what is done to the items follows.
_NOUN_OF = re.compile(r"哪(?:几|些)[个大项类方种条件步点块]?([\u4e00-\u9fff]{2,6}?)的")


# Nouns that name no kind of item ("包括哪几个方面？" asks for any list's parts).
_GENERIC_NOUNS = frozenset(("方面", "内容", "部分", "事情", "东西", "工作", "情况"))


@lru_cache(maxsize=1024)  # read by several steps of one answer; jieba tags it
def list_noun(question: str) -> str:
    """What a list question's items are: "涉及哪几方主体？" → "主体", "以前头疼的问题有
    哪些？" → "问题" ("" when unnamed or generic: "哪几个方面")."""
    if m := _LIST_NOUNS_JOINED.search(question):
        return m.group(1)  # "哪几个系统、平台": either names an item (`listing.asked_nouns`)
    m = _LIST_NOUN.search(question)
    noun = m.group(1) if m and len(m.group(1)) >= 2 else ""
    if (of := _NOUN_OF.search(question)) and _starts_with_verb(question[of.end() :]):
        noun = of.group(1)  # "哪几类许可证的注销合并办了": the 许可证 are the items
    elif of and _describes(of.group(1)) and (head := _plain_nouns_first(question[of.end() :])):
        noun = head  # "哪几类政府失信相关的信息统一归集…": the items are 信息
    if len(noun) > 4 and _starts_with_verb(noun):
        noun = ""  # "从哪几块提升边境口岸服务": what follows is what is done, not the items
    if len(noun) > 2:
        # "从哪几类环境上下功夫" → 环境, "用到了哪几个环节上" → 环节: where, not the items
        noun = _noun_before_locative(noun) or noun
    if len(noun) > 4:
        noun = _leading_noun(noun) or noun  # "拉了哪几类法律服务机构进驻" → 法律服务机构
    if noun.startswith("面的"):
        # "揭出了哪几方面的问题": the items are 问题 (of several aspects), not 面的问题 (the
        # counter 方 read off 方面); "管哪几方面的事" names no noun (事).
        noun = noun[2:] if len(noun) >= 4 else ""
    if noun.startswith("的"):
        noun = ""  # "打通哪几方的信息系统": what the items have, not what they are
    if not noun and (m := _NOUN_FIRST.search(question.strip())):
        noun = m.group(1)
    if not noun and (m := _NOUN_THEN.search(question)):
        noun = _leading_noun(m.group(1))
    if not noun and (m := _NOUN_LAST.search(question.strip())) and _is_noun(m.group(1)):
        noun = m.group(1)  # "盯了哪些跟老百姓生活相关的领域": what the items are, said last
    return "" if noun in _GENERIC_NOUNS else noun


# "哪些跟老百姓生活相关的领域？": the noun a question ends with, after what describes it (not
# after a counter alone: "打通哪几方的信息系统" asks whose systems, not which systems).
_NOUN_LAST = re.compile(r"哪(?:几|些)[^，,。；？?]{2,14}的([\u4e00-\u9fff]{2,4})[？?。]*$")


def _is_noun(word: str) -> bool:
    """Whether jieba reads `word` as one noun."""
    import jieba.posseg as pseg

    words = pseg.lcut(word)
    return len(words) == 1 and words[0].flag in _NOUN_FLAGS


# "把哪些法律服务机构拉进来入驻了": the items asked, named before what is done with them.
_NOUN_THEN = re.compile(r"哪(?:几|些)[个大项类方种条件步点块]?([\u4e00-\u9fff]{2,12})")
_NOUN_FLAGS = ("n", "vn", "nz")  # not nr/ns: the tagger reads "拉进来" as a person's name


_LOCATIVES = frozenset(("上", "中", "里", "内"))


def _noun_before_locative(phrase: str) -> str:
    """The nouns a phrase opens with when a locative follows them ("环境上下功夫" → 环境: the
    items are where the work is done, "在…上下功夫"); "" otherwise."""
    noun, following = _nouns_first(phrase)
    located = bool(following) and following[0].flag == "f" and following[0].word in _LOCATIVES
    return noun if len(noun) >= 2 and located else ""


def _nouns_first(phrase: str) -> tuple[str, list]:
    """The nouns a phrase opens with, joined, and the tagged words after them."""
    import jieba.posseg as pseg

    words = pseg.lcut(phrase)
    n = next((i for i, w in enumerate(words) if w.flag not in _NOUN_FLAGS), len(words))
    return "".join(w.word for w in words[:n]), words[n:]


def _leading_noun(phrase: str) -> str:
    """The noun a phrase opens with, when a verb follows it ("法律服务机构拉进来入驻了" →
    法律服务机构; "" when it opens otherwise or no verb follows)."""
    noun, following = _nouns_first(phrase)
    if len(noun) < 2 or not any(w.flag.startswith("v") for w in following):
        return ""
    return noun


def generic_noun(question: str) -> str:
    """The generic noun a list question counts its items by ("分了哪几个方面" → 方面; "" for
    any other): no kind of item, but items a document names by it ("减税降费助企发展方面
    （2项）") are the parts asked."""
    m = _GENERIC_ASKED.search(question)
    return m.group(1) if m else ""


# Not `_LIST_NOUN`, whose counters take the 方 of "哪些方面" (as of "哪几方主体").
_GENERIC_ASKED = re.compile(
    rf"哪(?:几|些)[个大项类种条件步点块]?({'|'.join(sorted(_GENERIC_NOUNS))})(?:[？?，,。]|$)"
)


_TRAILING_NOTE = re.compile(r"[（(][^（）()]{1,8}[)）]$")


def named_by_generic(option: ListOption, word: str) -> bool:
    """Whether every item (two or more) ends with the generic noun asked, a short note in
    brackets aside ("减税降费助企发展方面（2项）"、"深化“放管服”改革优化营商环境方面（5项）"),
    or a sentence's run (three or more) is closed by it ("在教育、建筑、医药、产业政策等方面的
    行政垄断案件" for "主要出在哪些方面": the sentence itself calls its items the 方面)."""
    texts = [_TRAILING_NOTE.sub("", text.rstrip("。；; ")) for text, _ in option.items]
    if not word or len(texts) < 2:
        return False
    if all(t.endswith(word) for t in texts):
        return True
    closed = re.compile(rf"[\u4e00-\u9fff”]等(?:{_COUNT}[个大])?{re.escape(word)}")
    return bool(option.sentence) and len(texts) >= 3 and bool(closed.search(texts[-1]))


CLASS_CHARS = 2  # "证照" of "…电子营业执照等高频证照": the class a run's items belong to
_CLASS_TAIL = 6  # what follows 等 that may name it
_CJK_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")


def closed_by_class_asked(option: ListOption, question: str) -> bool:
    """Whether a sentence's run (three or more) is closed by "等" and a class the question
    names ("推进电子身份证、…、电子营业执照等高频证照汇聚" for "哪些常用的电子证照"): the
    sentence itself says its items are the things asked."""
    texts = [text for text, _ in option.items]
    if not option.sentence or len(texts) < 3:
        return False
    at = option.sentence.find(texts[-1])
    closing = option.sentence.find("等", at) if at >= 0 else -1
    if closing < 0 or closing > at + len(texts[-1]):
        return False  # the run is not closed by 等 (the last item may run on past it)
    tail = option.sentence[closing + 1 : closing + 1 + _CLASS_TAIL]
    phrase = asked_class(question)
    words = (tail[i : i + CLASS_CHARS] for i in range(len(tail) - CLASS_CHARS + 1))
    return any(_CJK_PAIR.fullmatch(w) and w in phrase and w not in _GENERIC_NOUNS for w in words)


# "科技孵化平台，都有哪几种类型": the kinds of what was named before are asked.
_SORT_NOUN = re.compile(r"(?:类型|种类|类别|形式)")
_BEFORE_SORTS = 20  # how far back the class whose kinds are asked may be named


def asked_class(question: str) -> str:
    """The phrase that names what the items asked are: the words after 哪些/哪几
    ("哪些常用的电子证照汇总起来"), or, when those ask only for kinds ("…科技孵化平台，都有
    哪几种类型"), the words before; "" when the items are what something has ("打通哪几方的
    信息系统")."""
    asked = _NOUN_THEN.search(question)
    if not asked or asked.group(1).startswith("的"):
        return ""
    if _SORT_NOUN.match(asked.group(1)):
        return question[max(asked.start() - _BEFORE_SORTS, 0) : asked.start()]
    return asked.group(1)


@lru_cache(maxsize=1024)
def _first_tag(phrase: str) -> tuple[str, str]:
    """The first word of a phrase and its part of speech (jieba's tagger; ("", "") for none):
    what `_starts_with_verb` and `_first_word` read, tagged once per phrase."""
    import jieba.posseg as pseg

    words = pseg.lcut(phrase)
    return (words[0].word, words[0].flag) if words else ("", "")


def _starts_with_verb(phrase: str) -> bool:
    return _first_tag(phrase)[1].startswith("v")


def _describes(phrase: str) -> bool:
    """Whether a phrase before 的 describes what follows rather than names whose it is: it
    opens with a verb or ends in no noun ("政府失信相关", "涉及企业"; not "领域" of
    "哪些领域的信息资源", where the 领域 are the items)."""
    import jieba.posseg as pseg

    words = pseg.lcut(phrase)
    return bool(words) and (words[0].flag.startswith("v") or not words[-1].flag.startswith("n"))


def _plain_nouns_first(phrase: str) -> str:
    """The plain nouns (tagged n) a phrase opens with, joined; "" below two characters. Not
    `_nouns_first`, which takes verbal nouns too: "信息统一归集" would give 信息统一."""
    import jieba.posseg as pseg

    nouns = []
    for w in pseg.lcut(phrase):
        if w.flag != "n":
            break
        nouns.append(w.word)
    return "".join(nouns) if len("".join(nouns)) >= 2 else ""


# "碰到了哪些难处" is answered by "…面临需求不足、资金周转困难…等重重困难": what users call the
# troubles and what documents call them.
_TROUBLES = ("难处", "困难", "难题", "难点", "问题", "麻烦", "痛点", "堵点")


def _noun_tail(noun: str) -> str:
    """The noun asked and its last two characters, as a pattern; any word for troubles when it
    names troubles (`_TROUBLES`)."""
    names = (noun, noun[-2:], *(_TROUBLES if noun[-2:] in _TROUBLES else ()))
    return "|".join(re.escape(n) for n in dict.fromkeys(names))


def count_pattern(noun: str) -> re.Pattern[str] | None:
    """The noun asked, counted as a document counts it ("五大环境", "四方主体")."""
    if not noun:
        return None
    return re.compile(rf"{_COUNT}[个大项类方种条件步点块]?(?:{_noun_tail(noun)})")


def counted_noun(noun: str) -> re.Pattern[str] | None:
    """How a sentence that lists the items asked names them: counted ("四方主体", "5大环境")
    or closed by 等 ("“一表填报”“一键提交”等便捷措施", "…等13项行政许可事项")."""
    counted = count_pattern(noun)
    if counted is None:
        return None
    tail = _noun_tail(noun)
    # "…等“四类”突出问题": the count may be quoted.
    closed = rf"[”\u4e00-\u9fff]等“?(?:{_COUNT}[个项类种条件]?”?)?[\u4e00-\u9fff]{{0,4}}?(?:{tail})"
    return re.compile(f"{counted.pattern}|{closed}")


# "要打通哪几方的信息系统" → 打通 … 信息系统: the words around what a list question asks.
ASKED_SLOT = re.compile(r"哪(?:几|些|[二两三四五六七八九十])[个大项类方种条件步点块事]?的?")
CLAUSE_RUN = re.compile(r"[^，,。；;！？!?：:\n]+")


@lru_cache(maxsize=1024)
def slot_frame(question: str) -> tuple[str, str]:
    """The content words right before and right after the asked slot of a list question
    ("海铁联运信息共享要打通哪几方的信息系统？" → ("打通", "信息系统")); ("", "") when either
    side has none (words of two or more characters, in the slot's own clause)."""
    import jieba

    m = ASKED_SLOT.search(question)
    if not m:
        return "", ""
    before = CLAUSE_RUN.findall(question[: m.start()] + "。")[-1:] if m.start() else []
    after = CLAUSE_RUN.findall(question[m.end() :])[:1]
    left = [w for w in jieba.lcut(before[0]) if len(w) >= 2] if before else []
    right = [w for w in jieba.lcut(after[0]) if len(w) >= 2] if after else []
    if not left or not right or not question[: m.start()].endswith(left[-1]):
        return "", ""
    return left[-1], right[0]


def fills_slot(question: str, sentence: str) -> bool:
    """Whether the sentence lists its items where the question asks for them: in one clause,
    the word before the asked slot, then the run (…、…), then the word after it ("打通…自动化
    码头、海关、铁路、船公司等多主体之间的信息系统" for "要打通哪几方的信息系统")."""
    left, right = slot_frame(question)
    if not left:
        return False
    for clause in CLAUSE_RUN.findall(sentence):
        first, last = clause.find("、"), clause.rfind("、")
        at = clause.find(left)
        if 0 <= at < first and right in clause[last:]:
            return True
    return False


def counts_noun_asked(question: str, text: str) -> bool:
    """Whether `text` counts the items the question asks for as the question names them
    ("哪几大环境" → "…“五大环境”"; `counted_noun`)."""
    counted = counted_noun(list_noun(question))
    return bool(counted and counted.search(text))


# "采取了哪些做法 / 有哪些措施": the items asked are measures, so the question reads as a list
# and as a method at once (issue 13).
_MEASURE_NOUN = re.compile(r"做法|措施|举措|办法|方式|手段|途径|经验|招")


def asks_measures(question: str) -> bool:
    """Whether the items a question asks for are measures ("有哪些措施", "采取了哪些做法"):
    it asks how something was done as much as for a list."""
    return bool(_MEASURE_NOUN.search(list_noun(question)))


# "从哪几个方面做 / 有哪些做法": the parts of what was done, as a case names them.
# "哪些方面的材料" asks for kinds of 材料, not the parts of what was done.
_PARTS_ASKED = re.compile(
    r"(?:哪[几些]?|几)[个项条大]?(?:方面(?!的(?!做法|措施|举措|工作|事|内容|经验|创新|改革|努力))"
    r"|做法|举措|措施)"
    r"|(?:方面|做法|举措|措施)[^，,。？?]{0,4}(?:哪[几些]|几|什么|啥)"  # "主要做法有哪几条 / 包括什么"
    r"|哪?几步|几个步骤"  # "具体分哪几步 / 分几步走"
)


# "分成了哪几类 / 划分为哪几种类型": the question asks how something is sorted, and the
# sentence that sorts it says so ("将个体工商户划分为“生存型”“成长型”“发展型”").
_SORTS_ASKED = re.compile(r"分[成为]|划分|哪[几些][类种]|几类|几种类型")
_SORTED = re.compile(r"分[成为]|划分为|分类为|分[三四五六七八九十两]类")


# "其中，创新突破70项、贯彻上级改革要求49项、…": a total told before, broken down by its
# sorts, each item with its count.
_BREAKDOWN = re.compile(r"^其中[，,：:]")
_ITEM_COUNT = re.compile(r"\d+(?:\.\d+)?[项个家条类件户]")


def sorts_total(option: ListOption) -> bool:
    """Whether an enumerating sentence sorts something: it says so (分为/划分为…) or breaks
    a total down ("其中，…70项、…49项"), each of its items counted."""
    if _SORTED.search(option.sentence):
        return True
    counts = len(_ITEM_COUNT.findall(option.sentence))
    return bool(_BREAKDOWN.match(option.sentence)) and counts >= max(2, option.count)


# A run of purposes: "为解决个体工商户融资难题、增强发展动能、推动经济高质量发展提供了…".
_PURPOSE_RUN = re.compile(r"^(?:为了?|以)(?:解决|推动|促进|助力|加快|进一步|提升|增强|破解|实现)")
_ASKS_PURPOSE = re.compile(r"为了什么|目的|为什么|图什么|意义")

# "哪几个县区 / 哪些城市": the items asked are places, each a name ending in its level.
_PLACES_ASKED = re.compile(
    r"哪(?:几|些)个?(?:县区|区县|县市|市县|城市|地市|地方|地区|省份|省|市|县|区)"
)
# "从市到村分了哪几级", "从受理到发证要过哪几道环节": the range the items run over.
_RANGE_ASKED = re.compile(
    r"从([\u4e00-\u9fff]{1,3}?)到([\u4e00-\u9fff]{1,3}?)(?=[分共一有都设建各要经走，,])"
)


def spans_range(option: ListOption, question: str) -> bool:
    """Whether a list of three or more runs over the range the question names: its first item
    holds where the range starts, its last where it ends ("从市到村…" → 市级…、…、村…)."""
    asked = _RANGE_ASKED.search(question)
    if not asked or option.count < 3:
        return False
    first, last = option.items[0][0], option.items[-1][0]
    return asked.group(1) in first and asked.group(2) in last


_PLACE_ITEM = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:省|市|县|区|州|旗)$")


def items_are_places(question: str) -> bool:
    """Whether a list question's items are places ("哪几个市", "哪些县区")."""
    return bool(_PLACES_ASKED.search(question))


def is_place_item(text: str) -> bool:
    """Whether an item is a place's name ending in its level ("怀集县", "贵港市")."""
    return bool(_PLACE_ITEM.search(text))


# A thing named alike in a question and a sentence: at least this many characters.
NAMED_THING_CHARS = 5


@lru_cache(maxsize=1024)  # asked of every sentence option for each of a case's own lists
def named_alike(question: str, sentence: str) -> str:
    """The longest run of characters a question and a sentence share, when it is at least
    NAMED_THING_CHARS long; "" otherwise."""
    q, text = re.sub(r"\s", "", question), re.sub(r"\s", "", sentence)
    m = SequenceMatcher(None, q, text, autojunk=False).find_longest_match()
    return q[m.a : m.a + m.size] if m.size >= NAMED_THING_CHARS else ""


def names_more_than_case(question: str, sentence: str, title: str) -> bool:
    """Whether `sentence` names a thing the question names (`named_alike`, or by its size:
    `sized_alike`) that the case's title does not: the question asks about that thing, not
    about the whole case."""
    shared = named_alike(question, sentence) or sized_alike(question, sentence)
    return bool(shared) and shared not in re.sub(r"\s", "", title)


# "那两百多项举措", "三十多个事项", "100多家企业": a thing named by its rough size.
_ROUGH_SIZE = re.compile(r"(\d+|[一二两三四五六七八九]?[十百千])多([项个条家件类])")
_EXACT_SIZE = r"(?<![\d.])(\d+)"
_PLACE_VALUES = {"十": 10, "百": 100, "千": 1000}


def rough_range(numeral: str) -> tuple[int, int]:
    """The values "两百多" (200–299), "二十多" (20–29), "30多" (30–39), "100多" (100–199)
    stand for, as [low, high)."""
    if numeral.isdigit():
        step = 10 ** (len(numeral) - 1) if len(numeral) > 1 else 1
        return int(numeral), int(numeral) + step
    unit = _PLACE_VALUES[numeral[-1]]
    head = numeral[:-1]
    low = (2 if head == "两" else cn_number(head) if head else 1) * unit
    return low, low + unit


def sized_measures_out(question: str) -> str:
    """The question without the measures it names by their size ("那两百多项举措是分成哪几个
    方面": the measures are what the parts asked are of, not what is asked)."""
    return re.sub(rf"{_ROUGH_SIZE.pattern}(?:{_MEASURE_NOUN.pattern})", "", question)


def sized_alike(question: str, sentence: str) -> str:
    """The count in `sentence` ("215项") that falls in the rough size by which the question
    names a thing ("两百多项"), with the same counter; "" when none."""
    for m in _ROUGH_SIZE.finditer(question):
        low, high = rough_range(m.group(1))
        for found in re.finditer(_EXACT_SIZE + re.escape(m.group(2)), sentence):
            if low <= int(found.group(1)) < high:
                return found.group()
    return ""


def asks_parts(question: str) -> bool:
    """Whether a list question asks for the parts of what was done (a case's own headings
    answer it), not for items of another kind ("哪三盲", "哪几类")."""
    return bool(_PARTS_ASKED.search(question))


def asks_sorts(question: str) -> bool:
    """Whether the question asks what sorts there are ("都配了哪几类专门负责的人", "分成几类")."""
    return bool(_SORTS_ASKED.search(question))


# "知识产权这个指标有哪些任务？": the tasks under an indicator are asked, not the indicator.
ASKS_TASKS = re.compile(
    r"(?:哪些|哪几[项条个]?|几项)(?:任务|措施|事项|工作|举措)"
    r"|(?:任务|措施|事项)[^，,。？?]{0,4}(?:哪些|哪几|几项)"
)


def reads_list(q: Question) -> bool:
    """Whether the lists of the sources may answer: list questions, method questions that
    ask for measures ("提供了哪些便捷措施"), which a list answers when the document names
    its items as the measures asked ("“一表填报”“一键提交”…等便捷措施"; `compose_list`), and
    questions for the fields of the tasks of a group ("…有哪些任务，分别由谁牵头")."""
    return (
        q.kind == "list"
        or (q.kind == "method" and asks_measures(q.text))
        or (bool(q.fields) and bool(ASKS_TASKS.search(q.text)))
    )


# ------------------------------------------------------------------ lists

# Numbered markers of a document's structure, at the start of a text, a line or a sentence:
# 一是/二是…, （一）（二）…, 一、二、…, 1. 2. … (the style keeps runs of one kind apart).
MARKER = re.compile(
    r"(?:^|(?<=[。；;：:\n]))[ \t\u3000]*"
    r"(?:(?P<shi>[一二三四五六七八九十]{1,3})是"
    r"|[（(](?P<paren>[一二三四五六七八九十]{1,3})[)）]"
    r"|(?P<dun>[一二三四五六七八九十]{1,3})、"
    r"|(?P<arabic>\d{1,2})[.．、](?!\d)"
    r"|(?P<side>一|另一)方面(?![的，,])"  # 一方面…另一方面…: a run of two
    r")"
)
_ITEM_END = re.compile(r"[。；;\n]")
_HEAD_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
MAX_ITEM_CHARS = 60
MAX_LIST_ITEMS = 10
MAX_LABEL_CHARS = 6  # headings this short are part labels (主要做法、取得成效), not content
# More units than this under one heading are a task table's rows, not a list one asks for.
MAX_GROUP_UNITS = 12


def marker_number(text: str) -> int:
    """ "三" → 3, "十二" → 12, "7" → 7 (0 when not a number)."""
    return int(text) if text.isdigit() else cn_number(text)


def ordinal_runs(text: str, title: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """The numbered runs of a text as (lead-in, items): each run counts 1, 2, 3… in one
    marker style (一是…二是…; （一）（二）…; 一、二、…; 1. 2. …), so the headings of a case
    (一、…二、…) and the points under one of them (一是…二是…) are separate lists. An item is
    its text up to the end of its first sentence; the lead-in is the sentence before the run,
    or `title` (the unit's) for its top-level headings (一、二、…) and a run that opens it."""
    runs: list[tuple[int, list[str], str]] = []
    open_runs: dict[str, int] = {}  # style → index in `runs` of its open run
    reached: dict[str, int] = {}  # style → the number its open run reached
    for m in MARKER.finditer(text):
        style = next(k for k in ("shi", "paren", "dun", "arabic", "side") if m.group(k))
        n = 2 if m.group(style) == "另一" else marker_number(m.group(style))
        end = _ITEM_END.search(text, m.end())
        item = text[m.end() : end.start() if end else len(text)]
        item = clip_item(item.strip()).rstrip("，,：: ")
        if len(item) < 2:
            continue
        if n == 1:
            open_runs[style] = len(runs)
            reached[style] = 1
            runs.append((m.start(), [item], style))
        elif style in open_runs and n == reached[style] + 1:
            runs[open_runs[style]][1].append(item)
            reached[style] = n
        elif style == "dun" and n >= 3 and reached.get("shi") == n - 1:
            # The document slipped from 一是/二是 to "三、" mid-list (a typo common in these
            # texts): the number continues the 一是 run. Not the other way round: a "二是"
            # after "一、" is the first point under that heading whose "一是" sat mid-sentence.
            runs[open_runs["shi"]][1].append(item)
            reached["shi"] = n
    out = []
    for at, items, style in runs:
        if style == "dun" and all(len(i) <= MAX_LABEL_CHARS for i in items):
            continue  # the layout's part labels (一、主要做法 二、主要成效), not its content
        if len(items) >= 2:
            head = title if style == "dun" else lead_in(text[:at])
            head = head or title  # a run that opens the unit is introduced by its title
            out.append((head, tuple(items)))
    return out


# Part labels of a case's layout (案例背景、主要做法、取得成效 …): not practices.
_PART_LABEL = re.compile(
    r"背景|做法|举措|成效|效果|经验|启示|亮点|下一步|基本情况|存在问题|概况|代表案例|典型案例"
    # a plan's parts (一、指导思想 二、主要目标 …), not what it does
    r"|指导思想|总体要求|主要目标|工作目标|基本原则|保障措施|组织领导|组织保障|工作要求"
)
MAX_LAYOUT_CHARS = 12  # "主要举措和取得成效": a layout label; "打造“一站点”…": a practice


def layout_run(items: Sequence[str]) -> bool:
    """Whether a numbered run is the case's layout (一、案例背景 二、主要举措和取得成效 三、具体
    代表案例), not its practices: half its items or more are layout labels."""
    labels = sum(bool(_PART_LABEL.search(i)) and len(i) <= MAX_LAYOUT_CHARS for i in items)
    return labels * 2 >= len(items)


def case_outline(unit: Unit, text: str) -> tuple[str, ...]:
    """The practices a case names in its own structure, in order: the first numbered run of
    its text (一、打造“一站点”… 二、… or 一是… 二是…), else its named parts that are not layout
    labels (烟台: 推动系统研发，打通“一网通办”屏障; 一窗受理、集成服务…). The authors' own
    summary of how it was done; () when the case has neither."""
    runs = [run for run in ordinal_runs(text, unit.title) if not layout_run(run[1])]
    if runs:
        return tuple(unmarked(item) for item in runs[0][1])
    return named_parts(unit)


@dataclass(frozen=True)
class Outline:
    """A case's practices as its own structure names them, and the sentence before them."""

    lead: str = ""
    steps: tuple[str, ...] = ()
    # Each step's heading alone (`case_outline`), where `steps` may go on with the sentence
    # after it (`detailed_outline`); () when not known.
    headings: tuple[str, ...] = ()


def outline_lead(unit: Unit, text: str) -> str:
    """The sentence that introduces a case's outline when its outline is a numbered run
    under a sentence of its own ("近年来，重庆按照“谁起草，谁审查”的原则，…规范审查流程。"
    before 一方面…另一方面…): the principle its steps follow. "" for headings under the
    case's title."""
    runs = ordinal_runs(text, unit.title)
    lead = runs[0][0] if runs and runs[0][0] != unit.title else ""
    return lead if len(_heading_name(lead)) > MAX_HEADING_CHARS else ""  # not "二、主要做法"


def named_parts(unit: Unit) -> tuple[str, ...]:
    """The unit's named parts that are not layout labels (聚焦制度体系建设、聚焦执法监督协调…),
    in order; () when fewer than two."""
    names = [
        span.name
        for span in unit.sections
        if span.name != unit.title and not _PART_LABEL.search(span.name) and len(span.name) > 4
    ]
    return tuple(dict.fromkeys(names)) if len(names) >= 2 else ()


PARALLEL_PREFIX = 2  # characters that sentences in parallel (排比) start with: "用好…用好…"
_CJK_PREFIX = re.compile(r"[\u4e00-\u9fff]{2}")  # words, not a year or a bracket


def parallel_runs(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Lists told in parallel sentences under a heading that starts the same way, as (head,
    items): "用好“三个平台”，打造…。用好人力资源产业集聚平台，…。用好人才技能培训平台，…。
    用好园区孵化功能平台，…" → the three 平台, each its sentence's first clause. No
    numbering marks these items, only the repeated verb of their heading."""
    sentences = [unmarked(s.strip()) for s in _WHOLE_SENTENCE.findall(text) if s.strip()]
    runs, i = [], 0
    while i < len(sentences):
        prefix = sentences[i][:PARALLEL_PREFIX]
        j = i + 1
        while j < len(sentences) and sentences[j][:PARALLEL_PREFIX] == prefix:
            j += 1
        if j - i >= 3 and _CJK_PREFIX.fullmatch(prefix):  # the heading and ≥ 2 items
            items = tuple(
                clip_item(re.split(r"[，,；;：:]", t, maxsplit=1)[0]) for t in sentences[i + 1 : j]
            )
            runs.append((sentences[i], items))
            i = j
        else:
            i += 1
    return runs


# "“察势者智，驭势者赢…": a sentence opening with a quote longer than a name (“证照联办” is
# one) is someone speaking, not what was done.
SPEECH_OPENING = re.compile(r"^\s*“[^”]{13}")


def detailed_outline(outline: Sequence[str], text: str) -> tuple[str, ...]:
    """Each practice of an outline with the sentence that follows its heading in `text`
    ("打造“一站点”，创新…模式：在市中院设立服务营商环境工作站…"): a heading alone says what
    kind of thing was done, its first sentence says what; the heading alone when it is not
    found, nothing follows it or someone speaks there (`SPEECH_OPENING`)."""
    out, at = [], 0
    for step in outline:
        pos = text.find(step, at)
        if pos < 0:
            out.append(step)
            continue
        at = pos + len(step)
        after = _HEAD_SENTENCE.match(text, _skip_heading_rest(text, at))
        detail = clip_item(after.group().strip().rstrip("。；;")) if after else ""
        told = len(detail) > 4 and not MARKER.match(detail) and not SPEECH_OPENING.match(detail)
        out.append(f"{step}：{detail}" if told else step)
    return tuple(out)


MAX_CLAUSE_HEAD_CHARS = 30  # "三是提升软硬件综合实力，全面落实三盲评审机制": a heading, not a story


MAX_HEADING_CHARS = 20  # "构建诉求解决新机制。": a paragraph's heading sentence, not its content
MIN_HEADING_CHARS = 4
MIN_BODY_AFTER_HEADING = 10


def heading_runs(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Paragraphs in a row that each open with a short heading sentence and go on, as (the
    line before them, headings): "二、主要举措\n构建诉求解决新机制。在…成立…\n搭建数智化服务
    体系。归并13条热线渠道…" → (二、主要举措, (构建诉求解决新机制, 搭建数智化服务体系, …)):
    a case's practices when no 一是/（一） marks them. `text` needs its paragraphs
    (`joined`)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    runs: list[tuple[str, tuple[str, ...]]] = []
    run: list[str] = []
    head = ""
    for line in [*lines, ""]:
        first = line.split("。", 1)[0]
        if (
            line
            and MIN_HEADING_CHARS <= len(first) <= MAX_HEADING_CHARS
            and len(line) - len(first) > MIN_BODY_AFTER_HEADING
            and not MARKER.match(line)
        ):
            run.append(first)
            continue
        if len(run) >= 2:
            runs.append((head, tuple(run)))
        run = []
        head = line if len(line) <= MAX_HEADING_CHARS else ""
    return runs


def clause_runs(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Sentences of two or more "；" clauses with the sentence before them, as (head, items):
    "…全面落实三盲评审机制。…随机“盲抽”；…随机“盲选”；…采用“暗标”形式…。" → the three
    clauses, each clipped. Only a question that names the head's label asks for these
    (`choose_list`): most such sentences are no list anyone asks for."""
    sentences = [s.strip() for s in _WHOLE_SENTENCE.findall(text) if s.strip()]
    runs = []
    for head, sentence in zip(sentences, sentences[1:], strict=False):
        parts = [p.strip() for p in re.split(r"[；;]", sentence) if p.strip()]
        if (
            len(parts) >= 2
            and len(head) <= MAX_CLAUSE_HEAD_CHARS
            and not defined_items(sentence)
            and not sentence_items(head)
        ):  # a heading: short, and no list itself
            runs.append((unmarked(head), tuple(parts)))  # clipped when shown (`compose_list`)
    return runs


# "健全“三个体系”" / "强化“两机制”": a heading that counts the things its paragraph tells.
_COUNTED_LABEL = re.compile(
    rf"(?<!第)({_COUNT})[个大项类种条]?([\u4e00-\u9fff]{{2}})"
)  # not 第四部分


def counted_runs(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Items a short heading counts and the sentences after it name one each, in one
    paragraph, as (head, items): "健全“三个体系”，推动园区管理“标准化”。构建…的管理体系，…。
    健全人力资源业态结构体系，…。目前，…。建设多重政策保障体系，…" → the three sentences'
    first clauses that hold 体系. Only when as many as the heading counts name it."""
    runs = []
    sentences = [s.strip() for s in _WHOLE_SENTENCE.findall(text) if s.strip()]
    for i, head in enumerate(sentences):
        m = _COUNTED_LABEL.search(head)
        if not m or len(head) > MAX_CLAUSE_HEAD_CHARS:
            continue
        count = 2 if m.group(1) == "两" else marker_number(m.group(1))
        body = []  # the sentences up to the next numbered heading (the passages' line
        for t in sentences[i + 1 : i + 1 + MAX_COUNTED_SENTENCES]:  # breaks are no bound)
            if MARKER.match(t):
                break
            body.append(re.split(r"[，,；;：:]", t, maxsplit=1)[0])
        items = [clip_item(f) for f in body if m.group(2) in f]
        if count >= 2 and len(items) == count:
            runs.append((unmarked(head), tuple(items)))
    return runs


MAX_COUNTED_SENTENCES = 12


def _skip_heading_rest(text: str, at: int) -> int:
    """The position after the rest of a heading's line or sentence."""
    end = _ITEM_END.search(text, at)
    return end.end() if end else len(text)


def clip_item(item: str, keep: Sequence[str] = ()) -> str:
    """An item shortened to MAX_ITEM_CHARS at its last clause boundary (a whole phrase, not
    "…推动相关"), or at the limit when its first clause alone is longer. A word of `keep`
    (what names the items: 盲 of "哪三盲") that only a later clause holds is kept: the first
    clause, "……" and that clause ("…采用“暗标”形式……对投标文件进行暗标“盲评”")."""
    if len(item) <= MAX_ITEM_CHARS:
        return item
    cut, opened = _clause_cut(item, MAX_ITEM_CHARS)
    clipped = item[:cut] if cut >= 8 else item[: opened if opened >= 8 else MAX_ITEM_CHARS]
    for word in keep:
        if word and word not in clipped and word in item:
            clauses = re.split(r"[，,；;]", item)
            last = next(c for c in reversed(clauses) if word in c)
            first = clauses[0][:MAX_ITEM_CHARS]
            return first if word in first else f"{first}……{last[-MAX_ITEM_CHARS:]}"
    return clipped


_OPENS, _CLOSES = "（(“《「【", "）)”》」】"


def _clause_cut(text: str, limit: int) -> tuple[int, int]:
    """(the last clause boundary before `limit` outside brackets and quotes, -1 when none;
    where the bracket still open at `limit` opens, -1 when none): an item is not cut inside
    "（广西八步区，广东怀集县、…" (the comma there ends no clause of the item)."""
    cut, depth, opened = -1, 0, -1
    for i, ch in enumerate(text[:limit]):
        if ch in _OPENS:
            opened = i if depth == 0 else opened
            depth += 1
        elif ch in _CLOSES and depth:
            depth -= 1
        elif ch in "，,；;" and depth == 0:
            cut = i
    return cut, opened if depth else -1


def lead_in(before: str) -> str:
    """The last sentence before a list (its lead-in: "…打造“三网融合”…。"), else ""."""
    sentences = [s.strip() for s in _HEAD_SENTENCE.findall(before) if len(s.strip()) >= 4]
    return sentences[-1][-80:] if sentences else ""


# "将办税事项划分为可全程网办事项…、暂未实现全程网办事项": what a sorting sentence sorts into.
_SORTED_INTO = re.compile(r"(?:划分为|分类为|分为|分成)(?P<body>[^，,。；;：:]+)")


def sorted_items(sentence: str) -> tuple[str, ...]:
    """The classes a sentence sorts something into ("…划分为甲、乙…" → (甲, 乙)): two are a
    list here, where any other sentence needs three (`sentence_items`); () when it sorts into
    fewer than two or names none ("分为四级" alone)."""
    m = _SORTED_INTO.search(sentence)
    if not m:
        return ()
    if grades := _LETTER_GRADES.match(m.group("body")):  # "分为ABCD四级": A级、B级…
        return tuple(f"{letter}{grades.group(2)}" for letter in grades.group(1))
    body = _COUNT_TAIL.sub("", m.group("body"))  # "…快审快兑类三种兑现方式": the count ends it
    items = [p.strip() for p in re.split(r"[、和及与“”]+", body) if p.strip()]
    items = [i for i in items if not _CLASS_COUNT.fullmatch(i)]  # "…“发展型”三类": a count
    return tuple(items) if len(items) >= 2 else ()


_LETTER_GRADES = re.compile(r"([A-Z]{2,6})[二两三四五六七八九十\d]*[个]?([级类档等])")
# What follows the last class of a sorting sentence: its count and the noun counted.
_COUNT_TAIL = re.compile(
    r"(?<=[\u4e00-\u9fff”])[二两三四五六七八九十\d]+[个]?[种类级档型等][^、]*$"
)
_CLASS_COUNT = re.compile(r"[二两三四五六七八九十\d]+[个大]?[类种级型档等]")


# "积分模型下设税法遵从度和服务满意度两大指标": two items the sentence counts itself, after
# the verb that introduces them (a pair is a list only when counted: "A和B" alone is not).
_COUNTED_PAIR = re.compile(
    r"(?:设|为|括|含|有|是|了|的)([^，,、。；;设为括含有是了的和与及]{2,8})(?:和|与|及)"
    r"([^，,、。；;和与及]{2,8}?)(?:两|二)[大个项类种方]"
)


def sentence_items(sentence: str) -> tuple[str, ...]:
    """The items an enumerating sentence lists: its quoted terms (“减负”“助力”“纾困”…), else
    the parts of its first list (交地、办证、办税…; “事前、事中、事后”三个环节 without what
    follows the quote; "一站服务，一并审批）": a last item after a comma that closes it; two
    items the sentence counts itself, `_COUNTED_PAIR`); () when it lists fewer than three."""
    if defined := defined_items(sentence):
        return defined
    if chain := _CHAIN.search(sentence):  # “收集—筛分—办理—反馈”: the steps of a loop
        return tuple(p for p in re.split(r"[—－\-+＋]+", chain.group(1)) if p)
    runs = [re.findall(r"“([^”“]+)”", m.group()) for m in _QUOTED_RUN.finditer(sentence)]
    quoted = max((tuple(dict.fromkeys(r)) for r in runs), key=len, default=())
    if len(quoted) >= 3:
        return quoted
    if pair := _COUNTED_PAIR.search(sentence):  # "下设税法遵从度和服务满意度两大指标"
        return pair.group(1, 2)
    if problems := _PROBLEMS.search(sentence):  # "存在开户手续繁琐，…三方监管程序多，…等问题"
        parts = [p for p in problems.group(1).split("，") if p]
        if len(parts) >= 3 and all(len(p) <= MAX_PROBLEM_CHARS for p in parts):
            return tuple(parts)
    sentence = _ITEM_NOTE.sub("", sentence)  # 食品生产许可（低风险食品）、… is one item
    # "县（市、区）公共法律服务中心7个、镇街…": a 、 inside a short note joins no items.
    sentence = _LISTING_NOTE.sub(lambda m: m.group().replace("、", _GUARD), sentence)
    items = _run_of(sentence)
    if not items and (bare := _INNER_NOTE.sub("", sentence)) != sentence:
        # "违约拖欠中小企业款项登记（投诉）平台、信访等渠道": a note inside an item makes it too
        # long for a run; read without it, then shown with it.
        items = tuple(_with_notes(item, sentence) for item in _run_of(bare))
    return tuple(item.replace(_GUARD, "、") for item in items)


def _run_of(sentence: str) -> tuple[str, ...]:
    """The items of a sentence's run its own count closes ("…等考量，从聚焦市场开放、…、聚焦
    法治保障5个维度制定…": five items, "5个维度"), else of its first run of three or more, or
    of a later one closed by 等 ("需要“分头跑、挨个办”的实际情况，将营业执照、公章与食品、药品、
    医疗器械等3类…": the quoted pair is not the list), not of any run deep in a story; () when
    none."""
    runs = [(n, m, enumerated_items(sentence, m)) for n, m in enumerate(ENUM.finditer(sentence))]
    runs = [(n, m, items) for n, m, items in runs if items]
    counted = next((items for _, m, items in runs if counts_itself(sentence, m, items)), ())
    if counted:
        return counted
    for n, m, items in runs:
        if n == 0 or _closed_run(sentence, m):
            return items
    return ()


# The count right after a run's last item: "…聚焦法治保障5个维度", "…放款五件事", "…等六方面";
# not one the noun of a longer phrase follows ("申请、审批、登记3大功能系统的融合": a side
# remark inside what the sentence does).
_OWN_COUNT = re.compile(rf"等?({_COUNT})[个项大类方种条件步点块](?![\u4e00-\u9fff]{{0,4}}的)")


def counts_itself(sentence: str, m: re.Match[str], items: Sequence[str]) -> bool:
    """Whether the run `m` (its `items`) is followed right after its last item by a count of
    as many items, which does not lead into a longer phrase: the sentence says what it
    lists."""
    end = m.group().rfind(items[-1]) if items else -1
    if end < 0:
        return False
    count = _OWN_COUNT.match(sentence, m.start() + end + len(items[-1]))
    return bool(count) and marker_number(count.group(1)) == len(items)


def _with_notes(item: str, sentence: str) -> str:
    """An item read without its inner notes (`_INNER_NOTE`) as the sentence spells it."""
    pattern = f"(?:{_NOTE})?".join(map(re.escape, item))
    m = re.search(pattern, sentence)
    return m.group() if m else item


# "相比原在银行存储保证金的方式存在开户手续繁琐，…专用账户三方监管程序多，退保证金存在跨行
# 及异地取款收费等问题": the problems a practice ended, told as clauses, not as a 、 run.
_PROBLEMS = re.compile(r"存在([^。；;、]{6,90}?)等(?:问题|困难|难题|弊端|痛点|堵点)")
MAX_PROBLEM_CHARS = 24


def _closed_run(sentence: str, m: re.Match[str]) -> bool:
    """Whether a run's last item is closed by 等 ("食品、药品、医疗器械等3类"; a bare count,
    "申请、审批、登记3大功能系统", is too often a side remark of a longer sentence)."""
    last = m.group()[m.group().rfind("、") + 1 :]
    return "等" in last


def enumerated_items(sentence: str, m: re.Match[str]) -> tuple[str, ...]:
    """The items of one run `m` of a sentence (`sentence_items`); () below three."""
    span = m.group()
    close, last = span.rfind("”"), span.rfind("、")
    opened = span.rfind("“", 0, close) if close > 0 else -1
    if opened >= 0 and re.sub(r"“[^“”]*”", "", span).count("、") >= 2:
        # "…实体平台、“12348甘肃法网”“12348”热线平台、…智能终端等作用": a term quoted whole
        # within a run of 、 is one of its items, not where the run starts (quotes side by
        # side with no 、, "拓展为“全方位”“全覆盖”的…", are no such run).
        return _run_items(sentence, m, re.split(r"[、”“]+", span), quoted_list=False)
    inside = span[opened + 1 : close] if close > 0 else ""
    if close < last and inside.count("、") >= 2:
        # "“免注册、无介质、零成本、全流程”方便、快捷、安全地办理": the quoted run is the list,
        # not the manner words after it.
        span = inside + "”"
        close, last = len(inside), inside.rfind("、")
    quoted_list = close > last  # “甲、乙、丙”三个环节: the list ends at the quote
    span = span[:close] if quoted_list else span[close + 1 :]
    return _run_items(sentence, m, re.split(r"[、”“]+", span), quoted_list)


def _run_items(
    sentence: str, m: re.Match[str], parts: Sequence[str], quoted_list: bool
) -> tuple[str, ...]:
    """A run's items from its `parts`, with the last item a comma closes after it; () below
    three."""
    items = [p.strip() for p in parts if p.strip()]
    tail = _LAST_ITEM.match(sentence, m.end())
    if tail and not quoted_list:
        items.append(tail.group(1))
    if items and (count := _RUN_COUNT.search(items[-1])) and count.start():
        items[-1] = items[-1][: count.start()]  # "…抵押、放款五件事整合为…": the item is 放款
    return tuple(items) if len(items) >= 3 else ()


# The count that closes a run ("交地、办证、办税、抵押、放款五件事"), not part of its last item.
_RUN_COUNT = re.compile(rf"{_COUNT}[个项大类方种条件步点块张招套组批件]")


# Steps quoted as one chain: “收集—筛分—办理—反馈”, “专项督查—发现问题—任务清单—整改落实”;
# or parts joined by "+" (“信用评价+履约监管+联合惩戒+结果运用”), three at least: “互联网+监管”
# is one name, not a list.
_CHAIN = re.compile(r"“((?:[^“”—－\-+＋]{1,8}[—－\-+＋]+){2,}[^“”—－\-+＋]{1,8})”")


# A label defined part by part after 即: "明确“四答”工作要求，即有题必答，100%响应…；应声作答，
# …；同题共答，…；权威解答，…" — one part per "；", named by its first clause.
_DEFINITION = re.compile(r"即[:：]?(?P<body>[^。]+)")
_WHOLE_SENTENCE = re.compile(r"[^。！？!?\n]+")


def defined_items(sentence: str) -> tuple[str, ...]:
    """The parts of a label defined after 即, one per "；" (at least three), each its first
    clause; () when the sentence defines nothing so."""
    m = _DEFINITION.search(sentence)
    if not m:
        return ()
    parts = [p.strip() for p in re.split(r"[；;]", m.group("body")) if p.strip()]
    if len(parts) < 3:
        return ()
    return tuple(clip_item(re.split(r"[，,]", p, maxsplit=1)[0]) for p in parts)


# Quoted terms one after another (“减负”“助力”“纾困”, “甲”、“乙”和“丙”, or each after a short
# label: 互市供销“链条通”、定制服务“享红利”…): a quoted list, not the same term quoted twice
# in a sentence, nor terms a comma apart.
_QUOTED_RUN = re.compile(r"“[^”“]{1,12}”(?:[^“”，,。；;：:]{0,8}?“[^”“]{1,12}”){2,}")
# A short note in brackets after an item of a list ("食品生产许可（低风险食品）、").
_NOTE = r"[（(][^（）()、，,]{1,10}[)）]"
_ITEM_NOTE = re.compile(rf"(?<=[\u4e00-\u9fff]){_NOTE}(?=[、，,等])")
# A short note that lists ("县（市、区）"), and what stands for its 、 while runs are read.
_LISTING_NOTE = re.compile(r"[（(][^（）()：:，,。；;]{0,6}、[^（）()：:，,。；;]{0,6}[)）]")
_GUARD = "\u2063"
# A note inside an item, a few characters before its end ("…款项登记（投诉）平台、").
_INNER_NOTE = re.compile(rf"(?<=[\u4e00-\u9fff]){_NOTE}(?=[\u4e00-\u9fff]{{1,6}}[、，,等])")
_LAST_ITEM = re.compile(r"[，,]([^、，,。；;“”（）()]{1,8})(?=[）)。；;]|$)")


@dataclass(frozen=True)
class ListOption:
    """One way the sources list what is asked: an enumerating sentence (`sentence`), a
    numbered run of a unit's structure, the units under one heading, or the sentences of a
    measure. `text` is what is scored against the question (lead-in and items)."""

    items: tuple[tuple[str, int], ...]  # (item, hit index) in order
    text: str
    sentence: str = ""
    source: int = -1  # the hit the list was found from (for its rank), else its first item's
    whole: bool = False  # shown whole: the units under a heading are the document's own list
    head: str = ""  # what introduces a structural list (its lead-in, heading or unit title)
    outline: bool = False  # the practices a case names in its own structure (`case_outline`)
    parts: bool = False  # a unit's own parts: its outline or a measure's steps
    parallel: bool = False  # told in parallel sentences under a heading (`parallel_runs`)
    clauses: bool = False  # the "；" clauses of the sentence after its heading (`clause_runs`)
    aspect: bool = False  # the run under one heading of a case the question asks about
    outgrown: bool = False  # a list of a unit whose `aspect` run the question asks about
    # How `listing.extra_options` found it, which `listing.lifted` weighs: "noun" (clauses
    # naming the noun asked, `noun_clauses`), "label" (a quoted label spelled out), "closed"
    # (a run of 、 and 或 closed by the noun asked, `noun_closed_runs`: no bonus), "shift"
    # (从…向… clauses for a question asking what shifts were made, `from_to_runs`: sure).
    found_as: str = ""

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def hit(self) -> int:
        return self.source if self.source >= 0 else self.items[0][1]


def _run_option(head: str, items: Sequence[str], hit: int, **kind: bool) -> ListOption:
    """A list of the structure of one unit (hit index `hit`): its items under `head`."""
    return ListOption(tuple((i, hit) for i in items), option_text(head, items), head=head, **kind)


def option_text(head: str, items: Sequence[str]) -> str:
    return f"{head}：{'；'.join(items)}"[:160] if head else "；".join(items)[:160]


def list_options(
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    unit_texts: dict[int, str],
    groups: Sequence[tuple[str, Sequence[int], int]] = (),
    measure_sentences: int = 8,
    question: str = "",
) -> list[ListOption]:
    """Every list the sources offer: candidate sentences that enumerate; the numbered runs of
    the units in `unit_texts` (hit index → cleaned full text of its unit); `groups` (a heading,
    the hit indices of the units under it in order, and the hit it was found from; as many as
    `group_cap` allows for `question`); and for a measure among the units
    (a paragraph of steps, no numbering) its sentences, each one measure."""
    out: list[ListOption] = []
    for c in candidates:
        # A sentence that sorts lists its classes, not the means it names on the way
        # ("通过数据共享、流程再造…，将惠企政策分类为免申即享类、即申即享类和快审快兑类").
        if items := sorted_items(c.text) or sentence_items(c.text):
            out.append(ListOption(tuple((i, c.hit) for i in items), c.text, c.text))
    for h, text in unit_texts.items():
        unit = hits[h].unit
        for whole in _WHOLE_SENTENCE.findall(text):
            # A definition (…“四答”…，即…；…；…) is one sentence of clauses split by "；",
            # which the candidates (clauses) never hold whole.
            if items := defined_items(whole):
                sentence = unmarked(whole.strip()) + "。"
                out.append(ListOption(tuple((i, h) for i in items), sentence, sentence))
        out += [_run_option(head, items, h, clauses=True) for head, items in clause_runs(text)]
        out += [  # the case's own practices, like an outline
            _run_option(head or unit.title, items, h, outline=True, parts=True)
            for head, items in heading_runs(text)
        ]
        outline = case_outline(unit, text)
        parts = named_parts(unit)
        for found in dict.fromkeys(o for o in (outline, parts) if o):
            # The case's outline, and its named parts when its outline is a numbered run
            # (兰州's twenty measures under five "聚焦…" parts).
            items = tuple((i, h) for i in found)
            text_of = option_text(unit.title, found)
            out.append(ListOption(items, text_of, head=unit.title, outline=True, parts=True))
        parallel = parallel_runs(text)
        told = {items for _, items in parallel}
        # A heading's counted items told in sentences that do not start alike: like a
        # parallel run (when they do start alike, that run is this list already).
        parallel += [(head, items) for head, items in counted_runs(text) if items not in told]
        out += [_run_option(head, items, h, parallel=True) for head, items in parallel]
        out += [_run_option(head, items, h) for head, items in ordinal_runs(text, unit.title)]
        if hits[h].unit.kind == "measure" and not ordinal_runs(text):
            steps = [
                c.text
                for c in candidates
                if hits[c.hit].unit.id == hits[h].unit.id and not FIELD_LINE.search(c.text)
            ][:measure_sentences]
            if len(steps) >= 3:
                title = hits[h].unit.title
                text = option_text(title, steps)
                out.append(ListOption(tuple((s, h) for s in steps), text, head=title, parts=True))
    for head, members, source in groups:
        titles = [hits[m].unit.title for m in members]
        if 2 <= len(members) <= group_cap(head, question):
            items = tuple(zip(titles, members, strict=True))
            text = option_text(head, titles)
            out.append(ListOption(items, text, source=source, whole=True, head=head))
    return out


FIELD_LINE = re.compile(r"牵头单位|配合单位|责任单位|完成时限")
# A task's field column read as a sentence: "〔牵头单位：市发展改革委…；", "配合单位：市委编办…〕".
_FIELD_COLUMN = re.compile(
    r"^[〔（(【\[]?\s*(?:牵头|配合|责任)(?:单位|部门)\s*[:：]|^[〔（(【\[]?\s*完成时[限间]\s*[:：]"
)


def is_field_line(sentence: str) -> bool:
    """Whether a sentence is a task's field column ("配合单位：…〕"), not what was done: never a
    sentence of an answer that does not ask for that field."""
    return bool(_FIELD_COLUMN.match(sentence.strip()))


# "哪六项 / “四向” / 三网融合 / 三个着力 / 5个一": the number of items a question names.
# What follows a count of items ("三个", "六方面", "五级", "“四向”").
_COUNTERS = "个项大类方种条件步点块张招套组批字向化网级型"
_ASKED_COUNT = re.compile(rf"([二两三四五六七八九十]{{1,3}}|\d{{1,2}})(?=[{_COUNTERS}])")
# "有哪几项措施 / 有哪些举措": a question about the items of one source, count not named.
_ASKS_ITEMS = re.compile(r"哪几|哪些|几项|几条|多少项|多少条")
MAX_COUNTED_ITEMS = 30  # a list whose count the question or its title states is shown whole
COUNT_BONUS = 0.15  # a list of as many items as the question names is that list
LIST_MARGIN = 0.1  # a list may score this far below the best sentence (NCPQA dev: 0.05–0.15 alike)


def asked_count(question: str) -> int:
    """How many items the question names ("哪六项" → 6); 0 when it names none, or when it
    asks how many with 哪几/几个 and its number counts something else ("二十项措施分成哪几个
    聚焦": the twenty measures are the context, the 聚焦 are asked)."""
    m = _ASKED_COUNT.search(question)
    if not m or (_UNKNOWN_COUNT.search(question) and not question[: m.start()].endswith("哪")):
        return 0
    return 2 if m.group(1) == "两" else marker_number(m.group(1))


_NAMED_LABEL = re.compile(r"哪([二两三四五六七八九十][\u4e00-\u9fff])")
_UNKNOWN_COUNT = re.compile(r"哪几|几[个项条类种方块步大]")


def stated_count(option: ListOption, question: str, titles: Sequence[str]) -> bool:
    """Does the option have as many items as its unit's title states, for a question about
    that unit's items ("兰州市司法局有哪几项措施？" and the case "司法局优化营商环境二十项措施":
    its 20 numbered measures)? `titles`: the unit title of each hit."""
    if asked_count(question) or not _ASKS_ITEMS.search(question) or option.sentence:
        return False
    if not 0 <= option.hit < len(titles):
        return False
    return option.count >= 3 and asked_count(titles[option.hit]) == option.count


_CN_COUNTS = "零一二三四五六七八九十"


def says_count(text: str, n: int) -> bool:
    """Whether `text` states the count `n` ("三个环节", "3项", "两个", "六方面"; 2–10)."""
    words = {str(n)}
    if 0 < n <= 10:
        words.add(_CN_COUNTS[n])
    if n == 2:
        words.add("两")
    numeral = "|".join(sorted(words, key=len, reverse=True))
    found = rf"(?<![\d.])(?:{numeral})(?=[{_COUNTERS}])(?!{_DURATION})"
    return bool(re.search(found, text))


# "3个工作日内", "两个月": a length of time, not a count of items.
_DURATION = r"个?(?:工作日|自然日|月|小时|星期|季度|分钟|钟头)"


def _title(titles: Sequence[str], option: ListOption) -> str:
    return titles[option.hit] if 0 <= option.hit < len(titles) else ""


# What counts a run right after its last item ("…和快审快兑类三种兑现方式", "…等5项措施"): a
# counter, then a word or two that say what kind, then the noun asked.
_RUN_COUNTED = r"(?:等|这)?" + _COUNT + r"[个种类项条大方][\u4e00-\u9fff]{0,3}?"


_ASPECTS = "方面"  # "从哪几个方面使劲": counted by the generic noun, the verb after it aside


def counts_run_as_asked(option: ListOption, question: str) -> bool:
    """Whether an enumerating sentence counts its run (two items or more) by the noun the
    question asks for, right after the run ("哪几种方式" → "…和快审快兑类三种兑现方式"), or
    by the 方面 asked when what is done in them follows ("从哪几个方面使劲" → "…、着力强基固本
    提升监管执法能力4方面持续发力": the document's verb need not be the question's)."""
    noun = list_noun(question)
    if not option.sentence or len(option.items) < 2 or not noun:
        return False
    last = option.items[-1][0]
    end = option.sentence.rfind(last)
    if end < 0:
        return False
    after = option.sentence[end + len(last) :]
    if re.match(_RUN_COUNTED + re.escape(noun), after):
        return True
    if not noun.startswith(_ASPECTS) or len(noun) == len(_ASPECTS):
        return False
    # The last item may be cut short of its closing word ("…提升监管执法[能力]4方面").
    counted = re.match(rf"[\u4e00-\u9fff]{{0,4}}?(?:等|这)?{_COUNT}个?{_ASPECTS}", after)
    return bool(counted) and says_count(counted.group(0), len(option.items))


def choose_list(
    options: Sequence[ListOption],
    scores: Sequence[float] | np.ndarray,
    question: str,
    floor: float = -np.inf,
    titles: Sequence[str] = (),
) -> int | None:
    """Index of the option that answers: the best score against the question, plus
    COUNT_BONUS when it has as many items as the question names ("哪三张网") or as its
    unit's title states ("二十项措施", `stated_count`), or counts the noun asked ("四方主体"
    for "哪几方主体"); None when none reaches `floor` (a list far below the best sentence is
    not what was asked: "有哪些支持政策" is often one sentence)."""
    if not len(options):
        return None
    want = asked_count(question)
    phrase = _ASKED_COUNT.search(question)
    named = question[phrase.start() : phrase.end() + 1] if phrase else ""  # "四向", "三网"
    counted = counted_noun(list_noun(question))
    labels = re.findall(r"“[^”“]{2,8}”", question)  # “三到位”, “四向”: the list's own name
    # The same names unquoted, and "哪三盲"'s 三盲: what a heading over its clauses says.
    named_labels = _NAMED_LABEL.findall(question)
    plain = [label.strip("“”") for label in labels] + named_labels
    parts_asked = asks_parts(question)
    noun = list_noun(question)
    generic = generic_noun(question)
    # Items the document names by the very noun asked ("聚焦…" for "哪几个聚焦") are the list
    # asked; a title's count of other items ("二十项措施") then does not decide.
    some_named = any(_named_by_noun(o, noun) for o in options)
    sorts = asks_sorts(question)
    measures_asked = bool(_MEASURE_NOUN.search(sized_measures_out(question)))
    places_asked = items_are_places(question)
    best, best_score = None, -np.inf
    steps = {text for o in options if not o.sentence for text, _ in o.items}
    ahead = clear_lead(scores)
    for i, option in enumerate(options):
        s = float(scores[i])
        # As many items as asked: a numbered run of the document's structure, or a sentence
        # that says how many (“事前、事中、事后”三个环节), not any sentence that happens to
        # list three things.
        told = option.text if option.sentence else f"{option.text} {_title(titles, option)}"
        stated = not option.sentence or says_count(option.sentence, want)
        as_asked = bool(want) and option.count == want and stated
        counts = (
            as_asked
            or (counted and counted.search(option.text) and option.found_as != "closed")
            or counts_run_as_asked(option, question)  # "…快审快兑类三种兑现方式"
            # "哪些部门和行业的自助服务功能" → "…、银行等自助服务功能": closed by what the
            # items are said to have, as the question names it.
            or (closed_by_class_asked(option, question) and option.found_as != "closed")
            or (
                not some_named
                and not (option.aspect or option.outgrown)  # the title counts the case's parts
                and stated_count(option, question, titles)
            )
        )
        pair = option.sentence and option.count == 2 and _COUNTED_PAIR.search(option.sentence)
        if pair and not counts:
            continue  # a pair ("…和…两大指标") answers only when it counts the noun asked
        if counts:
            s += COUNT_BONUS
        if as_asked and named and named in told:
            s += COUNT_BONUS / 3  # the list the question names ("“四向”发力": the case's own)
        elif not counts and option.sentence and says_count(option.sentence, option.count):
            s += COUNT_BONUS / 3  # a sentence that counts its own items ("…等六方面发力")
        if any(spells_label(option, label) for label in labels):
            s += COUNT_BONUS  # “加减乘除” → 做“加法”…做“减法”…: one character of the label each
        elif holds_quoted_character(option, question):
            s += COUNT_BONUS  # "哪几个“最”" → 最强的…、最优的…、最好的…: the character in each
        if any(label in (option.sentence or option.head) for label in labels):
            s += COUNT_BONUS / 3  # introduced by the label the question quotes (“三到位”)
        if option.sentence and fills_slot(question, option.sentence):
            s += COUNT_BONUS / 3  # the run stands where the question asks ("打通哪几方的…")
        if spans_range(option, question):
            s += COUNT_BONUS  # "从市到村分了哪几级" → 市级…中心1个、…、村（社区）…工作室1504个
        if places_asked and option.count >= 2 and all(is_place_item(t) for t, _ in option.items):
            s += COUNT_BONUS  # "跟周边哪几个县区搞了执法协作" → 怀集县、封开县、连山县…
        if (
            option.sentence
            and _PURPOSE_RUN.match(option.items[0][0])
            and not _ASKS_PURPOSE.search(question)
        ):
            continue  # "为解决…融资难题、增强发展动能、推动…提供了…": what it is for, not what it does
        if sorts and option.sentence and sorts_total(option):
            s += COUNT_BONUS / 2  # "分成哪几类" is answered where the text sorts ("划分为…")
        item_of = [*labels, *named_labels]
        if item_of and any(
            label in _BOOK_TITLE.sub("", text) for label in item_of for text in own_items(option)
        ):
            continue  # the list the label is an item of ("做好“三到位”"), not the one it names
        if option.clauses:
            if not any(p in option.head for p in plain):
                continue  # clauses answer only under the heading that names them
            s += COUNT_BONUS  # "哪三盲" → the clauses after "…全面落实三盲评审机制"
        names = [*labels, named] if named else labels
        if option.parallel and names and not any(n in option.head for n in names):
            continue  # a list the question names (“三套组合拳”) is not one under another heading
        top_unit = option.hit == 0 or (titles and titles[option.hit] == titles[0])
        own_parts = parts_asked and top_unit and want in (0, option.count)
        own_parts = own_parts and not option.outgrown  # the aspect's items are the parts asked
        # "去查集中采购机构，主要看哪几方面": the aspects of one thing the case did, which a
        # sentence naming that thing lists, not the case's own parts (its 做法 and 举措 are
        # what "…有哪些做法" asks, whatever the sentences name).
        own_parts = own_parts and (
            measures_asked
            or not any(
                names_more_than_case(question, other.sentence, _title(titles, option))
                for j, other in enumerate(options)
                if other.sentence and float(scores[j]) >= s
            )
        )
        # "分成哪几个聚焦": the items are named by the noun asked, as the document names them.
        named_by_noun = (
            _named_by_noun(option, noun)
            or any(_named_by_label(option, label) for label in named_labels)
            or named_by_generic(option, generic)
        )
        if option.outline and not (own_parts or named_by_noun):
            continue  # a case's outline answers only for its parts, of the case asked about
        if named_by_noun and not counts:
            s += COUNT_BONUS
        elif not counts and (mentions_group(option, question) or names_head(option, question)):
            s += COUNT_BONUS / 2  # the units or items under the heading the question repeats
        if (option.parts or option.aspect) and own_parts:
            s += COUNT_BONUS / 2  # "从哪几个方面做 / 有哪些措施": the parts the unit names
        # "推进电子身份证、…等高频证照汇聚" for "哪些常用的电子证照": the sentence names its
        # items by the class asked, so it is the list asked, not one step of a measure.
        step = option.sentence and option.sentence in steps and not (counts or named_by_noun)
        if step and i != ahead and not closed_by_class_asked(option, question):
            continue  # one step of a measure's list: the measure's steps answer "有哪些措施"
        if s > best_score and s >= floor:
            best, best_score = i, s
    return best


# "…，法治服务环境提升计划等六大计划": what closes a run (等 and what the items are) after
# its last item, which names the list, not an item.
_RUN_CLOSE = re.compile(r"等[^、，,；;。]*$")


def own_items(option: ListOption) -> list[str]:
    """The items' texts, the last without what closes the run ("等六大计划")."""
    texts = [text for text, _ in option.items]
    return [*texts[:-1], _RUN_CLOSE.sub("", texts[-1])] if texts else texts


# A list that scores this far above every other is what was asked, even when it is one step
# of a measure ("优化整合公安、税务、不动产…等自助服务功能" for "整合了哪些业务的自助功能").
STEP_LEAD = 0.1


def clear_lead(scores: Sequence[float] | np.ndarray) -> int | None:
    """The index of the option that scores STEP_LEAD above all others, if one does."""
    if len(scores) < 2:
        return None
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    first, second = float(scores[order[0]]), float(scores[order[1]])
    return int(order[0]) if first - second >= STEP_LEAD else None


def is_case_run(option: ListOption, titles: Sequence[str]) -> bool:
    """Whether a structural list is the whole case's: its outline, or a run under its title."""
    return not option.sentence and (option.outline or option.head == _title(titles, option))


def narrow_to_aspect(
    options: Sequence[ListOption],
    scores: Sequence[float] | np.ndarray,
    case_scores: Sequence[float] | np.ndarray,
    titles: Sequence[str],
    terms: Sequence[str],
) -> list[ListOption]:
    """The options, marked when the question asks about one aspect of a case, not the case
    as a whole ("区财政厅为了跟企业多沟通、听意见，具体做了哪几件事" → 倾听心声、深入调研、广泛
    宣传 under "一、用心服务，畅通政企沟通渠道", not the case's four parts): a run under one
    of its headings (not its outline again, no "；" clauses) scores above every list of the
    whole case (`is_case_run`, scored on its items: `case_scores`), and holds more of the
    question's `terms` that the case title lacks than those lists do ("积分的结果都用在哪几个
    方面" → 结果, in "该局着力在结果应用上…"). That run is the `aspect`; the unit's other lists
    are `outgrown`. A question about the case as a whole ("…主要从哪几个方面做") names
    nothing its title lacks, and keeps the outline."""
    case: dict[str, tuple[float, str]] = {}
    case_items: dict[str, set[tuple[str, ...]]] = {}
    for i, option in enumerate(options):
        if is_case_run(option, titles):
            title = _title(titles, option)
            if float(case_scores[i]) > case.get(title, (-np.inf, ""))[0]:
                case[title] = (float(case_scores[i]), scoring_text(option, title))
            case_items.setdefault(title, set()).add(tuple(t for t, _ in option.items))
    best: dict[str, tuple[float, int]] = {}
    for i, option in enumerate(options):
        title = _title(titles, option)
        if title not in case or option.sentence or option.whole or option.clauses:
            continue
        if is_case_run(option, titles) or tuple(t for t, _ in option.items) in case_items[title]:
            continue  # the outline again under another heading ("一、主要做法")
        if float(scores[i]) > best.get(title, (-np.inf, -1))[0]:
            best[title] = (float(scores[i]), i)
    aspects = {}
    for title, (score, i) in best.items():
        extra = [t for t in terms if t not in title]
        run_terms = sum(t in options[i].text for t in extra)
        if score > case[title][0] and run_terms > sum(t in case[title][1] for t in extra):
            aspects[title] = i
    out = list(options)
    for i, option in enumerate(options):
        title = _title(titles, option)
        if title in aspects:
            flag = "aspect" if aspects[title] == i else "outgrown"
            out[i] = replace(option, **{flag: True})
    return out


def scoring_text(option: ListOption, title: str) -> str:
    """What a list is scored on: a list under its unit's title is scored on its items (the
    title is every list's context of that unit, and counting it twice lifts the outline over
    the runs under its headings)."""
    if option.sentence or option.head != title:
        return option.text
    return option_text("", [text for text, _ in option.items])


_NUMERALS = "一二三四五六七八九十两双"
# A label in a document's title is not the item ("通过印发《…“清限去垒”…的通知》，…").
_BOOK_TITLE = re.compile(r"《[^《》]*》")


def spells_label(option: ListOption, label: str) -> bool:
    """Whether the items spell out a quoted label one character each, in order (“加减乘除” →
    预留份额做“加法”；交易成本做“减法”；…; “一区一码一席一窗” → 专区…；…码；…席；…窗口),
    numerals aside: the label is the list's own short name."""
    chars = [c for c in label.strip("“”") if c not in _NUMERALS]
    if len(chars) < 2 or len(chars) != option.count:
        return False
    return all(c in text for c, (text, _) in zip(chars, option.items, strict=True))


def compose_list(
    options: Sequence[ListOption],
    scores: Sequence[float] | np.ndarray,
    confident: bool,
    question: str = "",
    hits: Sequence[Hit] = (),
    places: Sequence[str] = (),
    floor: float = -np.inf,
    named_only: bool = False,
    doc_regions: Mapping[str, str] | None = None,
) -> Composed | None:
    """The items of the list that answers (`choose_list`): an enumerating sentence as it is
    (its items in their context), any other list numbered, each item cited ("1. …[n]").
    When the question names places, only lists from the units about most of them compete
    (天津北辰区: the 北辰区 case, not another 天津 one), and when it names a body a title
    names (`named_units`), only that body's lists; with `named_only` (a method question
    that asks for measures), only lists that name their items as the noun asked
    (`counted_noun`: "…等便捷措施"); for the province named alone or by its level, only its
    own units' lists (`province_own`, with `doc_regions`)."""
    if named_only:
        counted = counted_noun(list_noun(question))
        keep = [i for i, o in enumerate(options) if counted and counted.search(o.text)]
        options, scores = [options[i] for i in keep], np.asarray(scores)[keep]
    if places and hits:
        named = [sum(unit_names(hits[o.hit], [p]) for p in places) for o in options]
        about = [i for i, n in enumerate(named) if n and n == max(named)]
        if about:
            options = [options[i] for i in about]
            scores = np.asarray(scores)[about]
    # "全区准备靠推进什么改革把终端气价降下来": the region's own lists (its 工作要点), not
    # 钦州's plan that carries it out (its title names 广西 too), as for fields and methods.
    own = province_own(places, hits, doc_regions, question) if hits and doc_regions else set()
    if keep := [i for i, o in enumerate(options) if o.hit in own]:
        options, scores = [options[i] for i in keep], np.asarray(scores)[keep]
    # "广西金融监管局推的个体户主题银行…能办哪些事": the lists of the body's own case, as a
    # method's (`method_scope`), not another case's that scores better.
    actor = named_units(question, hits) if question and hits else set()
    if keep := [i for i, o in enumerate(options) if o.hit in actor]:
        options, scores = [options[i] for i in keep], np.asarray(scores)[keep]
    titles = [hit.unit.title for hit in hits]
    i = choose_list(options, scores, question, floor, titles)
    if i is None:
        return None
    option = options[i]
    if option.sentence:
        # "分成哪几种方式" → "…分类为免申即享类、即申即享类和快审快兑类三种兑现方式": a sentence
        # that counts its run by the very noun asked is the list asked, whatever its score.
        # "办事格局发生了哪几个转变" → its run of 从…向… clauses (`listing.from_to_runs`).
        shifts = option.found_as == "shift"
        sure = confident or shifts or counts_run_as_asked(option, question)
        sure = sure or of_asked(option, question)
        return Composed(((option.sentence, option.items[0][1]),), sure, "list")
    whole = option.whole or gives_count_asked(option, question)
    whole = whole or stated_count(option, question, titles)
    cap = MAX_COUNTED_ITEMS if whole else MAX_LIST_ITEMS
    keep = [label[1:] for label in _NAMED_LABEL.findall(question)]  # "哪三盲" → 盲
    items = [(clip_item(t, keep) if option.clauses else t, h) for t, h in option.items[:cap]]
    picked = tuple((f"{n}. {unmarked(text)}", h) for n, (text, h) in enumerate(items, 1))
    sure = confident or names_group(option, question) or of_asked(option, question)
    return Composed(picked, sure, "list")


def of_asked(option: ListOption, question: str) -> bool:
    """Whether a list is what was asked, all of it, whatever its score: as many items as the
    question names ("钦州实施方案里讲的“五大环境”具体是哪五个？" → five), or the label the
    question quotes (`quotes_label_asked`)."""
    return gives_count_asked(option, question) or quotes_label_asked(option, question)


def gives_count_asked(option: ListOption, question: str) -> bool:
    """Whether a list has as many items as the question names ("哪五个" → 5; two or more)."""
    asked = asked_count(question)
    return asked >= 2 and option.count == asked


_QUOTED_LABEL = re.compile(r"“([^“”]{1,12})”")


def quotes_label_asked(option: ListOption, question: str) -> bool:
    """Whether a list is of the label the question quotes: its heading or text names it
    ("“四答”工作要求包括什么" → "明确“四答”工作要求，即有题必答…"; "“聚焦服务实体经济”这一部分"
    → the run under that heading), or, for a label of one character, every item holds it
    ("哪几个“得”" → 生得快、活得好、长得快)."""
    listed = f"{option.head} {option.sentence or option.text}"
    labels = _QUOTED_LABEL.findall(question)
    return any(len(label) >= 2 and label in listed for label in labels) or holds_quoted_character(
        option, question
    )


def holds_quoted_character(option: ListOption, question: str) -> bool:
    """Whether every item (two or more) holds the one character the question quotes ("哪几个
    “最”" → 最强的法治保障、最优的服务支持、最好的国际配套; "哪几个“得”" → 生得快、活得好…)."""
    return option.count >= 2 and any(
        len(label) == 1 and all(label in t for t, _ in option.items)
        for label in _QUOTED_LABEL.findall(question)
    )


GROUP_NAMED_CHARS = 8  # a heading this much of which the question repeats names the group


def mentions_group(option: ListOption, question: str) -> bool:
    """Whether the question repeats a long run of the heading a document lists these units
    under ("工作要点里全生命周期服务和监管包括哪些方面" and "二、优化全生命周期服务和监管，…")."""
    if not option.whole or not option.head:
        return False
    head = _heading_name(option.head)
    q = re.sub(r"\s", "", question)
    match = SequenceMatcher(None, head, q, autojunk=False).find_longest_match(
        0, len(head), 0, len(q)
    )
    return match.size >= GROUP_NAMED_CHARS


def names_heading(head: str, question: str) -> bool:
    """Whether the question names a heading or indicator word for word, its number aside (4+
    characters: "政务服务方面有哪些任务" names 指标：政务服务)."""
    name = _heading_name(head)
    return len(name) >= 4 and name in re.sub(r"\s", "", question)


def group_cap(head: str, question: str) -> int:
    """How many units under one heading still make a list: a task table's sixteen tasks of
    one indicator answer a question that names it ("任务清单里政务服务方面有哪些任务"), not
    one that only comes near it (those many units are rows, not the list asked)."""
    return MAX_COUNTED_ITEMS if names_heading(head, question) else MAX_GROUP_UNITS


def compose_task_fields(
    q: Question, options: Sequence[ListOption], hits: Sequence[Hit]
) -> Composed | None:
    """The tasks a document lists under the heading or indicator the question names word for
    word, each with the fields asked ("政务服务方面有哪些任务，分别由谁牵头、何时完成" →
    "1. 优化在线帮办服务（牵头单位：…；完成时限：…）[n]"); None when the question does not ask
    for tasks or names no such group (one task's fields are `compose_fields`')."""
    if not q.fields or not ASKS_TASKS.search(q.text):
        return None
    named = [o for o in options if names_group(o, q.text)]
    if not named:
        return None
    option = max(named, key=lambda o: o.count)  # the table's whole group, not a few of it
    picked = []
    for n, (text, h) in enumerate(option.items[:MAX_COUNTED_ITEMS], 1):
        fields = field_line(hits[h].unit, q.fields)
        picked.append((f"{n}. {unmarked(text)}" + (f"（{fields}）" if fields else ""), h))
    return Composed(tuple(picked), True, "list")


def _named_by_noun(option: ListOption, noun: str) -> bool:
    """Every item starts with the noun asked ("聚焦…" for "哪几个聚焦"), or ends with it
    or with the word it starts with ("哪几个平台服务民营企业" → 政企沟通平台、协作交流平台、
    纾困解难平台)."""
    if not noun:
        return False
    texts = [text for text, _ in option.items]
    if all(text.startswith(noun) for text in texts):
        return True
    ends = {noun, _first_word(noun)} - {""}
    return len(texts) >= 2 and any(all(t.endswith(e) for t in texts) for e in ends)


def _named_by_label(option: ListOption, label: str) -> bool:
    """As many items as a "哪三联" label counts, each with its character ("三联" → “证照联办”…、
    “证照联变”…、“证照联销”…)."""
    want = 2 if label[0] == "两" else marker_number(label[0])
    return option.count == want and all(label[1:] in text for text, _ in option.items)


def _first_word(phrase: str) -> str:
    """The first word of a phrase when it is a noun of two or more characters, else ""."""
    word, flag = _first_tag(phrase)
    return word if flag == "n" and len(word) >= 2 else ""


def _heading_name(head: str) -> str:
    """A heading or indicator as a question would say it, without its number ("三、保障措施"
    → 保障措施, "指标：政务服务" → 政务服务)."""
    return _ORDINAL_HEAD.sub("", re.sub(r"^指标：|\s", "", head))


_ORDINAL_HEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])"
)


def names_group(option: ListOption, question: str) -> bool:
    """Whether the question names, word for word, the heading or indicator a document lists
    these units under ("…知识产权创造保护和运用这个指标有哪些任务" → the tasks of 指标：知识产权创造
    保护和运用): the list is then exactly what was asked, whatever its sentences score."""
    return option.whole and names_head(option, question)


def names_head(option: ListOption, question: str) -> bool:
    """Whether the question names, word for word, the heading a structural list stands under
    ("…的主要举措有哪些" and "二、主要举措"; its number aside)."""
    return not option.sentence and names_heading(option.head, question)


# A step's number at the start of a text: "1. …", "一、…", "（二）…", "（3）…", "三是…",
# "一方面…"; not the figure of "2.5万户".
STEP_NUMBER = re.compile(
    r"^\s*(?:\d{1,2}[.．、](?!\d)\s*|[一二三四五六七八九十]{1,3}[、.．]"
    r"|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}是|(?:另)?一方面)"
)


def unmarked(text: str) -> str:
    """A text without its step number (`STEP_NUMBER`) and closing mark."""
    return STEP_NUMBER.sub("", text, count=1).rstrip("。；; ")


# "多少项 / 几天": the unit a figure question counts in, and how an answer writes it.
# Measure words a count asks by ("派了几支工作队" → 14支), besides the common ones each
# pattern lists; `search.answer`'s intent patterns use them too.
COUNT_MEASURES = "支|批|座|台|套|所|轮|期|例"
_COUNTED = re.compile(
    rf"(?:多少|几)(项|天|家|户|条|件|次|人|名|个百分点|倍|年|档|{COUNT_MEASURES})"
)
# "一共分几个模块" (no 哪: a count, not which ones): the noun the count is of, as the text
# counts it ("九个模块", "5大模块").
_COUNT_OF_NOUN = re.compile(r"(?<!哪)(?:多少|几)个([\u4e00-\u9fff]{2})(?:[？?，,。]|$)")
# "要走的环节压到了几个？": the noun counted comes before the verb that cut it, the count ends
# the clause.
_NOUN_THEN_COUNT = re.compile(
    r"([\u4e00-\u9fff]{2})(?:压|减|降|缩|精简|砍|优化|控制)[^，,。？?；;]{0,4}?(?:多少|几)个"
    r"(?:[？?，,。]|$)"
)
# "分成几档" is answered in grades of any name ("ABCD四类", "分为ABCD四级").
_COUNT_UNITS = {
    "天": "(?:个)?(?:工作)?[天日]",
    "人": "[人名]",
    "名": "[人名]",
    "档": "(?:个)?(?:档|类|级|等|星)",
}
_NUMBER = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两百千万]+)\s*(?:多|余)?"


# "多长时间内响应 / 要多久": a span of time is asked ("1分钟以内", "0.5个工作日", "两年").
# "审批时间压到了多少": the time it takes now (not "时间压缩了多少", by how much: often 60%).
_ASKS_SPAN = re.compile(
    r"多长时间|多长时限|多少时间|多久|多快"
    r"|(?:时间|时限|用时|耗时|时长)[^，,。？?比幅率]{0,6}(?:到|至)了?多少(?![%％]|比例|百分)"
)
# Not a date: "2019年7月1日" holds no span, nor do "同一天" and "每一天" (the same day, every day).
_SPAN = re.compile(
    rf"(?<![\d.月年同每])(?!\d{{4}}年){_NUMBER}(?:个)?半?(?:工作日|小时|分钟|秒|天|周|月(?!\d)|年|日)"
)


# "追回了多少被拖欠的工钱", "融到了多少钱": a sum of money, "261.66万元" (not "5个工作日内").
_ASKS_MONEY = re.compile(
    r"多少[^，,。；;？?！!]{0,8}?钱|多少资金|多少金额|金额(?:是|有|达到?)?多少"
)
_MONEY = re.compile(rf"{_NUMBER}[万亿千百]?元")


def asks_figure_kind(question: str) -> bool:
    """Whether a figure question says what its figure is: a unit it counts in ("多少项") or a
    span of time (`figure_pattern` is then more than any figure)."""
    return figure_pattern(question) is not FIGURE


# A day: "2023年4月28日", "10月29日" ("是哪天拿到批复的").
DAY = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")


def figure_pattern(question: str) -> re.Pattern[str]:
    """What the answer to a figure question must contain: a day when one is asked alone ("是
    哪天拿到批复的" → "2023年4月28日", not "截至2023年底"), a sum of money when one is asked
    ("多少被拖欠的工钱" → "261.66万元"), a number in the unit the question
    counts in ("多少项工作举措" → "215项", not "1.0版"), a span of time when one is asked
    ("多长时间内响应" → "1分钟以内", not "80%"), else any figure."""
    if asks_day(question) and not _ASKS_FIGURE.search(question):
        return DAY
    if _ASKS_MONEY.search(question):
        return _MONEY
    m = _COUNTED.search(question)
    things = _COUNT_OF_NOUN.search(question) or _NOUN_THEN_COUNT.search(question)
    if not m and things:
        # "一共分几个模块" → "九个模块": the things counted, not a year ("入选2023…"); the
        # noun may come first ("开评标项目由原来的5个增加到20个以上").
        noun = re.escape(things.group(1))
        return re.compile(rf"{_NUMBER}[个大]?{noun}|{noun}[^。；;]{{0,20}}?{_NUMBER}[个件项]")
    if not m:
        return _SPAN if _ASKS_SPAN.search(question) else FIGURE
    unit = _COUNT_UNITS.get(m.group(1), re.escape(m.group(1)))
    return re.compile(rf"{_NUMBER}{unit}")


# A sentence with the figure asked may score this far below the best (answers and comparisons).
FIGURE_MARGIN = 0.15

# "一共会诊了多少个": the clause before 多少/几, whose last verb is what the figure counts.
_BEFORE_COUNT = re.compile(r"([^，,。；;？?！!]{1,30}?)(?:多少|几)")
_AFTER_VERB = ("了", "过")
# "共会诊法律问题2500余个": the figure follows the act it counts within this many characters.
ACT_GAP = 12


@lru_cache(maxsize=1024)
def counted_act(question: str) -> str:
    """The act a figure question counts, the verb of two characters or more right before
    多少/几 ("一共会诊了多少个" → 会诊, "一共提出了多少项" → 提出); "" when none ("压缩到多少
    天": 到 is no act)."""
    m = _BEFORE_COUNT.search(question)
    return last_verb(m.group(1), _AFTER_VERB) if m else ""


def last_verb(clause: str, particles: Sequence[str] = _AFTER_VERB) -> str:
    """The verb of two characters or more that ends `clause`, its particles aside ("一共会诊
    了" → 会诊); "" when the clause ends in another word."""
    import jieba.posseg as pseg

    words = pseg.lcut(clause)
    while words and words[-1].word in particles:
        words.pop()
    last = words[-1] if words else None
    return last.word if last and last.flag.startswith("v") and len(last.word) >= 2 else ""


# "2023年营业收入到了多少": the words before a linking verb and 多少 name what the figure
# measures ("营业收入分别达到…2277万元", not the same case's "中标采购金额…4800万元").
# "交易效率提了多少": a verb of change links the thing to its figure too ("交易效率提升29%").
_LINKED = re.compile(
    r"(?:分别|一共|总共|共|累计)?(?:达到|达|到|有|是|为|超过|突破"
    r"|提高|提升|提|增长|增加|涨|降低|下降|降|减少|缩短)[了过]?$"
)
_MEASURED_RUN = re.compile(r"[\u4e00-\u9fff]+$")
_NOT_MEASURED = re.compile(r"[年的在和与及]")
MEASURED_CHARS = 6  # at most the last two words before the linking verb
# 多少 ends the clause: "有多少户" / "有多少个政务服务中心" count what follows (the words before
# name its owner: "贵州有多少个…").
_ASKED_LAST = re.compile(r"[？?，,。！!；;]|$")


@lru_cache(maxsize=1024)
def measured_noun(question: str) -> str:
    """What a figure question measures: the last one or two words (of two characters or
    more) before a linking verb and a 多少/几 that ends its clause ("2023年营业收入到了多少" →
    营业收入, "进出口额达到了多少" → 电商进出口额); "" without a linking verb, when 多少 counts
    the words after it ("有多少户"), or when a one-character word ends the run ("审批时间压到了
    多少": 压 is the act, "全市已有多少" says nothing measured)."""
    import jieba

    m = _BEFORE_COUNT.search(question)
    linked = _LINKED.search(m.group(1)) if m else None
    if not linked or not _ASKED_LAST.match(question, m.end()):
        return ""
    run = _MEASURED_RUN.search(_NOT_MEASURED.split(m.group(1)[: linked.start()])[-1])
    words = jieba.lcut(run.group(0)) if run else []
    if not words or len(words[-1]) < 2:
        return ""
    pair = "".join(words[-2:])
    return (
        pair
        if len(words) > 1 and len(words[-2]) >= 2 and len(pair) <= MEASURED_CHARS
        else words[-1]
    )


def counts_act(sentence: str, act: str, pattern: re.Pattern[str] = FIGURE) -> bool:
    """Whether the sentence's figure is of the act asked (`counted_act`) or of the thing
    measured (`measured_noun`): `act` followed within ACT_GAP characters of its clause by a
    figure ("共会诊法律问题2500余个", not "商（协）会83个，…开展法律问题集中会诊"; "营业收入分别
    达到91万元")."""
    return _figure_follows(sentence, act, ACT_GAP, pattern)


def _figure_follows(
    sentence: str, word: str, gap: int, pattern: re.Pattern[str], unquoted: bool = False
) -> bool:
    """Whether `word` is followed within `gap` characters of its clause by a figure of
    `pattern` somewhere in the sentence (`unquoted`: not where the word is inside a quote)."""
    for m in re.finditer(re.escape(word), sentence):
        before = sentence[: m.start()]
        if unquoted and before.count("“") > before.count("”"):
            continue
        clause = re.split(r"[，,。；;！!？?]", sentence[m.end() : m.end() + gap + 8])[0]
        found = pattern.search(clause)
        if found and found.start() <= gap:
            return True
    return False


# "搞到现在，一共融到了多少钱" asks the total so far: the sentence that counts to date
# ("截至目前，累计融资金额超18亿元") answers it, not a period's figure ("2021年1—10月，总计
# 发放…2.02亿元") that scores higher for sharing more of the question's words.
_ASKS_TO_DATE = re.compile(r"到现在|至今|到目前|目前为止|迄今|到今天|到如今|截至目前|截止目前")
_TO_DATE = re.compile(r"截至目前|截止目前|至今|迄今|累计|目前")


def asks_to_date(question: str) -> bool:
    """Whether a figure question asks the total so far (`_ASKS_TO_DATE`)."""
    return bool(_ASKS_TO_DATE.search(question))


# "到2024年底有多少个工程项目投保了": the count up to the year asked ("截至2024年12月，全市共有
# 153个工程项目参加保证保险"), not another count of the same case ("目前，全市共有610个在建
# 工程项目"); "到2025年要达到多少" likewise: the target set for that year.
_ASKS_UNTIL = re.compile(r"(?:到|截至|截止|至)(20\d\d)年")


def asked_until(question: str) -> str:
    """The year a figure question counts up to ("到2024年底…多少" → "2024"), or ""."""
    m = _ASKS_UNTIL.search(question)
    return m.group(1) if m else ""


def counts_until(sentence: str, year: str, pattern: re.Pattern[str] = FIGURE) -> bool:
    """Whether the sentence names `year` with the figure asked after it."""
    at = sentence.find(f"{year}年")
    return at >= 0 and bool(pattern.search(sentence, at + len(year) + 1))


def counts_to_date(sentence: str, pattern: re.Pattern[str] = FIGURE) -> bool:
    """Whether the sentence counts to date: a to-date word, then the figure asked, in it."""
    m = _TO_DATE.search(sentence)
    return m is not None and bool(pattern.search(sentence, m.end()))


# "…一般至少要多少天": the bound the figure asked is ("耗时至少半年（180天）", not "全流程耗时
# 49天" of the same case), the word right before 多少/几.
_BOUND_ASKED = re.compile(
    r"(至少|最少|最多|最高|最低|最长|最短|平均)[^，,。；;？?]{0,2}?(?:多少|几)"
)
BOUND_GAP = 8  # "至少半年（180天）": the figure within this many characters after the bound


def asked_bound(question: str) -> str:
    """The bound a figure question asks ("至少要多少天" → 至少), "" when none."""
    m = _BOUND_ASKED.search(question)
    return m.group(1) if m else ""


def states_bound(sentence: str, bound: str, pattern: re.Pattern[str] = FIGURE) -> bool:
    """Whether the sentence gives a figure of `pattern` within BOUND_GAP characters after
    `bound`, in the same clause; not inside a quote ("落实“最多跑一次”改革" names a reform)."""
    return _figure_follows(sentence, bound, BOUND_GAP, pattern, unquoted=True)


# A date: "2024年12月", "10月29日" (a year tells when, not how many).
_DATE = re.compile(
    r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*[日号])?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
)


# A number as written with digits ("8", "2.4"): what a question states or a sentence adds.
DIGITS = re.compile(r"\d+(?:\.\d+)?")


def holds_figure(text: str, pattern: re.Pattern[str] = FIGURE, stated: str = "") -> bool:
    """Whether `text` holds a figure of `pattern` besides its dates ("2024年，为深入贯彻…"
    holds none); a day asked (`DAY`) is held by a date. With `stated` (the question), a
    figure whose numbers the question states is not counted: "原来8个环节压成了几项" is not
    told by "…8项压缩至…"."""
    if pattern is DAY:
        return pattern.search(text) is not None
    given = set(DIGITS.findall(stated))
    for m in pattern.finditer(_DATE.sub("", text)):
        numbers = set(DIGITS.findall(m.group()))
        if not numbers or not numbers <= given:
            return True
    return False


def has_figure(pieces: Sequence[tuple[str, int]], pattern: re.Pattern[str] = FIGURE) -> bool:
    return any(pattern.search(text) for text, _ in pieces)


# "一天能开评多少个项目？平均每个项目能省多少钱？": each question of the row asks its own figure.
_QUESTION_END = re.compile(r"[？?；;。！!]+")
_ASKS_FIGURE = re.compile(
    r"多少|(?<![哪好])几[个项条家户天年倍成十百千万]|比例|百分|占比|多长|多久"
)
_THIS_FEW = re.compile(r"[这那]几")


# "有多少个工程项目…": the figure counts the noun asked ("153个工程项目", not "610个在建…").
_COUNTED_NOUN = re.compile(r"(?:多少|几)个([\u4e00-\u9fff]{2})")


def counted_patterns(ask: str) -> tuple[re.Pattern[str], ...]:
    """What one question's figure should look like, best first: its number and the noun it
    counts when the question says "多少个<noun>", then `figure_pattern`'s."""
    m = _COUNTED_NOUN.search(ask)
    loose = figure_pattern(ask)
    return (re.compile(rf"{_NUMBER}个{m.group(1)}"), loose) if m else (loose,)


def figure_asks(question: str) -> tuple[str, ...]:
    """The questions of a row that each ask a figure, in order; () when fewer than two do
    (one figure asked is the whole question's)."""
    parts = [p for p in _QUESTION_END.split(question) if p.strip()]
    asked = tuple(p for p in parts if _ASKS_FIGURE.search(p))
    if len(asked) < 2 and len(parts) == 1:
        # "深圳把各条热线并进12345，整条并进去的有几条，保留原号一起用的又有几条？": two asked
        # in the clauses of one question, each read with the clauses before the first (a
        # clause alone, "比以前少了多少天", loses what it is about). Not "广西这几年…" nor
        # "那几个县…": what they name is no figure asked.
        clauses = [c for c in re.split(r"[，,]", parts[0]) if c.strip()]
        asks = [asks_figure_in(c) for c in clauses]
        first = next((k for k, ask in enumerate(asks) if ask), 0)
        context = "，".join(clauses[:first])
        asked = tuple(
            f"{context}，{c}" if context else c
            for c, ask in zip(clauses[first:], asks[first:], strict=True)
            if ask
        )
    return asked if len(asked) >= 2 else ()


# Sentences read, best first, for each figure asked.
FIGURES_READ = 8


def compose_figures(
    asks: Sequence[tuple[Sequence[re.Pattern[str]], np.ndarray]],
    candidates: Sequence[Candidate],
    confident: bool,
) -> Composed | None:
    """For each figure asked (its patterns, best first, and each candidate's score against its
    question), the best sentence with such a figure within FIGURE_MARGIN of that question's
    best, in the order asked, each sentence once; None when a question finds none (the usual
    answer then)."""
    picked: list[tuple[str, int]] = []
    for patterns, scores in asks:
        order = [int(i) for i in np.argsort(-scores, kind="stable")][:FIGURES_READ]
        near = [i for i in order if scores[i] >= float(scores.max()) - FIGURE_MARGIN]
        found = (next((i for i in near if p.search(candidates[i].text)), None) for p in patterns)
        i = next((i for i in found if i is not None), None)
        if i is None:
            return None
        piece = (candidates[i].text, candidates[i].hit)
        if piece not in picked:
            picked.append(piece)
    return Composed(tuple(picked), confident, "extractive")


# ------------------------------------------------------------------ methods


def is_lead_passage(hit: Hit) -> bool:
    """The hit is its unit's first passage ("<unit_id>/p1", see index.chunking)."""
    return hit.passage.id == f"{hit.unit.id}/p1"


def unit_leads(hits: Sequence[Hit], candidates: Sequence[Candidate]) -> dict[str, int]:
    """Unit id → index of its lead sentence (the first candidate of the unit's first passage)
    for the units whose first passage is among the hits."""
    out: dict[str, int] = {}
    for i, c in enumerate(candidates):
        hit = hits[c.hit]
        if is_lead_passage(hit):
            out.setdefault(hit.unit.id, i)
    return out


def lead_sentence(
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    margin: float,
) -> int | None:
    """The lead sentence of the best sentence's unit, a case, when it scores within `margin`
    of the best (None otherwise, or when it is the best sentence itself). Only cases: a
    policy document's first passage is its preamble (印发…的通知…), not a practice.

    How a place did something ("其他地方怎样把水电气暖报装合在一起办？") is named in the
    case's opening sentence ("…共享营业厅…能实现…联合报装"); the best-scoring sentences are
    often steps that only make sense after it, so a method answer starts with it."""
    if not len(candidates):
        return None
    best = int(np.argmax(scores))
    unit = hits[candidates[best].hit].unit
    lead = unit_leads(hits, candidates).get(unit.id) if unit.kind == "case" else None
    if lead is None or lead == best or float(scores[lead]) < float(scores[best]) - margin:
        return None
    # "“从来到万州第一天开始，党委政府就给公司提供暖心又贴心的服务…”": a case that opens with
    # someone's words opens with what they felt, not with the practice.
    return None if SPEECH_OPENING.match(candidates[lead].text) else lead


CASE_LABEL = "案例："


def case_named(
    hits: Sequence[Hit], sub: Sequence[Candidate], weighed: np.ndarray
) -> list[tuple[str, int]]:
    """A method answer told from a case says first which case it tells — the title of the
    case of its best sentence ("案例：贺州市创新气瓶“两站”信用分类监管模式…"): "其他地方
    怎样…" asks whose practice it is, and the title names the practice in the case's own
    words, where its sentences often say only "交易中心…" or "探索实施…". Empty when the best
    sentence is not of a case (a measure's or a task's sentences name their own task)."""
    if not len(sub):
        return []
    hit = sub[int(np.argmax(weighed))].hit
    unit = hits[hit].unit
    if unit.kind != "case" or not unit.title.strip():
        return []
    return [(CASE_LABEL + unit.title.strip(), hit)]


FOCUS_UNITS = 3  # the units of this many top hits offer their structure to a list question


def list_focus(
    places: Sequence[str], hits: Sequence[Hit], candidates: Sequence[Candidate], scores: np.ndarray
) -> list[int]:
    """The hits whose units' structure may answer a list question: the unit of the best
    sentence and the units of the top FOCUS_UNITS retrieval hits (among the units of the
    places named, when any): "钦州实施方案的保障措施有哪几条？" finds the notice's preamble
    first and the 保障措施 section second."""
    allowed = [h for h in range(len(hits)) if not places or unit_names(hits[h], places)]
    allowed = allowed or list(range(len(hits)))
    inside = [i for i in range(len(candidates)) if candidates[i].hit in allowed]
    best = [candidates[max(inside, key=lambda i: float(scores[i]))].hit] if inside else []
    out: dict[str, int] = {}  # unit id → its first hit
    for h in [*best, *allowed]:
        if len(out) >= FOCUS_UNITS and hits[h].unit.id not in out:
            break
        out.setdefault(hits[h].unit.id, h)
    return list(out.values())


Heading = tuple[str, str]  # (document, heading without whitespace)


def heading_members(units: Sequence[Unit]) -> dict[Heading, tuple[str, ...]]:
    """(document, heading) → ids of the units directly under it, in document order: the
    measures of "三、保障措施" are that heading's list (in that document only)."""
    out: dict[Heading, list[str]] = {}
    for u in units:
        if u.heading_path:
            out.setdefault((u.doc, re.sub(r"\s", "", u.heading_path[-1])), []).append(u.id)
    return {k: tuple(v) for k, v in out.items()}


def headings_of(unit: Unit, members: dict[Heading, tuple[str, ...]]) -> list[Heading]:
    """The headings of the unit's document whose units make a list with `unit`: for a
    section, the heading it is (its measures: "（一）集中力量补短板…"; not another document's
    "保障措施"). A measure or a case has none: a question that finds one measure asks about
    that measure ("钦州在纳税服务方面有哪些措施？" lists its steps), not about the others under
    its heading."""
    if unit.kind != "section" or not unit.title:
        return []
    title = re.sub(r"\s", "", unit.title)
    keys = [
        k
        for k in members
        if k[0] == unit.doc and k[1].endswith(title) and len(k[1]) - len(title) <= 6
    ]
    return [k for k in keys if len(members[k]) >= 2]


# ------------------------------------------------------------------ methods (how it was done)

# What was done, as a case tells it: a sentence whose first clause has a verb of doing
# (推行、建立、将…) is a step; one that opens with the background (近年来、为进一步…) or
# reports an award or a result (获评、截至…) names the topic without saying how.
_DOING = re.compile(
    r"推行|推出|推广|建立|健全|实施|实行|设立|搭建|建设|打造|开展|出台|印发|制定|编制|创新|"
    r"改造|引入|利用|依托|运用|整合|简化|压缩|下调|降至|取消|开通|组建|组织|采取|采用|通过|将|把|探索"
)
_BACKGROUND = re.compile(
    r"^(?:近年来|今年以来|近期|日前|当前|目前|随着|为了|为进一步|为深入|为全面|为加快|为持续"
    r"|以往|过去|长期以来|一直以来|此前|下一步|今后)"
    r"|获评|荣获|入选|获选|评为|截至|截止|记者"
)
# "2023年以来，交易中心…将…合二为一": a date that opens a step is not its first clause.
_OPENING_DATE = re.compile(r"^\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:以来|起)[，,]")
# Small: they reorder sentences of one case that score alike, never bring in a weak one
# (0.03 each; 0.05 / 0.08 dropped steps that name no verb of the list).
DOING_BONUS = 0.03
BACKGROUND_PENALTY = 0.03


def doing_weight(sentence: str) -> float:
    """DOING_BONUS for a step (a doing verb in its first clause), −BACKGROUND_PENALTY for
    background, awards and results, 0 otherwise."""
    if _BACKGROUND.search(sentence):
        return -BACKGROUND_PENALTY
    first = re.split(r"[，,：:]", _OPENING_DATE.sub("", sentence), maxsplit=1)[0]
    return DOING_BONUS if _DOING.search(first) else 0.0


# The parts of a case that report what came of it (二、主要成效 / 取得成效 / 工作成果).
_RESULT_PART = re.compile(r"成效|效果|成果|反响")
RESULT_PENALTY = 0.05  # a sentence of those parts tells how well, not how it was done
LOCATE_CHARS = 12  # the leading characters a sentence is found by in its passage


def passage_at(hit: Hit, sentence: str) -> int:
    """Where a sentence starts in its hit's passage, found by its leading characters (-1
    when the passage does not hold it)."""
    return hit.passage.text.find(sentence[:LOCATE_CHARS])


def in_results(hit: Hit, sentence: str) -> bool:
    """Whether `sentence` (of `hit`'s passage) lies in a part of its unit that reports results
    ("二、主要成效" of a case), by its position in the source text."""
    spans = [s for s in hit.unit.sections if _RESULT_PART.search(s.name)]
    if not spans:
        return False
    pos = source_at(hit, sentence)
    return pos >= 0 and any(s.start <= pos < s.end for s in spans)


PARAGRAPH_BONUS = 0.03  # a sentence of the best sentence's paragraph tells the same step


def paragraph_key(hit: Hit, sentence: str) -> tuple[str, int] | None:
    """Where the paragraph of `sentence` (of `hit`'s passage) starts in the source, with the
    unit: sentences with the same key are of one paragraph (None when not found)."""
    at = passage_at(hit, sentence)
    if at < 0:
        return None
    return hit.unit.id, hit.passage.start + hit.passage.text.rfind("\n", 0, at) + 1


def with_paragraph(
    hits: Sequence[Hit], candidates: Sequence[Candidate], scores: np.ndarray
) -> np.ndarray:
    """Scores with PARAGRAPH_BONUS for the other sentences of the best one's paragraph
    ("如，凭祥市税务局…实现税费事项家门口“就近快办”" → "开设办税“绿色通道”窗口…" before a
    sentence of another step that scores a little better): a method is told step by step."""
    out = np.array(scores, dtype=np.float32)
    if not len(candidates):
        return out
    b = int(np.argmax(out))
    key = paragraph_key(hits[candidates[b].hit], candidates[b].text)
    if key is None:
        return out
    best = hits[candidates[b].hit]
    for i, c in enumerate(candidates):
        same = paragraph_key(hits[c.hit], c.text) == key
        same = same or continues_paragraph(best, candidates[b].text, hits[c.hit], c.text)
        if i != b and not FIELD_LINE.search(c.text) and same:
            out[i] = min(out[i] + PARAGRAPH_BONUS, out[b])  # never above the best one
    return out


def continues_paragraph(hit: Hit, sentence: str, other: Hit, later: str) -> bool:
    """Whether `later` (of `other`'s passage) goes on the paragraph of `sentence` past the
    end of `hit`'s passage: no line break follows `sentence` in its passage, `other` is the
    next passage of the unit (it starts inside or right after it), and `later` comes after
    `sentence` and before the first line break of `other` ("…申请水气暖过户。" ends one
    passage, "供电营业厅登记结果信息…" opens the next)."""
    p, q = hit.passage, other.passage
    if other.unit.id != hit.unit.id or q.doc != p.doc or not p.start < q.start <= p.end:
        return False
    at, there = passage_at(hit, sentence), passage_at(other, later)
    if at < 0 or there < 0 or "\n" in p.text[at:]:
        return False
    brk = q.text.find("\n")
    return q.start + there > p.start + at and (brk < 0 or there < brk)


# "具体的做法是将平台招投标巡检预警功能前置…": the text says itself that this is how it was done.
_CONCRETE = re.compile(r"^(?:具体(?:的)?(?:做法|措施|办法)(?:是|为|包括|有)|具体来说|具体而言)")
CONCRETE_BONUS = 0.1


# "…力争钦州市营商环境在第三方评估中进入全区第一梯队": a target set, not what is done (no
# sentence with 力争 answered a method or comparison row in the labelled sets; ten were
# candidates of comparisons, nine of methods). Comparisons leave it out of a place's part;
# in method answers a penalty moved no set, and was not kept.
_TARGET = re.compile(r"力争")


def states_target(sentence: str) -> bool:
    """Whether a sentence sets a target (力争…)."""
    return bool(_TARGET.search(sentence))


# "系统谋划降低全程运输、仓储等物流成本，进一步降低中介服务企业、船运企业等重点环节收费标准，
# 力争…": a task row that tells this much of what is done before its target.
TOLD_BEFORE_TARGET = 20


def tells_before_target(sentence: str) -> bool:
    """Whether a sentence that sets a target (力争…) tells TOLD_BEFORE_TARGET Chinese
    characters or more of what is done before it."""
    m = _TARGET.search(sentence)
    return m is not None and len("".join(_HAN_RUN.findall(sentence[: m.start()]))) >= (
        TOLD_BEFORE_TARGET
    )


# "“从来到万州第一天开始，…24小时都有专人对接。”", "徐军介绍：“…”": what someone said of it
# (a long quote that opens the sentence, or follows a verb of saying), not the practice told.
_SAID = re.compile(r"^[^“，,。]{0,12}?(?:说|表示|介绍|感慨|提到)[：:，,]?“[^”]{15,}”")
# A quote that opens the sentence is speech when it reads as a sentence (its own clause
# marks); "“一网通办、一窗通办…”“不见面审批”等举措" quotes the practices' names.
# Not a news lede's hook, a quote followed by an ellipsis and the news ("“扫一扫微信二维码，
# 动动手指随时向我们反映违纪违法问题”……近日，赣州市经开区纪工委…"): what it quotes is the practice.
_OPENING_SPEECH = re.compile(r"^“(?=[^”]{15,}”)[^”]*[，。！？,!?][^”]*”(?!…)")


# "驻企服务工作队队员孙思齐说。", "张耀祥对此连连称赞。": who said the quote before it, a
# sentence of its own once the quote is split off; it told 洮南's paragraph first.
_ATTRIBUTION = re.compile(r"^[^，,。；;“”]{2,30}(?:说|表示|介绍|称赞|坦言|感慨)道?[。！]?$")


def quotes_speech(sentence: str) -> bool:
    """Whether a sentence is what someone said: a quote of 15 characters or more after a verb
    of saying (`_SAID`) or opening it with clause marks of its own (`_OPENING_SPEECH`), or
    the end of a quote ("…也能享受和现场办税一样的服务。”"), or who said it, alone
    (`_ATTRIBUTION`: "驻企服务工作队队员孙思齐说。"). Not "王敏说，…": a beneficiary
    often tells the practice itself ("…促成万州技师学校与企业“联姻”"); nor a practice's long
    quoted name ("建立“党委统筹、班子带动…”五级联动工作体系", "全面实现“一个窗口一张表…”")."""
    s = sentence.strip()
    tail = s.rstrip("。").endswith("”") and s.count("”") > s.count("“")
    return bool(_SAID.search(s) or _OPENING_SPEECH.search(s) or _ATTRIBUTION.match(s)) or tail


def method_weight(hit: Hit, sentence: str) -> float:
    """How much a sentence of a case tells how it was done, beyond its score: `doing_weight`,
    CONCRETE_BONUS for a sentence that says it tells the concrete practice ("具体的做法是…"),
    less RESULT_PENALTY in the case's results part, and less BACKGROUND_PENALTY for what
    someone said of the practice (`quotes_speech`: "“要不是开通‘跨省通办’，…”" scores like the
    practice it praises; the practice told is what "怎么做" asks)."""
    concrete = CONCRETE_BONUS if _CONCRETE.search(sentence) else 0.0
    results = RESULT_PENALTY if in_results(hit, sentence) else 0.0
    speech = BACKGROUND_PENALTY if quotes_speech(sentence) else 0.0
    return doing_weight(sentence) + concrete - results - speech


# "为此 / 对此 / 针对这些问题…": a sentence that says what was done about the one before it;
# "他随即… / 很快… / 同时… / 其中…": one that carries on telling the same step (the anecdote
# of a case: "网格员…接到核实…的任务。他随即…拍照上传至“基层治理”APP平台"; "当他正在为…
# 办公场所犯愁时，…主动上门“报到”。很快，“零号员工”协调了一处免费过渡办公地点").
_IN_RESPONSE = re.compile(
    r"^(?:为此|对此|因此|于是|针对(?:这|上述|以上|此)|为解决(?:这|上述|此)"
    r"|他|她|随即|随后|接着|很快|不久|同时|其中)"
)


# "此计算方式… / 这一做法… / 这些措施…": a sentence about what the one before it told.
_REFERS_BACK = re.compile(r"^(?:此|这)(?!外|前|后|次|里|时)")
RESPONSE_GAP = 1e-4  # a response scores just below the sentence it answers


def with_responses(candidates: Sequence[Candidate], scores: np.ndarray) -> np.ndarray:
    """Scores in which a sentence that says what was done about the one before it ("以往…
    容易出现“多头检查”…" → "为此，江西…建成企业信用信息公示系统") scores just below that one,
    so that it follows it: a question about how a problem was solved matches the problem's
    sentence best, and the answer is the next one."""
    out = np.array(scores, dtype=np.float32)
    for j in range(1, len(candidates)):
        same = candidates[j].hit == candidates[j - 1].hit
        if same and _IN_RESPONSE.match(candidates[j].text):
            out[j] = max(out[j], out[j - 1] - RESPONSE_GAP)
        elif same and _REFERS_BACK.match(candidates[j].text) and out[j] > out[j - 1]:
            # "此计算方式大幅减轻…" matches best; what it refers to ("保费按…的1.8%…") goes
            # first, at its score, and it right after.
            out[j - 1], out[j] = out[j], out[j] - RESPONSE_GAP
    return out


# "同时，… / 此外，… / 其中…": a sentence that goes on from the one before it.
_GOES_ON = re.compile(r"^(?:同时|与此同时|此外|另外|其中)")
ADJACENT_CHARS = 3  # at most this much (a line break, a space) between two sentences in a row


def source_at(hit: Hit, sentence: str) -> int:
    """Where a sentence starts in its document (-1 when its passage does not hold it)."""
    at = passage_at(hit, sentence)
    return -1 if at < 0 else hit.passage.start + at


def in_source_order(
    pieces: Sequence[tuple[str, int]], hits: Sequence[Hit], first: int = 0
) -> list[tuple[str, int]]:
    """`pieces` (sentence, hit index) as their documents tell them: grouped by unit in order
    of first appearance, each unit's sentences by where they start in the source (a sentence
    not found keeps its place after the found ones). A case told background → steps →
    results reads as a story, not as sentences in score order. The pieces before `first`
    stay first, then those of the passage of piece `first` (the best sentence's: "…是怎么跟
    邻省联合执法的" is answered by the step "四是建立跨省区域执法协作机制…" before the case's
    background), then the rest."""
    units = list(dict.fromkeys(hits[h].unit.id for _, h in pieces if h >= 0))
    best = pieces[first][1] if first < len(pieces) else -1
    focus = hits[best].passage.id if best >= 0 else None

    def key(item: tuple[int, tuple[str, int]]) -> tuple[int, int, int, int]:
        n, (text, h) = item
        if h < 0:
            return len(units), 0, 0, n
        at = source_at(hits[h], text)
        told = 0 if n < first else 1 if hits[h].passage.id == focus else 2
        return units.index(hits[h].unit.id), told, at if at >= 0 else 1 << 40, n

    return [piece for _, piece in sorted(enumerate(pieces), key=key)]


def with_antecedent(
    hits: Sequence[Hit], candidates: Sequence[Candidate], scores: np.ndarray
) -> np.ndarray:
    """Scores in which, when the best sentence goes on from the one before it ("同时，按照…
    “全区通办”…即可受理不同地区的登记业务"), that sentence of its unit ("…统一和规范…实现
    “八统一”", maybe of another passage) takes its score and it comes right after: the
    measure it adds to is the first half of the step."""
    out = np.array(scores, dtype=np.float32)
    if len(candidates) < 2:
        return out
    b = int(np.argmax(out))
    best, hit = candidates[b], hits[candidates[b].hit]
    at = source_at(hit, best.text)
    if not _GOES_ON.match(best.text) or at < 0:
        return out
    for i, c in enumerate(candidates):
        other = hits[c.hit]
        start = source_at(other, c.text)
        if i == b or other.unit.id != hit.unit.id or other.passage.doc != hit.passage.doc:
            continue
        if start >= 0 and 0 <= at - (start + len(c.text)) <= ADJACENT_CHARS:
            out[i], out[b] = out[b], out[b] - RESPONSE_GAP
            break
    return out


_PART_OF = re.compile(r"^其中")


def source_end(hit: Hit, sentence: str) -> int:
    """Where a sentence ends in its document (-1 when its passage does not hold it): the
    passage's own end for its last sentence, whose next sentence opens the next passage."""
    at = passage_at(hit, sentence)
    if at < 0:
        return -1
    end = at + len(sentence)
    return (
        hit.passage.end
        if end >= len(hit.passage.text) - ADJACENT_CHARS
        else hit.passage.start + end
    )


_CLOSED = ("。", "！", "？", "!", "?", "；", ";", "”", "）", ")")


def part_antecedents(hits: Sequence[Hit], candidates: Sequence[Candidate]) -> dict[int, int]:
    """For each sentence that tells a part of the one before it in its document ("其中，政府
    采购项目招投标已实现100%电子化。" after "全面实行政府采购全流程电子化…", maybe the first
    sentence of the next passage) or how it is done ("具体的做法是…"), or goes on from a
    sentence cut for length ("…覆盖率100%" → "行政许可类事项承诺压缩占比91.4%…的工作目标。"),
    that sentence's index (candidate index → candidate index)."""
    ends: dict[tuple[str, int], int] = {}
    for i, c in enumerate(candidates):
        if (end := source_end(hits[c.hit], c.text)) >= 0:
            ends.setdefault((hits[c.hit].passage.doc, end), i)
    out = {}
    for j, c in enumerate(candidates):
        if (at := source_at(hits[c.hit], c.text)) < 0:
            continue
        doc = hits[c.hit].passage.doc
        gaps = (ends.get((doc, at - gap), -1) for gap in range(ADJACENT_CHARS + 1))
        before = next((i for i in gaps if i >= 0), -1)
        cut = before >= 0 and not candidates[before].text.endswith(_CLOSED)
        # "具体的做法是…电脑网卡MAC地址…" (`_CONCRETE`) tells how the sentence before it
        # ("…实现供应商投标过程中的电子动态监管") is done, which that sentence only names.
        if before >= 0 and (_PART_OF.match(c.text) or _CONCRETE.match(c.text) or cut):
            out[j] = before
    return out


def counts_total(whole: str, part: str) -> bool:
    """Whether `whole` counts what `part` breaks down: a number with a measure word that a
    count of `part` has too ("…215项工作举措" for "其中，创新突破70项、…")."""
    measures = {m[-1] for m in _ITEM_COUNT.findall(part)}
    return any(m[-1] in measures for m in _ITEM_COUNT.findall(whole))


def with_part_antecedent(
    composed: Composed, hits: Sequence[Hit], candidates: Sequence[Candidate]
) -> Composed:
    """A list told by a sentence that is a part of the one before it ("其中，创新突破70项、
    贯彻上级改革要求49项、…") opens with that sentence ("…制定23个方面215项工作举措。"), on
    the same line, when that sentence counts the total it breaks down (`counts_total`):
    "其中" alone refers to nothing. `composed` as it is otherwise."""
    if composed.kind != "list" or not composed.picked:
        return composed
    text, _ = composed.picked[0]
    if not _PART_OF.match(text):
        return composed
    at = next((i for i, c in enumerate(candidates) if c.text == text), -1)
    before = part_antecedents(hits, candidates).get(at, -1) if at >= 0 else -1
    if before < 0 or not counts_total(candidates[before].text, text):
        return composed
    whole = candidates[before]
    continued = frozenset({1} | {k + 1 for k in composed.continued})
    picked = ((whole.text, whole.hit), *composed.picked)
    return replace(composed, picked=picked, continued=continued)


# "改之前企业拿许可一般要耗多长时间": how things were before the reform is asked.
_ASKS_BEFORE = re.compile(r"改(?:革)?(?:之|以)?前|以往|原先|原来")
# A sentence opening how things were before the reform, or after it.
STATES_BEFORE = re.compile(r"^(?:以往|过去|此前|以前|原来|原先|改革前|改革之前|改革以前)[，,]")
_STATES_AFTER = re.compile(r"^(?:改革后|改革以后|改革之后|如今|现在)[，,]")
BEFORE_WEIGHT = 0.05


def with_before(candidates: Sequence[Candidate], scores: np.ndarray, question: str) -> np.ndarray:
    """Scores in which, when the question asks how things were before the reform
    (`_ASKS_BEFORE`), the sentences of a passage from one that opens the before
    (`STATES_BEFORE`: "改革前，企业在准备…") to one that opens the after ("改革后，…") weigh
    BEFORE_WEIGHT more, and those from the after on BEFORE_WEIGHT less: "这些需要耗时两三个月
    到半年不等" follows its 改革前 sentence and says no 改革前 itself. `scores` otherwise."""
    if not _ASKS_BEFORE.search(question):
        return scores
    out = np.array(scores, dtype=np.float32)
    run_weight: dict[int, float] = {}  # per passage: the weight of the run its sentence is in
    for i, c in enumerate(candidates):  # a passage's sentences are in their order
        if STATES_BEFORE.match(c.text):
            run_weight[c.hit] = BEFORE_WEIGHT
        elif _STATES_AFTER.match(c.text):
            run_weight[c.hit] = -BEFORE_WEIGHT
        out[i] += run_weight.get(c.hit, 0.0)
    return out


GOAL_CHARS = 4  # a best sentence that repeats this much of the question restates its goal


def with_elaboration(
    candidates: Sequence[Candidate], scores: np.ndarray, question: str
) -> np.ndarray:
    """Scores in which the sentence after the best one (same passage) scores just below it
    when the best one is short and repeats a phrase of the question ("怎么做到线下进一窗" →
    "…推进“线下进一窗”。" then "政务中心实行将专业受理窗口整合为“零差别受理”综合窗口…";
    "一是建设…信用风险分类监管服务平台。" then "设立“一户一库”信息平台…"): a short sentence
    that restates the goal asked about, or heads a step, is followed by how it was done."""
    out = np.array(scores, dtype=np.float32)
    if len(candidates) < 2:
        return out
    b = int(np.argmax(out))
    if b + 1 >= len(candidates) or candidates[b + 1].hit != candidates[b].hit:
        return out
    if len(candidates[b].text) > MAX_ITEM_CHARS:
        return out  # a long sentence tells how itself
    if _BACKGROUND.search(candidates[b + 1].text):
        return out  # "截至目前，累计融资金额超18亿元…": a result after a news lede tells no how
    q, text = re.sub(r"\s", "", question), candidates[b].text
    m = SequenceMatcher(None, q, text, autojunk=False).find_longest_match(0, len(q), 0, len(text))
    if m.size >= GOAL_CHARS:
        out[b + 1] = max(out[b + 1], out[b] - 2 * RESPONSE_GAP)
    return out


# "对未兑现承诺补齐相关材料的企业…": what happens when an obligation is not met (4 characters of it).
_UNMET = re.compile(r"(?:未|没有|逾期)([\u4e00-\u9fff]{4})")


def with_premise(
    hits: Sequence[Hit], candidates: Sequence[Candidate], scores: np.ndarray
) -> np.ndarray:
    """Scores in which, when the best sentence tells what happens to those who do not meet an
    obligation ("对未兑现承诺补齐相关材料的企业，一是将限制其办理公司变更…"), the sentence of its
    unit that states the obligation ("…需在6个月内按期兑现承诺提交相关材料") scores just
    below it: what was due, and by when, is half of the answer."""
    out = np.array(scores, dtype=np.float32)
    if len(candidates) < 2:
        return out
    b = int(np.argmax(out))
    best = candidates[b]
    unmet = [m.group(1) for m in _UNMET.finditer(best.text)]
    unit = hits[best.hit].unit.id
    states = [
        i
        for i, c in enumerate(candidates)
        if i != b
        and hits[c.hit].unit.id == unit
        and any(u in c.text and f"未{u}" not in c.text for u in unmet)
    ]
    if states:
        i = max(states, key=lambda i: out[i])
        out[i] = max(out[i], out[b] - 2 * RESPONSE_GAP)
    return out


# "另一方面推行“一商（协）会一法官”工作机制。": a short sentence that names the device the
# next one tells (a quoted name and what kind of device it is).
_NAMES_DEVICE = re.compile(r"“[^“”]{2,14}”(?:工作)?(?:机制|模式|制度|体系|平台|行动|工程|服务)")


def with_device_heading(candidates: Sequence[Candidate], scores: np.ndarray) -> np.ndarray:
    """Scores in which a short sentence (MAX_CLAUSE_HEAD_CHARS) that names a device
    (`_NAMES_DEVICE`) scores just above the sentence after it (same passage) that scores
    better: "协同对接…商（协）会83个，…派驻一名法官…" is told under its name, "另一方面推行
    “一商（协）会一法官”工作机制", which is what a reader quotes."""
    out = np.array(scores, dtype=np.float32)
    for j in range(1, len(candidates)):
        head = candidates[j - 1]
        if head.hit != candidates[j].hit or len(head.text) > MAX_CLAUSE_HEAD_CHARS:
            continue
        if _NAMES_DEVICE.search(head.text) and out[j] > out[j - 1]:
            out[j - 1] = out[j] + RESPONSE_GAP
    return out


def with_step_rest(
    hits: Sequence[Hit], candidates: Sequence[Candidate], scores: np.ndarray
) -> np.ndarray:
    """Scores in which, when the best sentence opens a numbered step (right after its heading
    "四是…"), the sentence after it in its paragraph and step scores just below it when it
    tells a step too (not background or a result): a step is told whole ("在广西首推信用承诺制，…以书面承诺即可代替
    …6项材料" then "强化守信结果激励作用，…减免投标保证金…1.6亿元")."""
    out = np.array(scores, dtype=np.float32)
    if len(candidates) < 2:
        return out
    b = int(np.argmax(out))
    if b + 1 >= len(candidates):
        return out
    best, after = candidates[b], candidates[b + 1]
    key = paragraph_key(hits[best.hit], best.text)
    heading = candidates[b - 1] if b else None
    if (
        heading is None
        or heading.hit != best.hit
        or not MARKER.match(heading.text)
        or key is None
        or paragraph_key(hits[after.hit], after.text) != key
        or MARKER.match(after.text)
        or FIELD_LINE.search(after.text)
        or doing_weight(after.text) < 0
        or in_results(hits[after.hit], after.text)
    ):
        return out
    out[b + 1] = max(out[b + 1], out[b] - 2 * RESPONSE_GAP)
    return out


_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")
SIBLING_CHARS = 5  # two step headings that share this much name one practice ("营商环境" is 4)


def with_sibling_step(
    hits: Sequence[Hit], candidates: Sequence[Candidate], scores: np.ndarray
) -> np.ndarray:
    """Scores in which, when the best sentence opens a numbered step and the next step's
    heading names the same thing ("二是建立信用分类分级监管制度。" then "三是运用信用分类分级
    评价结果。"), that step's sentences score just below the best one, in order: one practice
    told in two steps (how the grades are made, then how they are used: 检查频率)."""
    out = np.array(scores, dtype=np.float32)
    b = int(np.argmax(out)) if len(candidates) else 0
    if b < 1 or not MARKER.match(candidates[b - 1].text):
        return out
    unit = hits[candidates[b].hit].unit.id
    same = [j for j in range(b + 1, len(candidates)) if hits[candidates[j].hit].unit.id == unit]
    nxt = next((j for j in same if MARKER.match(candidates[j].text)), None)
    if nxt is None or not shares_phrase(candidates[b - 1].text, candidates[nxt].text):
        return out
    body = []
    for j in same:
        if j > nxt and MARKER.match(candidates[j].text):
            break
        if j > nxt and doing_weight(candidates[j].text) >= 0:
            body.append(j)
    for k, j in enumerate(body, 1):
        out[j] = max(out[j], out[b] - (k + 2) * RESPONSE_GAP)
    return out


def shares_phrase(a: str, b: str, chars: int = SIBLING_CHARS) -> bool:
    """Whether two headings share a phrase of `chars` characters or more (numbering aside):
    Chinese characters only, so "二、“证照联变”…" and "三、“证照联销”…" share no phrase
    (、“证照联 is their numbering and the pattern of parallel names, not one practice)."""
    a, b = (
        _NOT_CJK.sub(mark, unmarked(_ORDINAL_HEAD.sub("", t))) for t, mark in ((a, "\0"), (b, "\1"))
    )
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= chars


def with_step_details(candidates: Sequence[Candidate], scores: np.ndarray) -> np.ndarray:
    """Scores in which the sentence after a numbered step heading ("一是建设…监管服务平台。")
    scores just below it: the heading names the step, the next sentence says what was done
    ("设立“一户一库”信息平台…")."""
    out = np.array(scores, dtype=np.float32)
    for j in range(len(candidates) - 1):
        heading = candidates[j].text
        if (
            MARKER.match(heading)
            and len(heading) <= MAX_ITEM_CHARS
            and candidates[j + 1].hit == candidates[j].hit
            and not MARKER.match(candidates[j + 1].text)
        ):
            out[j + 1] = max(out[j + 1], out[j] - 2 * RESPONSE_GAP)
    return out


def place_candidates(
    places: Sequence[str], hits: Sequence[Hit], candidates: Sequence[Candidate]
) -> list[int]:
    """Indices of the candidates from passages that mention one of `places` (in their unit's
    fields or their text; all candidates when none does)."""
    inside = [i for i, c in enumerate(candidates) if any(mentions(hits[c.hit], p) for p in places)]
    return inside or list(range(len(candidates)))


# The name of a body: "自治区财政厅", "自治区公共资源交易中心", "桂林市工商联".
_BODY = re.compile(
    r"[\u4e00-\u9fff]{2,12}?(?:厅|局|委员会|委|办公室|中心|法院|检察院|工商联|商会|银行|公司)"
)


def named_units(question: str, hits: Sequence[Hit]) -> set[int]:
    """Hits whose unit title names the body the question names ("自治区财政厅是怎么…" →
    "自治区财政厅突出“四向”发力…"), which, like a place, decides whose practice answers:
    the longest body name the question and a title share, when not every title has it.
    Empty when the question names no body of a title."""
    q = re.sub(r"\s", "", question)
    titles = {h: re.sub(r"\s", "", hit.unit.title) for h, hit in enumerate(hits)}
    names: set[str] = set()
    for title in titles.values():
        m = SequenceMatcher(None, q, title, autojunk=False).find_longest_match()
        body = _BODY.search(q[m.a : m.a + m.size])
        if body and len(body.group()) >= MIN_BODY_CHARS and not body.group().startswith(_ONLINE):
            names.add(body.group())
    if not names:
        return set()
    longest = max(names, key=len)
    # A task led by the body is its practice too ("税务局有什么陪着办的服务": the row 推行
    # “陪伴式”办税缴费服务 that 广西税务局 leads, as well as the 崇左市税务局 case).
    named = {
        h
        for h, t in titles.items()
        if longest in t or any(longest in unit for unit in hits[h].unit.lead_units)
    }
    return set() if len(named) == len(titles) else named


MIN_BODY_CHARS = 3
# "电子税务局上那些要等审核的事项": an online service named like an office is no body whose
# practice is asked; the question is about what is done on it.
_ONLINE = ("电子", "网上", "掌上", "线上")
# A run of the question this long that a case title repeats names the practice asked
# ("实体经济调研服务" of "五级联动开展实体经济调研服务…").
MIN_PRACTICE_CHARS = 6


def named_practice(question: str, hits: Sequence[Hit]) -> set[int]:
    """Hits whose unit title repeats the longest run of the question any title repeats, when
    it is at least `MIN_PRACTICE_CHARS` long, the top hit's title has it (retrieval, which
    reads titles, agrees) and not every title has it: the question names that case's
    practice ("工信厅的实体经济调研服务…怎么保证件件有着落" → the case titled "五级联动开展
    实体经济调研服务…", not another case that mentions 调研 in its text; "…解决工程建设项目
    审批信息重复录入的问题" names the topic of several titles, not the top one's)."""
    q = re.sub(r"\s", "", question)
    titles = {h: re.sub(r"\s", "", hit.unit.title) for h, hit in enumerate(hits)}
    runs = set()
    for title in set(titles.values()):
        m = SequenceMatcher(None, q, title, autojunk=False).find_longest_match()
        runs.add(q[m.a : m.a + m.size])
    longest = max(runs, key=len, default="")
    if len(longest) < MIN_PRACTICE_CHARS:
        return set()
    named = {h for h, t in titles.items() if longest in t}
    return set() if len(named) == len(titles) or 0 not in named else named


def method_scope(
    places: Sequence[str],
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    scores: np.ndarray,
    question: str = "",
    doc_regions: Mapping[str, str] | None = None,
) -> list[int]:
    """Candidate indices of the one unit a method is told from: the unit of the best
    sentence, among the units of the places named when the question names any (the
    province's own when it names a province only: `province_own`), of the
    body it names (`named_units`) when it names one, and of the case whose title names the
    practice asked (`named_practice`)."""
    allowed = {h for h in range(len(hits)) if not places or unit_names(hits[h], places)}
    allowed = province_own(places, hits, doc_regions, question) & allowed or allowed
    if asks_plan(question):  # what is planned is told by a plan's measures, not by a case
        allowed = {h for h in allowed if hits[h].unit.kind == "measure"} or allowed
    actor = named_units(question, hits) & allowed if question else set()
    allowed = actor or allowed
    practice = named_practice(question, hits) & allowed if question else set()
    allowed = practice or allowed
    inside = [i for i in range(len(candidates)) if candidates[i].hit in allowed]
    if not inside:
        return list(range(len(candidates)))
    unit_id = hits[candidates[max(inside, key=lambda i: float(scores[i]))].hit].unit.id
    return [i for i in inside if hits[candidates[i].hit].unit.id == unit_id]


# "全区打算怎么整治？", "钦州准备怎么做": what a place plans, which its plan's measures tell.
_ASKS_PLAN = re.compile(r"打算|准备|计划")


def asks_plan(question: str) -> bool:
    """Whether a question asks what is planned (打算/准备/计划), not what was done."""
    return bool(_ASKS_PLAN.search(question))


# "全区为了保障重大项目用地，打算怎么做？": the autonomous region itself, by its level and no
# name (全区, 自治区; 全省 a province's) — not "在全区率先…", a place set against the rest.
_OWN_LEVEL = re.compile(r"(?<![在于和与及])(全区|自治区|全省)")
_LEVEL_ENDINGS = {"全区": "自治区", "自治区": "自治区", "全省": "省"}


def own_level(question: str) -> str:
    """How the province a question speaks for ends when it names it only by its level
    ("全区…" → 自治区, "全省…" → 省); "" when it names none so, or asks which place."""
    m = _OWN_LEVEL.search(question)
    return _LEVEL_ENDINGS[m.group(1)] if m and not asked_level(question) else ""


def province_own(
    places: Sequence[str],
    hits: Sequence[Hit],
    doc_regions: Mapping[str, str] | None,
    question: str = "",
) -> set[int]:
    """Hits of the province's own units and documents (region: the province, no city) when
    every place named is a province ("广西打算…" → the regional 工作要点, not 钦州's plan
    that carries it out, nor a 柳州 case), or when none is named but the question speaks for
    the province by its level (`own_level`: "全区…" → any 自治区's own); empty when a place
    named is a city or no hit tells its region. A unit's region is its own, else its
    document's (`doc_regions`)."""
    regions = hit_regions(hits, doc_regions)
    parts = [facets.split_region(r) for r in regions]
    if not places:
        level = own_level(question)
        return {h for h, (p, c, _) in enumerate(parts) if level and p.endswith(level) and not c}
    provinces = {prov for prov, _, _ in parts if prov}
    below = {f"{city}{rest}" for _, city, rest in parts}
    if not all(
        any(p in prov for prov in provinces) and not any(p in b for b in below) for p in places
    ):
        return set()
    return set().union(*(_own_hits(p, parts) for p in places))


def hit_regions(hits: Sequence[Hit], doc_regions: Mapping[str, str] | None) -> list[str]:
    """Each hit's region: its unit's own, else its document's (`doc_regions`)."""
    return [h.unit.region or (doc_regions or {}).get(h.unit.doc, "") for h in hits]


def province_level(
    place: str, places: Sequence[str], regions: Sequence[str], question: str = ""
) -> set[int] | None:
    """For a comparison that sets a province against a place inside it ("贵港、赣州和广西全区",
    "钦州和广西…") or names the province's whole level ("广西全区"): the hits (indices into
    `regions`) of the province's own units and documents (`province_hits`), which tell the
    province's part — not 贵港's case, which has 广西 in its region too. None when neither
    holds (any unit about the place then tells its part)."""
    parts = [facets.split_region(r) for r in regions]
    inside = any(
        p != place and any(place in prov and p in f"{city}{rest}" for prov, city, rest in parts)
        for p in places
    )
    # "…江西、钦州和全区各靠什么": the region named by its level alone means its own level.
    if not inside and not names_level(place, question):
        return None
    return province_hits(place, regions)


def named_by_level(place: str, question: str) -> bool:
    """Whether the question names the province only by its level word ("洛阳和全区…" → 广西)."""
    return place not in question and mention(question, place) is not None


def names_level(place: str, question: str) -> bool:
    """Whether the question asks for the province's own level: by its level word alone
    ("洛阳和全区…") or after its name ("山西长治和咱们广西全区各是怎么…")."""
    return named_by_level(place, question) or bool(
        re.search(f"{re.escape(place)}(?:全区|全省)", question)
    )


def province_hits(province: str, regions: Sequence[str]) -> set[int]:
    """The indices of `regions` that are the province's own: the province, no city."""
    return _own_hits(province, [facets.split_region(r) for r in regions])


def _own_hits(province: str, parts: Sequence[tuple[str, str, str]]) -> set[int]:
    """The indices of split regions (`facets.split_region`) that are the province, no city."""
    return {h for h, (prov, city, _) in enumerate(parts) if province in prov and not city}


# "用什么办法 / 靠什么 / 通过什么手段…": the question asks for the means; a sentence that
# names a tool by its name (“智管云”平台, “桂通办”APP) is what answers it, over one
# that restates the aim ("广西打算用什么办法监测营商环境？" → “智管云”平台, not 完善季度
# 监测制度). Small: it reorders sentences that score alike, never lifts a weak one.
_ASKS_MEANS = re.compile(r"(?:用|靠|通过|借助|凭|采用|使用)(?:了|的)?(?:什么|啥|哪些)")
# Only a tool named in quotes: a bare 平台/系统 is in many steps that are not the means
# (玉林's “一户一码” answer lost its 二维码 sentence to a 信息平台 one).
_NAMES_MEANS = re.compile(r"“[^”]{2,12}”(?:平台|系统|APP|App|小程序)")
MEANS_BONUS = 0.03


def means_weight(question: str, sentences: Sequence[str]) -> np.ndarray:
    """MEANS_BONUS for each sentence naming a means when the question asks by what means,
    else 0."""
    if not _ASKS_MEANS.search(question):
        return np.zeros(len(sentences), dtype=np.float32)
    return np.array(
        [MEANS_BONUS if _NAMES_MEANS.search(s) else 0.0 for s in sentences], dtype=np.float32
    )


# "企业当场提的难题具体是怎么处理的？": a word of the question that one sentence of the case
# alone holds (当场 → "当场能解决的立即解决…") is the detail asked about, not the case's topic
# (its title's words, 调研、实体经济, are in every step).
MIN_DETAIL_CHARS = 2
MIN_DETAIL_SENTENCES = 4  # in a shorter unit every word is in one sentence only


def detail_sentences(
    terms: Sequence[str], sentences: Sequence[str], titles: Sequence[str], places: Sequence[str]
) -> list[int]:
    """Indices of the sentences (of one unit: `sentences`) that alone hold a question term of
    two characters or more that is no place named and in no title of their units."""
    if len(sentences) < MIN_DETAIL_SENTENCES:
        return []
    out: set[int] = set()
    for term in terms:
        if (
            len(term) < MIN_DETAIL_CHARS
            or any(term in p or p in term for p in places)
            or any(term in t for t in titles)
        ):
            continue
        holding = [i for i, s in enumerate(sentences) if term in s]
        if len(holding) == 1:
            out.add(holding[0])
    return sorted(out)
