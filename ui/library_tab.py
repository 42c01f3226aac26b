"""The 文档库 tab: uploads that ask before replacing, per-file outcomes, the quarantine.

Pure pieces first (what happened to each file, the HTML of the summary, the same-name
question and the quarantine table), then the Gradio components and their events. The
handlers themselves are `ui.app.Page` methods (values in, HTML out), so they are tested
without a browser; this module only lays them out and wires them.

An upload whose file name is taken by a different document is not added straight away:
the page asks 替换（旧版本保存在 .removed/）/ 另存为新名称 / 取消. Nothing is replaced
without that answer; `Page.upload` without one keeps both (the new file gets a new name).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import gradio as gr

from index.library import Placement, QuarantinedFile
from ui.render import empty_state, esc, notice

MSG_CANCELLED = "已取消上传，资料库没有变化。"


# ------------------------------------------------------------------ what happened to each file


@dataclass(frozen=True)
class FileOutcome:
    """One uploaded file as the summary tells it.

    kind: new (indexed now) | same (already there) | skip (duplicate) | refused."""

    source: str  # the name the user gave
    doc: str  # the name it has in the library ("" if not kept)
    kind: str
    text: str
    units: int = 0
    passages: int = 0


def file_outcomes(placements: Iterable[Placement], documents: Iterable) -> list[FileOutcome]:
    """The library's placements joined with the index update's report (by corpus name):
    a renamed file is reported under its new name, a file the indexer refused says so."""
    report = {d.doc: d for d in documents}
    return [_outcome(p, report.get(p.doc)) for p in placements]


def _outcome(p: Placement, r) -> FileOutcome:
    if p.status == "rejected":
        return FileOutcome(p.source, "", "refused", p.message)
    if p.status == "duplicate":
        return FileOutcome(p.source, "", "skip", f"跳过《{p.source}》：{p.message}")
    if p.status == "unchanged" or (r is not None and r.status == "unchanged"):
        return FileOutcome(p.source, p.doc, "same", f"《{p.doc}》已在资料库中，内容没有变化")
    if r is None:  # copied, not indexed yet (cannot happen after a sync; said, not hidden)
        return FileOutcome(p.source, p.doc, "same", f"《{p.doc}》已放入资料库，下次更新索引时加入")
    if r.status == "rejected":  # the reader's reason usually names the file already
        text = r.message if p.doc in r.message else f"无法添加《{p.source}》：{r.message}"
        return FileOutcome(p.source, "", "refused", text)
    if r.status == "duplicate":
        return FileOutcome(p.source, "", "skip", f"跳过《{p.source}》：{r.message}")
    counts = f"{r.units} 个单元，{r.passages} 个段落"
    if p.status == "renamed":
        text = f"《{p.source}》与资料库中的同名文档内容不同，已另存为《{p.doc}》：{counts}"
    elif p.status == "replaced":
        text = f"替换《{p.doc}》：{counts}；旧版本连同其元数据保存在 .removed/"
    else:
        text = f"新增《{p.doc}》：{counts}"
    return FileOutcome(p.source, p.doc, "new", text, r.units, r.passages)


_ITEM_CLASS = {"new": "", "same": "", "skip": "ys-skip", "refused": "ys-reject"}


def upload_summary(outcomes: Sequence[FileOutcome], seconds: float = 0.0) -> str:
    """A headline, the counts of skipped/refused files and one line per file."""
    new = [o for o in outcomes if o.kind == "new"]
    skipped = sum(o.kind == "skip" for o in outcomes)
    refused = sum(o.kind == "refused" for o in outcomes)
    lines = []
    if new:
        units = sum(o.units for o in new)
        passages = sum(o.passages for o in new)
        lines.append(
            notice(
                f"已加入 {len(new)} 份文档：新增 {units} 个单元（案例、措施或章节）、"
                f"{passages} 个段落，现在即可检索（用时 {seconds:.1f} 秒）。",
                "ok",
            )
        )
    elif skipped or refused:
        lines.append(notice("没有新的内容加入资料库。", "warn"))
    elif outcomes:
        lines.append(notice("这些文档已在资料库中，内容没有变化。", "info"))
    counts = [f"跳过重复 {skipped} 份"] * bool(skipped) + [f"拒收 {refused} 份"] * bool(refused)
    if counts:
        lines.append(f'<div class="ys-summary">{"，".join(counts)}</div>')
    items = "".join(
        f'<li class="{_ITEM_CLASS[o.kind]}" data-kind="{o.kind}">{esc(o.text)}</li>'
        for o in outcomes
    )
    if items:
        lines.append(f'<ul class="ys-upload-list">{items}</ul>')
    return "".join(lines)


def same_name_question(names: Sequence[str], titles: dict[str, str]) -> str:
    """The question shown before an upload that would take a different document's name."""
    shown = "、".join(
        f"《{esc(titles[n])}》（{esc(n)}）" if titles.get(n) else f"《{esc(n)}》" for n in names
    )
    return notice(
        f"资料库中已有同名但内容不同的文档：{shown}。请选择：替换（旧版本保存在 .removed/）、"
        "另存为新名称（两份都保留），或取消本次上传。",
        "warn",
    )


