"""How the Chroma store reads: `where` clauses from the desk's filters, paged reads, and the lock that lets reads
and a reopen of the embedded client take turns."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

log = logging.getLogger(__name__)
READ_PAGE = 1000  # one 23k-row read cost 576 MB of RSS; pages of 1,000 keep it under 300 MB


def where_clause(filters: dict | None) -> dict | None:
    """{"department": "…", "year": 2022} → a Chroma `where` (None when no filter is set)."""
    items = [{k: {"$in": list(v)} if isinstance(v, (list, tuple, set)) else v}
             for k, v in (filters or {}).items() if v not in (None, "", [], ())]
    if not items:
        return None
    return items[0] if len(items) == 1 else {"$and": items}


def all_of(*clauses: dict | None) -> dict | None:
    items = [c for c in clauses if c]
    if not items:
        return None
    return items[0] if len(items) == 1 else {"$and": items}


class SharedLock:
    """Many readers at once, or one writer: reads of the embedded client, or a reopen that replaces it."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:  # a nested read on the same thread never waits: only a running reopen blocks
            while self._writing:
                self._changed.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._changed:
            while self._writing or self._readers:
                self._changed.wait()
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()


def survives_reopen(read=None, *, reopen_on_error: bool = False):
    """A read of the client that another thread's `reopen` (a background reload; a search that found vectors
    another process wrote) must not close under it: the two take turns. With `reopen_on_error`, a failed read
    reopens the client and is run once more (the embedded index misses vectors another process wrote)."""
    def wrap(read):
        @functools.wraps(read)
        def reading(self, *args, **kwargs):
            collection = self.collection
            try:
                with self._use.reading():
                    return read(self, *args, **kwargs)
            except Exception as exc:  # Chroma raises several types; the retry raises what is real
                if not reopen_on_error:
                    raise
                log.info("%s failed (%s): asking a reopened store", read.__name__, exc)
            self.reopen(collection)  # outside the read: a reopen waits for every read to finish
            with self._use.reading():
                return read(self, *args, **kwargs)
        return reading
    return wrap(read) if read is not None else wrap


def ids_in(collection, where: dict | None) -> set[str]:
    return {i for got in pages(collection, where, []) for i in got["ids"]}


def pages(collection, where: dict | None, include: list[str]) -> Iterator[dict]:
    offset = 0
    while True:
        got = collection.get(where=where, include=include, limit=READ_PAGE, offset=offset)
        yield got
        if len(got["ids"]) < READ_PAGE:
            return
        offset += READ_PAGE


def batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
