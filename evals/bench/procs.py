"""Processes the bench starts on loopback (`report-qa serve`, `chroma run`), and how it reads the machine."""

from __future__ import annotations

import logging
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"
STOP_TIMEOUT_S = 15


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without REPORT_QA_* (a configured LLM or Chroma host must not leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORT_QA_")}
    env.update(PYTHONIOENCODING="utf-8", GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False",
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    env.update(extra)
    return env


def rss_mb(pid: int) -> float:
    """Resident set size of one process, from /proc (Linux)."""
    return _status_kb(pid, "VmRSS") / 1024


def peak_rss_mb(pid: int) -> float:
    return _status_kb(pid, "VmHWM") / 1024


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 2**20


def machine() -> dict:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem_kb / 2**20, 1),
            "python": platform.python_version(), "load_avg": [round(x, 2) for x in os.getloadavg()]}


def tool(name: str) -> str | None:
    """A console script of this environment (next to its python), else one on PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


@dataclass
class Started:
    proc: subprocess.Popen
    url: str
    log: Path
    started_at: float  # time.perf_counter() just before Popen


def start(command: list[str], url: str, log_path: Path, env: dict[str, str] | None = None) -> Started:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as out:
        began = time.perf_counter()
        proc = subprocess.Popen(command, env=env or clean_env(), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    return Started(proc, url, log_path, began)


def stop(proc: subprocess.Popen) -> None:
    """Terminate, then kill if it lingers; always reaps the process."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait(timeout=STOP_TIMEOUT_S)


def wait_until(started: Started, ready: Callable[[], bool], timeout_s: float, what: str) -> float:
    """Poll `ready` until it holds; returns the seconds since the process was started."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if started.proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {started.proc.returncode}:\n{tail(started.log)}")
        if ready():
            return time.perf_counter() - started.started_at
        time.sleep(0.05)
    raise TimeoutError(f"{what} not ready within {timeout_s:.0f} s:\n{tail(started.log)}")


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.exists() else ""


def http_ok(url: str, timeout_s: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def chroma_server(path: Path, log_path: Path, timeout_s: float = 60) -> Iterator[tuple[str, int]]:
    """`chroma run --path PATH` on a free loopback port; yields (host, port) once its heartbeat answers."""
    chroma = tool("chroma")
    if chroma is None:
        raise RuntimeError("the `chroma` command is not installed (it comes with chromadb)")
    port = free_port()
    started = start([chroma, "run", "--path", str(path), "--host", LOOPBACK, "--port", str(port)],
                    f"http://{LOOPBACK}:{port}", log_path)
    try:
        wait_until(started, lambda: http_ok(f"{started.url}/api/v2/heartbeat"), timeout_s, "chroma run")
        yield LOOPBACK, port
    finally:
        stop(started.proc)
