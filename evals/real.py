"""Real reports of other bodies (evals/real/): each report in its own store, and all of them together with
the bundled report in one store, as the desk holds them. Items name their report by its file's prefix (r01)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evals.dataset import EvalItem
from evals.pipelines import default_pipeline
from evals.runner import ItemResult, run, score

_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_english(item: EvalItem) -> bool:
    """An English question: so labelled, or asked without a Chinese character (annotators label by topic too)."""
    return item.category == "english" or not _CJK.search(item.question)

REAL_DIR = Path(__file__).resolve().parent / "real"
SETS = {"dev": REAL_DIR / "dev.jsonl", "blind": REAL_DIR / "blind.jsonl"}
CONCISE_CHARS = 400  # an answer longer than this is not a concise answer at a desk


def report_files(directory: Path = REAL_DIR / "reports") -> dict[str, Path]:
    """{"r01": path, …}: each report file by the prefix of its name."""
    return {p.name.split("-")[0]: p for p in sorted(directory.glob("*.txt"))}


@dataclass
class RealRun:
    mode: str  # "alone" or "together"
    results: list[ItemResult]
    foreign: list[tuple[str, str]]  # (item id, cited source) for each citation of a report the item is not about

    @property
    def answerable(self) -> list[ItemResult]:
        return [r for r in self.results if r.item.answerable]

    def right(self, r: ItemResult) -> bool:
        """Answered right, citing the evidence, concisely."""
        return r.correct and r.cited and len(r.answer.text) <= CONCISE_CHARS and not r.unsupported

    def summary(self) -> dict:
        answerable = self.answerable
        english = [r for r in answerable if is_english(r.item)]
        unanswerable = [r for r in self.results if not r.item.answerable]
        return {
            "mode": self.mode, "n": len(self.results),
            "right": _share(self.right(r) for r in answerable),
            "wrongly_abstained": sum(r.answer.abstained for r in answerable),
            "english_right": _share(self.right(r) for r in english),
            "abstention_recall": _share(r.answer.abstained for r in unanswerable),
            "unsupported_figures": sum(len(r.unsupported) for r in self.results),
            "foreign_citations": len(self.foreign),
            "per_report": {rid: _share(self.right(r) for r in answerable if r.item.report == rid)
                           for rid in sorted({r.item.report for r in answerable})},
            "scores": score(self.results),
        }


def _share(flags) -> float:
    flags = list(flags)
    return sum(map(bool, flags)) / len(flags) if flags else 0.0


AssistantFactory = Callable[[Path], object]


def run_alone(items: list[EvalItem], make_assistant: AssistantFactory, files: dict[str, Path],
              progress: bool = False) -> RealRun:
    """Each report in a store of its own, with no selection: the desk holds one report."""
    results: list[ItemResult] = []
    foreign: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="report-qa-real-") as tmp:
        for rid in sorted({i.report for i in items}):
            assistant = make_assistant(Path(tmp) / rid)
            assistant.ingest([files[rid]], progress=False)
            mine = [i for i in items if i.report == rid]
            results += run(mine, default_pipeline(assistant, None), progress=progress, label=rid)
    return RealRun("alone", results, foreign)


def run_together(items: list[EvalItem], make_assistant: AssistantFactory, files: dict[str, Path],
                 extra: list[Path] = (), progress: bool = False) -> RealRun:
    """Every report (and `extra` ones, such as the bundled report) in one store. Each question is asked as at
    the desk, with its report selected; a citation from any other report counts as foreign."""
    results: list[ItemResult] = []
    foreign: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="report-qa-real-") as tmp:
        assistant = make_assistant(Path(tmp) / "all")
        assistant.ingest([*extra, *files.values()], progress=False)
        for rid in sorted({i.report for i in items}):
            source = files[rid].name
            mine = [i for i in items if i.report == rid]
            got = run(mine, default_pipeline(assistant, {"source": source}), progress=progress, label=rid)
            foreign += [(r.item.id, c.source) for r in got for c in r.answer.citations if c.source != source]
            results += got
    return RealRun("together", results, foreign)


def markdown(runs: list[RealRun]) -> str:
    rows = ["| store | n | right, cited, concise | wrongly abstained | English right | abstention recall "
            "| unsupported figures | foreign citations |", "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        s = r.summary()
        rows.append(f"| {s['mode']} | {s['n']} | {s['right']:.1%} | {s['wrongly_abstained']} | "
                    f"{s['english_right']:.1%} | {s['abstention_recall']:.1%} | {s['unsupported_figures']} | "
                    f"{s['foreign_citations']} |")
    reports = sorted({rid for r in runs for rid in r.summary()["per_report"]})
    rows += ["", "| store | " + " | ".join(reports) + " |", "|---|" + "---|" * len(reports)]
    for r in runs:
        per = r.summary()["per_report"]
        rows.append(f"| {r.mode} | " + " | ".join(f"{per.get(rid, 0):.0%}" for rid in reports) + " |")
    return "\n".join(rows)
