"""The labelled fields of a report's head or form: 自评时间:2021年12月, 联系电话 07226233407, and the year in the title
line. A question that asks for one (assistant/knowledge/fields.toml) is answered with the label and its value,
quoted from the report; a field the report does not write is left to the other answerers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from assistant.draft import Draft, Span
from assistant.knowledge import load
from ingest.models import Chunk

_SEPARATOR = r"\s*[:：]?\s*"
_MAX_REPORTS = 3  # reports one answer quotes a field of (with several in scope, the desk asks which is meant)
_HEAD_CHUNKS = 4  # a title line is looked for in a report's first chunks only
_LINE_CHARS = 60  # a longer clause with the year is no title line
_CLAUSE = re.compile(r"[^，,。；;\n]+")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    asks: re.Pattern  # over the normalised question
    found: re.Pattern | None  # label, separator, value (group "value"); None for the title's year
    value: re.Pattern


@cache
def field_specs() -> tuple[FieldSpec, ...]:
    data = load("fields")
    values = {name: re.compile(pattern) for name, pattern in data["values"].items()}
    specs = []
    for name, entry in data["fields"].items():
        value = values[entry["value"]]
        found = None
        if not entry.get("title"):
            labels = "|".join(re.escape(label) for label in sorted(entry["labels"], key=len, reverse=True))
            found = re.compile(f"(?:{labels}){_SEPARATOR}(?P<value>{value.pattern})")
        specs.append(FieldSpec(name, re.compile("|".join(f"(?:{a})" for a in entry["asks"])), found, value))
    return tuple(specs)


def asked_field(norm: str) -> FieldSpec | None:
    """The field a question asks for (这份自评是什么时候做的 → evaluated_at), or None."""
    return next((spec for spec in field_specs() if spec.asks.search(norm)), None)


def answer_field(spec: FieldSpec, chunks: Sequence[Chunk]) -> Draft | None:
    """The field as each report in `chunks` writes it, quoted label and value; None when no report writes it."""
    draft = Draft()
    for own in _by_report(chunks)[:_MAX_REPORTS]:
        span = _title_year(own) if spec.found is None else _labelled(spec.found, own)
        if span is not None:
            draft.add(f"{span.quote}{draft.cite(span)}。\n")
    return draft if draft.spans else None


def _by_report(chunks: Sequence[Chunk]) -> list[list[Chunk]]:
    """Each report's chunks, in text order; the reports in order of their file names."""
    reports: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        reports.setdefault(chunk.source, []).append(chunk)
    return [sorted(own, key=lambda c: c.start) for _, own in sorted(reports.items())]


def _labelled(found: re.Pattern, chunks: Sequence[Chunk]) -> Span | None:
    """The first place the report writes the label with a value of the field's shape right after it."""
    for chunk in chunks:
        match = found.search(chunk.text)
        if match:
            return Span(chunk, chunk.start + match.start(), chunk.start + match.end("value"))
    return None


def _title_year(chunks: Sequence[Chunk]) -> Span | None:
    """The report's title line with its year (2020年度部门整体支出绩效自评报告), from the report's first chunks: the
    year the report is of, as the report itself states it. A clause, never a cut one: a figure is never split."""
    for chunk in chunks[:_HEAD_CHUNKS]:
        if chunk.year is None:
            return None
        for clause in _CLAUSE.finditer(chunk.text):
            text = clause.group(0)
            if re.search(rf"(?<!\d){chunk.year}(?!\d)", text) and _in_title(text) and len(text.strip()) <= _LINE_CHARS:
                lead = len(text) - len(text.lstrip())
                return Span(chunk, chunk.start + clause.start() + lead, chunk.start + clause.start() + len(text.rstrip()))
    return None


def _in_title(line: str) -> bool:
    """A line that names the report: 报告, 自评, 决算, 预算 or 申报表 with its year."""
    return bool(re.search(r"报告|自评|评价|决算|预算|申报|说明|总结|绩效|支出", line))
