"""Chroma-backed chunk store: embedded PersistentClient by default, HttpClient against `chroma run` when configured.

A changed file is replaced crash-safely: its new chunks stay hidden until a one-record commit in the
`<collection>.files` manifest switches the file over, so a killed ingest leaves the old version serving.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import chromadb
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from ingest.models import Chunk
from vectorstore.embeddings import embedding_model_id
from vectorstore.records import chunk_from_record, chunk_metadata

log = logging.getLogger(__name__)
BATCH = 16
MANIFEST_SUFFIX = ".files"  # the collection of per-file version records
LOCK_FILE = "ingest.lock"


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


def _all_of(*clauses: dict | None) -> dict | None:
    items = [c for c in clauses if c]
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
        # Writers on one directory take turns; a Chroma server serialises writes itself.
        self._lock_path = None if host else Path(persist_dir) / LOCK_FILE
        self.manifest = self.client.get_or_create_collection(name=f"{collection}{MANIFEST_SUFFIX}",
                                                             embedding_function=None)
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
        """How many chunks are served (a half-written new version of a file is not counted)."""
        visible = self._visible_where()
        if visible is None:
            return self.collection.count()
        return len(self.collection.get(where=visible, include=[])["ids"])

    def sources(self) -> dict[str, set[str]]:
        """source file name → the sha256 values stored for it."""
        got = self.collection.get(where=self._visible_where(), include=["metadatas"])
        found: dict[str, set[str]] = {}
        for meta in got["metadatas"] or []:
            found.setdefault(meta["source"], set()).add(meta.get("sha256", ""))
        return found

    # --- crash-safe replacement of a file's chunks ---------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's writer lock: a second ingest process waits here instead of racing this one.

        The lock is an flock, so the kernel releases it when its holder dies, even by SIGKILL.
        """
        if self._lock_path is None:
            yield
            return
        import fcntl  # POSIX only; the embedded store's writers are on one machine

        with open(self._lock_path, "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.warning("another ingest is writing to this store; waiting for it to finish")
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def begin_version(self, origin: str, sha256: str) -> None:
        """Announce that chunks of `origin` at `sha256` are about to be written; they stay hidden until commit."""
        live = self._manifest_record(origin).get("live")
        if live is None:  # no record yet: whatever is stored for this file (a store from before the manifest)
            shas = Counter(m.get("sha256", "") for m in
                           self.collection.get(where={"origin": origin}, include=["metadatas"])["metadatas"])
            live = shas.most_common(1)[0][0] if shas else ""
        self._write_manifest(origin, live=live, pending=sha256)

    def commit_version(self, origin: str, sha256: str) -> None:
        """Serve `origin` at `sha256` from now on: one atomic record write is the switch-over."""
        self._write_manifest(origin, live=sha256, pending=sha256)

    def _manifest_record(self, origin: str) -> dict:
        got = self.manifest.get(ids=[_manifest_id(origin)], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else {}

    def _write_manifest(self, origin: str, *, live: str, pending: str) -> None:
        self.manifest.upsert(ids=[_manifest_id(origin)], embeddings=[[1.0]], documents=[origin],
                             metadatas=[{"origin": origin, "live": live, "pending": pending}])

    def _visible_where(self) -> dict | None:
        """A `where` that hides the chunks of files caught mid-replacement; None when no file is."""
        dirty = self.manifest.get(where={"pending": {"$ne": ""}}, include=["metadatas"])["metadatas"]
        if not dirty:
            return None
        shown = [{"$and": [{"origin": m["origin"]}, {"sha256": m["live"]}]} for m in dirty if m["live"]]
        others = {"origin": {"$nin": [m["origin"] for m in dirty]}}
        return {"$or": [others, *shown]} if shown else others

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
        """Drop the chunks read from `origin` (a file's path) that are not in `keep_ids`: its older version.

        Afterwards the file holds one version only, so its manifest record no longer hides anything.
        """
        keep = set(keep_ids)
        stored = self.collection.get(where={"origin": origin}, include=[])["ids"]
        stale = [i for i in stored if i not in keep]
        if stale:
            self.collection.delete(ids=stale)
        record = self._manifest_record(origin)
        if record.get("pending"):
            self._write_manifest(origin, live=record["live"], pending="")
        return len(stale)

    def all_chunks(self, filters: dict | None = None, page: int = 1000) -> list[Chunk]:
        """Every served chunk, read in pages: one 23k-row read cost 576 MB of RSS, pages cost 290 MB in all."""
        where = _all_of(where_clause(filters), self._visible_where())
        chunks: list[Chunk] = []
        offset = 0
        while True:
            got = self.collection.get(where=where, include=["documents", "metadatas"], limit=page, offset=offset)
            chunks += [chunk_from_record(i, d, m)
                       for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
            if len(got["ids"]) < page:
                return sorted(chunks, key=lambda c: (c.source, c.start))
            offset += page

    def dense_search(self, query_vector: list[float], k: int, filters: dict | None = None
                     ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) for the k nearest chunks."""
        served = self.count()
        if served == 0:
            return []
        hits = self.vectors.similarity_search_by_vector_with_relevance_scores(
            query_vector, k=min(k, served), filter=_all_of(where_clause(filters), self._visible_where()))
        return [(str(doc.id), 1.0 - distance) for doc, distance in hits]


def passage_text(chunk: Chunk) -> str:
    """What the dense index sees: the heading path gives a short paragraph its topic."""
    return f"{chunk.section}\n{chunk.text}" if chunk.section else chunk.text


def _manifest_id(origin: str) -> str:
    return hashlib.sha256(origin.encode("utf-8")).hexdigest()[:32]


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
        raise StoreError(f"无法创建数据目录 {persist_dir}: {exc.strerror} "
                         f"(cannot create the data directory: {exc.strerror})") from exc
    _check_writable(persist_dir)
    try:
        return chromadb.PersistentClient(path=str(persist_dir), settings=settings)
    except Exception as exc:  # Chroma reports a locked, read-only or damaged database in several types
        raise StoreError(f"无法打开向量库 {persist_dir}：{exc} (cannot open the store)") from exc


def _check_writable(persist_dir: Path) -> None:
    """Chroma writes even to answer a question, so a read-only store is refused up front, by name."""
    database = persist_dir / "chroma.sqlite3"
    try:
        with tempfile.TemporaryFile(dir=persist_dir):
            pass
        if database.exists():
            with database.open("r+b"):
                pass
    except OSError as exc:
        raise StoreError(f"数据目录只读或无写权限：{persist_dir}（{exc.strerror}）。请改用可写的目录（--data-dir / "
                         f"REPORT_QA_DATA_DIR），或给它写权限。 (The data directory is read-only: "
                         f"{exc.strerror}; Chroma needs to write there.)") from exc
