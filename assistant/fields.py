"""The labelled fields of a report's head or form: 自评时间:2021年12月, 联系电话 07226233407, and the year in the title
line. A question that asks for one (assistant/knowledge/fields.toml) is answered with the label and its value,
quoted from the report; a field the report does not write is left to the other answerers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from assistant.departments import strip_place
from assistant.draft import Draft, Span
from assistant.knowledge import load
from ingest.models import Chunk
from ingest.sentences import sentence_end

_SEPARATOR = r"\s*[:：]?\s*"
_MAX_REPORTS = 3  # reports one answer quotes a field of (with several in scope, the desk asks which is meant)
_HEAD_CHUNKS = 4  # a title line is looked for in a report's first chunks only
_LINE_CHARS = 60  # a longer clause with the year is no title line
_CLAUSE = re.compile(r"[^，,。；;\n]+")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    asks: re.Pattern  # over the normalised question
    found: re.Pattern | None  # label, separator, value (group "value"); None for the title's year and the name
    value: re.Pattern
    kind: str = "labelled"  # or "title" (the year of the title line), "name" (the body's name, written in full)


@cache
def field_specs() -> tuple[FieldSpec, ...]:
    data = load("fields")
    values = {name: re.compile(pattern) for name, pattern in data["values"].items()}
    specs = []
    for name, entry in data["fields"].items():
        value = values[entry["value"]]
        found, kind = None, "title" if entry.get("title") else "name" if entry.get("name") else "labelled"
        if kind == "labelled":
            labels = "|".join(re.escape(label) for label in sorted(entry["labels"], key=len, reverse=True))
            found = re.compile(f"(?:{labels}){_SEPARATOR}(?P<value>{value.pattern})")
        specs.append(FieldSpec(name, re.compile("|".join(f"(?:{a})" for a in entry["asks"])), found, value, kind))
    return tuple(specs)


def asked_field(norm: str) -> FieldSpec | None:
    """The field a question asks for (这份自评是什么时候做的 → evaluated_at), or None."""
    return next((spec for spec in field_specs() if spec.asks.search(norm)), None)


def answer_field(spec: FieldSpec, chunks: Sequence[Chunk]) -> Draft | None:
    """The field as each report in `chunks` writes it, quoted label and value; None when no report writes it."""
    draft = Draft()
    for own in _by_report(chunks)[:_MAX_REPORTS]:
        found = _READERS[spec.kind](spec, own)
        if found is not None:
            said, span = found
            draft.add(f"{said}{draft.cite(span)}。\n")
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


def _full_name(chunks: Sequence[Chunk]) -> tuple[str, Span] | None:
    """The report's own body as it writes its name at the longest (甲乙回族彝族自治县文化和旅游局 where the title says
    甲乙县文化和旅游局): its kind of body after the words of its place, which start as the place it is known by."""
    department = chunks[0].department if chunks else ""
    place, stem = strip_place(department)
    best: Span | None = None
    name = ""
    for chunk in chunks if len(stem) >= 2 else ():
        for m in re.finditer(re.escape(stem), chunk.text):
            words = _PLACE_WORDS.search(chunk.text, max(0, m.start() - _NAME_CHARS), m.start()).group()
            at = words.rfind(place[:2]) if place else len(words)
            if at >= 0 and (best is None or len(words) - at + len(stem) > len(name)):
                name = words[at:] + stem  # cited with its sentence: where the report writes it
                best = Span(chunk, chunk.start + m.start() - len(words) + at,
                            chunk.start + sentence_end(chunk.text, m.end()))
    return (name, best) if best is not None else None


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


_NAME_CHARS = 24  # the words of a place before a body's kind (某某回族彝族自治县): at most this many
_PLACE_WORDS = re.compile(r"[\u4e00-\u9fff]*$")


def _quoted(span: Span | None) -> tuple[str, Span] | None:
    return (span.quote, span) if span is not None else None


_READERS = {  # (what is said, the passage cited)
    "labelled": lambda spec, chunks: _quoted(_labelled(spec.found, chunks)),
    "title": lambda spec, chunks: _quoted(_title_year(chunks)),
    "name": lambda spec, chunks: _full_name(chunks),
}
