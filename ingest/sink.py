"""The named seam between ingest and storage: what the ingest pipeline writes to.

`vectorstore.store.ChunkStore` implements it (Chroma, in two phases: chunks searchable by BM25 first, vectors
after). Ingest never imports a store; the caller hands one in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from ingest.models import FileVersion, Written


class ChunkSink(Protocol):
    """Stores file versions crash-safely, then embeds what has no vector yet."""

    def writing(self) -> AbstractContextManager[None]:
        """Hold the store's writer lock: a second ingest waits here instead of racing this one."""

    def catch_up(self) -> str:
        """See every earlier write (another process's too); returns the generation token."""

    def write_versions(self, files: Sequence[FileVersion]) -> Written:
        """Phase 1: store these versions (searchable by BM25 at once), replacing older ones of the same files."""

    def staged_count(self) -> int:
        """How many stored chunks have no vector yet."""

    def embed_staged(self, progress: Callable[[int], None] | None = None) -> int:
        """Phase 2: embed every chunk still without a vector; returns how many."""

    def remove_file(self, origin: str) -> int:
        """Stop serving the file read from `origin`; returns how many chunks went."""
