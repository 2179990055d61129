"""Question shapes beyond "X是多少": two subjects under one cue, a second figure asked without its
subject, the parts a figure is made of, comparisons, a named firm among several, follow-ups that
pick out part of the previous answer, and English outside the core glossary.

Every expected figure below was read off the bundled report, in the sentence named next to it.
"""

from __future__ import annotations

import pytest

from assistant.multipart import Part, compared_subjects, split_question
from assistant.question import analyse
from assistant.rewrite import rewrite
from vectorstore.tokenize import Tokenizer

NOT_FOUND = "报告中未找到相关信息"
# 3、人员行政编制人数7人，事业编制人数1人，退休人员8人，临聘人员2人。
STAFF = "退休人员8人，临聘人员2人"
# …2022年中国银行共发放“科贷通”贷款2笔，金额共计500万元（金鹰科技200万元、乐胜300万元）…
LOANS = "金额共计500万元（金鹰科技200万元、乐胜300万元）"
# 项目支出449.34.34万元（其中：本级科技创新奖励123.9万元，省、市科技项目资金325.44万元）
PROJECT_PARTS = "本级科技创新奖励123.9万元，省、市科技项目资金325.44万元"
# 基本支出174.63万元（包含人员支出130.74万元，公用经费43.89万元）
BASIC_PARTS = "包含人员支出130.74万元，公用经费43.89万元"


@pytest.fixture
def ask(session_assistant, assert_grounded):
    def _ask(question, history=None):
        answer = session_assistant.ask(question, history=history)
        assert_grounded(answer)
        return answer
    return _ask


def _quoted(answer, needle: str) -> bool:
    return any(needle in c.quote for c in answer.citations)


def _history(question: str, answer: str = "") -> list[dict]:
    turns = [{"role": "user", "content": question}]
    return turns + ([{"role": "assistant", "content": answer}] if answer else [])


# --- splitting, without the store -----------------------------------------------------------------


@pytest.mark.parametrize("question, asks", [
    ("退休人员和临聘人员有多少人？", ["退休人员有多少人", "临聘人员有多少人"]),
    ("局里有多少行政编制和事业编制？", ["局里有多少行政编制", "局里有多少事业编制"]),
    ("基本支出和项目支出分别是多少？", ["基本支出是多少", "项目支出是多少"]),
    ("人员支出和公用经费合计多少？", ["人员支出和公用经费合计多少？"]),  # a sum is one figure
    ("基本支出占总支出的比例是多少？", ["基本支出占总支出的比例是多少？"]),  # so is a ratio
])
def test_one_cue_with_two_subjects_splits_into_one_part_per_subject(question, asks):
    assert [p.ask for p in split_question(question)] == asks


@pytest.mark.parametrize("question", [
    "How many people work in the human resources and social security department?",
    "How much did the culture and tourism bureau spend?",
])
def test_a_body_s_name_joined_by_and_is_one_name_not_two_subjects(question):
    assert len(split_question(question)) == 1


def test_a_body_s_chinese_name_joined_by_he_is_not_split():
    assert len(split_question("文化和旅游局2022年部门总支出是多少？")) == 1
    assert len(split_question("人力资源和社会保障厅有多少在职人员？")) == 1


def test_two_things_counted_in_english_are_still_two_parts():
    assert len(split_question("How many retired staff and temporary hires does the bureau have?")) == 2


def test_a_part_without_its_own_subject_asks_about_the_part_before_it():
    parts = split_question("中国银行放了几笔科贷通贷款，总金额是多少？")
    assert parts[1] == Part("中国银行放了科贷通贷款，总金额是多少", "中国银行放了科贷通贷款，总金额是多少")


def test_a_part_with_its_own_subject_is_scored_alone_and_searched_with_the_part_before():
    parts = split_question("组织几家企业申报国家高新技术企业？有几家被认定？")
    assert parts[1].ask == "有几家被认定"
    assert "国家高新技术企业" in parts[1].search


def test_a_container_is_searched_with_but_not_asked_about():
    parts = split_question("基本支出里面人员和公用经费各占多少？")
    assert [p.ask for p in parts] == ["人员占多少", "公用经费占多少"]
    assert all(p.search.startswith("基本支出") for p in parts)


