"""The chat desk's logic and HTML with a scripted fake assistant: streaming, per-answer sources, history and its
caps, limits, escaping, and one changeable vote per answer."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from dataclasses import dataclass, field
from types import SimpleNamespace

import gradio as gr
import pytest

from assistant import Answer, Citation, Mode, Settings
from assistant.settings import DeskContact
from ui.app import _filters, build_app
from ui.bubble import STREAMING_MARK, BubbleRenderer, paragraph_html
from ui.desk import (
    ChatDesk,
    DeskError,
    DeskOptions,
    TurnKind,
    chat_messages,
    feedback_values,
    history_messages,
    parse_history,
    stream_prefixes,
)
from ui.feedback import FEEDBACK_FILE, FeedbackStore, Rating
from ui.ratelimit import RateLimiter
from ui.render import escape, question_markdown

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


CONTACT = DeskContact(phone="0000-7654321", address="服务大厅二号窗口", hours="工作日 9:00–17:00")


def make_desk(tmp_path, *answers, limit=10) -> tuple[ChatDesk, FakeAssistant]:
    fake = FakeAssistant(list(answers))
    options = DeskOptions(rate_limit_per_minute=limit, stream_steps=5, stream_delay_s=0)
    desk = ChatDesk(fake, FeedbackStore(tmp_path / FEEDBACK_FILE), options, sleep=lambda s: None, contact=CONTACT)
    return desk, fake


def answered_turns(desk: ChatDesk, *questions: str) -> list:
    turns: list = []
    for question in questions:
        turns = list(desk.reply(question, turns, None, "c"))[-1].turns
    return turns


def test_reply_streams_ever_longer_text_then_the_answer_with_its_own_linked_and_marked_source(tmp_path):
    desk, _ = make_desk(tmp_path, total_answer())

    steps = list(desk.reply("总支出是多少？", [], None, "1.2.3.4"))

    shown = [s.messages[-1]["content"] for s in steps]
    assert len(steps) >= 4 and all(len(a) < len(b) for a, b in zip(shown, shown[1:-1]))
    assert all(text.endswith(STREAMING_MARK) and not step.done for text, step in zip(shown[:-1], steps[:-1]))
    turn = steps[-1].turns[-1]
    final = shown[-1]
    anchor = f"rq-{turn.id}-1"
    assert final.startswith(f'2022年总支出623.97万元<a class="rq-cite" href="#{anchor}" title="查看来源 1">[1]</a>。')
    assert f'<div class="rq-source" id="{anchor}">' in final and "一、部门概况 › （五）预算" in final
    # The cited sentence is marked inside its paragraph, and the figure the answer gives is marked inside it;
    # 130.74万元, which the answer does not give, and the year are not.
    assert "2022年初部门预算资金总额232.7万元。<mark>2022年总支出<mark class=\"rq-fig\">623.97万元</mark>，" \
           "其中人员支出130.74万元。</mark>" in final
    assert "《某局绩效自评报告》 · 某局 · 2022 年度" in final  # whose report
    assert 'href="report?source=r.txt&amp;start=' in final and "在报告全文中查看" in final
    assert [t.kind for t in steps[-1].turns] == [TurnKind.ANSWERED] and steps[-1].done


def test_an_earlier_answer_keeps_its_own_sources_after_a_later_one(tmp_path):
    later = Answer(question="人员支出是多少？", text="其中人员支出130.74万元[1]。", citations=[CITATION])
    desk, _ = make_desk(tmp_path, total_answer(), later)

    turns = answered_turns(desk, "总支出是多少？", "人员支出是多少？")
    first, second = (m["content"] for m in chat_messages(turns)[1::2])

    assert turns[0].id != turns[1].id
    assert f'id="rq-{turns[0].id}-1"' in first and f'id="rq-{turns[1].id}-1"' in second
    assert '<mark class="rq-fig">623.97万元</mark>' in first and '<mark class="rq-fig">130.74万元</mark>' in second


def test_a_figure_is_marked_whole_never_inside_a_longer_number():
    quote = "本级科技创新奖励123.90万元，其中23.9万元为补助。"
    citation = Citation(n=1, source="r.txt", section="s", start=0, end=len(quote), quote=quote)
    answer = Answer(question="q", text="补助23.9万元[1]。", citations=[citation])

    html = BubbleRenderer([]).final(answer, "t")

    assert '奖励123.90万元，其中<mark class="rq-fig">23.9万元</mark>为补助' in html


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

    assert [m["content"] for m in history_messages(turns, max_turns=1, max_chars=100)] == [
        "总支出是多少？", "2022年总支出623.97万元[1]。"]
    assert len(history_messages(turns, max_turns=6, max_chars=100)) == 4
    assert [m["content"] for m in history_messages(turns, 1, 6)] == ["总支出是多少", "2022年总"]


def test_api_history_beyond_the_caps_is_refused_with_a_message_that_names_the_cap():
    pair = [{"role": "user", "content": "总支出是多少？"}, {"role": "assistant", "content": "623.97万元"}]

    assert parse_history(json.dumps(pair * 3, ensure_ascii=False), max_turns=3, max_chars=50) == pair * 3
    with pytest.raises(DeskError, match="最多 3 轮.*收到 8 条"):
        parse_history(json.dumps(pair * 4, ensure_ascii=False), max_turns=3, max_chars=50)
    with pytest.raises(DeskError, match="每条最多 50 字，收到 51 字"):
        parse_history(json.dumps([{"role": "user", "content": "长" * 51}], ensure_ascii=False), 3, 50)
    with pytest.raises(DeskError, match="对话历史过长"):  # refused before it is parsed
        parse_history("[" + " " * 100_000 + "]", 3, 50)


def test_abstention_is_a_calm_notice_with_the_desks_contact_and_the_full_report(tmp_path):
    desk, _ = make_desk(tmp_path, not_found())

    last = list(desk.reply("局长是谁？", [], None, "c"))[-1]

    bubble = last.messages[-1]["content"]
    assert bubble.startswith("ℹ️ 报告中未找到相关信息。") and "错误" not in bubble
    assert "转人工" in bubble and "电话：0000-7654321" in bubble and "地址：服务大厅二号窗口" in bubble
    assert '<a class="rq-full" href="report?source=r.txt" target="_blank">《某局绩效自评报告》</a>' in bubble


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


def test_one_vote_per_answer_that_can_be_changed_and_taken_back(tmp_path):
    desk, _ = make_desk(tmp_path, total_answer())
    turns = answered_turns(desk, "总支出是多少？")

    down = desk.rate(turns, 1, False, "c")
    up = desk.rate(down.turns, 1, True, "c")
    (record,) = desk.feedback.records()
    assert down.ask_why == 0 and up.ask_why is None and "👍" in up.status
    assert (record.question, record.rating, record.answer) == ("总支出是多少？", Rating.UP, "2022年总支出623.97万元[1]。")
    assert record.citations[0]["quote"] == QUOTE
    assert feedback_values(up.turns) == ["Like"]

    gone = desk.rate(up.turns, 1, "", "c")  # the chosen thumb clicked again
    assert desk.feedback.records() == [] and feedback_values(gone.turns) == [None]
    assert "只能对助手的回答" in desk.rate(turns, 0, False, "c").status  # index 0 is the visitor's question


def test_after_a_thumbs_down_the_reason_and_comment_are_stored_on_that_vote(tmp_path):
    desk, _ = make_desk(tmp_path, total_answer(), not_found())
    turns = answered_turns(desk, "总支出是多少？", "局长是谁？")

    assert desk.explain(turns, 0, "数字不对", "", "c")[0] is False  # no 👎 yet
    assert "请先点击" in desk.explain(turns, 0, "数字不对", "", "c")[1]
    down = desk.rate(turns, 1, False, "c")
    assert desk.explain(down.turns, down.ask_why, "不喜欢", "", "c") == (False, "请选择一项：数字不对、出处不对、没回答问题、其他。")
    stored, status = desk.explain(down.turns, down.ask_why, "数字不对", "应为623.97万元", "c")
    assert stored and status.startswith("已记录：数字不对")
    desk.rate(down.turns, 3, True, "c")  # the other answer's vote is its own row

    records = {r.question: r for r in desk.feedback.records()}
    assert (records["总支出是多少？"].rating, records["总支出是多少？"].reason) == (Rating.DOWN, "数字不对")
    assert records["总支出是多少？"].comment == "应为623.97万元" and records["局长是谁？"].rating == Rating.UP
    assert "reason" in desk.feedback.export("csv").splitlines()[0]


def test_a_feedback_file_from_before_votes_gains_the_columns_and_keeps_its_rows(tmp_path):
    path = tmp_path / FEEDBACK_FILE
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, "
                   "rating TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, "
                   "comment TEXT NOT NULL DEFAULT '')")
        db.execute("INSERT INTO feedback (created_at, rating, question, answer, citations, comment) "
                   "VALUES ('2026-01-01T00:00:00+00:00', 'up', '旧问题', '旧回答', '[]', '好')")
    store = FeedbackStore(path)

    store.vote("v1", "新问题", "新回答", [], Rating.DOWN)

    assert [(r.question, r.rating, r.comment) for r in store.records()] == [
        ("旧问题", Rating.UP, "好"), ("新问题", Rating.DOWN, "")]


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
    chunk = SimpleNamespace(text="<script>alert(1)</script>", source="<b>x</b>.txt", start=0, end=25,
                            title="<i>t</i>")

    html = BubbleRenderer([chunk]).final(Answer(question="q", text="<script>[1]", citations=[hostile]), "t")

    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
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

    body = BubbleRenderer([CHUNK]).final(answer, "t").split("\n\n")[0]

    assert re.sub(r"<a [^>]*>(\[\d\])</a>", r"\1", body) == "主要问题：\n（一）研发投入实力不强[1]\n2、创新[2]\n- 其他[3]"


def test_a_follow_up_answer_says_how_it_was_understood():
    answer = Answer(question="那人员支出呢？", text="人员支出130.74万元[1]。", citations=[CITATION],
                    rewritten_question="2022年人员支出是多少？")

    html = BubbleRenderer([CHUNK]).final(answer, "t")

    assert '<p class="rq-for">按上文理解为：2022年人员支出是多少？</p>' in html


def test_a_restated_sentence_marks_no_figure_in_particular_and_a_malformed_figure_is_marked_whole():
    quote = "2022年总支出623.97万元，其中：基本支出174.63万元（人员支出130.74万元），项目支出449.34.34万元。"
    citation = Citation(n=1, source="r.txt", section="s", start=0, end=len(quote), quote=quote)
    whole = Answer(question="q", text=f"{quote[:-1]}[1]。", citations=[citation])
    largest = Answer(question="q", text="其中最多的是：项目支出449.34.34万元（原文数字如此，疑有笔误，按449.34比较）[1]。",
                     citations=[citation])

    assert 'class="rq-fig"' not in BubbleRenderer([]).final(whole, "t")
    assert '项目支出<mark class="rq-fig">449.34.34万元</mark>' in BubbleRenderer([]).final(largest, "t")


def test_with_several_reports_each_source_names_its_own_body_and_year():
    other_text = "2023年总支出888.88万元。"
    other = SimpleNamespace(text=other_text, source="s.txt", start=0, end=len(other_text), title="另一局绩效自评报告",
                            department="另一局", year=2023, section="一、概况", facts=[])
    cited = Citation(n=2, source="s.txt", section="一、概况", start=0, end=len(other_text), quote=other_text)
    answer = Answer(question="两个局的总支出各是多少？", text="2022年总支出623.97万元[1]。2023年总支出888.88万元[2]。",
                    citations=[CITATION, cited])

    html = BubbleRenderer([CHUNK, other]).final(answer, "t")

    first, second = html.split('<div class="rq-source"')[1:]
    assert "《某局绩效自评报告》 · 某局 · 2022 年度" in first and "另一局" not in first
    assert "《另一局绩效自评报告》 · 另一局 · 2023 年度" in second


def test_a_question_not_taken_is_said_plainly_without_the_abstentions_hint():
    reply = "申し訳ございませんが、この窓口では中国語と英語のご質問にのみお答えしています。\n本服务台仅回答中文和英文提问。"
    answer = Answer(question="2022年の総支出は？", text=reply, abstained=True, mode=Mode.REFUSED)

    bubble = BubbleRenderer([CHUNK], CONTACT).final(answer, "t")

    assert bubble.startswith("⚠️ 申し訳ございません") and "换个问法" not in bubble and "rq-cites" not in bubble


def test_an_abstention_links_a_few_full_reports_and_says_how_many_there_are():
    chunks = [SimpleNamespace(source=f"r{i:02d}.txt", title=f"报告{i:02d}", text="正文", start=0, end=2) for i in range(8)]
    html = BubbleRenderer(chunks).final(Answer(question="q", text="报告中未找到相关信息。", abstained=True), "t")

    assert html.count('class="rq-full"') == 5 and "《报告00》" in html and "《报告07》" not in html
    assert "共 8 份报告" in html
