"""Each place's figure in a regional task: reading "各市…：南宁市67%、柳州市65%、…" runs.

A regional work plan sets one target per city in a single run ("（各市目标任务：南宁市 67%、
柳州市 65%、桂林市 82%、…）", "各市目标值分别为南宁市1.63小时、…"). Users ask which city's
target is the highest or the lowest ("哪个市定得最高？") and what one city's figure is; both are
read off the run here. Pure functions: no index, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What opens a run of each city's figure.
EACH_CITY = re.compile(r"各市(?:目标任务|任务|目标值|目标)(?:分别为)?[：:]?")
# One city's figure within a run: "南宁市 67%", "南宁市1900人", "南宁市1.63小时".
_CITY_FIGURE = re.compile(
    r"([\u4e00-\u9fff]{2,4}?(?:市|区|县))\s*(\d+(?:\.\d+)?)\s*([%％]|[^\d\s、，,。；;）)]{1,3})"
)
# "各市…" opens the run; two cities make one.
MIN_RUN = 2

# "允许停得最久": the longest time is the highest figure.
_MOST = re.compile(r"最(高|多|大|长|久|低|少|小|短)")
_HIGH = frozenset("高多大长久")


@dataclass(frozen=True)
class PlaceFigure:
    place: str  # "桂林市"
    figure: str  # "82%", as written (whitespace removed)
    value: float


def each_place_figures(text: str) -> tuple[PlaceFigure, ...]:
    """The cities' figures of the run in `text` that follows "各市…", in the run's order;
    () when `text` has no such run of MIN_RUN cities or more."""
    head = EACH_CITY.search(text)
    if head is None:
        return ()
    figures = tuple(
        PlaceFigure(m.group(1), m.group(2) + m.group(3), float(m.group(2)))
        for m in _CITY_FIGURE.finditer(text, head.end())
    )
    return figures if len(figures) >= MIN_RUN else ()


def run_head(text: str) -> str:
    """The words that open the run ("各市目标任务", "各市目标值"), without 分别为 or a colon."""
    head = EACH_CITY.search(text)
    return re.sub(r"(?:分别为)?[：:]?$", "", head.group()) if head else ""


def asked_extreme(question: str) -> str:
    """The word asking for the highest or the lowest figure ("最高", "最多", "最少" …); ""
    when the question asks neither."""
    m = _MOST.search(question)
    return m.group() if m else ""


def extremes(figures: tuple[PlaceFigure, ...], word: str) -> tuple[PlaceFigure, ...]:
    """The places whose figure is the highest (`word` 最高/最多/最大/最长/最久) or the lowest
    (最低/最少/最小/最短), all of them when several share it ("最少": five cities with 350人
    each); () for any other word."""
    m = _MOST.fullmatch(word)
    if not figures or m is None:
        return ()
    pick = max if m.group(1) in _HIGH else min
    best = pick(f.value for f in figures)
    return tuple(f for f in figures if f.value == best)


def told(places: tuple[PlaceFigure, ...], word: str, head: str) -> str:
    """ "桂林市82%，各市目标任务中最高" / "北海市、贺州市各350人，各市任务中最少": the place and
    its figure as the run writes them ("桂林市 82%"), so the answer quotes its source."""
    names = "、".join(f.place for f in places)
    figure = places[0].figure if len(places) == 1 else f"各{places[0].figure}"
    return f"{names}{figure}，{head or '各市'}中{word}"
