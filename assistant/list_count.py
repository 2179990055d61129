"""How many items a list holds (职责表里一共列了几条, how many duties are listed), said only where the report numbers
them: the count is the last item's own number, cited with it, never a figure the report does not state."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.asks import UnitKind
from assistant.draft import Draft, Span
from assistant.lists import ListItem
from assistant.question import Question
from ingest.models import Chunk

MIN_LIST_COUNT_SCORE = 0.15  # the list must speak of what is asked, if loosely, and its title name some of it
_ITEM_COUNTERS = ("条", "项", "个", "")
# how many duties are listed: an English count of a list's items
_EN_ITEMS = re.compile(r"how many\s+(?:[a-z-]+\s+){0,2}?(?:duties|functions|responsibilities|tasks|items|points|"
                       r"measures|problems|goals|targets)\b")
_NUMBER_BEFORE = re.compile(r"(?<![\d.])(\d{1,2})\s*[、.．)）]?\s*$")


def asks_list_count(q: Question) -> bool:
    if q.english:
        return bool(_EN_ITEMS.search(q.norm))
    return q.unit is UnitKind.COUNT and q.count_unit in _ITEM_COUNTERS and bool(re.search(r"[几多少][条项]", q.norm))


def count_draft(found: tuple[float, str, list[ListItem]] | None, corpus: list[Chunk],
                names_it: Callable[[str], bool]) -> Draft | None:
    """共列出14条: when every item of the best list is preceded by its own number 1…N, and `names_it` holds of the
    list's title (it names what the question counts); else None."""
    if found is None or found[0] < MIN_LIST_COUNT_SCORE or len(found[2]) < 2 or not names_it(found[1]):
        return None
    items = found[2]
    source = items[0].span.chunk.source  # a table's 序号 cells of the list's report, read once
    cells = [c for c in corpus if c.source == source and c.text.strip().isdigit() and len(c.text.strip()) <= 2]
    numbers = [_number_before(item.span, cells) for item in items]
    if any(n is None or n[0] != i for i, n in enumerate(numbers, 1)):
        return None
    draft = Draft()
    draft.add(f"共列出{len(items)}条{draft.cite(numbers[-1][1])}，排在最后的是：{items[-1].text}{draft.cite(items[-1].span)}。")
    return draft


def _number_before(span: Span, cells: list[Chunk]) -> tuple[int, Span] | None:
    """The item's own number written just before it (14. or 14、 in its text, or a table's 序号 cell of its own) and
    the span that states it."""
    chunk = span.chunk
    at = span.start - chunk.start
    head = chunk.text[max(0, at - 12):at]
    m = _NUMBER_BEFORE.search(head)
    if m:
        start = span.start - len(head) + m.start(1)
        return int(m.group(1)), Span(chunk, start, start + len(m.group(1)))
    cell = next((c for c in cells if c.source == chunk.source and c.end <= span.start <= c.end + 4), None)
    return (int(cell.text.strip()), Span(cell, cell.start, cell.end)) if cell is not None else None
