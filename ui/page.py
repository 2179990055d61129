"""What the desk adds around Gradio's page, as one ASGI middleware:

- every HTML page is Chinese: `<html lang="zh-CN">`, and Gradio's own labels (清除, 复制, 赞, 踩) in Chinese
  whatever the visitor's browser language, because the locale is fixed before Gradio's scripts run;
- a click on an answer's [n] opens that answer's sources and brings the cited passage into view;
- `report?source=…&start=…&end=…` serves a stored report's full text with that passage marked, for the
  "在报告全文中查看" links under answers and abstentions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import parse_qs

from ui.bubble import REPORT_PATH
from ui.render import SourceSpan, escape

PAGE_LANG = "zh-CN"
PAGE_SCRIPT = """<script>
(function () {
  try {  /* Gradio picks its labels' language from the browser's: the desk speaks Chinese to everyone */
    Object.defineProperty(navigator, "language", {get: function () { return "zh-CN"; }, configurable: true});
    Object.defineProperty(navigator, "languages", {get: function () { return ["zh-CN", "zh"]; }, configurable: true});
  } catch (e) {}
  /* Scroll only the chat's own box, never the page: the question box stays where the visitor left it. */
  function box(el) {
    for (var e = el.parentElement; e; e = e.parentElement) {
      var y = getComputedStyle(e).overflowY;
      if ((y === "auto" || y === "scroll") && e.scrollHeight > e.clientHeight) return e;
    }
    return null;
  }
  function reveal(el) {
    var b = box(el);
    if (b) b.scrollTop += el.getBoundingClientRect().top - b.getBoundingClientRect().top - 8;
  }
  /* A new question is brought to the top of the chat, its answer streaming under it (Gradio's own autoscroll is
     off: it pulled the chat back down while a visitor read an earlier answer's source). */
  var asked = 0, following = false, pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {  /* after Gradio has laid the new messages out */
      pending = false;
      var questions = document.querySelectorAll('#rq-chat [data-testid="user"]');
      if (questions.length > asked) following = true;
      asked = questions.length;
      if (!following || !questions.length) return;
      reveal(questions[questions.length - 1]);  /* again as the answer grows: the box could not scroll further */
      var answers = document.querySelectorAll('#rq-chat [data-testid="bot"]');
      var last = answers[answers.length - 1];
      if (answers.length >= questions.length && last && last.textContent.indexOf("\u258d") < 0) following = false;
    });
  }).observe(document, {childList: true, subtree: true});
  /* A click on an answer's [n] opens that answer's sources and brings the cited passage into view. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.rq-cite") : null;
    if (!link) return;
    var target = document.getElementById((link.getAttribute("href") || "").slice(1));
    if (!target) return;
    event.preventDefault();
    var details = target.closest("details");
    if (details) details.open = true;
    reveal(target);
    target.classList.remove("rq-flash");
    void target.offsetWidth;
    target.classList.add("rq-flash");
  }, true);
})();
</script>"""
REPORT_CSS = """
body { font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 0 auto; max-width: 52em;
       padding: 1em; line-height: 1.8; color: #1f2937; }
.rq-text { white-space: pre-wrap; word-break: break-word; }
mark { background: #fde68a; scroll-margin-top: 30vh; }
.rq-meta { color: #6b7280; }
"""
_MAX_BODY = 4_000_000  # an HTML page larger than this is passed through untouched


class DeskPageMiddleware:
    """Pure ASGI, so Gradio's streamed (SSE) responses pass through untouched."""

    def __init__(self, app, chunks: Callable[[], Sequence[SourceSpan]]) -> None:
        self.app = app
        self.chunks = chunks

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        if scope["path"].rstrip("/").endswith("/" + REPORT_PATH):
            status, body = report_page(self.chunks(), parse_qs(scope.get("query_string", b"").decode("latin-1")))
            await _respond(send, status, body.encode("utf-8"))
            return
        await self.app(scope, receive, _ChineseHtml(send))


class _ChineseHtml:
    """Wraps `send`: an HTML response is buffered, given lang="zh-CN" and the desk's script, and sent whole."""

    def __init__(self, send) -> None:
        self.send = send
        self.start: dict | None = None
        self.parts: list[bytes] = []

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            if b"text/html" in headers.get(b"content-type", b"") and b"content-encoding" not in headers:
                self.start = message
                return
        if self.start is None or message["type"] != "http.response.body":
            await self.send(message)
            return
        self.parts.append(message.get("body", b""))
        if message.get("more_body") and sum(map(len, self.parts)) < _MAX_BODY:
            return
        body = b"".join(self.parts)
        if not message.get("more_body"):
            body = chinese_page(body.decode("utf-8", "replace")).encode("utf-8")
        headers = [(k, v) for k, v in self.start.get("headers", []) if k != b"content-length"]
        if not message.get("more_body"):
            headers.append((b"content-length", str(len(body)).encode()))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body, "more_body": message.get("more_body", False)})
        self.start = None  # anything further streams through as it comes


def chinese_page(html: str) -> str:
    """Gradio's page with lang="zh-CN" and the desk's script first in <head> (before Gradio's own scripts)."""
    if "<html" not in html[:500]:
        return html
    html = html.replace('lang="en"', f'lang="{PAGE_LANG}"', 1)
    head = html.find("<head>")
    return html if head < 0 else html[:head + 6] + PAGE_SCRIPT + html[head + 6:]


def report_page(chunks: Sequence[SourceSpan], query: dict[str, list[str]]) -> tuple[int, str]:
    """(status, HTML) for one stored report's full text, text[start:end] marked and scrolled to."""
    source = (query.get("source") or [""])[0]
    parts = sorted((c for c in chunks if c.source == source), key=lambda c: (c.start, -c.end))
    if not parts:
        return 404, _page("未找到该报告", f'<p>没有名为“{escape(source)}”的已入库报告。</p><p><a href="./">返回问答</a></p>')
    span = _span(query)
    title = next((getattr(c, "title", "") for c in parts if getattr(c, "title", "")), source)
    first = parts[0]
    whose = " · ".join(p for p in (getattr(first, "department", ""),
                                   f"{first.year} 年度" if getattr(first, "year", None) else "") if p)
    body = (f'<p><a href="./">← 返回问答</a></p><h1>《{escape(title)}》</h1>'
            f'<p class="rq-meta">{escape(whose)}{" · " if whose else ""}报告全文（按入库文本）</p>'
            f'<div class="rq-text">{_full_text_html(parts, span)}</div>')
    return 200, _page(f"《{title}》全文", body)


def _span(query: dict[str, list[str]]) -> tuple[int, int] | None:
    try:
        start, end = int(query["start"][0]), int(query["end"][0])
    except (KeyError, IndexError, ValueError):
        return None
    return (start, end) if 0 <= start < end else None


def _full_text_html(parts: Sequence[SourceSpan], span: tuple[int, int] | None) -> str:
    """The report's text laid out from its chunks (each is text[start:end]), `span` in <mark id="rq-here">."""
    pieces: list[tuple[int, str]] = []  # (offset in the report, text), in order and not overlapping
    reached = 0
    for chunk in parts:
        if chunk.end <= reached:
            continue
        if chunk.start > reached and pieces:
            pieces.append((reached, "\n"))  # a gap no chunk covers (blank lines): one line break stands for it
        begin = max(reached, chunk.start)
        pieces.append((begin, chunk.text[begin - chunk.start:]))
        reached = chunk.end
    out: list[str] = []
    opened = closed = False
    for offset, text in pieces:
        cuts = sorted({0, len(text), *(p - offset for p in span or () if offset < p < offset + len(text))})
        for a, b in zip(cuts, cuts[1:], strict=False):
            if span and not opened and offset + a >= span[0]:
                out.append('<mark id="rq-here">')
                opened = True
            if span and opened and not closed and offset + a >= span[1]:
                out.append("</mark>")
                closed = True
            out.append(escape(text[a:b]))
    if opened and not closed:
        out.append("</mark>")
    return "".join(out)


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="{PAGE_LANG}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{REPORT_CSS}</style></head><body>{body}</body></html>")


async def _respond(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})
