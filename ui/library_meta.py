"""Document metadata in the 文档库 tab: title, 发文机关, 文号, date, region and type,
offered right after an upload and editable at any time (`index.metadata`).

A save writes corpus/manifest.json and syncs the index: the file did not change, so nothing
is read or embedded again; the new date, region and type are used by the filters at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import gradio as gr

from index.facets import DOC_TYPES
from index.metadata import META_FIELDS, META_NAMES, MetadataError, read_meta, update_meta
from ui.render import notice

log = logging.getLogger(__name__)

PLACEHOLDERS = {
    "title": "文档标题",
    "issuer": "例如：钦州市人民政府办公室",
    "doc_number": "例如：钦政办发〔2024〕1号",
    "date": "2024、2024-01 或 2024-01-22",
    "region": "例如：广西壮族自治区钦州市",
}


@dataclass
class MetaEditor:
    doc: gr.Dropdown
    fields: list  # one component per META_FIELDS entry
    save: gr.Button
    status: gr.HTML
    box: gr.Accordion


def build_editor() -> MetaEditor:
    """The editor's components (call inside the 文档库 tab)."""
    with gr.Accordion("文档信息（标题、发文机关、文号、日期、地区、类型）", open=False,
                      elem_id="ys-meta") as box:  # fmt: skip
        gr.HTML(
            '<div class="ys-summary">上传后请在这里补充文档信息：日期决定“年份”筛选，地区和类型也用于筛选，'
            "发文机关、文号和日期显示在每条结果的文档名旁。</div>",
            js_on_load=None,
        )
        doc = gr.Dropdown([], value=None, label="选择文档", filterable=True, elem_id="ys-meta-doc")
        fields = []
        with gr.Row():
            for key in META_FIELDS:
                if key == "doc_type":
                    fields.append(
                        gr.Dropdown(
                            [("（未填）", ""), *((t, t) for t in DOC_TYPES)],
                            value="",
                            label=META_NAMES[key],
                            elem_id="ys-meta-doc_type",
                            min_width=140,
                        )  # fmt: skip
                    )
                else:
                    fields.append(
                        gr.Textbox(
                            label=META_NAMES[key],
                            placeholder=PLACEHOLDERS[key],
                            elem_id=f"ys-meta-{key}",
                            min_width=200,
                            scale=2 if key == "title" else 1,
                        )  # fmt: skip
                    )
        save = gr.Button("保存文档信息", variant="primary", size="sm", elem_id="ys-meta-save",
                         scale=0, min_width=140)  # fmt: skip
        status = gr.HTML("", js_on_load=None, elem_id="ys-meta-status", elem_classes="ys-autohide")
    return MetaEditor(doc, fields, save, status, box)


class MetaHandlers:
    def __init__(self, page) -> None:
        self.page = page  # ui.app.Page

    def load(self, doc: str | None) -> list:
        """The fields of `doc` (empty when none is chosen)."""
        if not doc:
            return [""] * len(META_FIELDS)
        meta = read_meta(self.page.config.corpus_dir, doc)
        snap = self.page.refresh()
        rec = snap.document(doc)
        values = [getattr(meta, k) for k in META_FIELDS]
        if rec is not None and not meta.title:
            values[0] = rec.title  # show the title the index uses (from the text)
        return values

    def newest(self) -> list:
        """After an upload: the newest document chosen, its fields, the editor opened."""
        snap = self.page.refresh()
        if not snap.documents:
            return [gr.skip()] * (len(META_FIELDS) + 2)
        rec = max(snap.documents, key=lambda d: d.added or "")
        return [gr.update(value=rec.doc), *self.load(rec.doc), gr.Accordion(open=True)]

    def save(self, doc: str | None, *values: str) -> str:
        if not doc:
            return notice("请先选择要填写信息的文档。", "warn")
        from index.build import sync_index

        changes = dict(zip(META_FIELDS, (v or "" for v in values), strict=True))
        snap = self.page.refresh()
        rec = snap.document(doc)
        if rec is not None and changes["title"] == rec.title:
            del changes["title"]  # unchanged: keep the title read from the text
        try:
            with self.page._write_lock:
                meta = update_meta(self.page.config.corpus_dir, doc, changes)
                sync_index(self.page.config, self.page.searcher.encoder)
                self.page.refresh()
        except MetadataError as exc:
            return notice(str(exc), "warn")
        shown = "；".join(line for line in meta.lines() if "（未填）" not in line)
        return notice(f"已保存《{doc}》的文档信息：{shown}", "ok")


def wire(editor: MetaEditor, handlers: MetaHandlers, after_save) -> None:
    """`after_save` is (fn, outputs) refreshing the library table and the dropdowns."""
    editor.doc.change(handlers.load, editor.doc, editor.fields, show_progress="hidden")
    fn, outputs = after_save
    editor.save.click(
        handlers.save,
        [editor.doc, *editor.fields],
        editor.status,
        show_progress_on=editor.status,
        concurrency_limit=1,
        concurrency_id="library",
    ).then(fn, None, outputs, show_progress="hidden")
