"""The Gradio page: ask, search, similar cases and the document library over the live index.

`Page` holds the handlers as plain methods (values in, HTML out) so they can be tested
without a browser; `build_app` wires them to Gradio components; `serve` checks the bind
address / password rule and launches.

Every handler calls `Page.refresh()` first, so a changed index (a build from the command
line, an upload in another tab) is picked up without a restart, and reads that one version
(an `IndexSnapshot` of the live index the searcher shares); it never shows a traceback:
errors become a Chinese notice (see `_guard`).
"""

from __future__ import annotations

import functools
import inspect
import ipaddress
import json
import logging
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# After every call Gradio's queue rebuilds a pandas table of its last 10,000 calls for the
# latency figures of its API page, which this page does not show: 4–9 ms of the server's CPU
# per call (a third of a search's), growing with the calls served. Once per 10,000 calls,
# over the last 1,000, costs nothing measurable. Read when the queue is created.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "10000")
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from index import facets  # noqa: E402
from index.build import add_files, is_stale, remove_files, sync_index  # noqa: E402
from index.config import Config  # noqa: E402
from index.embedding import Encoder  # noqa: E402
from index.live import IndexSnapshot  # noqa: E402
from index.store import IndexError_  # noqa: E402
from index.types import KIND_NAMES, UNIT_KINDS, guess_doc_type  # noqa: E402
from search.answer import Answerer  # noqa: E402
from search.llm import Generator, generator_for  # noqa: E402
from search.searcher import (  # noqa: E402
    Filters,
    QueryError,
    Searcher,
    SearchStatus,
    validate_query,
)
from search.similar import MAX_TEXT_CHARS, SimilarFinder, SimilarItem  # noqa: E402
from ui import briefing_tab, library_meta, library_tab, render, url_state  # noqa: E402
from ui.ask_stream import ask_pieces  # noqa: E402
from ui.auth import app_kwargs as login_throttle  # noqa: E402
from ui.citations import original_url, quote_spans  # noqa: E402
from ui.render import CSS, HEAD, notice  # noqa: E402

log = logging.getLogger(__name__)

TITLE = "营商环境案例与政策检索"

EXAMPLES = [
    "其他地方怎样降低政府采购保证金？",
    "企业开办有哪些创新做法？",
    "提升纳税服务的任务由哪个部门牵头、何时完成？",
    "不动产登记怎样做到全区通办？",
]

KIND_CHOICES = [("全部", ""), *((KIND_NAMES[k], k) for k in UNIT_KINDS)]
MODE_CHOICES = [("混合", "hybrid"), ("语义", "dense"), ("关键词", "bm25")]
ALL = ("全部", "")

MSG_UNEXPECTED = "出现了意外错误，请稍后重试；如果问题持续，请联系管理员。"
MSG_GONE = "这条内容已不在索引中（资料库可能刚更新过），请重新检索。"
MSG_NO_FILES = "请先选择要上传的文件。"

# Gradio keeps each session's component values (the last results HTML included, ~165 KB)
# for its 10,000 most recent sessions; every plain HTTP API call is a new session, so the
# server grew by 1.7 GB under a scripted load. 500 sessions bound that to ~80 MB. An
# evicted browser session loses nothing: the dropdowns whose choices change accept any
# value and the handlers check it against the index.
SESSION_CAPACITY = 500

ASK_EMPTY = render.empty_state(
    "在上方输入问题，或点击一个示例问题。",
    "回答摘自资料库中的案例和政策文件，每句话后的 [1]、[2] 是出处，点击即可查看原文。",
)
SEARCH_EMPTY = render.empty_state(
    "输入关键词或问题开始检索。",
    "可以按类型、地区、指标、年份、牵头单位筛选；结果按案例/措施归并，点击标题或段落查看原文。",
)
SIMILAR_EMPTY = render.empty_state(
    "从列表中选择一个案例，或粘贴你们的改革做法描述，查找相似案例。",
    "结果会说明相似的原因：共同关键词、同一指标、最相近的一对段落。",
)


# Asking, searching and finding similar cases (every button and Enter key of them) share one
# queue of `Config.page_workers` places. Gradio gives each event listener a queue of its own:
# the search button's then had its own two places and its own line, and with 16 users the
# searches waited 530 ms at the median while the questions, in another line, waited 90 ms
# (p95 650 ms overall). In one line every call waits its turn: p95 420–440 ms (README,
# "Where the time went").
# Clicks in the results (opening a source) stay in their own queues, never behind searches.
READS = {"concurrency_id": "reads"}

# Hits behind an answer: more than the cards shown, so that after at most two cards per case
# or measure (render.source_cards) the other places of a comparison still have cards.
ASK_HITS = 12

SKIP = object()  # "leave this output as it is"


class PageError(Exception):
    """Shown to the user as is (Chinese)."""


# Half of a surrogate pair (e.g. "\ud800", from a broken copy or a crafted request) is not
# text: the tokenizers and encoders below fail on it with no useful message.
_SURROGATE = re.compile("[\ud800-\udfff]")
MSG_UNREADABLE = "输入中含有无法识别的字符（可能是复制时损坏的文字），请删除这些字符后重试。"


