import re

from index.chunking import chunk_spans, chunk_unit, sentence_spans
from index.cleaning import LineIndex, clean_span, strip_ws
from index.types import Span, Unit


def test_sentences_end_at_chinese_punctuation_and_keep_closing_quotes():
    text = "第一句。第二句！“第三句？”第四句"
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans == ["第一句。", "第二句！", "“第三句？”", "第四句"]


def test_chunks_stay_within_limits_and_cut_only_long_sentences():
    sentence = "这是一个十五个字的句子内容啊。"
    text = sentence * 60
    chunks = chunk_spans(text, target=100, max_len=150)
    assert all(b - a <= 150 for a, b in chunks)
    # Every chunk ends at a sentence end: no sentence was cut.
    assert all(text[b - 1] == "。" for a, b in chunks)
    assert "".join(text[a:b] for a, b in chunks) == text


def test_a_sentence_longer_than_max_is_split_at_commas():
    text = "，".join(["很长的分句内容"] * 100) + "。"
    chunks = chunk_spans(text, target=100, max_len=120)
    assert len(chunks) > 1 and all(b - a <= 120 for a, b in chunks)


def test_broken_lines_are_joined_and_date_spaces_removed():
    text = "推进政府采购全流程电子化，截至 2023 年 12 月 31 日\n完成改造。\n一、下一步\n继续推进。"
    clean = clean_span(text)
    assert "截至2023年12月31日完成改造。" in clean.text
    assert "\n一、下一步\n" in clean.text


def test_dropped_spans_are_skipped():
    text = "正文开始。\n— 3 —\n正文继续。"
    start = text.index("— 3 —")
    clean = clean_span(text, dropped=[(start, start + 5)])
    assert "3" not in clean.text


def test_passage_offsets_map_back_to_source():
    source = (
        "标题行\n一、做法\n甲市推行“一网通办”，企业开办时间压缩至\n1个工作日。群众满意度提升。\n"
        * 20
    )
    unit = Unit(
        id="d#case001",
        doc="d.txt",
        kind="case",
        title="标题行",
        start=0,
        end=len(source),
        sections=(Span("做法", 4, len(source)),),
    )
    passages = chunk_unit(source, unit, (), LineIndex(source), target=120, max_len=200)
    assert len(passages) > 1
    for p in passages:
        assert strip_ws(p.text) == strip_ws(source[p.start : p.end])
        assert source.count("\n", 0, p.start) + 1 == p.line_start
        assert source.count("\n", 0, p.end - 1) + 1 == p.line_end
        assert re.search(r"\S", p.text)
    assert passages[1].section == "做法"


def _table_passages(source: str) -> list:
    """The passages of a task table's text, parsed and chunked as the build does."""
    from index.structure import parse_document

    parsed = parse_document(source, "要点.txt", "k")
    lines = LineIndex(source)
    return [p for u in parsed.units for p in chunk_unit(source, u, parsed.dropped, lines)]


def test_paragraph_tags_left_in_plain_text_are_not_in_passages():
    source = (
        "45\t获得电力\t提升供电可靠性\t<p>加强供电可靠性预算式管控。</p> "
        "<p>农网用户平均停电时间同比压缩5%以上。</p>\t2023年12月31日\n"
    )
    passages = _table_passages(source)
    text = "".join(p.text for p in passages)
    assert "<p>" not in text and "</p>" not in text
    assert "加强供电可靠性预算式管控。\n农网用户平均停电时间同比压缩5%以上。" in text
    # The tags are dropped like page numbers: passages still point into the untouched source.
    assert source[passages[0].start : passages[-1].end].count("<p>") == 2


def test_a_paragraph_tag_after_a_closing_bracket_ends_the_line():
    """ "（各市任务：…崇左市4%）</p> <p>完成每千人口拥有执业（助理）医师数…": the run of the
    cities' figures ends its paragraph, so the next task's sentence is a sentence of its own
    (it was read as the run's, and "…执业医师数…哪个市定得最低" answered with the beds' run)."""
    source = (
        "170\t包容普惠创新\t加强卫生人才队伍建设\t<p>完成每千人口床位数年度增长任务。"
        "（各市任务：南宁市 4.5%、柳州市 1.5%）</p> <p>完成每千人口拥有执业（助理）医师数年度"
        "增长任务。（各市任务：南宁市 2%、柳州市 1%）</p>\t2023 年 12 月 31 日\n"
    )
    text = "".join(p.text for p in _table_passages(source))
    assert "柳州市1.5%）\n完成每千人口拥有执业" in text
    # A line break tag in a cell means the same.
    broken = source.replace("</p> <p>", "<br/>")
    assert "柳州市1.5%）\n完成每千人口拥有执业" in "".join(p.text for p in _table_passages(broken))
