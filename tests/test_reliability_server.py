"""The served desk: loopback by default, no file reads through any route, caps from settings and flags, and
50 concurrent clients for 60 s. Rows of docs/RELIABILITY.md. Every server is on 127.0.0.1 and always stopped."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import gradio
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from evals.bench.procs import clean_env, free_port, http_ok, rss_mb, start, stop, wait_until

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 240  # the first start loads the embedder and ingests the bundled report
GRADIO_WITH_FIXES = Version("6.16.0")  # the newest fix listed in docs/RELIABILITY.md (GHSA-j36p-7w88-g82j)


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    pid: int
    data_dir: Path


@contextmanager
def serve(base: Path, *flags: str, env_extra: dict | None = None) -> Iterator[Server]:
    """`report-qa serve` (no --host: the default binding) on a free port; stopped however the test ends."""
    port, data_dir = free_port(), base / "data"
    command = [sys.executable, "-m", "report_qa", "serve", "--port", str(port), "--data-dir", str(data_dir),
               *flags]
    started = start(command, f"http://127.0.0.1:{port}/", base / "serve.log", env=clean_env(**(env_extra or {})))
    try:
        wait_until(started, lambda: http_ok(started.url), START_TIMEOUT_S, "report-qa serve")
        yield Server(started.url, port, started.proc.pid, data_dir)
    finally:
        stop(started.proc)


def client_for(server: Server):
    from gradio_client import Client

    return Client(server.url, verbose=False, analytics_enabled=False, download_files=False,
                  httpx_kwargs={"timeout": 120})


def ask(client, question: str) -> dict:
    return client.predict(question, "[]", api_name="/ask")


# --- security: binding, file access, caps ---------------------------------------------------------

CANARY = f"rq-canary-{uuid.uuid4().hex}"
QUESTION_CAP = 40
RATE_LIMIT = 3


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Iterator[Server]:
    """Served with default host, a rate limit of 3 a minute, and a 40-character question cap from the env."""
    base = tmp_path_factory.mktemp("secure-desk")
    env = {"REPORT_QA_MAX_QUESTION_CHARS": str(QUESTION_CAP), "RQ_CANARY": CANARY}
    with serve(base, "--rate-limit", str(RATE_LIMIT), env_extra=env) as server:
        (server.data_dir / "secret.txt").write_text(CANARY, encoding="utf-8")
        yield server


def _listening_addresses(pid: int, port: int) -> set[str]:
    """Local addresses of the process's listening TCP sockets on `port`, from /proc (hex, as the kernel writes)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd) if fd.is_symlink() else ""
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and fields[9] in inodes and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_server_binds_loopback_only_by_default(desk):
    assert http_ok(f"http://127.0.0.1:{desk.port}/")
    assert _listening_addresses(desk.pid, desk.port) == {"0100007F"}  # 127.0.0.1; not 0.0.0.0, not ::


def test_serve_help_names_the_loopback_default_and_warns_about_all_interfaces(subprocess_env):
    done = subprocess.run([sys.executable, "-m", "report_qa", "serve", "--help"], cwd=ROOT, env=subprocess_env,
                          capture_output=True, text=True, timeout=60)
    text = " ".join(done.stdout.split())
    assert "default 127.0.0.1" in text and "0.0.0.0 exposes the desk to the network" in text
    assert "--rate-limit" in text and "--queue-size" in text


FILE_PROBES = [
    "/file=/etc/passwd", "/file=..%2F..%2F..%2Fetc%2Fpasswd",
    "/gradio_api/file=/etc/passwd", "/gradio_api/file=../../../../etc/passwd",
    "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/gradio_api/file=%2Fetc%2Fpasswd",
    "/gradio_api/file=/proc/self/environ", "/gradio_api/file=README.md", "/gradio_api/file=./pyproject.toml",
    "/gradio_api/file={data}/secret.txt", "/gradio_api/file={data}/chroma/chroma.sqlite3",
    "/gradio_api/file={data}/../data/secret.txt",
    "/static/../../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/assets/..%2f..%2f..%2f..%2f..%2fetc/passwd", "/gradio_api/static/../../../../etc/passwd",
    "/gradio_api/proxy=http://169.254.169.254/latest/meta-data/", "/gradio_api/proxy=file:///etc/passwd",
    "/proxy=http://127.0.0.1:{port}/config",
]


