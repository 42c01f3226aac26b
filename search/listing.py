"""More lists a list question may ask for, and what lifts one over another (see
`search.compose.list_options` and `choose_list`, which these extend):

- a run whose items are named as the question names them ("分成哪几类" → 调研类、评价类…;
  "在哪几个方面做到了统一" → 机制统一、事项统一…);
- a list cut at a colon ("检查内容包括：" and the "；" clauses that follow it);
- the sentence that spells out a numbered label the question quotes (“一园三区” → 以…为核心园，
  分设…园区、…园区);
- the steps of the one task or heading the question names word for word ("提升审判质量效率那
  条任务有哪几项措施", "工作要点里办理破产这一块").

Pure functions over the hits, candidate sentences and list options of one question.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from index.types import Hit
from search.compose import (
    ASKED_SLOT,
    COUNT_BONUS,
    ENUM,
    FIELD_LINE,
    Candidate,
    ListOption,
    counts_noun_asked,
    counts_run_as_asked,
    enumerated_items,
    is_place_item,
    items_are_places,
    last_verb,
    list_noun,
    marker_number,
    names_group,
    option_text,
    sentence_items,
)

# The last item of a run often carries its close ("奖励类和采集类等积分类型"): what comes
# after 等, and a pair joined by 和/及/与, are not one item.
_CLOSE = re.compile(r"等.*$")
_PAIR = re.compile(r"[和及与]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_SUFFIX_ITEMS = 3


def run_items(option: ListOption) -> list[str]:
    """The items of an enumerating sentence as words: the last one without its close, a
    pair split ("奖励类和采集类等积分类型" → 奖励类, 采集类)."""
    items = [text for text, _ in option.items]
    if not items:
        return []
    last = _CLOSE.sub("", items[-1])
    return items[:-1] + [p for p in _PAIR.split(last) if p]


def shared_suffix(items: Sequence[str]) -> str:
    """The longest ending every item has (Chinese characters only; "" when none)."""
    if len(items) < 2:
        return ""
    n = 0
    shortest = min(len(i) for i in items)
    while n < shortest and len({i[len(i) - n - 1] for i in items}) == 1:
        n += 1
    suffix = items[0][len(items[0]) - n :] if n else ""
    while suffix and not _CJK.match(suffix[0]):
        suffix = suffix[1:]
    return suffix


# "多少项 / 几个 / 比例": a number asked; "哪几类 / 哪些" asks for the items themselves.
_ASKS_NUMBER = re.compile(r"多少|(?<![哪好])几[个项条类种家户天年倍成十百千万]|比例|百分|占比")


def asks_number(question: str) -> bool:
    """Whether a question asks for a number, not only for the items a "哪几…" counts."""
    return bool(_ASKS_NUMBER.search(question))


def named_as_asked(option: ListOption, question: str) -> bool:
    """Whether an enumerating sentence names its items as the question names them: every item
    ends with a word of the question ("在哪几个方面做到了统一" → 机制统一、事项统一、窗口统一…)
    or with the counter it asks by ("分成哪几类" → 调研类、评价类、交流类…)."""
    if not option.sentence:
        return False
    items = run_items(option)
    if len(items) < MIN_SUFFIX_ITEMS:
        return False
    suffix = shared_suffix(items)
    if not suffix or any(i == suffix for i in items):
        return False
    q = re.sub(r"\s", "", question)
    if len(suffix) >= 2:
        # What is asked of them, in the clause that asks: not the topic before it, nor a later
        # clause ("先满足哪些硬件条件，才能去申请许可": the items asked are no 许可).
        start = max(q.find("哪"), 0)
        end = _CLAUSE_BREAK.search(q, start)
        return suffix in q[start : end.start() if end else len(q)]
    return bool(re.search(rf"哪[几些]?{suffix}|几{suffix}", q))


def closed_as_asked(option: ListOption, question: str) -> bool:
    """Whether an enumerating sentence's run (three items or more) ends with the noun the
    question asks for ("哪几个营商环境指标" → "政府采购、招标投标、…、政务服务等指标成为全区
    标杆"), or is counted by it right after its last item ("分成哪几种方式" → "分类为免申即享类、
    即申即享类和快审快兑类三种兑现方式"): its items are of the kind asked, whatever the
    sentence's other clauses say."""
    if not option.sentence or len(option.items) < MIN_SUFFIX_ITEMS:
        return False
    return counts_noun_asked(question, run_close(option)) or counts_run_as_asked(option, question)


CLOSE_CHARS = 12  # what follows a run's last item that may still close it ("…脱钩等方面的问题")


def run_close(option: ListOption) -> str:
    """A sentence run's last item and the few characters after it in its sentence: the item
    is clipped where a long one runs on (`compose.ENUM`), so the 等 that closes the run
    ("电子证照应用推广和行业协会商会脱钩等方面的问题") may lie past the item. An item that
    holds its 等 is the close as it stands."""
    last = option.items[-1][0]
    at = option.sentence.rfind(last)
    if at < 0 or "等" in last:
        return last  # the run's 等 is in the item: its close is read as it always was
    return option.sentence[at : at + len(last) + CLOSE_CHARS]


# "…的信用监管，抓手包括哪几个环节？": what the list is (抓手), the word right before the
# verb that asks for its items. With 有/是 only a word that opens its clause or follows 的
# ("…的问题有哪些"), not a topic's ("关于政务服务有哪些措施"); 分为/分成 name what is sorted
# ("把个体工商户分成哪几种类型"), not the list.
_ASKS_ITEMS_OF = re.compile(r"(?:都|主要|具体)?(包括|包含|有|是)哪(?:些|几|[二两三四五六七八九十])")
_ASKS_WHAT_OF = re.compile(r"有什么([\u4e00-\u9fff]{2,4})[？?]*$")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:？?！!]")
_GENERIC_ROLES = frozenset(("方面", "内容", "部分", "事情", "东西", "工作", "情况"))
ROLE_GAP = 3  # characters between a run and the word that names it ("”为抓手", "抓手包括")
ROLE_BONUS = COUNT_BONUS + COUNT_BONUS / 3  # the run the question names, over one that counts


