"""The table questions (questions.jsonl, written blind from the forms' text) over the forms built as Word and as
PDF: each question is asked of both files. Evidence was copied with cells shown apart by " | "; a file's rows
hold them apart by tabs, so the evidence is read that way."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from evals.dataset import EvalItem
from evals.tables.fonts import cjk_font
from evals.tables.forms import build_all

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"


def table_files(folder: Path) -> dict[str, Path]:
    """{"f1-docx": path, "f1-pdf": path, …}; PDFs only when the machine has a font with Chinese glyphs."""
    return {f"{p.stem}-{p.suffix[1:]}": p for p in build_all(folder, cjk_font())}


def expand(items: list[EvalItem], files: dict[str, Path]) -> list[EvalItem]:
    """Each item once per file of its form, its evidence with tabs between cells."""
    out = []
    for item in items:
        for rid in sorted(files):
            if rid.split("-")[0] == item.report:
                out.append(replace(item, id=f"{item.id}-{rid.split('-')[1]}", report=rid,
                                   evidence=item.evidence.replace(" | ", "\t")))
    return out
