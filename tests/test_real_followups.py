"""Who 他们 is in a follow-up, where money came from, a label asked without its 数, a year written before its word,
a clause that only says where to look, and what a question sets aside, on real openings (evals/real/reports). Each
expected string was checked against the report's text."""

from __future__ import annotations

import pytest

from assistant.persona import without_besides, without_persona
from assistant.rewrite import rewrite


def _after(previous: str) -> list[dict]:
    return [{"role": "user", "content": previous}, {"role": "assistant", "content": "…"}]


@pytest.mark.parametrize(("previous", "question", "standalone"), [
    # 他们 is the body the question before named, not what it asked of that body
    ("衡阳市公安局要管哪些危险物品？", "那他们在计算机方面管什么？", "衡阳市公安局在计算机方面管什么？"),
    ("开远市大数据研究中心的管理人员编制有几名？", "那他们的前身是哪个单位？", "开远市大数据研究中心的前身是哪个单位？"),
    # 他们 picks out the things listed before (分别): not the body
    ("科技局有哪些下属单位？", "那他们分别有多少人？", "科技局分别有多少人？"),
    # 它的 and a thing of its own: the thing is the subject; 它的完成率 is the previous subject's
    ("某区水务局2022年建的那个灌溉项目，水塔是什么规格的？", "那它的潜水泵配了几台？", "某区水务局2022年潜水泵配了几台？"),
    ("科技局2022年的项目支出是多少？", "那它的完成率是多少？", "科技局2022年的项目支出的完成率是多少？"),
])
def test_they_in_a_follow_up_is_the_body_asked_about(previous, question, standalone):
    assert rewrite(question, _after(previous)) == standalone


@pytest.mark.parametrize(("rid", "question", "history", "expected", "not_expected"), [
    ("r02", "那他们在计算机方面管什么？", "衡阳市公安局要管哪些危险物品？", "计算机信息系统的安全保护", "枪支弹药"),
    ("r11", "那他们的前身是哪个单位？", "开远市大数据研究中心的管理人员编制有几名？", "网络管理中心", "管理人员编制4名"),
    # 核定编制多少 asks for 核定编制数, not for the count of units the clause starts with
    ("r06", "那这些事业单位核定编制多少，在职多少人？", "内蒙古人社厅下面有多少个事业单位？", "核定编制数320人", "事业单位15个"),
])
def test_a_follow_up_answers_what_it_asks(ask_in, rid, question, history, expected, not_expected):
    answer = ask_in(rid, question, history=_after(history))
    assert expected in answer.text and not_expected not in answer.text, answer.text


@pytest.mark.parametrize(("rid", "question", "expected", "not_expected"), [
    # a source is asked: the sentence that says what the balance is, not the one with the most words in common
    ("r08", "昆明呈贡中学年底结余的那笔钱是什么来源？", "城乡义务教育补助经费", "759897.87"),
    ("r08", "呈贡中学年底剩下的那笔钱是什么来源的?", "城乡义务教育补助经费", "759897.87"),
    # 2023年收入: the year's 年, then 收入 (not 年收入, a word the report never uses)
    ("r07", "广水教育局2023年收入一共报了多少？", "122641.5", "填报"),
    ("r12", "寻甸文旅局2022年有没有新买公车？", "购置车辆0辆", "厉行节约"),  # 买 is 购置
    ("r11", "开远市大数据研究中心的前身是哪个单位？", "网络管理中心", "编制"),  # 在原…的基础上组建
    # year on year: 比上年, as these reports write it
    ("r05", "By what percentage did Xiaolin Town's own general public budget revenue grow year on year in 2022?",
     "比上年增长9.0%", "报告中未找到"),
    # the report's own year is not asked: the clause before the comma only says where to look
    ("r09", "According to the Honghe Data Development Center's report, by what year must local governments complete "
            "their digital foundation?", "2025年完成数字底座建设", "自评报告"),
    ("r10", "Into how many areas did the Huoqiu County Education Bureau group its project expenditure "
            "self-evaluations for 2022?", "分为七个方面", "报告中未找到"),
    # what the question sets aside is not the answer
    ("r03", "Besides afforestation, what type of land degradation control does the Dazu District Forestry Bureau "
            "organize and supervise?", "石漠化治理", "造林绿化"),
    ("r02", "Besides maintaining public order, what must the Hengyang Public Security Bureau do about behaviour that "
            "endangers it?", "制止危害社会治安秩序的行为", "报告中未找到"),
    # 算不算市政府: a yes-no frame, and 不算市 no place; 市政府 is 市人民政府
    ("r02", "衡阳市公安局算不算市政府的工作部门?", "为市人民政府工作部门", "报告中未找到"),
    # 重庆市 is the place the body's own district is in: the report writes 重庆市大足区
    ("r03", "重庆市大足区林业局区种苗站有多少在职人员?", "区种苗站在职11人", "报告中未找到"),
    # the school, in a school's report, is whose report: 支出 is what is asked, not 学校共收到
    ("r08", "How much did the school actually spend in 2023?", "56916443.49元", "57511795.36"),
    # each part's share, under the section of the whole the question names
    ("r12", "寻甸县文旅局三公经费里,公车费用和接待费各占多少比例?", "88.19%", "报告中未找到"),
    ("r12", "寻甸县文旅局三公经费里,公车费用和接待费各占多少比例?", "11.81%", "报告中未找到"),
    # 一共用了: 共用 is the tokenizer's cut across 一共 and 用了, no thing the report never names
    ("r08", "云大附中呈贡中学2023年基本支出一共用了多少钱？", "50167398.51", "报告中未找到"),
    # 名额 of 编制名额: a count of places
    ("r11", "开远市大数据研究中心一共核了多少个事业编制名额？", "12名", "报告中未找到"),
    # 几大方面 counts as 几个方面; 一共 adds nothing to a count
    ("r10", "霍邱县教育局这35个自评项目一共分成几大方面？", "七个方面", "75万元"),
    # pay for: what the money is for
    ("r08", "What does Chenggong Middle School's basic expenditure pay for?", "保障教师待遇", "报告中未找到"),
])


