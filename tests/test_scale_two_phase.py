"""Two-phase ingest: chunks are searchable by BM25 before their vectors exist, an interrupted embedding resumes
without duplicates, and a worker sees what another process ingested."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evals.synthetic import generate_corpus
from ingest.pipeline import ingest_paths
from vectorstore.hybrid import HybridRetriever
from vectorstore.store import ChunkStore

ROOT = Path(__file__).resolve().parents[1]
BUDGET_QUERY = "2022年总支出"
OTHER_REPORT = ("部门整体支出绩效自评报告\n"
                "庐山市教育局\n"
                "一、部门概况\n"
                "2022年总支出888.88万元，其中基本支出500万元。\n")
# Another process ingests with the same fake embedder the test's store was built with.
OTHER_WRITER = """
import hashlib, math, sys
from pathlib import Path
from langchain_core.embeddings import Embeddings
from ingest.pipeline import ingest_paths
from vectorstore.store import ChunkStore

class HashEmbeddings(Embeddings):
    model_id = "fake/hash"
    def embed_documents(self, texts):
        return [self.embed_query(t) for t in texts]
    def embed_query(self, text):
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        vector = [b - 127.5 for b in digest]
        norm = math.sqrt(sum(v * v for v in vector))
        return [v / norm for v in vector]