# ------------------------------------------------------------------ the quarantine


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def quarantine_table(items: Sequence[QuarantinedFile]) -> str:
    if not items:
        return empty_state("隔离区是空的。", "未能加入资料库的文件会放在这里，并写明原因。")
    head = "".join(f"<th>{h}</th>" for h in ("文件", "原因", "大小", "时间"))
    body = "".join(
        "<tr>"
        f'<td data-label="文件"><div class="ys-doc-title">{esc(q.name)}</div>'
        f'<div class="ys-doc-file">原位置：{esc(q.doc)}</div></td>'
        f'<td data-label="原因">{esc(q.reason or "（未记录原因）")}</td>'
        f'<td data-label="大小">{_size(q.size)}</td>'
        f'<td data-label="时间">{esc(q.time.replace("T", " ")[:16])}</td>'
        "</tr>"
        for q in items
    )
    return (
        f'<div class="ys-summary">隔离区中有 {len(items)} 个文件：它们没有加入资料库，'
        "也不会在检索中出现；确认不需要后可以删除。</div>"
        f'<table class="ys-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def quarantine_choices(items: Sequence[QuarantinedFile]) -> list[tuple[str, str]]:
    return [(f"{q.name}（{q.reason[:30]}）" if q.reason else q.name, q.name) for q in items]


# ------------------------------------------------------------------ files too big for the page

# Gradio refuses a file over `max_file_size` in the browser, before uploading, with an
# English toast; this guard runs first (capture phase) and says it in Chinese.
_GUARD_JS = r"""
const limit = __LIMIT__, soft = __SOFT__;
const tooBig = (files) => Array.from(files || []).filter((f) => f.size > limit * 1048576);
const say = (big, ev) => {
  if (!big.length) return;
  ev.preventDefault(); ev.stopImmediatePropagation();
  if (ev.target && ev.target.value !== undefined) { try { ev.target.value = ''; } catch (e) {} }
  const names = big.map((f) => `《${f.name}》（${(f.size / 1048576).toFixed(1)} MB）`).join('、');
  element.innerHTML = `<div class="ys-notice ys-warn">无法上传${names}：超过了网页接收文件的上限
    ${limit} MB（资料库只收不超过 ${soft} MB 的文件）。本次选择的文件都没有上传，请去掉它后重试。</div>`;
};
const inUpload = (ev) => ev.target && ev.target.closest && ev.target.closest('#ys-upload');
document.addEventListener('change', (ev) => {
  if (inUpload(ev) && ev.target.files) say(tooBig(ev.target.files), ev);
}, true);
document.addEventListener('drop', (ev) => {
  if (inUpload(ev) && ev.dataTransfer) say(tooBig(ev.dataTransfer.files), ev);
}, true);
"""


def upload_hard_limit_mb(max_upload_mb: int) -> int:
    """What the server accepts at all (Gradio's max_file_size); our own check, with its
    reason in Chinese, refuses anything over `max_upload_mb` after the upload."""
    return 4 * int(max_upload_mb)


def guard_js(max_upload_mb: int) -> str:
    limit = upload_hard_limit_mb(max_upload_mb)
    return _GUARD_JS.replace("__LIMIT__", str(limit)).replace("__SOFT__", str(max_upload_mb))


class UploadLimitMiddleware:
    """HTTP clients (curl, scripts) over Gradio's limit get a Chinese 413 instead of
    Gradio's English text. Pure ASGI: only a 413 response is rewritten."""

    def __init__(self, app, limit_mb: int) -> None:
        self.app = app
        self.body = json.dumps(
            {"error": f"文件超过了网页接收文件的上限 {limit_mb} MB，没有上传。"}, ensure_ascii=False
        ).encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rewriting = False

        async def send_wrapper(message):
            nonlocal rewriting
            if message["type"] == "http.response.start" and message["status"] == 413:
                rewriting = True
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"content-length", b"content-type")
                ]
                headers += [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(self.body)).encode()),
                ]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and rewriting:
                if message.get("more_body"):
                    return  # drop Gradio's text; ours goes with the last chunk
                message = {"type": "http.response.body", "body": self.body}
            await send(message)

        await self.app(scope, receive, send_wrapper)


