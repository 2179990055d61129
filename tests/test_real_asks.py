"""How residents ask about real openings (evals/real/reports): two questions in one, a year in Chinese digits, the
everyday words for the genre's items. Each expected string was checked against the report text."""

from __future__ import annotations

import pytest

from assistant.multipart import separate_asks
from ingest.facts import extract_facts
from ingest.numerals import cn_years


def test_a_purpose_asked_after_a_figure_is_an_ask_of_its_own():
    # 是拿来干啥的 goes on about the same money, but asks what it is for: merged, the amount's clause would be checked
    # for a purpose it does not state.
    asks = separate_asks("那笔资金一共拨了多少钱?是拿来干啥的?")
    assert [a.ask for a in asks] == ["那笔资金一共拨了多少钱?", "是拿来干啥的?"]
    assert "资金" in asks[1].search  # searched in the context of the ask before
    # An ask that only goes on about the same thing (which units carry them out) stays one with it.
    assert separate_asks("有几项？由哪些单位实施？") == []


def test_a_year_in_chinese_digits_is_a_year():
    assert cn_years("二〇二二年那笔资金") == "2022年那笔资金"
    assert cn_years("二零二三年度") == "2023年度"
    assert cn_years("十二年") == "十二年"  # a count of years, not a year
    assert cn_years("三二〇二二年") == "三二〇二二年"  # inside a longer numeral: no year


def test_an_amount_after_a_count_is_of_the_things_counted():
    text = "年初批复预算8个项目985万元(含1个年初结转结余项目50万元),调整预算后项目预算861.46万元。"
    labels = {f.value: f.label for f in extract_facts(text, 0, len(text))}
    assert labels["985"] == "年初批复预算8个项目"  # not 项目 alone: the 8 projects the budget approved
    assert labels["861.46"] == "调整预算后项目预算"
    text = "共扶持企业31家,资金300万元。"  # a clause apart: the amount has its own words
    assert {f.value: f.label for f in extract_facts(text, 0, len(text))}["300"] == "资金"


@pytest.mark.parametrize(("rid", "question", "expected"), [
    # A year in Chinese digits, and the purpose asked after the amount: both answered, in the order asked.
    ("r01", "秀英区水务局二〇二二年那笔衔接资金一共拨了多少钱?是拿来干啥的?", ("105万元", "用于实施")),
    # The budget approved at the start of the year, and after it was adjusted.
    ("r09", "红河数据中心年初批了多少预算?调过之后又是多少?", ("985万元", "861.46万元")),
    # Everyday words for the genre's items: 修路 is the road project, 拨出去 is 拨付, 12月8号 is 12月8日.
    ("r04", "西平县交通运输局那个修路项目,到12月8号拨出去多少钱了?执行率多少?", ("2113.63万元", "97%")),
    ("r04", "西平县新修的那些村道验收过关了吗?", ("合格",)),
    ("r02", "衡阳公安局管不管防火救火这块的事?", ("消防",)),
    ("r03", "大足区林业局下面直接管着哪几个单位?", ("区种苗站", "区林业服务中心")),
    ("r12", "寻甸县文旅局请客接待的费用比去年少了多少钱?降了百分之几?", ("17,993元", "85.38%")),
    ("r12", "寻甸文旅局二〇二二年有没有人公费出国出境?", ("因公出国(境)费支出0元",)),
])
def test_how_residents_ask_is_answered(ask_in, rid, question, expected):
    answer = ask_in(rid, question)
    assert all(e in answer.text for e in expected), answer.text


def test_answers_to_two_asks_keep_the_order_asked(ask_in):
    # The amount's clause is said in full by the purpose's sentence: that sentence comes first, not after the rest.
    answer = ask_in("r01", "秀英区水务局2022年那笔衔接资金一共拨了多少钱?是拿来干啥的?")
    assert answer.text.index("用于实施") < answer.text.index("已全部到位"), answer.text


@pytest.mark.parametrize(("rid", "question", "expected"), [
    # The project report's opening names the village: a sentence of the report need not say it again. 那口 only
    # points at the well.
    ("r01", "秀英区水务局用衔接资金在龙头村新打的那口机井有多深?", ("300米深机井",)),
    # A percentage of a budget spent is the rate it was done at, not one item's share of the total.
    ("r12", "What percentage of its initial 'three public expenses' budget did the Xundian culture and tourism "
            "bureau actually spend in 2022?", ("96.33%",)),
])
def test_what_the_report_is_about_and_what_kind_of_percentage(ask_in, rid, question, expected):
    answer = ask_in(rid, question)
    assert all(e in answer.text for e in expected), answer.text


