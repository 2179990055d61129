"""Round-trips `Chunk`s through Chroma metadata and LangChain `Document`s."""

from __future__ import annotations

import json
from dataclasses import asdict

from langchain_core.documents import Document

from ingest.models import Cell, Chunk, Fact, TableRecord

_SCALARS = ("source", "start", "end", "section", "heading", "level", "kind", "repeated_in",
            "title", "department", "sha256", "origin", "page")


def chunk_metadata(chunk: Chunk) -> dict:
    """Chroma-safe metadata (scalars only; facts travel as JSON)."""
    meta = {key: getattr(chunk, key) for key in _SCALARS}
    meta["year"] = chunk.year if chunk.year is not None else -1
    meta["facts"] = json.dumps([asdict(f) for f in chunk.facts], ensure_ascii=False)
    meta["record"] = json.dumps(asdict(chunk.record), ensure_ascii=False) if chunk.record else ""
    return meta


def _record(text: str) -> TableRecord | None:
    if not text:
        return None
    data = json.loads(text)
    return TableRecord(name=data["name"], name_cell=Cell(**data["name_cell"]), path=tuple(data["path"]),
                       fields=tuple((name, head, Cell(**cell)) for name, head, cell in data["fields"]),
                       unit=data["unit"], start=data["start"], end=data["end"])


def chunk_from_record(chunk_id: str, text: str, meta: dict) -> Chunk:
    year = meta.get("year", -1)
    facts = tuple(Fact(**f) for f in json.loads(meta.get("facts") or "[]"))
    return Chunk(id=chunk_id, text=text, year=None if year in (-1, None) else int(year), facts=facts,
                 record=_record(meta.get("record") or ""),
                 **{key: meta.get(key, "" if key not in ("start", "end", "level", "page") else 0)
                    for key in _SCALARS})


def passage(section: str, text: str) -> str:
    """What the dense index sees: the heading path gives a short paragraph its topic."""
    return f"{section}\n{text}" if section else text


def passage_text(chunk: Chunk) -> str:
    return passage(chunk.section, chunk.text)


def to_document(chunk: Chunk, **scores: float) -> Document:
    return Document(id=chunk.id, page_content=chunk.text, metadata={**chunk_metadata(chunk), **scores})


def from_document(doc: Document) -> Chunk:
    return chunk_from_record(str(doc.id), doc.page_content, doc.metadata)