@lru_cache(maxsize=1024)  # read for every option of one question; jieba tags it
def asked_role(question: str) -> str:
    """The noun a list question names its list by, right before the words asking for its
    items ("抓手包括哪几个环节" → 抓手; "" when none or a generic one: "主要内容有哪些"), or
    after 有什么 at its end ("在答复上有什么要求" → 要求)."""
    import jieba.posseg as pseg

    q = re.sub(r"\s", "", question)
    m = _ASKS_ITEMS_OF.search(q)
    if not m:
        # "企业提的问题在答复上有什么要求？": the noun after 有什么 at the end names the list.
        what = _ASKS_WHAT_OF.search(q)
        return what.group(1) if what and what.group(1) not in _GENERIC_ROLES else ""
    words = pseg.lcut(_CLAUSE_BREAK.split(q[: m.start()])[-1])
    if not words:
        return ""
    last, before = words[-1], "".join(w.word for w in words[:-1])
    # Any word but a place (jieba tags 抓手 a verb): "防城港有哪些…" names no list.
    if len(last.word) < 2 or last.flag == "ns" or last.word in _GENERIC_ROLES:
        return ""
    if m.group(1) in ("有", "是") and before and not before.endswith("的"):
        return ""
    return last.word


def run_in_role(option: ListOption, question: str) -> bool:
    """Whether an enumerating sentence names its run by the noun the question names its list
    by, right after the run or right before it ("以“信用评价+履约监管+联合惩戒+结果运用”为
    抓手" for "抓手包括哪几个环节"; "抓手：…、…、…"): the sentence says this run is that list."""
    role = asked_role(question)
    if not role or not option.sentence or len(option.items) < MIN_SUFFIX_ITEMS:
        return False
    sentence = option.sentence
    first, last = sentence.find(option.items[0][0]), sentence.rfind(option.items[-1][0])
    if first < 0 or last < 0:
        return False
    end = last + len(option.items[-1][0])
    after = sentence.find(role, end)
    # Before the run, the lead-in is often read into the first item ("抓手包括信用评价").
    before = sentence.rfind(role, 0, first + len(option.items[0][0]))
    lead_end = before + len(role)
    return 0 <= after - end <= ROLE_GAP or (
        before >= 0 and first - ROLE_GAP <= lead_end < first + len(option.items[0][0])
    )


