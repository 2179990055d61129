"""Answers from table records (绩效自评表 rows): an indicator's target, actual value and score, the indicators
not met, the total score and grade, the budget execution rate. Every figure is a cell's own text, cited at its
row; a comparison is made by code and states only the cells it compares."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from functools import cache
from importlib import resources

from assistant.draft import Draft, Span
from assistant.slots import states_measure
from assistant.table_rank import RANKED_FIELDS, rank_rows
from ingest.models import Chunk, TableRecord
from ingest.tables import cell_figure, is_total

_MAX_ROWS = 8  # rows one answer lists
_SEP = "，"


class TableAsk(Enum):
    INDICATOR = "indicator"  # one row, or one group of rows (满意度指标)
    UNMET = "unmet"
    TOTAL = "total"
    GRADE = "grade"
    FUNDS = "funds"  # the funds rows: budget, executed, execution rate
    RANK = "rank"  # 哪个指标得分最低: the indicator rows of one table, compared on the asked column


@dataclass(frozen=True)
class TablePlan:
    question: str
    asks: tuple[TableAsk, ...]
    fields: tuple[str, ...]  # what is asked of a row beyond its usual cells: score, weight, reason…
    rows: tuple[tuple[Chunk, TableRecord], ...] = ()  # the rows a question names
    measure: str = ""  # 几起 → 起: the measure a figure is asked in
    money: bool = False  # 多少钱
    rank: str = ""  # RANK: "max" or "min"


@cache
def vocabulary() -> dict:
    return tomllib.loads(resources.files("assistant.knowledge").joinpath("tables.toml").read_text(encoding="utf-8"))


def _says(text: str, words: Sequence[str]) -> bool:
    return any(word in text for word in words)


def table_rows(chunks: Sequence[Chunk]) -> list[tuple[Chunk, TableRecord]]:
    return [(c, c.record) for c in chunks if c.record is not None]


def named_rows(question: str, rows: Sequence[tuple[Chunk, TableRecord]],
               strict: bool = False) -> list[tuple[Chunk, TableRecord]]:
    """Rows whose indicator the question names in full (救助对象满意度), else the rows of a parent indicator it
    names in full (满意度指标), else (not `strict`) the rows sharing its longest run of four or more characters
    with a name."""
    indicators = [(c, r) for c, r in rows if not is_total(r)]
    full = [(c, r) for c, r in indicators if r.name in question]
    if full:
        longest = max(len(r.name) for _, r in full)
        return [(c, r) for c, r in full if len(r.name) == longest]
    parents = [(c, r) for c, r in indicators if any(p in question for p in r.path[:-1])]
    if parents or strict:
        return parents
    best, found = 3, []
    for c, r in indicators:
        shared = _longest_shared(question, r.name)
        if shared > best:
            best, found = shared, [(c, r)]
        elif shared == best and found:
            found.append((c, r))
    return found


def _longest_shared(a: str, b: str) -> int:
    best = 0
    for i in range(len(b)):
        for j in range(i + best + 1, len(b) + 1):
            if b[i:j] in a:
                best = j - i
            else:
                break
    return best


def plan(question: str, rows: Sequence[tuple[Chunk, TableRecord]], rank: str = "") -> TablePlan | None:
    """What a question asks of the tables, or None when it is not a question for them. A row named in full, or
    its parent indicator, comes before the table-wide asks (总分, 等级, 执行率); a row sharing only some words
    with the question comes after them. `rank` ("max" or "min") asks which row is highest or lowest in a column
    the question names (得分最低)."""
    if not rows:
        return None
    question = question.lower()  # English cue words are lower-case
    v = vocabulary()
    fields = tuple(name for name, words in v["fields"].items() if _says(question, words))
    if rank and any(f in RANKED_FIELDS for f in fields):  # within the parent indicator it names, if it names one
        return TablePlan(question, (TableAsk.RANK,), fields, tuple(named_rows(question, rows, strict=True)), rank=rank)
    if _says(question, v["asks"]["unmet"]):
        return TablePlan(question, (TableAsk.UNMET,), fields, tuple(named_rows(question, rows, strict=True)))
    named = named_rows(question, rows, strict=True)
    if named:
        return TablePlan(question, (TableAsk.INDICATOR,), fields, tuple(named))
    grade_words = sum(1 for word in v["grades"]["words"] if len(word) == 1 and word in question)
    asks = [ask for ask, says in ((TableAsk.FUNDS, _says(question, v["asks"]["funds"])),
                                  (TableAsk.TOTAL, _says(question, v["asks"]["total"])),
                                  (TableAsk.GRADE, _says(question, v["asks"]["grade"]) or grade_words >= 2)) if says]
    if asks:
        return TablePlan(question, tuple(asks), fields)
    named = named_rows(question, rows)
    return TablePlan(question, (TableAsk.INDICATOR,), fields, tuple(named)) if named else None


# --- comparing a target with what was done --------------------------------------------------------------------


def met(record: TableRecord) -> bool | None:
    """Whether the actual value reaches the target, by code: None when they cannot be compared (a date, a word,
    another unit)."""
    target, actual = cell_figure(record, "target"), cell_figure(record, "actual")
    if target is None or actual is None or target[1] != actual[1]:
        return None
    written = record.cell("target").text
    want, got = float(target[0].replace(",", "")), float(actual[0].replace(",", ""))
    return got <= want if _says(written, vocabulary()["compare"]["at_most"]) else got >= want


def unmet(record: TableRecord) -> bool:
    """Not met: the actual value falls short of the target, or the row gives a reason for a deviation."""
    reason = record.cell("reason")
    return met(record) is False or bool(reason and reason.text.strip("无/-—、 "))


# --- the answerer ---------------------------------------------------------------------------------------------


class TableAnswerer:
    """Answers a question from the records of the chunks in scope, or returns None to leave it to the others.
    Records of more than one report are never mixed: then it leaves the question too."""

    def __init__(self) -> None:
        self._rows: tuple[tuple, list] | None = None  # the rows of the last chunk list seen, by its identity

    def rows_of(self, chunks: Sequence[Chunk]) -> list[tuple[Chunk, TableRecord]]:
        """Table rows of `chunks`, read once per chunk list (a store of 1,000 reports holds 100,000 chunks)."""
        key = (id(chunks), len(chunks), chunks[0].id if chunks else "", chunks[-1].id if chunks else "")
        if self._rows is None or self._rows[0] != key:
            self._rows = (key, table_rows(chunks))
        return self._rows[1]

    def answer(self, question: str, chunks: Sequence[Chunk], measure: str = "", rank: str = "") -> Draft | None:
        """`measure`: the measure word the question asks a figure in (几起 → 起), from the question's analysis;
        `rank`: "max" or "min" when it asks which is highest or lowest (Question.ranks)."""
        rows = self.rows_of(chunks)
        if len({c.source for c, _ in rows}) != 1:
            return None
        found = plan(question, rows, rank)
        if found is None:
            return None
        found = replace(found, measure=measure, money=_says(question, vocabulary()["asks"]["money"]))
        draft = Draft()
        for ask in found.asks:
            _ANSWERERS[ask](draft, found, rows, chunks)
        return None if not draft.spans else draft


def _row_span(chunk: Chunk, record: TableRecord, last: str | None = None) -> Span:
    """The row from its name to the last cell said (every cell between is the row's own text)."""
    end = record.end if last is None else max(record.name_cell.end, record.cell(last).end)
    return Span(chunk, record.name_cell.start, end)


def _said(record: TableRecord, fields: Sequence[str]) -> tuple[str, str | None]:
    """年度指标值 ≥90%，实际完成值 95%，得分 10: the cells of `fields` with their own headers, and the last."""
    said = [name for name in fields if (cell := record.cell(name)) is not None and cell.text]
    parts = [f"{record.header(name)} {record.cell(name).text}" for name in said]
    last = max(said, key=lambda name: record.cell(name).end, default=None)
    return _SEP.join(parts) + _money_unit(record, said), last


def _money_unit(record: TableRecord, fields: Sequence[str]) -> str:
    """（单位：万元） after amounts written bare under a money header; said apart, as the table says it apart."""
    units = {figure[1] for name in fields if (figure := cell_figure(record, name)) and "元" in figure[1]
             and record.cell(name).text == figure[0]}
    return f"（金额单位：{units.pop()}）" if len(units) == 1 else ""


_OUTCOME = ("target", "actual")
_MONEY_FIELDS = ("budget_initial", "budget", "executed", "rate")
_EXTRA = ("score", "weight", "reason")


def _fields_for(record: TableRecord, asked: Sequence[str]) -> list[str]:
    """An indicator row says its target and actual value together (the one is read against the other); a funds
    row its budgets, spending and rate; with the score, weight or reason when asked."""
    base = _MONEY_FIELDS if not any(record.cell(f) for f in _OUTCOME) else _OUTCOME
    return [*base, *(f for f in _EXTRA if f in asked)]


def _answers_in(record: TableRecord, measure: str, money: bool) -> bool:
    """A figure asked in a measure (几起, 多少名) or as money (多少钱) is answered only by a row whose target or
    actual cell states it: 扑火队 3支 does not say how many members it has."""
    cells = [c.text for f in _OUTCOME if (c := record.cell(f)) is not None]
    if money:
        return any("元" in (figure or ("", ""))[1] for figure in (cell_figure(record, f) for f in _MONEY_FIELDS + _OUTCOME))
    if measure and measure != "分":
        return any(states_measure(text, measure) for text in cells)
    return True


def _indicator(draft: Draft, found: TablePlan, rows, chunks) -> None:
    for chunk, record in found.rows[:_MAX_ROWS]:
        if not _answers_in(record, found.measure, found.money):
            continue
        fields = _fields_for(record, found.fields)
        said, last = _said(record, fields)
        if not said:
            continue
        verdict = met(record)
        judged = "" if verdict is None else ("，已达到目标" if verdict else "，未达到目标")
        parent = f"（{' › '.join(record.path[:-1])}）" if len(record.path) > 1 else ""
        draft.add(f"{record.name}{parent}：{said}{judged}{draft.cite(_row_span(chunk, record, last))}。\n")


def _unmet(draft: Draft, found: TablePlan, rows, chunks) -> None:
    short = [(c, r) for c, r in (found.rows or rows) if not is_total(r) and unmet(r)]
    if not short:
        checked = [(c, r) for c, r in rows if met(r) is not None]
        if checked:
            draft.add("表中可比较的指标，实际完成值均达到年度目标，且未填写偏差原因")
            draft.add(draft.cite(_row_span(*checked[0])) + "。\n")
        return
    draft.add("未完成目标或填有偏差原因的指标：\n")
    for chunk, record in short[:_MAX_ROWS]:  # no numbering: a list number is not a figure of the report
        said, last = _said(record, ["target", "actual", "reason"])
        draft.add(f"· {record.name}：{said}{draft.cite(_row_span(chunk, record, last))}\n")


def _total(draft: Draft, found: TablePlan, rows, chunks) -> None:
    totals = [(c, r) for c, r in rows if is_total(r) and r.cell("score")]
    if totals:
        chunk, record = totals[-1]
        said, last = _said(record, ["weight", "score"])
        draft.add(f"{record.name}：{said}{draft.cite(_row_span(chunk, record, last))}。\n")


@cache
def _grade_pattern() -> re.Pattern:
    g = vocabulary()["grades"]
    labels = "|".join(map(re.escape, sorted(g["label"], key=len, reverse=True)))
    words = "|".join(map(re.escape, sorted(g["words"], key=len, reverse=True)))
    return re.compile(rf"(?:{labels})\s*(?:[:：]|为|是|评定为|\t)\s*(?:“|\")?({words})(?![\u4e00-\u9fff])")


def _grade(draft: Draft, found: TablePlan, rows, chunks) -> None:
    pattern = _grade_pattern()
    source = rows[0][0].source
    for chunk in chunks:
        if chunk.source != source:
            continue
        m = pattern.search(chunk.text)
        if m:
            draft.add(f"自评等级为“{m.group(1)}”{draft.cite(Span(chunk, chunk.start + m.start(), chunk.start + m.end()))}。\n")
            return


def _funds(draft: Draft, found: TablePlan, rows, chunks) -> None:
    """The first funds row (年度资金总额), or the funds rows the question names."""
    funds = [(c, r) for c, r in rows if any(r.cell(f) and r.cell(f).text for f in _MONEY_FIELDS)]
    named = [(c, r) for c, r in funds if r.name in found.question or _bare_name(r.name) in found.question]
    for chunk, record in (named or funds)[:1 if not named else _MAX_ROWS]:
        said, last = _said(record, [*_MONEY_FIELDS, *(f for f in _EXTRA if f in found.fields)])
        draft.add(f"{record.name}：{said}{draft.cite(_row_span(chunk, record, last))}。\n")


def _bare_name(name: str) -> str:
    """其中：当年财政拨款 → 当年财政拨款: a sub-row's name without its lead."""
    return name.split("：")[-1].split(":")[-1]


def _rank(draft: Draft, found: TablePlan, rows, chunks) -> None:
    """The rows of the parent indicator the question names, else every row, ranked on the first column it asks."""
    field = next(f for f in found.fields if f in RANKED_FIELDS)
    rank_rows(draft, field, found.rank, found.rows or rows, chunks)


_ANSWERERS = {TableAsk.INDICATOR: _indicator, TableAsk.UNMET: _unmet, TableAsk.TOTAL: _total,
              TableAsk.GRADE: _grade, TableAsk.FUNDS: _funds, TableAsk.RANK: _rank}
