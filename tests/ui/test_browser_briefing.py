"""Issue 15 in the real page: the briefing basket, comparison, document metadata, filters
people use, cited sentences, links that carry the question, recent questions.

Its own app over a temp copy of the seed corpus (metadata edits are undone at the end);
screenshots go to test-output/screenshots/ with the prefix b (the other browser module
empties the folder first, so this one runs after it).
"""

from __future__ import annotations

import io
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest

from tests.ui.test_browser import (  # noqa: F401 (browser is a fixture)
    BROWSER_MARKS,
    CHROMIUM,
    NARROW,
    SHOTS,
    _ask,
    _card_titles,
    _clean,
    _open,
    _pick,
    _search,
    _shot,
    _tab,
    _wait_text,
    browser,
    served_seed_copy,
)

pytestmark = BROWSER_MARKS

LEAD = "国家税务总局广西壮族自治区税务局"  # 广西税务局 and 自治区税务局 merged into it
WEEKLY = "每周营商环境优秀案例（12月13日-12月19日）.txt"  # dated 2021-12 in the manifest


@pytest.fixture(scope="module")
def app_env(tmp_path_factory, real_encoder):
    if not CHROMIUM.exists():
        pytest.skip("需要 Debian 的 chromium（apt-get install chromium）")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with served_seed_copy(tmp_path_factory, real_encoder, "briefing") as env:
        yield env


@pytest.fixture
def wide(browser, app_env):  # noqa: F811
    page = _open(browser, app_env[0])
    yield page
    page.context.close()


@pytest.fixture
def narrow(browser, app_env):  # noqa: F811
    page = _open(browser, app_env[0], NARROW)
    yield page
    page.context.close()


def _basket_count(page, n: int) -> None:
    """Wait until the 简报 tab counts n items."""
    label = f"简报（{n}）" if n else "简报"
    page.wait_for_function(
        "(label) => [...document.querySelectorAll('[role=tab]')]"
        ".some((t) => t.textContent.trim() === label)",
        arg=label,
    )


def _basket_titles(page) -> list[str]:
    return [t.strip() for t in page.locator("#ys-bk-list .ys-bk-name").all_inner_texts()]


def _download(page, selector: str):
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


# ------------------------------------------------------------------ the basket


def test_basket_from_answer_card_and_similar_then_reorder_remove_export(wide):
    import docx

    page = wide
    _ask(page, "企业开办有哪些创新做法？")
    page.click("#ys-ask-answer .ys-add-basket")
    _basket_count(page, 1)
    assert page.inner_text("#ys-ask-answer .ys-add-basket") == "已加入简报"
    page.locator("#ys-ask-sources .ys-add-basket").first.click()
    _basket_count(page, 2)

    _tab(page, "检索")
    _search(page, "投标保证金")
    card_title = _card_titles(page, "#ys-search-results")[0]
    page.locator("#ys-search-results .ys-add-basket").first.click()
    _basket_count(page, 3)
    _clean(page)
    _shot(page, "b01-search-card-added")

    _tab(page, "相似案例")
    _pick(page, "#ys-sim-case", "贵港市")
    page.wait_for_selector("#ys-sim-results .ys-similar-card")
    similar_title = _card_titles(page, "#ys-sim-results")[0]
    page.locator("#ys-sim-results .ys-similar-card .ys-add-basket").first.click()
    _basket_count(page, 4)
    # The same card twice is one item.
    page.locator("#ys-sim-results .ys-similar-card .ys-add-basket").first.click()
    page.wait_for_timeout(500)

    _tab(page, "简报")
    _wait_text(page, "#ys-bk-status", "已在简报中")
    _basket_count(page, 4)
    titles = _basket_titles(page)
    assert titles[0] == "企业开办有哪些创新做法？"
    assert titles[2:] == [card_title, similar_title]
    _clean(page)
    _shot(page, "b02-basket", full_page=True)

    page.click("#ys-bk-list .ys-bk-up[data-i='3']")  # the similar case one up
    page.wait_for_function(
        "(t) => document.querySelectorAll('#ys-bk-list .ys-bk-title')[2]?.innerText.includes(t)",
        arg=similar_title,
    )
    assert _basket_titles(page)[2:] == [similar_title, card_title]
    page.click("#ys-bk-list .ys-bk-remove[data-i='1']")  # the source card
    _basket_count(page, 3)
    assert _basket_titles(page) == ["企业开办有哪些创新做法？", similar_title, card_title]

    # The basket is kept in the browser: a reload shows it again.
    page.reload()
    _tab(page, "简报")
    _basket_count(page, 3)
    page.wait_for_selector("#ys-bk-list .ys-bk-item")
    assert len(_basket_titles(page)) == 3

    name, data = _download(page, "#ys-bk-docx")
    assert name.endswith(".docx")
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1. 企业开办有哪些创新做法？（问答）" in text
    assert similar_title in text and card_title in text
    assert "出处" in text and "[1] 《" in text and "[3]" in text
    name, data = _download(page, "#ys-bk-md")
    assert name.endswith(".md") and "## 出处" in data.decode("utf-8")
    _clean(page)


