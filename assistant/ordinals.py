"""Which item of a list a question asks for by its place (主要职能第一条, the second problem listed): 1, 2, …; LAST
(-1) for the last one (职责表里最后一条); 0 for none."""

from __future__ import annotations

import re

from ingest.numerals import cn_int

# 第一条, 第2项: an item by its place, in any list the question names (职能, 问题, 措施).
_CN = re.compile(r"第([一二三四五六七八九十]{1,3}|\d{1,2})(?:条|项|点|个|方面|款)")
_FIRST = re.compile(r"头一[条项个点]|首[条项]")  # 头一条职能: the first
LAST = -1
_LAST = re.compile(r"最后一[条项个点款]|\bthe last\s+(?:[a-z-]+\s+){0,3}?(?:listed|function|duty|duties|"
                   r"responsibilit(?:y|ies)|task|problem|issue|measure|item|goal|target|point|achievement|step)")
_EN_PLACES = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
# the first function listed, the third problem: a place word before a list's item (not the first half of the year)
_EN = re.compile(r"\b(" + "|".join(_EN_PLACES) + r")\s+(?:[a-z-]+\s+){0,3}?(?:listed|function|duty|duties|"
                 r"responsibilit(?:y|ies)|task|problem|issue|measure|item|goal|target|point|achievement|step|"
                 r"shortcoming|suggestion|categor(?:y|ies)|aspect|area|part)")


def asked_ordinal(norm: str) -> int:
    if _FIRST.search(norm):
        return 1
    if _LAST.search(norm):
        return LAST
    m = _CN.search(norm)
    if m:
        value = cn_int(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
        return value if value and value <= 30 else 0
    m = _EN.search(norm)
    return _EN_PLACES.index(m.group(1)) + 1 if m else 0


def without_ordinal(norm: str) -> str:
    """The question without the place it asks for (第一条 is how it asks, not what about)."""
    return _LAST.sub(" ", _FIRST.sub(" ", _CN.sub(" ", norm)))


def marks_item(text: str, place: int) -> bool:
    """Whether `text` opens with the mark of the item at `place` (1. / 1、 / （一） / (1) / 一是 / 一、)."""
    cn = "一二三四五六七八九十"[place - 1] if place <= 10 else ""
    marks = [rf"{place}\s*[.．、](?!\d)", rf"[（(]{place}[)）]"]
    if cn:
        marks += [rf"[（(]{cn}[)）]", rf"{cn}是", rf"{cn}[、.．]"]
    return re.match(r"\s*(?:" + "|".join(marks) + ")", text) is not None