def _readable(*values: object) -> None:
    if any(isinstance(v, str) and _SURROGATE.search(v) for v in values):
        raise PageError(MSG_UNREADABLE)


def _guard(outputs: int = 1):
    """Handlers never show a traceback: errors become a Chinese notice in the first output;
    the other outputs are left unchanged. Generator handlers (streaming) too."""

    def failure(fn, exc: Exception):
        if isinstance(exc, QueryError | PageError | IndexError_):
            message = notice(str(exc), "warn")
        else:  # the page must stay usable whatever happened
            log.error("handler %s failed", fn.__name__, exc_info=exc)
            message = notice(MSG_UNEXPECTED, "error")
        if outputs == 1:
            return message
        return (message, *[gr.skip() for _ in range(outputs - 1)])

    def decorate(fn):
        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def streaming(*args, **kwargs):
                try:
                    _readable(*args, *kwargs.values())
                    yield from fn(*args, **kwargs)
                except Exception as exc:
                    yield failure(fn, exc)

            return streaming

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                _readable(*args, *kwargs.values())
                return fn(*args, **kwargs)
            except Exception as exc:
                return failure(fn, exc)

        return wrapper

    return decorate


# ------------------------------------------------------------------ choices from the index


@dataclass(frozen=True)
class Choices:
    regions: list  # provinces (the tree's first level)
    region_tree: dict  # province → its cities
    indicators: list  # canonical names
    years: list
    lead_units: list  # aliases merged
    cases: list  # (label, unit_id)
    docs: list  # (label, doc)
    doc_types: list

    def cities(self, province: str) -> list:
        return [ALL, *self.region_tree.get(province or "", ())]


def index_choices(snap: IndexSnapshot) -> Choices:
    """Dropdown contents from an index version's units and documents: the values people
    look for (canonical indicators, merged lead units, province → city)."""
    years: Counter = Counter()
    regions = []
    for u in snap.units:
        doc = snap.document(u.doc)
        regions.append(facets.effective_region(u, doc))
        years.update(facets.unit_years(u, doc))
    tree = facets.region_tree(regions)
    cases = [
        (f"{u.title}（{_short(snap.doc_title(u.doc))}）", u.id)
        for u in snap.units
        if u.kind == "case"
    ]
    doc_choices = [(f"{d.title}（{d.doc}）", d.doc) for d in snap.documents]
    types = sorted({d.doc_type for d in snap.documents if d.doc_type})
    return Choices(
        regions=[ALL, *tree],
        region_tree=tree,
        indicators=[ALL, *(name for name, _ in facets.indicator_options(snap.units))],
        years=[ALL, *sorted(years, reverse=True)],
        lead_units=[ALL, *(name for name, _ in facets.lead_unit_options(snap.units))],
        cases=cases,
        docs=doc_choices,
        doc_types=[ALL, *types],
    )


def doc_info(snap: IndexSnapshot) -> dict[str, str]:
    """Document → "发文机关 · 文号 · 日期" for the cards (only documents that have them)."""
    out = {}
    for d in snap.documents:
        parts = [d.issuer, d.doc_number, d.date]
        if any(parts):
            out[d.doc] = " · ".join(p for p in parts if p)
    return out


def _short(title: str, limit: int = 18) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _describe(filters: Filters) -> str:
    kinds = {v: k for k, v in KIND_CHOICES}
    parts = [
        ("类型", kinds.get(filters.kind, filters.kind) if filters.kind else ""),
        ("地区", filters.region),
        ("指标", filters.indicator),
        ("年份", filters.year),
        ("牵头单位", filters.lead_unit),
        ("文档", filters.doc),
        ("文档类型", filters.doc_type),
    ]
    return "，".join(f"{k}：{v}" for k, v in parts if v)


# ------------------------------------------------------------------ the handlers


