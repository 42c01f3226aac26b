"""Side-by-side comparison: pure rows from unit views, and views read from the seed index."""

from __future__ import annotations

import pytest

from index.types import Citation, Unit
from search.compare import CompareError, build_comparison, unit_view


def _view(title: str, **kw):
    from search.compare import UnitView

    unit = Unit(
        id=f"d#{title}",
        doc="d.txt",
        kind=kw.pop("kind", "case"),
        title=title,
        start=0,
        end=9,
        **kw.pop("unit", {}),
    )
    cite = Citation("d.txt", "某文件", title, "", 1, 2, 0, 9)
    return UnitView(
        unit,
        "某文件",
        kw.pop("doc_region", ""),
        kw.pop("doc_date", ""),
        kw.pop("sections", ()),
        kw.pop("text", ""),
        cite,
    )


def test_rows_come_from_sections_fields_and_document() -> None:
    a = _view(
        "甲市企业开办",
        unit={"region": "甲省甲市", "org": "甲市行政审批局", "number": "3"},
        sections=(
            ("二、主要做法", "二、主要做法推行证照联办。压缩环节。"),
            ("三、主要成效", "三、主要成效开办时间压缩至1个工作日。群众满意。"),
        ),
        doc_date="2023",
    )
    b = _view(
        "推行不动产登记全城通办",
        kind="measure",
        unit={
            "lead_units": ("自治区自然资源厅", "大数据发展局"),
            "deadline": "2023年12月31日",
            "direction": "全城通办",
        },
        text="推行不动产登记全城通办。办理时间减少50%。",
        doc_region="乙省",
    )
    c = build_comparison([a, b])
    rows = dict(c.rows)
    assert rows["地区"] == ("甲省甲市", "乙省")
    assert rows["做法"][0] == "推行证照联办。压缩环节。"
    assert rows["成效"] == ("开办时间压缩至1个工作日。", "办理时间减少50%。")
    assert rows["牵头或报送单位"] == ("甲市行政审批局", "自治区自然资源厅、自治区大数据发展局")
    assert rows["时间"] == ("2023", "完成时限 2023年12月31日")
    assert rows["来源"][0] == "《某文件》第3项 甲市企业开办[1]"
    table = c.table()
    assert table.header == ("项目", "甲市企业开办", "推行不动产登记全城通办")
    assert len(table.citations) == 2


def test_two_to_six_units() -> None:
    with pytest.raises(CompareError):
        build_comparison([_view("甲")])
    with pytest.raises(CompareError):
        build_comparison([_view(str(n) * 2) for n in range(7)])


@pytest.mark.slow
def test_seed_cases_compare_with_figures(searcher) -> None:
    data = searcher.index.current
    cases = [u.id for u in data.units if u.kind == "case" and "北海" in u.title][:1]
    cases += [u.id for u in data.units if u.kind == "case" and "崇左" in u.title][:1]
    assert len(cases) == 2
    c = build_comparison([unit_view(data, uid) for uid in cases])
    rows = dict(c.rows)
    assert all("广西壮族自治区" in r for r in rows["地区"])
    assert all(any(ch.isdigit() for ch in cell) for cell in rows["成效"])
    assert all(cell != "（未载明）" for cell in rows["牵头或报送单位"])
    for cell, uid in zip(rows["做法"], cases, strict=True):
        assert (
            20 <= len(cell) <= 400
            and data.units[[u.id for u in data.units].index(uid)].title not in cell[:10]
        )
    with pytest.raises(CompareError):
        unit_view(data, "nope#case999")