# ------------------------------------------------------------------ components and events


@dataclass
class LibraryTab:
    files: gr.File
    status: gr.HTML
    ask_row: gr.Column
    ask_text: gr.HTML
    replace_btn: gr.Button
    rename_btn: gr.Button
    cancel_upload_btn: gr.Button
    doc: gr.Dropdown
    remove_btn: gr.Button
    confirm_row: gr.Column
    confirm_text: gr.HTML
    confirm_btn: gr.Button
    cancel_btn: gr.Button
    table: gr.HTML
    quarantine: gr.HTML
    q_name: gr.Dropdown
    q_delete_btn: gr.Button
    q_confirm_row: gr.Column
    q_confirm_text: gr.HTML
    q_confirm_btn: gr.Button
    q_cancel_btn: gr.Button


def _button(label: str, elem_id: str, variant: str = "secondary", width: int = 110):
    return gr.Button(label, variant=variant, scale=0, min_width=width, elem_id=elem_id)


def _pick_row(label: str, list_id: str, button: str, button_id: str):
    """A filterable list with its button. Any value is accepted and checked by the handler:
    Gradio may forget a session's choices (ui.app.SESSION_CAPACITY), and must not then
    refuse a real document."""
    with gr.Row(equal_height=True):
        choice = gr.Dropdown(
            [], value=None, label=label, filterable=True, allow_custom_value=True,
            scale=4, min_width=200, elem_id=list_id,
        )  # fmt: skip
        go = gr.Button(
            button, variant="secondary", scale=1, min_width=80,
            elem_id=button_id, elem_classes="ys-go",
        )  # fmt: skip
    return choice, go


def _confirm_row(prefix: str, label: str):
    """A hidden question with its confirm/cancel buttons (ids <prefix>-confirm…)."""
    with gr.Column(visible=False, elem_id=f"{prefix}-confirm") as row:
        text = gr.HTML(
            "", js_on_load=None, elem_id=f"{prefix}-confirm-text", elem_classes="ys-autohide"
        )
        with gr.Row():
            confirm = _button(label, f"{prefix}-confirm-btn", "stop")
            cancel = _button("取消", f"{prefix}-cancel-btn", width=90)
    return row, text, confirm, cancel


def build(max_upload_mb: int) -> LibraryTab:
    """The tab's components (call inside the tab's context)."""
    gr.HTML(
        '<div class="ys-summary">上传 .txt、.md、.docx、.pdf、.html 文件（可多选），'
        f"单个文件不超过 {max_upload_mb} MB；上传后自动解析、建立索引，完成后即可检索。"
        "同名的不同文件会先询问是替换还是另存。</div>",
        js_on_load=None,
    )
    files = gr.File(label="上传文档", file_count="multiple", elem_id="ys-upload", height=120)
    status = gr.HTML("", js_on_load=guard_js(max_upload_mb), elem_id="ys-lib-status")
    with gr.Column(visible=False, elem_id="ys-lib-ask") as ask_row:
        ask_text = gr.HTML("", js_on_load=None, elem_id="ys-lib-ask-text")
        with gr.Row():
            replace_btn = _button("替换（旧版本保存在 .removed/）", "ys-lib-replace", "stop", 280)
            rename_btn = _button("另存为新名称", "ys-lib-rename", "primary", 130)
            cancel_upload_btn = _button("取消", "ys-lib-ask-cancel", width=90)
    doc, remove_btn = _pick_row("移除文档", "ys-lib-doc", "移除…", "ys-lib-remove")
    confirm_row, confirm_text, confirm_btn, cancel_btn = _confirm_row("ys-lib", "确认移除")
    table = gr.HTML("", js_on_load=None, elem_id="ys-lib-table")
    with gr.Accordion("隔离区（未能加入资料库的文件）", open=True, elem_id="ys-quarantine"):
        quarantine = gr.HTML("", js_on_load=None, elem_id="ys-q-table")
        q_name, q_delete_btn = _pick_row("删除隔离区中的文件", "ys-q-name", "删除…", "ys-q-delete")
        q_confirm_row, q_confirm_text, q_confirm_btn, q_cancel_btn = _confirm_row(
            "ys-q", "确认删除"
        )
    return LibraryTab(
        files, status, ask_row, ask_text, replace_btn, rename_btn, cancel_upload_btn,
        doc, remove_btn, confirm_row, confirm_text, confirm_btn, cancel_btn, table,
        quarantine, q_name, q_delete_btn, q_confirm_row, q_confirm_text, q_confirm_btn,
        q_cancel_btn,
    )  # fmt: skip


