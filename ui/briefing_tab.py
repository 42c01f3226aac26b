"""The 简报 tab: the basket (reorder, remove, download as Word, Markdown, xlsx) and the
side-by-side comparison of 2–6 cases or measures.

The basket lives in the browser (`gr.BrowserState`, localStorage): the server keeps nothing
per session, and a briefing survives a reload. Entries are ids (see `ui.basket`); items,
comparisons and files are made from the live index version when they are needed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import gradio as gr

from index.types import KIND_NAMES
from search.briefing import DEFAULT_TITLE, ITEM_KINDS
from search.compare import MAX_UNITS, Comparison
from ui import basket
from ui.render import empty_state, esc, notice

log = logging.getLogger(__name__)

BASKET_EMPTY = empty_state(
    "简报还是空的。",
    "在问答、检索、相似案例的结果上点“加入简报”，收集的内容会出现在这里，可排序、对比并导出为 Word、"
    "Markdown 或表格。",
)
COMPARE_EMPTY = empty_state(
    "还没有对比。",
    "在简报中勾选 2–6 个案例或措施后点“对比所选”，或在检索、相似案例结果上点“对比前 3 项”。",
)

# Clicks on the basket list: move up/down or remove an entry.
BASKET_JS = r"""
element.addEventListener('click', (e) => {
  const b = e.target.closest('[data-bk]');
  if (!b) return;
  e.preventDefault();
  trigger('click', {bk: b.dataset.bk, i: Number(b.dataset.i)});
});
"""

CSS = """
.ys-bk-item{border:1px solid #d9dee7;border-radius:10px;padding:10px 12px;margin:8px 0;background:#fff;
  display:flex;gap:10px;align-items:flex-start;overflow-wrap:anywhere}
.ys-bk-item.ys-gone{opacity:.6}
.ys-bk-body{flex:1;min-width:0}
.ys-bk-title{font-weight:600}
.ys-bk-kind{display:inline-block;font-size:.8em;color:#1f5fbf;background:#eef3fb;border-radius:5px;
  padding:0 6px;margin-right:6px;font-weight:400}
.ys-bk-text{color:#3d4756;font-size:.92em;margin-top:3px;line-height:1.7;
  display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;overflow:hidden}
.ys-bk-tools{display:flex;gap:4px;flex:none}
.ys-cmp-wrap{overflow-x:auto;max-width:100%}
.ys-cmp{border-collapse:collapse;font-size:.92em;min-width:100%}
.ys-cmp th,.ys-cmp td{border:1px solid #e5e9f0 !important;padding:6px 8px;vertical-align:top;
  text-align:left;min-width:190px;line-height:1.7}