store = ChunkStore(HashEmbeddings(), persist_dir=Path(sys.argv[1]))
print(ingest_paths([Path(sys.argv[2])], store, progress=False, embed=sys.argv[3] == "embed").added)
"""


class CountingEmbeddings:
    """Wraps an embedder: counts the texts it embeds, and can fail after `fail_after` calls (a killed run)."""

    def __init__(self, inner, fail_after: int | None = None) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.fail_after = fail_after
        self.calls = 0
        self.texts = 0

    def embed_documents(self, texts):
        if self.fail_after is not None and self.calls >= self.fail_after:
            raise KeyboardInterrupt("killed mid-embedding")
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def _report_folder(tmp_path: Path, report_path: Path, distractors: int = 0) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir(exist_ok=True)
    shutil.copy(report_path, folder / report_path.name)
    if distractors:
        generate_corpus(distractors, seed=0, out_dir=folder)
    return folder


def test_lexical_search_finds_a_chunk_before_its_vector_exists(tmp_path, hash_embeddings, report_path,
                                                              report_chunks):
    store = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "chroma")
    report = ingest_paths([report_path], store, progress=False, embed=False)
    retriever = HybridRetriever(store=store, lexical_weight=1.0)

    assert report.added == len(report_chunks) and report.embedded == 0
    assert store.count() == len(report_chunks) and store.collection.count() == 0
    assert store.unembedded_ids() == {c.id for c in report_chunks}
    assert store.dense_search(hash_embeddings().embed_query(BUDGET_QUERY), k=5) == []
    hits = retriever.search(BUDGET_QUERY)
    assert "总支出623.97万元" in hits[0].chunk.text
    assert hits[0].lexical_only and hits[0].dense == 0.0

    assert ingest_paths([report_path], store, progress=False).embedded == len(report_chunks)
    retriever.refresh()
    assert store.unembedded_ids() == set() and store.staged_count() == 0
    assert store.collection.count() == store.count() == len(report_chunks)
    assert not any(h.lexical_only for h in retriever.search(BUDGET_QUERY))


def test_an_answer_says_when_part_of_the_searched_reports_still_awaits_its_vectors(fast_assistant, tmp_path,
                                                                                    report_path, report_chunks):
    fast_assistant.ingest([report_path], progress=False)
    other = tmp_path / "other"
    other.mkdir()
    (other / "jyj-2022.txt").write_text(OTHER_REPORT, encoding="utf-8")
    fast_assistant.ingest([other], progress=False, embed=False)  # 教育局: text stored, vectors still to come
    waiting = len(fast_assistant.retriever.unembedded)
    assert 0 < waiting < len(report_chunks)

    unscoped = fast_assistant.ask("2022年总支出是多少？")
    assert f"尚有 {waiting} 段原文只能按关键词检索" in unscoped.notice
    education = fast_assistant.ask("教育局2022年总支出是多少？")  # names the department still embedding
    assert "888.88万元" in education.text and f"尚有 {waiting} 段" in education.notice
    science = fast_assistant.ask("总支出是多少？", filters={"department": "庐山市科学技术局"})
    assert "623.97万元" in science.text and "语义索引" not in science.notice  # every vector of it is stored

    fast_assistant.ingest([other], progress=False)  # the embedding catches up
    assert fast_assistant.retriever.unembedded == frozenset()
    assert "语义索引" not in fast_assistant.ask("教育局2022年总支出是多少？").notice


def test_interrupted_embedding_resumes_without_duplicates_and_ends_with_the_clean_ids(tmp_path, hash_embeddings,
                                                                                   report_path):
    folder = _report_folder(tmp_path, report_path, distractors=30)
    killed = CountingEmbeddings(hash_embeddings(), fail_after=20)
    store = ChunkStore(killed, persist_dir=tmp_path / "data" / "chroma")
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([folder], store, progress=False)
    served = {c.id for c in store.all_chunks()}
    half_done = store.collection.count()
    assert 0 < half_done < len(served) == store.count()  # every chunk is served: some by BM25 only
    assert len(store.unembedded_ids()) == len(served) - half_done

    resumed = CountingEmbeddings(hash_embeddings())
    rerun = ingest_paths([folder], ChunkStore(resumed, persist_dir=tmp_path / "data" / "chroma"), progress=False)
    clean = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "clean" / "chroma")
    ingest_paths([folder], clean, progress=False)

    assert rerun.added == 0 and rerun.embedded == resumed.texts == len(served) - half_done
    assert store.count() == store.collection.count() == clean.collection.count() and store.staged_count() == 0
    assert {c.id for c in store.all_chunks()} == {c.id for c in clean.all_chunks()} == served


def test_a_chunk_caught_in_both_collections_is_served_once_and_not_embedded_again(tmp_path, hash_embeddings,
                                                                                report_path, report_chunks,
                                                                                monkeypatch):
    store = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "chroma")
    ingest_paths([report_path], store, progress=False, embed=False)
    def die(**_):  # killed after the vectors were written, before the staged copies were deleted
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(store.staged, "delete", die)
    with pytest.raises(KeyboardInterrupt):
        store.embed_staged()
    monkeypatch.undo()
    assert store.staged_count() == store.collection.count() == len(report_chunks)
    assert store.count() == len(store.all_chunks()) == len(report_chunks)
    assert store.unembedded_ids() == set()

    counting = CountingEmbeddings(hash_embeddings())
    store.embeddings = counting
    assert store.embed_staged() == 0 and counting.texts == 0
    assert store.staged_count() == 0 and store.count() == len(report_chunks)


def test_a_group_killed_before_its_commit_keeps_every_old_version_serving(tmp_path, hash_embeddings, report_path,
                                                                        monkeypatch):
    folder = _report_folder(tmp_path, report_path, distractors=4)
    store = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "chroma")
    ingest_paths([folder], store, progress=False)
    old = {c.id for c in store.all_chunks()}
    for path in folder.iterdir():
        path.write_text(path.read_text(encoding="utf-8") + "\n附注：第二稿。\n", encoding="utf-8")

    real_upsert = store.staged.upsert

    def write_ten_then_die(**records):
        real_upsert(**{key: values[:10] for key, values in records.items()})
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr(store.staged, "upsert", write_ten_then_die)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([folder], store, progress=False)
    monkeypatch.undo()
    assert {c.id for c in store.all_chunks()} == old and store.count() == len(old)

    report = ingest_paths([folder], store, progress=False)
    new = {c.id for c in store.all_chunks()}
    assert report.replaced == len(old) and not new & old
    assert store.count() == store.collection.count() == len(new) and store.staged_count() == 0


def test_a_worker_sees_a_report_that_another_process_ingested(fast_assistant, tmp_path, report_path,
                                                             subprocess_env):
    fast_assistant.ingest([report_path], progress=False)
    fast_assistant.retriever.check_every_s = 0.0
    question = "教育局2022年总支出是多少？"
    assert fast_assistant.ask(question).abstained
    other = tmp_path / "jyj-2022.txt"
    other.write_text(OTHER_REPORT, encoding="utf-8")

    assert int(_ingest_elsewhere(fast_assistant, other, subprocess_env, "embed")) > 0

    answer = fast_assistant.ask(question)
    assert not answer.abstained and "888.88" in answer.text
    assert {c.source for c in answer.citations} == {other.name}


def test_a_slow_reload_runs_in_the_background_while_questions_are_answered_from_the_loaded_reports(
        fast_assistant, tmp_path, report_path, subprocess_env):
    """At 1,000 reports a reload takes 10 s and more: the question that notices waits only `reload_wait_s`."""
    import threading

    fast_assistant.ingest([report_path], progress=False)
    fast_assistant.retriever.check_every_s = 0.0
    fast_assistant.settings.reload_wait_s = 0.2
    other = tmp_path / "jyj-2022.txt"
    other.write_text(OTHER_REPORT, encoding="utf-8")
    loading, release = threading.Event(), threading.Event()
    load = fast_assistant.retriever.load

    def slow_load():
        loading.set()
        assert release.wait(60), "the test never released the reload"
        return load()

    fast_assistant.retriever.__dict__["load"] = slow_load  # a pydantic model: set past its field checks
    _ingest_elsewhere(fast_assistant, other, subprocess_env, "embed")

    during = fast_assistant.ask("教育局2022年总支出是多少？")
    assert loading.is_set() and fast_assistant.reloading
    assert "888.88" not in during.text and "正在载入新入库的报告" in during.notice
    budget = fast_assistant.ask("总支出是多少？", filters={"department": "庐山市科学技术局"})
    assert "623.97万元" in budget.text  # the loaded report still answers meanwhile

    release.set()
    fast_assistant._reloader.join(60)
    after = fast_assistant.ask("教育局2022年总支出是多少？")
    assert "888.88" in after.text and "正在载入" not in after.notice
    assert not fast_assistant.reloading


def test_a_worker_finds_by_vector_what_another_process_embedded_after_it_loaded(fast_assistant, tmp_path,
                                                                               report_path, subprocess_env):
    fast_assistant.ingest([report_path], progress=False)
    retriever = fast_assistant.retriever
    retriever.check_every_s = 0.0
    other = tmp_path / "jyj-2022.txt"
    other.write_text(OTHER_REPORT, encoding="utf-8")
    scope = {"department": "庐山市教育局"}

    _ingest_elsewhere(fast_assistant, other, subprocess_env, "lexical only")
    assert "888.88" in fast_assistant.ask("教育局2022年总支出是多少？").text
    hits = retriever.search("2022年总支出888.88万元", filters=scope)
    assert hits and all(h.lexical_only and h.dense == 0.0 for h in hits)

    _ingest_elsewhere(fast_assistant, other, subprocess_env, "embed")
    assert not retriever.stale()  # the same chunks: no reload, but their vectors are seen
    hits = retriever.search("2022年总支出888.88万元", filters=scope)
    assert retriever.unembedded == frozenset()
    assert len(hits) == 3 and not any(h.lexical_only for h in hits)
    assert all(h.dense != 0.0 for h in hits)  # hash vectors: any similarity, but every chunk has one now


def _ingest_elsewhere(assistant, path: Path, env: dict, mode: str) -> str:
    done = subprocess.run([sys.executable, "-c", OTHER_WRITER, str(assistant.settings.store_dir), str(path), mode],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.split()[-1]


def test_reads_on_other_threads_survive_the_store_being_reopened_under_them(tmp_path, hash_embeddings, report_path,
                                                                            report_chunks):
    """A background reload reopens the embedded client (to see another process's vectors) while desk questions
    search it. No read may fail for that: it is retried on the reopened client."""
    import threading

    store = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "chroma")
    ingest_paths([report_path], store, progress=False)
    retriever = HybridRetriever(store=store, lexical_weight=0.5)
    expected = [h.chunk.id for h in retriever.search(BUDGET_QUERY)]
    vector = hash_embeddings().embed_query(BUDGET_QUERY)
    failures, done = [], threading.Event()

    def ask_repeatedly():
        try:
            for _ in range(40):
                store.forget_cache()  # every read goes to the client: the manifest too
                assert store.generation()
                assert store.dense_search(vector, 5)
                assert [h.chunk.id for h in retriever.search(BUDGET_QUERY)] == expected
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            failures.append(repr(exc))
        finally:
            done.set()

    reader = threading.Thread(target=ask_repeatedly)
    reader.start()
    reopened = 0
    while not done.wait(0.002):  # a reopen every few milliseconds, far more often than a desk ever sees
        store.reopen(store.collection)
        reopened += 1
    reader.join(60)
    assert failures == [] and reopened > 1
    assert store.count() == store.collection.count() == len(report_chunks)  # nothing lost on the way
