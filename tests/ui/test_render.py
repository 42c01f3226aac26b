"""The source text as the page shows it: field labels set apart, cited sentences underlined."""

from tests.search.factories import make_unit
from ui.render import label_spans, render_text, unit_meta

CASE = (
    "桂林市打造模式\n指标名称办理破产\n案例名称桂林市打造模式\n主要内容\n"
    "一、打造“一站点”。联合组建“法润民心”司法服务团队。"
)


def test_labels_that_open_lines_are_set_apart():
    shown = render_text(CASE, labels=label_spans(CASE))
    assert '<span class="ys-label">指标名称</span>办理破产' in shown
    assert '<span class="ys-label">案例名称</span>桂林市' in shown
    assert '<span class="ys-label">主要内容</span>\n一、' in shown


def test_a_label_inside_a_line_or_with_its_own_colon_is_left_as_it_is():
    text = "其中主要内容包括三项。\n报送单位：桂林市工商联"
    assert label_spans(text) == []


def test_a_cited_sentence_is_underlined_around_the_labels():
    start = CASE.index("联合")
    shown = render_text(CASE, ["打造"], [(start, len(CASE))], label_spans(CASE))
    assert '<span class="ys-quote">联合组建“法润民心”司法服务团队。</span>' in shown
    assert "<mark>打造</mark>" in shown


def test_a_quote_across_a_label_is_underlined_on_both_sides():
    start = CASE.index("案例名称") - 3
    shown = render_text(CASE, quotes=[(start, start + 10)], labels=label_spans(CASE))
    assert shown.count('class="ys-quote"') == 2
    assert '<span class="ys-label">案例名称</span>' in shown


def test_text_is_escaped():
    assert render_text("<b>报送单位</b>") == "&lt;b&gt;报送单位&lt;/b&gt;"


def test_a_task_rows_units_are_shown_as_printed():
    """The badges quote the cells as the answer does; units parsed by older code join names."""
    row = make_unit(
        lead_units=("自治区公安厅", "司法厅"), lead_text="自治区公安厅、司法厅按职责分工负责"
    )
    assert "自治区公安厅、司法厅按职责分工负责" in unit_meta(row)
    assert "自治区公安厅、司法厅</span>" in unit_meta(
        make_unit(lead_units=("自治区公安厅", "司法厅"))
    )