def test_a_sentence_that_only_names_what_the_report_is_about_is_not_added(ask_in):
    # The opening's 衔接资金…龙头村蔬菜园产业项目 says nothing of the well's depth.
    answer = ask_in("r01", "秀英区水务局用衔接资金在龙头村新打的那口机井有多深?")
    assert "蔬菜园产业项目" not in answer.text, answer.text


def test_each_items_rate_is_not_another_answer_for_the_whole(ask_in):
    # 完成年初预算的0% is of 因公出国(境)费: the same label of another subject is no second answer for the whole.
    answer = ask_in("r12", "What percentage of its initial 'three public expenses' budget did the Xundian culture "
                           "and tourism bureau actually spend in 2022?")
    assert "96.33%" in answer.text and "完成年初预算的0%" not in answer.text, answer.text


def test_a_count_of_something_the_report_never_names_is_not_answered(ask_in):
    # The hall's opening counts 28 exhibition areas and 174 screens, never visitors: no count answers this.
    assert ask_in("r09", "How many visitors came to the exhibition hall in 2024?").abstained
    # Asked of what it does count, the count is answered.
    assert "28个展区" in ask_in("r09", "How many exhibition areas does the hall have?").text


def test_a_figure_the_question_quotes_finds_the_sentence_that_states_it(ask_in):
    # 1,756.37万元 is stated once, with what it is made of.
    answer = ask_in("r05", "小林镇自身收入以外的那1756.37万元由哪些来源构成?")
    assert "1,756.37万元" in answer.text and "动用预算稳定调节基金" in answer.text, answer.text


def test_a_composition_asked_in_shares_is_the_run_of_shares(ask_in):
    # The whole (“三公”经费支出决算) is named once, in the head of the clauses that give each part's share.
    answer = ask_in("r12", "寻甸县文旅局2022年“三公”经费决算由哪几块组成,各占多大比重?")
    assert all(s in answer.text for s in ("占0%", "88.19%", "占11.81%")), answer.text
    assert "完成年初预算" not in answer.text, answer.text  # the rates each part was done at are not its share


def test_a_count_whose_words_are_known_in_parts_is_not_unknown():
    from assistant.counting import counted_words

    assert counted_words("how many municipal-level s&t projects were applied for?")[:2] == ["municipal", "level"]
    assert counted_words("how many visitors did the hall receive") == ["visitors"]


def test_a_heading_whose_body_is_cut_is_no_answer(ask_in):
    # The opening ends at （二）评价原则和评价方法: the heading says nothing of the principles; the sentence that names
    # them (遵循“科学公正、…”的基本原则) does.
    answer = ask_in("r06", "内蒙人社厅做这次评价讲究哪几条原则?")
    assert "科学公正" in answer.text and "（二）评价原则和评价方法" not in answer.text.replace("(", "（").replace(")", "）")


def test_an_earlier_turn_given_as_plain_text_is_the_users(ask_in):
    # A history of plain strings (as a caller may send it) is read as the user's earlier questions, not a crash.
    answer = ask_in("r05", "那非税收入呢？", ["小林镇2022年税收收入是多少？"])
    assert "1.2万元" in answer.text, answer.text


def test_a_year_named_only_in_an_aside_is_not_the_sentences_year(ask_in):
    # 2024年,…实施项目共15个(含2023年转列暂付性款项项目5个),年初批复预算8个项目985万元: the budget is 2024's.
    assert ask_in("r09", "红河州数据发展中心2023年年初批复了多少预算?").abstained
    assert "985万元" in ask_in("r09", "红河州数据发展中心2024年年初批复了多少预算?").text


