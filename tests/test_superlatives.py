"""Which stated part is largest or smallest: the parts a report states of one figure (其中…), or the indicator rows
of one table on the asked column, compared by code. Each compared figure is cited, the answer states only figures
its citations hold, and a question no stated whole answers is abstained from."""

from __future__ import annotations

import re

import pytest

from assistant.verify import unsupported_numbers

NOT_FOUND = "报告中未找到相关信息"
SHEET = (
    "某中心2023年项目支出绩效自评报告\n"
    "一、项目概况\n本项目用于开展职业技能培训。\n"
    "二、绩效自评表\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因\n"
    "产出指标\t数量指标\t培训人数\t≥500人\t520人\t10\t10\t\n"
    "\t\t合格率\t≥95%\t92%\t10\t8\t部分学员缺考\n"
    "效益指标\t社会效益指标\t事故发生率\t≤1%\t0%\t20\t20\t\n"
    "满意度指标\t服务对象满意度指标\t学员满意度\t≥90%\t93%\t10\t9\t\n"
    "总分\t\t\t\t\t100\t87\t\n"
)
INCOME = (
    "某协会2023年部门整体支出绩效自评报告\n"
    "一、部门收支情况\n"
    "2023年收入合计900万元，其中：财政拨款收入600万元，事业收入210万元，其他收入90万元。\n"
    "二、工作成效\n全年组织培训12期，服务会员单位300家。\n"
)


def _grounded(answer, text: str) -> None:
    """Every quote is the source's own text and every figure stated is in a cited quote."""
    assert all(text[c.start:c.end] == c.quote for c in answer.citations)
    assert unsupported_numbers(answer.text, [c.quote for c in answer.citations]) == []


def _line(answer, lead: str) -> str:
    return next(line for line in answer.text.splitlines() if lead in line)


def _cited_in(answer, line: str) -> list[str]:
    return [answer.citations[int(n) - 1].quote for n in re.findall(r"\[(\d+)\]", line)]


# --- the bundled report: 总支出…，其中：基本支出…，项目支出449.34.34万元 ------------------------------------


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, report_path):
    from conftest import _fast_assistant

    assistant = _fast_assistant(tmp_path_factory.mktemp("superlatives") / "data")
    assistant.ingest([report_path], progress=False)
    return assistant


def _budget_parts(report_text: str) -> tuple[str, str]:
    """基本支出 and 项目支出 as the report writes them, read from its text rather than copied from an answer."""
    basic = re.search(r"基本支出(\d+\.\d+)万元（包含", report_text).group(1)
    project = re.search(r"项目支出(\d+\.\d+\.\d+)万元（其中", report_text).group(1)
    return basic, project


@pytest.mark.parametrize("question", ["哪项支出最多？", "科技局去年花钱最多的是哪一块？"])
def test_the_largest_stated_part_of_spending_is_named_and_each_part_cited(bundled, report_text, question):
    basic, project = _budget_parts(report_text)
    leading = re.match(r"\d+\.\d+", project).group(0)
    assert float(leading) > float(basic) and leading in report_text
    answer = bundled.ask(question)
    assert not answer.abstained
    _grounded(answer, report_text)
    named = _line(answer, "最多的是")
    assert "项目支出" in named and "基本支出" not in named
    assert f"项目支出{project}万元" in _cited_in(answer, named)  # the malformed figure, cited as written
    assert leading in named and f"{leading}万元" not in answer.text  # read as 449.34, never restated as 449.34万元
    assert f"基本支出{basic}万元" in _cited_in(answer, _line(answer, "其余为"))  # the other part compared, cited too
    assert not any(p in answer.text for p in ("623.97万元中", "相差", "合计为"))


def test_the_smallest_stated_part_is_named_without_any_computed_figure(bundled, report_text):
    basic, project = _budget_parts(report_text)
    answer = bundled.ask("哪项支出最少？")
    _grounded(answer, report_text)
    named = _line(answer, "最少的是")
    assert f"基本支出{basic}万元" in named and "项目支出" not in named
    stated = {q for q in re.findall(r"\d+(?:\.\d+)?", report_text)}
    assert set(re.findall(r"\d+(?:\.\d+)?", re.sub(r"\[\d+\]", "", answer.text))) <= stated


def test_the_parts_of_a_part_are_compared_when_the_question_names_that_part(bundled, report_text):
    answer = bundled.ask("基本支出里哪项最多？")
    _grounded(answer, report_text)
    named = _line(answer, "最多的是")
    staff = re.search(r"人员支出(\d+\.\d+)万元", report_text).group(1)
    assert f"人员支出{staff}万元" in named and "项目支出" not in named


def test_a_score_question_is_abstained_from_when_the_report_has_no_scoring_table(bundled):
    answer = bundled.ask("哪个指标得分最低？")
    assert answer.abstained and NOT_FOUND in answer.text and answer.citations == []


# --- small reports built here ---------------------------------------------------------------------------------


@pytest.fixture
def ask_in(fast_assistant, tmp_path):
    def ingest(text: str):
        path = tmp_path / "report.txt"
        path.write_text(text, encoding="utf-8")
        fast_assistant.ingest([path], progress=False)
        return fast_assistant.ask

    return ingest


def test_the_lowest_scoring_indicator_is_named_from_the_table_and_every_row_compared_is_cited(ask_in):
    answer = ask_in(SHEET)("哪个指标得分最低？")
    assert not answer.abstained
    _grounded(answer, SHEET)
    named = answer.text.splitlines()[0]
    assert "合格率" in named and "得分 8" in named and "培训人数" not in named
    rows = {c.quote.split("\t")[0] for c in answer.citations}
    assert rows == {"培训人数", "合格率", "事故发生率", "学员满意度"}  # every indicator row, never the 总分 row
    assert all(c.quote.endswith(q) for c, q in zip(answer.citations, ("8", "9", "10", "20")))


def test_the_highest_scoring_indicator_and_an_english_ask_are_answered_from_the_same_rows(ask_in):
    ask = ask_in(SHEET)
    highest = ask("得分最高的指标是哪个？")
    _grounded(highest, SHEET)
    assert "事故发生率（得分 20）" in highest.text.splitlines()[0]
    english = ask("Which indicator had the lowest score?")
    _grounded(english, SHEET)
    assert "合格率（得分 8）" in english.text.splitlines()[0]


def test_the_largest_stated_part_of_another_kind_of_whole_is_named(ask_in):
    answer = ask_in(INCOME)("哪项收入最多？")
    _grounded(answer, INCOME)
    named = _line(answer, "最多的是")
    assert "财政拨款收入600万元" in named
    assert {"事业收入210万元", "其他收入90万元"} <= set(_cited_in(answer, _line(answer, "其余为")))


def test_no_stated_whole_of_what_is_asked_means_an_abstention(ask_in):
    ask = ask_in(INCOME)
    for question in ("哪个指标得分最低？", "哪项支出最多？"):
        answer = ask(question)
        assert answer.abstained and answer.citations == [], question
