"""Scale: the bundled report plus synthetic distractors (1, 100, 1,000 reports): ingest, store, latency, accuracy.

Accuracy is measured twice: `scoped` asks with the bundled report's department/year selected (as a desk
user picks it in 部门/年度), `unscoped` asks with no filter (the engine narrows by a department named in the
question, 科技局, but questions that name none compete with every report).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from evals.bench.latency import asker, instrumented, measure_ingest, warm_latency
from evals.bench.procs import rss_mb
from evals.bench.startup import reload_after_other_ingest, serve_session
from evals.bench.stats import StepProfiler
from evals.dataset import EvalItem
from evals.pipelines import default_pipeline
from evals.runner import ItemResult, run, score
from evals.synthetic import generate_corpus

log = logging.getLogger(__name__)


def bundled_scope(assistant, bundled: Path) -> dict:
    """The bundled report's {department, year}, as the engine parsed them."""
    facet = {(c.department, c.year) for c in assistant.retriever.chunks if c.source == bundled.name}
    department, year = sorted(facet, key=str)[0]
    return {"department": department, "year": year}


def run_scale(sizes: list[int], work_dir: Path, bundled: Path, items: list[EvalItem], seed: int,
              make_assistant, alone, serve_clients: list[int] | None = None) -> list[dict]:
    """One fresh store per size; `make_assistant(data_dir)` builds the engine. Every size is compared, question by
    question, with `alone`: an engine over the bundled report stored by itself.

    With `serve_clients`, `report-qa serve` is also started on the largest store (more than one report), for
    its RSS and its errors under that many concurrent HTTP clients.
    """
    rows, baseline = [], alone_results(alone, bundled, items)
    for n in sorted(sizes):
        corpus = work_dir / f"corpus-{n}"
        shutil.rmtree(corpus, ignore_errors=True)
        corpus.mkdir(parents=True)
        shutil.copy(bundled, corpus / bundled.name)
        generate_corpus(n - 1, seed, corpus)
        assistant = make_assistant(work_dir / f"data-{n}")
        row, results = measure_size(assistant, corpus, bundled, items)
        row["reports"] = n
        row["changed_vs_alone"] = changed(baseline, results)
        row["same_scoped_answers"] = same_answers(baseline["scoped"], results["scoped"])
        _keep(work_dir, n, row)
        if serve_clients and n == max(sizes) > 1:
            questions = [i.question for i in items if not i.history]
            row["serve"] = serve_session(assistant.settings.data_dir, work_dir / f"serve-{n}.log", questions,
                                         serve_clients)
            _keep(work_dir, n, row)
        if n == max(sizes) > 1:  # last: it adds a report to the store
            row["reload"] = reload_after_other_ingest(assistant, work_dir, items[0].question)
            _keep(work_dir, n, row)
        rows.append(row)
        log.info("scale %d: %s", n, {k: v for k, v in row.items() if k != "changed_vs_alone"})
    return rows


def _keep(work_dir: Path, n: int, row: dict) -> None:
    """A long run (1,000 reports: up to an hour) keeps what it measured even if a later step fails."""
    (work_dir / f"scale-{n}.json").write_text(json.dumps(row, ensure_ascii=False, indent=1, default=str),
                                               encoding="utf-8")


def alone_results(alone, bundled: Path, items: list[EvalItem]) -> dict[str, list[ItemResult]]:
    """The bundled report's answers with nothing else stored: what every larger store is held to."""
    scope = bundled_scope(alone, bundled)
    return {"scoped": run(items, default_pipeline(alone, scope), progress=False, label="alone, scoped"),
            "unscoped": run(items, default_pipeline(alone, None), progress=False, label="alone")}


def same_answers(before: list[ItemResult], after: list[ItemResult]) -> str:
    """How many questions got the very same answer text and citations, as 'n/N'."""
    same = sum((a.answer.text, a.answer.citations) == (b.answer.text, b.answer.citations)
               for a, b in zip(before, after))
    return f"{same}/{len(after)}"


def measure_size(assistant, corpus: Path, bundled: Path, items: list[EvalItem]) -> tuple[dict, dict]:
    ingest = measure_ingest(assistant, [corpus])
    scope = bundled_scope(assistant, bundled)
    profiler = StepProfiler()
    with instrumented(assistant, profiler):
        latency = warm_latency({"unfiltered": asker(assistant), "filtered": asker(assistant, scope)}, items,
                               profiler)
    results = {"scoped": run(items, default_pipeline(assistant, scope), progress=False, label="scoped"),
               "unscoped": run(items, default_pipeline(assistant, None), progress=False, label="unscoped")}
    accuracy = {name: accuracy_of(rs) for name, rs in results.items()}
    row = {"ingest": ingest, "scope": scope, "latency": latency, "accuracy": accuracy,
           "bench_rss_mb": round(rss_mb(os.getpid()), 1)}
    return row, results


ACCURACY_KEYS = ("answer_accuracy", "grounded_accuracy", "citation_accuracy", "abstention_recall", "hit5")


def accuracy_of(results: list[ItemResult]) -> dict:
    s = score(results)
    return {**{key: round(getattr(s, key, 0.0), 4) for key in ACCURACY_KEYS},
            "unsupported_numbers": s.unsupported_numbers}


def changed(before: dict[str, list[ItemResult]], after: dict[str, list[ItemResult]]) -> dict[str, list[dict]]:
    """Questions whose answer became wrong (or right) between two stores, with what was answered and cited."""
    out = {}
    for name, results in after.items():
        was = {r.item.id: r.correct for r in before[name]}
        out[name] = [{"id": r.item.id, "question": r.item.question, "now_correct": r.correct,
                      "answer": r.answer.text[:160], "cited": sorted({c.source for c in r.answer.citations})}
                     for r in results if was.get(r.item.id) != r.correct]
    return out