@pytest.mark.parametrize("question, subjects", [
    ("基本支出和项目支出哪个多？", ["基本支出", "项目支出"]),
    ("人员支出与公用经费相比哪个更高？", ["人员支出", "公用经费"]),
    ("基本支出比项目支出多多少？", ["基本支出", "项目支出"]),
    ("哪家企业贷得多？", []),
])
def test_compared_subjects(question, subjects):
    assert compared_subjects(question) == subjects


@pytest.mark.parametrize("text, compare", [
    ("哪家企业贷得多？", "max"), ("哪项支出最少？", "min"), ("贷得多的是哪家？", "max"),
    ("比上年增长多少？", ""), ("总支出是多少？", ""), ("which firm got the larger loan?", "max"),
    ("what were the most important achievements?", ""),
])
def test_comparison_cue(session_assistant, text, compare):
    assert analyse(text, session_assistant.retriever.tokenizer).compare == compare


def test_follow_up_that_names_a_new_owner_keeps_what_was_asked():
    history = _history("植物园的国家级自然基金项目批了几个？")
    assert rewrite("那鄱湖站呢？", history) == "鄱湖站的国家级自然基金项目批了几个？"
    assert rewrite("那人员支出呢？", _history("2022年科技局的总支出是多少？")) == "2022年科技局人员支出是多少？"


# --- answers on the bundled report ------------------------------------------------------------------


def test_two_subjects_under_one_cue_get_both_figures(ask):
    answer = ask("科技局有多少退休人员和临聘人员？")
    assert "8人" in answer.text and "2人" in answer.text
    assert _quoted(answer, STAFF)


def test_second_figure_without_its_subject_is_answered_for_the_first_subject(ask):
    answer = ask("2022年中国银行发放了几笔科贷通贷款，金额多少？")
    assert "2笔" in answer.text and "500万元" in answer.text


def test_second_question_after_a_question_mark_is_answered_too(ask):
    answer = ask("推荐了多少名博士申报国家人才？有多少人进入考察阶段？")
    # 二是成功推荐3名博士申报国家人才，…，10名进入考察阶段。
    assert "3名" in answer.text and "10名" in answer.text


def test_breakdown_question_gives_the_parts_of_the_figure(ask):
    answer = ask("项目支出由哪两部分组成？")
    assert "123.9" in answer.text and "325.44" in answer.text
    assert _quoted(answer, PROJECT_PARTS)
    answer = ask("基本支出包括哪几部分？")
    assert "130.74" in answer.text and "43.89" in answer.text
    assert "325.44" not in answer.text  # the parts of 基本支出 only


def test_parts_inside_a_container_get_the_container_s_unit(ask):
    answer = ask("基本支出里面人员和公用经费各占多少？")
    assert "130.74" in answer.text and "43.89" in answer.text
    assert "7人" not in answer.text  # 人员行政编制人数7人 is a headcount, not a share of spending


def test_comparison_within_an_enumeration_names_the_largest_part(ask):
    answer = ask("哪家企业贷的科贷通贷款最多？")
    assert _quoted(answer, LOANS)
    lines = answer.text.splitlines()
    assert any("最多" in line and "乐胜300万元" in line for line in lines)
    assert not any("最多" in line and "金鹰" in line for line in lines)


def test_comparison_of_two_named_figures_says_which_is_larger_without_computing(ask):
    answer = ask("人员支出和公用经费哪个多？")
    assert "130.74" in answer.text and "43.89" in answer.text
    assert "人员支出较多" in answer.text
    assert "86.85" not in answer.text  # the difference is not in the report, so it is never stated


def test_a_named_firm_gets_its_own_figure_not_the_total(ask):
    answer = ask("乐胜拿到的科贷通贷款是多少？")
    assert answer.text.startswith("乐胜300万元")
    assert "500" not in answer.text.split("\n")[0]
    answer = ask("九江新恒机械有限公司的科贷通贴息补助有多少？")
    assert "2万元" in answer.text.split("\n")[0]  # …九江新恒机械有限公司获得“科贷通”贴息贷款2万元补助


