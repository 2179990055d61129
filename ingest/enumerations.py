"""Numbered items in running text: （一）…（二）…, 1).…2).…, ①…②…, or a table flattened one cell per line
(序号 / 1 / 预防… / 2 / 维护…). A run of markers numbered 1, 2, 3… in one style is an enumeration; its items
are the spans between them, as exact offsets of the source text."""

from __future__ import annotations

import re

from ingest.numerals import cn_int
from ingest.sentences import trim_span

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN = "一二三四五六七八九十"
# Each style: a pattern whose group 1 is the item's number. Markers count only at a line start or after a
# separator, so 2.5万元 or 第1项 is never one.
_LEAD = r"(?:(?<=^)|(?<=[\n。；;，,：:\s]))"
_STYLES = {
    "paren_cn": re.compile(_LEAD + r"[（(]\s*([" + _CN + r"]{1,3})\s*[）)]"),
    "paren_arabic": re.compile(_LEAD + r"[（(]\s*(\d{1,2})\s*[）)]"),
    "arabic": re.compile(r"(?m)^[ \t\u3000]*(\d{1,2})\s*[、.．](?!\d)"),
    "arabic_paren": re.compile(r"(?m)^[ \t\u3000]*(\d{1,2})\s*[)）][.、．]?"),
    "circled": re.compile(_LEAD + r"([" + _CIRCLED + r"])"),
    "cell": re.compile(r"(?m)^[ \t\u3000]*(\d{1,2})[ \t\u3000]*$"),  # an index cell alone on its line
}
MIN_ITEMS = 2


def _number(token: str) -> int:
    if token in _CIRCLED:  # before isdecimal(): '①' is a digit to Python, not a decimal
        return _CIRCLED.index(token) + 1
    return cn_int(token) or 0


def _run(markers: list[tuple[int, int]]) -> list[int]:
    """The longest run of marker positions numbered 1, 2, 3… in order."""
    best: list[int] = []
    for i, (_, number) in enumerate(markers):
        if number != 1:
            continue
        run, expected = [markers[i][0]], 2
        for pos, n in markers[i + 1:]:
            if n == expected:
                run.append(pos)
                expected += 1
        if len(run) > len(best):
            best = run
    return best


def numbered_items(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The items of the longest numbered enumeration in text[start:end], as absolute spans; [] if none.
    The last item ends with its line (or its paragraph, for a table's cell)."""
    end = len(text) if end is None else end
    best: list[int] = []
    for pattern in _STYLES.values():
        run = _run([(m.start(), _number(m.group(1))) for m in pattern.finditer(text, start, end)])
        if len(run) > len(best):
            best = run
    if len(best) < MIN_ITEMS:
        return []
    last_line = text.find("\n", best[-1], end)
    tail = end if last_line < 0 else last_line
    if text[best[-1]:tail].strip().isdigit():  # an index cell: its item is the next non-empty line
        nxt = re.search(r"\S[^\n]*", text[tail:end])
        tail = tail + nxt.end() if nxt else end
    bounds = best + [tail]
    return [s for a, b in zip(bounds, bounds[1:]) if (s := trim_span(text, a, b))]


def marker_free(item: str) -> str:
    """An item's words without its number: 1).负责… → 负责…; 1\\n\\n预防… → 预防…."""
    for pattern in _STYLES.values():
        m = pattern.match(item)
        if m and m.start() == 0:
            return item[m.end():].lstrip(" \t\u3000\r\n.、．)）")
    return item


def leading_number(text: str) -> tuple[str, int] | None:
    """(style, number) of the marker a paragraph starts with (2).负责… → ("arabic_paren", 2)), or None."""
    stripped = text.lstrip(" \t\u3000\r\n")
    for style, pattern in _STYLES.items():
        m = pattern.match(stripped)
        if m and m.start() == 0:
            return style, _number(m.group(1))
    return None
