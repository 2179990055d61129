"""`report-qa eval` / `python -m evals`: run an eval set, print a markdown table, write JSON."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

LLM_LABEL = "report-qa + LLM"


def register(sub) -> None:
    p = sub.add_parser("eval", help="run the eval set (or --dataset FILE) and score the answers")
    add_arguments(p)
    p.set_defaults(func=cmd_eval)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", type=Path, help="a JSONL file in the eval schema (default: the bundled set)")
    p.add_argument("--out", type=Path, help="write the full results as JSON here")
    p.add_argument("--baseline", action="store_true",
                   help="also run a naive tutorial pipeline (RecursiveCharacterTextSplitter + MiniLM + top chunk)")
    p.add_argument("--llm", action="store_true",
                   help="also run in LLM mode (REPORT_QA_LLM_BASE_URL or --llm-url), beside the default mode")
    p.add_argument("--llm-url", help="the OpenAI-compatible base URL for --llm, e.g. http://127.0.0.1:8080/v1")
    p.add_argument("--limit", type=int, default=None, help="score only this many items, spread evenly over the set")
    p.add_argument("--real", choices=["dev", "blind", "tables"],
                   help="the real reports of other bodies (evals/real/), or `tables`: the generated Word and PDF "
                        "自评表 forms (evals/tables/); each alone, then all in one store")
    p.add_argument("--failures", type=int, default=None, help="list at most this many failures")


def cmd_eval(args) -> int:
    from assistant import Assistant
    from assistant.settings import settings_from
    from evals.dataset import default_dataset, load_dataset
    from evals.pipelines import default_pipeline, naive_pipeline
    from evals.report import as_json, failures, llm_markdown, markdown
    from evals.runner import run

    settings = settings_from(args)
    if args.real:
        return cmd_real(args, settings)
    items = spread(load_dataset(args.dataset or default_dataset()), args.limit)
    if args.llm:
        llm_settings = settings.model_copy(update={"llm_base_url": args.llm_url or settings.llm_base_url})
        if not llm_settings.llm_enabled:
            raise ValueError("--llm 需要大模型地址 (needs an endpoint): set REPORT_QA_LLM_BASE_URL or pass --llm-url; "
                             "scripts/llm-server.sh starts a local one")
        settings = settings.model_copy(update={"llm_base_url": None})  # the default mode, beside it
    assistant = Assistant.from_settings(settings)
    assistant.ensure_corpus(progress=False)
    runs = {"report-qa": run(items, default_pipeline(assistant), label="report-qa")}
    if args.llm:
        with_llm = Assistant.from_settings(llm_settings)
        runs[LLM_LABEL] = run(items, default_pipeline(with_llm), label=LLM_LABEL)
    if args.baseline:
        runs["naive"] = run(items, naive_pipeline(assistant.settings.corpus_dir), label="naive")
    print(markdown(runs))
    if args.llm:
        print()
        print(llm_markdown(runs))
    for name in ("report-qa", LLM_LABEL) if args.llm else ("report-qa",):
        print()
        print(failures(runs[name], args.failures, title=name if args.llm else ""))
    if args.out:
        args.out.write_text(json.dumps(as_json(runs), ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def cmd_real(args, settings) -> int:
    from evals.dataset import load_dataset
    from evals.real import SETS, report_files

    with tempfile.TemporaryDirectory(prefix="report-qa-forms-") as forms_dir:
        if args.real == "tables":
            from evals.tables.run import QUESTIONS, expand, table_files

            files = table_files(Path(forms_dir))
            items = expand(spread(load_dataset(args.dataset or QUESTIONS), args.limit), files)
        else:
            files = report_files()
            items = spread(load_dataset(args.dataset or SETS[args.real]), args.limit)
        return _run_real(args, settings, items, files)


def _run_real(args, settings, items: list, files: dict) -> int:
    from assistant import Assistant
    from evals.real import markdown, run_alone, run_together
    from evals.report import failures
    from vectorstore.embeddings import make_embeddings

    embeddings = make_embeddings(settings.embedder, settings.st_model, settings.embed_threads)

    def make(data_dir: Path):
        return Assistant.from_settings(settings.model_copy(update={"data_dir": data_dir, "chroma_host": None}),
                                       embeddings=embeddings)

    runs = [run_alone(items, make, files), run_together(items, make, files, extra=[settings.corpus_dir])]
    print(markdown(runs))
    for r in runs:
        print()
        print(failures(r.results, args.failures, title=r.mode))
        if r.foreign:
            print(f"foreign citations ({r.mode}): {r.foreign}")
    if args.out:
        args.out.write_text(json.dumps([{k: v for k, v in r.summary().items() if k != "scores"} for r in runs],
                                       ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def spread(items: list, limit: int | None) -> list:
    """At most `limit` items, evenly spaced, so every category of an ordered set stays in the sample."""
    if not limit or limit >= len(items):
        return items
    return [items[i * len(items) // limit] for i in range(limit)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description="report-qa eval runner")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    add_arguments(parser)
    return cmd_eval(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
