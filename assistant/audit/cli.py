"""`report-qa audit [PATH …] [--json]`: the report audit (报告数据核对), one finding per line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("audit", help="check each report's own figures and text (报告数据核对)")
    p.add_argument("paths", nargs="*", type=Path,
                   help="report files or folders to check directly (default: the stored reports)")
    p.add_argument("--json", action="store_true", help="print the findings as one JSON list")
    p.add_argument("--problems", action="store_true", help="leave out the checks that hold")
    # SUPPRESS: `report-qa --data-dir X audit` must keep X rather than get this option's default.
    p.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                   help="where the store lives (REPORT_QA_DATA_DIR)")
    p.set_defaults(func=cmd_audit)


def cmd_audit(args) -> int:
    from assistant.audit.auditor import audit_chunks

    chunks, titles = _chunks_of_files(args.paths) if args.paths else _stored_chunks(args)
    findings = audit_chunks(chunks)
    if args.problems:
        findings = [f for f in findings if f.is_problem]
    if args.json:
        print(json.dumps([f.to_json_dict() for f in findings], ensure_ascii=False, indent=1))
    else:
        print(format_findings(findings, titles))
    return 0


def _stored_chunks(args) -> tuple[list, dict[str, str]]:
    from assistant import Assistant
    from assistant.settings import settings_from

    assistant = Assistant.from_settings(settings_from(args))
    assistant.ensure_corpus(progress=sys.stderr.isatty())
    chunks = assistant.retriever.chunks
    return chunks, {c.source: c.title for c in chunks if c.title}


def _chunks_of_files(paths: list[Path]) -> tuple[list, dict[str, str]]:
    from ingest.chunker import chunk_document
    from ingest.loaders import iter_report_files, load_document

    chunks, titles = [], {}
    for path in paths:
        for file in iter_report_files(path):
            doc = load_document(file)
            chunks += chunk_document(doc)
            titles[doc.source] = doc.title
    return chunks, titles


def format_findings(findings, titles: dict[str, str] | None = None) -> str:
    """Human-readable: per report a count line, then per finding its status, message, and each span's place."""
    from assistant.audit.findings import KIND_LABELS, STATUS_LABELS

    if not findings:
        return "未发现需要核对的内容。"
    titles = titles or {}
    by_source: dict[str, list] = {}
    for f in findings:
        by_source.setdefault(f.spans[0].source, []).append(f)
    lines = []
    for source, items in by_source.items():
        problems = sum(f.is_problem for f in items)
        title = f"《{titles[source]}》 " if titles.get(source) else ""
        lines.append(f"{title}{source}：共 {len(items)} 项核对，{problems} 项需注意。")
        for f in items:
            lines.append(f"【{STATUS_LABELS[f.status]}】[{KIND_LABELS[f.kind]}] {f.message}")
            lines += [f"    {s.section or '（无章节）'} · {s.start}-{s.end} “{s.quote}”" for s in f.spans]
        lines.append("")
    return "\n".join(lines).rstrip()
