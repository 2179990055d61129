"""Recognises the heading levels of Chinese official documents: 一、 / （一） / 1、 / (1)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum

from ingest.numerals import cn_int


class Style(IntEnum):
    """Heading marker styles, in their usual nesting order."""

    CN = 1  # 一、
    PAREN_CN = 2  # （一） or (一)
    ARABIC = 3  # 1、 or 1. or 1．
    PAREN_ARABIC = 4  # （1） or (1)


_PATTERNS = [
    (Style.CN, re.compile(r"([一二三四五六七八九十]{1,3})\s*[、.．]")),
    (Style.PAREN_CN, re.compile(r"[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]")),
    (Style.ARABIC, re.compile(r"(\d{1,2})\s*[、.．](?!\d)")),
    (Style.PAREN_ARABIC, re.compile(r"[（(]\s*(\d{1,2})\s*[）)]")),
]
# A heading's leading number (二、, （一）, 1., (3)), as a section path shows it.
_LEADING_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十\d]{1,3}[、.．])\s*")


def unmarked(heading: str) -> str:
    """A heading's words without its leading number: 二、存在的问题 → 存在的问题."""
    return _LEADING_MARKER.sub("", heading)


_TITLE_END = re.compile(r"[。：:；;！!？?]")
MAX_TITLE = 40
_FIGURE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万元|亿元|元|人|名|家|个|项|%)")  # 23,005.58元 whole


def _normalise_marker(title: str) -> str:
    """(三)引导… → （三）引导…, so one section path never mixes half- and full-width markers."""
    return re.sub(r"^\(([^()]{1,3})\)", r"（\1）", title)


def cn_to_int(numeral: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (ingest.numerals)."""
    return cn_int(numeral) or 0


@dataclass
class HeadingMatch:
    """A heading found at the start of a line (offsets are absolute)."""

    style: Style
    number: int
    title: str  # marker + title words, trailing punctuation removed
    body_start: int  # where inline body text begins (== line end when heading-only)


def match_heading(text: str, start: int, end: int) -> HeadingMatch | None:
    """Parse a heading at text[start:end] (a trimmed line), or None for a body line."""
    for style, pattern in _PATTERNS:
        m = pattern.match(text, start, end)
        if not m:
            continue
        stop = _TITLE_END.search(text, m.end(), end)
        title_end = stop.start() if stop else end
        body_start = stop.end() if stop else end
        comma = text.find("，", m.end(), title_end)
        # Headings name things; a "heading" that states figures (3、人员行政编制人数7人，…) is body text.
        states_figure = _FIGURE.search(text, m.end(), title_end) is not None
        if states_figure:
            figure = _FIGURE.search(text, m.end(), title_end)
            title_end, body_start = figure.start(), start  # the whole line is its own body
        elif title_end - start > MAX_TITLE:
            if comma == -1:
                return None  # a long sentence that happens to start with a number
            title_end = body_start = comma
        title = _normalise_marker(re.sub(r"[\s\u3000]+", "", text[start:title_end]).rstrip("，,、"))
        while body_start < end and text[body_start] in " \u3000\t，,":
            body_start += 1
        return HeadingMatch(style, int(cn_to_int(m.group(1))), title, body_start)
    return None


@dataclass
class Heading:
    """A heading on the outline stack."""

    style: Style
    number: int
    title: str
    start: int
    end: int
    has_content: bool = False
    ends_with_colon: bool = False
    children: list[Heading] = field(default_factory=list)


class Outline:
    """Tracks the current heading path while a document is read top to bottom.

    Official reports reuse a marker style at two depths, e.g. （一）主要问题 followed by
    （一）研发投入实力不强. A restart at 1 right under an empty heading of the same style
    nests; otherwise a marker is the sibling of the nearest heading numbered one less.
    """

    def __init__(self) -> None:
        self.stack: list[Heading] = []

    def path(self) -> list[Heading]:
        return list(self.stack)

    def push(self, heading: Heading) -> None:
        same = [i for i, h in enumerate(self.stack) if h.style == heading.style]
        top = self.stack[-1] if self.stack else None
        nests = (heading.number == 1 and top is not None and top.style == heading.style
                 and not top.has_content)
        if not nests:
            pos = next((i for i in reversed(same) if self.stack[i].number == heading.number - 1),
                       same[-1] if same else None)
            if pos is None:
                pos = next((i for i, h in enumerate(self.stack) if h.style > heading.style),
                           len(self.stack))
            del self.stack[pos:]
        if self.stack:
            self.stack[-1].has_content = True
            self.stack[-1].children.append(heading)
        self.stack.append(heading)

    def mark_content(self) -> None:
        if self.stack:
            self.stack[-1].has_content = True
