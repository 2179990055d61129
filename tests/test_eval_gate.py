"""CI gate: the default pipeline must stay at or above the figures measured on the eval sets.

Thresholds come from docs/EVAL.md (measured figures, rounded down). A drop means the pipeline got
worse: fix the pipeline, never the threshold.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.dataset import load_dataset
from evals.pipelines import default_pipeline
from evals.runner import run, score

EVALS = Path(__file__).resolve().parents[1] / "evals"

# (file, answer accuracy, grounded accuracy on answerable, abstention recall, abstention precision)
GATES = [
    ("dataset.jsonl", 0.97, 0.95, 0.95, 0.95),
    ("holdout.jsonl", 0.96, 0.95, 0.95, 0.95),
    ("blind2.jsonl", 0.97, 0.95, 0.95, 0.95),
    ("blind3.jsonl", 0.97, 0.95, 0.95, 0.95),
    ("blind4.jsonl", 0.97, 0.95, 0.95, 0.95),
    ("blind5.jsonl", 0.95, 0.93, 0.95, 0.95),
    ("blind6.jsonl", 0.95, 0.95, 0.92, 0.95),  # 13 of 14 abstentions: f-080 asks a total the report never states
    # The desk's own set (written with the code, so a regression check, not a measure): which stated part is the
    # largest, and questions in other languages, whose reply must name Chinese and English.
    ("desk.jsonl", 1.0, 1.0, 1.0, 1.0),
]


@pytest.fixture(scope="module")
def results(session_assistant):
    pipeline = default_pipeline(session_assistant)
    return {name: score(run(load_dataset(EVALS / name), pipeline, progress=False)) for name, *_ in GATES}


@pytest.mark.parametrize("name,answer,grounded,recall,precision", GATES)
def test_default_pipeline_stays_above_its_measured_accuracy(results, name, answer, grounded, recall, precision):
    s = results[name]
    assert s.answer_accuracy >= answer, f"{name}: answer accuracy {s.answer_accuracy:.1%} < {answer:.0%}"
    assert s.grounded_accuracy >= grounded, f"{name}: grounded accuracy {s.grounded_accuracy:.1%} < {grounded:.0%}"
    assert s.abstention_recall >= recall, f"{name}: abstention recall {s.abstention_recall:.1%} < {recall:.0%}"
    assert s.abstention_precision >= precision, \
        f"{name}: abstention precision {s.abstention_precision:.1%} < {precision:.0%}"


@pytest.mark.parametrize("name", [g[0] for g in GATES])
def test_default_pipeline_states_no_figure_its_citations_lack(results, name):
    assert results[name].unsupported_numbers == 0
