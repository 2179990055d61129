"""Sentence and clause spans for Chinese official prose, never breaking numbers, quotes or brackets."""

from __future__ import annotations

import re
from bisect import bisect_left

SENTENCE_ENDS = frozenset("。！？；!?;")
CLAUSE_ENDS = SENTENCE_ENDS | frozenset("，,：:")
OPENERS = {"“": "”", "《": "》", "（": "）", "(": ")", "【": "】", "「": "」", "『": "』", "‘": "’"}
CLOSERS = frozenset(OPENERS.values())
_SPACE = " \t\u3000\r\n\xa0\uf020\u200b\ufeff"  # \uf020: Word's symbol-font space


def _spans(text: str, ends: frozenset[str], start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    depth = 0
    seg_start = start
    for i in range(start, end):
        ch = text[i]
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS and depth > 0:
            depth -= 1
        elif ch in ends and depth == 0 and not _thousands_comma(text, i):
            spans.append((seg_start, i + 1))
            seg_start = i + 1
    if seg_start < end:
        spans.append((seg_start, end))
    return [trimmed for s, e in spans if (trimmed := trim_span(text, s, e))]


def _thousands_comma(text: str, i: int) -> bool:
    """The comma of 1,867.48: between a digit and three digits that end the group, it breaks no clause."""
    return (text[i] == "," and i > 0 and text[i - 1].isdigit() and text[i + 1:i + 4].isdigit()
            and len(text[i + 1:i + 4]) == 3 and not text[i + 4:i + 5].isdigit())


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink a span past surrounding whitespace (full-width included); None when empty."""
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return (start, end) if start < end else None


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as absolute spans. Splits on 。！？； outside quotes and brackets."""
    return _spans(text, SENTENCE_ENDS, start, len(text) if end is None else end)


def sentence_end(text: str, pos: int) -> int:
    """Where the sentence holding `pos` ends (just past its 。 or ；), within its line; `pos` when nothing follows."""
    line_end = text.find("\n", pos)
    spans = sentence_spans(text, pos, len(text) if line_end < 0 else line_end)
    return spans[0][1] if spans else pos


def clause_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Clauses (split also on ，and ：) outside quotes and brackets."""
    return _spans(text, CLAUSE_ENDS, start, len(text) if end is None else end)


_ENUM = re.compile(r"[一二三四五六七八九十]+是")


def _item_marks(text: str, start: int, end: int) -> list[int]:
    """Where the items of an inline 一是…二是… enumeration start in text[start:end]: a mark after a break."""
    return [m.start() for m in _ENUM.finditer(text, start, end)
            if m.start() == start or text[m.start() - 1] in "。；;，,：:\u3000 "]


def enumerated_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Items of an inline 一是…二是… enumeration inside text[start:end]; [] when there is none."""
    marks = _item_marks(text, start, end)
    if len(marks) < 2:
        return []
    bounds = marks + [end]
    return [s for a, b in zip(bounds, bounds[1:]) if (s := trim_span(text, a, b))]


def item_head(text: str, floor: int, pos: int) -> str:
    """The head of the inline enumerated item that `pos` sits in (三是小学教育支出 of 三是小学教育支出，即…676.47万元),
    searched back to `floor`; '' when `pos` is in no item."""
    bounds = item_head_bounds(text, floor, pos)
    return text[bounds[0]:bounds[1]] if bounds else ""


def item_head_bounds(text: str, floor: int, pos: int) -> tuple[int, int] | None:
    """Where that head starts and ends in `text`; None when `pos` is in no item."""
    marks = _item_marks(text, floor, pos)
    if not marks:
        return None
    start = marks[-1]
    limit = max(pos, start + 40)  # a head is a short phrase: up to its first break
    ends = [i for i in (text.find(d, start, limit) for d in "，,：:；;（(。") if i != -1]
    return start, min(ends, default=pos)


def paragraph_breaks(pieces) -> dict[str, list[int]]:
    """Where each source's paragraphs break, from (source, start, text) pieces of it (its chunks): the absolute
    offsets of their line breaks, so that pieces cut mid-paragraph still place a position in its paragraph."""
    breaks: dict[str, set[int]] = {}
    for source, start, text in pieces:
        breaks.setdefault(source, set()).update(start + i for i, ch in enumerate(text) if ch == "\n")
    return {source: sorted(found) for source, found in breaks.items()}


def paragraph_of(breaks: dict[str, list[int]], source: str, pos: int) -> tuple[str, int]:
    """(source, the offset of the line break before `pos`, or -1): which paragraph `pos` is in."""
    found = breaks.get(source, [])
    i = bisect_left(found, pos)
    return source, found[i - 1] if i else -1
