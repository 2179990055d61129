"""Chroma-backed chunk store: embedded PersistentClient by default, HttpClient against `chroma run` when configured."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import chromadb
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from ingest.models import Chunk
from vectorstore.embeddings import embedding_model_id
from vectorstore.records import chunk_from_record, chunk_metadata

log = logging.getLogger(__name__)
BATCH = 16


class StoreError(RuntimeError):
    """The store cannot be used as asked; the message says why and what to do."""


class EmbeddingMismatchError(StoreError):
    """The collection was built with another embedding model."""


def where_clause(filters: dict | None) -> dict | None:
    """{"department": "…", "year": 2022} → a Chroma `where` (None when no filter is set)."""
    items = [{k: {"$in": list(v)} if isinstance(v, (list, tuple, set)) else v}
             for k, v in (filters or {}).items() if v not in (None, "", [], ())]
    if not items:
        return None
    return items[0] if len(items) == 1 else {"$and": items}


class ChunkStore:
    """Stores chunks with their embeddings, and answers dense queries over them."""

    def __init__(self, embeddings: Embeddings, *, persist_dir: Path | None = None,
                 host: str | None = None, port: int = 8000, collection: str = "reports") -> None:
        self.embeddings = embeddings
        self.model_id = embedding_model_id(embeddings)
        self.client = _connect(persist_dir, host, port)
        self.collection = self._open_collection(collection)
        self.vectors = Chroma(client=self.client, collection_name=collection,
                              embedding_function=embeddings,
                              create_collection_if_not_exists=False)

    def _open_collection(self, name: str):
        meta = {"embedding_model": self.model_id, "hnsw:space": "cosine"}
        collection = self.client.get_or_create_collection(name=name, metadata=meta,
                                                          embedding_function=None)
        stored = (collection.metadata or {}).get("embedding_model")
        if stored and stored != self.model_id:
            raise EmbeddingMismatchError(
                f"向量库集合 “{name}” 是用嵌入模型 {stored} 建的，当前配置的是 {self.model_id}。"
                f" The collection '{name}' was built with {stored}, but {self.model_id} is configured:"
                " query it with the same model, or re-ingest into another collection or data directory.")
        return collection

    def count(self) -> int:
        return self.collection.count()

    def sources(self) -> dict[str, set[str]]:
        """source file name → the sha256 values stored for it."""
        got = self.collection.get(include=["metadatas"])
        found: dict[str, set[str]] = {}
        for meta in got["metadatas"] or []:
            found.setdefault(meta["source"], set()).add(meta.get("sha256", ""))
        return found

    def add_chunks(self, chunks: Sequence[Chunk], progress: Callable[[int], None] | None = None) -> int:
        """Embed and upsert the chunks whose ids are not stored yet; returns how many were added."""
        ids = [c.id for c in chunks]
        present = set(self.collection.get(ids=ids, include=[])["ids"]) if ids else set()
        todo = [c for c in chunks if c.id not in present]
        if progress and present:
            progress(len(chunks) - len(todo))
        for i in range(0, len(todo), BATCH):
            batch = todo[i:i + BATCH]
            vectors = self.embeddings.embed_documents([passage_text(c) for c in batch])
            self.collection.upsert(ids=[c.id for c in batch], embeddings=vectors,
                                   documents=[c.text for c in batch],
                                   metadatas=[chunk_metadata(c) for c in batch])
            if progress:
                progress(len(batch))
        return len(todo)

    def delete_other_versions(self, origin: str, keep_ids: Iterable[str]) -> int:
        """Drop the chunks read from `origin` (a file's path) that are not in `keep_ids`: its older version."""
        keep = set(keep_ids)
        stored = self.collection.get(where={"origin": origin}, include=[])["ids"]
        stale = [i for i in stored if i not in keep]
        if stale:
            self.collection.delete(ids=stale)
        return len(stale)

    def all_chunks(self, filters: dict | None = None) -> list[Chunk]:
        got = self.collection.get(where=where_clause(filters), include=["documents", "metadatas"])
        chunks = [chunk_from_record(i, d, m)
                  for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(chunks, key=lambda c: (c.source, c.start))

    def dense_search(self, query_vector: list[float], k: int, filters: dict | None = None
                     ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) for the k nearest chunks."""
        if self.count() == 0:
            return []
        hits = self.vectors.similarity_search_by_vector_with_relevance_scores(
            query_vector, k=min(k, self.count()), filter=where_clause(filters))
        return [(str(doc.id), 1.0 - distance) for doc, distance in hits]


def passage_text(chunk: Chunk) -> str:
    """What the dense index sees: the heading path gives a short paragraph its topic."""
    return f"{chunk.section}\n{chunk.text}" if chunk.section else chunk.text


def _connect(persist_dir: Path | None, host: str | None, port: int):
    settings = chromadb.config.Settings(anonymized_telemetry=False)
    if host:
        try:
            return chromadb.HttpClient(host=host, port=port, settings=settings)
        except Exception as exc:  # chromadb raises several types for a refused connection
            raise StoreError(f"无法连接 Chroma 服务 {host}:{port} (cannot reach the Chroma server): {exc}") from exc
    if persist_dir is None:
        raise StoreError("没有配置数据目录 (no data directory configured)")
    persist_dir = Path(persist_dir)
    try:
        persist_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建数据目录 {persist_dir}: {exc.strerror}") from exc
    return chromadb.PersistentClient(path=str(persist_dir), settings=settings)
