"""Labelled fields (assistant/fields.py): which question asks for which field, and the value quoted from small
texts made here."""

from __future__ import annotations

import re

import pytest

from assistant.fields import answer_field, asked_field, field_specs
from ingest.models import Chunk
from vectorstore.tokenize import normalise


def _chunks(*texts: str, year: int | None = 2021, source: str = "a.txt") -> list[Chunk]:
    out, start = [], 0
    for i, text in enumerate(texts):
        out.append(Chunk(id=f"{source}-{i}", text=text, source=source, start=start, end=start + len(text),
                         section="", kind="title" if i == 0 else "body", year=year))
        start += len(text) + 1
    return out


def _spec(name: str):
    return next(s for s in field_specs() if s.name == name)


@pytest.mark.parametrize(("question", "field"), [
    ("这份自评是什么时候做的？", "evaluated_at"),
    ("When did the bureau carry out its self-evaluation?", "evaluated_at"),
    ("填表日期是哪天？", "filled_at"),
    ("联系电话是多少", "phone"),
    ("How can I reach them, what is the telephone number?", "phone"),
    ("这个项目的主管部门是哪个？", "supervisor"),
    ("这是哪一年的报告？", "report_year"),
    ("Which year does the report cover?", "report_year"),
])
def test_a_question_asks_for_its_field(question, field):
    spec = asked_field(normalise(question))
    assert spec is not None and spec.name == field


@pytest.mark.parametrize("question", ["中心是什么时候成立的？", "2022年一共花了多少钱？", "What year was the center set up?",
                                      "哪一年支出最多？", "项目什么时候完工？"])
def test_other_questions_ask_for_no_field(question):
    assert asked_field(normalise(question)) is None


def test_the_value_is_quoted_with_its_label():
    chunks = _chunks("2020年度部门整体支出绩效自评报告", "自评单位:某市某某局\n自评时间:2021年12月\n一、部门概况")
    draft = answer_field(_spec("evaluated_at"), chunks)
    assert draft.text == "自评时间:2021年12月[1]。"
    assert draft.spans[0].quote == "自评时间:2021年12月"
    assert answer_field(_spec("evaluator"), chunks).spans[0].quote == "自评单位:某市某某局"


def test_a_label_without_a_value_of_its_shape_is_no_answer():
    chunks = _chunks("某表", "联系电话 见附件 填报日期: 待定")
    assert answer_field(_spec("phone"), chunks) is None
    assert answer_field(_spec("filled_at"), chunks) is None


def test_a_telephone_is_quoted_whole():
    chunks = _chunks("申报表", "填报人 某某 联系电话 0722-6233407 当年金额 108292.73")
    assert answer_field(_spec("phone"), chunks).spans[0].quote == "联系电话 0722-6233407"


def test_the_year_is_the_title_lines_and_a_figure_is_never_cut():
    chunks = _chunks("附件3-2", "2023部门整体支出绩效评价报告", year=2023)
    assert answer_field(_spec("report_year"), chunks).spans[0].quote == "2023部门整体支出绩效评价报告"
    # no title line with the year: a long clause with it is no title, and no clause is cut mid-figure
    long = _chunks("某局", "2023年学校共收到财政资金57511795.36元。其中,收到2022年底结转2023年的自有资金759897.87元,"
                         "2023年当期发生支出56916443.49元", year=2023)
    draft = answer_field(_spec("report_year"), long)
    clauses = set(re.split(r"[。,]", long[1].text))
    assert draft is not None and all(span.quote in clauses for span in draft.spans), draft.spans


def test_a_report_without_a_year_gives_none():
    assert answer_field(_spec("report_year"), _chunks("部门整体支出绩效自评报告", "某局", year=None)) is None


def test_each_report_in_scope_gives_its_own_field():
    chunks = _chunks("表", "联系电话 07226233407", source="a.txt") + _chunks("表", "联系电话:0716-8888888", source="b.txt")
    draft = answer_field(_spec("phone"), chunks)
    assert [s.chunk.source for s in draft.spans] == ["a.txt", "b.txt"]
