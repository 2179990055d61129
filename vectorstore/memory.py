"""A small in-memory `RetrievalStore`: chunks and their vectors in lists, searched exactly with numpy.

It shows that the storage seam is real, and it gives fast tests a store with no Chroma and no files. It keeps
no history and serves one process; use `ChunkStore` for anything that must persist or be shared.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.models import Chunk, FileVersion, Written
from vectorstore.records import passage_text


class InMemoryStore:
    """Chunks by id, each with its vector once embedded."""

    def __init__(self, embeddings: Embeddings) -> None:
        self.embeddings = embeddings
        self._chunks: dict[str, Chunk] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._generation = uuid.uuid4().hex

    # --- writing ---------------------------------------------------------------------------------------
    def add_chunks(self, chunks: Sequence[Chunk], embed: bool = True) -> int:
        """Store (or replace) these chunks; with `embed`, embed them as `ChunkStore` does. Returns how many."""
        for chunk in chunks:
            self._chunks[chunk.id] = chunk
            self._vectors.pop(chunk.id, None)
        if embed:
            self.embed_pending()
        self._generation = uuid.uuid4().hex
        return len(chunks)

    def embed_pending(self) -> int:
        """Embed the chunks that have no vector yet; returns how many."""
        pending = [c for c in self._chunks.values() if c.id not in self._vectors]
        if pending:
            vectors = self.embeddings.embed_documents([passage_text(c) for c in pending])
            self._vectors.update((c.id, np.asarray(v, dtype=np.float32)) for c, v in zip(pending, vectors, strict=True))
        return len(pending)

    def count(self) -> int:
        return len(self._chunks)

    # --- the ChunkSink seam (ingest.sink): the ingest pipeline writes here as it writes to Chroma -------
    @contextmanager
    def writing(self) -> Iterator[None]:
        yield  # one process, one writer

    def write_versions(self, files: Sequence[FileVersion]) -> Written:
        """Each file's chunks replace the chunks of its older version; the new ones wait for their vectors."""
        added = replaced = 0
        for version in files:
            keep = {c.id for c in version.chunks}
            replaced += self._drop([i for i, c in self._chunks.items() if c.origin == version.origin and i not in keep])
            added += sum(c.id not in self._chunks for c in version.chunks)
            self._chunks.update((c.id, c) for c in version.chunks)
        self._generation = uuid.uuid4().hex
        return Written(added, replaced)

    def staged_count(self) -> int:
        return len(self.unembedded_ids())

    def embed_staged(self, progress: Callable[[int], None] | None = None) -> int:
        done = self.embed_pending()
        if progress:
            progress(done)
        return done

    def remove_file(self, origin: str) -> int:
        gone = self._drop([i for i, c in self._chunks.items() if c.origin == origin])
        self._generation = uuid.uuid4().hex
        return gone

    def _drop(self, ids: list[str]) -> int:
        for i in ids:
            self._chunks.pop(i)
            self._vectors.pop(i, None)
        return len(ids)

    # --- the RetrievalStore seam -----------------------------------------------------------------------
    def catch_up(self) -> str:
        return self._generation

    def generation(self) -> str:
        return self._generation

    def all_chunks(self, filters: dict | None = None) -> list[Chunk]:
        kept = [c for c in self._chunks.values() if _passes(c, filters)]
        return sorted(kept, key=lambda c: (c.source, c.start))

    def unembedded_ids(self) -> set[str]:
        return set(self._chunks) - set(self._vectors)

    def see_new_vectors(self) -> None:
        """Every vector is in this process's memory: dense search sees it as soon as it is added."""

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        return {i: self._vectors[i].tolist() for i in ids if i in self._vectors}

    def dense_search(self, query_vector: list[float], k: int, filters: dict | None = None
                     ) -> list[tuple[str, float]]:
        ids = [i for i in self._vectors if _passes(self._chunks[i], filters)]
        if not ids or k <= 0:
            return []
        matrix = np.stack([self._vectors[i] for i in ids])
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        q = np.asarray(query_vector, dtype=np.float32)
        similarity = matrix @ (q / max(float(np.linalg.norm(q)), 1e-12))
        best = np.argsort(-similarity, kind="stable")[:k]
        return [(ids[b], float(similarity[b])) for b in best]


def _passes(chunk: Chunk, filters: dict | None) -> bool:
    """Chroma's `where` semantics for the filters the desk uses: each field equal to the value, or in a list."""
    for key, wanted in (filters or {}).items():
        if wanted in (None, "", [], ()):
            continue
        values = set(wanted) if isinstance(wanted, (list, tuple, set)) else {wanted}
        if getattr(chunk, key, None) not in values:
            return False
    return True
