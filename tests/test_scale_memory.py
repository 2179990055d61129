"""Scale without waste: what makes 1,000 reports fit in memory and stay fast must not change what is found."""

from __future__ import annotations

import shutil

import bm25s
import numpy as np

from evals.synthetic import generate_corpus
from ingest.chunker import chunk_document
from ingest.loaders import iter_report_files, load_document
from vectorstore import store as store_module
from vectorstore.hybrid import HybridRetriever
from vectorstore.lexical import LexicalIndex
from vectorstore.store import ChunkStore
from vectorstore.tokenize import Tokenizer

SCOPE = {"department": "庐山市科学技术局", "year": 2022}
QUERIES = ("2022年科技局总支出是多少", "科技局去年一共花了多少钱", "人员支出", "科技人才方面承担什么职责", "科贷通", "公用经费 拨款")


def _corpus(tmp_path, report_path, distractors: int):
    folder = tmp_path / "reports"
    generate_corpus(distractors, seed=0, out_dir=folder)
    shutil.copy(report_path, folder / report_path.name)
    return folder


def test_bm25_built_from_token_ids_scores_exactly_like_one_built_from_token_strings(tmp_path, report_path):
    folder = _corpus(tmp_path, report_path, distractors=20)
    chunks = [c for f in iter_report_files(folder) for c in chunk_document(load_document(f))]
    tokenizer = Tokenizer()
    index = LexicalIndex(chunks, tokenizer)
    corpus = [tokenizer.tokens(f"{c.section}\n{c.text}") or ["§"] for c in chunks]
    reference = bm25s.BM25()
    reference.index(corpus, show_progress=False)
    vocabulary = {t for doc in corpus for t in doc}

    for query in QUERIES:
        tokens = [t for t in tokenizer.tokens(query) if t in vocabulary]
        assert np.array_equal(index._bm25.get_scores(tokens), reference.get_scores(tokens)), query


def test_reading_the_store_in_small_pages_returns_the_same_chunks(fast_assistant, tmp_path, report_path,
                                                                  monkeypatch):
    fast_assistant.ingest([_corpus(tmp_path, report_path, distractors=5)], progress=False)
    whole = fast_assistant.store.all_chunks()
    monkeypatch.setattr(store_module, "READ_PAGE", 7)
    assert fast_assistant.store.all_chunks() == whole
    assert fast_assistant.store.count() == len(whole) > 7


def test_a_filtered_search_ranks_the_selected_report_as_if_it_were_stored_alone(tmp_path, hash_embeddings,
                                                                               report_path):
    crowded = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "crowded")
    alone = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "alone")
    from ingest.pipeline import ingest_paths

    ingest_paths([_corpus(tmp_path, report_path, distractors=30)], crowded, progress=False)
    ingest_paths([report_path], alone, progress=False)
    among_many = HybridRetriever(store=crowded, lexical_weight=1.0)
    by_itself = HybridRetriever(store=alone, lexical_weight=1.0)

    for query in QUERIES:
        scoped = [(h.chunk.id, round(h.lexical, 4)) for h in among_many.search(query, filters=SCOPE)]
        assert scoped == [(h.chunk.id, round(h.lexical, 4)) for h in by_itself.search(query)], query
    assert len(among_many._loaded.scopes) == 1  # one filter, built once
    among_many.refresh()
    assert among_many._loaded.scopes == {}  # a new view builds its scopes afresh


def test_a_scoped_answer_among_many_reports_is_the_answer_the_report_gives_alone(fast_assistants, report_path,
                                                                                  tmp_path):
    """Term weights come from the selected report, not from 30 others of the same genre (at 1,000 reports,
    corpus-wide weights cut 分别由…2家企业实施 from the answer to 是哪两家单位实施的)."""
    from evals.dataset import default_dataset, load_dataset

    among_many, by_itself = fast_assistants("crowded"), fast_assistants("alone")
    among_many.ingest([_corpus(tmp_path, report_path, distractors=30)], progress=False)
    by_itself.ingest([report_path], progress=False)
    items = load_dataset(default_dataset())[:80]

    differ = []
    for item in items:
        scoped = among_many.ask(item.question, history=item.history, filters=SCOPE)
        alone = by_itself.ask(item.question, history=item.history)
        if (scoped.text, scoped.citations) != (alone.text, alone.citations):
            differ.append((item.question, alone.text[:80], scoped.text[:80]))
    assert differ == []
    assert among_many.matcher_in(SCOPE) is among_many.matcher_in(dict(SCOPE))  # built once per filter
    assert among_many.matcher_in(None) is among_many.matcher


def test_a_filtered_dense_ranking_is_exact_and_needs_no_vector_index(tmp_path, hash_embeddings, report_path,
                                                                    monkeypatch):
    """Chroma's vector index answers a selective filter approximately: on the real 1,000-report store it returned
    none of the selected report's chunks for some questions. A few selected reports are ranked by their own
    stored vectors instead, exactly as if the report were stored alone."""
    from ingest.pipeline import ingest_paths

    crowded = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "crowded")
    alone = ChunkStore(hash_embeddings(), persist_dir=tmp_path / "alone")
    ingest_paths([_corpus(tmp_path, report_path, distractors=30)], crowded, progress=False)
    ingest_paths([report_path], alone, progress=False)
    among_many = HybridRetriever(store=crowded, lexical_weight=0.0)  # dense ranking alone
    by_itself = HybridRetriever(store=alone, lexical_weight=0.0)

    def ranking(retriever, query, filters=None):
        return [(h.chunk.id, round(h.dense, 5)) for h in retriever.search(query, filters=filters)]

    expected = {query: ranking(by_itself, query) for query in QUERIES}
    assert all(expected.values())
    monkeypatch.setattr(crowded, "dense_search", lambda *a, **k: [])  # an index that finds nothing in the filter
    for query in QUERIES:
        assert ranking(among_many, query, SCOPE) == expected[query], query
