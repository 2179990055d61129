"""A form flattened into one line of cells, a resident who says who they are before asking, and figures of one
label in two places, on real openings (evals/real/reports). Each expected string was checked against the report."""

from __future__ import annotations

import pytest

from assistant.persona import without_persona
from ingest.chunker import chunk_document
from ingest.models import SourceDocument
from ingest.tables import is_cell_run


@pytest.mark.parametrize(("question", "expected"), [
    # r07 is a form: its cells run on one line, a label cell before its number cells, under 单位:万元.
    ("广水教育局2023年项目支出是多少？", "项目支出 29441.59（单位：万元）"),
    ("广水市教育局2023年申报的资金总共是多少?", "合计 122641.5（单位：万元）"),  # a bare 合计 row is the total
    ("广水教育局那里头项目支出是多少?占几成?", "项目支出 29441.59 24.01%"),  # the share after the amount
    ("2023年基本支出多少钱,占多大比例?", "基本支出 93199.91 75.99%"),
])
def test_a_forms_figure_is_said_with_its_own_cells(ask_in, question, expected):
    answer = ask_in("r07", question)
    assert expected in answer.text, answer.text
    # Never the run of cells around it: the form's filing date, telephone and the name of whoever filled it in.
    assert "填报" not in answer.text and "联系电话" not in answer.text, answer.text


def test_a_forms_cell_with_no_number_beside_it_is_not_answered(ask_in):
    # 其他资金's number cell was scrambled away from it by the PDF: no cell run is quoted in its place.
    assert ask_in("r07", "广水教育局2023年其他资金有多少？").abstained
    # Nor is the run of cells quoted as a sentence for a question the cut opening does not answer.
    assert ask_in("r07", "这份申报表里设定的产出指标和效益指标具体有哪些？").abstained


def test_a_cell_run_is_told_from_prose_with_spaces():
    assert is_cell_run("基本支出 93199.91 75.99% 81781 99611.05 项目支出 29441.59 24.01%")
    assert not is_cell_run("项目资金共2179万元,截止2022 年 12 月 8 日,已完成拨付2113.63万元")


def test_a_long_line_before_the_first_heading_is_body_not_title():
    # A form flattened into one line before any heading answers questions: it is not the report's title.
    prose = "负责全市社会力量办学的申报、审批、管理工作。" * 4
    doc = SourceDocument(source="t.txt", text=f"某局2023年整体绩效目标申报\n{prose}\n一、概况\n正文。", sha256="0")
    kinds = {c.text[:6]: c.kind for c in chunk_document(doc)}
    assert kinds["某局2023"] == "title" and kinds[prose[:6]] == "body", kinds


@pytest.mark.parametrize(("question", "expected"), [
    ("我是小学生,作业要查一下:西秀镇龙头村新建的水塔能装多少吨水?", "西秀镇龙头村新建的水塔能装多少吨水?"),
    ("我是退休的老人,想问问这批路修好后能让多少人出门方便?", "这批路修好后能让多少人出门方便?"),
    ("我局2022年预算是多少?", "我局2022年预算是多少?"),  # a staff member's own body is what is asked about
    ("我是小学生", "我是小学生"),  # nothing else to ask: kept
])
def test_who_asks_is_no_subject(question, expected):
    assert without_persona(question) == expected


@pytest.mark.parametrize(("rid", "question", "expected"), [
    ("r01", "我是小学生,作业要查一下:西秀镇龙头村新建的水塔能装多少吨水?", "100吨"),
    ("r03", "大足区林业局到2020年底,机关里实际上班的有多少人?", "41人"),  # 上班 is 在职
    ("r12", "寻甸文旅局去年招待客人一共花了多少钱?", "3,080元"),  # 招待客人 is 公务接待
    ("r05", "小林镇去年的税收比前一年涨了百分之几?", "14.5%"),  # 小林镇 is whose report, not what about
    ("r10", "霍邱县教育局的自评项目分成了几个方面？", "七个方面"),  # not 自评项目35个: a count of projects
    ("r04", "What was the spending rate of the Xiping County Transportation Bureau's rural revitalization funds?",
     "执行率97%"),
])
def test_how_residents_ask_is_answered(ask_in, rid, question, expected):
    answer = ask_in(rid, question)
    assert expected in answer.text, answer.text


