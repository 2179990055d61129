"""`report-qa eval` / `python -m evals`: run an eval set, print a markdown table, write JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("eval", help="run the eval set (or --dataset FILE) and score the answers")
    add_arguments(p)
    p.set_defaults(func=cmd_eval)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", type=Path, help="a JSONL file in the eval schema (default: the bundled set)")
    p.add_argument("--out", type=Path, help="write the full results as JSON here")
    p.add_argument("--baseline", action="store_true",
                   help="also run a naive tutorial pipeline (RecursiveCharacterTextSplitter + MiniLM + top chunk)")
    p.add_argument("--failures", type=int, default=None, help="list at most this many failures")


def cmd_eval(args) -> int:
    from assistant import Assistant
    from assistant.cli import settings_from
    from evals.dataset import default_dataset, load_dataset
    from evals.pipelines import default_pipeline, naive_pipeline
    from evals.report import as_json, failures, markdown
    from evals.runner import run

    items = load_dataset(args.dataset or default_dataset())
    assistant = Assistant.from_settings(settings_from(args))
    assistant.ensure_corpus(progress=False)
    runs = {"report-qa": run(items, default_pipeline(assistant), label="report-qa")}
    if args.baseline:
        runs["naive"] = run(items, naive_pipeline(assistant.settings.corpus_dir), label="naive")
    print(markdown(runs))
    print()
    print(failures(runs["report-qa"], args.failures))
    if args.out:
        args.out.write_text(json.dumps(as_json(runs), ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description="report-qa eval runner")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    add_arguments(parser)
    return cmd_eval(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
