"""The helpers every collection parser shares: the contents (目录) of a collection."""

from __future__ import annotations

from index.structure.common import contents_entries, split_lines, with_contents
from index.types import Unit


def _case(title: str) -> Unit:
    return Unit(id="", doc="d.txt", kind="case", title=title, start=0, end=1)


def test_contents_entries_read_dot_leader_and_tab_lines_before_the_first_unit() -> None:
    lines = split_lines(
        "目录\n重庆市：重拳出击…….....\t1\n广东省深圳市：36条政务热线合并了！\t69\n正文\n"
    )
    assert contents_entries(lines, 3) == [
        ("重庆市：重拳出击", "1"),
        ("广东省深圳市：36条政务热线合并了！", "69"),
    ]
    assert contents_entries(lines, 1) == []


def test_a_unit_close_to_a_contents_line_takes_its_title_and_page() -> None:
    entries = [
        ("重庆市：重拳出击反垄断，优化营商环境", "1"),
        ("广东省深圳市：36条政务热线合并了！", "69"),
    ]
    units = [
        _case("重庆市：重拳出击反垄断优化营商环境"),  # the comma lost to layout
        _case("广东省深圳市：36条政务服务热线合并了！"),  # a word the contents leave out
        _case("浙江省杭州市：智慧税务"),  # in no contents line
    ]
    named = with_contents(units, entries)
    assert named[1].heading == "广东省深圳市：36条政务服务热线合并了！"  # still known as printed
    assert named[2].heading == ""
    assert [(u.title, u.page) for u in named] == [
        ("重庆市：重拳出击反垄断，优化营商环境", "1"),
        ("广东省深圳市：36条政务热线合并了！", "69"),
        ("浙江省杭州市：智慧税务", ""),
    ]


def test_a_contents_line_names_at_most_one_unit() -> None:
    entries = [("南宁市：企业开办一日办结", "5")]
    named = with_contents(
        [_case("南宁市：企业开办一日办结"), _case("南宁市：企业开办一日办结")], entries
    )
    assert [u.page for u in named] == ["5", ""]
