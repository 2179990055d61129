"""Hybrid retrieval as a LangChain `BaseRetriever`: BM25 and dense Chroma search, fused."""

from __future__ import annotations

import ctypes
import logging
import re
import time
from dataclasses import dataclass, field

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from ingest.models import Chunk
from vectorstore.kinds import Fusion
from vectorstore.lexical import LexicalIndex
from vectorstore.records import from_document, to_document
from vectorstore.seams import RetrievalStore
from vectorstore.tokenize import Tokenizer

log = logging.getLogger(__name__)
MIN_WORD_CHARS = 2  # a chunk with fewer characters of words is no passage the dense ranking may offer
_WORD_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z]")
MAX_SCOPES = 64  # filters remembered per loaded view
OWN_STATISTICS_MAX = 4096  # a filter keeping at most this many chunks gets BM25 statistics of its own


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    score: float  # fused
    lexical: float = 0.0
    dense: float = 0.0
    lexical_only: bool = False  # the chunk has no vector yet, so only BM25 could rank it


@dataclass
class _Loaded:
    """One consistent view of the served chunks. A search reads one view whole; a refresh swaps in a new one."""

    chunks: list[Chunk]
    by_id: dict[str, int]
    lexical: LexicalIndex
    generation: str  # the store's generation token when this view was read
    unembedded: frozenset[str]  # ids of chunks with no vector yet: only lexical search can find them
    scopes: dict = field(default_factory=dict)  # filter → its `_Scope`, built at its first search