def test_follow_up_with_a_new_owner_answers_for_that_owner(ask):
    history = _history("植物园的国家级自然基金项目批了几个？", "植物园申报的国家级自然基金项目有5个获批[1]。")
    answer = ask("那鄱湖站呢？", history=history)
    assert "4个" in answer.text and "鄱湖站" in answer.text  # 目前鄱湖站申报了4个省级自然基金项目
    assert "14个" not in answer.text


def test_follow_up_that_picks_out_part_of_the_previous_answer(ask):
    history = _history("2022年科贷通贷款放了多少？", "2022年中国银行共发放“科贷通”贷款2笔，金额共计500万元[1]。")
    answer = ask("这两家里贷得多的是哪家，贷了多少？", history=history)
    assert any("乐胜300万元" in line and "最多" in line for line in answer.text.splitlines())
    history = _history("组织了几家企业申报国家高新技术企业？", "组织6家企业分批次在网上申报国家高新技术企业[1]。")
    answer = ask("其中有几家被认定？", history=history)
    assert answer.text.split("\n")[0].count("2家") == 1 and "6家" not in answer.text


def test_list_asked_as_which_aspects(ask):
    answer = ask("存在的问题主要有哪几个方面？")
    assert not answer.abstained
    for item in ("研发投入实力不强", "创新主体建设不优", "创新主体意识不浓"):
        assert item in answer.text


def test_figure_restated_with_fewer_decimals_cites_both_places(ask):
    answer = ask("研发投入同比增长多少？")
    assert "8.3%" in answer.text and "8.33%" in answer.text
    assert _quoted(answer, "同比增长8.3%") and _quoted(answer, "增长8.33%")


def test_sentence_that_opens_an_enumeration_is_answered_with_the_whole_enumeration(ask):
    answer = ask("部门年度整体支出绩效目标具体是怎么定的？")
    # 绩效目标：一是兑现奖补资金123.90万元；二是拨付…325.44万元；三是机关行政运行174.63万元。
    for figure in ("123.90", "325.44", "174.63"):
        assert figure in answer.text


def test_what_kind_question_answers_with_a_sentence_naming_that_kind(ask):
    answer = ask("科创园区建设准备按什么模式来推进？")
    assert "重点产业" in answer.text and "模式" in answer.text


@pytest.mark.parametrize("question, figure", [
    ("How many firms are on the loan renewal candidate list?", "30家"),  # 有30家企业进入“科贷通”续贷、备选白名单
    ("How many tech-based SMEs completed registration on the policy platform?", "31家"),
])
def test_english_beyond_the_core_glossary(ask, question, figure):
    answer = ask(question)
    assert not answer.abstained and figure in answer.text


@pytest.mark.parametrize("question", [
    "Who is the director of the bureau?",
    "How much did the bureau spend on vehicles?",
    "What was the travel expense in 2022?",
])
def test_english_about_what_the_report_never_says_still_abstains(ask, question):
    answer = ask(question)
    assert answer.abstained and answer.text.startswith(NOT_FOUND) and not answer.citations


def test_in_total_sums_the_subject_named_beside_it(ask):
    # 项目支出449.34.34万元 (malformed in the report, and flagged as such), not 总支出623.97万元
    first = ask("搞各种项目一共花掉多少？").text.split("\n")[0]
    assert "449.34" in first and "623.97" not in first
    assert "623.97" in ask("一共花了多少钱？").text.split("\n")[0]


def test_which_company_is_answered_with_its_own_clause(ask):
    answer = ask("哪个公司被认定为省级企业技术中心？")
    assert answer.text.startswith("江西神州通油茶科技有限公司被认定为省级企业技术中心")
    assert "孵化器" not in answer.text


def test_english_verbs_outside_the_glossary_do_not_force_an_abstention(ask):
    answer = ask("What problems did the bureau face?")
    assert not answer.abstained and "研发投入实力不强" in answer.text


def test_members_of_a_count_are_named_when_the_report_lists_them(ask):
    answer = ask("被认定的2家企业是哪些？")  # 目前已有2家企业（新恒机械、捷豹药械）被认定
    assert "新恒机械" in answer.text and "捷豹药械" in answer.text


