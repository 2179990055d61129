"""Concurrent HTTP clients against a served desk's `/ask` API, over Gradio's REST queue protocol.

One call is `POST /gradio_api/call/ask {"data": [question, history_json]}` → `{"event_id"}`, then
`GET /gradio_api/call/ask/{event_id}`, a server-sent-event stream that ends in `complete` or `error`.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import dataclass, field

from evals.bench.stats import percentile

REQUEST_TIMEOUT_S = 120


class AskFailed(RuntimeError):
    """The desk answered with an error event, or not in the expected shape."""


def ask_http(base_url: str, question: str, history_json: str = "[]", timeout_s: float = REQUEST_TIMEOUT_S) -> dict:
    """One question through the served `/ask` endpoint; returns the answer JSON object."""
    base = base_url.rstrip("/")
    body = json.dumps({"data": [question, history_json]}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(f"{base}/gradio_api/call/ask", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        event_id = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{base}/gradio_api/call/ask/{event_id}", timeout=timeout_s) as response:
        return parse_sse(response.read().decode("utf-8"))


def parse_sse(text: str) -> dict:
    """The answer object of a finished event stream; AskFailed for an `error` event or a missing result."""
    event = data = None
    for line in text.splitlines():
        if line.startswith("event:"):
            event = line[len("event:"):].strip()
        elif line.startswith("data:"):
            data = line[len("data:"):].strip()
    if event == "complete" and data:
        payload = json.loads(data)
        if isinstance(payload, list) and payload and isinstance(payload[0], dict):
            return payload[0]
    raise AskFailed(f"event {event}: {(data or '')[:200]}")


@dataclass
class LoadResult:
    clients: int
    requests: int = 0
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    error_samples: list[str] = field(default_factory=list)


def run_load(base_url: str, clients: int, questions: list[str], per_client: int = 3,
             max_seconds: float = 20.0) -> LoadResult:
    """`clients` threads start together; each asks up to `per_client` questions, stopping at `max_seconds`."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline = time.monotonic() + max_seconds

    def client(index: int) -> None:
        barrier.wait()
        for turn in range(per_client):
            if time.monotonic() > deadline:
                return
            question = questions[(index * per_client + turn) % len(questions)]
            began = time.perf_counter()
            try:
                answer = ask_http(base_url, question)
                outcome = None if "answer" in answer else f"no answer: {str(answer)[:100]}"
            except Exception as exc:  # every failure is counted and sampled, none ends the run
                outcome = f"{type(exc).__name__}: {exc}"[:200]
            with lock:
                (failures.append(outcome) if outcome else latencies.append((time.perf_counter() - began) * 1000))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join(max_seconds + REQUEST_TIMEOUT_S)
    return _summary(clients, latencies, failures, time.perf_counter() - began)


def _summary(clients: int, latencies: list[float], failures: list[str], seconds: float) -> LoadResult:
    ms = sorted(latencies)
    return LoadResult(clients=clients, requests=len(ms) + len(failures), ok=len(ms), errors=len(failures),
                      seconds=round(seconds, 2), requests_per_s=round(len(ms) / seconds, 2) if seconds else 0.0,
                      p50_ms=round(percentile(ms, 50), 1), p95_ms=round(percentile(ms, 95), 1),
                      error_samples=sorted(set(failures))[:5])
