"""The `report-qa` command line: ingest, ask, serve, eval, bench, feedback, audit. It sits above every package:
it imports the subcommands of `ui`, `evals` and the audit, and none of them imports it."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from assistant.audit.cli import register as audit_command
from assistant.settings import settings_from
from evals.bench_cli import register as bench_command
from evals.cli import register as eval_command
from ui.cli import register as serve_command
from ui.feedback_cli import register as feedback_command


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if not args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a clear one-line message, never a stack trace, for the desk
        from ingest.errors import IngestError
        from vectorstore.store import StoreError

        if isinstance(exc, (IngestError, StoreError, ValueError)):
            print(f"错误 error: {exc}", file=sys.stderr)
            return 2
        raise


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="report-qa", description="政府绩效报告问答助手 report-qa")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    parser.add_argument("--data-dir", type=Path, help="where the store lives (REPORT_QA_DATA_DIR)")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="ingest report files or folders (default: the bundled report)")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--department", help="override the issuing department parsed from the text")
    p.add_argument("--year", type=int, help="override the year parsed from the text")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("ask", help="ask a question; the answer comes with its citations")
    p.add_argument("question", nargs="?", help="the question (omit with --batch)")
    p.add_argument("--json", action="store_true", help="print one JSON object per answer")
    p.add_argument("--batch", type=Path, help="a file with one question per line")
    p.add_argument("--department", help="only this department's reports")
    p.add_argument("--year", type=int, help="only this year's reports")
    p.set_defaults(func=_cmd_ask)

    for register in (serve_command, eval_command, bench_command, feedback_command, audit_command):
        register(sub)
    return parser


def _cmd_ingest(args) -> int:
    from assistant.core import Assistant

    settings = settings_from(args)
    assistant = Assistant.from_settings(settings)
    paths = args.paths or [settings.corpus_dir]
    report = assistant.ingest(paths, department=args.department, year=args.year, progress=sys.stderr.isatty())
    for outcome, line in zip(report.outcomes, report.table().splitlines()):  # failures on stderr
        print(line, file=sys.stderr if outcome.status == "failed" else sys.stdout)
    print(f"已入库 {report.files} 个文件，{report.chunks} 个文本块（新增 {report.added}，替换 {report.replaced}），"
          f"库中共 {assistant.store.count()} 块，用时 {report.seconds:.1f} 秒。\n"
          f"Ingested {report.files} file(s): {report.chunks} chunks stored ({report.added} new, "
          f"{report.replaced} replaced), {assistant.store.count()} in the store, in {report.seconds:.1f} s.")
    return 1 if report.failed else 0  # the good files are stored either way


def _cmd_ask(args) -> int:
    from assistant.core import Assistant

    if not args.question and not args.batch:
        print("错误 error: 请给出问题，或用 --batch FILE (give a question or --batch FILE)", file=sys.stderr)
        return 2
    assistant = Assistant.from_settings(settings_from(args))
    assistant.ensure_corpus(progress=sys.stderr.isatty())
    filters = {k: v for k, v in (("department", args.department), ("year", args.year)) if v}
    questions = [args.question] if args.question else _read_batch(args.batch)
    for question in questions:
        answer = assistant.ask(question, filters=filters or None)
        print(json.dumps(answer.to_json_dict(), ensure_ascii=False) if args.json else format_answer(answer),
              flush=True)
    return 0


def _read_batch(path: Path) -> list[str]:
    if not path.is_file():
        raise ValueError(f"{path}: 文件不存在 (no such file)")
    return [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def format_answer(answer) -> str:
    lines = [answer.text]
    if answer.notice:
        lines.append(f"（{answer.notice}）")
    if answer.citations:
        lines.append("\n引用 Sources:")
        for c in answer.citations:
            page = f" · 第{c.page}页" if c.page else ""
            lines.append(f"[{c.n}] {c.source}{page} · {c.section} · {c.start}-{c.end}\n    “{c.quote}”")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