def test_members_of_a_count_the_report_does_not_list_get_an_honest_abstention(ask):
    answer = ask("入库的31家科技型中小企业具体是哪些公司？")  # the report gives only the number
    assert answer.abstained and not answer.citations
    assert "名单" in answer.notice


def test_amount_per_firm_is_not_answered_with_a_total(ask):
    # 奖励标准进一步提高 is stated, the amount per firm is not; 120.1万元 is a total paid out.
    answer = ask("提高以后的科技型中小企业奖励标准是每家奖励多少钱？")
    assert answer.abstained and "120.1" not in answer.text


def test_figure_of_another_body_is_not_answered_with_the_report_s_own(ask):
    # 工信局 is named in the report (整合财政局、工信局…), but none of its figures is.
    answer = ask("庐山市工信局2022年的部门支出是多少？")
    assert answer.abstained and "232.7" not in answer.text and "623.97" not in answer.text


def test_project_money_is_money_not_a_count_of_projects(ask):
    answer = ask("2022年从上级拿到了多少项目资金？")  # 七是获得上级项目资金445.69万元
    assert "445.69" in answer.text


@pytest.mark.parametrize("question, figures, larger", [
    ("本级科技创新奖励和省市科技项目资金比，哪一块花得多？", ("123.9", "325.44"), "省市科技项目资金较多"),
])
def test_comparison_phrased_with_which_part(ask, question, figures, larger):
    answer = ask(question)
    assert all(f in answer.text for f in figures) and larger in answer.text


def test_english_lending_and_growth(ask):
    answer = ask("How much did Bank of China lend to companies under the tech loan scheme, and in how many loans?")
    assert "500万元" in answer.text and "2笔" in answer.text
    answer = ask("By how much did total R&D spending in Lushan grow?")
    assert "8.3%" in answer.text or "8.33%" in answer.text


def test_the_report_s_own_body_named_as_该局_is_no_other_body(ask):
    answer = ask("请核实：2022年该局基本支出中人员支出是多少万元？")
    assert "130.74" in answer.text  # 包含人员支出130.74万元


def test_how_many_firms_counts_firms_even_when_a_loan_is_mentioned(ask):
    answer = ask("“科贷通”这块做得怎么样，有多少企业进了白名单，放款多少？")
    # 有30家企业进入“科贷通”续贷、备选白名单，2家企业获中国银行放款500万元
    assert "30家" in answer.text and "500万元" in answer.text


def test_second_part_asking_how_much_it_rose_gets_the_growth_rate(ask):
    answer = ask("全社会研发投入多少，涨了多少？")
    assert "7800万元" in answer.text and ("8.3%" in answer.text or "8.33%" in answer.text)


@pytest.mark.parametrize("question", [
    "科技及知识产权培训班一共办了几期，多少人参加？",  # 举办…培训班 is said; no count of sessions or people
    "满意度调查一共发了多少份问卷？",  # 满意度…超90% is said; no number of questionnaires
    "科技型中小企业每家奖励多少钱，标准具体是多少？",  # 奖励标准进一步提高, with no amount
    "为啥申报国家高企的6家里只有2家被认定，原因是什么？",  # the report gives no reason
])
def test_questions_the_report_does_not_answer_are_not_answered_with_a_nearby_figure(ask, question):
    answer = ask(question)
    assert answer.abstained and not answer.citations


def test_difference_gives_both_figures_and_says_the_report_states_no_difference(ask):
    answer = ask("年初预算和全年总支出差多少？")
    assert "232.7" in answer.text and "623.97" in answer.text
    assert "没有直接给出两者之差" in answer.text
    assert "391.27" not in answer.text  # 623.97 − 232.7 is nowhere in the report


def test_why_question_is_answered_from_the_reasons_the_report_gives(ask):
    answer = ask("创新主体意识不浓的原因是什么？")  # under （一）主要问题及原因分析
    assert not answer.abstained and "意识弱" in answer.text