def test_what_is_asked_is_answered(ask_in, rid, question, expected, not_expected):
    answer = ask_in(rid, question)
    assert expected in answer.text and not_expected not in answer.text, answer.text


def test_where_to_look_and_what_is_set_aside_are_no_subject():
    assert without_persona("according to the centre's report, by what year is it done?") == "by what year is it done?"
    assert without_persona("根据报告，科技局2022年总支出是多少？") == "科技局2022年总支出是多少？"
    assert without_persona("根据绩效目标，完成了多少？") == "根据绩效目标，完成了多少？"  # a subject, not a source
    assert without_besides("besides afforestation, what else?").strip(" ,") == "what else?"
    assert without_besides("项目除了打井,还建了什么?") == "项目 ,还建了什么?"
    assert without_besides("how much money besides funding does it expect?") == \
        "how much money besides funding does it expect?"  # no comma closes it: kept


@pytest.mark.parametrize(("rid", "question"), [
    # the report states 非税收入1.2万元 and a growth only of the revenue and of its taxes: no change of 非税收入
    ("r05", "小林镇的非税收入比上年增长了多少？"),
    # 2022年度 is the year the accounts are of: no year the cars were bought
    ("r12", "文旅局那两辆公车是哪年买的？"),
    # spend is how money is asked; social security and employment the report never names
    ("r05", "How much did Xiaolin Town spend on social security and employment in 2022?"),
    # official vehicle insurance: the thing asked is its last word, and the report never names insurance
    ("r12", "How much did the Xundian Culture and Tourism Bureau spend on official vehicle insurance in 2022?"),
    # the total of all the projects: not the amount of the first of the seven areas they are grouped in
    ("r10", "What was the total amount spent across all 35 self-evaluated projects?"),
    ("r10", "霍邱县教育局2022年35个自评项目一共花了多少钱？"),
])
def test_what_the_report_does_not_say_is_not_answered(ask_in, rid, question):
    answer = ask_in(rid, question)
    assert answer.abstained, answer.text


def test_a_change_of_the_label_asked_is_still_answered(ask_in):
    assert "增长14.5%" in ask_in("r05", "小林镇税收收入比上年增长了多少？").text
    assert "增长9.0%" in ask_in("r05", "小林镇一般公共预算收入比上年增长了多少？").text


@pytest.mark.parametrize(("rid", "question", "expected"), [
    ("r03", "How much did the forestry bureau spend on basic day-to-day running costs in 2020?", "894.38万元"),
    ("r12", "How much did the Xundian Culture and Tourism Bureau spend on official vehicle purchase in 2022?",
     "公务用车购置支出0元"),
    ("r04", "Are the Xiping County Transport Bureau's rural revitalization linkage funds kept strictly for their "
            "designated purposes?", "资金专款专用"),
    # the total of an item the question names: that item's amount
    ("r10", "霍邱县教育局学前教育支出一共多少？", "3624.71万元"),
    # the last item of a list the report gives in full
    ("r02", "衡阳市公安局职能表里最后一条职责写的是什么？", "法律、法规规定的其他职责"),
])
def test_what_is_named_is_answered_in_english_and_by_place(ask_in, rid, question, expected):
    answer = ask_in(rid, question)
    assert expected in answer.text, answer.text


def test_the_last_item_of_a_list_an_opening_cuts_off_is_not_its_last():
    from assistant.draft import Span
    from assistant.lists import ListItem, cut_short
    from ingest.models import Chunk

    def last_item(text: str) -> tuple[ListItem, list[Chunk]]:
        chunk = Chunk(id="c", text=text, source="s.txt", start=0, end=len(text), section="一、职能")
        at = text.rindex("(三)")
        return ListItem(text[at:], Span(chunk, at, len(text))), [chunk]

    assert cut_short(*last_item("(一)负责甲。(二)负责乙。(三)主管全市教师工作。组织实施各级各类学校教"))
    assert not cut_short(*last_item("(一)负责甲。(二)负责乙。(三)法律、法规规定的其他职责。"))
