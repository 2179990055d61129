"""Cuts a `SourceDocument` into citable chunks: one heading's paragraph, split at sentences past ~300 chars."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace

from ingest.facts import extract_facts
from ingest.models import Chunk, SourceDocument
from ingest.sentences import sentence_spans, trim_span
from ingest.structure import Heading, Outline, match_heading

SECTION_SEP = " › "
MAX_CHUNK_CHARS = 300


def chunk_document(doc: SourceDocument, max_chars: int = MAX_CHUNK_CHARS) -> list[Chunk]:
    """Chunks in reading order. Every chunk satisfies `doc.text[c.start:c.end] == c.text`."""
    outline = Outline()
    pieces: list[tuple[int, int, list[Heading], str]] = []  # start, end, path, kind
    pending: list[tuple[Heading, list[Heading]]] = []  # heading-only lines, maybe leaves
    for line_start, line_end in _lines(doc.text):
        match = match_heading(doc.text, line_start, line_end)
        if match is None:
            outline.mark_content()
            kind = "body" if outline.path() else "title"
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
    chunks = [_make_chunk(doc, s, e, path, kind)
              for start, end, path, kind in pieces
              for s, e in _split_long(doc.text, start, end, max_chars)]
    return _mark_repeats(chunks)


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


def _make_chunk(doc: SourceDocument, start: int, end: int, path: list[Heading], kind: str) -> Chunk:
    text = doc.text[start:end]
    section = SECTION_SEP.join(h.title for h in path)
    digest = hashlib.sha256(f"{doc.source}\0{doc.sha256}\0{start}\0{text}".encode()).hexdigest()
    return Chunk(
        id=digest[:32], text=text, source=doc.source, start=start, end=end,
        section=section, heading=path[-1].title if path else "", level=len(path), kind=kind,
        title=doc.title, department=doc.department, year=doc.year, sha256=doc.sha256, origin=doc.origin,
        facts=tuple(extract_facts(doc.text, start, end)),
    )


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _mark_repeats(chunks: list[Chunk]) -> list[Chunk]:
    """The report restates passages (一(二) reappears in 二(一)); keep both, and point each at the other."""
    norms = [_norm(c.text) for c in chunks]
    marked = []
    for i, chunk in enumerate(chunks):
        other = next((chunks[j] for j, n in enumerate(norms)
                      if j != i and len(norms[i]) >= 8 and chunks[j].section != chunk.section
                      and (n == norms[i] or n.startswith(norms[i]))), None)
        if other is None and chunk.kind == "body":
            other = next((chunks[j] for j, n in enumerate(norms)
                          if j != i and len(n) >= 8 and chunks[j].kind == "heading"
                          and norms[i].startswith(n) and chunks[j].section != chunk.section), None)
        marked.append(replace(chunk, repeated_in=other.section) if other else chunk)
    return marked
