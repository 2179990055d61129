"""`report-qa feedback export`: visitors' 👍/👎 ratings as CSV or JSON lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ui.feedback import EXPORT_FORMATS, FEEDBACK_FILE, FeedbackStore


def register(sub) -> None:
    p = sub.add_parser("feedback", help="visitors' feedback (用户反馈) on answers")
    actions = p.add_subparsers(required=True, metavar="ACTION")
    e = actions.add_parser("export", help="write all feedback as CSV or JSON lines")
    e.add_argument("--format", choices=EXPORT_FORMATS, default="csv", help="csv (default) or jsonl")
    e.add_argument("--out", type=Path, help="file to write (default: standard output)")
    e.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                   help="where the store lives (REPORT_QA_DATA_DIR)")
    e.set_defaults(func=_cmd_export)


def _cmd_export(args) -> int:
    from assistant.settings import settings_from

    store = FeedbackStore(settings_from(args).data_dir / FEEDBACK_FILE)
    text = store.export(args.format)
    count = len(store.records())
    if args.out is None:
        sys.stdout.write(text)
        return 0
    # utf-8-sig: Excel opens the CSV with its Chinese text intact.
    args.out.write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
    print(f"已导出 {count} 条反馈到 {args.out} (exported {count} feedback records)", file=sys.stderr)
    return 0
