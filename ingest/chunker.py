"""Cuts a `SourceDocument` into citable chunks: one heading's paragraph, split at sentences past ~300 chars."""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import replace

from ingest.facts import SheetUnits, extract_facts
from ingest.models import Chunk, SourceDocument, TableRecord
from ingest.sentences import sentence_spans, trim_span
from ingest.structure import Heading, Outline, match_heading
from ingest.tables import table_records

SECTION_SEP = " › "
MAX_CHUNK_CHARS = 300
TITLE_MAX_CHARS = 80  # a title line is short: 《…部门整体支出绩效自评报告》 with its body and year
_MIN_REPEAT = 8  # shorter texts (a bare number, 合计) repeat by chance
_MAX_REPEAT_SCAN = 64  # chunks starting with one text looked at, at most


def chunk_document(doc: SourceDocument, max_chars: int = MAX_CHUNK_CHARS) -> list[Chunk]:
    """Chunks in reading order. Every chunk satisfies `doc.text[c.start:c.end] == c.text`."""
    outline = Outline()
    pieces: list[tuple[int, int, list[Heading], str]] = []  # start, end, path, kind
    pending: list[tuple[Heading, list[Heading]]] = []  # heading-only lines, maybe leaves
    for line_start, line_end in _lines(doc.text):
        match = match_heading(doc.text, line_start, line_end)
        if match is None:
            outline.mark_content()
            kind = "body" if outline.path() or _is_prose(doc.text[line_start:line_end]) else "title"
            pieces.append((line_start, line_end, outline.path(), kind))
            continue
        heading = Heading(match.style, match.number, match.title, line_start, line_end,
                          ends_with_colon=doc.text[line_start:line_end].rstrip().endswith(("：", ":")))
        outline.push(heading)
        if match.body_start < line_end:
            heading.has_content = True
            pieces.append((line_start, line_end, outline.path(), "body"))
        else:
            pending.append((heading, outline.path()))
    # A heading-only line that never got a body or children is itself a citable item.
    pieces += [(h.start, h.end, path, "heading") for h, path in pending if not h.has_content]
    pieces.sort(key=lambda p: p[0])
    units = SheetUnits(doc.text)
    chunks = [_make_chunk(doc, s, e, path, kind, units)
              for start, end, path, kind in pieces
              for s, e in _split_long(doc.text, start, end, max_chars)]
    return _mark_repeats(_with_records(chunks, table_records(doc.text, units)))


def _is_prose(line: str) -> bool:
    """A line before the first heading is the report's title, unless it reads as prose: a preamble paragraph, or a
    form flattened into one long line (…负责全市社会力量办学的申报、审批、管理工作。), which answers questions."""
    return len(line.strip()) > TITLE_MAX_CHARS or "。" in line


def _with_records(chunks: list[Chunk], records: list[TableRecord]) -> list[Chunk]:
    """Each table row's record goes with the chunk that holds the whole row."""
    if not records:
        return chunks
    starts = [c.start for c in chunks]
    for record in records:
        i = bisect.bisect_right(starts, record.start) - 1
        if i >= 0 and chunks[i].end >= record.end:
            chunks[i] = replace(chunks[i], record=record)
    return chunks


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        span = trim_span(text, pos, pos + len(line))
        pos += len(line) + 1
        if span:
            yield span


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    if end - start <= max_chars:
        return [(start, end)]
    groups: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, start, end):
        if groups and e - groups[-1][0] <= max_chars:
            groups[-1] = (groups[-1][0], e)
        else:
            groups.append((s, e))
    return groups


def _make_chunk(doc: SourceDocument, start: int, end: int, path: list[Heading], kind: str,
                units: SheetUnits) -> Chunk:
    text = doc.text[start:end]
    section = SECTION_SEP.join(h.title for h in path)
    digest = hashlib.sha256(f"{doc.source}\0{doc.sha256}\0{start}\0{text}".encode()).hexdigest()
    return Chunk(
        id=digest[:32], text=text, source=doc.source, start=start, end=end,
        section=section, heading=path[-1].title if path else "", level=len(path), kind=kind,
        title=doc.title, department=doc.department, year=doc.year, sha256=doc.sha256, origin=doc.origin,
        facts=tuple(extract_facts(doc.text, start, end, units)),
        page=bisect.bisect_right(doc.pages, start) if doc.pages else 0,
    )


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _mark_repeats(chunks: list[Chunk]) -> list[Chunk]:
    """The report restates passages (一(二) reappears in 二(一)); keep both, and point each at the other.

    A chunk is repeated in another section when its normalised text equals or starts that chunk's text, or
    (a body chunk) when it starts with a heading-only chunk's text. Found through a sorted index and the
    headings' prefix lengths, never by comparing all pairs: the cost stays near linear at any size."""
    norms = [_norm(c.text) for c in chunks]
    order = sorted(range(len(chunks)), key=lambda j: norms[j])
    keys = [norms[j] for j in order]
    headings: dict[str, int] = {}
    for j, chunk in enumerate(chunks):
        if chunk.kind == "heading" and len(norms[j]) >= _MIN_REPEAT:
            headings.setdefault(norms[j], j)
    lengths = sorted({len(n) for n in headings})
    marked = []
    for i, chunk in enumerate(chunks):
        other = _extended_by(i, chunks, norms, order, keys) if len(norms[i]) >= _MIN_REPEAT else None
        if other is None and chunk.kind == "body":
            other = next((chunks[j] for j in (headings.get(norms[i][:n]) for n in lengths if n <= len(norms[i]))
                          if j is not None and j != i and chunks[j].section != chunk.section), None)
        marked.append(replace(chunk, repeated_in=other.section) if other else chunk)
    return marked


def _extended_by(i: int, chunks: list[Chunk], norms: list[str], order: list[int], keys: list[str]) -> Chunk | None:
    """The first chunk, in reading order, of another section whose text equals or starts with chunk i's."""
    prefix = norms[i]
    low = bisect.bisect_left(keys, prefix)
    high = bisect.bisect_left(keys, prefix + "\U0010ffff", low)
    found = [j for j in order[low:min(high, low + _MAX_REPEAT_SCAN)]
             if j != i and chunks[j].section != chunks[i].section]
    return chunks[min(found)] if found else None
