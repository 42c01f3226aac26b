"""The real page in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

One app for the whole module: the real model, a small real index (two seed documents in a
temp corpus), `max_upload_mb=1` so an oversized upload is cheap to make. Each step saves a
screenshot under test-output/screenshots/.
"""

from __future__ import annotations

import json
import shutil
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from index.config import REPO_ROOT, Config

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = REPO_ROOT / "test-output" / "screenshots"
SEED_DOCS = (
    "2023年广西优化营商环境十大先进典型示范案例.txt",
    "钦州市贯彻落实广西提质增效优化营商环境若干措施实施方案.txt",
)
TIMEOUT = 60_000  # ms; the first question also warms the model

GBK_NAME = "灵山县荔枝产业服务案例.txt"
GBK_TEXT = (
    "灵山县荔枝产业“一码通”服务案例\n"
    "一、案例背景\n"
    "灵山县是荔枝之乡，果农和收购企业办事要跑多个部门。\n"
    "二、主要做法\n"
    "灵山县推行荔枝产业“一码通”服务，把产地证明、检疫申报和运输通行证整合到一个二维码，"
    "企业扫码即可一次办结，办事时间由3天压缩至半天。\n"
    "三、取得成效\n"
    "全年服务荔枝收购企业420家，群众满意率达到99%。\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, real_encoder):
    if not CHROMIUM.exists():
        pytest.skip("需要 Debian 的 chromium（apt-get install chromium）")
    from index.build import sync_index
    from search.searcher import Searcher
    from ui.app import Page, build_app, launch

    base = tmp_path_factory.mktemp("browser")
    corpus = base / "corpus"
    corpus.mkdir()
    for name in SEED_DOCS:
        shutil.copyfile(REPO_ROOT / "corpus" / name, corpus / name)
    manifest = json.loads((REPO_ROOT / "corpus" / "manifest.json").read_text("utf-8"))
    manifest["documents"] = [d for d in manifest["documents"] if d["file"] in SEED_DOCS]
    (corpus / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    config = Config(
        corpus_dir=corpus,
        index_dir=base / "index",
        cache_dir=real_encoder.config.cache_dir,
        max_upload_mb=1,
        host="127.0.0.1",
        port=_free_port(),
    )
    sync_index(config, real_encoder)
    page = Page(Searcher(config, real_encoder), config)
    app = build_app(page)
    launch(app, config, block=False, quiet=True)
    url = f"http://127.0.0.1:{config.port}/"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)
    yield url
    app.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("需要 Debian 的 chromium（apt-get install chromium）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, url: str, width: int = 1280, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Offline by design: anything not served by the app itself is refused.
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else route.abort()
        ),
    )
    page.goto(url)
    page.wait_for_selector("#ys-ask-q textarea")
    page.errors = errors
    return page


def _tab(page, name: str) -> None:
    page.locator("button[role=tab]", has_text=name).first.click()


