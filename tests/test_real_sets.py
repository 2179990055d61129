"""The question sets on the real openings (evals/real/*.jsonl) hold what their annotators checked: every answerable
item's evidence is verbatim in its report and holds one form of each fact; an unanswerable item states none; a
follow-up carries the turn before it. The first two sets (dev, blind) were written to a looser rule: a list's facts
may come from the sentences around its evidence, so their facts are checked against the report."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[1] / "evals" / "real"
SETS = sorted(REAL.glob("*.jsonl"))
_LOOSE = {"dev", "blind"}  # facts in the report, not necessarily inside the one evidence string


def _plain(text: str) -> str:
    """Facts are compared as the eval compares them: full-width folded, spaces dropped (社会力量 办学 in a PDF's text)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _texts() -> dict[str, str]:
    return {p.name.split("-")[0]: p.read_text(encoding="utf-8") for p in (REAL / "reports").glob("*.txt")}


def test_there_are_sets_to_check():
    assert len(SETS) >= 10


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_each_item_is_checked_against_its_report(path):
    texts = _texts()
    problems = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        text = texts.get(item["report"])
        if text is None:
            problems.append(f"{n}: no report {item['report']}")
            continue
        if item["answerable"]:
            if not item["evidence"] or item["evidence"] not in text:
                problems.append(f"{n} {item['id']}: evidence not verbatim in the report")
            where = _plain(text if path.stem in _LOOSE else item["evidence"])
            for group in item["facts"]:
                if not any(_plain(fact) in where for fact in group):
                    problems.append(f"{n} {item['id']}: no form of {group} where it must be")
        elif item["facts"] or item["evidence"]:
            problems.append(f"{n} {item['id']}: an unanswerable item states facts or evidence")
        if item.get("category") == "followup" and not item.get("history"):
            problems.append(f"{n} {item['id']}: a follow-up without the turn before it")
    assert not problems, problems[:10]
