"""In-process measurements: ingest throughput, and warm `ask` latency with its split into the chain's steps."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from unittest.mock import patch
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler

from evals.bench.procs import dir_size_mb
from evals.bench.stats import StepProfiler, summary_ms
from evals.dataset import EvalItem

STEPS = ("analysing", "embedding", "retrieval", "answering", "verifying", "other")
# The Assistant's chain steps, by their run names (assistant.core builds the chain of named runnables).
_CHAIN_STEPS = {"standalone": "analysing", "plan": "analysing", "hits": "retrieval", "draft": "answering",
                "verify": "verifying"}
WARMUP_QUESTIONS = 3


class StepTimer(BaseCallbackHandler):
    """Times the chain's named steps through LangChain's callbacks: a region opens at a step's start and closes at
    its end or error (steps run in sequence on one thread, so regions nest)."""

    def __init__(self, profiler: StepProfiler, labels: dict[str, str]) -> None:
        self.profiler = profiler
        self.labels = labels
        self._open: dict[UUID, AbstractContextManager] = {}

    def on_chain_start(self, serialized, inputs, *, run_id: UUID, **kwargs) -> None:
        label = self.labels.get(kwargs.get("name") or "")
        if label:
            region = self.profiler.region(label)
            region.__enter__()
            self._open[run_id] = region

    def on_chain_end(self, outputs, *, run_id: UUID, **kwargs) -> None:
        region = self._open.pop(run_id, None)
        if region is not None:
            region.__exit__(None, None, None)

    def on_chain_error(self, error, *, run_id: UUID, **kwargs) -> None:
        self.on_chain_end(None, run_id=run_id)

    def on_retriever_start(self, serialized, query, *, run_id: UUID, **kwargs) -> None:
        """Every retrieval, the plan's parts' too (inside the answering step), through the retriever's own run."""
        region = self.profiler.region("retrieval")
        region.__enter__()
        self._open[run_id] = region

    def on_retriever_end(self, documents, *, run_id: UUID, **kwargs) -> None:
        self.on_chain_end(None, run_id=run_id)

    def on_retriever_error(self, error, *, run_id: UUID, **kwargs) -> None:
        self.on_chain_end(None, run_id=run_id)


@contextmanager
def instrumented(assistant, profiler: StepProfiler) -> Iterator[None]:
    """Time this assistant's chain steps and every retrieval through LangChain's callbacks (the named runnables and
    the retriever's own runs), and its query embedding (the embedder's public `embed_query`, which no callback
    reports), exclusively."""
    chain = assistant.chain
    with ExitStack() as stack:
        embeddings = assistant.store.embeddings
        stack.enter_context(patch.object(embeddings, "embed_query",
                                         profiler.wrap("embedding", embeddings.embed_query)))
        assistant.chain = chain.with_config(callbacks=[StepTimer(profiler, _CHAIN_STEPS)])
        try:
            yield
        finally:
            assistant.chain = chain


def asker(assistant, filters: dict | None = None) -> Callable[[EvalItem], object]:
    return lambda item: assistant.ask(item.question, history=item.history, filters=filters)


def warm_latency(pipelines: dict[str, Callable[[EvalItem], object]], items: Sequence[EvalItem],
                 profiler: StepProfiler | None = None) -> dict[str, dict]:
    """Run every item through every pipeline, interleaved, so machine noise hits all of them alike.

    Returns, per pipeline, the latency summary and (with a profiler) the mean split into steps.
    """
    for fn in pipelines.values():
        for item in items[:WARMUP_QUESTIONS]:
            fn(item)
    ms: dict[str, list[float]] = {label: [] for label in pipelines}
    splits: dict[str, list[dict]] = {label: [] for label in pipelines}
    profiler = profiler or StepProfiler()
    for item in items:
        for label, fn in pipelines.items():
            profiler.reset()
            began = time.perf_counter()
            fn(item)
            ms[label].append((time.perf_counter() - began) * 1000)
            splits[label].append(profiler.reset())
    return {label: {**summary_ms(ms[label]), "steps": step_split(ms[label], splits[label])}
            for label in pipelines}


def step_split(total_ms: list[float], steps: list[dict[str, float]]) -> dict[str, dict]:
    """Mean ms and share of the mean total per step; `other` is what no step accounts for."""
    if not total_ms or not any(steps):
        return {}
    mean_total = statistics.fmean(total_ms)
    means = {s: statistics.fmean(d.get(s, 0.0) for d in steps) for s in STEPS if s != "other"}
    means["other"] = max(0.0, mean_total - sum(means.values()))
    return {s: {"mean_ms": round(m, 2), "share": round(m / mean_total, 3)} for s, m in means.items()}


def measure_ingest(assistant, paths: list[Path]) -> dict:
    """Ingest `paths`, timing the embedder: throughput, its share of the time, and the store's size."""
    profiler = StepProfiler()
    embeddings = assistant.store.embeddings
    began = time.perf_counter()
    with patch.object(embeddings, "embed_documents", profiler.wrap("embedding", embeddings.embed_documents)):
        report = assistant.ingest(paths, progress=False)
    wall = time.perf_counter() - began  # also rebuilds the BM25 index and the matcher
    embed_s = profiler.totals["embedding"]
    chars = sum(len(c.text) for c in assistant.retriever.chunks)
    return {"files": report.files, "chunks": report.chunks, "added": report.added, "errors": report.errors,
            "ingest_s": round(report.seconds, 2), "wall_s": round(wall, 2),
            "lexical_s": round(report.lexical_seconds, 2),  # until BM25 could find every chunk
            "chunks_per_s": round(report.added / report.seconds, 2) if report.seconds else 0.0,
            "embed_s": round(embed_s, 2), "embed_share": round(embed_s / report.seconds, 3) if report.seconds else 0.0,
            "mean_chunk_chars": round(chars / max(len(assistant.retriever.chunks), 1), 1),
            "store_mb": round(dir_size_mb(assistant.settings.store_dir), 2) if assistant.settings.chroma_host is None
            else None}
