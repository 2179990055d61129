"""Typed records that leave the ingest stage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceDocument:
    """One report file, decoded to text, with its document-level metadata."""

    source: str  # file name, e.g. report.txt
    text: str  # the decoded text that every offset points into
    sha256: str  # of the raw file bytes
    title: str = ""
    department: str = ""
    year: int | None = None
    encoding: str = "utf-8"
    origin: str = ""  # the resolved path it was read from: what identifies "the same file" on re-ingest
    pages: tuple[int, ...] = ()  # a PDF's page starts in `text` (page n starts at pages[n - 1]); () if unpaged


@dataclass(frozen=True)
class Fact:
    """An amount or count stated in the report: `label value unit`, at text[start:end]."""

    label: str  # the words that name the quantity, e.g. 人员支出
    value: str  # as written, e.g. 130.74
    unit: str  # e.g. 万元, 家, %
    start: int  # offsets of the whole `label…value unit` span in the source text
    end: int
    clause: str = ""  # the clause that carries the figure, verbatim
    of: str = ""  # what a relative figure is of: 税收收入 for 增长14.5% after 税收收入109.91万元 (ingest/relations.txt)
    # A form's column the figure stands in, when its row also has columns of named years (基本支出 93199.91 75.99%
    # 81781 99611.05 under 当年 金额 … 2021 年 2022 年): 当年 for the form's own year, else 2021年.
    column: str = ""


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, at source text[start:end]."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class TableRecord:
    """One row of a table under its header: 学员满意度 (满意度指标 › 服务对象满意度指标), target ≥90%, actual 95%."""

    name: str  # the row's indicator or label, e.g. 学员满意度
    name_cell: Cell
    path: tuple[str, ...]  # parent indicators and the row's own: (一级, 二级, 三级), empty ones left out
    fields: tuple[tuple[str, str, Cell], ...]  # (field, the column's header as written, cell), in column order
    unit: str = ""  # the sheet's or the header's money unit (万元)
    start: int = 0  # the row's span in the source text
    end: int = 0

    def cell(self, field: str) -> Cell | None:
        return next((cell for name, _, cell in self.fields if name == field), None)

    def header(self, field: str) -> str:
        return next((head for name, head, _ in self.fields if name == field), "")


@dataclass(frozen=True)
class Chunk:
    """A citable span of a report: `text == document.text[start:end]`."""

    id: str
    text: str
    source: str
    start: int
    end: int
    section: str  # path of headings, joined by " › "
    heading: str = ""  # the deepest heading of `section`
    level: int = 0  # depth of that heading (0 = preamble)
    kind: str = "body"  # body | heading (a leaf heading with no body) | title (preamble)
    repeated_in: str = ""  # section path of another chunk with the same text, if any
    title: str = ""
    department: str = ""
    year: int | None = None
    sha256: str = ""
    origin: str = ""
    facts: tuple[Fact, ...] = field(default_factory=tuple)
    record: TableRecord | None = None  # when the chunk is a table row under a header
    page: int = 0  # the PDF page the chunk starts on (1-based); 0 for a file without pages


@dataclass(frozen=True)
class FileVersion:
    """One version of one file, ready to store: where it was read from, its bytes' sha256, and its chunks."""

    origin: str
    sha256: str
    chunks: Sequence[Chunk]


@dataclass(frozen=True)
class Written:
    """What storing some file versions did."""

    added: int  # chunks newly stored
    replaced: int  # chunks of older versions removed
