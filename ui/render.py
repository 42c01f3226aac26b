"""HTML for result cards. Pure functions: text in, escaped HTML out."""

from __future__ import annotations

import html

from search.searcher import SearchResult, UnitGroup, group_by_unit, highlight_terms

KIND_NAMES = {"case": "案例", "measure": "措施", "section": "章节"}


def esc(text: str) -> str:
    return html.escape(text or "", quote=True)


def highlighted(text: str, terms: tuple[str, ...]) -> str:
    return "".join(
        f"<mark>{esc(piece)}</mark>" if hit else esc(piece)
        for piece, hit in highlight_terms(text, terms)
    )


def notice(message: str, kind: str = "info") -> str:
    return f'<div class="ys-notice ys-{kind}">{esc(message)}</div>'


def unit_meta(unit) -> str:
    """Small badges for the unit's fields (region, indicator, lead units, deadline)."""
    items = [("类型", KIND_NAMES.get(unit.kind, unit.kind))]
    items += [
        ("地区", unit.region),
        ("指标", unit.indicator or unit.direction),
        ("报送/实施单位", unit.org),
        ("牵头单位", "、".join(unit.lead_units)),
        ("完成时限", unit.deadline),
    ]
    return "".join(f'<span class="ys-badge"><b>{esc(k)}</b> {esc(v)}</span>' for k, v in items if v)


def group_card(group: UnitGroup, terms: tuple[str, ...]) -> str:
    first = group.hits[0]
    passages = "".join(
        f'<div class="ys-passage"><p>{highlighted(h.passage.text, terms)}</p>'
        f'<div class="ys-cite" title="引用">[{h.rank}] {esc(h.citation.label())}</div></div>'
        for h in group.hits
    )
    return (
        f'<div class="ys-card" data-unit="{esc(group.unit.id)}">'
        f'<div class="ys-card-head"><span class="ys-rank">{first.rank}</span>'
        f'<span class="ys-title">{esc(group.unit.title)}</span></div>'
        f'<div class="ys-doc">《{esc(group.doc_title)}》</div>'
        f'<div class="ys-meta">{unit_meta(group.unit)}</div>{passages}</div>'
    )


def results_html(result: SearchResult, grouped: bool = True) -> str:
    head = f'<div class="ys-summary">找到 {len(result.hits)} 条结果，用时 {result.took_ms:.0f} 毫秒</div>'
    parts = [notice(result.message)] if result.message else []
    if not result.hits:
        return "".join(parts) or notice("没有找到相关内容，请换个说法试试。")
    groups = (
        group_by_unit(result.hits)
        if grouped
        else [UnitGroup(h.unit, h.doc_title, (h,)) for h in result.hits]
    )
    parts.append(head)
    parts.extend(group_card(g, result.query_terms) for g in groups)
    return "".join(parts)


CSS = """
.ys-card{border:1px solid #d9dee7;border-radius:10px;padding:12px 14px;margin:10px 0;background:#fff}
.ys-card-head{display:flex;gap:8px;align-items:baseline}
.ys-rank{background:#1f5fbf;color:#fff;border-radius:6px;padding:0 7px;font-weight:600}
.ys-title{font-weight:600;font-size:1.05em;color:#14213d}
.ys-doc{color:#5c6675;font-size:.9em;margin:2px 0 6px}
.ys-badge{display:inline-block;background:#eef3fb;border-radius:6px;padding:1px 7px;margin:2px 4px 2px 0;font-size:.85em}
.ys-passage p{margin:6px 0;line-height:1.7;overflow-wrap:anywhere}
.ys-cite{color:#5c6675;font-size:.85em;overflow-wrap:anywhere}
.ys-notice{padding:8px 12px;border-radius:8px;background:#fff7e6;border:1px solid #f0d9a8;margin:6px 0}
.ys-summary{color:#5c6675;font-size:.9em}
mark{background:#ffe58f;padding:0 1px}
"""
