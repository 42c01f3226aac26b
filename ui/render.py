"""HTML for the page. Pure functions: values in, escaped HTML out (no Gradio, no index).

Every piece of text from a document or from the user goes through `esc`. Clickable things
carry data attributes that the page's small scripts (see `CLICK_JS`, `VIEWER_JS`) turn
into events:

* ``data-open="<ref>"`` opens a source in the viewer; `<ref>` is made by `open_ref`;
* ``data-copy="<text>"`` copies the text (the citation) to the clipboard;
* ``data-close`` closes the viewer;
* ``data-basket="<json>"`` adds an entry to the briefing basket (see `ui.basket`);
* ``data-compare="<id,id…>"`` opens the comparison of those cases or measures.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from index.structure.common import FIELD_LABELS
from index.types import KIND_NAMES
from search.answer import NOTICE_UNSURE, readable_row
from search.compose import field_value
from search.searcher import SearchResult, UnitGroup, group_by_unit, highlight_terms

SCOPES = ("unit", "doc")

_MARKER = re.compile(r"\[(\d+)\]")


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# ------------------------------------------------------------------ small pieces


def notice(message: str, kind: str = "info") -> str:
    """A message box; kind is info | warn | error | ok."""
    return f'<div class="ys-notice ys-{esc(kind)}" role="status">{esc(message)}</div>'


def empty_state(title: str, hint: str = "") -> str:
    body = f"<p>{esc(hint)}</p>" if hint else ""
    return f'<div class="ys-empty"><p class="ys-empty-title">{esc(title)}</p>{body}</div>'


def open_ref(kind: str, ident: str, scope: str = "unit") -> str:
    """Reference to a source for the viewer: kind "p" (passage id) or "u" (unit id)."""
    return f"{kind}|{ident}|{scope}"


def parse_ref(ref: str) -> tuple[str, str, str]:
    """(kind, ident, scope) from `open_ref`; raises ValueError on anything else."""
    kind, sep, rest = (ref or "").partition("|")
    ident, sep2, scope = rest.rpartition("|")
    if not sep or not sep2 or kind not in ("p", "u") or not ident or scope not in SCOPES:
        raise ValueError(f"bad source reference {ref!r}")
    return kind, ident, scope


def copy_button(text: str, label: str = "复制引用") -> str:
    return (
        f'<button type="button" class="ys-btn ys-copy" data-copy="{esc(text)}" '
        f'title="复制到剪贴板">{esc(label)}</button>'
    )


def render_text(
    text: str,
    terms: Sequence[str] = (),
    quotes: Iterable[tuple[int, int]] = (),
    labels: Sequence[tuple[int, int]] = (),
) -> str:
    """Escaped text with query terms in <mark>, quoted spans (cited sentences) underlined and
    the field labels at `labels` set apart (`.ys-label`, which adds the "：" the source lacks)."""
    spans = sorted((max(0, a), min(len(text), b)) for a, b in quotes if b > a)
    out, pos = [], 0
    for a, b in sorted(labels):
        out.append(_quoted(text, pos, a, spans, terms))
        out.append(f'<span class="ys-label">{esc(text[a:b])}</span>')
        pos = b
    out.append(_quoted(text, pos, len(text), spans, terms))
    return "".join(out)


def _quoted(
    text: str, start: int, end: int, spans: Sequence[tuple[int, int]], terms: Sequence[str]
) -> str:
    """text[start:end] with the parts of `spans` inside it underlined."""
    out, pos = [], start
    for a, b in spans:
        a, b = max(a, pos), min(b, end)
        if b <= a:
            continue
        out.append(_terms(text[pos:a], terms))
        out.append(f'<span class="ys-quote">{_terms(text[a:b], terms)}</span>')
        pos = b
    out.append(_terms(text[pos:end], terms))
    return "".join(out)


# A case's field label at the start of a line of its passage ("指标名称办理破产", "主要内容"):
# the index keeps label and value glued; the card shows the label apart.
_LABEL_LINE = re.compile(rf"(?m)^(?:{'|'.join(FIELD_LABELS)})(?=[^：:\n]|\n|$)")


def label_spans(text: str) -> list[tuple[int, int]]:
    """Where the field labels that open lines of `text` are."""
    return [m.span() for m in _LABEL_LINE.finditer(text)]


def _terms(text: str, terms: Sequence[str]) -> str:
    if not text:
        return ""
    if not terms:
        return esc(text)
    return "".join(
        f"<mark>{esc(piece)}</mark>" if hit else esc(piece)
        for piece, hit in highlight_terms(text, tuple(terms))
    )


def highlighted(text: str, terms: tuple[str, ...]) -> str:
    return _terms(text, terms)


def unit_meta(unit, doc_region: str = "") -> str:
    """Small badges for the unit's fields (kind, region, indicator, units, deadline)."""
    items = [
        ("类型", KIND_NAMES.get(unit.kind, unit.kind)),
        ("地区", unit.region or doc_region),
        ("指标", unit.indicator or unit.direction),
        ("报送/实施单位", unit.org),
        ("牵头单位", field_value(unit, "牵头单位")),
        ("配合单位", field_value(unit, "配合单位")),
        ("完成时限", unit.deadline),
    ]
    return "".join(f'<span class="ys-badge"><b>{esc(k)}</b> {esc(v)}</span>' for k, v in items if v)


