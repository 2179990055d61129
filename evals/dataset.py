"""Loads and checks eval files: one JSON object per line, in the documented schema."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REQUIRED = {"id", "category", "question", "answerable", "facts", "evidence"}


@dataclass(frozen=True)
class EvalItem:
    id: str
    category: str
    question: str
    answerable: bool
    facts: list[list[str]]
    evidence: str
    history: list[dict] = field(default_factory=list)
    report: str = ""  # which report the item is about, in a multi-report set (evals/real/): its file's prefix


def default_dataset() -> Path:
    # Next to this module: importlib.resources gives a MultiplexedPath under an editable install.
    return Path(__file__).resolve().parent / "dataset.jsonl"


def load_dataset(path: Path) -> list[EvalItem]:
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: 评测文件不存在 (no such eval file)")
    items = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{lineno}: 不是合法的 JSON (invalid JSON): {exc.msg}") from exc
        missing = REQUIRED - set(obj)
        if missing:
            raise ValueError(f"{path}:{lineno}: 缺少字段 (missing keys) {sorted(missing)}")
        items.append(EvalItem(id=str(obj["id"]), category=str(obj["category"]), question=str(obj["question"]),
                              answerable=bool(obj["answerable"]), facts=[list(g) for g in obj["facts"]],
                              evidence=str(obj["evidence"]), history=_turns(obj.get("history")),
                              report=str(obj.get("report") or "")))
    return items


def normalise(text: str) -> str:
    """Whitespace removed, full-width folded (NFKC): how facts are compared with answers."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _turns(history) -> list[dict]:
    """A set's earlier turns: a turn written as plain text (["该局2022年预算是多少？"]) is the user's."""
    return [t if isinstance(t, dict) else {"role": "user", "content": str(t)} for t in history or []]