def _get_raw(port: int, path: str) -> tuple[int, bytes]:
    """GET with the path sent exactly as written (no client-side normalising of ../)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("probe", FILE_PROBES)
def test_no_route_returns_a_file_from_disk(desk, probe):
    status, body = _get_raw(desk.port, probe.format(data=desk.data_dir, port=desk.port))
    assert status in (400, 403, 404, 405), (status, body[:200])
    assert b"root:x:0:0" not in body and CANARY.encode() not in body
    assert b"SQLite format" not in body and b"[project]" not in body


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_upload_is_capped_and_cannot_write_outside_the_cache(desk, tmp_path):
    escape_name = f"rq-escape-{uuid.uuid4().hex}.txt"
    big = b"x" * 300_000
    for name, data, expect_ok in ((f"../../../../../../tmp/{escape_name}", b"harmless", True),
                                  ("big.txt", big, False)):
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                f"Content-Type: text/plain\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(f"{desk.url}gradio_api/upload", data=body, method="POST",
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode()
        if expect_ok:
            assert status == 200 and escape_name in text
            assert not Path("/tmp", escape_name).exists()
            stored = Path(json.loads(text)[0]).resolve()
            assert stored.name == escape_name and "gradio" in stored.parent.parent.name
            stored.unlink(missing_ok=True)
        else:
            assert status == 413 or "exceeded maximum allowed size" in text, (status, text[:200])


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_question_cap_comes_from_settings_and_rate_limit_from_the_flag(desk):
    from gradio_client.exceptions import AppError

    client = client_for(desk)
    refused = ask(client, "请问" * 21)  # 42 characters
    assert refused["mode"] == "refused" and f"请控制在 {QUESTION_CAP} 字以内" in refused["answer"]
    for _ in range(RATE_LIMIT - 1):
        assert "623.97" in ask(client, "2022年科技局总支出是多少？")["answer"]
    with pytest.raises(AppError, match=f"每分钟最多提问 {RATE_LIMIT} 次"):
        ask(client, "2022年科技局总支出是多少？")


def test_installed_gradio_carries_the_2025_2026_file_and_ssrf_fixes():
    assert Version(gradio.__version__) >= GRADIO_WITH_FIXES


def test_pyproject_pins_gradio_to_a_release_with_the_fixes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    gradio_req = next(Requirement(d) for d in project["dependencies"] if Requirement(d).name == "gradio")
    floors = [Version(s.version) for s in gradio_req.specifier if s.operator in (">=", "==", "~=")]
    assert floors and min(floors) >= GRADIO_WITH_FIXES


# --- load: 50 clients for 60 s --------------------------------------------------------------------

CLIENTS = 50
LOAD_SECONDS = 60
RSS_GROWTH_LIMIT_MB = 300
FIGURES = {  # each client asks one of these and must get its own figure back
    "2022年科技局总支出是多少？": "623.97",
    "人员支出是多少？": "130.74",
    "基本支出是多少？": "174.63",
    "公用经费是多少？": "43.89",
    "2022年初部门预算资金总额是多少？": "232.7",
    "本级科技创新奖励是多少？": "123.9",
    "省、市科技项目资金是多少？": "325.44",
    "获得上级项目资金多少？": "445.69",
    "多少家企业入库科技型中小企业？": "31家",
    "行政编制人数多少人？": "7人",
}


@dataclass
class Tally:
    errors: list = field(default_factory=list)
    crossed: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, item) -> None:
        with self.lock:
            getattr(self, name).append(item)


def _client_loop(server: Server, index: int, window: dict, ready: threading.Barrier, tally: Tally) -> None:
    """One visitor: its own session, its own question, over and over until the window closes.

    The engine is deterministic, so any answer other than the one this question got alone has crossed over.
    """
    question, expected = list(window["expected"].items())[index % len(window["expected"])]
    try:
        client = client_for(server)
        ready.wait(timeout=START_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 (any failure is an error to count)
        tally.add("errors", f"client {index}: connect: {exc!r}")
        ready.abort()
        return
    while time.monotonic() < window["end"]:
        started = time.perf_counter()
        try:
            result = ask(client, question)
        except Exception as exc:  # noqa: BLE001
            tally.add("errors", f"client {index}: {exc!r}")
            continue
        tally.add("latencies", time.perf_counter() - started)
        if result["question"] != question or result["answer"] != expected:
            tally.add("crossed", (index, question, result["question"], result["answer"]))


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_fifty_clients_for_a_minute_get_their_own_answers_without_errors(tmp_path):
    flags = ["--rate-limit", "1000000", "--queue-size", str(4 * CLIENTS), "--concurrency", "2"]
    with serve(tmp_path, *flags) as server:
        warm, expected = client_for(server), {}
        for question, figure in FIGURES.items():
            expected[question] = ask(warm, question)["answer"]
            assert figure in expected[question], (question, expected[question])
        before = rss_mb(server.pid)
        tally, window = Tally(), {"expected": expected}
        ready = threading.Barrier(CLIENTS, action=lambda: window.update(start=time.monotonic(),
                                                                         end=time.monotonic() + LOAD_SECONDS))
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            futures = [pool.submit(_client_loop, server, i, window, ready, tally) for i in range(CLIENTS)]
            for future in futures:
                future.result(timeout=START_TIMEOUT_S + LOAD_SECONDS + 120)
        elapsed = time.monotonic() - window.get("start", time.monotonic())
        after = rss_mb(server.pid)

    latencies = sorted(tally.latencies) or [0.0]
    print(f"\n{CLIENTS} clients, {elapsed:.0f} s: {len(tally.latencies)} answers "
          f"({len(tally.latencies) / max(elapsed, 1):.1f}/s), p50 {latencies[len(latencies) // 2]:.2f} s, "
          f"p95 {latencies[int(len(latencies) * 0.95)]:.2f} s, {len(tally.errors)} errors, "
          f"{len(tally.crossed)} crossed; server RSS {before:.0f} MB before, {after:.0f} MB after "
          f"({after - before:+.0f} MB)", flush=True)
    assert tally.errors == []
    assert tally.crossed == []
    assert len(tally.latencies) >= CLIENTS
    assert after - before < RSS_GROWTH_LIMIT_MB