def basket_button(entry: Mapping, label: str = "加入简报") -> str:
    """Adds `entry` (a `ui.basket` entry: ids only) to the briefing basket."""
    data = json.dumps(dict(entry), ensure_ascii=False, separators=(",", ":"))
    return (
        f'<button type="button" class="ys-btn ys-add-basket" data-basket="{esc(data)}" '
        f'title="加入简报，可在“简报”中排序、对比和导出">{esc(label)}</button>'
    )


def unit_entry(unit, passage_id: str = "") -> dict:
    """The basket entry of a result card: the case or measure, else the passage."""
    if unit.kind in ("case", "measure") or not passage_id:
        return {"k": "unit", "u": unit.id}
    return {"k": "passage", "p": passage_id}


def compare_button(unit_ids: Sequence[str], label: str) -> str:
    if len(unit_ids) < 2:
        return ""
    return (
        f'<button type="button" class="ys-btn ys-compare" data-compare="{esc(",".join(unit_ids))}" '
        f'title="在“简报”中并列对比">{esc(label)}</button>'
    )


def doc_line(doc_title: str, info: str = "") -> str:
    """《title》 with the document's 发文机关 · 文号 · 日期 when known."""
    extra = f'<span class="ys-doc-info"> · {esc(info)}</span>' if info else ""
    return f'<div class="ys-doc">《{esc(doc_title)}》{extra}</div>'


def _cite_line(label: str) -> str:
    return (
        f'<div class="ys-cite"><span class="ys-cite-text">{esc(label)}</span>'
        f"{copy_button(label)}</div>"
    )


# ------------------------------------------------------------------ search


def passage_block(
    hit,
    terms: Sequence[str],
    quotes: Iterable[tuple[int, int]] = (),
    sentences: Sequence[str] = (),
) -> str:
    p = hit.passage
    section = (
        f'<div class="ys-section">{esc(p.section)}</div>'
        if p.section and p.section != hit.unit.title
        else ""
    )
    text = p.text
    if row := readable_row(hit):  # a task-table row reads as its fields, not glued columns
        text, quotes = row, [(0, len(row))] if list(quotes) else []
    return (
        f'<div class="ys-passage" data-open="{esc(open_ref("p", p.id))}"{quote_attr(sentences)} '
        'title="点击查看原文">'
        f"{section}<p>{render_text(text, terms, quotes, label_spans(text))}</p></div>"
        f"{_cite_line(hit.citation.label())}"
    )


def group_card(
    group: UnitGroup,
    terms: tuple[str, ...],
    n: int | None = None,
    card_id: str = "",
    docs: Mapping[str, str] | None = None,
) -> str:
    first = group.hits[0]
    number = first.rank if n is None else n
    passages = "".join(passage_block(h, terms) for h in group.hits)
    ident = f' id="{esc(card_id)}"' if card_id else ""
    return (
        f'<article class="ys-card"{ident} data-unit="{esc(group.unit.id)}">'
        f'<div class="ys-card-head"><span class="ys-rank">{number}</span>'
        f'<a href="#" class="ys-title" data-open="{esc(open_ref("p", first.passage.id))}" '
        f'title="查看原文">{esc(group.unit.title)}</a></div>'
        f"{doc_line(group.doc_title, (docs or {}).get(group.unit.doc, ''))}"
        f'<div class="ys-meta">{unit_meta(group.unit)}</div>{passages}'
        f'<div class="ys-actions">{_open_button(first.passage.id)}{similar_button(group.unit)}'
        f"{basket_button(unit_entry(group.unit, first.passage.id))}</div></article>"
    )


def _open_button(passage_id: str, label: str = "查看原文", quoted: Sequence[str] = ()) -> str:
    return (
        f'<button type="button" class="ys-btn ys-open" '
        f'data-open="{esc(open_ref("p", passage_id))}"{quote_attr(quoted)}>{esc(label)}</button>'
    )


SIMILAR_LABELS = {"case": "查找相似案例", "measure": "查找相似措施"}


def similar_button(unit) -> str:
    """ "Find similar" for a case or a measure (opens the 相似案例 tab); "" for other units."""
    label = SIMILAR_LABELS.get(unit.kind)
    if not label:
        return ""
    return (
        f'<button type="button" class="ys-btn ys-find-similar" data-similar="{esc(unit.id)}" '
        f'title="在“相似案例”中查看与它相似的{KIND_NAMES[unit.kind]}">{label}</button>'
    )