def wire(tab: LibraryTab, page, choice_updates: Callable[[], list], dropdowns: list) -> list:
    """The tab's events. `choice_updates()` refreshes `dropdowns` (which include tab.doc)
    after the library changed. Returns the events that add files (upload, replace, rename),
    for the page to chain what follows an addition."""
    hidden = gr.update(visible=False)
    library_kw = {"concurrency_limit": 1, "concurrency_id": "library"}
    # Every change of the library refreshes: status, documents, quarantine, its list, the
    # question rows, the file box and the dropdowns of every tab.
    changed = [
        tab.status, tab.table, tab.quarantine, tab.q_name, tab.ask_row, tab.confirm_row,
        tab.q_confirm_row, tab.files, *dropdowns,
    ]  # fmt: skip

    def after_change(status: str, table: str) -> list:
        return [
            status, table, page.quarantine_table(),
            gr.update(choices=page.quarantine_names(), value=None),
            hidden, hidden, hidden, None, *choice_updates(),
        ]  # fmt: skip

    def add(files, replace: bool, progress) -> list:
        summary, table = page.upload(files, lambda m, f: progress(f, desc=m), replace=replace)
        return after_change(summary, table)

    def on_upload(files, progress=gr.Progress()):  # noqa: B008 (Gradio's idiom)
        """Add the files, or first ask when a name is taken by a different document
        (the files stay in the box for the answer)."""
        question = page.same_name_question(files)
        if not question:
            return [*add(files, False, progress), ""]
        out = [gr.skip()] * len(changed)
        out[0], out[4] = "", gr.update(visible=True)  # status cleared, the question shown
        return [*out, question]

    def on_replace(files, progress=gr.Progress()):  # noqa: B008
        return add(files, True, progress)

    def on_rename(files, progress=gr.Progress()):  # noqa: B008
        return add(files, False, progress)

    def on_cancel_upload():
        return notice(MSG_CANCELLED, "info"), hidden, None

    def on_confirm(doc):
        text, show = page.confirm_remove(doc)
        if show is True:
            return text, gr.update(visible=True), ""
        return "", hidden, text

    def on_remove(doc, progress=gr.Progress()):  # noqa: B008
        summary, table = page.remove(doc, lambda m, f: progress(f, desc=m))
        return after_change(summary, table)

    def on_q_confirm(name):
        text, show = page.confirm_delete_quarantined(name)
        if show is True:
            return text, gr.update(visible=True), ""
        return "", hidden, text

    def on_q_delete(name):
        status, quarantine = page.delete_quarantined(name)
        return status, quarantine, gr.update(choices=page.quarantine_names(), value=None), hidden

    added = [
        tab.files.upload(
            on_upload, tab.files, [*changed, tab.ask_text],
            show_progress_on=tab.files, **library_kw,
        )
    ]  # fmt: skip
    for button, handler in ((tab.replace_btn, on_replace), (tab.rename_btn, on_rename)):
        added.append(
            button.click(handler, tab.files, changed, show_progress_on=tab.files, **library_kw)
        )
    tab.cancel_upload_btn.click(
        on_cancel_upload, None, [tab.status, tab.ask_row, tab.files], show_progress="hidden"
    )
    tab.remove_btn.click(
        on_confirm, tab.doc, [tab.confirm_text, tab.confirm_row, tab.status],
        show_progress="hidden",
    )  # fmt: skip
    tab.confirm_btn.click(on_remove, tab.doc, changed, show_progress_on=tab.table, **library_kw)
    tab.cancel_btn.click(
        lambda: ("", hidden), None, [tab.confirm_text, tab.confirm_row], show_progress="hidden"
    )
    tab.q_delete_btn.click(
        on_q_confirm, tab.q_name, [tab.q_confirm_text, tab.q_confirm_row, tab.status],
        show_progress="hidden",
    )  # fmt: skip
    tab.q_confirm_btn.click(
        on_q_delete, tab.q_name, [tab.status, tab.quarantine, tab.q_name, tab.q_confirm_row],
        show_progress="hidden", **library_kw,
    )  # fmt: skip
    tab.q_cancel_btn.click(
        lambda: ("", hidden), None, [tab.q_confirm_text, tab.q_confirm_row],
        show_progress="hidden",
    )  # fmt: skip
    return added
