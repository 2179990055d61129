"""`report-qa bench`: measure report-qa on this machine, print a markdown table, write the figures as JSON.

    report-qa bench --out bench.json                  # ~5 min on 2 idle cores
    report-qa bench --scale 1,100 --out bench.json    # + 4 min idle (30 min under load): 99 synthetic reports
    report-qa bench --scale 1,100,1000 --skip server-mode --skip processes   # + 20 min to over 1 h of embedding

Figures and how to read them: docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
SKIPPABLE = ("server-mode", "processes", "serve", "chunking")


def register(sub) -> None:
    p = sub.add_parser("bench", help="measure ingest, start-up, latency, HTTP load and scale on this machine")
    add_arguments(p)
    p.set_defaults(func=cmd_bench)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, help="write every figure as JSON here")
    p.add_argument("--work-dir", type=Path, help="where the bench's stores go (default: a temporary folder, removed)")
    p.add_argument("--dataset", type=Path, help="questions for warm latency and accuracy (default: the eval set)")
    p.add_argument("--questions", type=int, help="use only the first N questions")
    p.add_argument("--clients", type=_ints, default=[1, 10, 50], help="concurrent HTTP clients (default 1,10,50)")
    p.add_argument("--per-client", type=int, default=3, help="questions each HTTP client asks (default 3)")
    p.add_argument("--max-seconds", type=float, default=20.0, help="stop each HTTP load after this long (default 20)")
    p.add_argument("--serve-arg", action="append", default=[], dest="serve_args", metavar="ARG",
                   help="pass ARG to the benched `report-qa serve`, e.g. --serve-arg=--queue-size=64")
    p.add_argument("--scale", type=_ints, default=[], metavar="N,N",
                   help="also measure at these corpus sizes (reports), e.g. 1,100; 1000 takes about an hour")
    p.add_argument("--chunking", type=_floats, default=[1, 4, 16], metavar="MB,MB",
                   help="chunk this many MB of report text, each in a fresh process (default 1,4,16)")
    p.add_argument("--seed", type=int, default=0, help="seed of the synthetic reports (default 0)")
    p.add_argument("--skip", action="append", default=[], choices=SKIPPABLE, help="leave out a section")


def cmd_bench(args) -> int:
    from assistant.settings import settings_from
    from evals.bench.suite import BenchOptions, run_bench
    from evals.bench.table import markdown
    from evals.dataset import load_dataset

    items = load_dataset(args.dataset or _default_dataset())[: args.questions]
    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="report-qa-bench-"))
    if args.work_dir and any(work_dir.iterdir() if work_dir.exists() else ()):
        raise ValueError(f"{work_dir}: 工作目录不为空 (the work directory must be empty or new)")
    options = BenchOptions(work_dir=work_dir, items=items, clients=args.clients, per_client=args.per_client,
                           max_seconds=args.max_seconds, serve_args=args.serve_args, scale=args.scale,
                           seed=args.seed, skip=set(args.skip), chunking=args.chunking)
    try:
        results = run_bench(options, settings_from(args))
    finally:
        if args.work_dir is None:
            shutil.rmtree(work_dir, ignore_errors=True)
    print(markdown(results))
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


def _default_dataset() -> Path:
    from evals.dataset import default_dataset

    try:
        return default_dataset()
    except NotADirectoryError:  # an editable install made before evals/ had __init__.py sees a namespace package
        return Path(__file__).with_name("dataset.jsonl")


def _ints(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected comma-separated whole numbers, e.g. 1,10,50") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("every number must be at least 1")
    return values


def _floats(text: str) -> list[float]:
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: 应为逗号分隔的数 (expected numbers separated by commas)") from None
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: 应为正数 (expected positive numbers)")
    return values