def results_html(
    result: SearchResult,
    grouped: bool = True,
    filters_text: str = "",
    prefix: str = "ys-search",
    docs: Mapping[str, str] | None = None,
) -> str:
    """Result cards (one per case/measure when grouped) with a count and the time taken."""
    parts = []
    if result.message:
        kind = "warn" if not result.hits else "info"
        parts.append(notice(result.message, kind))
    if not result.hits:
        if not result.message:
            parts.append(notice("没有找到相关内容，请换个说法试试。", "warn"))
        return "".join(parts)
    groups = (
        group_by_unit(result.hits)
        if grouped
        else [UnitGroup(h.unit, h.doc_title, (h,)) for h in result.hits]
    )
    where = f"（筛选：{esc(filters_text)}）" if filters_text else ""
    merged = f"，归并为 {len(groups)} 个案例/措施" if grouped else ""
    comparable = [g.unit.id for g in groups if g.unit.kind in ("case", "measure")]
    top = list(dict.fromkeys(comparable))[:3]
    parts.append(
        f'<div class="ys-summary ys-summary-row" data-count="{len(groups)}"><span>'
        f"找到 {len(result.hits)} 段相关内容{merged}{where}，用时 {result.took_ms:.0f} 毫秒</span>"
        f"{compare_button(top, f'对比前 {len(top)} 项')}</div>"
    )
    parts.extend(
        group_card(g, result.query_terms, n, f"{prefix}-card-{n}", docs)
        for n, g in enumerate(groups, 1)
    )
    return "".join(parts)


# ------------------------------------------------------------------ answers


def answer_html(answer, prefix: str = "ys-ask") -> str:
    """The answer text with [n] as links to source card n; when not confident only the
    notice (the best sources follow as cards): an unsure answer invites copying."""
    parts = []
    if answer.notice:
        parts.append(notice(answer.notice, "info" if answer.confident else "warn"))
    elif answer.text and not answer.confident:
        parts.append(notice(NOTICE_UNSURE, "warn"))
    if answer.text and answer.confident:
        body = "<br>".join(
            _MARKER.sub(lambda m: _cite_link(m, answer, prefix), esc(line)) for line in answer.lines
        )
        cited = [h.passage.id for h in answer.cited_hits]
        entry = {"k": "answer", "t": answer.text, "p": cited}
        parts.append(
            f'<div class="ys-answer"><div class="ys-answer-title">回答</div><p>{body}</p>'
            f'<div class="ys-actions">{basket_button(entry, "把回答加入简报")}</div></div>'
        )
    elif not answer.hits and not answer.notice:
        parts.append(notice("没有找到相关内容，请换个说法试试。", "warn"))
    return "".join(parts)


def _cite_link(match: re.Match, answer, prefix: str) -> str:
    n = int(match.group(1))
    if not 1 <= n <= len(answer.hits):
        return match.group(0)
    hit = answer.hits[n - 1]
    label = hit.citation.label()
    quoted = [s for s, k in answer.sentences if k == n]
    return (
        f'<a class="ys-cite-link" href="#{prefix}-src-{n}" data-card="{prefix}-src-{n}" '
        f'data-open="{esc(open_ref("p", hit.passage.id))}"{quote_attr(quoted)} '
        f'title="来源 {n}：{esc(label)}">[{n}]</a>'
    )


def quote_attr(sentences: Sequence[str]) -> str:
    """The cited sentences of a source, for the viewer to highlight (not the whole passage)."""
    if not sentences:
        return ""
    return f' data-quote="{esc(json.dumps(list(sentences), ensure_ascii=False))}"'


MAX_CARDS_PER_UNIT = 2  # so one case's six passages do not push the other places off the page
MAX_SOURCE_CARDS = 8


def source_cards(
    hits: Sequence, keep: int, per_unit: int = MAX_CARDS_PER_UNIT, limit: int = MAX_SOURCE_CARDS
) -> list:
    """The hits shown as source cards: the first `keep` always (they are cited: card n is
    [n]), then the others in rank order, at most `per_unit` cards per case or measure (the
    kept ones count) and `limit` cards in all."""
    shown = list(hits[:keep])
    per: dict[str, int] = {}
    for hit in shown:
        per[hit.unit.id] = per.get(hit.unit.id, 0) + 1
    for hit in hits[keep:]:
        if len(shown) >= limit:
            break
        if per.get(hit.unit.id, 0) < per_unit:
            per[hit.unit.id] = per.get(hit.unit.id, 0) + 1
            shown.append(hit)
    return shown


def sources_html(
    answer,
    terms: Sequence[str] = (),
    prefix: str = "ys-ask",
    keep: int | None = None,
    docs: Mapping[str, str] | None = None,
) -> str:
    """Numbered source cards: card n is the source of [n]; then other related passages, at
    most two per case or measure (see `source_cards`). `keep`: how many leading cards the
    text may cite (default: the answer's citations); `docs`: document line per document."""
    if not answer.hits:
        return ""
    cited = len(answer.citations)
    quotes: dict[int, list[str]] = {}
    for sentence, n in answer.sentences:
        quotes.setdefault(n, []).append(sentence)
    parts = []
    cards = source_cards(answer.hits, cited if keep is None else keep)
    for n, hit in enumerate(cards, 1):
        if n == 1 and cited:
            parts.append('<h3 class="ys-sources-title">引用来源</h3>')
        if n == cited + 1:
            title = "其他相关内容" if cited else "最相关的内容"
            parts.append(f'<h3 class="ys-sources-title">{title}</h3>')
        spans = _find_spans(hit.passage.text, quotes.get(n, ()))
        parts.append(
            f'<article class="ys-card ys-source-card" id="{prefix}-src-{n}">'
            f'<div class="ys-card-head"><span class="ys-rank">[{n}]</span>'
            f'<a href="#" class="ys-title" data-open="{esc(open_ref("p", hit.passage.id))}" '
            f'title="查看原文">{esc(hit.unit.title)}</a></div>'
            f"{doc_line(hit.doc_title, (docs or {}).get(hit.unit.doc, ''))}"
            f'<div class="ys-meta">{unit_meta(hit.unit)}</div>'
            f"{passage_block(hit, terms, spans, quotes.get(n, ()))}"
            f'<div class="ys-actions">{_open_button(hit.passage.id, quoted=quotes.get(n, ()))}'
            f"{similar_button(hit.unit)}{basket_button({'k': 'passage', 'p': hit.passage.id})}"
            "</div></article>"
        )
    return "".join(parts)


