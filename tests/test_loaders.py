"""Tests for ingest.loaders: decoding, docx/pdf extraction, metadata and error messages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from evals.tables.fonts import cjk_font
from ingest.errors import IngestError
from ingest.loaders import (
    SUPPORTED_SUFFIXES,
    iter_report_files,
    load_document,
    parse_metadata,
)

REPORT = Path(__file__).resolve().parents[1] / "data" / "reports" / "lushan-kjj-2022-performance-self-evaluation.txt"
REPORT_TITLE = "庐山市科学技术局部门整体支出绩效自评报告"
REPORT_DEPARTMENT = "庐山市科学技术局"

CHINESE_REPORT = (
    "\u3000部门整体支出绩效自评报告\n"
    "\u3000庐山市科学技术局\n"
    "\n"
    "一、部门概况\n"
    "2022年度部门预算收入130.74万元，其中人员支出98.5万元。\n"
    "二、绩效目标完成情况\n"
    "2022年完成科技型企业入库23家。\n"
)


def _make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("部门整体支出绩效自评报告")
    document.add_paragraph("庐山市科学技术局")
    document.add_paragraph("一、部门概况")
    document.add_paragraph("2022年度部门预算收入130.74万元。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "金额"
    table.cell(1, 0).text, table.cell(1, 1).text = "人员支出", "98.5万元"
    document.add_paragraph("二、绩效目标完成情况")
    document.save(str(path))
    return path


def _write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


# --- the bundled report -------------------------------------------------------------------------


def test_bundled_report_loads_with_title_department_and_year():
    doc = load_document(REPORT)
    raw = REPORT.read_bytes()
    assert doc.source == REPORT.name
    assert doc.department == REPORT_DEPARTMENT
    assert doc.year == 2022
    assert doc.title == REPORT_TITLE
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.text == raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    assert doc.encoding == "utf-8"


# --- text encodings -----------------------------------------------------------------------------


def test_gb18030_file_is_detected_and_decoded(tmp_path):
    path = _write(tmp_path / "report-gb18030.txt", CHINESE_REPORT, "gb18030")
    doc = load_document(path)
    assert doc.text == CHINESE_REPORT
    assert doc.encoding == "gb18030"
    assert (doc.department, doc.year, doc.title) == (REPORT_DEPARTMENT, 2022, REPORT_TITLE)


def test_gbk_file_without_bom_is_decoded(tmp_path):
    path = _write(tmp_path / "report-gbk.txt", CHINESE_REPORT, "gbk")
    doc = load_document(path)
    assert doc.text == CHINESE_REPORT
    assert doc.encoding == "gb18030"


def test_utf8_bom_is_stripped(tmp_path):
    path = _write(tmp_path / "report-bom.md", CHINESE_REPORT, "utf-8-sig")
    doc = load_document(path)
    assert doc.text == CHINESE_REPORT
    assert not doc.text.startswith("\ufeff")
    assert doc.encoding == "utf-8-sig"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_crlf_and_cr_line_endings_are_normalised_and_full_width_spaces_kept(tmp_path):
    path = _write(tmp_path / "crlf.txt", CHINESE_REPORT.replace("\n", "\r\n").replace("一、", "\r一、", 1))
    doc = load_document(path)
    assert "\r" not in doc.text
    assert doc.text.startswith("\u3000部门整体支出绩效自评报告\n")
    assert doc.text == CHINESE_REPORT.replace("一、", "\n一、", 1)


# --- docx and pdf -------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_rows_are_loaded(tmp_path):
    doc = load_document(_make_docx(tmp_path / "report.docx"))
    assert doc.text.splitlines() == [
        "部门整体支出绩效自评报告",
        "庐山市科学技术局",
        "一、部门概况",
        "2022年度部门预算收入130.74万元。",
        "项目\t金额",
        "人员支出\t98.5万元",
        "二、绩效目标完成情况",
    ]
    assert (doc.title, doc.department, doc.year) == (REPORT_TITLE, REPORT_DEPARTMENT, 2022)


def test_text_pdf_is_loaded(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    font = cjk_font()
    if font is not None:
        pdf.add_font("cjk", fname=str(font))
        pdf.set_font("cjk", size=12)
        lines = ["部门整体支出绩效自评报告", "庐山市科学技术局", "一、部门概况"]
    else:
        pdf.set_font("helvetica", size=12)
        lines = ["Performance self-evaluation report", "Science and Technology Bureau", "Budget revenue 2022"]
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "report.pdf"
    pdf.output(str(path))
    doc = load_document(path)
    for line in lines:
        assert line in doc.text
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_without_text_layer_is_rejected(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    path = tmp_path / "scanned-report.pdf"
    pdf.output(str(path))
    with pytest.raises(IngestError, match="scanned-report.pdf") as info:
        load_document(path)
    assert "no text layer" in str(info.value)


def test_corrupt_pdf_is_rejected(tmp_path):
    path = _write(tmp_path / "broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    with pytest.raises(IngestError, match="broken.pdf"):
        load_document(path)


# --- errors -------------------------------------------------------------------------------------


def test_empty_file_is_rejected(tmp_path):
    path = _write(tmp_path / "empty.txt", b"")
    with pytest.raises(IngestError, match="empty.txt"):
        load_document(path)


def test_whitespace_only_file_is_rejected(tmp_path):
    path = _write(tmp_path / "blank.txt", " \n\t\u3000\r\n  ")
    with pytest.raises(IngestError, match="blank.txt"):
        load_document(path)


def test_binary_file_renamed_txt_is_rejected(tmp_path):
    path = _write(tmp_path / "image.txt", bytes(range(256)) * 10)
    with pytest.raises(IngestError, match="image.txt") as info:
        load_document(path)
    assert "binary" in str(info.value)


def test_binary_file_without_nul_bytes_is_rejected(tmp_path):
    path = _write(tmp_path / "noise.txt", bytes(range(1, 32)) * 50)
    with pytest.raises(IngestError, match="noise.txt"):
        load_document(path)


def test_unsupported_extension_lists_supported_ones(tmp_path):
    path = _write(tmp_path / "budget.xlsx", b"PK\x03\x04 not really a workbook")
    with pytest.raises(IngestError, match="budget.xlsx") as info:
        load_document(path)
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in str(info.value)


def test_missing_path_is_rejected(tmp_path):
    with pytest.raises(IngestError, match="does-not-exist.txt"):
        load_document(tmp_path / "does-not-exist.txt")


def test_directory_given_to_load_document_is_rejected(tmp_path):
    folder = tmp_path / "reports.txt"
    folder.mkdir()
    with pytest.raises(IngestError, match="reports.txt"):
        load_document(folder)


def test_truncated_docx_is_rejected(tmp_path):
    whole = _make_docx(tmp_path / "whole.docx").read_bytes()
    path = _write(tmp_path / "truncated.docx", whole[: len(whole) // 2])
    with pytest.raises(IngestError, match="truncated.docx"):
        load_document(path)


def test_file_over_size_cap_is_rejected_with_size_and_limit(tmp_path):
    path = _write(tmp_path / "big.txt", CHINESE_REPORT)
    size = path.stat().st_size
    with pytest.raises(IngestError, match="big.txt") as info:
        load_document(path, max_bytes=100)
    assert str(size) in str(info.value) and "100" in str(info.value)


# --- overrides, file listing, metadata ----------------------------------------------------------


def test_department_and_year_arguments_override_parsed_values():
    doc = load_document(REPORT, department="X局", year=2021)
    assert (doc.department, doc.year) == ("X局", 2021)
    assert doc.title == REPORT_TITLE


def test_iter_report_files_lists_supported_files_recursively_and_sorted(tmp_path):
    _write(tmp_path / "b.txt", "x")
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub" / "a.PDF", "x")
    _write(tmp_path / "a.md", "x")
    _write(tmp_path / "notes.xlsx", "x")
    _write(tmp_path / "~$lock.docx", "x")
    assert iter_report_files(tmp_path) == [tmp_path / "a.md", tmp_path / "b.txt", tmp_path / "sub" / "a.PDF"]
    assert iter_report_files(tmp_path / "b.txt") == [tmp_path / "b.txt"]
    with pytest.raises(IngestError, match="missing-dir"):
        iter_report_files(tmp_path / "missing-dir")


def test_parse_metadata_puts_issuing_body_first_and_prefers_preamble_year():
    text = "九江市财政局\n2021年度部门决算绩效报告\n一、概况\n2022年计划。2022年预算。2021年执行。\n"
    assert parse_metadata(text) == ("九江市财政局2021年度部门决算绩效报告", "九江市财政局", 2021)


def test_parse_metadata_ignores_signing_date_line_in_title_and_year():
    text = "部门整体支出绩效自评报告\n庐山市科学技术局\n2023年4月\n一、概况\n2022年计划。2022年完成。\n"
    assert parse_metadata(text) == (REPORT_TITLE, REPORT_DEPARTMENT, 2022)


def test_parse_metadata_without_preamble_uses_first_line_and_regex_department():
    text = "一、部门概况" + "甲" * 80 + "\n庐山市教育局编制，2020年、2023年、2023年数据。\n"
    title, department, year = parse_metadata(text)
    assert title == ("一、部门概况" + "甲" * 80)[:60]
    assert department == "庐山市教育局"
    assert year == 2023


def test_parse_metadata_of_text_without_years_or_bodies():
    assert parse_metadata("hello world\nsecond line") == ("hello world", "", None)
