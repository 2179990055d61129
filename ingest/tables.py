"""Tables as records: a table row (cells apart by tabs, as Word and PDF tables are rendered at load, or by spaces
in a table flattened into text) under a header row becomes a `TableRecord` with its fields, its parent
indicators (一级 › 二级 › 三级), the sheet's unit and every cell's exact span."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from ingest.facts import NUMBER, SheetUnits
from ingest.models import Cell, Fact, TableRecord

HIERARCHY = ("level1", "level2", "level3")
_VALUE_FIELDS = frozenset({"target", "actual", "weight", "score", "reason", "budget_initial", "budget", "executed",
                           "rate"})
_MIN_HEADER_FIELDS = 3
_BRACKETED_UNIT = re.compile(r"[（(]\s*(万元|亿元|千元|元|%|％)\s*[）)]")
_DATE = re.compile(r"(?:19|20)\d{2}\s*年")
_SPACE_CELL = re.compile(r"\S+")
_BARE = re.compile(r"[≥≤>＜<＞=约]*\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")


@cache
def vocabulary() -> dict:
    text = resources.files(__package__).joinpath("table_headers.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def header_words() -> list[tuple[str, str]]:
    """(word, field), longest word first."""
    pairs = [(word, name) for name, words in vocabulary()["fields"].items() for word in words]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def header_field(cell: str) -> str:
    """The field a header cell names (年度指标值 → target), or ''."""
    bare = re.sub(r"\s+", "", _BRACKETED_UNIT.sub("", cell))
    return next((name for word, name in header_words() if word in bare), "") if len(bare) <= 16 else ""


def _cells(text: str, start: int, end: int) -> list[Cell]:
    """The cells of one line, each with its span. Tabs keep empty cells (a merged or blank cell holds its
    column); a line without tabs splits at spaces, and its empty cells are lost."""
    line = text[start:end]
    if "\t" in line:
        cells, pos = [], start
        for piece in line.split("\t"):
            stripped = piece.strip()
            offset = piece.find(stripped) if stripped else 0
            cells.append(Cell(stripped, pos + offset, pos + offset + len(stripped)))
            pos += len(piece) + 1
        return cells
    return [Cell(m.group(), start + m.start(), start + m.end()) for m in _SPACE_CELL.finditer(line)]


class _Header:
    def __init__(self, cells: list[Cell], fields: list[str], unit: str) -> None:
        self.cells, self.fields, self.unit = cells, fields, unit

    @classmethod
    def of(cls, cells: list[Cell]) -> _Header | None:
        fields = [header_field(c.text) if c.text else "" for c in cells]
        named = {f for f in fields if f}
        figures = named - {"level1", "level2", "level3", "label", "reason"}
        if len(named) < _MIN_HEADER_FIELDS or not figures:
            return None
        units = [m.group(1) for c in cells if (m := _BRACKETED_UNIT.search(c.text))]
        money = next((u for u in units if "元" in u), "")
        return cls(cells, fields, money)


def is_table_row(chunk_text: str, has_record: bool) -> bool:
    """A row of a table read as records, or its header row: cells, never a sentence to quote as an answer."""
    if has_record:
        return True
    return "\t" in chunk_text and _Header.of(_cells(chunk_text, 0, len(chunk_text))) is not None


_NUMBER_CELL = re.compile(r"(?<!\S)\d[\d.,]*[%％]?(?!\S)")
CELL_RUN_NUMBERS = 4  # prose with PDF spacing (截止2022 年 12 月 8 日) holds a few bare numbers; a form's cells, many


def is_cell_run(text: str) -> bool:
    """财政拨款 108292.73 其他资金 … 88.3% 90147 98577.39: a form flattened into a line of cells, never a sentence to
    quote as an answer (its figures answer through their cells)."""
    return len(_NUMBER_CELL.findall(text)) >= CELL_RUN_NUMBERS


_CELL_FACT = re.compile(r"[^\s|｜]+(?:[ \t|｜]+[^\s|｜]+){1,6}(?<=[\d%％])")  # a label cell, its number cell(s)


def is_cell_fact(fact: Fact) -> bool:
    """项目支出 29441.59 24.01%: a figure read from a form's cells (a label cell, then its number cells)."""
    return bool(_CELL_FACT.fullmatch(fact.clause)) and fact.clause.startswith(fact.label)


def table_records(text: str, units: SheetUnits | None = None) -> list[TableRecord]:
    """Every row under a header row, until a line that is not a row. Parent indicators left empty (merged
    cells) are carried down from the row above."""
    units = units or SheetUnits(text)
    records: list[TableRecord] = []
    header: _Header | None = None
    above: dict[str, str] = {}
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        cells = _cells(text, start, end)
        if len([c for c in cells if c.text]) < 2:
            if line.strip() and "\t" not in line:
                header = None  # a paragraph ends the table; a row with one cell filled (成本指标) does not
            continue
        found = _Header.of(cells)
        if found is not None:
            header, above = found, {}
            continue
        if header is None:
            continue
        record = _record(header, cells, above, units.before(start) or "")
        if record is not None:
            records.append(record)
    return records


def _record(header: _Header, cells: list[Cell], above: dict[str, str], sheet_unit: str) -> TableRecord | None:
    if len(cells) > len(header.fields):
        return None
    fields = header.fields[len(header.fields) - len(cells):]  # missing leading cells were merged parents
    heads = header.cells[len(header.cells) - len(cells):]
    by_field = [(name, head.text, cell) for name, head, cell in zip(fields, heads, cells) if name and cell.text]
    first_value = next((i for i, name in enumerate(fields) if name in _VALUE_FIELDS), len(fields))
    # The row's name: its last words before the first figure column (三级指标, or 年度资金总额 after 资金).
    name_cell = next((c for c in reversed(cells[:first_value]) if c.text and not _BARE.fullmatch(c.text)), None)
    values = tuple((n, h, c) for n, h, c in by_field if n in _VALUE_FIELDS)
    if name_cell is None or not values:
        return None
    own = {n: c.text for n, _, c in by_field if n in HIERARCHY}
    for name in HIERARCHY[:2]:  # merged parents: a new 一级指标 starts its own 二级指标
        if name in own:
            above[name] = own[name]
            if name == "level1" and "level2" not in own:
                above.pop("level2", None)
    path: tuple[str, ...] = ()
    if "level3" in own:  # an indicator row; a 总分 or 合计 row has no parents
        path = tuple(v for v in (above.get("level1", ""), above.get("level2", ""), own["level3"]) if v)
    return TableRecord(name=name_cell.text, name_cell=name_cell, path=path, fields=values,
                       unit=header.unit or sheet_unit, start=min(c.start for c in cells if c.text),
                       end=max(c.end for c in cells if c.text))


def cell_figure(record: TableRecord, field: str) -> tuple[str, str] | None:
    """(value, unit) of a field's cell: 95% → (95, %), ≥500人 → (500, 人), 10 under 得分 → (10, 分)."""
    cell = record.cell(field)
    if cell is None:
        return None
    if _DATE.search(cell.text):  # 2022年12月前: a date, not a figure
        return None
    stated = NUMBER.search(cell.text)
    if stated:
        return stated.group(1), stated.group(2).replace("％", "%")
    bare = _BARE.match(cell.text)
    if not bare:
        return None
    default = vocabulary()["units"].get(field, "")
    return bare.group(1), record.unit if default == "sheet" else default


def is_total(record: TableRecord) -> bool:
    return any(word in record.name for word in vocabulary()["totals"]["words"])
