"""Escaping for the page, and the helpers every view of a report shares (a citation's chunk, report titles).

Every string that comes from a visitor or a document is escaped here before it reaches the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Protocol

from assistant import Citation

# `<`, `>` and `&` are left to html.escape: a backslash before an entity would show the entity itself.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
# A list item that carries the report's own number (1、 / （一） / (1)) needs no markdown bullet as well.
NUMBERED_ITEM = re.compile(r"^- (?=(?:\d+|[一二三四五六七八九十]+)、|[（(][0-9一二三四五六七八九十]+[）)])", re.M)


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


def message_markdown(text: str, icon: str = "ℹ️") -> str:
    """A bubble of the desk's own message (rate limit, internal error)."""
    return f"{icon} {escape(text)}"


def containing_chunk(citation: Citation, chunks: Sequence[SourceSpan]) -> SourceSpan | None:
    """The smallest chunk of the same source whose span holds the citation's span."""
    holders = [c for c in chunks
               if c.source == citation.source and c.start <= citation.start and citation.end <= c.end]
    return min(holders, key=lambda c: c.end - c.start, default=None)


def report_titles_line(titles: Sequence[str]) -> str:
    """本助手仅依据《…》作答, naming every stored report."""
    names = "、".join(f"《{escape(t)}》" for t in titles)
    return f"本助手仅依据{names}作答。" if names else "本助手仅依据已入库的报告作答。"
