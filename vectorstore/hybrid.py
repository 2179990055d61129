"""Hybrid retrieval as a LangChain `BaseRetriever`: BM25 and dense Chroma search, fused."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from ingest.models import Chunk
from vectorstore.lexical import LexicalIndex
from vectorstore.records import to_document
from vectorstore.store import ChunkStore
from vectorstore.tokenize import Tokenizer

log = logging.getLogger(__name__)


class Fusion(str, Enum):
    RRF = "rrf"  # reciprocal rank fusion
    WEIGHTED = "weighted"  # min-max normalised scores, weighted sum


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    score: float  # fused
    lexical: float = 0.0
    dense: float = 0.0


class HybridRetriever(BaseRetriever):
    """Retrieves chunks by BM25 and by dense similarity, and fuses the two rankings."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: ChunkStore
    k: int = 6
    fetch_k: int = 20
    fusion: Fusion = Fusion.RRF
    rrf_k: int = 60
    lexical_weight: float = 0.5
    filters: dict | None = None
    _chunks: list[Chunk] = PrivateAttr(default_factory=list)
    _by_id: dict[str, int] = PrivateAttr(default_factory=dict)
    _lexical: LexicalIndex | None = PrivateAttr(default=None)
    _tokenizer: Tokenizer = PrivateAttr(default_factory=Tokenizer)

    def refresh(self) -> None:
        """(Re)load every stored chunk and rebuild the BM25 index."""
        self._chunks = self.store.all_chunks()
        self._by_id = {c.id: i for i, c in enumerate(self._chunks)}
        self._lexical = LexicalIndex(self._chunks, self._tokenizer)

    @property
    def chunks(self) -> list[Chunk]:
        if self._lexical is None:
            self.refresh()
        return self._chunks

    @property
    def tokenizer(self) -> Tokenizer:
        return self._tokenizer

    def search(self, query: str, *, lexical_query: str | None = None, k: int | None = None,
               filters: dict | None = None, query_vector: list[float] | None = None) -> list[ScoredChunk]:
        """Fused top-k. `lexical_query` lets the caller add terms (e.g. Chinese for an English question)."""
        chunks = self.chunks
        if not chunks:
            return []
        filters = filters if filters is not None else self.filters
        mask = self._mask(filters)
        lexical = self._lexical.search(lexical_query or query, self.fetch_k, mask)
        if query_vector is None:
            query_vector = self.store.embeddings.embed_query(query)
        dense = [(self._by_id[i], s) for i, s in
                 self.store.dense_search(query_vector, self.fetch_k, filters) if i in self._by_id]
        fused = self._fuse(lexical, dense)
        return fused[: k or self.k]

    def _mask(self, filters: dict | None) -> np.ndarray | None:
        active = {k: (set(v) if isinstance(v, (list, tuple, set)) else {v})
                  for k, v in (filters or {}).items() if v not in (None, "", [], ())}
        if not active:
            return None
        return np.array([all(getattr(c, key) in values for key, values in active.items())
                         for c in self._chunks])

    def _fuse(self, lexical: list[tuple[int, float]], dense: list[tuple[int, float]]) -> list[ScoredChunk]:
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
        return [ScoredChunk(self._chunks[i], scores[i], lex.get(i, 0.0), den.get(i, 0.0)) for i in ranked]

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                ) -> list[Document]:
        return [to_document(s.chunk, score=s.score, lexical_score=s.lexical, dense_score=s.dense)
                for s in self.search(query)]
