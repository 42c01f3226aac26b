"""The page without a browser: who may bind where, and the HTML pieces the browser tests rely on."""

from __future__ import annotations

import pytest

from index.types import Unit
from scripts.cli import main
from tests.conftest import count_query_calls
from ui import render
from ui.app import resolve_auth

# ------------------------------------------------------------------ binding and login


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", ""])
def test_loopback_needs_no_password(host):
    assert resolve_auth(host, env={}) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "my-server"])
def test_other_hosts_refuse_to_start_without_a_password(host):
    with pytest.raises(ValueError, match="--auth") as exc:
        resolve_auth(host, env={})
    assert "--no-auth" in str(exc.value) and "局域网" in str(exc.value)


def test_password_from_the_flag_or_the_environment():
    assert resolve_auth("0.0.0.0", "admin:秘密:含冒号", env={}) == ("admin", "秘密:含冒号")
    assert resolve_auth("0.0.0.0", env={"YINGSHANG_AUTH": "a:b"}) == ("a", "b")
    assert resolve_auth("0.0.0.0", "x:y", env={"YINGSHANG_AUTH": "a:b"}) == ("x", "y")
    assert resolve_auth("127.0.0.1", "x:y", env={}) == ("x", "y")  # a login on loopback too


def test_no_auth_must_be_explicit():
    assert resolve_auth("0.0.0.0", no_auth=True, env={}) is None


@pytest.mark.parametrize("value", ["admin", ":pw", "admin:", "   :pw"])
def test_malformed_credentials_are_refused(value):
    with pytest.raises(ValueError, match="用户名:密码"):
        resolve_auth("0.0.0.0", value, env={})


def test_serve_on_all_interfaces_without_password_exits_with_a_chinese_message(capsys):
    # Refused before the model or the index is touched.
    assert main(["serve", "--host", "0.0.0.0", "--no-build"]) == 2
    err = capsys.readouterr().err
    assert "--auth 用户名:密码" in err and "--no-auth" in err and "Traceback" not in err


# ------------------------------------------------------------------ HTML pieces


def _unit(kind: str, **fields) -> Unit:
    return Unit(id=f"d.txt#{kind}001", doc="d.txt", kind=kind, title="标题<b>", start=0, end=10,
                **fields)  # fmt: skip


def test_find_similar_button_only_for_cases_and_measures():
    assert 'data-similar="d.txt#case001"' in render.similar_button(_unit("case"))
    assert "查找相似措施" in render.similar_button(_unit("measure"))
    assert render.similar_button(_unit("section")) == ""


def test_source_view_citation_is_copyable_text():
    unit = _unit("case", region="北海市")
    html = render.source_view(
        text="第一行\n第二行<script>\n第三行",
        doc="d.txt",
        doc_title="文档",
        unit=unit,
        passage=None,
        citation="《文档》 · 标题 · d.txt 第2行",
        scope="unit",
        ref_kind="u",
        ref_ident=unit.id,
    )
    assert '<textarea class="ys-cite-input" readonly' in html
    assert "《文档》 · 标题 · d.txt 第2行</textarea>" in html
    assert 'data-copy="《文档》 · 标题 · d.txt 第2行"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "查看全文" in html and "关闭" in html


def test_library_table_empty_state_is_chinese():
    html = render.library_table([])
    assert "资料库中还没有文档" in html


# ------------------------------------------------------------------ the page over a tiny index


@pytest.fixture
def page(small_corpus, fake_encoder):
    from index.build import sync_index
    from search.searcher import Searcher
    from ui.app import Page

    sync_index(small_corpus, fake_encoder)
    return Page(Searcher(small_corpus, fake_encoder), small_corpus)


def test_upload_reports_accepted_and_refused_files(page, tmp_path):
    good = tmp_path / "新办法.txt"
    good.write_text("丙市工作要点\n一、政府采购\n政府采购投标保证金比例降至1%。\n", "utf-8")
    bad = tmp_path / "程序.exe"
    bad.write_bytes(b"MZ\x90\x00")
    before = page.choices()
    summary, table = page.upload([str(good), str(bad)])  # as Gradio hands them over
    assert "已加入 1 份文档" in summary and "程序.exe" in summary and "新办法.txt" in table
    after = page.choices()  # the dropdowns follow the new version
    assert after is not before and "新办法.txt" in {doc for _, doc in after.docs}
    summary, _ = page.upload([str(bad)])  # nothing accepted: no index update, the refusal shown
    assert "程序.exe" in summary and "已加入" not in summary


def test_a_filter_that_matches_nothing_is_explained_on_the_page(page):
    html, _ = page.search("保证金", region="火星")
    assert "筛选条件（地区：火星）没有匹配到任何内容" in html


def test_similar_cards_open_the_matched_passage(page):
    from ui.render import open_ref

    snap = page.index.current
    unit = next(u for u in snap.units if snap.unit_rows(u.id).size)
    items = page.finder.similar_to_unit(unit.id, k=6)
    html, _ = page.similar_to_case(unit.id)
    assert items and all(it.passage_id for it in items)
    for item in items:
        assert snap.passage(item.passage_id).text == item.passage_pair[1]
        assert open_ref("p", item.passage_id) in html


def test_source_viewer_cites_the_passage_like_a_hit(page):
    from ui.render import open_ref

    hit = page.searcher.search("保证金", k=1).hits[0]
    html = page.open_source(open_ref("p", hit.passage.id))
    assert hit.citation.label() in html


# ------------------------------------------------------------------ pasted text


def test_long_pasted_description_is_clipped_by_the_page_with_a_notice(
    small_corpus, fake_encoder, monkeypatch
):
    from index.build import sync_index
    from search.searcher import Searcher
    from search.similar import MAX_TEXT_CHARS
    from ui.app import Page

    sync_index(small_corpus, fake_encoder)
    page = Page(Searcher(small_corpus, fake_encoder), small_corpus)
    seen: list[str] = []
    original = page.finder.similar_to_text
    monkeypatch.setattr(
        page.finder,
        "similar_to_text",
        lambda text, k=5, **kw: seen.append(text) or original(text, k, **kw),
    )
    short, _ = page.similar_to_text("推行不动产登记全城通办。")
    assert "描述较长" not in short
    html, _ = page.similar_to_text("推行不动产登记全城通办。" * 1000)
    assert f"描述较长，只比对了前 {MAX_TEXT_CHARS} 个字。" in html
    assert len(seen[-1]) == MAX_TEXT_CHARS


def test_the_page_without_a_model_embeds_the_question_once(page, fake_encoder, monkeypatch):
    """Page.ask (extractive: no model configured): one encoder call, the question then its
    clauses, shared by the search and the question recogniser."""
    question = "企业开办时间压缩到多少，保证金比例降到多少？"
    assert page.generator is None and page.answerer.question_model
    calls = count_query_calls(monkeypatch, fake_encoder)
    answer, sources, _ = page.ask_once(question)
    assert answer and sources
    assert calls == [[question, "企业开办时间压缩到多少", "保证金比例降到多少"]]


def test_a_list_answer_is_shown_one_item_per_line():
    from search.answer import Answer
    from ui.render import answer_html

    html = answer_html(Answer("1. 减免房租[1]。2. 延期缴费[1]。", (), (), (), True, "", "list"))
    assert "1. 减免房租[1]。<br>2. 延期缴费[1]。" in html
