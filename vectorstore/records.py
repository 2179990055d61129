"""Round-trips `Chunk`s through Chroma metadata and LangChain `Document`s."""

from __future__ import annotations

import json
from dataclasses import asdict

from langchain_core.documents import Document

from ingest.models import Chunk, Fact

_SCALARS = ("source", "start", "end", "section", "heading", "level", "kind", "repeated_in",
            "title", "department", "sha256", "origin")


def chunk_metadata(chunk: Chunk) -> dict:
    """Chroma-safe metadata (scalars only; facts travel as JSON)."""
    meta = {key: getattr(chunk, key) for key in _SCALARS}
    meta["year"] = chunk.year if chunk.year is not None else -1
    meta["facts"] = json.dumps([asdict(f) for f in chunk.facts], ensure_ascii=False)
    return meta


def chunk_from_record(chunk_id: str, text: str, meta: dict) -> Chunk:
    year = meta.get("year", -1)
    facts = tuple(Fact(**f) for f in json.loads(meta.get("facts") or "[]"))
    return Chunk(id=chunk_id, text=text, year=None if year in (-1, None) else int(year), facts=facts,
                 **{key: meta.get(key, "" if key not in ("start", "end", "level") else 0)
                    for key in _SCALARS})


def to_document(chunk: Chunk, **scores: float) -> Document:
    return Document(id=chunk.id, page_content=chunk.text, metadata={**chunk_metadata(chunk), **scores})


def from_document(doc: Document) -> Chunk:
    return chunk_from_record(str(doc.id), doc.page_content, doc.metadata)