class Page:
    """Handlers of the page; each returns HTML strings (and other plain values)."""

    def __init__(self, searcher: Searcher, config: Config | None = None) -> None:
        self.searcher = searcher
        self.index = searcher.index  # the live index the answerer and the finder share
        self.config = config or searcher.config
        self.generator = generator_for(self.config)  # generated answers when configured
        self._answerer: Answerer | None = None
        self._finder: SimilarFinder | None = None
        self._write_lock = threading.Lock()

    # -------------------------------------------------------------- index state

    def refresh(self) -> IndexSnapshot:
        """Follow a newly written index version; the version this handler reads."""
        self.index.refresh()
        return self.index.current

    def choices(self) -> Choices:
        return self.refresh().derived(index_choices)

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            self._answerer = Answerer(self.searcher, generator=self.generator)
        return self._answerer

    @property
    def finder(self) -> SimilarFinder:
        if self._finder is None:
            self._finder = SimilarFinder(self.searcher)
        return self._finder

    # -------------------------------------------------------------- ask

    @_guard(outputs=3)
    def ask(self, question: str) -> Iterator[tuple[str, str, str]]:
        """(answer HTML, source cards HTML, viewer HTML – cleared), as the answer arrives:
        generated text piece by piece when a model is configured, then the checked answer."""
        self.refresh()
        question, _ = validate_query(question)
        docs = self.index.current.derived(doc_info)
        yield from ask_pieces(self.answerer, question, ASK_HITS, docs)

    @property
    def streams(self) -> bool:
        """Whether answers arrive piece by piece (a model that can stream is configured)."""
        return isinstance(self.generator, Generator)

    def ask_once(self, question: str) -> tuple[str, str, str]:
        """`ask`'s final answer only: without a model it has nothing else to show, and a
        plain (not streaming) handler costs the page one message per question instead of two."""
        *_, last = self.ask(question)
        return last

    # -------------------------------------------------------------- search

    @_guard(outputs=2)
    def search(
        self,
        query: str,
        kind: str = "",
        region: str = "",
        indicator: str = "",
        year: str = "",
        lead_unit: str = "",
        mode: str = "hybrid",
        grouped: bool = True,
        doc: str = "",
        doc_type: str = "",
    ) -> tuple[str, str]:
        """(results HTML, viewer HTML – cleared)."""
        snap = self.refresh()
        filters = Filters(
            kind=(kind or "").strip(),
            region=(region or "").strip(),
            indicator=(indicator or "").strip(),
            year=(year or "").strip(),
            lead_unit=(lead_unit or "").strip(),
            doc=(doc or "").strip(),
            doc_type=(doc_type or "").strip(),
        )
        k = self.config.k * 3 if grouped else self.config.k
        result = self.searcher.search(query, k=k, mode=mode or "hybrid", filters=filters)
        if result.status is SearchStatus.NO_FILTER_MATCH:
            result = replace(
                result,
                message=f"筛选条件（{_describe(filters)}）没有匹配到任何内容，请放宽或清除筛选条件。",
            )
        shown = replace(filters, doc=snap.doc_title(filters.doc) if filters.doc else "")
        docs = snap.derived(doc_info)
        return render.results_html(result, grouped, _describe(shown), docs=docs), ""

    # -------------------------------------------------------------- similar

    @_guard(outputs=2)
    def similar_to_case(self, unit_id: str, k: int = 6) -> tuple[str, str]:
        snap = self.refresh()
        if not unit_id:
            raise PageError("请先从列表中选择一个案例。")
        unit = snap.unit(unit_id)
        if unit is None:
            raise PageError(MSG_GONE)
        items = self.finder.similar_to_unit(unit_id, k)
        dups = _titles(snap, self.finder.duplicates_of(unit_id))
        html = render.similar_html(
            unit.title,
            _views(snap, items),
            dups,
            kind=unit.kind,
            query_id=unit_id,
            docs=snap.derived(doc_info),
        )
        return html, ""

    @_guard(outputs=2)
    def similar_to_text(self, text: str, k: int = 6) -> tuple[str, str]:
        snap = self.refresh()
        text = (text or "").strip()
        if not text:
            raise PageError("请粘贴你们的改革做法描述（至少一句话）。")
        clipped = ""
        if len(text) > MAX_TEXT_CHARS:  # the finder would cut it silently; say so
            text = text[:MAX_TEXT_CHARS]
            clipped = notice(f"描述较长，只比对了前 {MAX_TEXT_CHARS} 个字。", "warn")
        items = self.finder.similar_to_text(text, k)
        title = text if len(text) <= 20 else text[:19] + "…"
        return clipped + render.similar_html(title, _views(snap, items), query_label="你的描述"), ""

    def similar_event(self, unit_id: str) -> tuple[str, str, object]:
        """ "Find similar" on a result card: (results HTML, viewer HTML, value for the case
        list – the unit id for a case, None for a measure, `SKIP` after an error)."""
        results, viewer = self.similar_to_case(unit_id)
        unit = self.index.current.unit(unit_id)
        if unit is None:
            return results, viewer, SKIP
        return results, viewer, unit_id if unit.kind == "case" else None

    # -------------------------------------------------------------- the source viewer

    @_guard()
    def open_source(self, ref: str, quoted: Iterable[str] = ()) -> str:
        """The whole unit (or document) with the cited passage highlighted (only the
        `quoted` sentences, when an answer's citation was opened)."""
        snap = self.refresh()
        try:
            kind, ident, scope = render.parse_ref(ref)
        except ValueError as exc:
            raise PageError(MSG_GONE) from exc
        passage = snap.passage(ident) if kind == "p" else None
        if kind == "p" and passage is None:
            raise PageError(MSG_GONE)
        unit = snap.unit(passage.unit_id if passage is not None else ident)
        if unit is None:
            raise PageError(MSG_GONE)
        doc_title = snap.doc_title(unit.doc)
        if passage is not None:
            citation = snap.citation(passage).label()
        else:
            citation = f"《{doc_title}》 · {unit.title} · {unit.doc}"
        text = snap.source_text(unit.doc)
        quotes = quote_spans(text, passage.start, passage.end, quoted) if passage else []
        return render.source_view(
            text=text,
            doc=unit.doc,
            doc_title=doc_title,
            unit=unit,
            passage=passage,
            citation=citation,
            scope=scope,
            ref_kind=kind,
            ref_ident=ident,
            quotes=quotes,
            download=original_url(self.config.corpus_dir, unit.doc),
        )

    def viewer_event(self, data: Mapping | None) -> str:
        """A click in a result list or in the viewer: open a source, or close the viewer."""
        data = data or {}
        if data.get("close"):
            return ""
        ref = data.get("open")
        if not ref:
            return gr.skip()
        return self.open_source(str(ref), _quoted(data.get("quote")))

    # -------------------------------------------------------------- library

    @_guard()
    def library_table(self) -> str:
        snap = self.refresh()
        kinds: dict[str, Counter] = {}
        for u in snap.units:
            kinds.setdefault(u.doc, Counter())[u.kind] += 1
        rows = []
        for d in sorted(snap.documents, key=lambda d: d.added or "", reverse=True):
            counts = kinds.get(d.doc, Counter())
            units = "，".join(f"{KIND_NAMES[k]} {counts[k]}" for k in UNIT_KINDS if counts[k])
            rows.append(
                render.DocRow(
                    doc=d.doc,
                    title=d.title,
                    doc_type=d.doc_type or guess_doc_type(counts),
                    units=units or "0",
                    passages=d.passages,
                    added=(d.added or "").replace("T", " ")[:16],
                    warnings=tuple(d.warnings),
                    info=" · ".join(p for p in (d.issuer, d.doc_number, d.date, d.region) if p),
                )
            )
        return render.library_table(rows)

    def same_name_question(self, files: Iterable | None) -> str:
        """The question to ask before adding `files` when a name is taken by a different
        document; "" when there is nothing to ask (or the upload will say what is wrong)."""
        from index.library import name_conflicts

        try:
            names = name_conflicts(self.config, _upload_paths(files))
            if not names:
                return ""
            snap = self.refresh()
            titles = {n: d.title for n in names if (d := snap.document(n)) is not None}
        except Exception:  # the upload itself reports any problem with the files
            log.exception("same-name check failed")
            return ""
        return library_tab.same_name_question(names, titles)

    @_guard(outputs=2)
    def upload(
        self,
        files: Iterable | None,
        stage: Callable[[str, float], None] | None = None,
        replace: bool = False,
    ) -> tuple[str, str]:
        """Check and add uploaded files, update the index; (summary HTML, table HTML).

        A file whose name is taken by a different document replaces it only with
        `replace` (the previous version goes to .removed/); otherwise it gets a new name."""
        stage = stage or (lambda message, fraction: None)
        paths = _upload_paths(files)
        if not paths:
            raise PageError(MSG_NO_FILES)
        t0 = time.perf_counter()
        with self._write_lock:
            stage("正在检查文件…", 0.0)
            added = add_files(self.config, paths, replace_existing=replace)
            documents = ()
            if added.accepted:
                documents = sync_index(self.config, self.searcher.encoder, on_stage=stage).documents
                self.refresh()
        outcomes = library_tab.file_outcomes(added.placements, documents)
        summary = library_tab.upload_summary(outcomes, time.perf_counter() - t0)
        return summary, self.library_table()

    # -------------------------------------------------------------- quarantine

    @_guard()
    def quarantine_table(self) -> str:
        from index.library import list_quarantine

        return library_tab.quarantine_table(list_quarantine(self.config.corpus_dir))

    def quarantine_names(self) -> list[tuple[str, str]]:
        from index.library import list_quarantine

        try:
            return library_tab.quarantine_choices(list_quarantine(self.config.corpus_dir))
        except OSError:
            log.exception("could not list the quarantine")
            return []

    def _quarantined(self, name: str):
        from index.library import list_quarantine

        if not name:
            raise PageError("请先选择要删除的隔离区文件。")
        found = [q for q in list_quarantine(self.config.corpus_dir) if q.name == name]
        if not found:
            raise PageError(f"隔离区中已没有《{name}》，请刷新页面。")
        return found[0]

    @_guard(outputs=2)
    def confirm_delete_quarantined(self, name: str) -> tuple[str, bool]:
        """First step of deleting a quarantined file: (question HTML, show the buttons)."""
        q = self._quarantined(name)
        return (
            notice(
                f"确定要永久删除隔离区中的《{q.name}》吗？（原因：{q.reason or '未记录'}）"
                "删除后无法恢复；它不在资料库中，删除不影响检索。",
                "warn",
            ),
            True,
        )

    @_guard(outputs=2)
    def delete_quarantined(self, name: str) -> tuple[str, str]:
        """(status HTML, quarantine table HTML)."""
        from index.library import delete_quarantined

        q = self._quarantined(name)
        with self._write_lock:
            if not delete_quarantined(self.config.corpus_dir, q.name):
                raise PageError(f"隔离区中已没有《{name}》，请刷新页面。")
        return notice(f"已删除隔离区中的《{q.name}》。", "ok"), self.quarantine_table()

    @_guard(outputs=2)
    def confirm_remove(self, doc: str) -> tuple[str, bool]:
        """First step of removing: (question HTML, show the confirm buttons)."""
        snap = self.refresh()
        if not doc:
            raise PageError("请先选择要移除的文档。")
        rec = snap.document(doc)
        if rec is None:
            raise PageError("资料库中已没有这份文档，请刷新页面。")
        return (
            notice(
                f"确定要从资料库移除《{rec.title}》（{rec.doc}，{rec.units} 个单元、"
                f"{rec.passages} 个段落）吗？原文件会移到资料库的 .removed 文件夹中保存。",
                "warn",
            ),
            True,
        )

    @_guard(outputs=2)
    def remove(
        self, doc: str, stage: Callable[[str, float], None] | None = None
    ) -> tuple[str, str]:
        stage = stage or (lambda message, fraction: None)
        snap = self.refresh()
        if not doc:
            raise PageError("请先选择要移除的文档。")
        title = snap.doc_title(doc)
        with self._write_lock:
            stage("正在移除…", 0.0)
            missing = remove_files(self.config, [doc])
            if missing:
                raise PageError(f"资料库文件夹中找不到《{title}》（{doc}），可能已被移除。")
            sync_index(self.config, self.searcher.encoder, on_stage=stage)
            self.refresh()
        return notice(
            f"已移除《{title}》，检索结果中不再出现它的内容。", "ok"
        ), self.library_table()


