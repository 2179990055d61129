"""Sanity checks for the hand-written eval set evals/dataset.jsonl.

Every answerable item must be grounded in the report: its evidence string is a
verbatim substring of the report, and every fact alternative occurs in the
report after NFKC + whitespace normalisation.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "evals" / "dataset.jsonl"
REPORT = ROOT / "data" / "reports" / "lushan-kjj-2022-performance-self-evaluation.txt"

REQUIRED_KEYS = {"id", "category", "question", "answerable", "facts", "evidence"}
OPTIONAL_KEYS = {"history"}
CATEGORIES = {
    "budget",
    "org",
    "achievement",
    "problem",
    "measure",
    "satisfaction_disclosure",
    "paraphrase",
    "followup",
    "english",
    "list",
    "multi_fact",
    "unanswerable",
}
MIN_PER_CATEGORY = {
    "budget": 22,
    "org": 8,
    "achievement": 20,
    "problem": 5,
    "measure": 5,
    "satisfaction_disclosure": 5,
    "paraphrase": 10,
    "followup": 8,
    "english": 10,
    "unanswerable": 20,
}
SENTENCE_END = set("。！？；")


def normalise(text: str) -> str:
    """NFKC (full-width -> half-width) and drop all whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def report() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def items() -> list[dict]:
    rows = []
    with DATASET.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - failure path
                pytest.fail(f"line {lineno} is not valid JSON: {exc}")
    return rows


def answerable(items: list[dict]) -> list[dict]:
    return [it for it in items if it["answerable"]]


def test_schema(items):
    assert len(items) >= 100
    for it in items:
        keys = set(it)
        assert REQUIRED_KEYS <= keys, (it.get("id"), REQUIRED_KEYS - keys)
        assert keys <= REQUIRED_KEYS | OPTIONAL_KEYS, (it["id"], keys - REQUIRED_KEYS - OPTIONAL_KEYS)
        assert isinstance(it["id"], str) and it["id"]
        assert isinstance(it["question"], str) and it["question"].strip(), it["id"]
        assert isinstance(it["answerable"], bool), it["id"]
        assert isinstance(it["evidence"], str), it["id"]
        assert isinstance(it["facts"], list), it["id"]
        for group in it["facts"]:
            assert isinstance(group, list) and group, it["id"]
            assert all(isinstance(alt, str) and alt.strip() for alt in group), it["id"]
        history = it.get("history", [])
        assert isinstance(history, list), it["id"]
        for turn in history:
            assert set(turn) == {"role", "content"}, it["id"]
            assert turn["role"] in {"user", "assistant"}, it["id"]
            assert isinstance(turn["content"], str) and turn["content"].strip(), it["id"]


def test_ids_unique(items):
    dupes = [k for k, n in Counter(it["id"] for it in items).items() if n > 1]
    assert not dupes, dupes


def test_categories(items):
    counts = Counter(it["category"] for it in items)
    assert set(counts) <= CATEGORIES, set(counts) - CATEGORIES
    for cat, minimum in MIN_PER_CATEGORY.items():
        assert counts[cat] >= minimum, (cat, counts[cat], minimum)
    assert counts["list"] + counts["multi_fact"] >= 10
    assert sum(1 for it in items if not it["answerable"]) >= 15


def test_unanswerable_consistency(items):
    for it in items:
        is_unans_cat = it["category"] == "unanswerable"
        assert is_unans_cat == (not it["answerable"]), it["id"]
        if not it["answerable"]:
            assert it["facts"] == [], it["id"]
            assert it["evidence"] == "", it["id"]
        else:
            assert it["facts"], it["id"]
            assert it["evidence"].strip(), it["id"]


def test_followups_have_history(items):
    for it in items:
        if it["category"] == "followup":
            roles = [t["role"] for t in it.get("history", [])]
            assert roles and roles[0] == "user" and "assistant" in roles, it["id"]


def test_evidence_is_verbatim_in_report(report, items):
    missing = [(it["id"], it["evidence"]) for it in answerable(items) if it["evidence"] not in report]
    assert not missing, missing


def test_evidence_is_short_single_sentence(items):
    for it in answerable(items):
        ev = it["evidence"]
        assert "\n" not in ev, it["id"]
        assert not (SENTENCE_END & set(ev)), (it["id"], ev)
        assert 4 <= len(ev) <= 60, (it["id"], len(ev))


def test_fact_alternatives_in_report(report, items):
    norm_report = normalise(report)
    missing = [
        (it["id"], alt)
        for it in answerable(items)
        for group in it["facts"]
        for alt in group
        if normalise(alt) not in norm_report
    ]
    assert not missing, missing


OTHER_SETS = ["holdout.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl", "blind5.jsonl", "blind6.jsonl"]


@pytest.mark.parametrize("name", OTHER_SETS)
def test_other_eval_sets_are_grounded_in_the_report(report, name):
    """The held-out and blind sets obey the same rules: verbatim evidence, facts in the report."""
    rows = [json.loads(line) for line in (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows), name
    norm_report = normalise(report)
    for r in rows:
        assert REQUIRED_KEYS <= set(r), (name, r.get("id"))
        if r["answerable"]:
            assert r["evidence"] and r["evidence"] in report, (name, r["id"], r["evidence"])
            assert r["facts"] and all(normalise(a) in norm_report for g in r["facts"] for a in g), (name, r["id"])
        else:
            assert r["facts"] == [] and r["evidence"] == "", (name, r["id"])


def test_the_default_eval_set_is_found_from_any_working_directory(tmp_path, monkeypatch):
    from evals.dataset import default_dataset, load_dataset

    monkeypatch.chdir(tmp_path)
    assert default_dataset().is_file()
    assert len(load_dataset(default_dataset())) == 170