def test_english_altogether_and_and_what_follow_up(ask):
    assert "623.97" in ask("How much did Lushan's science and technology bureau spend altogether in 2022?").text
    history = _history("What was the officially recognised total R&D investment?", "7800万元[1]。")
    answer = ask("And what figure had been reported before the checks?", history=history)
    assert "1.63亿元" in answer.text  # 共填报2021年的研发投入（R&D）1.63亿元


def test_follow_up_replaces_the_thing_counted(ask):
    answer = ask("那下属事业单位呢？", history=_history("科技局有几个内设机构？", "科技局内设机构2个[1]。"))
    assert "科技创新服务中心" in answer.text  # 股级事业单位1个：科技创新服务中心
    assert rewrite("那植物园呢？", _history("鄱湖站申报了几个省级自然基金项目？")) == "植物园申报了几个省级自然基金项目？"


def test_bare_follow_up_asks_about_the_previous_subject(ask):
    history = _history("有几家企业被认定为国家高新技术企业？", "2家[1]。")
    answer = ask("是哪两家？", history=history)
    assert "新恒机械" in answer.text and "捷豹药械" in answer.text


def test_each_question_of_several_is_split_on_its_own(ask):
    answer = ask("基本支出是多少？其中人员支出和公用经费各多少？")
    for figure in ("174.63", "130.74", "43.89"):  # 基本支出174.63万元（包含人员支出130.74万元，公用经费43.89万元）
        assert figure in answer.text


def test_names_of_people_are_not_in_the_report(ask):
    history = _history("科技特派员开展了多少次科技指导？", "19名省、市科技特派员开展科技指导20余次[1]。")
    answer = ask("这些特派员都是哪些人，叫什么名字？", history=history)
    assert answer.abstained and not answer.citations
    assert "科技创新服务中心" in ask("下属事业单位叫什么名字？").text  # a unit's name is stated


def test_a_figure_of_all_staff_does_not_answer_for_one_kind_of_staff(ask):
    # 临聘人员2人 is stated, their pay is not; 人员支出130.74万元 is the pay of all staff.
    answer = ask("临聘人员的工资一年花了多少？")
    assert answer.abstained and "130.74" not in answer.text


def test_each_retriever_s_own_first_result_reaches_the_answerer(session_assistant):
    # BM25 ranks the duties paragraph first by far; the dense search misses it, and rank fusion alone
    # would drop it from the top k.
    hits = session_assistant.retrieve("科研诚信和科技保密这块归谁管？")
    assert any("科研诚信" in h.chunk.text for h in hits)


def test_with_several_departments_stored_an_unscoped_question_is_asked_back_or_says_whose_report_it_cites(fast_assistant, tmp_path,
                                                                                     report_path):
    import shutil

    from evals.synthetic import generate_corpus

    folder = tmp_path / "reports"
    generate_corpus(3, seed=0, out_dir=folder)
    shutil.copy(report_path, folder / report_path.name)
    fast_assistant.ingest([folder], progress=False)
    # Every report states a 总支出: the desk never picks one body's figure for a question that names none.
    answer = fast_assistant.ask("总支出是多少？")
    assert answer.abstained and not answer.citations and "哪个单位" in answer.text
    assert "庐山市科学技术局" in answer.text and sum(d in answer.text for d, _ in fast_assistant.facets()) >= 2
    scoped = fast_assistant.ask("庐山市科技局2022年总支出是多少？")
    assert "623.97" in scoped.text and "问题未指明部门" not in scoped.notice
    # A subject only one body's report speaks of is answered from it, saying whose report it is.
    only = fast_assistant.ask("科贷通发放了几笔贷款？")
    assert not only.abstained and "问题未指明部门" in only.notice and "[1]" in only.notice


def test_breakdown_written_as_an_enumeration_gives_every_item(ask):
    answer = ask("2022年部门整体支出绩效目标包括哪三项，各多少钱？")
    for figure in ("123.90", "325.44", "174.63"):  # 绩效目标：一是…123.90万元；二是…325.44万元；三是…174.63万元
        assert figure in answer.text


