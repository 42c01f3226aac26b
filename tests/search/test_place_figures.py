"""Each city's figure of a regional task: the run, the extreme asked and how it is told."""

from __future__ import annotations

from search.place_figures import (
    PlaceFigure,
    asked_extreme,
    each_place_figures,
    extremes,
    run_head,
    told,
)

SEWAGE = "（各市目标任务：南宁市 67%、柳州市 65%、桂林市 82%、崇左市 30%）"
HOURS = "各市目标值分别为南宁市1.63小时、柳州市3.70小时、百色市11.92小时、"
PEOPLE = "（各市任务：南宁市1900人、北海市350人、防城港市350人、钦州市500人）"


def test_a_run_of_each_city_s_figure_is_read_in_its_order():
    figures = each_place_figures(SEWAGE)
    assert [f.place for f in figures] == ["南宁市", "柳州市", "桂林市", "崇左市"]
    assert figures[2] == PlaceFigure("桂林市", "82%", 82.0)
    assert each_place_figures(HOURS)[2] == PlaceFigure("百色市", "11.92小时", 11.92)


def test_places_and_figures_without_the_words_for_each_city_are_no_run():
    """ "钦州市 57%的…" and a sentence naming two cities' figures in passing are not a run."""
    assert each_place_figures("钦州市 57%的城市生活污水") == ()
    assert each_place_figures("南宁市新增1900人，柳州市新增1600人。") == ()
    assert each_place_figures("各市任务：南宁市1900人。") == ()  # one city: no run


def test_the_head_is_told_without_its_connecting_words():
    assert run_head(SEWAGE) == "各市目标任务"
    assert run_head(HOURS) == "各市目标值"
    assert run_head("没有这样的开头") == ""


def test_the_extreme_word_asked():
    assert asked_extreme("哪个市定得最高？") == "最高"
    assert asked_extreme("哪个市分到的人数最多？") == "最多"
    assert asked_extreme("停电时间哪个市最短") == "最短"
    assert asked_extreme("哪个市放得最宽、允许停得最久？") == "最久"
    assert asked_extreme("哪个市的目标是多少？") == ""


def test_the_highest_and_the_lowest_with_ties():
    sewage, people = each_place_figures(SEWAGE), each_place_figures(PEOPLE)
    assert [f.place for f in extremes(sewage, "最高")] == ["桂林市"]
    assert [f.place for f in extremes(sewage, "最低")] == ["崇左市"]
    assert extremes(sewage, "最久") == extremes(sewage, "最高")
    assert [f.place for f in extremes(people, "最少")] == ["北海市", "防城港市"]
    assert extremes(sewage, "多少") == () and extremes((), "最高") == ()


def test_the_extreme_is_told_with_its_figure_and_the_run_s_head():
    sewage, people = each_place_figures(SEWAGE), each_place_figures(PEOPLE)
    assert told(extremes(sewage, "最高"), "最高", "各市目标任务") == "桂林市82%，各市目标任务中最高"
    assert (
        told(extremes(people, "最少"), "最少", "各市任务")
        == "北海市、防城港市各350人，各市任务中最少"
    )
