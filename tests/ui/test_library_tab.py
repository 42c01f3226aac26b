"""The 文档库 tab without a browser: same-name uploads ask, each file's outcome is told,
refused files go to the quarantine (listed, deletable) and never among the documents;
odd input and oversized uploads get Chinese messages; readers never fail during a write."""

from __future__ import annotations

import json
import threading

import pytest

from index.library import QUARANTINE_DIR, REMOVED_DIR, Placement, list_quarantine
from ui import library_tab
from ui.app import MSG_UNREADABLE, SESSION_CAPACITY

NEW_A = "甲市新版本\n一、企业开办\n企业开办全程网办，一个工作日办结，免费刻制印章。\n"


@pytest.fixture
def page(small_corpus, fake_encoder):
    from index.build import sync_index
    from search.searcher import Searcher
    from ui.app import Page

    sync_index(small_corpus, fake_encoder)
    return Page(Searcher(small_corpus, fake_encoder), small_corpus)


def _upload_dir(tmp_path, name: str, text: str):
    folder = tmp_path / f"upload-{len(list(tmp_path.iterdir()))}"  # Gradio: one folder each
    folder.mkdir()
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def _a_text(page) -> str:
    """The indexed a.txt of the small corpus."""
    return (page.config.corpus_dir / "a.txt").read_text("utf-8")


def _docs(page) -> set[str]:
    return {doc for _, doc in page.choices().docs}


# ------------------------------------------------------------------ same name


def test_a_different_file_under_a_taken_name_asks_first(page, tmp_path):
    same = _upload_dir(tmp_path, "a.txt", _a_text(page))  # bytes equal to the indexed a.txt
    assert page.same_name_question([str(same)]) == ""  # nothing to ask
    other = _upload_dir(tmp_path, "a.txt", NEW_A)
    question = page.same_name_question([str(other)])
    assert "a.txt" in question and "甲市优化营商环境案例" in question  # name and title
    assert "替换（旧版本保存在 .removed/）" in question and "另存为新名称" in question
    fresh = _upload_dir(tmp_path, "新文件.txt", NEW_A)
    assert page.same_name_question([str(fresh)]) == ""


def test_without_an_answer_the_new_file_gets_a_new_name_and_is_listed(page, tmp_path):
    before = _a_text(page)
    other = _upload_dir(tmp_path, "a.txt", NEW_A)
    summary, table = page.upload([str(other)])
    assert "另存为《a（2）.txt》" in summary and "已加入 1 份文档" in summary
    assert {"a.txt", "a（2）.txt"} <= _docs(page) and "a（2）.txt" in table
    assert _a_text(page) == before  # nothing replaced
    assert not (page.config.corpus_dir / REMOVED_DIR).exists()


def test_replace_keeps_the_previous_version_with_its_metadata(page, tmp_path):
    before = _a_text(page)
    other = _upload_dir(tmp_path, "a.txt", NEW_A)
    summary, _ = page.upload([str(other)], replace=True)
    assert "替换《a.txt》" in summary and ".removed/" in summary
    assert (page.config.corpus_dir / "a.txt").read_text("utf-8") == NEW_A
    removed = page.config.corpus_dir / REMOVED_DIR
    kept = [p for p in removed.iterdir() if not p.name.endswith(".json")]
    assert len(kept) == 1 and kept[0].read_text("utf-8") == before
    note = json.loads(kept[0].with_name(kept[0].name + ".json").read_text("utf-8"))
    assert note["index_record"]["title"] == "甲市优化营商环境案例"
    assert "a（2）.txt" not in _docs(page)


def test_every_file_is_told_what_happened(page, tmp_path):
    paths = [
        _upload_dir(
            tmp_path, "新办法.txt", "丙市工作要点\n一、政府采购\n政府采购投标保证金比例降至1%。\n"
        ),
        _upload_dir(tmp_path, "甲副本.txt", _a_text(page)),  # bytes of an indexed document
        _upload_dir(tmp_path, "a.txt", _a_text(page)),  # the same file again
        _upload_dir(tmp_path, "程序.exe", "MZ"),
    ]
    summary, _ = page.upload([str(p) for p in paths])
    assert "新增《新办法.txt》" in summary
    assert "跳过《甲副本.txt》" in summary and "原文档保留" in summary
    assert "《a.txt》已在资料库中，内容没有变化" in summary
    assert "不支持的文件类型 .exe" in summary
    assert summary.count("<li") == 4