def test_english_two_subjects_under_one_cue(ask):
    answer = ask("How many retired staff and temporary hires does the Lushan Science and Technology Bureau have?")
    assert "8人" in answer.text and "2人" in answer.text
    one = split_question("How much project expenditure did the Lushan Science and Technology Bureau report for 2022?")
    assert len(one) == 1  # "Science and Technology" names the bureau, not two subjects


def test_one_inline_item_asked_as_方面_gets_its_own_sentences(ask):
    answer = ask("搭建产学研平台方面有哪些成果？")
    # 一是积极搭建产学研平台。庐山市金鹿科技创业园被认定为…孵化器，…“海智计划”工作站，…省级企业技术中心。
    for item in ("金鹿科技创业园", "海智计划", "省级企业技术中心"):
        assert item in answer.text
    assert "全面落实建设创新江西工作任务" not in answer.text


# --- shapes first met in the sixth blind set ---------------------------------------------------------------

# 2022年初部门预算资金总额232.7万元，其中：财政拔款收入232.7万元。
def test_two_questions_of_different_kinds_are_each_answered(ask):
    answer = ask("2022年初部门预算总额是多少？资金来源是什么？")
    assert "232.7万元" in answer.text and "财政拔款收入" in answer.text


def test_one_unanswerable_question_among_several_is_named_and_the_rest_answered(ask):
    answer = ask("局长是谁？科贷通发放了几笔？")
    assert "2笔" in answer.text and not answer.abstained
    assert f"第一问：{NOT_FOUND}" in answer.text


# 三是加大企业研发投入力度，我市全社会研发投入经费为7800万元，增长8.33%。
def test_a_rate_of_change_asked_without_its_subject_is_of_the_subject_before(ask):
    answer = ask("全市全社会研发投入经费是多少，增长了百分之几？")
    assert "7800万元" in answer.text and "8.33%" in answer.text
    lines = [line for line in answer.text.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)) and not any(a != b and a.strip("另：") in b for a in lines for b in lines)


def test_a_part_repeating_another_part_s_line_is_said_once(ask):
    answer = ask("九江市统计局初审核定之后是多少？涉及几家企业")
    assert answer.text.count("核定填报企业为41家") == 1


# 股级事业单位1个：科技创新服务中心 / 企业产品不少处于中低端
@pytest.mark.parametrize("question, needle", [("科技局下面的事业单位叫什么名字", "科技创新服务中心"),
                                              ("我市企业的产品大多处在什么水平？", "中低端")])
def test_words_of_the_question_s_frame_do_not_count_as_its_subject(ask, question, needle):
    answer = ask(question)
    assert not answer.abstained and needle in answer.text


# 二是顺利完成2020年度的2项江西省科技计划项目验收工作，分别由江西嘉陶无机材料有限公司和庐山市腾笼养鸡专业合作社2家企业实施。
def test_which_ones_follow_up_names_them_from_the_clause_that_follows(ask):
    history = _history("2020年度的省科技计划项目验收了几项？", "顺利完成了2020年度的2项江西省科技计划项目验收工作，由2家企业实施。")
    answer = ask("这两家是哪两家？", history)
    assert "江西嘉陶无机材料有限公司" in answer.text and "腾笼养鸡专业合作社" in answer.text


def test_a_year_before_a_province_is_no_place_name(ask):
    assert analyse("2020年度省科技计划项目验收了几项？", Tokenizer()).places == []
    assert "2项" in ask("2020年度省科技计划项目验收了几项？").text


def test_these_two_loans_follow_up_is_asked_with_the_loans_when_its_own_words_say_too_little(ask):
    history = _history("2022年中国银行发放了几笔科贷通贷款？", "2022年中国银行共发放“科贷通”贷款2笔，金额共计500万元。")
    answer = ask("这两笔分别贷给了谁，各多少？", history)
    assert "金鹰科技200万元" in answer.text and "乐胜300万元" in answer.text


def test_an_ordinal_picks_an_item_of_a_list_the_previous_answer_gave_inline(ask):
    history = _history("报告里提到的主要问题有哪些？", "主要有三方面：研发投入实力不强、创新主体建设不优、创新主体意识不浓。")
    assert rewrite("第二个问题具体说的是啥", history).startswith("创新主体建设不优")
    answer = ask("第二个问题具体说的是啥", history)
    assert "瞪羚企业零突破" in answer.text and "研发投入实力不强" not in answer.text


