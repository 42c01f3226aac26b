"""The Gradio page: search with citations over the live index."""

from __future__ import annotations

import ipaddress
import logging
import os

import gradio as gr

from index.config import Config
from search.searcher import Filters, QueryError, Searcher
from ui.render import CSS, notice, results_html

log = logging.getLogger(__name__)

EXAMPLES = [
    "其他地方怎样降低政府采购保证金？",
    "压缩出口退税办理时间由哪个部门牵头？",
    "不动产登记怎样做到全区通办？",
    "企业开办有哪些创新做法？",
]


class PageError(Exception):
    """Shown to the user as is (Chinese)."""


def _safe(fn):
    """Handlers never show a traceback: errors become a Chinese notice."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (QueryError, PageError) as exc:
            return notice(str(exc), "warn")
        except Exception:  # the page must stay usable whatever happened
            log.exception("handler failed")
            return notice("出现了意外错误，请稍后重试；如果问题持续，请联系管理员。", "error")

    wrapper.__name__ = fn.__name__
    return wrapper


def build_app(searcher: Searcher) -> gr.Blocks:
    @_safe
    def do_search(query: str, mode: str, kind: str, region: str) -> str:
        searcher.refresh()
        filters = Filters(
            kind={"全部": "", "案例": "case", "措施": "measure"}.get(kind, ""),
            region=(region or "").strip(),
        )
        result = searcher.search(
            query, mode={"混合": "hybrid", "语义": "dense", "关键词": "bm25"}[mode], filters=filters
        )
        return results_html(result)

    with gr.Blocks(title="营商环境案例与政策检索") as app:
        gr.Markdown(
            "## 营商环境案例与政策检索\n输入问题，查找各地的改革案例和政策措施，每条结果都附出处。"
        )
        with gr.Tab("检索"):
            with gr.Row():
                query = gr.Textbox(
                    label="问题",
                    placeholder="例如：其他地方怎样降低政府采购保证金？",
                    scale=5,
                    elem_id="search-query",
                )
                button = gr.Button("检索", variant="primary", scale=1, elem_id="search-button")
            with gr.Row():
                mode = gr.Radio(["混合", "语义", "关键词"], value="混合", label="检索方式")
                kind = gr.Radio(["全部", "案例", "措施"], value="全部", label="类型")
                region = gr.Textbox(label="地区", placeholder="如：南宁、浙江省")
            gr.Examples(EXAMPLES, inputs=query, label="示例问题")
            out = gr.HTML(elem_id="search-results")
            inputs = [query, mode, kind, region]
            button.click(do_search, inputs, out)
            query.submit(do_search, inputs, out)
    return app


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    config: Config, auth: str | None = None, no_auth: bool = False, build_if_stale: bool = True
) -> int:
    """Start the page. Binding beyond this machine needs a password unless --no-auth."""
    credentials = None
    if auth:
        user, _, password = auth.partition(":")
        if not user or not password:
            raise ValueError("--auth 的格式是 用户名:密码")
        credentials = (user, password)
    elif os.environ.get("YINGSHANG_AUTH"):
        user, _, password = os.environ["YINGSHANG_AUTH"].partition(":")
        credentials = (user, password)
    if not _is_loopback(config.host) and credentials is None and not no_auth:
        raise ValueError(
            f"绑定到 {config.host} 会让局域网内其他人访问本页面：请用 --auth 用户名:密码 设置登录，"
            "或明确加上 --no-auth。"
        )
    if build_if_stale:
        from index.build import is_stale, sync_index
        from index.embedding import Encoder

        if is_stale(config):
            sync_index(config, Encoder(config))
    searcher = Searcher(config)
    app = build_app(searcher)
    app.queue(default_concurrency_limit=2).launch(
        server_name=config.host,
        server_port=config.port,
        auth=credentials,
        css=CSS,
        show_error=False,
    )
    return 0