def test_comparison_of_two_cases_from_the_basket_and_from_similar(wide):
    import openpyxl

    page = wide
    _tab(page, "检索")
    page.locator("#ys-f-kind label", has_text="案例").click()
    _search(page, "政府采购 保证金")
    cards = page.locator("#ys-search-results .ys-card")
    titles = _card_titles(page, "#ys-search-results")[:2]
    cards.nth(0).locator(".ys-add-basket").click()
    _basket_count(page, 1)
    cards.nth(1).locator(".ys-add-basket").click()
    _basket_count(page, 2)
    _tab(page, "简报")
    page.wait_for_selector("#ys-bk-pick input[type=checkbox]")
    assert page.locator("#ys-bk-pick input:checked").count() == 2
    page.click("#ys-bk-compare")
    page.wait_for_selector("#ys-cmp-table")
    header = page.locator("#ys-cmp-table th").all_inner_texts()
    assert header == ["项目", *titles]
    rows = page.locator("#ys-cmp-table td.ys-cmp-row").all_inner_texts()
    assert rows == ["地区", "做法", "成效", "牵头或报送单位", "时间", "来源"]
    assert "[2]" in page.inner_text("#ys-cmp-table")
    _clean(page)
    page.locator("#ys-cmp").scroll_into_view_if_needed()
    _shot(page, "b03-comparison")
    name, data = _download(page, "#ys-cmp-xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "出处" in book.sheetnames
    sheet = book[book.sheetnames[1]]
    assert [c.value for c in sheet[1]][1:] == titles

    # From the similar cases: the chosen case and its first three neighbours.
    _tab(page, "相似案例")
    _pick(page, "#ys-sim-case", "贵港市")
    page.wait_for_selector("#ys-sim-results .ys-compare")
    page.click("#ys-sim-results .ys-compare")
    page.wait_for_function("() => document.querySelectorAll('#ys-cmp-table thead th').length === 5")
    assert "贵港市" in page.locator("#ys-cmp-table th").nth(1).inner_text()
    assert page.locator("#ys-tab-briefing").is_visible()
    _clean(page)


# ------------------------------------------------------------------ metadata and filters


def test_metadata_edit_shows_on_cards_and_drives_the_year_filter(wide, app_env):
    from index.metadata import read_meta

    page = wide
    config = app_env[1].config
    before = read_meta(config.corpus_dir, WEEKLY)
    assert before.date == "2021-12"
    _tab(page, "文档库")
    page.click("#ys-meta button:has-text('文档信息')")
    _pick(page, "#ys-meta-doc", "每周营商环境")
    page.wait_for_function(
        "() => document.querySelector('#ys-meta-date input, #ys-meta-date textarea')"
        ".value === '2021-12'"
    )
    page.fill("#ys-meta-issuer textarea, #ys-meta-issuer input", "测试发文机关")
    page.fill("#ys-meta-date textarea, #ys-meta-date input", "2019年5月")
    page.click("#ys-meta-save")
    _wait_text(page, "#ys-meta-status", "已保存")
    assert "2019-05" in page.inner_text("#ys-meta-status")
    _wait_text(page, "#ys-lib-table", "测试发文机关")
    _clean(page)
    _shot(page, "b04-metadata-saved")
    try:
        _tab(page, "检索")
        _pick(page, "#ys-f-year", "2019")
        _search(page, "优化营商环境")
        cards = page.locator("#ys-search-results .ys-card")
        assert cards.count() >= 1
        for i in range(cards.count()):
            doc_line = cards.nth(i).locator(".ys-doc").inner_text()
            assert "每周营商环境优秀案例" in doc_line and "测试发文机关" in doc_line
            assert "2019-05" in doc_line
        _clean(page)
        _shot(page, "b05-year-filter-after-metadata")
    finally:
        from index.build import sync_index
        from index.metadata import update_meta

        update_meta(config.corpus_dir, WEEKLY, {"issuer": before.issuer, "date": before.date})
        sync_index(config, app_env[1].searcher.encoder)


def test_indicator_synonyms_province_city_and_document_filters(wide):
    page = wide
    _tab(page, "检索")
    options = page.locator("#ys-f-indicator input")
    options.click()
    # The choices arrive after the click (on a loaded machine, after "全部" alone).
    page.locator("#ys-f-indicator li").nth(1).wait_for(timeout=15000)
    listed = page.locator("#ys-f-indicator li").all_inner_texts()
    assert "企业开办" in listed and "开办企业" not in listed  # canonical names only
    page.keyboard.press("Escape")
    counts = {}
    for spelling in ("企业开办", "开办企业"):
        box = page.locator("#ys-f-indicator input")
        box.click()
        box.fill(spelling)
        box.press("Enter")
        _search(page, "登记 办理")
        counts[spelling] = page.get_attribute("#ys-search-results .ys-summary", "data-count")
    assert counts["企业开办"] == counts["开办企业"] and int(counts["企业开办"]) >= 3, counts
    _shot(page, "b06-indicator-synonym")

    box = page.locator("#ys-f-indicator input")
    box.fill("")
    _pick(page, "#ys-f-indicator", "全部")
    _pick(page, "#ys-f-region", "广西壮族自治区")
    _pick(page, "#ys-f-city", "北海市")  # waits for the province's cities
    page.locator("#ys-f-city input").fill("")
    cities = page.locator("#ys-f-city li").all_inner_texts()
    assert "南宁市" in cities and "广州市" not in cities, cities
    page.locator("#ys-f-city li", has_text="北海市").first.click()
    _pick(page, "#ys-f-dtype", "案例集")
    _search(page, "信用")
    metas = page.locator("#ys-search-results .ys-card .ys-meta").all_inner_texts()
    assert metas and all("北海市" in m for m in metas)
    assert "文档类型：案例集" in page.inner_text("#ys-search-results .ys-summary")
    _clean(page)
    _shot(page, "b07-province-city-type")


# ------------------------------------------------------------------ checkable citations


def test_viewer_marks_the_cited_sentences_and_offers_the_original(wide):
    page = wide
    _ask(page, "提升纳税服务的任务由哪个部门牵头、何时完成？")
    page.locator("#ys-ask-answer .ys-cite-link").first.click()
    page.wait_for_selector("#ys-ask-viewer mark.ys-hit")
    marked = "".join(page.locator("#ys-ask-viewer mark.ys-hit").all_inner_texts())
    shaded = "".join(page.locator("#ys-ask-viewer .ys-shade").all_inner_texts())
    assert marked and shaded  # the quoted sentence, and the rest of its passage apart
    answer = page.inner_text("#ys-ask-answer .ys-answer p")
    assert marked.replace(" ", "")[:12] in answer.replace(" ", "")
    href = page.get_attribute("#ys-ask-viewer a.ys-download", "href")
    response = page.request.get(urllib.request.urljoin(page.url, href))
    assert response.status == 200 and "纳税" in response.text()
    removed = page.request.get(page.url.split("?")[0] + "gradio_api/file=/etc/passwd")
    assert removed.status != 200
    _clean(page)
    _shot(page, "b08-viewer-cited-sentence")
    # Screen readers hear Chinese, not the translation key.
    page.wait_for_timeout(600)
    spoken = " ".join(page.locator(".sr-only[role=status]").all_inner_texts())
    assert "common." not in spoken and "Loading" not in spoken, spoken


# ------------------------------------------------------------------ links and recent questions


def test_link_carries_question_tab_and_filters(wide, browser):  # noqa: F811
    page = wide
    _tab(page, "检索")
    page.locator("#ys-f-kind label", has_text="措施").click()
    _pick(page, "#ys-f-lead", LEAD)
    _search(page, "纳税 退税")
    params = parse_qs(urlparse(page.url).query)
    assert params["tab"] == ["search"] and params["s"] == ["纳税 退税"]
    assert params["kind"] == ["measure"] and params["lead"] == [LEAD]
    first = _card_titles(page, "#ys-search-results")

    colleague = _open(browser, page.url, wait="#ys-search-q textarea")  # the link opens 检索
    try:
        colleague.wait_for_selector("#ys-search-results .ys-card")
        assert colleague.input_value("#ys-search-q textarea") == "纳税 退税"
        assert colleague.input_value("#ys-f-lead input") == LEAD
        assert _card_titles(colleague, "#ys-search-results") == first
        _clean(colleague)
        _shot(colleague, "b09-link-opens-same-search")
    finally:
        colleague.context.close()

    _tab(page, "问答")
    _ask(page, "不动产登记怎样做到全区通办？")
    params = parse_qs(urlparse(page.url).query)
    assert params["tab"] == ["ask"] and params["q"] == ["不动产登记怎样做到全区通办？"]


def test_recent_questions_are_kept_in_the_browser(wide):
    page = wide
    assert page.inner_text("#ys-recent").strip() == ""
    _ask(page, "企业开办有哪些创新做法？")
    _ask(page, "其他地方怎样降低政府采购保证金？")
    _wait_text(page, "#ys-recent", "其他地方怎样降低")
    items = page.locator("#ys-recent .ys-recent-item").all_inner_texts()
    assert items[:2] == ["其他地方怎样降低政府采购保证金？", "企业开办有哪些创新做法？"]
    page.goto(page.url.split("?")[0])
    page.wait_for_selector("#ys-recent .ys-recent-item")
    page.locator("#ys-recent .ys-recent-item", has_text="企业开办").click()
    _wait_text(page, "#ys-ask-answer", "企业")
    assert page.input_value("#ys-ask-q textarea") == "企业开办有哪些创新做法？"
    _clean(page)
    _shot(page, "b10-recent-questions")


# ------------------------------------------------------------------ phone width


def test_basket_and_comparison_at_phone_width(narrow):
    page = narrow
    _tab(page, "检索")
    page.locator("#ys-f-kind label", has_text="案例").click()
    _search(page, "政府采购 保证金")
    page.locator("#ys-search-results .ys-compare").first.click()
    page.wait_for_selector("#ys-cmp-table")
    _clean(page)  # the table scrolls inside its box, not the page
    page.locator("#ys-cmp").scroll_into_view_if_needed()
    _shot(page, "b11-narrow-comparison")
    _tab(page, "检索")
    page.locator("#ys-search-results .ys-add-basket").first.click()
    _basket_count(page, 1)
    # On a phone the fifth tab may sit in Gradio's "…" menu; a link opens it directly.
    page.goto(page.url.split("?")[0] + "?tab=briefing")
    page.wait_for_selector("#ys-bk-list .ys-bk-item")
    page.evaluate("window.scrollTo(0, 0)")
    _clean(page)
    _shot(page, "b12-narrow-basket")


def test_saved_basket_json_is_ids_only(wide):
    """What the browser keeps is small: ids and an answer's text, never index objects."""
    page = wide
    _tab(page, "检索")
    _search(page, "投标保证金")
    page.locator("#ys-search-results .ys-add-basket").first.click()
    _basket_count(page, 1)
    stored = page.evaluate("localStorage.getItem('yingshang-basket')")
    assert stored and len(stored) < 400  # encrypted {"k": "unit", "u": id}
