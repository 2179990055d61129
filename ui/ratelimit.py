"""A per-client sliding-window limit on questions, so one visitor cannot hog a public desk."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_TRACKED_CLIENTS = 10_000  # above this, clients with no recent question are forgotten


class RateLimiter:
    """Allows at most `limit` calls per `window_s` seconds for each client key (e.g. an IP)."""

    def __init__(self, limit: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record a call for `key` and say whether it is within the limit."""
        now = self._clock()
        with self._lock:
            if len(self._calls) > MAX_TRACKED_CLIENTS:
                self._forget_idle(now)
            calls = self._calls.setdefault(key, deque())
            while calls and now - calls[0] >= self.window_s:
                calls.popleft()
            if len(calls) >= self.limit:
                return False
            calls.append(now)
            return True

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, calls in self._calls.items() if not calls or now - calls[-1] >= self.window_s]
        for key in idle:
            del self._calls[key]