.ys-cmp th{background:#f7f9fc}
.ys-cmp td.ys-cmp-row{min-width:80px;width:80px;font-weight:600;background:#f7f9fc;color:#3d4756}
@media (max-width: 640px){
  /* five tabs fit a phone's width instead of folding into Gradio's "…" menu */
  #ys-tabs button[role=tab]{padding-left:7px !important;padding-right:7px !important}
  .ys-bk-item{flex-direction:column}
  .ys-cmp th,.ys-cmp td{min-width:150px}
}
"""


def storage_secret(seed: str) -> str:
    """A stable key for the browser's copy (ids only; it survives a restart of the page)."""
    return hashlib.sha256(f"yingshang-basket:{seed}".encode()).hexdigest()[:32]


# ---------------------------------------------------------------- HTML


def _snippet(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def basket_html(resolved: Sequence[basket.Resolved]) -> str:
    if not resolved:
        return BASKET_EMPTY
    rows = []
    last = len(resolved) - 1
    for i, r in enumerate(resolved):
        item = r.item
        if item is None:
            title, kind, text = "（资料库已更新，这一条已不在索引中）", "", ""
        else:
            title, kind, text = item.title, ITEM_KINDS.get(item.kind, ""), item.text
        up = "" if i == 0 else _tool("up", i, "↑", "上移")
        down = "" if i == last else _tool("down", i, "↓", "下移")
        rows.append(
            f'<div class="ys-bk-item{" ys-gone" if item is None else ""}" data-i="{i}">'
            f'<span class="ys-rank">{i + 1}</span><div class="ys-bk-body">'
            f'<div class="ys-bk-title"><span class="ys-bk-kind">{esc(kind)}</span>'
            f'<span class="ys-bk-name">{esc(title)}</span></div>'
            f'<div class="ys-bk-text">{esc(_snippet(text))}</div></div>'
            f'<div class="ys-bk-tools">{up}{down}{_tool("remove", i, "移除", "从简报中移除")}</div></div>'
        )
    return f'<div class="ys-summary">简报共 {len(resolved)} 条</div>{"".join(rows)}'


def _tool(action: str, i: int, label: str, tip: str) -> str:
    return (
        f'<button type="button" class="ys-btn ys-bk-{action}" data-bk="{action}" data-i="{i}" '
        f'title="{esc(tip)}" aria-label="{esc(tip)}（第 {i + 1} 条）">{esc(label)}</button>'
    )


def comparison_html(comparison: Comparison) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in comparison.columns)
    body = "".join(
        f'<tr><td class="ys-cmp-row">{esc(name)}</td>'
        + "".join(f"<td>{esc(cell).replace(chr(10), '<br>')}</td>" for cell in cells)
        + "</tr>"
        for name, cells in comparison.rows
    )
    sources = "".join(
        f"<li>[{n}] 《{esc(c.doc_title)}》 · {esc(c.unit_title)} · {esc(c.doc)}</li>"
        for n, c in enumerate(comparison.citations, 1)
    )
    return (
        f'<div class="ys-summary">{len(comparison.columns)} 项并列对比（做法、成效摘自原文，'
        f"来源见表下）</div>"
        f'<div class="ys-cmp-wrap"><table class="ys-cmp" id="ys-cmp-table"><thead><tr><th>项目</th>'
        f"{head}</tr></thead><tbody>{body}</tbody></table></div>"
        f'<ol class="ys-upload-list" style="list-style:none;margin-left:0">{sources}</ol>'
    )


# ---------------------------------------------------------------- the tab


@dataclass
class BriefingTab:
    tab: gr.Tab
    state: gr.BrowserState
    title: gr.Textbox
    listing: gr.HTML
    status: gr.HTML
    downloads: list  # DownloadButton per format: docx, md, xlsx
    clear: gr.Button
    pick: gr.CheckboxGroup
    compare_btn: gr.Button
    compare_out: gr.HTML
    compare_downloads: list

    @property
    def basket_outputs(self) -> list:
        return [self.state, self.listing, self.status, *self.downloads, self.pick, self.tab]

    @property
    def compare_outputs(self) -> list:
        return [self.compare_out, *self.compare_downloads]


FORMAT_LABELS = (("docx", "下载 Word"), ("md", "下载 Markdown"), ("xlsx", "下载表格（xlsx）"))


def _downloads(prefix: str) -> list:
    return [
        gr.DownloadButton(
            label,
            value=None,
            interactive=False,
            size="sm",
            variant="secondary",
            elem_id=f"ys-{prefix}-{fmt}",
            min_width=120,
            scale=0,
        )  # fmt: skip
        for fmt, label in FORMAT_LABELS
    ]


def basket_state(secret_seed: str) -> gr.BrowserState:
    """The basket in the browser; made outside the tabs, so it is there before the 简报 tab
    is first opened (Gradio mounts a tab's components only then)."""
    return gr.BrowserState([], storage_key="yingshang-basket", secret=storage_secret(secret_seed))


def build_tab(state: gr.BrowserState) -> BriefingTab:
    """The 简报 tab's components (call inside `gr.Tabs`)."""
    with gr.Tab("简报", id="briefing", elem_id="ys-tab-briefing", elem_classes="ys-tab") as tab:
        with gr.Row(equal_height=True):
            title = gr.Textbox(
                value=DEFAULT_TITLE, label="简报标题", scale=3, min_width=200, elem_id="ys-bk-title"
            )
            clear = gr.Button(
                "清空简报", size="sm", scale=0, min_width=100, elem_id="ys-bk-clear",
                elem_classes="ys-go",
            )  # fmt: skip
        status = gr.HTML("", js_on_load=None, elem_id="ys-bk-status", elem_classes="ys-autohide")
        with gr.Row(elem_id="ys-bk-downloads"):
            downloads = _downloads("bk")
        listing = gr.HTML(BASKET_EMPTY, js_on_load=BASKET_JS, elem_id="ys-bk-list")
        gr.HTML('<h3 class="ys-sources-title">并列对比</h3>', js_on_load=None)
        pick = gr.CheckboxGroup(
            [], value=[], label=f"选择要对比的案例或措施（2–{MAX_UNITS} 个）", elem_id="ys-bk-pick"
        )
        compare_btn = gr.Button(
            "对比所选", variant="primary", size="sm", elem_id="ys-bk-compare", scale=0,
            min_width=120,
        )  # fmt: skip
        compare_out = gr.HTML(COMPARE_EMPTY, js_on_load=None, elem_id="ys-cmp")
        with gr.Row(elem_id="ys-cmp-downloads"):
            compare_downloads = _downloads("cmp")
    return BriefingTab(
        tab,
        state, title, listing, status, downloads, clear, pick, compare_btn, compare_out,
        compare_downloads,
    )  # fmt: skip


# ---------------------------------------------------------------- handlers


def _file_updates(paths: dict | None) -> list:
    if not paths:
        return [gr.update(value=None, interactive=False) for _ in FORMAT_LABELS]
    return [gr.update(value=str(paths[fmt]), interactive=True) for fmt, _ in FORMAT_LABELS]


class BriefingHandlers:
    """The tab's handlers over the page's live index (values in, updates out)."""

    def __init__(self, page) -> None:
        self.page = page  # ui.app.Page: refresh() gives the index version to read

    def show(self, entries, title: str = "", message: str = "", keep_pick: bool = False) -> list:
        """Outputs of `BriefingTab.basket_outputs` for these entries."""
        snap = self.page.refresh()
        resolved = basket.resolve(snap, entries)
        items = [r.item for r in resolved if r.item is not None]
        paths = None
        if items:
            paths = basket.write_files(items, (), title or DEFAULT_TITLE, basket.EXPORT_NAMES)
        ids = basket.comparable_ids(resolved)
        choices = [(self._label(snap, u), u) for u in ids]
        pick = gr.skip() if keep_pick else gr.update(choices=choices, value=ids[:MAX_UNITS])
        return [
            [r.entry for r in resolved],
            basket_html(resolved),
            notice(message, "ok") if message else "",
            *_file_updates(paths),
            pick,
            gr.Tab(label=f"简报（{len(resolved)}）" if resolved else "简报"),
        ]

    @staticmethod
    def _label(snap, unit_id: str) -> str:
        unit = snap.unit(unit_id)
        return f"{unit.title}（{KIND_NAMES.get(unit.kind, '')}）" if unit else unit_id

    def add(self, entries, question: str, title: str, raw: str) -> list:
        try:
            entry = json.loads(raw)
            if isinstance(entry, dict) and entry.get("k") == "answer":
                entry["q"] = (question or "").strip() or "问答"
            entries, message = basket.add(entries, entry)
        except (ValueError, basket.BasketError) as exc:
            message = str(exc) if isinstance(exc, basket.BasketError) else "无法加入简报。"
            return [gr.skip(), gr.skip(), notice(message, "warn"), *[gr.skip()] * 5]
        # The button itself says 已加入简报 and the tab counts the items: no toast (its
        # heading is Gradio's English "Info").
        return self.show(entries, title, "" if message.startswith("已加入") else message)

    def act(self, entries, title: str, action: str, index: int) -> list:
        if action == "remove":
            entries = basket.remove(entries, index)
        elif action in ("up", "down"):
            entries = basket.move(entries, index, -1 if action == "up" else 1)
        return self.show(entries, title)

    def compare(self, unit_ids: Sequence[str]) -> list:
        snap = self.page.refresh()
        try:
            comparison = basket.comparison(snap, list(unit_ids or []))
        except basket.BasketError as exc:
            return [notice(str(exc), "warn"), *_file_updates(None)]
        table = comparison.table("案例对比")
        paths = basket.write_files([], [table], "案例对比", basket.COMPARE_NAMES)
        return [comparison_html(comparison), *_file_updates(paths)]


def wire(tab: BriefingTab, handlers: BriefingHandlers, clickables, question, tabs, app) -> None:
    """Events: "加入简报" / "对比" clicks in result HTML, the list's tools, compare, load."""

    def on_result_click(entries, q, title, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        skip_basket = [gr.skip()] * len(tab.basket_outputs)
        skip_compare = [gr.skip()] * len(tab.compare_outputs)
        try:
            if data.get("basket"):
                return [*handlers.add(entries, q, title, str(data["basket"])), gr.skip(),
                        *skip_compare]  # fmt: skip
            if data.get("compare"):
                ids = [u for u in str(data["compare"]).split(",") if u]
                return [*skip_basket, gr.Tabs(selected="briefing"), *handlers.compare(ids)]
        except Exception:  # the page stays usable; the other click handler may have acted
            log.exception("basket click failed")
        return [*skip_basket, gr.skip(), *skip_compare]

    outputs = [*tab.basket_outputs, tabs, *tab.compare_outputs]
    for clickable in clickables:
        clickable.click(
            on_result_click,
            [tab.state, question, tab.title],
            outputs,
            show_progress="hidden",
        )

    def on_tool(entries, title, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        try:
            return handlers.act(entries, title, str(data.get("bk", "")), int(data.get("i", -1)))
        except (TypeError, ValueError):
            return [gr.skip()] * len(tab.basket_outputs)

    tab.listing.click(on_tool, [tab.state, tab.title], tab.basket_outputs, show_progress="hidden")
    tab.clear.click(
        lambda title: handlers.show([], title, "已清空简报。"),
        tab.title,
        tab.basket_outputs,
        show_progress="hidden",
    )
    tab.title.blur(
        lambda entries, title: handlers.show(entries, title, keep_pick=True),
        [tab.state, tab.title],
        tab.basket_outputs,
        show_progress="hidden",
    )
    tab.compare_btn.click(handlers.compare, tab.pick, tab.compare_outputs)
    app.load(
        lambda entries, title: handlers.show(entries, title),
        [tab.state, tab.title],
        tab.basket_outputs,
        show_progress="hidden",
    )