class HybridRetriever(BaseRetriever):
    """Retrieves chunks by BM25 and by dense similarity, and fuses the two rankings.

    A chunk stored without its vector yet (a two-phase ingest still embedding) is found by BM25 alone.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: RetrievalStore  # Chroma (`ChunkStore`) or any other implementation of the seam
    k: int = 6
    fetch_k: int = 20
    fusion: Fusion = Fusion.RRF
    rrf_k: int = 60
    lexical_weight: float = 0.5
    filters: dict | None = None
    check_every_s: float = 2.0  # how often `stale` asks the store whether another writer changed it
    _loaded: _Loaded | None = PrivateAttr(default=None)
    _checked: float = PrivateAttr(default=0.0)
    _tokenizer: Tokenizer = PrivateAttr(default_factory=Tokenizer)

    def refresh(self) -> None:
        """(Re)load every served chunk and rebuild the BM25 index."""
        self.install(self.load())

    def load(self) -> _Loaded:
        """Read every served chunk and build their BM25 index, without serving them yet: searches meanwhile
        read the view already installed."""
        generation = self.store.catch_up()  # read first: a write during the load makes the next check stale
        chunks = self.store.all_chunks()
        lexical = LexicalIndex(chunks, self._tokenizer)
        return _Loaded(chunks, {c.id: i for i, c in enumerate(chunks)}, lexical, generation,
                       frozenset(self.store.unembedded_ids()))

    def install(self, view: _Loaded) -> None:
        """Serve `view` from the next search on."""
        self._loaded = view
        self._checked = time.monotonic()
        release_freed_memory()

    def stale(self) -> bool:
        """Whether the served chunks changed since the last load, e.g. another process ingested a report.

        The store is asked at most every `check_every_s` seconds. Chunks that gained their vector meanwhile
        are noted on the way, without a reload.
        """
        loaded = self._loaded
        if loaded is None:
            return True
        now = time.monotonic()
        if now - self._checked < self.check_every_s:
            return False
        self._checked = now
        if self.store.generation() != loaded.generation:
            return True
        if loaded.unembedded:
            missing = frozenset(self.store.unembedded_ids())
            if missing != loaded.unembedded:  # vectors arrived, perhaps from another process: see them
                self.store.see_new_vectors()
                loaded.unembedded = missing
        return False

    @property
    def chunks(self) -> list[Chunk]:
        return self._view().chunks

    @property
    def unembedded(self) -> frozenset[str]:
        """Ids of served chunks that have no vector yet, as of the last check."""
        return self._view().unembedded

    @property
    def tokenizer(self) -> Tokenizer:
        return self._tokenizer

    def _view(self) -> _Loaded:
        if self._loaded is None:
            self.refresh()
        return self._loaded

    def search(self, query: str, *, lexical_query: str | None = None, k: int | None = None,
               filters: dict | None = None, query_vector: list[float] | None = None) -> list[ScoredChunk]:
        """Fused top-k. `lexical_query` lets the caller add terms (e.g. Chinese for an English question)."""
        view = self._view()
        if not view.chunks:
            return []
        filters = filters if filters is not None else self.filters
        scope = _scope(view, filters, self._tokenizer)
        lexical = scope.search(lexical_query or query, self.fetch_k)
        if query_vector is None:
            query_vector = self.store.embeddings.embed_query(query)
        if scope.positions is not None:  # a few selected reports: ranked exactly, by their stored vectors
            dense = self._dense_within(view, scope, query_vector)
        else:
            dense = [(view.by_id[i], s) for i, s in
                     self.store.dense_search(query_vector, self.fetch_k, filters) if i in view.by_id]
        # A page number or a lone heading mark (1, 11) is near every query in meaning and says nothing.
        dense = [(i, s) for i, s in dense if len(_WORD_CHARS.findall(view.chunks[i].text)) >= MIN_WORD_CHARS]
        fused = self._fuse(view, lexical, dense)
        if view.unembedded:
            log.info("%d chunks have no vector yet: lexical search alone can find them", len(view.unembedded))
        return _with_each_winner(fused, k or self.k, [ranked[0][0] for ranked in (lexical, dense) if ranked], view)

    def lexical_search(self, query: str, k: int, filters: dict | None = None) -> list[ScoredChunk]:
        """BM25 alone, top `k` within `filters`: for words the fused ranking left out."""
        view = self._view()
        if not view.chunks:
            return []
        scope = _scope(view, filters if filters is not None else self.filters, self._tokenizer)
        return [ScoredChunk(view.chunks[i], 0.0, s, 0.0, view.chunks[i].id in view.unembedded)
                for i, s in scope.search(query, k)]

    def scope_chunks(self, filters: dict | None) -> list[Chunk] | None:
        """The chunks `filters` keeps, when they are few enough to get statistics of their own; else None
        (no filter, or one that keeps nearly everything: the corpus-wide statistics serve it)."""
        view = self._view()
        scope = _scope(view, filters, self._tokenizer)
        if scope.positions is None:
            return None
        return [view.chunks[i] for i in scope.positions]

    def pending(self, filters: dict | None = None) -> int:
        """How many of the chunks `filters` keeps have no vector yet (an ingest still embedding them)."""
        view = self._view()
        if not view.unembedded:
            return 0
        mask = _scope(view, filters, self._tokenizer).mask
        if mask is None:
            return len(view.unembedded)
        return sum(view.chunks[i].id in view.unembedded for i in np.flatnonzero(mask))

    def _dense_within(self, view: _Loaded, scope: _Scope, query_vector: list[float]) -> list[tuple[int, float]]:
        """Cosine similarity to every kept chunk that has a vector, top `fetch_k`. The vector index answers a
        selective filter approximately: at 1,000 reports it returned no chunk at all of the one selected report
        for some questions. The kept chunks' vectors are read once per scope and view (and again when vectors
        arrive for chunks that had none)."""
        if scope.vectors is None or scope.vectors[0] != view.unembedded:
            ids = [view.chunks[i].id for i in scope.positions]
            stored = self.store.vectors(ids)
            kept = [(int(p), stored[i]) for p, i in zip(scope.positions, ids) if i in stored]
            matrix = np.array([v for _, v in kept], dtype=np.float32) if kept else np.zeros((0, 1), np.float32)
            norms = np.maximum(np.linalg.norm(matrix, axis=1), 1e-12)
            scope.vectors = (view.unembedded, np.array([p for p, _ in kept], dtype=np.int64), matrix / norms[:, None])
        _, positions, matrix = scope.vectors
        if not len(positions):
            return []
        q = np.asarray(query_vector, dtype=np.float32)
        similarity = matrix @ (q / max(float(np.linalg.norm(q)), 1e-12))
        best = np.argsort(-similarity, kind="stable")[: self.fetch_k]
        return [(int(positions[i]), float(similarity[i])) for i in best]

    def _fuse(self, view: _Loaded, lexical: list[tuple[int, float]], dense: list[tuple[int, float]]
              ) -> list[ScoredChunk]:
        lex, den = dict(lexical), dict(dense)
        scores: dict[int, float] = {}
        if self.fusion is Fusion.RRF:
            w = self.lexical_weight
            for rank, (i, _) in enumerate(lexical):
                scores[i] = scores.get(i, 0.0) + 2 * w / (self.rrf_k + rank + 1)
            for rank, (i, _) in enumerate(dense):
                scores[i] = scores.get(i, 0.0) + 2 * (1 - w) / (self.rrf_k + rank + 1)
        else:
            for source, weight in ((lex, self.lexical_weight), (den, 1 - self.lexical_weight)):
                if not source:
                    continue
                lo, hi = min(source.values()), max(source.values())
                for i, s in source.items():
                    scores[i] = scores.get(i, 0.0) + weight * ((s - lo) / (hi - lo) if hi > lo else 1.0)
        ranked = sorted(scores, key=lambda i: -scores[i])
        return [ScoredChunk(view.chunks[i], scores[i], lex.get(i, 0.0), den.get(i, 0.0),
                            view.chunks[i].id in view.unembedded) for i in ranked]

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                lexical_query: str | None = None, k: int | None = None,
                                filters: dict | None = None) -> list[Document]:
        """`invoke(query, config, lexical_query=…, k=…, filters=…)`: `search` as LangChain documents, each with
        its fused, lexical and dense scores in its metadata."""
        return [to_document(s.chunk, score=s.score, lexical_score=s.lexical, dense_score=s.dense,
                            lexical_only=s.lexical_only)
                for s in self.search(query, lexical_query=lexical_query, k=k, filters=filters)]

    def hits(self, documents: list[Document]) -> list[ScoredChunk]:
        """The scored chunks behind documents this retriever returned: the served chunks themselves, not copies
        rebuilt from metadata (unless a reload replaced them in between)."""
        view = self._view()
        out = []
        for doc in documents:
            at = view.by_id.get(str(doc.id))
            chunk = view.chunks[at] if at is not None else from_document(doc)
            meta = doc.metadata
            out.append(ScoredChunk(chunk, float(meta["score"]), float(meta.get("lexical_score", 0.0)),
                                   float(meta.get("dense_score", 0.0)), bool(meta.get("lexical_only", False))))
        return out


def _with_each_winner(fused: list[ScoredChunk], k: int, winners: list[int], view: _Loaded) -> list[ScoredChunk]:
    """The fused top-k, with each retriever's own first result kept in it.

    Rank fusion favours chunks both retrievers find; a chunk that BM25 ranks first by far but the dense
    search misses (科研诚信 in a long list of duties) would otherwise never reach the answerer.
    """
    wanted = {view.chunks[i].id for i in winners}
    top = fused[:k]
    missing = [s for s in fused[k:] if s.chunk.id in wanted]
    while missing and len(top) + len(missing) > k:
        drop = next((s for s in reversed(top) if s.chunk.id not in wanted), None)
        if drop is None:
            break
        top.remove(drop)
    return top + missing


@dataclass
class _Scope:
    """What a filter keeps, and how BM25 and the dense ranking rank inside it."""

    mask: np.ndarray | None  # over the view's chunks; None: no filter
    index: LexicalIndex  # of the kept chunks alone when they are few, else the view's whole index
    positions: np.ndarray | None  # the kept chunks' positions in the view, when `index` holds them alone
    # (the view's unembedded ids when read, positions with a vector, their unit vectors), read at first use
    vectors: tuple | None = None

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        if self.positions is None:
            return self.index.search(query, k, self.mask)
        return [(int(self.positions[i]), s) for i, s in self.index.search(query, k)]


def _active(filters: dict | None) -> dict[str, set]:
    return {k: (set(v) if isinstance(v, (list, tuple, set)) else {v})
            for k, v in (filters or {}).items() if v not in (None, "", [], ())}


def scope_key(filters: dict | None) -> tuple:
    """One key per filter, whatever the order of its fields and values; () for no filter."""
    return tuple(sorted((k, tuple(sorted(map(repr, v)))) for k, v in _active(filters).items()))


def _scope(view: _Loaded, filters: dict | None, tokenizer: Tokenizer) -> _Scope:
    """Built once per filter and view. A few selected reports get their own BM25 statistics: with 100 other
    reports stored, a term that every report uses (总支出) weighed almost nothing and the scope's own name
    (科技) weighed most, which moved the asked paragraph down inside the scope."""
    active = _active(filters)
    if not active:
        return _Scope(None, view.lexical, None)
    key = scope_key(filters)
    scope = view.scopes.get(key)
    if scope is None:
        if len(view.scopes) >= MAX_SCOPES:
            view.scopes.clear()
        mask = np.array([all(getattr(c, k) in values for k, values in active.items()) for c in view.chunks],
                        dtype=bool)
        positions = np.flatnonzero(mask)
        if 0 < len(positions) <= OWN_STATISTICS_MAX and len(positions) < len(view.chunks):
            scope = _Scope(mask, LexicalIndex([view.chunks[i] for i in positions], tokenizer), positions)
        else:
            scope = _Scope(mask, view.lexical, None)
        view.scopes[key] = scope
    return scope


def release_freed_memory() -> None:
    """Hand the heap that loading the chunks freed back to the system (glibc keeps it otherwise)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
