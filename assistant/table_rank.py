"""哪个指标得分最低: the indicator rows of one table compared on the column a question names, by code. The answer
names the highest or lowest row and cites every row compared; it states only cells, never a computed figure."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.draft import Draft, Span
from assistant.figure_draft import decimal_value
from ingest.models import Chunk, TableRecord
from ingest.tables import cell_figure, is_table_row, is_total

# The columns whose cells are figures of one kind down a table, and so can be compared row by row.
RANKED_FIELDS = ("score", "weight", "rate")
_MAX_TABLES = 3  # tables one answer ranks, each on its own


def rank_rows(draft: Draft, field: str, direction: str, rows: Sequence[tuple[Chunk, TableRecord]],
              chunks: Sequence[Chunk]) -> None:
    """Per table (the rows between one header row and the next), the indicator row highest ("max") or lowest
    ("min") in the `field` column."""
    asked = [(c, r) for c, r in rows if r.path and not is_total(r) and r.cell(field)]
    for table in _tables(asked, chunks)[:_MAX_TABLES]:
        _rank_table(draft, table, field, direction)


def _tables(rows: Sequence[tuple[Chunk, TableRecord]], chunks: Sequence[Chunk]) -> list[list[tuple[Chunk, TableRecord]]]:
    """The rows grouped by the table they are in: a header row starts a table (records carry no table of their own)."""
    if not rows:
        return []
    source = rows[0][0].source
    table, of_row = 0, {}
    for chunk in sorted((c for c in chunks if c.source == source), key=lambda c: c.start):
        if chunk.record is None and is_table_row(chunk.text, False):
            table += 1
        of_row[chunk.id] = table
    grouped: dict[int, list[tuple[Chunk, TableRecord]]] = {}
    for chunk, record in rows:
        grouped.setdefault(of_row.get(chunk.id, 0), []).append((chunk, record))
    return [grouped[k] for k in sorted(grouped)]


def _rank_table(draft: Draft, table: list[tuple[Chunk, TableRecord]], field: str, direction: str) -> None:
    """Nothing is said of a table with fewer than two rows to compare, with cells in different units, or with a
    cell that is no figure: a row left out would make the named one no more the lowest of them."""
    valued = []
    for chunk, record in table:
        figure = cell_figure(record, field)
        value = decimal_value(figure[0].replace(",", "")) if figure else None
        if value is None:
            return
        valued.append((value, figure[1], chunk, record))
    if len(valued) < 2 or len({unit for _, unit, _, _ in valued}) != 1:
        return
    valued.sort(key=lambda v: v[0], reverse=direction == "max")
    top = [v for v in valued if v[0] == valued[0][0]]
    header = table[0][1].header(field)
    word = ("最高" if direction == "max" else "最低") if field != "weight" else ("最大" if direction == "max" else "最小")
    said = [f"{record.name}（{header} {record.cell(field).text}）{draft.cite(_span(chunk, record, field))}"
            for _, _, chunk, record in valued]
    lead = f"{header}{word}的指标是：" if len(top) == 1 else f"{header}并列{word}的指标是："
    draft.add(lead + "、".join(said[:len(top)]))
    if len(valued) > len(top):
        draft.add("。\n其余为：" + "、".join(said[len(top):]))
    draft.add("。\n")


def _span(chunk: Chunk, record: TableRecord, field: str) -> Span:
    """The row from its name to the compared cell."""
    return Span(chunk, record.name_cell.start, max(record.name_cell.end, record.cell(field).end))