@pytest.mark.parametrize(("rid", "question", "history", "expected"), [
    # 建了些啥 asks for the things built: the whole sentence that lists them, not its first clause.
    ("r01", "秀英区水务局那个蔬菜园项目都建了些什么?", None, ("深机井1座", "水塔1座", "潜水泵2台")),
    # A bare 完成率 is of what the clause before names: the project's acceptance is said with it.
    ("r01", "秀英区水务局蔬菜园项目完成率是多少?", None, ("竣工验收", "完成率100%")),
    # 有没有花完 is answered with the rate the fund was spent at.
    ("r10", "霍邱县教育局“三区”人才计划的钱有没有用完?", None, ("预算完成率100%",)),
    # A follow-up that names another fee asks what was asked of the one before: its fall from last year.
    ("r12", "那公务接待费呢?", ["寻甸县文旅局2022年公务用车运行维护费比上年减少了多少?"], ("17,993元",)),
    # 各项占多少 asks for each part's share of the whole.
    ("r12", "寻甸县文旅局三公经费里各项分别占多少?", None, ("88.19%", "11.81%")),
    # …维持学校的正常运转,包括:用于发放教师工资,…: the clauses after 包括: are what the money was spent on.
    ("r08", "呈贡中学基本支出都用在了哪些地方?", None, ("发放教师工资",)),
    # An item asked for by its place, in Chinese and in English.
    ("r06", "内蒙古人社厅的主要职能第一条是什么?", None, ("贯彻执行国家关于人力资源和社会保障事业发展的规划和政策",)),
    ("r06", "What is the first duty listed for the Inner Mongolia human resources and social security department?",
     None, ("贯彻执行国家关于人力资源和社会保障事业发展的规划和政策",)),
    # "affiliated with Yunnan University" is part of the school's name, not a thing the report must name.
    ("r08", "How much money did Chenggong Middle School affiliated with Yunnan University spend in 2023?", None,
     ("56916443.49元",)),
    # The seedling station is one of the parts listed after 其中: it is the part asked about.
    ("r03", "How many people were on the staff of the seedling station under the Dazu forestry bureau?", None,
     ("11人",)),
    # What the opening does state is still answered, next to the questions below it does not.
    ("r05", "How much tax revenue did Xiaolin town collect in 2022?", None, ("109.91万元",)),
    ("r12", "How many official cars does the Xundian culture and tourism bureau keep?", None, ("2辆",)),
    # A document numbered 衡委[2010]4号 is of 2010, though no sentence says 2010年.
    ("r02", "Which 2010 documents set up the Hengyang Public Security Bureau?", None, ("衡委[2010]4号",)),
])
def test_what_was_asked_is_said_in_full(ask_in, rid, question, history, expected):
    answer = ask_in(rid, question, history)
    assert all(e in answer.text for e in expected), answer.text


def test_characters_lost_by_the_source_are_not_quoted(ask_in):
    # r01's sentence on what was built ends in a run of ?????: characters its encoding lost, no part of the answer.
    assert "???" not in ask_in("r01", "秀英区水务局那个蔬菜园项目都建了些什么?").text


def test_another_funds_sentence_is_not_added_to_a_quoted_funds_answer(ask_in):
    # 学前教育's 3624.71万元 was spent at 100% too, but the question quotes “三区”人才计划.
    assert "3624.71" not in ask_in("r10", "霍邱县教育局“三区”人才计划的钱有没有用完?").text


def test_a_purpose_asked_of_one_item_is_that_items_purpose(ask_in):
    # 用在哪些方面 asks what 高中教育支出 was for, not for the list of seven items the paragraph opens with; the
    # citation runs from the item's head (四是高中教育支出) to what is said of it.
    answer = ask_in("r10", "霍邱县教育局高中教育那块的钱用在了哪些方面?")
    assert "日常运转" in answer.text and "三区" not in answer.text, answer.text
    assert answer.citations[0].quote.startswith("四是高中教育支出"), answer.citations[0].quote


def test_the_middle_of_the_year_is_a_word_of_its_own(ask_in):
    # 年中增加8个项目: 2024年年中 is the year and its middle, not the year twice.
    answer = ask_in("r09", "红河州数据发展中心2024年年中新增了几个项目?")
    assert "8个项目" in answer.text and "15个" not in answer.text, answer.text


def test_a_name_in_a_list_of_funds_states_no_purpose():
    from assistant.slots import answers_slot

    # 教育结余用于项目建设经费4194.23万元 names a fund; 主要用于…日常运转 states what the money was for.
    assert not answers_slot("即公办普通高中公用经费、教育结余用于项目建设经费4194.23万元,于本年度支出", "purpose")
    assert answers_slot("主要用于全县高中阶段日常运转、资助补助及项目建设工作;", "purpose")


@pytest.mark.parametrize("question", [
    "衡阳市公安局的职责表里一共列了几条?",
    "How many duties does the Hengyang public security bureau's duty table list?",
])
def test_the_count_of_a_numbered_list_is_its_last_number(ask_in, question):
    # The duties table numbers its rows 1…14 in a 序号 column: the count is the last row's own number, cited.
    answer = ask_in("r02", question)
    assert "共列出14条" in answer.text and "法律、法规规定的其他职责" in answer.text, answer.text
    assert any(c.quote.strip() == "14" for c in answer.citations)