def test_a_comparison_of_rates_says_higher_not_more(ask):
    answer = ask("社会公众满意度和服务企业满意度哪个更高？")
    assert "超90%" in answer.text and "95%以上" in answer.text and "服务企业满意度较高" in answer.text


# 1、部门主要职责: 市科技局是主管科技工作的政府组成部门，主要职责是：…负责科技统计、科研诚信、科技安全和科技保密等工作…
@pytest.mark.parametrize("question", ["科研诚信和科技保密这块归谁管？", "Who is responsible for research integrity?"])
def test_who_is_in_charge_of_a_listed_duty_names_the_body_whose_duties_they_are(ask, question):
    answer = ask(question)
    assert answer.text.startswith("市科技局是主管科技工作的政府组成部门[1]") and "科研诚信" in answer.text
    assert [c.quote for c in answer.citations][0] == "市科技局是主管科技工作的政府组成部门"


# --- what a question asks for (assistant/knowledge/slots.toml) and whose report an English one names ----------------

def test_an_english_question_names_its_body_by_a_proper_name_and_a_kind():
    from assistant.question import english_bodies

    assert english_bodies("How many public institutions are affiliated with the Inner Mongolia Department of "
                          "Human Resources and Social Security?") == [
        "inner mongolia department of human resources and social security"]
    assert english_bodies("When was the Kaiyuan municipal government's big data research center established?") == [
        "kaiyuan municipal government's big data research center"]
    assert english_bodies("What was Xiaolin Town's total revenue?") == ["xiaolin town's"]
    # No proper name: the education bureau is a subject the report may speak of, not a named issuer.
    assert english_bodies("How much did the education bureau spend on primary schools?") == []
    assert english_bodies("What share of the budget went to official vehicles?") == []


@pytest.mark.parametrize(("question", "slot"), [
    ("为什么没有花完预算？", "reason"),
    ("这个中心是什么时候成立的？", "date"),
    ("In what year was the notice issued?", "date"),
    ("这笔运维经费是用来干什么的？", "purpose"),
    ("What were the funds used for?", "purpose"),
    ("那个展厅具体在什么地方？", "place"),
    ("存在哪些方面的问题？", ""),
    ("2022年的预算是多少？", ""),
])
def test_the_kind_of_thing_asked_for(question, slot):
    from assistant.slots import asked_slot
    from vectorstore.tokenize import normalise

    assert asked_slot(normalise(question)) == slot


@pytest.mark.parametrize(("text", "slot", "answers"), [
    ("于2019年2月在原网络管理中心的基础上组建成立", "date", True),
    ("(衡委[2010]4号),设立市公安局", "date", True),
    ("核定事业编制12名", "date", False),
    ("主要用于全县义务教育学校建设工作", "purpose", True),
    ("合计676.47万元,于本年度支出676.47万元", "purpose", False),
    ("展厅位于某市文化广场展览馆一楼", "place", True),
    ("总建筑面积约1000㎡", "place", False),
])
def test_an_answer_states_what_its_slot_asks_for(text, slot, answers):
    from assistant.slots import answers_slot

    assert answers_slot(text, slot) is answers


def test_parts_that_quote_a_bracketed_document_number_merge_without_taking_it_for_a_citation():
    """衡发[2010]3号 in a quoted sentence is the report's own text, not citation [2010] (it once crashed the merge)."""
    from types import SimpleNamespace

    from assistant.draft import Draft, Span
    from assistant.multipart import merge

    text = "依据衡发[2010]3号文件设立。总支出623.97万元。"
    chunk = SimpleNamespace(text=text, source="r.txt", start=0, end=len(text), section="s", page=0)
    first, second = Draft(), Draft()
    one, two = text.index("。"), text.index("总支出")
    first.add(f"{text[:one]}{first.cite(Span(chunk, 0, one))}。")
    second.add(f"{text[two:-1]}{second.cite(Span(chunk, two, len(text) - 1))}。")

    merged = merge([first, second])

    assert merged.text == "依据衡发[2010]3号文件设立[1]。\n总支出623.97万元[2]。"
    assert [s.quote for s in merged.spans] == ["依据衡发[2010]3号文件设立", "总支出623.97万元"]


