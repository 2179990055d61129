"""Answers on the bundled report: figures, follow-ups, lists, English, abstentions, refusals and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.verify import unsupported_numbers
from ingest.chunker import SECTION_SEP

NOT_FOUND = "报告中未找到相关信息"
BUDGET = "一、部门概况" + SECTION_SEP + "（五）当年部门预算及执行情况"
TASKS_DONE = "二、部门整体支出绩效实现情况" + SECTION_SEP + "（一）履职完成情况"
PART_THREE = "三、部门整体支出绩效中存在问题及改进措施"
PROBLEMS = PART_THREE + SECTION_SEP + "（一）主要问题及原因分析"
MEASURES = PART_THREE + SECTION_SEP + "（二）改进的方向及具体措施"
TOTAL_QUESTION = "2022年科技局总支出是多少？"
CLI_KEYS = {"question", "answer", "abstained", "citations", "mode", "latency_ms"}
CITATION_KEYS = {"n", "source", "section", "start", "end", "quote", "page"}  # page: 0 unless a PDF


@pytest.fixture
def ask(session_assistant, assert_grounded):
    """Ask the session assistant; every answer must be grounded in its citations."""

    def _ask(question, history=None, filters=None):
        answer = session_assistant.ask(question, history=history, filters=filters)
        assert_grounded(answer)
        return answer

    return _ask


def _cites(answer, needle: str, section: str | None = None) -> bool:
    return any(needle in c.quote and (section is None or c.section == section) for c in answer.citations)


# --- budget figures -------------------------------------------------------------------------------


def test_total_expenditure_question_answers_623_97_and_cites_the_budget_sentence(ask):
    answer = ask(TOTAL_QUESTION)
    assert not answer.abstained
    assert answer.mode.value == "extractive"
    assert "623.97" in answer.text
    assert _cites(answer, "总支出623.97万元", BUDGET)


def test_follow_up_question_reuses_subject_from_history(ask):
    first = ask(TOTAL_QUESTION)
    history = [{"role": "user", "content": TOTAL_QUESTION}, {"role": "assistant", "content": first.text}]
    answer = ask("那人员支出呢？", history=history)
    assert "130.74" in answer.text
    assert "623.97" not in answer.text
    assert "人员支出" in answer.rewritten_question
    assert _cites(answer, "人员支出130.74万元", BUDGET)


def test_follow_up_without_history_is_not_rewritten(ask):
    answer = ask("那人员支出呢？")
    assert answer.rewritten_question == ""
    assert "130.74" in answer.text


@pytest.mark.parametrize("question, figure, clause", [
    ("基本支出是多少？", "174.63", "基本支出174.63万元"),
    ("公用经费是多少？", "43.89", "公用经费43.89万元"),
    ("2022年人员支出是多少？", "130.74", "人员支出130.74万元"),
    ("年初部门预算资金总额是多少？", "232.7", "预算资金总额232.7万元"),
])
def test_budget_line_questions_answer_their_own_figure(ask, question, figure, clause):
    answer = ask(question)
    assert figure in answer.text
    assert _cites(answer, clause, BUDGET)


def test_follow_up_for_operating_costs_after_basic_expenditure(ask):
    history = [{"role": "user", "content": "基本支出是多少？"}, {"role": "assistant", "content": "基本支出174.63万元[1]。"}]
    answer = ask("那公用经费呢？", history=history)
    assert "43.89" in answer.text
    assert "174.63" not in answer.text


def test_second_follow_up_in_a_row_still_asks_for_its_own_figure(ask):
    history = [{"role": "user", "content": TOTAL_QUESTION}, {"role": "assistant", "content": "2022年总支出623.97万元[1]。"},
               {"role": "user", "content": "那人员支出呢？"}, {"role": "assistant", "content": "人员支出130.74万元[1]。"}]
    answer = ask("那公用经费呢？", history=history)
    assert "43.89" in answer.text
    assert "130.74" not in answer.text and "174.63" not in answer.text


def test_loan_amount_question_gives_the_loans_total_not_the_interest_subsidy(ask):
    answer = ask("科贷通贷款金额是多少？")
    assert "500万元" in answer.text
    assert "贴息" not in answer.text


def test_english_question_gets_the_figure_quoting_the_chinese_source(ask):
    answer = ask("What was the total expenditure in 2022?")
    assert "623.97" in answer.text
    assert _cites(answer, "总支出623.97万元", BUDGET)


# --- lists ----------------------------------------------------------------------------------------


def test_achievements_question_lists_the_tasks_completed(ask):
    answer = ask("取得了哪些成绩？")
    for task in ("全面落实建设创新江西工作任务", "实施科技型企业培育强攻行动", "积极申报省市科技计划项目",
                 "实现赋能创新", "实施全社会研发投入强攻行动"):
        assert task in answer.text
    assert answer.citations
    assert all(c.section.startswith(TASKS_DONE + SECTION_SEP) for c in answer.citations)


def test_problems_question_lists_the_three_problems_and_no_measures(ask):
    answer = ask("存在什么问题？")
    for problem in ("研发投入实力不强", "创新主体建设不优", "创新主体意识不浓"):
        assert problem in answer.text
    assert "完善科技创新管理机制" not in answer.text
    assert {c.section for c in answer.citations} == {PROBLEMS + SECTION_SEP + p for p in
                                                      ("（一）研发投入实力不强", "（二）创新主体建设不优", "（三）创新主体意识不浓")}


def test_improvement_question_lists_the_four_measures(ask):
    answer = ask("下一步怎么改进？")
    for measure in ("完善科技创新管理机制", "加强科技平台（载体）创建", "引导科技计划项目实施", "强化科技人才队伍建设"):
        assert measure in answer.text
    assert "研发投入实力不强" not in answer.text
    assert answer.citations and all(c.section.startswith(MEASURES + SECTION_SEP) for c in answer.citations)


def test_high_tech_enterprise_question_names_both_companies(ask):
    answer = ask("哪两家企业被认定为高新技术企业？")
    assert "新恒机械" in answer.text and "捷豹药械" in answer.text
    assert _cites(answer, "（新恒机械、捷豹药械）被认定")


def test_internal_units_question_names_both_offices(ask):
    answer = ask("科技局有哪些内设机构？")
    assert "办公室（政务服务股）" in answer.text and "综合业务股（引智股）" in answer.text
    assert _cites(answer, "科技局内设机构2个")


def test_count_of_internal_units_is_two(ask):
    answer = ask("科技局有几个内设机构？")
    assert "内设机构2个" in answer.text


# --- abstention -----------------------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "2023年预算是多少",
    "局长是谁",
    "教育局的支出",
    "差旅费",
    "GDP",
    "2023年预算是多少？",
    "局长是谁？",
    "教育局的支出是多少？",
    "差旅费是多少？",
    "GDP是多少？",
    "庐山市的GDP是多少？",
])
def test_question_the_report_cannot_answer_abstains_without_citations(ask, question):
    answer = ask(question)
    assert answer.abstained
    assert answer.citations == []
    assert NOT_FOUND in answer.text


# --- refused questions ----------------------------------------------------------------------------


@pytest.mark.parametrize("question, message", [
    ("", "不能为空"),
    ("   \t\u3000\n", "不能为空"),
    ("\x00\x01\x02", "不能为空"),
    ("总支出是多少" * 84, "问题过长"),  # 504 characters
])
def test_empty_or_overlong_question_is_refused_with_a_clear_message(session_assistant, question, message):
    answer = session_assistant.ask(question)
    assert answer.mode.value == "refused"
    assert message in answer.text
    assert answer.citations == []


def test_question_of_exactly_the_length_limit_is_answered(ask, session_assistant):
    question = (TOTAL_QUESTION * 40)[:session_assistant.settings.max_question_chars]
    answer = ask(question)
    assert answer.mode.value != "refused"


# --- several reports in one store -----------------------------------------------------------------


def test_question_naming_the_bureau_is_not_answered_from_another_departments_report(fast_assistant, tmp_path,
                                                                                    report_path):
    other = tmp_path / "jyj-2022.txt"
    other.write_text("部门整体支出绩效自评报告\n庐山市教育局\n一、部门概况\n2022年总支出888.88万元。\n", encoding="utf-8")
    fast_assistant.ingest([report_path, other], progress=False)
    answer = fast_assistant.ask(TOTAL_QUESTION)
    assert "623.97" in answer.text
    assert "888.88" not in answer.text


# --- the command line -----------------------------------------------------------------------------


def _cli_ask(data_dir, env, *args):
    return subprocess.run([sys.executable, "-m", "report_qa", "--data-dir", str(data_dir), "ask", "--json", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def _check_cli_object(obj, report_text):
    assert set(obj) == CLI_KEYS
    assert isinstance(obj["abstained"], bool) and isinstance(obj["latency_ms"], (int, float))
    for citation in obj["citations"]:
        assert set(citation) == CITATION_KEYS
        assert citation["quote"] == report_text[citation["start"]:citation["end"]]
    assert unsupported_numbers(obj["answer"], [c["quote"] for c in obj["citations"]]) == []


def test_cli_ask_json_prints_exactly_one_object(session_data_dir, subprocess_env, report_text):
    done = _cli_ask(session_data_dir, subprocess_env, TOTAL_QUESTION)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    _check_cli_object(obj, report_text)
    assert obj["question"] == TOTAL_QUESTION
    assert "623.97" in obj["answer"] and obj["abstained"] is False and obj["mode"] == "extractive"
    assert any("总支出623.97万元" in c["quote"] and c["section"] == BUDGET for c in obj["citations"])


def test_cli_ask_batch_prints_one_object_per_question_in_order(session_data_dir, subprocess_env, tmp_path,
                                                               report_text):
    questions = [TOTAL_QUESTION, "局长是谁？", "公用经费是多少？"]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join([questions[0], "", questions[1], "   ", questions[2]]) + "\n", encoding="utf-8")
    done = _cli_ask(session_data_dir, subprocess_env, "--batch", str(batch))
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.strip().splitlines()]
    assert [o["question"] for o in objects] == questions
    for obj in objects:
        _check_cli_object(obj, report_text)
    assert "623.97" in objects[0]["answer"]
    assert objects[1]["abstained"] is True and objects[1]["citations"] == []
    assert "43.89" in objects[2]["answer"]


def test_follow_up_naming_an_item_of_the_previous_list_answers_that_item(ask):
    first = ask("存在哪些问题？")
    history = [{"role": "user", "content": "存在哪些问题？"}, {"role": "assistant", "content": first.text}]
    answer = ask("第二条具体是怎么说的？", history=history)
    assert not answer.abstained
    # 三（一）（二）创新主体建设不优 goes on: …整体实力仍然偏弱、层次偏低…瞪羚企业零突破
    assert "层次偏低" in answer.text
    assert _cites(answer, "创新主体建设不优", PROBLEMS + SECTION_SEP + "（二）创新主体建设不优")


def test_list_question_answered_by_a_paragraph_gets_the_whole_paragraph(ask):
    answer = ask("列一下科技局的主要职责。")
    # 一（一）1、部门主要职责: the duties run over several sentences of one paragraph.
    for duty in ("组织实施国家、省、九江市下达的科技计划", "负责科技统计", "组织实施科技人才计划"):
        assert duty in answer.text