def _find_spans(text: str, sentences: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for s in sentences:
        core = s.rstrip("。；;，, ")
        i = text.find(core) if core else -1
        if i >= 0:
            spans.append((i, i + len(core)))
    return spans


# ------------------------------------------------------------------ similar


@dataclass(frozen=True)
class SimilarView:
    """What the similar-case card needs beyond `SimilarItem`: where to open it."""

    item: object  # search.similar.SimilarItem
    passage_id: str  # the neighbour's passage of the best pair ("" if unknown)
    duplicate_titles: tuple[tuple[str, str], ...] = ()  # (doc title, unit title)


SCORE_TIP = (
    "综合得分：语义相近程度与共同关键词加权，越高越相似；"
    "只用于本次结果之间的比较（与其他候选相比的相对值，可能为负数）"
)


def similar_html(
    query_title: str,
    views: Sequence[SimilarView],
    duplicates=(),
    query_label: str = "",
    kind: str = "case",
    query_id: str = "",
    docs: Mapping[str, str] | None = None,
) -> str:
    """Neighbour cards: score, why similar (indicator, shared terms), best passage pair.

    `kind` is the query's kind ("case" or "measure"); `query_label` names the query side
    of the passage pair ("所选案例" by default, "你的描述" for pasted text); `duplicates`
    are (doc title, unit title) of other reports of the query case itself; `query_id` (the
    chosen case's id) offers comparing it with its first three neighbours."""
    noun = KIND_NAMES.get(kind, "内容")
    query_label = query_label or f"所选{noun}"
    note = "已排除它本身；" if query_label == f"所选{noun}" else ""
    ids = [query_id] if query_id else []
    ids += [v.item.unit.id for v in views if v.item.unit.kind in ("case", "measure")][:3]
    label = f"与前 {len(ids) - 1} 条并列对比" if query_id else f"对比前 {len(ids)} 条"
    parts = [
        f'<div class="ys-similar-head">与 <b>{esc(query_title)}</b> 相似的{noun}：{len(views)} 条'
        f'<span class="ys-summary">（{note}同一案例的多个来源合并为一条）</span>'
        f"{compare_button(ids, label)}</div>"
    ]
    if duplicates:
        items = "".join(f"<li>《{esc(d)}》{esc(u)}</li>" for d, u in duplicates)
        parts.append(
            f'<div class="ys-dups"><b>它在其他文档中的报道（同一案例，未列为相似）</b>'
            f"<ul>{items}</ul></div>"
        )
    if not views:
        parts.append(notice(f"没有找到相似的{noun}。", "warn"))
    for n, view in enumerate(views, 1):
        parts.append(_similar_card(n, view, query_label, docs))
    return "".join(parts)


def _similar_card(
    n: int, view: SimilarView, query_label: str = "所选案例", docs: Mapping[str, str] | None = None
) -> str:
    item = view.item
    unit = item.unit
    noun = KIND_NAMES.get(unit.kind, "内容")
    ref = open_ref("p", view.passage_id) if view.passage_id else open_ref("u", unit.id)
    why = []
    if item.indicator:
        label = "同一指标" if item.same_indicator else "指标"
        why.append(f'<span class="ys-badge"><b>{label}</b> {esc(item.indicator)}</span>')
    if item.shared_terms:
        terms = "".join(f'<span class="ys-term">{esc(t)}</span>' for t in item.shared_terms)
        why.append(f'<span class="ys-why-terms"><b>共同关键词</b> {terms}</span>')
    # The reason sentence says the same as the badges, the pair and the sources below: it is
    # the row's tooltip (and the CLI's text), not printed twice.
    reason = (
        f'<div class="ys-why ys-reason" title="{esc(item.reason)}">'
        f'<span class="ys-why-label">相似原因</span>{"".join(why)}</div>'
    )
    mine, theirs = item.passage_pair
    pair = ""
    if mine or theirs:
        pair = (
            f'<div class="ys-pair-head">最相近的一对段落（相似度 {item.pair_score:.2f}）</div>'
            '<div class="ys-pair">'
            f'<div class="ys-pair-side"><div class="ys-pair-label">{esc(query_label)}</div>'
            f"<p>{esc(mine)}</p></div>"
            f'<div class="ys-pair-side" data-open="{esc(ref)}" title="点击查看原文">'
            f'<div class="ys-pair-label">相似{noun}</div><p>{esc(theirs)}</p></div></div>'
        )
    dups = ""
    if view.duplicate_titles:
        items = "".join(f"<li>《{esc(d)}》{esc(u)}</li>" for d, u in view.duplicate_titles)
        dups = (
            '<div class="ys-dups"><b>同一案例的其他来源（已合并，不重复列出）</b>'
            f"<ul>{items}</ul></div>"
        )
    return (
        f'<article class="ys-card ys-similar-card" id="ys-similar-card-{n}" '
        f'data-unit="{esc(unit.id)}"><div class="ys-card-head"><span class="ys-rank">{n}</span>'
        f'<a href="#" class="ys-title" data-open="{esc(ref)}" title="查看原文">'
        f"{esc(unit.title)}</a>"
        f'<span class="ys-score" title="{SCORE_TIP}">得分 {item.score:.2f}</span></div>'
        f"{doc_line(item.doc_title, (docs or {}).get(unit.doc, ''))}"
        f'<div class="ys-meta">{unit_meta(unit)}</div>{reason}{pair}{dups}'
        f'<div class="ys-actions"><button type="button" class="ys-btn ys-open" '
        f'data-open="{esc(ref)}">查看原文</button>{similar_button(unit)}'
        f"{basket_button({'k': 'similar', 'u': unit.id, 'n': item.reason})}</div></article>"
    )


# ------------------------------------------------------------------ source viewer


def source_view(
    *,
    text: str,
    doc: str,
    doc_title: str,
    unit,
    passage,
    citation: str,
    scope: str,
    ref_kind: str,
    ref_ident: str,
    quotes: Sequence[tuple[int, int]] = (),
    download: str = "",
) -> str:
    """The whole unit (or document) with line numbers; the cited passage highlighted.

    With `quotes` (document offsets of the sentences an answer cited) only those are
    marked and the rest of the passage is shaded, so a reader sees what was quoted.
    The first marked line has class ``ys-target``: the viewer's script scrolls it into
    view whenever the viewer changes. `download` is the link to the original file.
    """
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    if scope == "doc":
        first, last = 0, len(lines) - 1
    else:
        first = _line_of(starts, unit.start)
        last = _line_of(starts, max(unit.start, unit.end - 1))
    hl = (passage.start, passage.end) if passage is not None else (-1, -1)
    marks = sorted(quotes) if quotes else ([hl] if hl[0] >= 0 else [])
    shade = hl if quotes else (-1, -1)
    rows, target_done = [], False
    for i in range(first, last + 1):
        a = starts[i]
        line = lines[i].rstrip("\r")
        b = a + len(line)
        classes = ["ys-line"]
        if scope == "doc" and unit.start < b + 1 and a < unit.end:
            classes.append("ys-in-unit")
        body, marked = _marked_line(line, a, marks, shade)
        if marked and not target_done:
            classes.append("ys-target")
            target_done = True
        rows.append(
            f'<div class="{" ".join(classes)}"><span class="ys-ln">{i + 1}</span>'
            f'<span class="ys-tx">{body}</span></div>'
        )
    other = "doc" if scope == "unit" else "unit"
    toggle_label = "查看全文" if scope == "unit" else "只看本单元"
    scope_label = "全文" if scope == "doc" else KIND_NAMES.get(unit.kind, "单元") + "原文"
    toggle = (
        f'<button type="button" class="ys-btn" data-open="{esc(open_ref(ref_kind, ref_ident, other))}">'
        f"{toggle_label}</button>"
    )
    close = '<button type="button" class="ys-btn ys-close" data-close="1">关闭</button>'
    original = (
        f'<a class="ys-btn ys-download" href="{esc(download)}" download '
        f'title="下载资料库中的原始文件">下载原文件</a>'
        if download
        else ""
    )
    note = (
        '<div class="ys-summary ys-quote-note">黄色标出的是回答引用的句子，浅色底是所在段落。</div>'
        if quotes
        else ""
    )
    return (
        f'<section class="ys-viewer" data-scope="{esc(scope)}">'
        f'<div class="ys-viewer-head"><div class="ys-viewer-title">{esc(unit.title)}</div>'
        f'<div class="ys-doc">《{esc(doc_title)}》 · {esc(doc)} · {scope_label}</div>'
        f'<div class="ys-meta">{unit_meta(unit)}</div>'
        f'<div class="ys-cite-box"><label>引用（可选中复制）</label>'
        f'<textarea class="ys-cite-input" readonly rows="2" onfocus="this.select()">'
        f"{esc(citation)}</textarea></div>"
        f'<div class="ys-actions">{copy_button(citation)}{toggle}{original}{close}</div>'
        f"{note}</div>"
        f'<div class="ys-source" tabindex="0">{"".join(rows)}</div></section>'
    )


def _marked_line(
    line: str, a: int, marks: Sequence[tuple[int, int]], shade: tuple[int, int]
) -> tuple[str, bool]:
    """A line (starting at document offset `a`) with `marks` in <mark> and the `shade`
    span (the cited passage around quoted sentences) in a lighter background."""
    b = a + len(line)
    cuts = {a, b}
    for s, e in (*marks, shade):
        cuts.update(x for x in (s, e) if a < x < b)
    out, marked = [], False
    points = sorted(cuts)
    for s, e in zip(points, points[1:], strict=False):
        piece = esc(line[s - a : e - a])
        if any(ms <= s and e <= me for ms, me in marks):
            out.append(f"<mark class='ys-hit'>{piece}</mark>")
            marked = True
        elif shade[0] <= s and e <= shade[1]:
            out.append(f"<span class='ys-shade'>{piece}</span>")
        else:
            out.append(piece)
    return "".join(out) or "&nbsp;", marked


def _line_of(starts: list[int], pos: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(starts, pos) - 1)


# ------------------------------------------------------------------ library


@dataclass(frozen=True)
class DocRow:
    doc: str
    title: str
    doc_type: str
    units: str  # e.g. "案例 10，章节 1"
    passages: int
    added: str
    warnings: tuple[str, ...] = ()
    info: str = ""  # 发文机关 · 文号 · 日期 · 地区 when known


def library_table(rows: Sequence[DocRow]) -> str:
    if not rows:
        return empty_state(
            "资料库中还没有文档。", "请在上方上传 .txt、.md、.docx、.pdf 或 .html 文件。"
        )
    head = "".join(f"<th>{h}</th>" for h in ("文档", "类型", "案例/措施", "段落", "添加时间"))
    body = []
    for r in rows:
        warn = f'<div class="ys-warnings">{esc("；".join(r.warnings))}</div>' if r.warnings else ""
        body.append(
            "<tr>"
            f'<td data-label="文档"><div class="ys-doc-title">{esc(r.title)}</div>'
            f'<div class="ys-doc-file">{esc(r.doc)}</div>'
            f"{f'<div class=ys-doc-info>{esc(r.info)}</div>' if r.info else ''}{warn}</td>"
            f'<td data-label="类型">{esc(r.doc_type)}</td>'
            f'<td data-label="案例/措施">{esc(r.units)}</td>'
            f'<td data-label="段落">{r.passages}</td>'
            f'<td data-label="添加时间">{esc(r.added)}</td>'
            "</tr>"
        )
    return (
        f'<div class="ys-summary">共 {len(rows)} 份文档</div>'
        f'<table class="ys-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


# ------------------------------------------------------------------ scripts and style

# Click delegation for result HTML: open a source, copy a citation, jump to a card.
CLICK_JS = r"""
const ysCopy = (text, btn) => {
  const done = () => { const old = btn.textContent; btn.textContent = '已复制';
    setTimeout(() => { btn.textContent = old; }, 1500); };
  const fallback = () => { const ta = document.createElement('textarea'); ta.value = text;
    ta.style.position = 'fixed'; ta.style.opacity = '0'; document.body.appendChild(ta);
    ta.select(); try { document.execCommand('copy'); } catch (e) {} ta.remove(); done(); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else { fallback(); }
};
element.addEventListener('click', (e) => {
  const copy = e.target.closest('[data-copy]');
  if (copy) { e.preventDefault(); e.stopPropagation(); ysCopy(copy.dataset.copy, copy); return; }
  if (e.target.closest('.ys-cite-input')) return;
  const close = e.target.closest('[data-close]');
  if (close) { e.preventDefault(); trigger('click', {close: '1'}); return; }
  const basket = e.target.closest('[data-basket]');
  if (basket) {
    e.preventDefault();
    basket.textContent = '已加入简报';
    basket.classList.add('ys-added');
    trigger('click', {basket: basket.dataset.basket});
    return;
  }
  const compare = e.target.closest('[data-compare]');
  if (compare) { e.preventDefault(); trigger('click', {compare: compare.dataset.compare}); return; }
  const similar = e.target.closest('[data-similar]');
  if (similar) {
    e.preventDefault();
    window.scrollTo({top: 0});
    trigger('click', {similar: similar.dataset.similar});
    return;
  }
  const open = e.target.closest('[data-open]');
  if (!open) return;
  if (window.getSelection && String(window.getSelection()).length > 0 && !open.matches('a,button')) return;
  e.preventDefault();
  const root = element.closest('.ys-tab') || document;
  root.querySelectorAll('.ys-active').forEach((x) => x.classList.remove('ys-active'));
  const card = open.dataset.card ? document.getElementById(open.dataset.card) : open.closest('.ys-card');
  if (card) card.classList.add('ys-active');
  trigger('click', {open: open.dataset.open, quote: open.dataset.quote || ''});
});
"""

# The viewer additionally scrolls the highlighted passage into view whenever it changes.
VIEWER_JS = (
    CLICK_JS
    + r"""
const ysScroll = () => {
  // Bring the viewer (with its citation and buttons) into view, then scroll its text box so
  // the highlighted passage sits in the upper third of it.
  const v = element.querySelector('.ys-viewer');
  if (!v) return;
  v.scrollIntoView({block: 'start'});
  const t = element.querySelector('.ys-target');
  const box = element.querySelector('.ys-source');
  if (t && box) {
    box.scrollTop += t.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 4;
    const r = t.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight - 40) t.scrollIntoView({block: 'center'});
  }
};
watch('value', () => setTimeout(ysScroll, 30));
setTimeout(ysScroll, 30);
"""
)

CSS = """
.gradio-container{max-width:1180px !important;width:100% !important;margin:0 auto}
.gradio-container, .gradio-container *{box-sizing:border-box}
.ys-header h2{margin:.2em 0 .1em}
/* our HTML lines up with the inputs; action buttons keep a button's height beside a tall input */
.gradio-container .html-container{padding-left:0 !important;padding-right:0 !important}
.ys-go{align-self:flex-end !important;min-height:42px;margin-bottom:10px}
/* Gradio's busy indicator says "processing | 0.3s" (fixed English): show Chinese instead */
[data-testid=status-tracker] .progress-text{font-size:0 !important}
[data-testid=status-tracker] .progress-text::before{content:"正在处理…";font-size:12px}
/* … and its upload area follows the browser's language: always Chinese here */
#ys-upload [data-testid=upload-text]{font-size:0 !important}
#ys-upload [data-testid=upload-text] .or{display:none}
#ys-upload [data-testid=upload-text] .icon-wrap{font-size:16px}
#ys-upload [data-testid=upload-text]::after{content:"将文件拖放到此处，或点击选择文件（可多选）";
  font-size:15px;display:block;line-height:1.6}
/* HTML outputs with nothing in them (viewer closed, no sources yet) take no room */
.ys-autohide:has(.html-container > .prose:empty){display:none !important}
.ys-card{border:1px solid #d9dee7;border-radius:10px;padding:12px 14px;margin:10px 0;background:#fff;
  overflow-wrap:anywhere;word-break:break-word;max-width:100%}
.ys-card.ys-active{border-color:#1f5fbf;box-shadow:0 0 0 2px #c9dafc}
.ys-card-head{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline}
.ys-rank{background:#1f5fbf;color:#fff;border-radius:6px;padding:0 7px;font-weight:600;flex:none}
.ys-title{font-weight:600;font-size:1.05em;color:#14213d !important;text-decoration:none;cursor:pointer;
  flex:1 1 12em;min-width:0;text-align:left}
.ys-title:hover{text-decoration:underline}
.ys-score{color:#1f5fbf;font-size:.9em;flex:none}
.ys-doc{color:#5c6675;font-size:.9em;margin:2px 0 6px;overflow-wrap:anywhere}
.ys-meta{display:flex;flex-wrap:wrap;gap:4px}
.ys-badge{display:inline-block;background:#eef3fb;border-radius:6px;padding:1px 7px;font-size:.85em;
  max-width:100%;overflow-wrap:anywhere}
.ys-section{color:#1f5fbf;font-size:.85em;margin-top:6px}
.ys-passage{cursor:pointer;border-left:3px solid transparent;padding-left:6px;margin-left:-9px}
.ys-passage:hover{border-left-color:#c9dafc}
.ys-passage p{margin:6px 0;line-height:1.75;overflow-wrap:anywhere;white-space:pre-line}
.ys-label{font-weight:600;color:#475569}
.ys-label::after{content:"："}
.ys-quote{text-decoration:underline;text-decoration-color:#1f5fbf;text-underline-offset:3px;
  background:#f1f6ff}
.ys-cite{display:flex;flex-wrap:wrap;gap:6px;align-items:center;color:#5c6675;font-size:.85em;
  margin-bottom:4px}
.ys-cite-text{overflow-wrap:anywhere;user-select:text;flex:1 1 14em;min-width:0}
.ys-btn{border:1px solid #c9d3e3 !important;background:#f7f9fc !important;border-radius:6px !important;
  padding:2px 9px !important;font-size:13px !important;line-height:1.6 !important;margin:0 !important;
  cursor:pointer;color:#14213d !important;white-space:nowrap;height:auto !important}
.ys-btn:hover{background:#e3ecfa !important}
.ys-actions{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.ys-notice{padding:8px 12px;border-radius:8px;background:#eef3fb;border:1px solid #c9dafc;margin:6px 0;
  overflow-wrap:anywhere}
.ys-warn{background:#fff7e6;border-color:#f0d9a8}
.ys-error{background:#fdecec;border-color:#f2b8b5}
.ys-ok{background:#ecf8ef;border-color:#b5e0c0}
.ys-summary{color:#5c6675;font-size:.9em;margin:6px 0}
.ys-empty{color:#5c6675;padding:14px;border:1px dashed #d9dee7;border-radius:10px;margin:8px 0}
.ys-empty-title{font-weight:600;margin:0 0 4px}
.ys-empty p{margin:2px 0}
.ys-answer{border:1px solid #b5cdf5;background:#f6f9ff;border-radius:10px;padding:12px 14px;margin:8px 0}
.ys-answer.ys-unsure{border-color:#f0d9a8;background:#fffcf4}
.ys-answer-title{font-weight:600;color:#1f5fbf;margin-bottom:4px}
.ys-answer p{margin:0;line-height:1.9;font-size:1.05em;overflow-wrap:anywhere}
.ys-cite-link{color:#1f5fbf !important;font-weight:600;text-decoration:none;padding:0 1px;cursor:pointer}
.ys-cite-link:hover{text-decoration:underline}
.ys-sources-title{font-size:1em;margin:2px 0 2px;color:#14213d}
.ys-why{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0}
.ys-why-terms{font-size:.85em}
.ys-why-label{font-size:.85em;color:#5c6675}
.ys-similar-head{font-weight:600;margin:8px 0 4px;color:#14213d}
.ys-similar-head .ys-summary{font-weight:400;margin-left:4px}
.ys-pair-head{font-size:.85em;color:#5c6675;margin-top:6px}
.ys-term{display:inline-block;background:#ffe58f;border-radius:5px;padding:0 6px;margin:1px 3px 1px 0}
.ys-reason{color:#3d4756;font-size:.9em;margin:4px 0}
.ys-pair{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0;align-items:flex-start}
.ys-pair-side{flex:1 1 260px;min-width:0;background:#f7f9fc;border-radius:8px;padding:6px 9px}
.ys-pair-side[data-open]{cursor:pointer}
.ys-pair-side p{margin:2px 0;line-height:1.7;font-size:.92em;overflow-wrap:anywhere;
  display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:6;overflow:hidden}
.ys-pair-label{font-size:.8em;color:#5c6675}
.ys-dups{background:#f7f9fc;border-radius:8px;padding:6px 10px;margin:6px 0;font-size:.9em}
.ys-dups ul{margin:2px 0 0 1.2em;padding:0}
.ys-viewer{border:2px solid #1f5fbf;border-radius:10px;margin:10px 0;background:#fff;max-width:100%}
.ys-viewer-head{padding:10px 14px;border-bottom:1px solid #d9dee7}
.ys-viewer-title{font-weight:600;font-size:1.05em;overflow-wrap:anywhere}
.ys-cite-box{display:flex;flex-direction:column;gap:2px;margin:6px 0}
.ys-cite-box label{font-size:.8em;color:#5c6675}
.ys-cite-input{width:100%;border:1px solid #d9dee7;border-radius:6px;padding:4px 8px;font-size:.9em;
  background:#f7f9fc;min-width:0;resize:none;field-sizing:content;line-height:1.5;font-family:inherit}
.ys-source{max-height:60vh;overflow-y:auto;overflow-x:hidden;padding:8px 0;font-size:.95em}
.ys-line{display:flex;gap:8px;padding:0 10px;line-height:1.75}
.ys-line.ys-in-unit{background:#f7f9fc}
.ys-ln{flex:none;width:3.2em;text-align:right;color:#9aa3af;user-select:none;font-variant-numeric:tabular-nums}
.ys-tx{flex:1;min-width:0;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
mark{background:#ffe58f;padding:0 1px;color:inherit}
mark.ys-hit{background:#ffd666;box-shadow:0 0 0 1px #f0b400}
.ys-table{width:100%;border-collapse:collapse;font-size:.92em;border:none !important}
.ys-table th,.ys-table td{border:none !important;border-bottom:1px solid #e5e9f0 !important;padding:6px 8px;
  text-align:left;vertical-align:top;overflow-wrap:anywhere}
.ys-table th{background:#f7f9fc;font-weight:600;color:#3d4756}
.ys-table tr,.ys-table thead,.ys-table tbody{border:none !important}
.ys-doc-title{font-weight:600}
.ys-doc-file{color:#5c6675;font-size:.85em}
.ys-warnings{color:#a15c00;font-size:.85em}
.ys-upload-list{margin:6px 0 6px 1.2em;padding:0;line-height:1.8}
.ys-upload-list .ys-reject{color:#b42318}
.ys-upload-list .ys-skip{color:#a15c00}
.ys-examples{display:flex;flex-wrap:wrap;gap:6px}
.ys-doc-info{color:#5c6675}
.ys-summary-row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between}
.ys-similar-head .ys-compare{margin-left:8px !important;font-weight:400}
.ys-btn.ys-add-basket{border-color:#9db8e8 !important;color:#1f5fbf !important}
.ys-btn.ys-add-basket.ys-added{background:#ecf8ef !important;border-color:#b5e0c0 !important;
  color:#276738 !important}
a.ys-btn{text-decoration:none;display:inline-block}
.ys-shade{background:#fff6d6}
.ys-quote-note{margin:4px 0 0}
.ys-examples button{flex:0 1 auto !important;min-width:0 !important;white-space:normal !important}
@media (max-width: 640px){
  .ys-table thead{display:none}
  .ys-table tr{display:block;border:1px solid #e5e9f0 !important;border-radius:8px;margin:8px 0;padding:4px}
  .ys-table td{display:block;border:none;padding:2px 6px}
  .ys-table td::before{content:attr(data-label) "：";color:#5c6675;font-size:.85em}
  .ys-ln{width:2.4em}
  .ys-line{padding:0 4px;gap:4px}
}
"""

# Gradio scopes `CSS` inside its content box; the page's outer padding needs a plain <style>.
HEAD = """<style>
@media (max-width: 640px){
  .gradio-container > .main{padding-left:10px !important;padding-right:10px !important}
}
</style>"""
