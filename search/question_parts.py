"""A question that asks two things one after the other ("去年全区跨省开展的远程异地评审项目有
多少个？是按哪个办法来管的？"): its parts, each worded so that it can be asked on its own.

The recogniser reads such a question as one kind (here a figure), and the answer composed for
that kind tells one part; `Answerer.with_parts` answers each part on its own and adds what the
whole answer lacks. A later part often leans on the first ("是按哪个办法来管的", "抽下来优良率有
多少", "这个案例是哪家单位报上来的"): it is asked with the first part's words, its asking words
taken out (`subject_of`); one that says enough is asked with the question's places.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The words that ask, with what they ask for ("哪个市", "多少个"): a part holds one, and the
# first part without them is the later parts' context.
_ASKING_PHRASE = re.compile(
    r"哪(?:个|些|几|一|家)?(?:城市|地方|[个项条家件类种所市县区省])?|多少[个项条家件元天]?"
    # "几大块功能", "设备到了几台": a count of any counter
    r"|几大?[个项条家件天年次位类种所台块批笔户人名座套张份辆宗例期轮场]"
    r"|什么时候|什么|谁|何时|怎么|怎样|如何|是否|吗|啥|多长时间|多长|多久|多大|多高"
)
# "另外他们…", "还有，…": what joins a part to the one before; no part of what it asks.
_JOINING = re.compile(
    r"^(?:另外|还有|以及|此外|顺便问一下|顺便问下|顺便|再问一下|那么|并且|同时)[，,、]?"
)
# "是按哪个办法…", "他们搞…", "这个案例…": words that point back say nothing of their own.
_POINTING = re.compile(r"^(?:是|他们|它们|它|其|该|这个|这项|这些|这|那个|那些|那)")
# "这个案例是哪家单位报上来的", "这项改革…": the thing the first part is about.
_NAMES_SUBJECT = re.compile(r"^(?:这个|这项|这些|那个|那些|该|这|那)")
# "钦州这条措施…": after a place, the thing the first part is about (not "百色那边").
_POINTS_TO_THING = re.compile(r"^(?:这|那|该)(?:条|项|个|些|次|件)")
# "这个市对个体户搞柔性执法…": the place the first part asks for, which its words do not name
# (they would steer the part to the first part's sentence); the part is asked as it is.
_NAMES_ASKED_PLACE = re.compile(r"^(?:这个|那个|该|这|那)(?:城市|地方|[市区县省])")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# "是哪天拿到批复的": a day asked (a month and a day answer it, not "截至2023年底").
_ASKS_DAY = re.compile(r"哪天|哪一天|哪日|几月几[日号]")
# A part with fewer characters than this besides its asking words says too little on its own
# ("抽下来优良率有多少": 抽下来优良率有).
MIN_OWN_CHARS = 8


def question_parts(question: str) -> tuple[str, ...]:
    """The questions a question asks one after the other (split at ？, and after a clause that
    asks a day: `_day_apart`), each holding an asking word; () when fewer than two do."""
    return tuple(part for part, _ in _linked_parts(question))


def _linked_parts(question: str) -> list[tuple[str, bool]]:
    """`question_parts`, each with whether it is a later clause of the question before it
    (split at a comma by `_asking_clauses`); [] when fewer than two parts ask."""
    parts = [p.strip(" ，,。") for p in re.split(r"[？?]", question)]
    parts = [piece for p in parts for piece in _day_apart(p)]
    parts = [p for p in parts if p and _ASKING_PHRASE.search(p)]
    # A later question of two clauses that each ask ("他要办的是什么证，从交材料到证件寄到家
    # 用了几天") is two parts: each told by its own sentence.
    linked = [(parts[0], False)] if parts else []
    for p in parts[1:]:
        linked += [(piece, k > 0) for k, piece in enumerate(_asking_clauses(p))]
    return linked if len(linked) >= 2 else []


def _asking_clauses(part: str) -> list[str]:
    """`part` split at each comma after which a clause asks again: its clauses grouped so
    that each group opens with (or holds) one asking clause ("他要办的是什么证，从交材料到证件
    寄到家用了几天" → two; "钦州这条措施，配合的有哪几家" → one)."""
    groups: list[str] = []
    for clause in re.split(r"[，,]", part):
        asks = bool(_ASKING_PHRASE.search(clause))
        if groups and not (asks and _ASKING_PHRASE.search(groups[-1])):
            groups[-1] += "，" + clause
        else:
            groups.append(clause)
    return [g for g in groups if g]


def asks_day(question: str) -> bool:
    """Whether the question asks a day ("是哪天拿到批复的", "几月几号印发的")."""
    return bool(_ASKS_DAY.search(question))


def _day_apart(part: str) -> list[str]:
    """A part whose clause asks a day and whose later clauses ask something else, as two
    ("…是哪天拿到批复的，到2023年底累计营收超过了多少": the figure's sentence, "截至2023年底…",
    tells no day, and the day would never be asked on its own); else the part alone."""
    pieces = re.split(r"[，,]", part)
    for k, piece in enumerate(pieces[:-1]):
        rest = "，".join(pieces[k + 1 :])
        if _ASKS_DAY.search(piece) and _ASKING_PHRASE.search(rest):
            return ["，".join(pieces[: k + 1]), rest]
    return [part]


def subject_of(part: str) -> str:
    """A part without its asking words: what it is about ("去年全区跨省开展的远程异地评审项目有
    多少个" → "去年全区跨省开展的远程异地评审项目"); of a part whose clauses set the scene
    before one that asks, the scene ("玉林那个…“云超市”，平台里一共分成几大块功能" → "玉林那个…
    “云超市”": "平台里一共分成功能" would make the later part read as asking for items)."""
    clauses = [c for c in re.split(r"[，,]", part) if c]
    scene = [c for c in clauses if not _ASKING_PHRASE.search(c)]
    if scene and len(scene) < len(clauses):
        return "，".join(scene).strip(" ，,有是的要")
    return _ASKING_PHRASE.sub("", part).strip(" ，,有是的要")


def says_little(part: str) -> bool:
    """Whether a later part says too little on its own: fewer than MIN_OWN_CHARS characters
    besides its asking words ("抽下来优良率有多少", "是按哪个办法来管的")."""
    own = _HAN.findall(_POINTING.sub("", _ASKING_PHRASE.sub("", part)))
    return len(own) < MIN_OWN_CHARS


def standalone_parts(question: str, places: Sequence[str] = ()) -> tuple[str, ...]:
    """The parts of `question` (`question_parts`), each later one made to stand alone: one
    that says little (`says_little`) or points to the first part's thing ("这个案例…") led by
    the first part's subject ("是按哪个办法来管的" → "去年全区跨省开展的远程异地评审项目，
    是按哪个办法来管的"), any other by the question's `places` it does not name ("另外他们搞
    公平竞争审查是按什么原则分工的" → "重庆他们搞…": the first part's other words would steer
    it to the first part's sentence), and one that says enough of the place the first part
    asks for ("这个市对个体户搞柔性执法，是靠哪六项制度落地的") as it is; () for a question of
    one part."""
    linked = _linked_parts(question)
    if not linked:
        return ()
    subject = subject_of(linked[0][0])
    out = [linked[0][0]]
    led = False  # whether the part before was led by the first part's subject
    for part, continues in linked[1:]:
        own = _JOINING.sub("", part)
        if continues and led:
            # "…他要办的是什么证，从交材料到证件寄到家用了几天": the later clause is about
            # the same thing as the clause before it.
            out.append(f"{subject}，{own}")
            continue
        if _NAMES_ASKED_PLACE.match(own) and not says_little(own):
            led = False
            out.append(own)  # the place is the first part's answer: no words of ours name it
            continue
        # "钦州这条措施配合的…": a place named before the pointing words (not "百色那边…",
        # which points to the place).
        placed = _without_leading_places(own, places)
        pointed = placed != own and _POINTS_TO_THING.match(placed)
        led = bool(subject) and bool(says_little(own) or _NAMES_SUBJECT.match(own) or pointed)
        if led:
            own = f"{subject}，{own}"
        elif unnamed := [p for p in places if p not in own]:
            own = "、".join(unnamed) + own
        out.append(own)
    return tuple(out)


def _without_leading_places(part: str, places: Sequence[str]) -> str:
    """`part` without the places of `places` it opens with ("钦州这条措施…" → "这条措施…")."""
    for place in sorted(places, key=len, reverse=True):
        if part.startswith(place):
            return _without_leading_places(part[len(place) :], places)
    return part
