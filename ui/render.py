"""What the page shows for an `Answer`: escaped chat text and the 来源 (sources) panel's HTML.

Every string that comes from a visitor or a document is escaped here before it reaches the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Protocol

from assistant import Answer, Citation, Mode

CONTEXT_CHARS = 160  # of the paragraph shown on each side of a cited sentence
ABSTAIN_HINT = "可以换个问法，或询问预算支出、工作成绩、问题与改进等报告中的内容。"
# `<`, `>` and `&` are left to html.escape: a backslash before an entity would show the entity itself.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
# A list item that carries the report's own number (1、 / （一） / (1)) needs no markdown bullet as well.
_NUMBERED_ITEM = re.compile(r"^- (?=(?:\d+|[一二三四五六七八九十]+)、|[（(][0-9一二三四五六七八九十]+[）)])", re.M)

SOURCES_CSS = """
.rq-sources { font-size: 0.95em; line-height: 1.6; }
.rq-sources h3 { margin: 0 0 0.2em; }
.rq-for { color: #374151; margin: 0 0 0.2em; }
.rq-guide { color: #6b7280; font-size: 0.85em; margin: 0 0 0.8em; }
.rq-source { border-left: 3px solid #f59e0b; padding: 0.3em 0.8em; margin: 0 0 0.8em; }
.rq-head { font-weight: 600; }
.rq-meta { color: #6b7280; font-size: 0.85em; }
.rq-para { margin: 0.3em 0 0; }
.rq-para mark { background: #fde68a; padding: 0 0.1em; }
.rq-notice { background: #eff6ff; border: 1px solid #bfdbfe; border-radius: 8px; padding: 0.7em 1em; color: #1e3a8a; }
.rq-empty { color: #6b7280; }
"""
EMPTY_SOURCES_HTML = ('<div class="rq-sources"><h3>来源</h3>'
                      '<p class="rq-empty">提问后，这里会列出答案引用的报告原文。</p></div>')


class SourceSpan(Protocol):
    """A stored chunk, as far as the sources panel needs it."""

    text: str
    source: str
    start: int
    end: int


def escape(text: str) -> str:
    """HTML-escape, and defuse `$` so no template or LaTeX renderer treats document text as code."""
    return html.escape(str(text), quote=True).replace("$", "&#36;")


def question_markdown(question: str) -> str:
    """A visitor's question as Chatbot markdown that shows exactly what was typed."""
    return escape(_MARKDOWN_SPECIAL.sub(r"\\\1", question))


def answer_markdown(answer: Answer, text: str | None = None) -> str:
    """The chat bubble for an answer; `text` is a streamed prefix of `answer.text`."""
    body = escape(_NUMBERED_ITEM.sub("", answer.text if text is None else text))
    if answer.mode == Mode.REFUSED:
        return f"⚠️ {body}"
    if answer.abstained:
        return f"ℹ️ {body}"
    if answer.notice and text is None:
        body += f"\n\n> {escape(answer.notice)}"
    return body


def message_markdown(text: str, icon: str = "ℹ️") -> str:
    """A bubble of the desk's own message (rate limit, internal error)."""
    return f"{icon} {escape(text)}"


def notice_html(message: str, hint: str = "") -> str:
    extra = f"<br>{escape(hint)}" if hint else ""
    return f'<div class="rq-sources"><h3>来源</h3><div class="rq-notice">ℹ️ {escape(message)}{extra}</div></div>'


def sources_html(answer: Answer, chunks: Sequence[SourceSpan]) -> str:
    """The 来源 panel: per citation its [n], section path and the cited sentence marked in its paragraph."""
    if answer.mode == Mode.REFUSED:
        return notice_html(answer.text)
    if answer.abstained or not answer.citations:
        return notice_html(answer.text, ABSTAIN_HINT)
    items = "".join(_citation_html(c, chunks) for c in answer.citations)
    # The panel shows the latest answer's sources only: say which question they belong to, and how a
    # follow-up was understood.
    understood = answer.rewritten_question
    asked = escape(answer.question) + (f"（按上文理解为：{escape(understood)}）" if understood else "")
    return (f'<div class="rq-sources"><h3>来源</h3><p class="rq-for">问：{asked}</p>'
            f'<p class="rq-guide">答案中的 [n] 对应下列报告原文，黄色底为所引用的句子。</p>{items}</div>')


def _citation_html(citation: Citation, chunks: Sequence[SourceSpan]) -> str:
    # A visitor knows the report by its title; the file name stays on hover for the desk staff.
    title = getattr(containing_chunk(citation, chunks), "title", "")
    source = f"《{escape(title)}》" if title else escape(citation.source)
    page = f" · 第 {citation.page} 页" if citation.page else ""
    return (f'<div class="rq-source" data-n="{citation.n}">'
            f'<div class="rq-head">[{citation.n}] {escape(citation.section)}</div>'
            f'<div class="rq-meta" title="{escape(citation.source)}">'
            f'{source}{page} · 第 {citation.start}–{citation.end} 字</div>'
            f'<p class="rq-para">{paragraph_html(citation, chunks)}</p></div>')


def paragraph_html(citation: Citation, chunks: Sequence[SourceSpan]) -> str:
    """The cited quote inside its paragraph (the containing chunk), the quote wrapped in <mark>."""
    chunk = containing_chunk(citation, chunks)
    if chunk is None:
        return f"<mark>{escape(citation.quote)}</mark>"
    lo, hi = citation.start - chunk.start, citation.end - chunk.start
    if chunk.text[lo:hi] != citation.quote:  # offsets disagree with the text: fall back to a search
        lo = chunk.text.find(citation.quote)
        if lo < 0:
            return f"<mark>{escape(citation.quote)}</mark>"
        hi = lo + len(citation.quote)
    before, after = chunk.text[max(0, lo - CONTEXT_CHARS):lo], chunk.text[hi:hi + CONTEXT_CHARS]
    lead = "…" if lo > CONTEXT_CHARS else ""
    tail = "…" if hi + CONTEXT_CHARS < len(chunk.text) else ""
    return f"{lead}{escape(before)}<mark>{escape(citation.quote)}</mark>{escape(after)}{tail}"


def containing_chunk(citation: Citation, chunks: Sequence[SourceSpan]) -> SourceSpan | None:
    """The smallest chunk of the same source whose span holds the citation's span."""
    holders = [c for c in chunks
               if c.source == citation.source and c.start <= citation.start and citation.end <= c.end]
    return min(holders, key=lambda c: c.end - c.start, default=None)


def report_titles_line(titles: Sequence[str]) -> str:
    """本助手仅依据《…》作答, naming every stored report."""
    names = "、".join(f"《{escape(t)}》" for t in titles)
    return f"本助手仅依据{names}作答。" if names else "本助手仅依据已入库的报告作答。"
