"""The named seam between retrieval and storage: what `HybridRetriever` reads from a store of chunks.

`ChunkStore` (Chroma, embedded or a `chroma run` server) is one implementation; `InMemoryStore` is another,
small one, used by fast tests. A new vector store needs these methods and nothing else to be searched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from langchain_core.embeddings import Embeddings

from ingest.models import Chunk


@runtime_checkable
class RetrievalStore(Protocol):
    """Chunks with their vectors, read consistently, and the nearest ones to a query vector."""

    embeddings: Embeddings  # embeds the question the same way the stored chunks were embedded

    def catch_up(self) -> str:
        """Make the next reads see every write (another process's too); returns the generation token."""

    def generation(self) -> str:
        """A token that changes whenever the served chunks change."""

    def all_chunks(self, filters: dict | None = None) -> list[Chunk]:
        """Every served chunk, with a vector or not yet, in (source, start) order."""

    def unembedded_ids(self) -> set[str]:
        """Served chunks whose vector is not written yet: lexical search alone can find them."""

    def see_new_vectors(self) -> None:
        """Vectors were written for chunks that had none: let dense search see them."""

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these chunks (those that have one)."""

    def dense_search(self, query_vector: list[float], k: int, filters: dict | None = None
                     ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the k nearest chunks that have a vector and pass `filters`."""
