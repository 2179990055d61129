"""Chunking of the bundled report: exact offsets, section paths, sentence splits, repeats, metadata, facts."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.chunker import MAX_CHUNK_CHARS, SECTION_SEP, chunk_document
from ingest.models import SourceDocument
from ingest.sentences import clause_spans, sentence_spans
from ingest.structure import Style, match_heading

PART_ONE = "一、部门概况"
BUDGET = PART_ONE + SECTION_SEP + "（五）当年部门预算及执行情况"
TASKS_DONE = "二、部门整体支出绩效实现情况" + SECTION_SEP + "（一）履职完成情况"
PART_THREE = "三、部门整体支出绩效中存在问题及改进措施"
PROBLEMS = PART_THREE + SECTION_SEP + "（一）主要问题及原因分析"
MEASURES = PART_THREE + SECTION_SEP + "（二）改进的方向及具体措施"


def _only_chunk_with(chunks, needle: str):
    found = [c for c in chunks if needle in c.text]
    assert len(found) == 1, f"{needle!r} is in {len(found)} chunks"
    return found[0]


def _doc(text: str) -> SourceDocument:
    return SourceDocument(source="synthetic.txt", text=text, sha256="0" * 64, department="测试局", year=2022)


# --- offsets --------------------------------------------------------------------------------------


def test_every_chunk_text_is_the_exact_source_span(report_doc, report_chunks):
    assert len(report_chunks) > 20
    for chunk in report_chunks:
        assert report_doc.text[chunk.start:chunk.end] == chunk.text


def test_chunks_are_in_reading_order_and_never_overlap(report_chunks):
    for before, after in zip(report_chunks, report_chunks[1:]):
        assert before.end <= after.start


def test_chunk_ids_are_unique_and_stable_across_runs(report_doc, report_chunks):
    ids = [c.id for c in report_chunks]
    assert len(set(ids)) == len(ids)
    assert [c.id for c in chunk_document(report_doc)] == ids


def test_every_fact_span_is_its_clause_in_the_source(report_doc, report_chunks):
    for chunk in report_chunks:
        for fact in chunk.facts:
            assert chunk.start <= fact.start < fact.end <= chunk.end
            assert report_doc.text[fact.start:fact.end] == fact.clause
            assert fact.value in fact.clause


# --- section paths --------------------------------------------------------------------------------


def test_total_expenditure_sentence_sits_under_budget_execution_section(report_chunks):
    chunk = _only_chunk_with(report_chunks, "总支出623.97万元")
    assert chunk.section == BUDGET
    assert chunk.heading == "（五）当年部门预算及执行情况"
    assert chunk.level == 2


def test_incubator_sentence_sits_under_its_numbered_task(report_chunks):
    chunk = _only_chunk_with(report_chunks, "金鹿科技创业园被认定为省级科技型企业孵化器")
    assert chunk.section == TASKS_DONE + SECTION_SEP + "3、积极申报省市科技计划项目"


@pytest.mark.parametrize("problem", ["（一）研发投入实力不强", "（二）创新主体建设不优", "（三）创新主体意识不浓"])
def test_problem_items_nest_under_main_problems_although_both_use_paren_markers(report_chunks, problem):
    chunk = _only_chunk_with(report_chunks, problem + "。")
    assert chunk.section == PROBLEMS + SECTION_SEP + problem
    assert chunk.level == 3


@pytest.mark.parametrize("marker, measure", [
    ("（一）", "完善科技创新管理机制"),
    ("（二）", "加强科技平台（载体）创建"),
    ("(三) ", "引导科技计划项目实施"),  # half-width brackets and a space in the report
    ("(四)", "强化科技人才队伍建设"),
])
def test_measures_nest_under_improvement_section_whatever_their_bracket_width(report_chunks, marker, measure):
    chunks = [c for c in report_chunks if c.text.startswith(marker + measure)]
    assert len(chunks) == 1
    full_width = "（" + marker.strip()[1] + "）"
    assert chunks[0].section == MEASURES + SECTION_SEP + full_width + measure


def test_no_problem_or_measure_chunk_is_filed_under_the_wrong_branch(report_chunks):
    for chunk in report_chunks:
        if "研发投入实力不强。" in chunk.text or "创新主体意识不浓。" in chunk.text:
            assert chunk.section.startswith(PROBLEMS)
        if "完善科技创新管理机制。" in chunk.text or "强化科技人才队伍建设。" in chunk.text:
            assert chunk.section.startswith(MEASURES)


def test_preamble_lines_are_title_chunks_without_section(report_chunks):
    titles = [c for c in report_chunks if c.kind == "title"]
    assert [c.text for c in titles] == ["部门整体支出绩效自评报告", "庐山市科学技术局"]
    assert all(c.section == "" and c.level == 0 for c in titles)


# --- sentence and clause splitting ----------------------------------------------------------------


def test_sentence_split_keeps_the_mistyped_project_expenditure_figure_whole(report_text):
    start = report_text.index("2022年总支出623.97万元")
    end = report_text.index("省、市科技项目资金325.44万元）。") + len("省、市科技项目资金325.44万元）。")
    assert (start, end) in sentence_spans(report_text)


def test_sentence_split_never_falls_inside_a_quotation_or_bracket(report_text):
    spans = sentence_spans(report_text)
    pairs = {"“": "”", "（": "）"}
    checked = 0
    for opener, closer in pairs.items():
        pos = report_text.find(opener)
        while pos != -1:
            close = report_text.index(closer, pos)
            assert any(s <= pos and close < e for s, e in spans), report_text[pos:close + 1]
            checked += 1
            pos = report_text.find(opener, close)
    assert checked > 20


def test_stop_inside_quotation_does_not_end_the_sentence():
    text = "他说：“今年完成了。明年继续！”随后散会。下一句。"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["他说：“今年完成了。明年继续！”随后散会。", "下一句。"]


def test_semicolon_inside_bracketed_company_list_does_not_end_the_sentence():
    text = "目前已有2家企业（新恒机械；捷豹药械）被认定。组织2家企业申报。"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["目前已有2家企业（新恒机械；捷豹药械）被认定。",
                                                            "组织2家企业申报。"]


def test_recognised_companies_stay_in_one_sentence_of_the_report(report_text):
    sentence = "组织6家企业分批次在网上申报国家高新技术企业，目前已有2家企业（新恒机械、捷豹药械）被认定。"
    start = report_text.index(sentence)
    assert (start, start + len(sentence)) in sentence_spans(report_text)


def test_clause_split_keeps_the_comma_inside_brackets(report_text):
    bracket = "（包含人员支出130.74万元，公用经费43.89万元）"
    pos = report_text.index(bracket)
    clauses = clause_spans(report_text, pos - len("基本支出174.63万元"), pos + len(bracket))
    assert [report_text[s:e] for s, e in clauses] == ["基本支出174.63万元" + bracket]


def test_full_width_spaces_are_trimmed_from_sentences(report_text):
    line_start = report_text.index("\u3000\u30002022年初部门预算")
    s, _ = sentence_spans(report_text, line_start)[0]
    assert report_text[s:].startswith("2022年初部门预算资金总额232.7万元")


# --- chunk size -----------------------------------------------------------------------------------


def test_no_chunk_exceeds_the_limit_unless_it_is_one_sentence(report_chunks):
    for chunk in report_chunks:
        assert len(chunk.text) <= MAX_CHUNK_CHARS or len(sentence_spans(chunk.text)) == 1, chunk.text[:40]


def test_long_paragraph_is_split_at_sentences_into_chunks_within_the_limit():
    sentence = "一是加大企业研发投入力度，全社会研发投入经费稳步增长，科技创新能力不断提升，成果转化率逐年提高。"
    paragraph = sentence * 12
    text = "一、部门概况\n" + paragraph + "\n"
    chunks = chunk_document(_doc(text))
    assert len(chunks) > 1
    assert all(len(c.text) <= MAX_CHUNK_CHARS for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)
    assert "".join(c.text for c in chunks) == paragraph
    assert {c.section for c in chunks} == {"一、部门概况"}


def test_one_overlong_sentence_stays_one_chunk():
    sentence = "，".join(["组织企业申报国家高新技术企业"] * 30) + "。"
    assert len(sentence) > MAX_CHUNK_CHARS
    chunks = chunk_document(_doc("一、部门概况\n" + sentence + "\n"))
    assert [c.text for c in chunks] == [sentence]


# --- passages the report restates -----------------------------------------------------------------


def test_restated_task_passage_is_kept_in_both_sections_and_each_points_at_the_other(report_chunks):
    task = "1、全面落实建设创新江西工作任务。"
    first, second = [c for c in report_chunks if c.text.startswith(task)]
    goals = PART_ONE + SECTION_SEP + "（二）当年部门履职总体目标、工作任务" + SECTION_SEP + task.rstrip("。")
    done = TASKS_DONE + SECTION_SEP + task.rstrip("。")
    assert (first.section, second.section) == (goals, done)
    assert first.text == second.text
    assert first.repeated_in == done
    assert second.repeated_in == goals


def test_unrepeated_passages_have_no_repeat_marker(report_chunks):
    assert _only_chunk_with(report_chunks, "总支出623.97万元").repeated_in == ""
    assert _only_chunk_with(report_chunks, "实现赋能创新").repeated_in == ""


# --- heading markers ------------------------------------------------------------------------------


@pytest.mark.parametrize("line, style, number, title", [
    ("一、部门概况", Style.CN, 1, "一、部门概况"),
    ("十二、其他事项", Style.CN, 12, "十二、其他事项"),
    ("（一）主要问题及原因分析：", Style.PAREN_CN, 1, "（一）主要问题及原因分析"),
    ("(三) 引导科技计划项目实施", Style.PAREN_CN, 3, "（三）引导科技计划项目实施"),
    ("(四)强化科技人才队伍建设", Style.PAREN_CN, 4, "（四）强化科技人才队伍建设"),
    ("1、部门主要职责", Style.ARABIC, 1, "1、部门主要职责"),
    ("2．组织架构", Style.ARABIC, 2, "2．组织架构"),
    ("(1)人员情况", Style.PAREN_ARABIC, 1, "（1）人员情况"),
    ("（2）经费情况", Style.PAREN_ARABIC, 2, "（2）经费情况"),
    ("二、\u3000部门整体支出绩效实现情况", Style.CN, 2, "二、部门整体支出绩效实现情况"),
    ("（\u3000三\u3000）\u3000社会满意度", Style.PAREN_CN, 3, "（三）社会满意度"),
])
def test_heading_markers_are_recognised(line, style, number, title):
    match = match_heading(line, 0, len(line))
    assert match is not None
    assert (match.style, match.number, match.title) == (style, number, title)
    assert match.body_start == len(line)


def test_heading_with_inline_body_reports_where_the_body_starts():
    line = "1、全面落实建设创新江西工作任务。制定了工作台账。"
    match = match_heading(line, 0, len(line))
    assert match.title == "1、全面落实建设创新江西工作任务"
    assert line[match.body_start:] == "制定了工作台账。"


@pytest.mark.parametrize("line", [
    "一是兑现奖补资金123.90万元；",
    "1.63亿元用于研发投入。",
    "2022年总支出623.97万元。",
    "市科技局是主管科技工作的政府组成部门，主要职责是：拟订全市科技发展规划。",
])
def test_body_lines_are_not_taken_for_headings(line):
    assert match_heading(line, 0, len(line)) is None


def test_full_width_indented_headings_build_the_section_path():
    text = ("\u3000\u3000一、部门概况\n"
            "\u3000\u3000（一）基本情况\n"
            "\u3000\u30001、组织架构\n"
            "\u3000\u3000科技局内设机构2个。\n"
            "\u3000(二)\u3000预算执行\n"
            "2022年总支出623.97万元。\n")
    doc = _doc(text)
    chunks = chunk_document(doc)
    body = {c.text: c.section for c in chunks if c.kind == "body"}
    assert body == {
        "科技局内设机构2个。": "一、部门概况 › （一）基本情况 › 1、组织架构",
        "2022年总支出623.97万元。": "一、部门概况 › （二）预算执行",
    }
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)


# --- metadata and facts ---------------------------------------------------------------------------


def test_every_chunk_carries_department_year_title_and_file_hash(report_doc, report_chunks):
    for chunk in report_chunks:
        assert chunk.department == "庐山市科学技术局"
        assert chunk.year == 2022
        assert chunk.title == "庐山市科学技术局部门整体支出绩效自评报告"
        assert chunk.source == "lushan-kjj-2022-performance-self-evaluation.txt"
        assert chunk.sha256 == report_doc.sha256


@pytest.mark.parametrize("label, value, unit", [
    ("基本支出", "174.63", "万元"),
    ("人员支出", "130.74", "万元"),
    ("公用经费", "43.89", "万元"),
    ("2022年总支出", "623.97", "万元"),
])
def test_budget_facts_are_extracted_with_label_value_and_unit(report_chunks, label, value, unit):
    chunk = _only_chunk_with(report_chunks, "总支出623.97万元")
    assert (label, value, unit) in {(f.label, f.value, f.unit) for f in chunk.facts}


def test_count_of_registered_small_tech_enterprises_is_a_fact(report_chunks):
    facts = [f for c in report_chunks for f in c.facts if (f.value, f.unit) == ("31", "家")]
    assert facts
    assert any("入库" in f.label and "科技型中小企业" in f.label for f in facts)


def test_percent_facts_use_the_ascii_percent_sign(report_chunks):
    growth = [f for c in report_chunks for f in c.facts if f.value in ("8.33", "8.3")]
    assert {(f.value, f.unit) for f in growth} == {("8.33", "%"), ("8.3", "%")}


def _repeats_by_all_pairs(chunks):
    """The rule _mark_repeats implements, by comparing every pair: the reference for the indexed version."""
    norms = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", c.text)) for c in chunks]
    found = []
    for i, chunk in enumerate(chunks):
        other = next((chunks[j] for j, n in enumerate(norms) if j != i and len(norms[i]) >= 8
                      and chunks[j].section != chunk.section and n.startswith(norms[i])), None)
        if other is None and chunk.kind == "body":
            other = next((chunks[j] for j, n in enumerate(norms) if j != i and len(n) >= 8
                          and chunks[j].kind == "heading" and norms[i].startswith(n)
                          and chunks[j].section != chunk.section), None)
        found.append(other.section if other else "")
    return found


def test_repeat_marking_by_index_agrees_with_all_pairs_on_the_report_and_every_real_opening(report_chunks):
    from ingest.loaders import load_document

    real = sorted((Path(__file__).parents[1] / "evals" / "real" / "reports").glob("*.txt"))
    assert len(real) == 12
    for chunks in [report_chunks, *(chunk_document(load_document(p)) for p in real)]:
        assert [c.repeated_in for c in chunks] == _repeats_by_all_pairs(chunks)
    assert sum(1 for c in report_chunks if c.repeated_in) >= 2  # the comparison is not vacuous


def test_a_sheet_unit_applies_only_after_it_is_declared():
    from ingest.facts import SheetUnits, extract_facts

    text = "一、收入\n财政拨款 100.5\n单位：万元\n财政拨款 200.5\n（元）\n其他收入 300\n"
    units = SheetUnits(text)
    assert (units.before(0), units.before(text.index("财政拨款 200")), units.before(len(text))) == ("", "万元", "元")
    lines = [(text.index(line), text.index(line) + len(line)) for line in text.split("\n") if line]
    facts = [(f.label, f.value, f.unit) for start, end in lines for f in extract_facts(text, start, end, units)]
    assert facts == [("财政拨款", "200.5", "万元"), ("其他收入", "300", "元")]


def test_a_heading_that_states_an_amount_with_thousands_separators_is_cut_before_the_whole_amount():
    # A real 三公 report: the title must not keep 23 of 23,005.58元, or a list answer would state a figure
    # its citation does not hold.
    from ingest.structure import match_heading

    line = "2. 公务用车购置及运行维护费支出23,005.58元。其中:"
    assert match_heading(line, 0, len(line)).title == "2.公务用车购置及运行维护费支出"


def test_a_share_after_a_stray_comma_is_a_fact_of_the_subject_before_it():
    from ingest.facts import extract_facts

    # 占,88.19% (a stray comma after 占) and 占11.81% are shares of the amount's subject before them; the comma of
    # 3,080元 separates thousands and is no clause break for a label.
    text = "公务用车购置及运行维护费支出23,005.58元,占,88.19%;公务接待费支出3,080元,占11.81%。"
    facts = {(f.label, f.value): f.of for f in extract_facts(text, 0, len(text))}
    assert facts[("占", "88.19")] == "公务用车购置及运行维护费支出"
    assert facts[("占", "11.81")] == "公务接待费支出"
    assert ("公务接待费支出", "3,080") in facts


def test_a_count_in_chinese_numerals_is_a_fact_and_an_ordinal_or_an_adverb_is_not():
    from ingest.facts import extract_facts

    text = "自评项目35个,分为七个方面,设三个一级指标和两个二级指标;第一个项目一次性拨付,各方十分重视,一是抓落实。"
    facts = {(f.value, f.unit) for f in extract_facts(text, 0, len(text))}
    assert {("35", "个"), ("七", "个"), ("三", "个"), ("两", "个")} <= facts
    assert not {("一", "个"), ("一", "次"), ("十", "分")} & facts  # 第一个, 一次性, 十分 count nothing


def test_metres_written_in_latin_letters_are_a_fact_and_millimetres_or_a_unit_word_are_not():
    from ingest.facts import extract_facts

    text = "配套Ф160PVC干管管长1100m,新增低压电线50m,建筑层高约4.3m,道路2km;另有100mm管材和5m³水箱。"
    facts = {(f.value, f.unit) for f in extract_facts(text, 0, len(text))}
    assert {("1100", "m"), ("50", "m"), ("4.3", "m"), ("2", "km")} <= facts
    assert not {("100", "m"), ("5", "m")} & facts  # 100mm is millimetres; 5m³ is a volume