@pytest.mark.parametrize(("previous", "question", "expected"), [
    ("龙头村蔬菜园项目建的水塔是多大规格的？", "那水泵一共装了几台？", "水泵一共装了几台？"),
    ("2022年某县通村道路项目一共建成了多少公里？", "那质量验收结果怎么样？", "2022年质量验收结果怎么样？"),
    ("2022年科技局总支出是多少？", "那人员支出呢？", "2022年科技局人员支出是多少？"),
])
def test_a_follow_up_that_names_its_own_subject_and_asks_keeps_only_the_context(previous, question, expected):
    assert _rewritten(previous, question) == expected


def _rewritten(previous: str, question: str) -> str:
    from assistant.rewrite import rewrite

    return rewrite(question, [{"role": "user", "content": previous}, {"role": "assistant", "content": "…"}])


@pytest.mark.parametrize(("previous", "question", "expected"), [
    # 这一块 is the previous subject; the measure it asks (支出) takes the place of the one asked before (收入).
    ("某镇2022年政府性基金收入有多少？", "那这一块的支出呢？", "某镇2022年政府性基金的支出有多少？"),
    # 这笔钱 is the previous subject, asked about in the follow-up's own words.
    ("某县人才计划专项补助经费有多少？", "那这笔钱当年花完了没有？", "某县人才计划专项补助经费钱当年花完了没有？"),
    # 这么多 is what the previous question asked about; a reason is asked of it.
    ("三公经费比上年少了多少？", "为什么会少这么多？", "三公经费比上年少了，为什么会少这么多？"),
    # What is said of a subject (完成了…, 比上年…) is said of the previous one, not taken for a new subject.
    ("某局2022年三公经费实际花了多少？", "那完成了年初预算的百分之几？", "某局2022年三公经费完成了年初预算的百分之几？"),
    ("某局2022年三公经费实际花了多少？", "那比上年减少了多少呢？", "某局2022年三公经费比上年减少了多少呢？"),
])
def test_a_follow_up_that_refers_to_the_previous_subject_is_asked_of_it(previous, question, expected):
    assert _rewritten(previous, question) == expected


@pytest.mark.parametrize(("question", "subject"), [("展厅有多大面积？", "面积"), ("道路有多宽？", "道路")])
def test_how_big_asks_and_the_noun_after_it_is_the_subject(question, subject):
    from assistant.question import analyse
    from vectorstore.tokenize import Tokenizer

    q = analyse(question, Tokenizer())
    assert subject in q.terms and "大面积" not in q.terms


@pytest.mark.parametrize(("question", "written"), [
    ("How much had been disbursed by December 8, 2022?", "12月8日"),
    ("What was paid out by 8th Dec?", "12月8日"),
    ("How many staff were there as of December 2020?", "12月"),
])
def test_an_english_date_is_asked_as_reports_write_it(question, written):
    from assistant.question import analyse
    from vectorstore.tokenize import Tokenizer

    q = analyse(question, Tokenizer())
    assert written in [form for forms in q.expanded.values() for form in forms]


def test_may_as_a_verb_is_no_month():
    from assistant.glossary import english_dates

    assert english_dates("may i ask how much was spent in 2022?") == []


def test_how_many_people_in_english_asks_for_a_figure_in_persons():
    from assistant.question import analyse
    from vectorstore.tokenize import Tokenizer

    assert analyse("How many people work in the affiliated institutions?", Tokenizer()).measure == "人"
    assert analyse("How many households benefit?", Tokenizer()).measure == "户"
    assert analyse("How much did the bureau spend?", Tokenizer()).measure == ""


def test_and_inside_a_bodys_name_or_between_two_verbs_does_not_split_an_english_question():
    from assistant.multipart import split_question

    assert len(split_question("How much did the culture and tourism bureau spend on running and maintaining cars?")) < 2
    assert len(split_question("How many retired staff and temporary hires does it have?")) == 2
