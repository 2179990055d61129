"""Visitors' 👍/👎 on answers, kept in SQLite (data_dir/feedback.sqlite3) and exported as CSV or JSON lines.

One answer has one vote: a visitor who changes 👎 to 👍 changes the row (keyed by the answer's `vote_id`), and
the 哪里不对 reason and comment given after a 👎 are stored on that same row.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Literal

FEEDBACK_FILE = "feedback.sqlite3"
MAX_COMMENT_CHARS = 1000
ExportFormat = Literal["csv", "jsonl"]
EXPORT_FORMATS: tuple[str, ...] = ("csv", "jsonl")
# A cell starting with one of these is a formula in Excel; exported user text must never run as one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
)
"""
# Columns added after the first release: an older file gains them on its first open, its rows kept.
_ADDED_COLUMNS = (("vote_id", "TEXT"), ("reason", "TEXT NOT NULL DEFAULT ''"))
_VOTE_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS feedback_vote ON feedback (vote_id) WHERE vote_id IS NOT NULL"
# 👎 then 哪里不对: the choices a visitor picks from (stored as written).
REASONS: tuple[str, ...] = ("数字不对", "出处不对", "没回答问题", "其他")


class Rating(str, Enum):
    UP = "up"  # 👍
    DOWN = "down"  # 👎


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    created_at: str  # ISO 8601, UTC
    rating: Rating
    question: str
    answer: str
    citations: list[dict]
    comment: str
    reason: str = ""  # one of REASONS, after a 👎

    def to_json_dict(self) -> dict:
        return {**asdict(self), "rating": self.rating.value}


class FeedbackStore:
    """One SQLite file; the folder and table are created on the first write, never at construction."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def add(self, question: str, answer: str, citations: list[dict], rating: Rating, comment: str = "") -> int:
        """Store one rating; returns its id."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        row = (_now(), Rating(rating).value, question, answer,
               json.dumps(citations, ensure_ascii=False), comment.strip()[:MAX_COMMENT_CHARS])
        with closing(self._connect()) as conn, conn:
            cur = conn.execute("INSERT INTO feedback (created_at, rating, question, answer, citations, comment) "
                               "VALUES (?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid)

    def vote(self, vote_id: str, question: str, answer: str, citations: list[dict], rating: Rating) -> int:
        """The one vote on the answer `vote_id`: stored, or changed if the visitor voted on it before (a changed
        vote clears the reason and comment given for the old one). Returns the row's id."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        row = (_now(), Rating(rating).value, question, answer, json.dumps(citations, ensure_ascii=False), vote_id)
        with closing(self._connect()) as conn, conn:
            conn.execute("INSERT INTO feedback (created_at, rating, question, answer, citations, vote_id) "
                         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (vote_id) WHERE vote_id IS NOT NULL DO UPDATE SET "
                         "created_at = excluded.created_at, rating = excluded.rating, reason = '', comment = '' "
                         "WHERE rating != excluded.rating", row)
            return int(conn.execute("SELECT id FROM feedback WHERE vote_id = ?", (vote_id,)).fetchone()[0])

    def withdraw(self, vote_id: str) -> bool:
        """The visitor took the vote on `vote_id` back (clicked the chosen 👍/👎 again): its row is removed."""
        if not self.path.exists():
            return False
        with closing(self._connect()) as conn, conn:
            return conn.execute("DELETE FROM feedback WHERE vote_id = ?", (vote_id,)).rowcount == 1

    def explain(self, vote_id: str, reason: str, comment: str = "") -> bool:
        """Why a 👎: one of REASONS and an optional comment, on the answer's vote. False if there is no 👎 vote."""
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}; use one of {', '.join(REASONS)}")
        if not self.path.exists():
            return False
        with closing(self._connect()) as conn, conn:
            cur = conn.execute("UPDATE feedback SET reason = ?, comment = ? WHERE vote_id = ? AND rating = 'down'",
                               (reason, comment.strip()[:MAX_COMMENT_CHARS], vote_id))
            return cur.rowcount == 1

    def records(self) -> list[FeedbackRecord]:
        if not self.path.exists():
            return []
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT id, created_at, rating, question, answer, citations, comment, reason "
                                "FROM feedback ORDER BY id").fetchall()
        return [FeedbackRecord(id=r[0], created_at=r[1], rating=Rating(r[2]), question=r[3], answer=r[4],
                               citations=json.loads(r[5]), comment=r[6], reason=r[7] or "") for r in rows]

    def export(self, fmt: ExportFormat) -> str:
        """All feedback as CSV (citations as a JSON cell) or as one JSON object per line."""
        records = self.records()
        if fmt == "jsonl":
            return "".join(json.dumps(r.to_json_dict(), ensure_ascii=False) + "\n" for r in records)
        if fmt == "csv":
            return _to_csv(records)
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10)
        conn.execute(_SCHEMA)
        have = {row[1] for row in conn.execute("PRAGMA table_info(feedback)")}
        for name, kind in _ADDED_COLUMNS:
            if name not in have:
                conn.execute(f"ALTER TABLE feedback ADD COLUMN {name} {kind}")
        conn.execute(_VOTE_INDEX)
        conn.commit()
        return conn


def _to_csv(records: list[FeedbackRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "created_at", "rating", "question", "answer", "comment", "citations", "reason"])
    for r in records:
        cells = [r.question, r.answer, r.comment, json.dumps(r.citations, ensure_ascii=False), r.reason]
        writer.writerow([r.id, r.created_at, r.rating.value, *map(_defuse_formula, cells)])
    return out.getvalue()


def _defuse_formula(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