def _no_traceback(page) -> None:
    body = page.inner_text("body")
    assert "Traceback" not in body, body[:500]


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
           return r.bottom > 0 && r.top < window.innerHeight; }""",
        selector,
    )


def _pick(page, dropdown: str, text: str) -> None:
    """Choose an option of a Gradio dropdown by typing part of it."""
    box = page.locator(f"{dropdown} input")
    box.click()
    box.fill(text)
    page.locator(f"{dropdown} li", has_text=text).first.click()


# ------------------------------------------------------------------ the steps


def test_ask_answer_citation_opens_highlighted_source(browser, app_url):
    page = _open(browser, app_url)
    examples = page.locator(".ys-example")
    assert examples.count() >= 3
    assert "输入问题" in page.inner_text("#ys-ask-answer")
    _shot(page, "01-first-load")

    page.fill("#ys-ask-q textarea", "其他地方怎样降低政府采购保证金？")
    page.click("#ys-ask-btn")
    page.wait_for_selector("#ys-ask-answer .ys-cite-link")
    link = page.locator("#ys-ask-answer .ys-cite-link").first
    assert link.inner_text() == "[1]"
    assert page.locator("#ys-ask-src-1").is_visible()
    assert "保证金" in page.inner_text("#ys-ask-answer")
    _shot(page, "02-ask-answer")

    link.click()
    page.wait_for_selector("#ys-ask-viewer mark.ys-hit")
    page.wait_for_timeout(300)  # the viewer scrolls the passage into view
    assert _in_view(page, "#ys-ask-viewer .ys-target")
    cite = page.input_value("#ys-ask-viewer .ys-cite-input")
    assert "行" in cite and ".txt" in cite
    assert "ys-active" in (page.get_attribute("#ys-ask-src-1", "class") or "")
    _shot(page, "03-ask-source-highlighted")

    page.locator("#ys-ask-viewer button", has_text="查看全文").click()
    page.wait_for_selector("#ys-ask-viewer .ys-viewer[data-scope=doc] mark.ys-hit")
    page.wait_for_timeout(300)
    assert _in_view(page, "#ys-ask-viewer .ys-target")
    _shot(page, "04-ask-whole-document")
    _no_traceback(page)
    assert not page.errors


def test_search_with_region_filter(browser, app_url):
    page = _open(browser, app_url)
    _tab(page, "检索")
    page.fill("#ys-search-q textarea", "优化营商环境 企业")
    _pick(page, "#ys-f-region", "北海市")
    page.click("#ys-search-btn")
    page.wait_for_selector("#ys-search-results .ys-card")
    cards = page.locator("#ys-search-results .ys-card")
    assert cards.count() >= 1
    for i in range(cards.count()):
        assert "北海市" in cards.nth(i).locator(".ys-meta").inner_text()
    summary = page.inner_text("#ys-search-results .ys-summary")
    assert "毫秒" in summary and "北海市" in summary
    _shot(page, "05-search-region-filter", full_page=True)

    page.locator("#ys-search-results .ys-title").first.click()
    page.wait_for_selector("#ys-search-viewer mark.ys-hit")
    _shot(page, "06-search-open-source")

    _pick_custom = page.locator("#ys-f-region input")
    _pick_custom.click()
    _pick_custom.fill("火星市")
    _pick_custom.press("Enter")
    page.click("#ys-search-btn")
    page.wait_for_selector("#ys-search-results .ys-notice")
    text = page.inner_text("#ys-search-results")
    assert "没有匹配到任何内容" in text and "火星市" in text
    _shot(page, "07-search-filter-matched-nothing")
    _no_traceback(page)


def test_similar_cases(browser, app_url):
    page = _open(browser, app_url)
    _tab(page, "相似案例")
    _pick(page, "#ys-sim-case", "北海市证照")
    page.wait_for_selector("#ys-sim-results .ys-similar-card")
    first = page.locator("#ys-sim-results .ys-similar-card").first
    assert "得分" in first.inner_text()
    assert first.locator(".ys-reason").count() == 1
    _shot(page, "08-similar-cases", full_page=True)
    first.locator(".ys-title").click()
    page.wait_for_selector("#ys-sim-viewer .ys-viewer")
    _shot(page, "09-similar-open-source")

    page.fill(
        "#ys-sim-text textarea",
        "我市推行政府采购投标保证金减免，以保函代替现金缴纳，减轻中小企业负担。",
    )
    page.click("#ys-sim-text-btn")
    page.wait_for_function(
        "document.querySelector('#ys-sim-results').innerText.includes('你的描述')"
    )
    _shot(page, "10-similar-from-text", full_page=True)
    _no_traceback(page)


def test_library_upload_gbk_then_search_then_remove(browser, app_url):
    page = _open(browser, app_url)
    _tab(page, "文档库")
    page.wait_for_selector("#ys-lib-table .ys-table")
    page.set_input_files(
        "#ys-upload input[type=file]",
        files=[{"name": GBK_NAME, "mimeType": "text/plain", "buffer": GBK_TEXT.encode("gbk")}],
    )
    page.wait_for_function(
        "document.querySelector('#ys-lib-status').innerText.includes('已加入')", timeout=TIMEOUT
    )
    status = page.inner_text("#ys-lib-status")
    assert "新增" in status and "段落" in status
    assert GBK_NAME in page.inner_text("#ys-lib-table")
    _shot(page, "11-library-uploaded", full_page=True)

    _tab(page, "检索")
    page.fill("#ys-search-q textarea", "荔枝产业一码通")
    page.click("#ys-search-btn")
    page.wait_for_selector("#ys-search-results .ys-card")
    first = page.locator("#ys-search-results .ys-card").first
    assert "荔枝" in first.inner_text()
    _shot(page, "12-search-finds-upload")

    _tab(page, "文档库")
    _pick(page, "#ys-lib-doc", "灵山县")
    page.click("#ys-lib-remove")
    page.wait_for_selector("#ys-lib-confirm-btn")
    assert "确定要从资料库移除" in page.inner_text("#ys-lib-confirm-text")
    _shot(page, "13-library-confirm-remove")
    page.click("#ys-lib-confirm-btn")
    page.wait_for_function(
        "document.querySelector('#ys-lib-status').innerText.includes('已移除')", timeout=TIMEOUT
    )
    assert GBK_NAME not in page.inner_text("#ys-lib-table")
    _shot(page, "14-library-removed")
    _no_traceback(page)


def test_chinese_messages_for_empty_question_and_bad_uploads(browser, app_url):
    page = _open(browser, app_url)
    page.click("#ys-ask-btn")
    page.wait_for_function(
        "document.querySelector('#ys-ask-answer').innerText.includes('请输入要查询的问题')"
    )
    _shot(page, "15-empty-question")

    _tab(page, "文档库")
    page.set_input_files(
        "#ys-upload input[type=file]",
        files=[
            {
                "name": "太大的文件.txt",
                "mimeType": "text/plain",
                "buffer": "营商环境".encode() * 120_000,
            },
            {
                "name": "程序.exe",
                "mimeType": "application/octet-stream",
                "buffer": b"MZ\x90\x00\x03",
            },
        ],
    )
    page.wait_for_function(
        "document.querySelector('#ys-lib-status').innerText.includes('上限')", timeout=TIMEOUT
    )
    status = page.inner_text("#ys-lib-status")
    assert "超过了 1 MB 的上限" in status
    assert "不支持的文件类型 .exe" in status
    _shot(page, "16-upload-rejected", full_page=True)
    _no_traceback(page)


def test_narrow_screen_has_no_horizontal_scroll(browser, app_url):
    page = _open(browser, app_url, width=390, height=844)

    def fits(step: str) -> None:
        page.wait_for_timeout(200)
        width = page.evaluate("document.documentElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        assert width <= inner, f"{step}: scrollWidth {width} > innerWidth {inner}"

    fits("first load")
    _shot(page, "17-narrow-first-load", full_page=True)
    page.fill("#ys-ask-q textarea", "企业开办有哪些创新做法？")
    page.click("#ys-ask-btn")
    page.wait_for_selector("#ys-ask-sources .ys-card")
    page.locator("#ys-ask-sources .ys-title").first.click()
    page.wait_for_selector("#ys-ask-viewer mark.ys-hit")
    fits("answer and viewer")
    _shot(page, "18-narrow-ask", full_page=True)

    _tab(page, "检索")
    page.fill("#ys-search-q textarea", "牵头单位 纳税")
    page.click("#ys-search-btn")
    page.wait_for_selector("#ys-search-results .ys-card")
    fits("search")
    _shot(page, "19-narrow-search", full_page=True)

    _tab(page, "相似案例")
    _pick(page, "#ys-sim-case", "玉林市")
    page.wait_for_selector("#ys-sim-results .ys-similar-card")
    fits("similar")
    _shot(page, "20-narrow-similar", full_page=True)

    _tab(page, "文档库")
    page.wait_for_selector("#ys-lib-table .ys-table")
    fits("library")
    _shot(page, "21-narrow-library", full_page=True)
