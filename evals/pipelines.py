"""The pipelines an eval compares: report-qa's default, and a naive dense-only baseline."""

from __future__ import annotations

import time

from assistant import Assistant
from assistant.models import Answer, Citation, Mode
from evals.dataset import EvalItem
from evals.runner import Pipeline

NAIVE_K = 3


def default_pipeline(assistant: Assistant) -> Pipeline:
    def run(item: EvalItem) -> tuple[Answer, list[str]]:
        answer = assistant.ask(item.question, history=item.history)
        try:
            hits = assistant.retrieve(item.question, history=item.history)
        except ValueError:
            hits = []
        return answer, [h.chunk.text for h in hits]
    return run


def naive_pipeline(assistant: Assistant) -> Pipeline:
    """What a plain RAG demo does: dense top-k on the raw question, answer with the top chunk, never abstain."""
    store = assistant.store

    def run(item: EvalItem) -> tuple[Answer, list[str]]:
        started = time.perf_counter()
        vector = store.embeddings.embed_query(item.question)
        by_id = {c.id: c for c in assistant.retriever.chunks}
        chunks = [by_id[i] for i, _ in store.dense_search(vector, NAIVE_K) if i in by_id]
        if not chunks:
            return Answer(question=item.question, text="", abstained=True), []
        top = chunks[0]
        answer = Answer(question=item.question, text=f"{top.text}[1]", mode=Mode.EXTRACTIVE,
                        citations=[Citation(n=1, source=top.source, section=top.section, start=top.start,
                                            end=top.end, quote=top.text)],
                        latency_ms=(time.perf_counter() - started) * 1000)
        return answer, [c.text for c in chunks]
    return run
