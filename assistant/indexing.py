"""Ingest: load report files, chunk them, and store the chunks (idempotently) in the vector store."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ingest.chunker import chunk_document
from ingest.errors import IngestError
from ingest.loaders import iter_report_files, load_document
from vectorstore.store import ChunkStore

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    files: int = 0
    chunks: int = 0  # chunks of the ingested files
    added: int = 0  # chunks newly embedded and stored
    replaced: int = 0  # stale chunks of changed files removed
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def ingest_paths(paths: list[Path], store: ChunkStore, *, department: str | None = None,
                 year: int | None = None, progress: bool = True) -> IngestReport:
    """Every file is loaded and chunked before anything is written, so a bad file changes nothing."""
    started = time.perf_counter()
    report = IngestReport()
    docs = []
    for path in paths:
        try:
            for file in iter_report_files(path):
                docs.append(load_document(file, department=department, year=year))
        except IngestError as exc:
            report.errors.append(str(exc))
    chunked = [(doc, chunk_document(doc)) for doc in docs]
    total = sum(len(chunks) for _, chunks in chunked)
    with tqdm(total=total, desc="嵌入 embedding", unit="chunk", disable=not progress) as bar:
        for doc, chunks in chunked:
            report.added += store.add_chunks(chunks, progress=bar.update)
            # Old chunks of a changed file go only after all new ones are stored.
            report.replaced += store.delete_other_versions(doc.origin or doc.source, [c.id for c in chunks])
            report.files += 1
            report.chunks += len(chunks)
    report.seconds = time.perf_counter() - started
    return report
