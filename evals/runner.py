"""Runs an eval set through a pipeline and scores answers, citations, abstention, retrieval and latency."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tqdm import tqdm

from assistant.models import Answer, Mode
from assistant.verify import unsupported_numbers
from evals.dataset import EvalItem, normalise

# A pipeline answers one item: (answer, the texts of the retrieved chunks in rank order).
Pipeline = Callable[[EvalItem], tuple[Answer, list[str]]]


@dataclass
class ItemResult:
    item: EvalItem
    answer: Answer
    retrieved: list[str]
    correct: bool
    cited: bool
    unsupported: list[str]
    rank: int | None  # 1-based rank of the first retrieved chunk containing the evidence
    seconds: float


@dataclass
class Scores:
    n: int = 0
    answer_accuracy: float = 0.0
    grounded_accuracy: float = 0.0  # answerable items with the right facts AND a citation holding the evidence
    citation_accuracy: float = 0.0
    abstention_precision: float = 0.0
    abstention_recall: float = 0.0
    unsupported_numbers: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    hit5: float = 0.0
    mrr: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    llm_kept: int = 0  # answers the LLM wrote that passed verification
    llm_fallback: int = 0  # answers where the LLM failed or was not trusted, and the extractive one was shown
    extra: dict = field(default_factory=dict)


_EDGE_MARKS = " ;；。.,，、:："


def judge(item: EvalItem, answer: Answer, retrieved: list[str], seconds: float) -> ItemResult:
    text = normalise(answer.text)
    quotes = [c.quote for c in answer.citations]
    if item.answerable:
        correct = not answer.abstained and all(any(normalise(a) in text for a in g) for g in item.facts)
        # The passage, not its closing mark: a citation that stops before the evidence's trailing ; still cites it.
        cited = any(normalise(item.evidence).strip(_EDGE_MARKS) in normalise(q) for q in quotes)
    else:  # an abstention; its `facts`, if any, are what it must say (a reply to another language names both)
        correct = answer.abstained and all(any(normalise(a) in text for a in g) for g in item.facts)
        cited = not answer.citations
    evidence = normalise(item.evidence)
    rank = next((i + 1 for i, t in enumerate(retrieved) if evidence and evidence in normalise(t)), None)
    bad = [] if answer.abstained else unsupported_numbers(answer.text, quotes)
    return ItemResult(item, answer, retrieved, correct, cited, bad, rank, seconds)


def run(items: list[EvalItem], pipeline: Pipeline, progress: bool = True, label: str = "eval") -> list[ItemResult]:
    results = []
    for item in tqdm(items, desc=label, unit="q", disable=not progress):
        started = time.perf_counter()
        answer, retrieved = pipeline(item)
        elapsed = answer.latency_ms / 1000 if answer.latency_ms else time.perf_counter() - started
        results.append(judge(item, answer, retrieved, elapsed))
    return results


def score(results: list[ItemResult]) -> Scores:
    if not results:
        return Scores()
    answerable = [r for r in results if r.item.answerable]
    said_none = [r for r in results if r.answer.abstained]
    should_none = [r for r in results if not r.item.answerable]
    ms = sorted(r.seconds * 1000 for r in results)
    ranks = [r.rank for r in answerable]
    return Scores(
        n=len(results),
        answer_accuracy=_share(r.correct for r in results),
        grounded_accuracy=_share(r.correct and r.cited for r in answerable) if answerable else 0.0,
        citation_accuracy=_share(r.cited for r in answerable) if answerable else 0.0,
        abstention_precision=_share(not r.item.answerable for r in said_none) if said_none else 1.0,
        abstention_recall=_share(r.answer.abstained for r in should_none) if should_none else 1.0,
        unsupported_numbers=sum(len(r.unsupported) for r in results),
        hit1=_share(r is not None and r <= 1 for r in ranks) if ranks else 0.0,
        hit3=_share(r is not None and r <= 3 for r in ranks) if ranks else 0.0,
        hit5=_share(r is not None and r <= 5 for r in ranks) if ranks else 0.0,
        mrr=statistics.fmean(1 / r if r else 0.0 for r in ranks) if ranks else 0.0,
        p50_ms=_percentile(ms, 50), p95_ms=_percentile(ms, 95),
        llm_kept=sum(r.answer.mode is Mode.LLM for r in results),
        llm_fallback=sum(r.answer.mode is Mode.LLM_FALLBACK for r in results),
    )


def by_category(results: list[ItemResult]) -> dict[str, Scores]:
    cats: dict[str, list[ItemResult]] = {}
    for r in results:
        cats.setdefault(r.item.category, []).append(r)
    return {c: score(rs) for c, rs in sorted(cats.items())}


def _share(flags) -> float:
    flags = list(flags)
    return sum(bool(f) for f in flags) / len(flags) if flags else 0.0


def _percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]
