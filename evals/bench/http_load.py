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
    try:  # Gradio's error event carries the message shown to a visitor, JSON-escaped
        message = json.loads(data or "").get("error") or data
    except (ValueError, AttributeError):
        message = data
    raise AskFailed(f"event {event}: {(message or '')[:200]}")


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


def oversized_then_normal(base_url: str, question: str, requests: int = 20, messages: int = 20,
                          chars: int = 50_000) -> dict:
    """`requests` oversized /ask calls at once (a history of `messages` messages of `chars` characters each, the
    case that once held every worker for minutes), then one normal question: how many were refused, and how
    long the normal question took while they were in flight or just after."""
    oversized = json.dumps([{"role": "user", "content": "长" * chars}] * messages, ensure_ascii=False)
    refused: list[str] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            ask_http(base_url, question, oversized)
            outcome = "answered"
        except Exception as exc:  # the cap's refusal arrives as an error event
            outcome = str(exc)
        with lock:
            refused.append(outcome)

    threads = [threading.Thread(target=send, daemon=True) for _ in range(requests)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    normal_began = time.perf_counter()
    answer = ask_http(base_url, question)
    normal_ms = (time.perf_counter() - normal_began) * 1000
    for thread in threads:
        thread.join(REQUEST_TIMEOUT_S)
    return {"oversized_requests": requests, "refused_by_cap": sum("对话历史过长" in r for r in refused),
            "normal_answered": "answer" in answer, "normal_ms": round(normal_ms, 1),
            "all_done_s": round(time.perf_counter() - began, 2)}
