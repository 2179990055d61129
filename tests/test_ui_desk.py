"""The chat desk's logic and HTML with a scripted fake assistant: streaming, history, limits, escaping."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import gradio as gr
import pytest

from assistant import Answer, Citation, Mode, Settings
from ui.app import _filters, build_app
from ui.desk import ChatDesk, DeskOptions, TurnKind, history_messages, stream_prefixes
from ui.feedback import FEEDBACK_FILE, FeedbackStore, Rating
from ui.ratelimit import RateLimiter
from ui.render import answer_markdown, escape, paragraph_html, question_markdown, sources_html

PARAGRAPH = "2022年初部门预算资金总额232.7万元。2022年总支出623.97万元，其中人员支出130.74万元。"
QUOTE = "2022年总支出623.97万元，其中人员支出130.74万元。"
CHUNK = SimpleNamespace(text=PARAGRAPH, source="r.txt", start=100, end=100 + len(PARAGRAPH), title="某局绩效自评报告",
                        department="某局", year=2022, section="一、部门概况 › （五）预算", facts=[])
CITATION = Citation(n=1, source="r.txt", section="一、部门概况 › （五）预算", start=100 + PARAGRAPH.index(QUOTE),
                    end=100 + PARAGRAPH.index(QUOTE) + len(QUOTE), quote=QUOTE)


@dataclass
class FakeAssistant:
    """Answers from a script; records what it was asked."""

    answers: list[Answer]
    chunks: list = field(default_factory=lambda: [CHUNK])
    facet_list: list = field(default_factory=lambda: [("某局", 2022)])
    calls: list[dict] = field(default_factory=list)

    @property
    def retriever(self):
        return SimpleNamespace(chunks=self.chunks)

    def facets(self):
        return self.facet_list

    def ask(self, question, history=None, filters=None):
        self.calls.append({"question": question, "history": history, "filters": filters})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def total_answer(question="总支出是多少？") -> Answer:
    return Answer(question=question, text="2022年总支出623.97万元[1]。", citations=[CITATION])


def not_found(question="局长是谁？") -> Answer:
    return Answer(question=question, text="报告中未找到相关信息。", abstained=True)


def make_desk(tmp_path, *answers, limit=10) -> tuple[ChatDesk, FakeAssistant]:
    fake = FakeAssistant(list(answers))
    options = DeskOptions(rate_limit_per_minute=limit, stream_steps=5, stream_delay_s=0)
    return ChatDesk(fake, FeedbackStore(tmp_path / FEEDBACK_FILE), options, sleep=lambda s: None), fake


def test_reply_streams_ever_longer_text_then_the_answer_with_marked_sources(tmp_path):
    desk, _ = make_desk(tmp_path, total_answer())

    steps = list(desk.reply("总支出是多少？", [], None, "1.2.3.4"))

    shown = [s.messages[-1]["content"] for s in steps]
    assert len(steps) >= 4 and all(len(a) < len(b) for a, b in zip(shown, shown[1:]))
    assert shown[-1] == "2022年总支出623.97万元[1]。"
    assert f"<mark>{QUOTE}</mark>" in steps[-1].sources and "一、部门概况 › （五）预算" in steps[-1].sources
    assert [t.kind for t in steps[-1].turns] == [TurnKind.ANSWERED]


def test_follow_up_passes_previous_turns_as_role_content_history(tmp_path):
    desk, fake = make_desk(tmp_path, total_answer(), Answer(question="那人员支出呢？", text="人员支出130.74万元[1]。"))
    turns = list(desk.reply("总支出是多少？", [], None, "c"))[-1].turns

    list(desk.reply("那人员支出呢？", turns, {"year": 2022}, "c"))

    assert fake.calls[1]["history"] == [{"role": "user", "content": "总支出是多少？"},
                                        {"role": "assistant", "content": "2022年总支出623.97万元[1]。"}]
    assert fake.calls[1]["filters"] == {"year": 2022}


def test_history_leaves_out_refused_and_turned_down_turns_and_keeps_the_latest(tmp_path):
    desk, _ = make_desk(tmp_path, Answer(question="", text="问题不能为空", abstained=True, mode=Mode.REFUSED),
                        not_found(), total_answer())
    turns: list = []
    for question in ("", "局长是谁？", "总支出是多少？"):
        turns = list(desk.reply(question, turns, None, "c"))[-1].turns

    assert [m["content"] for m in history_messages(turns, max_turns=1)] == ["总支出是多少？", "2022年总支出623.97万元[1]。"]
    assert len(history_messages(turns, max_turns=6)) == 4


def test_abstention_is_a_calm_notice_not_an_error(tmp_path):
    desk, _ = make_desk(tmp_path, not_found())

    last = list(desk.reply("局长是谁？", [], None, "c"))[-1]

    assert last.messages[-1]["content"] == "ℹ️ 报告中未找到相关信息。"
    assert 'class="rq-notice"' in last.sources and "报告中未找到相关信息" in last.sources


def test_rate_limited_visitor_sees_a_message_and_the_assistant_is_not_asked(tmp_path):
    desk, fake = make_desk(tmp_path, total_answer(), limit=1)
    list(desk.reply("总支出是多少？", [], None, "10.0.0.1"))

    last = list(desk.reply("总支出是多少？", [], None, "10.0.0.1"))[-1]

    assert "提问过于频繁" in last.messages[-1]["content"] and len(fake.calls) == 1
    assert last.turns[-1].kind == TurnKind.TURNED_DOWN


def test_internal_error_shows_an_apology_with_an_id_that_the_log_carries(tmp_path, caplog):
    desk, _ = make_desk(tmp_path, RuntimeError("chroma is down"))

    with caplog.at_level(logging.ERROR, logger="ui.desk"):
        last = list(desk.reply("总支出是多少？", [], None, "c"))[-1]

    error_id = re.search(r"错误编号：([0-9a-f]{8})", last.messages[-1]["content"]).group(1)
    assert "chroma is down" not in last.messages[-1]["content"]
    assert error_id in caplog.text and "chroma is down" in caplog.text  # the traceback, under the same id


def test_like_on_an_answer_stores_question_answer_citations_and_comment(tmp_path):
    desk, _ = make_desk(tmp_path, total_answer())
    turns = list(desk.reply("总支出是多少？", [], None, "c"))[-1].turns

    recorded, status = desk.rate(turns, 1, True, "清楚", "c")
    refused, _ = desk.rate(turns, 0, False, "", "c")  # index 0 is the visitor's own question

    (record,) = desk.feedback.records()
    assert recorded and "👍" in status and not refused
    assert (record.question, record.rating, record.comment) == ("总支出是多少？", Rating.UP, "清楚")
    assert record.citations[0]["quote"] == QUOTE and record.answer == "2022年总支出623.97万元[1]。"


def test_rate_limiter_allows_the_limit_per_client_then_recovers_after_the_window():
    now = [0.0]
    limiter = RateLimiter(2, window_s=60, clock=lambda: now[0])

    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    assert limiter.allow("b")
    now[0] = 60.0
    assert limiter.allow("a")


def test_stream_prefixes_grow_and_stop_short_of_the_whole_text():
    prefixes = list(stream_prefixes("一二三四五六七八九十", steps=4))

    assert prefixes == ["一二三", "一二三四五六", "一二三四五六七八九"]
    assert list(stream_prefixes("短", steps=30)) == []


def test_html_in_questions_and_documents_is_escaped():
    hostile = Citation(n=1, source="<b>x</b>.txt", section="<img src=x onerror=alert(1)>", start=0, end=8,
                       quote="<script>")
    chunk = SimpleNamespace(text="<script>alert(1)</script>", source="<b>x</b>.txt", start=0, end=25)

    html = sources_html(Answer(question="q", text="<script>[1]", citations=[hostile]), [chunk])

    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;" in html
    assert question_markdown("<script>alert(1)</script>") == "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
    assert escape("${x}") == "&#36;{x}"


def test_quote_is_marked_even_when_its_offsets_disagree_with_the_chunk():
    shifted = CITATION.model_copy(update={"start": CITATION.start - 3, "end": CITATION.end - 3})

    assert f"<mark>{QUOTE}</mark>" in paragraph_html(shifted, [CHUNK])
    assert paragraph_html(CITATION, []) == f"<mark>{QUOTE}</mark>"


@pytest.mark.parametrize(("facets", "visible"), [([("某局", 2022)], False),
                                                 ([("某局", 2021), ("某局", 2022)], True)])
def test_department_year_selector_shows_only_with_several_reports(tmp_path, facets, visible):
    fake = FakeAssistant([], facet_list=facets)

    demo = build_app(fake, Settings(data_dir=tmp_path))

    (dropdown,) = [b for b in demo.blocks.values() if isinstance(b, gr.Dropdown)]
    (box,) = [b for b in demo.blocks.values() if isinstance(b, gr.Textbox) and b.elem_id == "rq-question"]
    assert dropdown.visible is visible and box.max_length == 500
    assert not (tmp_path / FEEDBACK_FILE).exists()  # building the page writes nothing


def test_selector_choice_becomes_department_and_year_filters():
    facets = [("某局", 2021), ("某局", 2022)]

    assert _filters(facets, 0) is None  # 全部报告
    assert _filters(facets, 2) == {"department": "某局", "year": 2022}
    assert _filters(facets, 9) is None


def test_list_items_numbered_by_the_report_show_no_extra_bullet():
    answer = Answer(question="存在哪些问题？", text="主要问题：\n- （一）研发投入实力不强[1]\n- 2、创新[2]\n- 其他[3]",
                    citations=[CITATION.model_copy(update={"n": n}) for n in (1, 2, 3)])

    assert answer_markdown(answer) == "主要问题：\n（一）研发投入实力不强[1]\n2、创新[2]\n- 其他[3]"


def test_sources_panel_names_the_question_the_report_title_and_how_a_follow_up_was_understood():
    answer = Answer(question="那人员支出呢？", text="人员支出130.74万元[1]。", citations=[CITATION],
                    rewritten_question="2022年人员支出是多少？")

    html = sources_html(answer, [CHUNK])

    assert "问：那人员支出呢？（按上文理解为：2022年人员支出是多少？）" in html
    assert '<div class="rq-meta" title="r.txt">《某局绩效自评报告》 · 第 ' in html