def asked_runs(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """Runs after a sentence's first one that are named as the question asks (`named_as_asked`):
    "…是线上“一网通办”、线下“一窗通办”“最多跑一次”的融合提升，在机制统一、事项统一、窗口统一…
    等方面…" lists what 哪几个方面做到了统一 asks in its second run (`sentence_items` reads the
    first only)."""
    out: list[ListOption] = []
    for c in candidates:
        for n, m in enumerate(ENUM.finditer(c.text)):
            items = enumerated_items(c.text, m) if n else ()
            option = ListOption(tuple((i, c.hit) for i in items), c.text, c.text)
            if items and (named_as_asked(option, question) or closed_as_phrased(option, question)):
                out.append(option)
    return out


# "要上哪几个系统或平台" → "推广应用公路舱单协同系统，建设航空物流公共信息平台，创新建设海上
# 互市业务协同系统": items told as clauses, a verb and the thing named, each ending in a noun
# the question asks for (or in the noun and its count: "落实…改革清单96项，承诺制清单327项，
# …"), not as a run joined by 、.
_NOUN_ALTERNATIVES = re.compile(r"[或和及、]")
_CLAUSE = re.compile(r"[，,；;]")
_COUNTERS = frozenset("张家所份")
_COUNT_AFTER = re.compile(r"[\d.]+[项个件条家类张种批]$")


def asked_nouns(question: str) -> tuple[str, ...]:
    """The nouns a list question names its items by ("系统或平台" → 系统, 平台; "哪几张清单" →
    清单: a counter list_noun keeps when the noun is one character, 张牌, is not the noun)."""
    parts = _NOUN_ALTERNATIVES.split(list_noun(question))
    parts = [p[1:] if p[:1] in _COUNTERS and len(p) >= 3 else p for p in parts]
    return tuple(p for p in parts if len(p) >= 2)


# "统一开发了哪几个系统和平台" → "统一开发应用广西不动产登记信息管理系统、不动产登记“最多跑一次”
# 网上服务平台、不动产登记智能审批系统和“全区通办”系统": items joined by 、 and 和 (with
# quoted names inside, which `compose.ENUM` does not read), named by a noun asked.
_RUN_JOINT = re.compile(r"、|以及|和|及")


def noun_runs(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """A clause whose parts joined by 、/和/及 end in a noun the question asks for
    (`asked_nouns`), MIN_SUFFIX_ITEMS of them or more and all but one at most: each part is
    an item."""
    nouns = asked_nouns(question)
    if not nouns:
        return []
    out: list[ListOption] = []
    for c in candidates:
        for clause in _CLAUSE.split(c.text.rstrip("。！!；;")):
            parts = _RUN_JOINT.split(clause)
            bare = [p.strip("“”") for p in parts]  # “全区通办”系统 is named by 系统 too
            named = sum(p.endswith(nouns) and p not in nouns for p in bare)
            # One part may be named otherwise ("…网上服务平台" among the 系统 asked).
            if named >= MIN_SUFFIX_ITEMS and named >= len(parts) - 1:
                items = tuple((p, c.hit) for p in parts)
                out.append(ListOption(items, c.text, c.text, found_as="noun"))
    return out


# "跟哪几个系统打通了数据 / 跟哪几个监管、公示平台做到了数据无缝交换": the things another is
# linked with are asked.
_ASKS_PARTNERS = re.compile(
    r"(?:跟|与|和|同)哪(?:几|些)[^，,。？?]{0,20}?(?:打通|对接|共享|交换|互联|互通|联通|连通|贯通)"
)
_LINKS = r"(?:共享|交换|对接|互联|互通|联通|连通|打通|贯通)"
# "平台与金税三期税收管理系统、“好差评”系统、“中国志愿者服务网”后台实现数据共享", "实现与
# 广西“双随机、一公开”监管平台、国家企业信用信息公示系统（广西）等平台数据“无缝”共享交换":
# the run after 与, up to what links them (a few words may stand between).
_PARTNER_RUN = re.compile(
    r"(?:与|同|跟)([^，,。；;：:]{4,120}?)(?:等(?:平台|系统|部门|单位)?)?(?:实现|进行|开展)?"
    rf"(?:数据|信息)?[^，,。；;]{{0,6}}?{_LINKS}"
)


# A quote mark or a joint of a run (`_RUN_JOINT`).
_JOINT_OR_QUOTE = re.compile(rf"[“”]|{_RUN_JOINT.pattern}")


def _split_outside_quotes(run: str) -> list[str]:
    """`run` split at its joints (、/和/及) outside quotes: "广西“双随机、一公开”监管平台、…" is
    one item before the second 、."""
    parts, start, depth = [], 0, 0
    for m in _JOINT_OR_QUOTE.finditer(run):
        token = m.group()
        if token in "“”":
            depth += 1 if token == "“" else -1
        elif depth <= 0:
            parts.append(run[start : m.start()])
            start = m.end()
    parts.append(run[start:])
    return [p.strip() for p in parts if p.strip()]


def partner_runs(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """For a question asking what something is linked with (`_ASKS_PARTNERS`), the run of
    things a sentence links it with (`_PARTNER_RUN`), two or more: each is an item, named as
    asked."""
    if not _ASKS_PARTNERS.search(question):
        return []
    out: list[ListOption] = []
    for c in candidates:
        for m in _PARTNER_RUN.finditer(c.text):
            parts = _split_outside_quotes(m.group(1))
            if len(parts) >= 2:
                items = tuple((p, c.hit) for p in parts)
                out.append(ListOption(items, c.text, c.text, found_as="noun"))
    return out


# What a document is called ("哪几份政策文件", "出了哪些办法"): its items are named by their
# titles (《…》), not by the noun.
_DOCUMENT_NOUN = re.compile(r"(?:文件|政策|制度|办法|方案|规定|意见|通知|法规|条例|标准)$")
# Two titles or more one after the other, nothing or a joint between them.
_TITLE_RUN = re.compile(r"《[^《》]{2,60}》(?:(?:、|和|及|以及)?《[^《》]{2,60}》)+")


def title_runs(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """For a question asking which documents ("牵头出台了哪几份政策文件"), a run of titles
    in a sentence ("牵头制定《…实施方案》《…的通知》…等政策制度"), three or more or two closed
    by 等: each title is an item."""
    if not any(_DOCUMENT_NOUN.search(noun) for noun in asked_nouns(question)):
        return []
    out: list[ListOption] = []
    for c in candidates:
        for m in _TITLE_RUN.finditer(c.text):
            titles = re.findall(r"《[^《》]+》", m.group())
            # Two are a list when 等 closes them ("印发《…通知》《…办法》等监管制度").
            closed = c.text.startswith("等", m.end())
            if len(titles) >= MIN_SUFFIX_ITEMS or (closed and len(titles) >= 2):
                items = tuple((t, c.hit) for t in titles)
                out.append(ListOption(items, c.text, c.text, found_as="noun"))
    return out


# "两家医院之间共享了哪些东西" → "双方共享技术优势、科研平台和管理经验": three items, the last
# joined by 和/及/与 (a run `compose.ENUM` does not read: it needs two 、), right after the verb
# the question asks with.
_JOINED_RUN = (
    r"([^、，,。；;“”]{2,12})、([^、，,。；;“”]{2,12}?)(?:以及|和|及|与)"
    r"([^、，,。；;“”和及与]{2,12}?)(?=[，,。；;等]|$)"
)
_VERB_PARTICLES = "了过着"
# What the slot asks for when the question names nothing of the items ("共享了哪些东西"): the
# verb is then all that says where the run stands ("整合了哪些业务的自助功能" names them).
_GENERIC_SLOT = re.compile(r"(?:东西|事情?|内容|方面)?[？?。！!]*$")


@lru_cache(maxsize=1024)
def asked_verb(question: str) -> str:
    """The verb right before the asked slot, a particle aside ("共享了哪些东西" → 共享), when the
    slot names no kind of item (`_GENERIC_SLOT`); "" otherwise or when another word stands
    before it."""
    m = ASKED_SLOT.search(question)
    if not m or not _GENERIC_SLOT.match(question[m.end() :]):
        return ""
    clause = re.split(r"[，,。；;：:？?！!]", question[: m.start()])[-1]
    return last_verb(clause, tuple(_VERB_PARTICLES))


def verb_runs(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """Runs of three items joined by 、 and 和 (`_JOINED_RUN`) that follow the question's
    own verb for the slot (`asked_verb`): the run stands where the question asks."""
    verb = asked_verb(question)
    if not verb:
        return []
    pattern = re.compile(re.escape(verb) + f"[{_VERB_PARTICLES}]?" + _JOINED_RUN)
    out: list[ListOption] = []
    for c in candidates:
        if m := pattern.search(c.text):
            items = tuple((item, c.hit) for item in m.groups())
            out.append(ListOption(items, c.text, c.text, found_as="verb"))
    return out


def noun_clauses(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """A sentence whose clauses, MIN_SUFFIX_ITEMS or more, each end in a noun asked: each
    clause is an item (the thing named, with what is done with it)."""
    nouns = asked_nouns(question)
    if not nouns:
        return []
    out: list[ListOption] = []
    for c in candidates:
        clauses = _CLAUSE.split(c.text.rstrip("。！!；;"))
        bare = [_COUNT_AFTER.sub("", x) for x in clauses]  # "承诺制清单327项" → …清单
        items = [
            x for x, b in zip(clauses, bare, strict=True) if b.endswith(nouns) and b not in nouns
        ]
        if len(items) >= MIN_SUFFIX_ITEMS:
            items_of = tuple((i, c.hit) for i in items)
            out.append(ListOption(items_of, c.text, c.text, found_as="noun"))
    return out


# "办事格局发生了哪几个转变" → "办事格局从“见面办”向“掌上办”升级，从“时间更短”向“服务更优”
# 转变，从“新”服务向“心”服务提升": clauses of one shape (从 A 向 B + a verb), told one after
# the other, are the items of a run no 、 joins.
_FROM_TO_CLAUSE = re.compile(
    r"^[^，,；;。]{0,8}?(从[^，,；;。]{1,14}?(?:向|到|转为|转向|变为)[^，,；;。]{1,14})$"
)


# What a question calls such a run: the shifts made ("发生了哪几个转变", "有哪些变化", "从哪几
# 方面往好里变的"); not "哪些部门变更了…" (a change of record, 变更/变动).
_ASKS_SHIFTS = re.compile(
    r"哪(?:些|几|[二两三四五六七八九十])[^，,。；;？?]{0,8}?(?:转变|变化|转型|升级|转向|变(?![更动]))"
)


def asks_shifts(question: str) -> bool:
    """Whether a list question asks what shifts were made ("办事格局发生了哪几个转变")."""
    return bool(_ASKS_SHIFTS.search(question))


def from_to_runs(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """Runs of MIN_SUFFIX_ITEMS or more consecutive 从…向… clauses of one sentence, each
    clause an item (the subject before the first 从 left out): found as "shift" when the
    question asks for shifts (`asks_shifts`: a from-to run is what it asks, and
    `compose.compose_list` is sure of it), as named ("noun") when a clause ends in a noun
    the question asks for."""
    nouns = asked_nouns(question)
    shifts = asks_shifts(question)
    out: list[ListOption] = []
    for c in candidates:
        run: list[str] = []
        for clause in [*_CLAUSE.split(c.text.rstrip("。！!；;")), ""]:
            if m := _FROM_TO_CLAUSE.match(clause):
                run.append(m.group(1))
                continue
            if len(run) >= MIN_SUFFIX_ITEMS:
                named = bool(nouns) and any(item.endswith(nouns) for item in run)
                found = "shift" if shifts else "noun" if named else ""
                items = tuple((item, c.hit) for item in run)
                out.append(ListOption(items, c.text, c.text, found_as=found))
            run = []
    return out


# "新房交房当天就能拿到不动产证，全区是在哪几个市先试点的": the row tells only "在试点地区";
# its 配合单位 (南宁、桂林、北海、贵港市人民政府) names the cities where it runs.
_GOVERNMENT = re.compile(r"(?:人民政府|政府)$")
MIN_COOP_PLACES = 2


def coop_place_options(
    question: str, hits: Sequence[Hit], candidates: Sequence[Candidate]
) -> list[ListOption]:
    """For a question whose items are places (`compose.items_are_places`): each task row whose
    配合单位 are the governments of MIN_COOP_PLACES places or more, its first sentence as one
    option, the places its items."""
    if not items_are_places(question):
        return []
    out: list[ListOption] = []
    seen: set[str] = set()
    for c in candidates:
        unit = hits[c.hit].unit
        if unit.id in seen:
            continue
        seen.add(unit.id)
        places = [_GOVERNMENT.sub("", u) for u in unit.coop_units if _GOVERNMENT.search(u)]
        places = [p for p in places if is_place_item(p)]
        if len(places) < MIN_COOP_PLACES or len(places) < len(unit.coop_units):
            continue  # the places must be the whole column, not a few among departments
        told = c.text  # shown as its row, 配合单位 and all (`answer.readable_row`)
        items = tuple((p, c.hit) for p in places)
        out.append(ListOption(items, told, told))
    return out


# "那些涉企审批事项是按哪几种方式来改的" → "通过取消、改为备案或告知承诺等方式": three items,
# the last joined by 或/和/及/与 (a run `compose.ENUM` does not read: it needs two 、), closed
# by 等 and the very noun the question names its items by.
_CLOSED_RUN = (
    r"([^、，,。；;“”]{2,12})、([^、，,。；;“”]{2,12}?)(?:或者|或|以及|和|及|与)"
    r"([^、，,。；;“”和及与或]{2,12}?)等"
)
# A means the first item is introduced by ("通过取消"), not part of the item.
_MEANS_LEAD = re.compile(r"^(?:通过|采取|采用|按照|运用|利用)")


def _closed_by_nouns(run: str, question: str) -> re.Pattern[str] | None:
    """The pattern `run` closed by a noun the question asks (`asked_nouns`); None when it
    names none."""
    nouns = asked_nouns(question)
    return re.compile(run + f"(?:{'|'.join(map(re.escape, nouns))})") if nouns else None


def noun_closed_runs(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """Runs of three joined by 、 and 或/和/及/与 that 等 and a noun the question asks
    (`asked_nouns`) close, offered as lists (the sentence says its items are of the kind
    asked)."""
    pattern = _closed_by_nouns(_CLOSED_RUN, question)
    if pattern is None:
        return []
    out: list[ListOption] = []
    for c in candidates:
        if m := pattern.search(c.text):
            first, *rest = m.groups()
            items = (_MEANS_LEAD.sub("", first) or first, *rest)
            # No bonus: the closing noun is often a generic one (等信息, 等方式), so the run
            # competes on its sentence's score ("…地籍图等信息可视化查询" is not what
            # "要在线核验哪些信息" asks).
            out.append(
                ListOption(tuple((i, c.hit) for i in items), c.text, c.text, found_as="closed")
            )
    return out


# "重庆开展了“反垄断反不正当竞争促公平”、重点领域反不正当竞争执法、保健市场“百日行动”等专项
# 行动": a run of 、 alone, its items quoted in part, closed by 等 and the noun asked; the first
# item follows the verb that opens the run ("开展了").
_QUOTED_CLOSED_RUN = r"((?:[^、，,。；;]{2,24}、){2,}[^、，,。；;]{2,16}?)等"
_RUN_OPENER = re.compile(r"^[^“”]*?了(?=“)")


def quoted_closed_runs(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """Runs of three or more joined by 、 alone, with a quoted name among them, that 等 and a
    noun the question asks (`asked_nouns`) close: `noun_closed_runs` reads no quotes."""
    pattern = _closed_by_nouns(_QUOTED_CLOSED_RUN, question)
    if pattern is None:
        return []
    out: list[ListOption] = []
    for c in candidates:
        m = pattern.search(c.text)
        if not m or "“" not in m.group(1):
            continue
        first, *rest = m.group(1).split("、")
        items = (_RUN_OPENER.sub("", first), *rest)
        out.append(ListOption(tuple((i, c.hit) for i in items), c.text, c.text, found_as="closed"))
    return out


# "实行线上“一区通办”，线下“一号直达”、“一窗受理”": names quoted one after the other, with no
# more than a few characters between them (线上, "，线下"), are the items of a run no 、 joins
# (`compose._QUOTED_RUN`, the sentence's own quoted list, stops at a comma).
_COMMA_QUOTED_RUN = re.compile(r"(?:“[^“”]{2,10}”[^“”。；;：:]{0,3}){2,}“[^“”]{2,10}”")
_QUOTED = re.compile(r"“([^“”]{2,10})”")


def quoted_runs(candidates: Sequence[Candidate]) -> list[ListOption]:
    """Runs of three quoted names or more, a few characters at most between each two (a
    comma among them: "，线下"), that the sentence's own items (`compose.sentence_items`,
    whose quoted runs stop at a comma) do not read: each name is an item."""
    out: list[ListOption] = []
    for c in candidates:
        for m in _COMMA_QUOTED_RUN.finditer(c.text):
            names = _QUOTED.findall(m.group())
            if set(names) <= set(sentence_items(c.text)):
                continue  # the sentence's own list, offered already
            out.append(ListOption(tuple((name, c.hit) for name in names), c.text, c.text))
    return out


# "提了好几个带“零”的目标，分别是哪几个": a word of one or two characters the question quotes,
# which the names asked share, each told in a short heading of its own ("以“零投诉”为目标，打造
# 公正采购", "以“零障碍”为导向…"). A sentence naming several ("“网上办、就近办、一次办”的
# 服务") is a run `compose.list_options` reads already, and a long one names it in passing.
_QUOTED_FRAGMENT = re.compile(r"“([^“”]{1,2})”")
_HEADING_MARK = re.compile(r"^[（(][一二三四五六七八九十\d]+[）)]")
MAX_HEADING_CHARS = 30


def fragment_runs(
    question: str, hits: Sequence[Hit], candidates: Sequence[Candidate]
) -> list[ListOption]:
    """For each short word the question quotes, the headings of one unit that each quote one
    name holding it, three or more, in the order read: each heading is an item."""
    out: list[ListOption] = []
    for fragment in _QUOTED_FRAGMENT.findall(question):
        by_unit: dict[str, dict[str, tuple[str, int]]] = {}
        for c in candidates:
            names = [n for n in _QUOTED.findall(c.text) if fragment in n and n != fragment]
            heading = _HEADING_MARK.sub("", c.text).rstrip("。；;")
            if len(names) == 1 and len(heading) <= MAX_HEADING_CHARS:
                headings = by_unit.setdefault(hits[c.hit].unit.id, {})
                headings.setdefault(names[0], (heading, c.hit))
        for headings in by_unit.values():
            if len(headings) >= MIN_SUFFIX_ITEMS:
                items = tuple(headings.values())
                text = option_text("", [i for i, _ in items])
                out.append(ListOption(items, text, found_as="noun"))
    return out


def closed_as_phrased(option: ListOption, question: str) -> bool:
    """Whether a run is closed by the noun asked together with the two characters the question
    puts before it ("受理的高频事项包括哪些" → "…户籍迁移、个体户注销等高频事项"), not by the bare
    noun of another list ("…非强制性执法方式" against "…行政约谈等方式执法")."""
    noun = list_noun(question)
    at = question.find(noun) if noun else -1
    if at < 2 or not closed_as_asked(option, question):
        return False
    last = option.items[-1][0]
    close = option.sentence[option.sentence.rfind(last) :][: len(last) + len(noun) + 4]
    phrase = question[at - 2 : at + len(noun)]
    return phrase in close or phrase in run_close(option)


# "检查内容包括：通过不合理条件限定供应商": a lead-in whose list the "；" after it continues.
_COLON_LEAD = re.compile(r"(?:包括|包含|主要有|分别是|如下|有)[:：][^:：]{0,30}$")


def continues_lead(option: ListOption, sentence: str) -> bool:
    """Whether a structural list starts with (or as) a sentence cut at a colon: its items
    are the rest of what the colon introduced."""
    if option.sentence or option.count < MIN_SUFFIX_ITEMS or not _COLON_LEAD.search(sentence):
        return False
    first = option.items[0][0].rstrip("。；; ")
    return bool(first) and (sentence.startswith(first) or first.startswith(sentence))


def told_after_colon(option: ListOption, sentence: str) -> bool:
    """Whether `option` is a `colon_lists` list of that cut sentence (its head the lead)."""
    head = option.head
    return (
        bool(head)
        and not option.sentence
        and sentence.startswith(head)
        and sentence[len(head) : len(head) + 1] in ("：", ":")
    )


def retold(option: ListOption, options: Sequence[ListOption]) -> list[int]:
    """The indices of the structural lists a `colon_lists` list retells (the same items after
    the first, which the colon's list tells from the colon)."""
    rest = option.items[1:]
    return [
        j
        for j, other in enumerate(options)
        if other is not option and not other.sentence and other.items[1:] == rest
    ]


def colon_lists(options: Sequence[ListOption], candidates: Sequence[Candidate]) -> list[ListOption]:
    """A structural list whose first item is a sentence cut at its colon, told as what the
    colon introduces: "检查内容包括" and its items, the first one the clause after the colon
    (the run's own first item stops before it)."""
    out: list[ListOption] = []
    for c in candidates:
        lead = _COLON_LEAD.search(c.text)
        if not lead:
            continue
        colon = max(c.text.rfind("："), c.text.rfind(":"))
        head, first = c.text[:colon], c.text[colon + 1 :].rstrip("。；; ")
        for option in options:
            if first and continues_lead(option, c.text):
                items = ((first, c.hit), *option.items[1:])
                text = option_text(head, [t for t, _ in items])
                # The colon names the run a list ("检查内容包括："): no label need ask for
                # its "；" clauses (`compose.clause_runs`), as a bare heading's need.
                told = dataclasses.replace(option, items=items, text=text, head=head, clauses=False)
                out.append(told)
    return out


# A label the question quotes with a count in it (“一园三区”, “三个平台”).
_QUOTED_LABEL = re.compile(r"“([^”“]{2,8})”")
_NUMERAL = re.compile(r"[一二三四五六七八九十两\d]")
MIN_DEFINITION_CHARS = 8  # what follows the label in its sentence, to define it


def label_count(label: str) -> int:
    """How many parts a numbered label counts: its last number (“一园三区” → 3, “三联办” → 3)."""
    numbers = _NUMERAL.findall(label)
    last = numbers[-1] if numbers else ""
    return (
        2 if last == "两" else (int(last) if last.isdigit() else marker_number(last) if last else 0)
    )


def numbered_labels(question: str) -> list[str]:
    return [m for m in _QUOTED_LABEL.findall(question) if _NUMERAL.search(m)]


_COUNTED_CLAUSE = re.compile(r"[一二三四五六七八九十两\d]+个")


def definition_parts(rest: str) -> list[str]:
    """The parts of what follows a label in its sentence: its clauses, less the words that
    finish the label's own phrase ("“一园三区”发展模式，…") and from a clause that counts them
    on ("三个园区特色定位": a restatement, not a part)."""
    parts = re.split(r"[，,、；;。]", rest)
    parts = parts[1:] if rest[:1] not in "，,、；;。" else parts
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if _COUNTED_CLAUSE.match(part):
            break
        if part:
            out.append(part)
    return out


def label_sentences(question: str, candidates: Sequence[Candidate]) -> list[ListOption]:
    """The sentences that spell out a numbered label the question quotes (“一园三区” → "构建
    “一园三区”发展模式，以柳州公共实训基地为核心园，分设北部园区、柳东园区"), as lists shown
    whole: the label and what follows it, its clauses the items, as many as the label counts
    ("…提供证照“三联办”服务，同步发出证照238张，…" tells no three parts)."""
    out: list[ListOption] = []
    for label in numbered_labels(question):
        quoted = f"“{label}”"
        for c in candidates:
            at = c.text.find(quoted)
            rest = c.text[at + len(quoted) :] if at >= 0 else ""
            parts = definition_parts(rest)
            if len(rest) >= MIN_DEFINITION_CHARS and len(parts) == label_count(label) >= 2:
                items = tuple((p, c.hit) for p in parts)
                out.append(ListOption(items, c.text, c.text, found_as="label"))
    return out


MIN_TITLE_CHARS = 4


def named_unit(question: str, hits: Sequence[Hit]) -> int | None:
    """The hit of the measure whose title the question names word for word ("法院提升审判质量
    效率那条任务" → the task 提升审判质量效率; "办理破产这一块" → the heading 办理破产), the
    longest such title; None when the question names none."""
    q = re.sub(r"\s", "", question)
    titles = {re.sub(r"\s", "", hit.unit.title) for hit in hits}
    named = [
        (len(title), -h, h)
        for h, hit in enumerate(hits)
        if hit.unit.kind == "measure"
        and len(title := re.sub(r"\s", "", hit.unit.title)) >= MIN_TITLE_CHARS
        and title in q
        and not _named_longer(title, titles, q)
    ]
    return max(named)[2] if named else None


def _named_longer(title: str, titles: set[str], question: str) -> bool:
    """Whether the question names more of another title that holds this one ("纳税服务标杆"
    of "树立纳税服务标杆", not the heading "纳税服务")."""
    for other in titles:
        if other != title and title in other:
            m = SequenceMatcher(None, question, other, autojunk=False).find_longest_match()
            if m.size > len(title):
                return True
    return False


_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
MAX_STEPS = 10


def unit_steps(text: str) -> list[str]:
    """The steps a measure's text tells: its sentences, or the clauses of its one sentence
    ("加强…流程节点管控，严格审限变更，落实…诉前调解、示范裁判制度，…"); field lines aside."""
    sentences = [
        s.strip() for s in _SENTENCE.findall(text) if s.strip() and not FIELD_LINE.search(s)
    ]
    if len(sentences) >= 2:
        return sentences[:MAX_STEPS]
    clauses = [c.strip() for s in sentences for c in re.split(r"[，,]", s) if c.strip()]
    return clauses[:MAX_STEPS] if len(clauses) >= 2 else []


def named_unit_option(
    question: str, hits: Sequence[Hit], unit_text: Callable[[Hit], str]
) -> list[ListOption]:
    """The steps of the measure the question names (`named_unit`), as one list of its parts."""
    h = named_unit(question, hits)
    if h is None:
        return []
    steps = unit_steps(unit_text(hits[h]))
    if len(steps) < 2:
        return []
    title = hits[h].unit.title
    items = tuple((s, h) for s in steps)
    return [ListOption(items, option_text(title, steps), head=title, parts=True)]


def extra_options(
    question: str,
    hits: Sequence[Hit],
    candidates: Sequence[Candidate],
    options: Sequence[ListOption],
    unit_text: Callable[[Hit], str],
) -> list[ListOption]:
    """The lists `compose.list_options` (`options`) does not offer: label sentences, lists
    cut at a colon told whole, the named task's steps."""
    return (
        asked_runs(question, candidates)
        + verb_runs(question, candidates)
        + noun_clauses(question, candidates)
        + noun_runs(question, candidates)
        + partner_runs(question, candidates)
        + title_runs(question, candidates)
        + noun_closed_runs(question, candidates)
        + quoted_closed_runs(question, candidates)
        + quoted_runs(candidates)
        + fragment_runs(question, hits, candidates)
        + from_to_runs(question, candidates)
        + coop_place_options(question, hits, candidates)
        + label_sentences(question, candidates)
        + colon_lists(options, candidates)
        + named_unit_option(question, hits, unit_text)
    )


def lifted(
    question: str,
    options: Sequence[ListOption],
    scores: np.ndarray,
    candidates: Sequence[Candidate],
    candidate_scores: np.ndarray,
    hits: Sequence[Hit],
) -> np.ndarray:
    """The option scores with what this module knows: COUNT_BONUS for a run named as asked,
    for a label's sentence, for the units of the group the question names (`names_group`) and
    for the named task's steps, ROLE_BONUS for a run the sentence
    names by the question's own name for the list (`run_in_role`); a list told after the
    colon of a cut sentence (`colon_lists`) scores as that sentence does, or as the run it
    retells (`retold`), which then gives way (-inf)."""
    out = np.asarray(scores, dtype=np.float32).copy()
    defining = {o.sentence for o in options if o.found_as == "label"}
    named = named_unit(question, hits)
    grouped = [names_group(o, question) for o in options]
    if any(grouped):
        named = None  # "对外开放指标下有哪几项任务": the tasks grouped under it, not its text
    cut = [
        (c.text, float(s))
        for c, s in zip(candidates, candidate_scores, strict=True)
        if _COLON_LEAD.search(c.text)
    ]
    after = after_best(candidates, candidate_scores, {o.sentence for o in options})
    superseded: set[int] = set()
    for i, option in enumerate(options):
        closed = closed_as_asked(option, question) and option.found_as != "closed"
        if (
            named_as_asked(option, question)
            or closed
            or option.found_as in ("noun", "verb", "shift")
        ):
            out[i] += COUNT_BONUS
        if option.sentence and option.sentence in defining:
            out[i] += COUNT_BONUS
        # "全区政务服务方面有哪些任务": the tasks of the indicator named word for word are the
        # list asked, above a sentence that scores higher on the place's word.
        if grouped[i]:
            out[i] += COUNT_BONUS
        if run_in_role(option, question):
            out[i] += ROLE_BONUS
        if named is not None and option.head == hits[named].unit.title and option.parts:
            out[i] += COUNT_BONUS
        for text, s in cut:
            if told_after_colon(option, text):
                # The run it retells scores on its heading ("…清理妨碍公平竞争的情形"), which
                # the colon's lead ("检查内容包括") does not repeat: the same list, told whole
                # from the colon, so it takes that score and the run gives way.
                sources = retold(option, options)
                out[i] = max([out[i], s + COUNT_BONUS / 3, *(float(scores[j]) for j in sources)])
                superseded.update(sources)
        if after is not None and option.sentence == after[0]:
            out[i] = max(out[i], after[1])
    out[sorted(superseded)] = -np.inf
    return out


MAX_LEAD_CHARS = 60


def after_best(
    candidates: Sequence[Candidate], scores: np.ndarray, listing: set[str]
) -> tuple[str, float] | None:
    """The sentence right after the best one in its passage, with the best one's score, when
    the best one lists nothing (is none of `listing`) and the next one does: "成立…响应处置
    工作小组。" then "…进行统筹协调、指挥调度…和综合评价。" — the run tells what the best
    sentence names, so it scores as that sentence does. Only a short best sentence (at most
    MAX_LEAD_CHARS) sets up what follows; a long one tells its own story ("…窗口审批工作以…
    为载体，…切实做…" is not what "全年累计办理…" lists)."""
    if not len(candidates):
        return None
    best = int(np.argmax(scores))
    lead = candidates[best].text
    if lead in listing or len(lead) > MAX_LEAD_CHARS or best + 1 >= len(candidates):
        return None
    nxt = candidates[best + 1]
    if nxt.hit != candidates[best].hit or nxt.text not in listing:
        return None
    return nxt.text, float(scores[best])
