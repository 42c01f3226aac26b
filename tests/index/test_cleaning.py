"""The paragraph-break rule of index/cleaning: a blank line cutting a sentence (a PDF page
break) is a continuation; one after a title, heading, field label or table row is real.
The pairs are real paragraphs of the seed documents (corpus/)."""

import pytest

from index.chunking import chunk_unit, sentence_spans
from index.cleaning import LineIndex, clean_span, continues_sentence, reads_as_heading, strip_ws
from index.types import Unit

# (paragraph before the blank line, the opening of the paragraph after it): one sentence
# cut in two.
CUT_SENTENCES = [
    (  # 每周营商环境优秀案例 l.747
        "16、优化仲裁工作程序，“建立四化服务标准”，即咨询",
        "立案便捷化、案件办理规范化、仲裁宣传常态化、文明服务标准化，对前来咨询、立案的当事人，"
        "做到举止文明、服务优质、接待热情。",
    ),
    (  # 每周营商环境优秀案例 l.71
        "同时，重庆在全国率先建立公平竞争审查第三方评估机",
        "制，通过对 14 个市级部门、14 个区县及 32 个政府所属部门开展第三方评估，",
    ),
    (  # 每周营商环境优秀案例 l.205: an open quote continues
        "“现在的万州，人才、政策等要素应有尽有，我对公司",
        "的发展充满信心。”重庆林海实业集团有限公司负责人王敏说，",
    ),
    (  # 每周营商环境优秀案例 l.227: several sentences, the last one cut
        "三是实地检查，确保全员抓有效落实。东丽区政务服务",
        "办分管负责同志带领有关科室负责人，对街道“全员抓营商环境”工作落实情况进行实地检查，"
        "现场推动、指导各街道园区的涉企代员、“企业保姆”开展工作，",
    ),
    (  # 2023年广西优化营商环境工作要点 l.33: ends at a comma
        "（四）人力资源保障。优化就业服务，强化企业用工保障，",
        "开展整市推进产业工人队伍建设支持企业用工行动，",
    ),
    (  # 钦州实施方案 l.3: a title whose 《》 closes after the break
        "关于印发钦州市贯彻落实《广西提质",
        "增效优化营商环境若干措施》实施方案的通知",
    ),
]

# A title, heading, field label or value followed by what comes after it: a real break.
# (Long paragraphs after the break are given by their opening; the last three pairs are
# made up to pin the other rules.)
REAL_BREAKS = [
    (  # 每周营商环境优秀案例 l.49: case title, then its subtitle
        "重庆市：重拳出击反垄断反不正当竞争 优化营商环境",
        "近 3 年立案查处不正当竞争案件 245 件",
    ),
    (  # l.51: subtitle, then the body
        "近 3 年立案查处不正当竞争案件 245 件",
        "12月14日，市政府新闻办举行新闻发布会，介绍全市反垄断反不正当竞争工作",
    ),
    (  # l.191: a heading of two parallel clauses
        "在“实”字上下功夫，搭建政企沟通平台",
        "“察势者智，驭势者赢。哪里的服务质量好、办事效率高、投资成本低，",
    ),
    (  # l.355: a numbered heading
        "1、一窗受理、集成服务，报装、勘查、审批、验收四环节联动",
        "共享营业厅内常设“联合报装专班”，专班的运行采取烟台供电公司全国首创的“双经理”",
    ),
    (  # l.739: a section heading, then a numbered item
        "聚焦市场主体需求",
        "13、提升公共法律服务质效，充分发挥市、县（区）、乡镇（街道）、村（居）公共法律服",
    ),
    (  # 2023年广西优化营商环境十大先进典型示范案例 l.73: a field value, then a field label
        "玉林市打造公共法律服务云超市，精准赋能便民司法",
        "案例特色或亮点",
    ),
    (  # l.232: the reporting units, then a label
        "自治区市场监管局、自治区大数据发展局、自治区发展改革委",
        "主要内容",
    ),
    (  # 广西市场化营商环境典型案例 l.7: a numbered heading with a comma
        "一、用心服务，畅通政企沟通渠道",
        "自治区财政厅围绕企业需求主动靠前服务，着力帮助企业解",
    ),
    (  # a paragraph ending in a sentence mark is complete
        "下一步，将持续优化营商环境。",
        "立案便捷化、案件办理规范化。",
    ),
    (  # prose cut before a field label line
        "对前来咨询、立案的当事人，做到举止文明",
        "报送单位：兰州市司法局",
    ),
    (  # a table row is never continued
        "1\t开办企业\t进一步便利企业开立银行账户\t优化新登记企业开立银行账户流程，商业银行",
        "2\t开办企业\t便利企业分支机构、连锁门店信息变更",
    ),
]


@pytest.mark.parametrize(("before", "after"), CUT_SENTENCES)
def test_a_page_break_inside_a_sentence_is_a_continuation(before, after):
    assert continues_sentence(before, after)


@pytest.mark.parametrize(("before", "after"), REAL_BREAKS)
def test_a_break_after_a_title_heading_or_label_is_real(before, after):
    assert not continues_sentence(before, after)


def test_headings_are_short_phrases_not_cut_prose():
    assert reads_as_heading("构建全方位服务体系，从政务服务向公共服务转变")
    assert reads_as_heading("二、主要成效")
    assert not reads_as_heading("同时，重庆在全国率先建立公平竞争审查第三方评估机")
    assert not reads_as_heading("16、优化仲裁工作程序，“建立四化服务标准”，即咨询")
    assert not reads_as_heading("关于印发钦州市贯彻落实《广西提质")


def test_cleaned_text_joins_the_cut_sentence_and_keeps_the_title_apart():
    title = "重庆市：重拳出击反垄断反不正当竞争 优化营商环境"
    before, after = CUT_SENTENCES[0]
    source = f"{title}\n\n{before}\n\n{after}\n"
    text = clean_span(source).text
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    assert sentences[0] == strip_ws(title)
    assert sentences[1] == strip_ws(before + after)  # one sentence, across the break


def test_a_dropped_page_number_between_single_lines_is_not_a_blank_line():
    # Single-spaced text: the line break around a page number stays a line wrap.
    source = "推进政府采购全流程电子化\n— 3 —\n完成改造。"
    start = source.index("—")
    clean = clean_span(source, dropped=[(start, start + 5)])
    assert clean.text == "推进政府采购全流程电子化完成改造。"


def test_joined_passages_keep_exact_source_offsets_and_lines():
    parts = [REAL_BREAKS[0][0], *CUT_SENTENCES[0], *CUT_SENTENCES[1]] * 6
    source = "\n\n".join(parts) + "\n"
    unit = Unit(id="d#case001", doc="d.txt", kind="case", title="t", start=0, end=len(source))
    passages = chunk_unit(source, unit, (), LineIndex(source), target=120, max_len=200)
    assert len(passages) > 1
    assert any("即咨询立案便捷化" in p.text for p in passages)
    for p in passages:
        assert strip_ws(p.text) == strip_ws(source[p.start : p.end])
        assert source.count("\n", 0, p.start) + 1 == p.line_start
        assert source.count("\n", 0, p.end - 1) + 1 == p.line_end