def test_posts_are_not_staff_at_work(ask_in):
    # The centre states its posts (编制), never how many actually work there.
    assert ask_in("r11", "How many people were actually employed at the Kaiyuan Big Data Research Center at the end "
                         "of 2020?").abstained
    assert "12名" in ask_in("r11", "开远市大数据研究中心编制多少人？").text


def test_one_label_in_two_sections_is_said_with_each_section(ask_in):
    # 收入总计 is 1,867.48万元 of the general budget and 0万元 of the government funds: both, each with its section.
    answer = ask_in("r05", "小林镇加上各种补助和结转后，收入总计是多少？")
    assert "（一般公共预算收支情况）收入总计1,867.48万元" in answer.text, answer.text
    assert "（政府性基金预算收支情况）收入总计0万元" in answer.text, answer.text


@pytest.mark.parametrize(("rid", "question", "history", "expected"), [
    # 占整体支出的比例 after 项目支出是多少: the share of what the question before asked about.
    ("r07", "那占整体支出的比例呢？", ["广水市教育局2023年项目支出是多少？"], "24.01%"),
    # 等28个展区: an English count of a listed whole is of the whole, not of one member that shares a word.
    ("r09", "How many exhibition zones is the Honghe data exhibition hall divided into?", None, "28个展区"),
    # The sum's sentence goes on to the total it is part of (收入总计1,867.48万元): that total is asked for here.
    ("r05", "What was Xiaolin Town's total general public budget revenue in 2022 once transfers and carry-overs are "
            "included?", None, "收入总计1,867.48万元"),
])
def test_what_is_asked_of_the_thing_before(ask_in, rid, question, history, expected):
    answer = ask_in(rid, question, history)
    assert expected in answer.text, answer.text


def test_one_member_of_a_sum_is_not_answered_by_the_total_after_it(ask_in):
    # 专项转移支付补助 is one of five parts of 1,756.37万元; 收入总计1,867.48万元 after it names no transfer either.
    assert ask_in("r05", "2022年小林镇收到的上级转移支付一共是多少?").abstained


@pytest.mark.parametrize(("rid", "question", "expected", "not_expected"), [
    # 以及174台拼接屏、30台主机工作站: what a count counts is written after its counter; 拼接屏、 before 30台 is the item
    # before it, not what 30台 counts.
    ("r09", "数说红河展厅里拼接屏有多少台?", "174台拼接屏", "30台"),
    ("r09", "数说红河展厅里主机工作站有几台?", "30台主机工作站", "174台"),
    ("r09", "How many spliced display screens and host workstations are installed in the hall?", "174台拼接屏",
     "28个展区"),
    # 比上一年少了多少 is answered by the change the report states, a percentage, not by this year's level.
    ("r05", "小林镇2022年一般公共预算支出比上一年少了多少?", "降低30.2%", "支出1,867.48万元"),
    ("r12", "By how much, in percent, did the Xundian culture and tourism bureau cut its 'three public expenses' "
            "compared with the year before?", "下降42.13%", "占0%"),
    # 按哪个文件设立的 asks for the documents: the clause that cites them, not only 设立市公安局.
    ("r02", "衡阳市公安局当初是按哪个文件设立的?", "衡委[2010]4号", None),
])
def test_what_is_counted_changed_or_cited_is_the_answer(ask_in, rid, question, expected, not_expected):
    answer = ask_in(rid, question)
    assert expected in answer.text, answer.text
    assert not_expected is None or not_expected not in answer.text, answer.text


def test_a_count_named_only_after_it_is_labelled_up_to_the_next_figure():
    from ingest.facts import extract_facts

    text = "能有效解决某县15个乡镇(街道办事处)33个行政村26113户97401人出行难问题"
    labels = {f.value: f.label for f in extract_facts(text, 0, len(text))}
    assert labels["33"] == "行政村"  # not 行政村26113户97401人…, which a label's digits would void
