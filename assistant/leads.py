"""How a figure's or a sentence's own words are shown: the clause that holds a figure, a form's cells read as a
sentence, and the filler a quoted lead drops."""

from __future__ import annotations

import re

from ingest.facts import CURRENT_COLUMN
from ingest.models import Fact

_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")  # the comma of 23,005.58 separates thousands, not clauses
_LEAD_FILLER = re.compile(r"^(?:\d{1,2}[、.．](?!\d)|其中[：:]?|包含|包括|[一二三四五六七八九十]是|同时|目前|并且|另外)+")
_LOST_CHARACTERS = re.compile(r"\s*[?？\ufffd]{3,}")


def clause_start(text: str, floor: int, pos: int) -> int:
    """Where the clause holding `pos` starts: after the last delimiter before it, never inside 23,005.58."""
    cut = max([floor] + [text.rfind(d, floor, pos) + 1 for d in "，；;：:。"])
    comma = text.rfind(",", cut, pos)
    while comma >= 0 and _THOUSANDS.match(text, comma - 1):
        comma = text.rfind(",", cut, comma)
    return max(cut, comma + 1)


def table_lead(lead: str, fact: Fact) -> str:
    """2023年总支出\t888.88 → 2023年总支出：888.88（单位：万元）: a table's cells read as a sentence, with the unit
    its header or sheet declares said apart (the cited row holds the number, not the unit)."""
    if fact.column and fact.column != CURRENT_COLUMN:  # 基本支出 93199.91 75.99% 81781: the year's cell, said so
        return f"{fact.column}{fact.label}：{fact.value}（单位：{fact.unit}）"
    if "\t" not in lead:  # a cell run apart by spaces (项目支出 29441.59): the unit its sheet declares, said apart
        return lead if not fact.unit or fact.unit in lead or not re.search(r"\d\s*$", lead) else f"{lead}（单位：{fact.unit}）"
    cells = [cell.strip() for cell in lead.split("\t") if cell.strip()]
    said = "：".join(cells)
    return said if not fact.unit or fact.unit in said else f"{said}（单位：{fact.unit}）"


def clean_lead(lead: str) -> str:
    lead = _LOST_CHARACTERS.sub("", lead)  # 其他配套设施等。 ?????????: characters the source lost in its encoding
    return _LEAD_FILLER.sub("", lead.strip().strip("、，,").rstrip("。；;：:")).strip().lstrip("、，,").strip()


def closing(text: str, opened: int, limit: int) -> int | None:
    """The offset just past the bracket that opens at `opened`, or None when it does not close in the sentence."""
    depth = 0
    for i in range(opened, limit):
        if text[i] in "（(":
            depth += 1
        elif text[i] in "）)":
            depth -= 1
            if depth == 0:
                return i + 1
    return None

