"""Where the audit shows: `report-qa audit`, the 报告数据核对 panel, and the notes on answers."""

from __future__ import annotations

import json

import gradio as gr
import pytest

from assistant import Answer, Citation
from assistant.audit import Finding, Kind, Span, Status, audit_chunks, audit_notes
from report_qa.cli import main as cli_main
from ui.audit_panel import audit_html

PROJECT_QUESTION = "项目支出是多少？"


@pytest.fixture(scope="module")
def findings(report_chunks) -> list[Finding]:
    return audit_chunks(report_chunks)


def cite(report_text: str, start: int, end: int, source: str) -> Citation:
    return Citation(n=1, source=source, section="一、部门概况 › （五）当年部门预算及执行情况", start=start, end=end,
                    quote=report_text[start:end])


# --- notes on answers -------------------------------------------------------------------------------

@pytest.mark.slow
def test_answer_about_project_spending_carries_the_implied_value(session_assistant):
    answer = session_assistant.ask(PROJECT_QUESTION)
    findings = audit_chunks(session_assistant.retriever.chunks)  # from the store, as the assistant holds it

    notes = audit_notes(answer, findings)

    assert len(notes) == 1
    assert "449.34.34" in notes[0] and "449.34 万元" in notes[0] and "123.9 + 325.44" in notes[0]


@pytest.mark.slow
def test_audit_of_the_stored_chunks_equals_the_audit_of_the_file(session_assistant, findings):
    assert audit_chunks(session_assistant.retriever.chunks) == findings


def test_answer_citing_the_sentence_for_another_figure_gets_no_note(findings, report_text, report_path):
    # The 一(五) sentence holds 449.34.34 too, but an answer about 基本支出 states none of the findings' figures.
    answer = Answer(question="基本支出是多少？", text="基本支出174.63万元[1]。",
                    citations=[cite(report_text, 1115, 1230, report_path.name)])

    assert audit_notes(answer, findings) == []


def test_answer_stating_both_growth_rates_notes_the_contradiction(findings, report_text, report_path):
    answer = Answer(question="研发投入增长了多少？", text="同比增长8.3%[1]。另：增长8.33%[2]。",
                    citations=[cite(report_text, 2330, 2424, report_path.name),
                               cite(report_text, 855, 895, report_path.name).model_copy(update={"n": 2})])

    (note,) = audit_notes(answer, findings)

    assert note.startswith("核对提示：同一数量前后数值不同") and "8.33" in note


def test_note_needs_the_cited_span_from_the_same_report(findings, report_text):
    answer = Answer(question=PROJECT_QUESTION, text="项目支出449.34.34万元[1]。",
                    citations=[cite(report_text, 1115, 1230, "another-report.txt")])

    assert audit_notes(answer, findings) == []
    assert audit_notes(answer.model_copy(update={"abstained": True, "citations": []}), findings) == []


# --- report-qa audit --------------------------------------------------------------------------------

def test_audit_command_prints_findings_with_section_and_quote(report_path, capsys):
    assert cli_main(["audit", str(report_path)]) == 0

    out = capsys.readouterr().out
    assert "共 15 项核对，7 项需注意" in out
    assert "【数字有误】[数字格式] 项目支出原文写作“449.34.34万元”" in out
    assert "一、部门概况 › （五）当年部门预算及执行情况 · 1176-1191 “项目支出449.34.34万元”" in out
    assert "“第 届”" in out


def test_audit_command_json_gives_the_records(report_path, capsys):
    assert cli_main(["audit", "--json", "--problems", str(report_path)]) == 0

    records = json.loads(capsys.readouterr().out)
    assert len(records) == 7
    assert set(records[0]) == {"kind", "status", "message", "spans", "expected", "actual"}
    malformed = next(r for r in records if r["kind"] == "malformed_number")
    assert (malformed["expected"], malformed["actual"]) == ("449.34", "449.34.34")
    assert malformed["spans"][0] == {"source": report_path.name, "start": 1176, "end": 1191,
                                     "quote": "项目支出449.34.34万元",
                                     "section": "一、部门概况 › （五）当年部门预算及执行情况"}


@pytest.mark.slow
def test_audit_command_without_paths_audits_the_stored_reports(session_assistant, monkeypatch, tmp_path, capsys):
    from assistant.core import Assistant

    monkeypatch.setattr(Assistant, "from_settings", classmethod(lambda cls, settings: session_assistant))

    assert cli_main(["--data-dir", str(tmp_path), "audit", "--json"]) == 0

    records = json.loads(capsys.readouterr().out)
    assert len(records) == 15
    assert {r["spans"][0]["source"] for r in records} == {"lushan-kjj-2022-performance-self-evaluation.txt"}


# --- the 报告数据核对 panel -------------------------------------------------------------------------

def test_panel_lists_problems_first_and_escapes_the_text(findings):
    page = audit_html(findings, {"lushan-kjj-2022-performance-self-evaluation.txt": "庐山<科技局>"})

    assert "《庐山&lt;科技局&gt;》" in page and "共 15 项核对，7 项需注意" in page
    assert page.index("rq-problem") < page.index('data-status="holds"')
    assert "项目支出449.34.34万元" in page


def test_panel_escapes_markup_in_a_report():
    span = Span("x.txt", 0, 8, "<script>", "一、<b>")
    finding = Finding(Kind.BLANK, Status.BLANK, "原文“<img src=x onerror=alert(1)>”：缺少序数。", (span,))

    page = audit_html([finding])

    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.slow
def test_the_audit_is_on_the_staff_page_behind_the_token_not_on_the_public_page(session_assistant, settings_for,
                                                                                 tmp_path):
    from ui.app import build_app
    from ui.feedback import FeedbackStore
    from ui.staff import StaffDesk, StaffError

    public = build_app(session_assistant, settings_for(tmp_path))
    assert not [b for b in public.blocks.values() if isinstance(b, gr.HTML) and b.elem_id == "rq-audit"]
    assert not any("449.34.34" in str(getattr(b, "value", "")) for b in public.blocks.values())

    staff = StaffDesk(session_assistant, FeedbackStore(tmp_path / "fb.sqlite3"), "s3cret", tmp_path)
    assert "449.34.34" in staff.audit("s3cret")
    with pytest.raises(StaffError, match="口令错误"):
        staff.audit("wrong")