def test_outcomes_follow_the_new_name_and_the_indexer(page):
    class Report:  # the fields of index.build.DocumentReport that matter here
        def __init__(self, doc, status, units=0, passages=0, message=""):
            self.doc, self.status, self.units, self.passages = doc, status, units, passages
            self.message = message

    placements = [
        Placement("报告.txt", "报告（2）.txt", "renamed"),
        Placement("坏.pdf", "坏.pdf", "added"),
    ]
    reports = [Report("报告（2）.txt", "added", 3, 7), Report("坏.pdf", "rejected", message="损坏")]
    renamed, broken = library_tab.file_outcomes(placements, reports)
    assert renamed.kind == "new" and renamed.doc == "报告（2）.txt" and renamed.units == 3
    assert broken.kind == "refused" and "损坏" in broken.text and broken.doc == ""


# ------------------------------------------------------------------ the quarantine


def test_a_refused_file_is_quarantined_listed_and_deletable(page, tmp_path):
    corrupt = tmp_path / "损坏.pdf"
    corrupt.write_bytes(b"%PDF-1.4\nthis is not a pdf at all\n%%EOF\n")
    summary, table = page.upload([str(corrupt)])
    assert "《损坏.pdf》" in summary and "已移入隔离区" in summary and "损坏.pdf" not in table
    assert summary.count("损坏.pdf》") == 1  # said once, not "无法添加《…》：无法读取《…》"
    assert "损坏.pdf" not in _docs(page)  # never among the documents
    assert not (page.config.corpus_dir / "损坏.pdf").exists()
    listed = page.quarantine_table()
    assert "损坏.pdf" in listed and "隔离区中有 1 个文件" in listed
    assert [name for _, name in page.quarantine_names()] == ["损坏.pdf"]

    question, show = page.confirm_delete_quarantined("损坏.pdf")
    assert show is True and "永久删除" in question
    status, listed = page.delete_quarantined("损坏.pdf")
    assert "已删除" in status and "隔离区是空的" in listed
    assert list_quarantine(page.config.corpus_dir) == []
    assert not any((page.config.corpus_dir / QUARANTINE_DIR).iterdir())


def test_deleting_nothing_or_a_vanished_file_says_so(page):
    message, _ = page.confirm_delete_quarantined("")
    assert "请先选择要删除的隔离区文件" in message
    message, _ = page.delete_quarantined("../a.txt")
    assert "隔离区中已没有" in message
    assert (page.config.corpus_dir / "a.txt").exists()


# ------------------------------------------------------------------ odd input, big files


@pytest.mark.parametrize("text", ["\ud800", "保证金\udcb9\udce3"])
def test_a_lone_surrogate_gets_a_clear_message_everywhere(page, text):
    assert MSG_UNREADABLE in list(page.ask(text))[-1][0]  # ask streams its pieces
    assert MSG_UNREADABLE in page.search(text)[0]
    assert MSG_UNREADABLE in page.search("保证金", region=text)[0]
    assert MSG_UNREADABLE in page.similar_to_text(text)[0]


def test_the_guard_script_knows_both_limits():
    js = library_tab.guard_js(50)
    assert "const limit = 200, soft = 50;" in js and "无法上传" in js
    assert library_tab.upload_hard_limit_mb(1) == 4


def test_an_upload_over_the_server_limit_gets_a_chinese_413(tmp_path):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    def upload(request):  # what Gradio answers over max_file_size
        return PlainTextResponse("File size exceeded maximum allowed size of 4 MB", 413)

    def fine(request):
        return PlainTextResponse("ok")

    app = Starlette(
        routes=[Route("/upload", upload, methods=["POST"]), Route("/", fine)],
        middleware=[Middleware(library_tab.UploadLimitMiddleware, limit_mb=4)],
    )
    client = TestClient(app)
    response = client.post("/upload", content=b"x")
    assert response.status_code == 413
    assert response.json() == {"error": "文件超过了网页接收文件的上限 4 MB，没有上传。"}
    assert client.get("/").text == "ok"


# ------------------------------------------------------------------ steady under use


def test_gradio_keeps_a_bounded_number_of_sessions():
    assert 100 <= SESSION_CAPACITY <= 1000


def test_searches_during_an_add_never_fail(page, tmp_path):
    """Writers never fail readers: every search while an upload indexes gets results."""
    docs = [
        _upload_dir(tmp_path, f"新文件{n}.txt", f"丁市第{n}号\n一、纳税服务\n办税时间压缩{n}成。\n")
        for n in range(6)
    ]
    failures, done = [], threading.Event()

    def search_until_done():
        while not done.is_set():
            html, _ = page.search("保证金")
            if "ys-card" not in html:
                failures.append(html[:300])

    readers = [threading.Thread(target=search_until_done) for _ in range(3)]
    for r in readers:
        r.start()
    try:
        for path in docs:
            summary, _ = page.upload([str(path)])
            assert "已加入 1 份文档" in summary
    finally:
        done.set()
        for r in readers:
            r.join(30)
    assert failures == []
    assert {f"新文件{n}.txt" for n in range(6)} <= _docs(page)
