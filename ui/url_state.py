"""Links that carry the question: the tab, the question and the filters in the page's URL,
and a short list of recent questions kept in the browser.

The URL is written by the browser (`history.replaceState`, no reload) when a question is
submitted or a tab chosen, and read by the server when the page loads (`gr.Request`'s
query parameters), so a copied link opens the same result for a colleague.
Recent questions never leave the browser (localStorage).

Parameters: ``tab`` (ask|search|similar|library|briefing), ``q`` (问答), ``s`` (检索) with
``kind prov city ind year lead doc dtype``, ``case`` (相似案例: a unit id).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields

TABS = ("ask", "search", "similar", "library", "briefing")
MAX_RECENT = 8
MAX_VALUE = 300  # longer values in a URL are cut, not trusted


@dataclass(frozen=True)
class UrlState:
    tab: str = ""
    q: str = ""
    s: str = ""
    kind: str = ""
    prov: str = ""
    city: str = ""
    ind: str = ""
    year: str = ""
    lead: str = ""
    doc: str = ""
    dtype: str = ""
    case: str = ""

    @property
    def filters(self) -> tuple[str, ...]:
        """Search-tab values in the order of `SEARCH_PARAMS` (after the query)."""
        return tuple(getattr(self, k) for k in SEARCH_PARAMS[1:])


SEARCH_PARAMS = ("s", "kind", "prov", "city", "ind", "year", "lead", "doc", "dtype")


def read(params: Mapping[str, str] | None) -> UrlState:
    """The page state a link asks for; unknown keys are ignored, values cut and trimmed."""
    params = params or {}
    values = {
        f.name: str(params.get(f.name, "") or "").strip()[:MAX_VALUE] for f in fields(UrlState)
    }
    if values["tab"] not in TABS:
        values["tab"] = ""
    if not values["tab"]:  # a link with just a question opens where that question is asked
        values["tab"] = "search" if values["s"] else "similar" if values["case"] else ""
    return UrlState(**values)


# The page's script (in <head>): ysUrl writes the URL, ysRemember keeps recent questions.
HEAD = (
    "<script>\n"
    + r"""
(() => {
  const KEY = 'yingshang-recent', MAX = __MAX__;
  const SEARCH = __SEARCH__;
  window.ysUrl = (tab, values) => {
    const p = new URLSearchParams();
    p.set('tab', tab);
    for (const [k, v] of Object.entries(values || {})) if (v) p.set(k, String(v).trim());
    history.replaceState(null, '', location.pathname + '?' + p.toString());
  };
  window.ysRecent = () => { try { return JSON.parse(localStorage.getItem(KEY) || '[]'); }
                            catch (e) { return []; } };
  window.ysRemember = (tab, q) => {
    q = String(q || '').trim();
    if (!q) return;
    const list = window.ysRecent().filter((r) => !(r.q === q && r.tab === tab));
    list.unshift({q, tab});
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, MAX)));
    window.dispatchEvent(new Event('ys-recent'));
  };
  window.ysAsk = (q) => { window.ysUrl('ask', {q}); window.ysRemember('ask', q); return []; };
  window.ysSearch = (...args) => {
    const values = {};
    SEARCH.forEach((k, i) => { values[k] = args[i]; });
    window.ysUrl('search', values);
    window.ysRemember('search', args[0]);
    return [];
  };
  window.ysCase = (id) => { if (id) window.ysUrl('similar', {case: id}); return []; };
  // Choosing a tab puts it in the URL (keeping that tab's question, if it is there).
  document.addEventListener('click', (e) => {
    if (!e.target.closest('[role=tab]')) return;
    setTimeout(() => {
      const panel = [...document.querySelectorAll('.ys-tab')].find((t) => t.offsetParent !== null);
      if (!panel) return;
      const tab = panel.id.replace('ys-tab-', '');
      const old = new URLSearchParams(location.search);
      const keep = {ask: ['q'], search: SEARCH, similar: ['case']}[tab] || [];
      const values = {};
      keep.forEach((k) => { if (old.get(k)) values[k] = old.get(k); });
      window.ysUrl(tab, values);
    }, 50);
  });
})();
""".replace("__MAX__", str(MAX_RECENT)).replace("__SEARCH__", json.dumps(list(SEARCH_PARAMS)))
    + "</script>"
)

# The recent-questions list (a gr.HTML): rendered from localStorage in the browser; a click
# puts the question into its tab's box and asks it.
RECENT_JS = r"""
const ysBoxes = {ask: ['#ys-ask-q textarea', '#ys-ask-btn'],
                 search: ['#ys-search-q textarea', '#ys-search-btn']};
const ysRender = () => {
  const list = (window.ysRecent ? window.ysRecent() : []);
  if (!list.length) { element.innerHTML = ''; return; }
  const esc = (s) => s.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;',
    '"': '&quot;', "'": '&#39;'}[c]));
  const items = list.map((r, i) =>
    `<button type="button" class="ys-btn ys-recent-item" data-i="${i}" title="${r.tab === 'search' ? '检索' : '问答'}：${esc(r.q)}">` +
    `${r.tab === 'search' ? '<span class="ys-recent-tag">检索</span>' : ''}${esc(r.q)}</button>`).join('');
  element.innerHTML = `<div class="ys-recent"><span class="ys-recent-label">最近的问题</span>${items}</div>`;
};
element.addEventListener('click', (e) => {
  const b = e.target.closest('.ys-recent-item');
  if (!b) return;
  const r = window.ysRecent()[Number(b.dataset.i)];
  if (!r || !ysBoxes[r.tab]) return;
  const [box, btn] = ysBoxes[r.tab];
  if (r.tab === 'search') {
    [...document.querySelectorAll('#ys-tabs [role=tab]')]
      .find((t) => t.textContent.trim() === '检索')?.click();
  }
  setTimeout(() => {
    const ta = document.querySelector(box);
    ta.value = r.q;
    ta.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => document.querySelector(btn).click(), 80);
  }, r.tab === 'search' ? 150 : 0);
});
window.addEventListener('ys-recent', ysRender);
ysRender();
"""

# After the page has put a link's values in place: run what the link asked for.
RUN_JS = r"""
() => {
  const p = new URLSearchParams(location.search);
  const tab = p.get('tab') || (p.get('s') ? 'search' : p.get('case') ? 'similar' : 'ask');
  const go = {ask: p.get('q') && '#ys-ask-btn', search: p.get('s') && '#ys-search-btn',
              similar: p.get('case') && '#ys-sim-case-btn'}[tab];
  if (go) setTimeout(() => document.querySelector(go)?.click(), 100);
  return [];
}
"""

CSS = """
.ys-recent{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:4px 0}
.ys-recent-label{color:#5c6675;font-size:.85em;margin-right:2px}
.ys-recent-item{max-width:100%;overflow:hidden;text-overflow:ellipsis}
.ys-recent-tag{color:#1f5fbf;margin-right:4px}
"""
