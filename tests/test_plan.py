"""The typed answer step: a question is planned once into a `QueryPlan`, and answered by the answerer its kind picks
from the registry. Asked of the bundled report."""

from __future__ import annotations

import pytest

from assistant.answerers import ANSWERERS
from assistant.plan import AnswerKind, Planner


def test_every_kind_has_an_answerer():
    assert set(ANSWERERS) == set(AnswerKind)


@pytest.mark.parametrize(("question", "kind"), [
    ("基本支出是多少？", AnswerKind.SINGLE),
    ("基本支出和项目支出分别是多少？", AnswerKind.PARTS),
    ("基本支出和项目支出哪个多？", AnswerKind.COMPARE),
    ("项目支出是多少？资金主要用在了哪些方面？", AnswerKind.SEVERAL),
    ("1999年的项目支出是多少？", AnswerKind.ABSTAIN),
])
def test_questions_are_planned_by_kind(session_assistant, question, kind):
    plan = session_assistant.planner.plan(question, question)
    assert plan.kind is kind


def test_parts_and_comparisons_carry_their_subjects(session_assistant):
    planner = session_assistant.planner
    parts = planner.plan("基本支出和项目支出分别是多少？", "基本支出和项目支出分别是多少？")
    assert [("基本支出" in p.ask.norm, "项目支出" in p.ask.norm) for p in parts.parts] == [(True, False), (False, True)]
    compared = planner.plan("基本支出和项目支出哪个多？", "基本支出和项目支出哪个多？")
    assert compared.compared == ["基本支出", "项目支出"] and len(compared.parts) == 2
    several = planner.plan("项目支出是多少？资金主要用在了哪些方面？", "项目支出是多少？资金主要用在了哪些方面？")
    assert len(several.asks) == 2 and all(several.asks)  # each ask has a reading the report's words allow


def test_out_of_scope_plans_say_why(session_assistant):
    plan = session_assistant.planner.plan("1999年的项目支出是多少？", "1999年的项目支出是多少？")
    assert plan.reason.startswith("year")


def test_a_multi_part_question_is_planned_once_and_each_part_retrieved_once(session_assistant, monkeypatch):
    plans, searches = [], []
    original_plan, original_search = Planner.plan, type(session_assistant).search

    def counting_plan(self, *args, **kwargs):
        plans.append(args)
        return original_plan(self, *args, **kwargs)

    def counting_search(self, q, scope, k=None):
        searches.append(q.text)
        return original_search(self, q, scope, k)

    monkeypatch.setattr(Planner, "plan", counting_plan)
    monkeypatch.setattr(type(session_assistant), "search", counting_search)
    answer = session_assistant.ask("基本支出和项目支出分别是多少？")
    assert len(plans) == 1
    assert len(searches) == 3  # the whole question once, then each part once
    assert "174.63" in answer.text and not answer.abstained


def test_a_figure_of_a_thing_the_report_never_names_is_planned_as_an_abstention(session_assistant):
    # 培训 is a thing (a noun) the bundled report never names: a figure of something else would be a wrong number.
    plan = session_assistant.planner.plan("科技局2022年花在教师培训上的钱是多少？", "科技局2022年花在教师培训上的钱是多少？")
    assert plan.kind is AnswerKind.ABSTAIN and plan.reason.startswith("unknown item"), plan.reason
    # How it is asked is no thing: 参与 (a verb), 老同志 (a colloquial frame), 公务员 (mapped to 行政编制).
    for question in ("科技特派员下乡，有多少名特派员参与？", "科技局退休的老同志有多少？", "科技局有几个公务员编制？"):
        assert not session_assistant.planner.plan(question, question).reason.startswith("unknown item"), question


@pytest.mark.parametrize(("question", "slot"), [
    ("展厅具体在哪儿？", "place"),
    ("这份绩效自评结果准备在哪儿公开？", ""),  # a channel, not a place
    ("小学教育的钱主要拿来干什么了？", "purpose"),
    ("设立依据的通知文号是多少？", "docno"),
])
def test_what_kind_of_thing_a_question_asks_for(question, slot):
    from assistant.slots import asked_slot
    assert asked_slot(question) == slot


@pytest.mark.parametrize(("previous", "question", "standalone"), [
    # 它 after a subject of its own is the body asked about before; at the start, the previous subject.
    ("衡阳市公安局的职责里有没有管计算机信息系统安全的?", "那集会游行这类活动它管不管?", "衡阳市公安局集会游行这类活动它管不管?"),
    ("项目支出是多少？", "它包括哪几块？", "项目支出包括哪几块？"),
    ("霍邱县教育局2022年学前教育支出多少?", "那它的预算完成率是多少?", "霍邱县教育局2022年学前教育的预算完成率是多少?"),
    # 跟上一年比… says more of the previous subject.
    ("寻甸县文化和旅游局2022年公务用车运行维护费花了多少钱?", "那跟上一年比减少了多少?",
     "寻甸县文化和旅游局2022年公务用车运行维护费跟上一年比减少了多少?"),
    # 那个 before a named thing points back to it; 那个 alone is the previous subject.
    ("秀英区水务局那个蔬菜园项目里是不是还新建了水塔?", "那个水塔能装多少吨水?", "秀英区水务局水塔能装多少吨水?"),
    ("秀英区水务局2022年衔接资金是多少?", "那个呢?", "秀英区水务局2022年衔接资金呢?"),
])
def test_follow_ups_are_made_standalone(previous, question, standalone):
    from assistant.rewrite import rewrite
    assert rewrite(question, [{"role": "user", "content": previous}, {"role": "assistant", "content": "…"}]) == standalone
