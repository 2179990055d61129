"""The audit's records: what kind of check, its status, the spans it cites, and the heading numbers of a section
(shared by the checks, the audit, the staff page and the CLI)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from enum import Enum


class Kind(str, Enum):
    PARTS_SUM = "parts_sum"  # a total against its parts
    TARGET = "target"  # a performance target against the spending reported
    RESTATED = "restated"  # one quantity stated in several places
    OTHER_YEAR = "other_year"  # alike in words, but of different years: not a contradiction
    MALFORMED = "malformed_number"  # e.g. 449.34.34万元
    BLANK = "blank"  # a number left out: 第 届
    TRUNCATED = "truncated"  # a term cut off mid-word, text missing
    TYPO = "typo"  # a known misspelling of a genre term


class Status(str, Enum):
    HOLDS = "holds"
    FAILS = "fails"
    MALFORMED = "malformed"
    DIFFERS = "differs"
    BLANK = "blank"


KIND_LABELS = {Kind.PARTS_SUM: "分项与合计", Kind.TARGET: "目标与执行", Kind.RESTATED: "前后表述",
               Kind.OTHER_YEAR: "不同年度", Kind.MALFORMED: "数字格式", Kind.BLANK: "内容空缺",
               Kind.TRUNCATED: "文字残缺", Kind.TYPO: "疑似错字"}
STATUS_LABELS = {Status.HOLDS: "相符", Status.FAILS: "不符", Status.MALFORMED: "数字有误",
                 Status.DIFFERS: "前后不一", Status.BLANK: "缺漏"}


@dataclass(frozen=True)
class Span:
    """A quoted stretch of a report: text[start:end] of `source` is `quote`."""

    source: str
    start: int
    end: int
    quote: str
    section: str = ""


@dataclass(frozen=True)
class Finding:
    """One check on one report, with the spans it involves and, for figures, the expected and stated values."""

    kind: Kind
    status: Status
    message: str  # one line, Chinese
    spans: tuple[Span, ...]  # the first is what the finding is about
    expected: str | None = None
    actual: str | None = None
    about: tuple[str, ...] = ()  # words an answer states when it is about this finding (for notes)

    @property
    def is_problem(self) -> bool:
        return self.status is not Status.HOLDS

    def to_json_dict(self) -> dict:
        return {"kind": self.kind.value, "status": self.status.value, "message": self.message,
                "spans": [asdict(s) for s in self.spans], "expected": self.expected, "actual": self.actual}


def where(section: str) -> str:
    """一、部门概况 › （四）部门预算… → 一（四）: the heading numbers of a section path."""
    marks = []
    for title in section.split(" › "):
        m = re.match(r"\s*(?:([一二三四五六七八九十]+)、|[（(]([一二三四五六七八九十]+)[）)]|(\d+)[、.．])", title)
        if m and m.group(2):
            marks.append(f"（{m.group(2)}）")
        elif m:
            marks.append(m.group(1) or m.group(3))
    return "".join(marks)
