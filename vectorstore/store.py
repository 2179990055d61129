"""Chroma-backed chunk store: embedded PersistentClient by default, HttpClient against `chroma run` when configured.

Ingest is two-phase. `write_versions` stores a file's chunks with their text and metadata only, in the
`<collection>.staged` collection, so BM25 can serve them at once; `embed_staged` then embeds them in batches
and moves them into the dense collection. Either phase can be killed and rerun.

A changed file is replaced crash-safely: its new chunks stay hidden until a one-record commit in the
`<collection>.files` manifest switches the file over, so a killed ingest leaves the old version serving.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from langchain_core.embeddings import Embeddings

from ingest.models import Chunk, FileVersion, Written
from vectorstore.connection import StoreError, connect
from vectorstore.embeddings import embedding_model_id
from vectorstore.reading import READ_PAGE, SharedLock, all_of, batches, ids_in, pages, survives_reopen, where_clause
from vectorstore.records import chunk_from_record, chunk_metadata, passage, passage_text

log = logging.getLogger(__name__)
EMBED_BATCH = 32  # texts per embedder call; sorted by length first, so little of a batch is padding
WRITE_BATCH = 1024  # records per Chroma write: 256 rows a write ran at 590 rows/s, 1,024 at 950
EMBED_PAGE = 512  # phase 2 embeds this many staged chunks, then writes them: a kill loses at most one page
MANIFEST_SUFFIX = ".files"  # the collection of per-file version records
STAGED_SUFFIX = ".staged"  # chunks stored for lexical search whose vectors are not written yet
GENERATION_ID = "generation"  # a manifest record whose token changes whenever the served chunks change
LOCK_FILE = "ingest.lock"
_NO_VECTOR = [1.0]  # the manifest and the staging area are looked up by id and metadata, never by vector


class EmbeddingMismatchError(StoreError):
    """The collection was built with another embedding model."""


class ChunkStore:
    """Stores chunks with their embeddings, and answers dense queries over them."""

    def __init__(self, embeddings: Embeddings, *, persist_dir: Path | None = None,
                 host: str | None = None, port: int = 8000, collection: str = "reports") -> None:
        self.embeddings = embeddings
        self.model_id = embedding_model_id(embeddings)
        self._address = (persist_dir, host, port, collection)
        self._open()
        self._reopening = threading.Lock()
        self._use = SharedLock()
        # Writers on one directory take turns; a Chroma server serialises writes itself.
        self._lock_path = None if host else Path(persist_dir) / LOCK_FILE
        self._visible: tuple[dict | None] | None = None  # (`_visible_where()`,) cached for searches
        self._seen = self.generation()  # the last generation this object wrote or caught up with

    def _open(self) -> None:
        persist_dir, host, port, collection = self._address
        self.client = connect(persist_dir, host, port)
        self.collection = self._open_collection(collection)
        self.manifest = self.client.get_or_create_collection(name=f"{collection}{MANIFEST_SUFFIX}",
                                                             embedding_function=None)
        self.staged = self.client.get_or_create_collection(name=f"{collection}{STAGED_SUFFIX}",
                                                           embedding_function=None)

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

    @survives_reopen
    def count(self) -> int:
        """How many chunks are served, with a vector or not yet (a half-written new version is not counted)."""
        self.forget_cache()
        visible = self._visible_where()
        if visible is None and self.staged.count() == 0:
            return self.collection.count()
        return len(ids_in(self.collection, visible) | ids_in(self.staged, visible))

    @survives_reopen
    def unembedded_ids(self) -> set[str]:
        """Served chunks whose vector is not written yet: lexical search finds them, dense search not yet."""
        if self.staged.count() == 0:
            return set()
        staged = ids_in(self.staged, self._visible_where())
        return staged - set(self.collection.get(ids=sorted(staged), include=[])["ids"]) if staged else set()

    @survives_reopen
    def generation(self) -> str:
        """A token that changes whenever the served chunks change (by this process or by another)."""
        got = self.manifest.get(ids=[GENERATION_ID], include=["metadatas"])
        return got["metadatas"][0].get("token", "") if got["ids"] else ""

    def forget_cache(self) -> None:
        """Read the manifest again at the next search (another process may have written)."""
        self._visible = None

    def catch_up(self) -> str:
        """Make the next reads see every write, another process's too; returns the generation token."""
        self._visible = None
        token = self.generation()
        if token != self._seen:
            self.reopen(self.collection)
        self._seen = token
        return token

    def see_new_vectors(self) -> None:
        """Vectors another process wrote for chunks that had none: make dense search see them."""
        self.reopen(self.collection)

    def reopen(self, seen_failing) -> None:
        """Reopen the embedded client, unless another thread already replaced `seen_failing` (a collection).

        The embedded client keeps its vector index in memory and never sees another process's writes to it.
        A Chroma server always answers from its latest state, so a server client is left as it is.
        """
        with self._reopening:
            if self._lock_path is None or self.collection is not seen_failing:
                return
            log.info("another process wrote to the store: reopening it")
            with self._use.writing():  # no read is using the client it closes
                self.client.close()
                self._open()

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

    def write_versions(self, files: Sequence[FileVersion]) -> Written:
        """Phase 1 for a group of files: store each new or changed file's chunks without vectors, switch the
        files over to them with one manifest write, then drop their older chunks. Unchanged files cost nothing.
        """
        origins = [f.origin for f in files]
        records = self._manifest_records(origins)
        stored = self._stored_by_origin(origins)
        changing = [f for f in files if records.get(f.origin, {}).get("pending")
                    or set(stored.get(f.origin, {})) != {c.id for c in f.chunks}]
        if not changing:
            return Written(0, 0)
        self._write_manifest([(f.origin, _live(records.get(f.origin), stored.get(f.origin, {})), f.sha256)
                              for f in changing])
        fresh = list({c.id: c for f in changing for c in f.chunks}.values())
        present = self._present([c.id for c in fresh])
        new = [c for c in fresh if c.id not in present]
        for batch in batches(new, WRITE_BATCH):
            self.staged.upsert(ids=[c.id for c in batch], embeddings=[_NO_VECTOR] * len(batch),
                               documents=[c.text for c in batch], metadatas=[chunk_metadata(c) for c in batch])
        self._write_manifest([(f.origin, f.sha256, f.sha256) for f in changing])  # the switch-over
        keep = {c.id for c in fresh}
        stale = sorted({i for f in changing for i in stored.get(f.origin, {}) if i not in keep})
        self._delete(stale)
        self._write_manifest([(f.origin, f.sha256, "") for f in changing])
        return Written(len(new), len(stale))

    def embed_staged(self, progress: Callable[[int], None] | None = None) -> int:
        """Phase 2: embed the staged chunks and move them into the dense collection; returns how many.

        A chunk leaves the staging area only after its vector is written, and one whose vector is already
        there is not embedded again, so a killed run resumes where it stopped.
        """
        moved = 0
        while True:
            got = self.staged.get(limit=EMBED_PAGE, include=["documents", "metadatas"])
            if not got["ids"]:
                return moved
            done = set(self.collection.get(ids=got["ids"], include=[])["ids"])
            rows = sorted(((i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
                           if i not in done), key=lambda r: len(r[1]) + len(r[2].get("section", "")))
            if progress and done:
                progress(len(done))
            vectors: list = []
            for batch in batches(rows, EMBED_BATCH):
                vectors += self.embeddings.embed_documents([passage(m.get("section", ""), d) for _, d, m in batch])
                if progress:
                    progress(len(batch))
            if rows:
                self.collection.upsert(ids=[r[0] for r in rows], embeddings=vectors,
                                       documents=[r[1] for r in rows], metadatas=[r[2] for r in rows])
            self.staged.delete(ids=got["ids"])
            moved += len(rows)

    def staged_count(self) -> int:
        return self.staged.count()

    def begin_version(self, origin: str, sha256: str) -> None:
        """Announce that chunks of `origin` at `sha256` are about to be written; they stay hidden until commit."""
        record = self._manifest_records([origin]).get(origin)
        stored = {} if record else self._stored_by_origin([origin]).get(origin, {})
        self._write_manifest([(origin, _live(record, stored), sha256)])

    def commit_version(self, origin: str, sha256: str) -> None:
        """Serve `origin` at `sha256` from now on: one atomic record write is the switch-over."""
        self._write_manifest([(origin, sha256, sha256)])

    def add_chunks(self, chunks: Sequence[Chunk], progress: Callable[[int], None] | None = None) -> int:
        """Embed and store, in one step, the chunks whose ids are not stored yet; returns how many were added."""
        present = self._present([c.id for c in chunks])
        todo = list({c.id: c for c in chunks if c.id not in present}.values())
        if progress and present:
            progress(len(chunks) - len(todo))
        for batch in batches(todo, WRITE_BATCH):
            vectors: list = []
            for part in batches(batch, EMBED_BATCH):
                vectors += self.embeddings.embed_documents([passage_text(c) for c in part])
                if progress:
                    progress(len(part))
            self.collection.upsert(ids=[c.id for c in batch], embeddings=vectors, documents=[c.text for c in batch],
                                   metadatas=[chunk_metadata(c) for c in batch])
        self._visible = None
        return len(todo)

    def delete_other_versions(self, origin: str, keep_ids: Iterable[str]) -> int:
        """Drop the chunks read from `origin` (a file's path) that are not in `keep_ids`: its older version.

        Afterwards the file holds one version only, so its manifest record no longer hides anything.
        """
        keep = set(keep_ids)
        stale = sorted(i for i in self._stored_by_origin([origin]).get(origin, {}) if i not in keep)
        self._delete(stale)
        record = self._manifest_records([origin]).get(origin, {})
        if record.get("pending"):
            self._write_manifest([(origin, record["live"], "")])
        return len(stale)

    def remove_file(self, origin: str) -> int:
        """Drop every chunk read from `origin` (a file's path): the file is no longer served. The caller holds
        the writer lock. Its manifest record is cleared last, with a new generation, so readers reload."""
        stored = sorted(self._stored_by_origin([origin]).get(origin, {}))
        self._delete(stored)
        self._write_manifest([(origin, "", "")])
        return len(stored)

    def _manifest_records(self, origins: Sequence[str]) -> dict[str, dict]:
        got = self.manifest.get(ids=[_manifest_id(o) for o in origins], include=["metadatas"])
        return {m["origin"]: dict(m) for m in got["metadatas"]}

    def _write_manifest(self, records: Sequence[tuple[str, str, str]]) -> None:
        """(origin, live sha256, pending sha256) records, written at once with a new generation token."""
        metas = [{"origin": o, "live": live, "pending": pending} for o, live, pending in records]
        caught_up = self.generation() == self._seen  # else another process wrote first: `catch_up` reopens
        token = uuid.uuid4().hex
        metas.append({"origin": "", "live": "", "pending": "", "token": token})
        ids = [_manifest_id(o) for o, _, _ in records] + [GENERATION_ID]
        self.manifest.upsert(ids=ids, embeddings=[_NO_VECTOR] * len(ids), documents=[m["origin"] for m in metas],
                             metadatas=metas)
        self._visible = None
        if caught_up:
            self._seen = token

    def _stored_by_origin(self, origins: Sequence[str]) -> dict[str, dict[str, str]]:
        """origin → {chunk id: sha256} of every stored chunk read from it, with a vector or not."""
        found: dict[str, dict[str, str]] = {}
        where = {"origin": {"$in": list(origins)}}
        for collection in (self.collection, self.staged):
            got = collection.get(where=where, include=["metadatas"])
            for chunk_id, meta in zip(got["ids"], got["metadatas"]):
                found.setdefault(meta["origin"], {})[chunk_id] = meta.get("sha256", "")
        return found

    def _present(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        return {i for c in (self.collection, self.staged) for i in c.get(ids=list(ids), include=[])["ids"]}

    def _delete(self, ids: Sequence[str]) -> None:
        for batch in batches(list(ids), WRITE_BATCH):
            self.collection.delete(ids=batch)
            self.staged.delete(ids=batch)
        self._visible = None

    @survives_reopen
    def _visible_where(self) -> dict | None:
        """A `where` that hides the chunks of files caught mid-replacement; None when no file is."""
        if self._visible is None:
            dirty = self.manifest.get(where={"pending": {"$ne": ""}}, include=["metadatas"])["metadatas"]
            shown = [{"$and": [{"origin": m["origin"]}, {"sha256": m["live"]}]} for m in dirty if m["live"]]
            others = {"origin": {"$nin": [m["origin"] for m in dirty]}}
            self._visible = (None if not dirty else {"$or": [others, *shown]} if shown else others,)
        return self._visible[0]

    # --- reading -------------------------------------------------------------------------------------
    @survives_reopen
    def all_chunks(self, filters: dict | None = None) -> list[Chunk]:
        """Every served chunk, with a vector or not yet, in (source, start) order; read in pages."""
        self.forget_cache()
        where = all_of(where_clause(filters), self._visible_where())
        chunks: dict[str, Chunk] = {}
        for collection in (self.staged, self.collection):  # a chunk caught in both: the dense copy wins
            for got in pages(collection, where, ["documents", "metadatas"]):
                chunks.update((i, chunk_from_record(i, d, m))
                              for i, d, m in zip(got["ids"], got["documents"], got["metadatas"]))
        return sorted(chunks.values(), key=lambda c: (c.source, c.start))

    @survives_reopen
    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these chunks (those that have one), read in pages."""
        out: dict[str, list[float]] = {}
        for batch in batches(list(ids), READ_PAGE):
            got = self.collection.get(ids=list(batch), include=["embeddings"])
            out.update((str(i), list(map(float, v))) for i, v in zip(got["ids"], got["embeddings"]))
        return out

    @survives_reopen(reopen_on_error=True)
    def dense_search(self, query_vector: list[float], k: int, filters: dict | None = None
                     ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) for the k nearest chunks that have a vector."""
        where = all_of(where_clause(filters), self._visible_where())
        # Vectors another process wrote may be missing from the embedded client's index ("Error finding id"):
        # the decorator then reopens the client and asks once more.
        got = self.collection.query(query_embeddings=[list(query_vector)], n_results=k, include=["distances"],
                                    where=where)
        return [(str(i), 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])]


def _live(record: dict | None, stored: dict[str, str]) -> str:
    """The sha256 a file serves now: its manifest record's, or (a store from before the manifest) the most
    common one among its stored chunks."""
    if record is not None and "live" in record:
        return record["live"]
    shas = Counter(stored.values())
    return shas.most_common(1)[0][0] if shas else ""


def _manifest_id(origin: str) -> str:
    return hashlib.sha256(origin.encode("utf-8")).hexdigest()[:32]
