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