def _quoted(value: object) -> list[str]:
    """The cited sentences a click carried (a JSON list), [] for anything else."""
    try:
        sentences = json.loads(str(value or "[]"))
    except ValueError:
        return []
    return [str(x) for x in sentences][:12] if isinstance(sentences, list) else []


def _titles(snap: IndexSnapshot, copies: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(document title, unit title) of (doc, unit_id) pairs the version still lists."""
    return [(snap.doc_title(d), u.title) for d, uid in copies if (u := snap.unit(uid)) is not None]


def _views(snap: IndexSnapshot, items: Iterable[SimilarItem]) -> list[render.SimilarView]:
    """Similar items with the passage to open (the matched one, else the unit's first)."""
    views = []
    for item in items:
        pid = item.passage_id
        if not pid:
            rows = snap.unit_rows(item.unit.id)
            pid = snap.passages[int(rows[0])].id if len(rows) else ""
        views.append(render.SimilarView(item, pid, tuple(_titles(snap, item.duplicates))))
    return views


def _upload_paths(files: Iterable | None) -> list[Path]:
    """Paths of what Gradio hands over (file objects with .name, or plain paths)."""
    return [Path(getattr(f, "name", f)) for f in (files or []) if f]


# ------------------------------------------------------------------ the Gradio page

THEME_FONTS = [
    "system-ui",
    "-apple-system",
    "PingFang SC",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "WenQuanYi Zen Hei",
    "sans-serif",
]


def theme():
    # Plain font names only: nothing is fetched from the internet (intranet use).
    return gr.themes.Default(
        primary_hue="blue", font=THEME_FONTS, font_mono=["ui-monospace", "monospace"]
    )


def _query_row(prefix: str, label: str, placeholder: str, button: str):
    """A question box with its primary button on one row (ids ys-<prefix>-q / -btn)."""
    with gr.Row(equal_height=True):
        box = gr.Textbox(
            label=label, placeholder=placeholder, scale=5, min_width=200,
            elem_id=f"ys-{prefix}-q",
        )  # fmt: skip
        go = gr.Button(
            button, variant="primary", scale=1, min_width=80,
            elem_id=f"ys-{prefix}-btn", elem_classes="ys-go",
        )  # fmt: skip
    return box, go


def _viewer(prefix: str) -> gr.HTML:
    """The source viewer of a tab, hidden while empty (id ys-<prefix>-viewer)."""
    return gr.HTML(
        "", js_on_load=render.VIEWER_JS, elem_id=f"ys-{prefix}-viewer", elem_classes="ys-autohide"
    )


def build_app(page: Page | Searcher) -> gr.Blocks:
    if not isinstance(page, Page):
        page = Page(page)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.HTML(
            f'<div class="ys-header"><h2>{TITLE}</h2><div class="ys-summary">'
            "查找各地怎样改革、谁牵头、何时完成；每条结果都附出处（文件、案例/措施、行号）。"
            "</div></div>",
            js_on_load=None,
        )
        bk_state = briefing_tab.basket_state(str(page.config.corpus_dir))
        with gr.Tabs(elem_id="ys-tabs") as tabs:
            # ---------------------------------------------------------- 问答
            with gr.Tab("问答", id="ask", elem_id="ys-tab-ask", elem_classes="ys-tab"):
                ask_q, ask_btn = _query_row("ask", "问题", "例如：怎样降低政府采购保证金？", "提问")
                with gr.Row(elem_classes="ys-examples", elem_id="ys-ask-examples"):
                    example_buttons = [
                        gr.Button(ex, size="sm", min_width=0, elem_classes="ys-example")
                        for ex in EXAMPLES
                    ]
                gr.HTML("", js_on_load=url_state.RECENT_JS, elem_id="ys-recent")
                ask_out = gr.HTML(ASK_EMPTY, js_on_load=render.CLICK_JS, elem_id="ys-ask-answer")
                ask_viewer = _viewer("ask")
                ask_sources = gr.HTML(
                    "",
                    js_on_load=render.CLICK_JS,
                    elem_id="ys-ask-sources",
                    elem_classes="ys-autohide",
                )

            # ---------------------------------------------------------- 检索
            with gr.Tab("检索", id="search", elem_id="ys-tab-search", elem_classes="ys-tab"):
                s_q, s_btn = _query_row(
                    "search", "关键词或问题", "例如：投标保证金、证照联办、跨境贸易", "检索"
                )
                with gr.Row():
                    s_kind = gr.Radio(
                        KIND_CHOICES, value="", label="类型", elem_id="ys-f-kind",
                        scale=3, min_width=360,
                    )  # fmt: skip
                    s_prov = gr.Dropdown(
                        [ALL], value="", label="省份", allow_custom_value=True,
                        elem_id="ys-f-region", min_width=150,
                    )  # fmt: skip
                    s_city = gr.Dropdown(
                        [ALL], value="", label="城市", allow_custom_value=True,
                        elem_id="ys-f-city", min_width=130,
                    )  # fmt: skip
                    s_indicator = gr.Dropdown(
                        [ALL], value="", label="指标", allow_custom_value=True,
                        elem_id="ys-f-indicator", min_width=150,
                    )  # fmt: skip
                    s_year = gr.Dropdown(
                        [ALL], value="", label="年份", allow_custom_value=True,
                        elem_id="ys-f-year", min_width=110,
                    )  # fmt: skip
                    s_lead = gr.Dropdown(
                        [ALL], value="", label="牵头单位", allow_custom_value=True,
                        elem_id="ys-f-lead", min_width=150,
                    )  # fmt: skip
                with gr.Row():
                    s_doc = gr.Dropdown(
                        [ALL], value="", label="文档", elem_id="ys-f-doc", min_width=260, scale=3,
                    )  # fmt: skip
                    s_dtype = gr.Dropdown(
                        [ALL], value="", label="文档类型", elem_id="ys-f-dtype", min_width=140,
                        scale=1,
                    )  # fmt: skip
                with gr.Accordion("检索选项", open=False), gr.Row():
                    s_mode = gr.Radio(
                        MODE_CHOICES, value="hybrid", label="检索方式", elem_id="ys-f-mode"
                    )
                    s_grouped = gr.Checkbox(
                        value=True, label="按案例/措施归并结果", elem_id="ys-f-grouped"
                    )
                s_viewer = _viewer("search")
                s_out = gr.HTML(
                    SEARCH_EMPTY, js_on_load=render.CLICK_JS, elem_id="ys-search-results"
                )

            # ---------------------------------------------------------- 相似案例
            with gr.Tab("相似案例", id="similar", elem_id="ys-tab-similar", elem_classes="ys-tab"):
                with gr.Row(equal_height=True):
                    sim_case = gr.Dropdown(
                        [],
                        value=None,
                        label="选择案例（可输入文字筛选）",
                        filterable=True,
                        allow_custom_value=True,  # checked by the handler (SESSION_CAPACITY)
                        scale=5,
                        min_width=260,
                        elem_id="ys-sim-case",
                    )
                    sim_case_btn = gr.Button(
                        "查找相似案例", variant="primary", scale=1, min_width=120,
                        elem_id="ys-sim-case-btn", elem_classes="ys-go",
                    )  # fmt: skip
                with gr.Row(equal_height=True):
                    sim_text = gr.Textbox(
                        label="或者粘贴你们的改革做法",
                        placeholder="例如：我市推行政府采购投标保证金“免缴”，以保函代替现金……",
                        lines=3,
                        scale=5,
                        min_width=260,
                        elem_id="ys-sim-text",
                    )
                    sim_text_btn = gr.Button(
                        "按描述查找",
                        scale=1,
                        min_width=120,
                        elem_id="ys-sim-text-btn",
                        elem_classes="ys-go",
                    )
                sim_viewer = _viewer("sim")
                sim_out = gr.HTML(
                    SIMILAR_EMPTY, js_on_load=render.CLICK_JS, elem_id="ys-sim-results"
                )

            # ---------------------------------------------------------- 简报
            bk = briefing_tab.build_tab(bk_state)

            # ---------------------------------------------------------- 文档库
            with gr.Tab("文档库", id="library", elem_id="ys-tab-library", elem_classes="ys-tab"):
                lib = library_tab.build(page.config.max_upload_mb)
                meta = library_meta.build_editor()

        dropdowns = [s_prov, s_indicator, s_year, s_lead, sim_case, lib.doc]
        dropdowns += [s_doc, s_dtype, meta.doc]

        # -------------------------------------------------------------- handlers

        def choice_updates() -> list:
            try:
                c = page.choices()
            except Exception:
                log.exception("could not read choices")
                return [gr.skip() for _ in dropdowns]
            return [
                gr.update(choices=c.regions),
                gr.update(choices=c.indicators),
                gr.update(choices=c.years),
                gr.update(choices=c.lead_units),
                gr.update(choices=c.cases),
                gr.update(choices=c.docs, value=None),
                gr.update(choices=[ALL, *c.docs]),
                gr.update(choices=c.doc_types),
                gr.update(choices=c.docs),
            ]

        def on_load():
            quarantined = gr.update(choices=page.quarantine_names())
            return [*choice_updates(), page.library_table(), page.quarantine_table(), quarantined]

        if page.streams:  # the answer is shown as the model writes it

            def on_ask(question):
                yield from page.ask(question)

        else:

            def on_ask(question):
                return page.ask_once(question)

        def on_search(query, kind, prov, city, indicator, year, lead, doc, dtype, mode, grouped):
            region = city or prov  # a city is more precise than its province
            return page.search(
                query, kind, region, indicator, year, lead, mode, grouped, doc=doc, doc_type=dtype
            )

        def on_province(prov):
            try:
                return gr.update(choices=page.choices().cities(prov), value="")
            except Exception:
                log.exception("could not read cities")
                return gr.skip()

        def on_url(request: gr.Request):
            """The values a link carries (question, tab, filters, case)."""
            state = url_state.read(dict(request.query_params) if request else {})
            values = [state.q, state.s, state.kind, state.prov, state.ind]
            values += [state.year, state.lead, state.doc, state.dtype]
            out = [gr.update(value=v) if v else gr.skip() for v in values]
            out.append(gr.update(value=state.case) if state.case else gr.skip())
            if state.prov:
                out.append(gr.update(choices=page.choices().cities(state.prov), value=state.city))
            else:
                out.append(gr.skip())
            return [gr.Tabs(selected=state.tab) if state.tab else gr.skip(), *out]

        def click_handler(viewer: gr.HTML):
            """Clicks in results: open a source in `viewer`, or show the similar cases of a
            card in the 相似案例 tab (outputs: viewer, tabs, sim_case, sim_out[, sim_viewer])."""
            own_tab = viewer is sim_viewer

            def on_click(evt: gr.EventData):
                data = getattr(evt, "_data", None) or {}
                if data.get("similar"):
                    results, cleared, value = page.similar_event(str(data["similar"]))
                    head = [cleared if own_tab else gr.skip()]
                    tail = [] if own_tab else [cleared]
                    return [
                        *head,
                        gr.Tabs(selected="similar"),
                        gr.skip() if value is SKIP else gr.update(value=value),
                        results,
                        *tail,
                    ]
                return [page.viewer_event(data), *[gr.skip()] * (3 if own_tab else 4)]

            outputs = [viewer, tabs, sim_case, sim_out] + ([] if own_tab else [sim_viewer])
            return on_click, outputs

        def on_similar_case(unit_id):
            return page.similar_to_case(unit_id)

        def on_similar_text(text):
            """Results for the pasted text; the case list is cleared (it is not the query)."""
            results, viewer = page.similar_to_text(text)
            return results, viewer, gr.update(value=None)

        url_outputs = [ask_q, s_q, s_kind, s_prov, s_indicator, s_year, s_lead, s_doc]
        url_outputs += [s_dtype, sim_case, s_city]
        app.load(
            on_load, None, [*dropdowns, lib.table, lib.quarantine, lib.q_name],
            show_progress="hidden",
        ).then(on_url, None, [tabs, *url_outputs], show_progress="hidden").then(
            None, None, None, js=url_state.RUN_JS
        )  # fmt: skip

        ask_outputs = [ask_out, ask_sources, ask_viewer]
        ask_btn.click(on_ask, ask_q, ask_outputs, show_progress_on=ask_out, **READS)
        ask_q.submit(on_ask, ask_q, ask_outputs, show_progress_on=ask_out, **READS)
        for button, example in zip(example_buttons, EXAMPLES, strict=True):
            # The browser fills the box itself: one server call per example, not two.
            fill = f"() => {json.dumps(example, ensure_ascii=False)}"
            button.click(None, None, ask_q, js=fill, show_progress="hidden").then(
                on_ask, ask_q, ask_outputs, show_progress_on=ask_out, **READS
            )
            button.click(None, None, None, js=f"() => window.ysAsk({example!r})")
        for event in (ask_btn.click, ask_q.submit):  # the question goes into the page's URL
            event(None, ask_q, None, js="(q) => window.ysAsk(q)")
        for clickable, viewer in (
            (ask_out, ask_viewer),
            (ask_sources, ask_viewer),
            (ask_viewer, ask_viewer),
            (s_out, s_viewer),
            (s_viewer, s_viewer),
            (sim_out, sim_viewer),
            (sim_viewer, sim_viewer),
        ):
            handler, outputs = click_handler(viewer)
            clickable.click(
                handler, None, outputs, show_progress="minimal", show_progress_on=viewer
            )

        s_filters = [s_kind, s_prov, s_city, s_indicator, s_year, s_lead, s_doc, s_dtype]
        s_inputs = [s_q, *s_filters, s_mode, s_grouped]
        s_btn.click(on_search, s_inputs, [s_out, s_viewer], show_progress_on=s_out, **READS)
        s_q.submit(on_search, s_inputs, [s_out, s_viewer], show_progress_on=s_out, **READS)
        for event in (s_btn.click, s_q.submit):
            event(None, [s_q, *s_filters], None, js="(...v) => window.ysSearch(...v)")
        s_prov.input(on_province, s_prov, s_city, show_progress="hidden")
        for event in (sim_case_btn.click, sim_case.select):
            event(None, sim_case, None, js="(id) => window.ysCase(id)")

        clickables = [ask_out, ask_sources, ask_viewer, s_out, s_viewer, sim_out, sim_viewer]
        briefing_tab.wire(bk, briefing_tab.BriefingHandlers(page), clickables, ask_q, tabs, app)
        library_meta.wire(
            meta,
            library_meta.MetaHandlers(page),
            (lambda: [page.library_table(), *choice_updates()], [lib.table, *dropdowns]),
        )

        sim_outputs = [sim_out, sim_viewer]
        for event in (sim_case_btn.click, sim_case.select):
            event(on_similar_case, sim_case, sim_outputs, show_progress_on=sim_out, **READS)
        sim_text_btn.click(
            on_similar_text, sim_text, [*sim_outputs, sim_case], show_progress_on=sim_out, **READS
        )

        for added in library_tab.wire(lib, page, choice_updates, dropdowns):
            added.then(  # offer the new document's metadata for editing
                library_meta.MetaHandlers(page).newest, None, [meta.doc, *meta.fields, meta.box],
                show_progress="hidden",
            )  # fmt: skip
    return app


# ------------------------------------------------------------------ serving


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _parse_credentials(value: str, source: str) -> tuple[str, str]:
    user, _, password = value.partition(":")
    if not user.strip() or not password:
        raise ValueError(f"{source} 的格式是 用户名:密码（两者都不能为空）")
    return user.strip(), password


def resolve_auth(
    host: str,
    auth: str | None = None,
    no_auth: bool = False,
    env: Mapping[str, str] | None = None,
) -> tuple[str, str] | None:
    """The login for the page, or None. Binding beyond this machine needs one unless
    `no_auth` says so explicitly; `YINGSHANG_AUTH=user:pass` works like `--auth`."""
    env = os.environ if env is None else env
    credentials = None
    if auth:
        credentials = _parse_credentials(auth, "--auth")
    elif env.get("YINGSHANG_AUTH"):
        credentials = _parse_credentials(env["YINGSHANG_AUTH"], "YINGSHANG_AUTH")
    if credentials is None and not no_auth and not _is_loopback(host):
        raise ValueError(
            f"绑定到 {host} 会让局域网内其他人访问本页面：请用 --auth 用户名:密码 设置登录，"
            "或明确加上 --no-auth。"
        )
    return credentials


# Screen readers hear Gradio's status texts; it has no Chinese (or English) for "complete"
# and says "Loading" in English browsers. The page is Chinese whatever the browser's language.
_SCREEN_READER = {"common.complete": "完成", "common.loading": "加载中", "common.error": "出错"}
I18N = gr.I18n(**{lang: dict(_SCREEN_READER) for lang in ("en", "zh", "zh-CN", "zh-TW")})


def launch(
    app: gr.Blocks,
    config: Config,
    credentials: tuple[str, str] | None = None,
    *,
    block: bool = True,
    quiet: bool = False,
):
    """Queue and launch with the page's CSS/theme; no tracebacks in the browser. The
    corpus folder is served for "下载原文件" (not the removed or quarantined files)."""
    hard_limit = library_tab.upload_hard_limit_mb(config.max_upload_mb)
    middleware = [Middleware(library_tab.UploadLimitMiddleware, limit_mb=hard_limit)]
    if credentials:  # wrong passwords lock out
        middleware += login_throttle()["middleware"]
    corpus = Path(config.corpus_dir).resolve()
    return app.queue(default_concurrency_limit=max(1, config.page_workers)).launch(
        server_name=config.host,
        server_port=config.port,
        auth=credentials,
        auth_message="请输入用户名和密码" if credentials else None,
        app_kwargs={"middleware": middleware},
        css=CSS + briefing_tab.CSS + url_state.CSS,
        head=HEAD + url_state.HEAD,
        allowed_paths=[str(corpus)],
        blocked_paths=[
            str(corpus / ".removed"),
            str(corpus / ".quarantine"),
            str(corpus / "manifest.json"),
        ],
        i18n=I18N,
        theme=theme(),
        show_error=False,
        max_file_size=f"{hard_limit}mb",
        state_session_capacity=SESSION_CAPACITY,
        footer_links=[],
        prevent_thread_lock=not block,
        quiet=quiet,
    )


def serve(
    config: Config, auth: str | None = None, no_auth: bool = False, build_if_stale: bool = True
) -> int:
    """Start the page. Binding beyond this machine needs a password unless --no-auth."""
    credentials = resolve_auth(config.host, auth, no_auth)
    generator_for(config)  # a misconfigured --llm fails now, before the model loads
    encoder = Encoder(config)
    if build_if_stale and is_stale(config):
        sync_index(config, encoder)
    searcher = Searcher(config, encoder)
    app = build_app(Page(searcher, config))
    # Gradio's own start-up lines are English (and suggest share=True, which this page must
    # not use): say where the page is in Chinese instead.
    launch(app, config, credentials, block=False, quiet=True)
    host = "127.0.0.1" if config.host in ("", "0.0.0.0") else config.host
    print(f"页面已启动：http://{host}:{app.server_port}/（按 Ctrl+C 停止）", flush=True)
    if not _is_loopback(config.host):
        print(f"已绑定到 {config.host}，局域网内的同事可以用本机地址访问。", flush=True)
    app.block_thread()
    return 0
