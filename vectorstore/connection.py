"""Opening Chroma: the embedded PersistentClient on a data directory, or HttpClient to a `chroma run` server."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import chromadb


class StoreError(RuntimeError):
    """The store cannot be used as asked; the message says why and what to do."""


def connect(persist_dir: Path | None, host: str | None, port: int):
    settings = chromadb.config.Settings(anonymized_telemetry=False)
    if host:
        try:
            return chromadb.HttpClient(host=host, port=port, settings=settings)
        except Exception as exc:  # chromadb raises several types for a refused connection
            raise StoreError(f"无法连接 Chroma 服务 {host}:{port} (cannot reach the Chroma server): {exc}") from exc
    if persist_dir is None:
        raise StoreError("没有配置数据目录 (no data directory configured)")
    persist_dir = Path(persist_dir)
    try:
        persist_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建数据目录 {persist_dir}: {exc.strerror} "
                         f"(cannot create the data directory: {exc.strerror})") from exc
    _check_writable(persist_dir)
    for attempt in range(1, CREATE_RACE_RETRIES + 1):
        try:
            return chromadb.PersistentClient(path=str(persist_dir), settings=settings)
        except Exception as exc:  # Chroma reports a locked, read-only or damaged database in several types
            if attempt < CREATE_RACE_RETRIES and _lost_creation_race(exc):
                # Two processes made a new store at once (table collections already exists): the other one
                # finished creating it; open it again, a bounded number of times.
                _forget_failed_client()
                time.sleep(0.5 * attempt)
                continue
            raise StoreError(f"无法打开向量库 {persist_dir}：{exc} (cannot open the store)") from exc
    raise AssertionError("unreachable")


CREATE_RACE_RETRIES = 5


def _lost_creation_race(exc: Exception) -> bool:
    return "already exists" in str(exc)


def _forget_failed_client() -> None:
    """Chroma keeps one system per path in a process: drop the half-made one before opening again."""
    clear = getattr(getattr(chromadb.api, "client", None), "SharedSystemClient", None)
    if clear is not None and hasattr(clear, "clear_system_cache"):
        clear.clear_system_cache()


def _check_writable(persist_dir: Path) -> None:
    """Chroma writes even to answer a question, so a read-only store is refused up front, by name."""
    database = persist_dir / "chroma.sqlite3"
    try:
        with tempfile.TemporaryFile(dir=persist_dir):
            pass
        if database.exists():
            with database.open("r+b"):
                pass
    except OSError as exc:
        raise StoreError(f"数据目录只读或无写权限：{persist_dir}（{exc.strerror}）。请改用可写的目录（--data-dir / "
                         f"REPORT_QA_DATA_DIR），或给它写权限。 (The data directory is read-only: "
                         f"{exc.strerror}; Chroma needs to write there.)") from exc
