"""Word and PDF 项目支出绩效自评表 built from `forms.json`, laid out like the real form: a funds table whose
first header cell spans two columns, an indicator table whose 绩效指标 and 一级/二级 cells are merged down,
an empty 成本指标 row, % and 分 values, 偏差原因 cells, a 总分 row, and the 自评等级 below.

    python -m evals.tables.forms OUT_DIR   → one .docx and one .pdf per form
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

FUNDS_HEADER = ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
INDICATOR_HEADER = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析及改进措施"]


def forms() -> list[dict]:
    return json.loads(resources.files(__package__).joinpath("forms.json").read_text(encoding="utf-8"))


def title(form: dict) -> str:
    return f"{form['body']}{form['year']}年度{form['project']}项目支出绩效自评报告"


def paragraphs_before(form: dict) -> list[str]:
    return [title(form), "一、项目基本情况", form["intro"], "二、项目支出绩效自评表"]


def _runs(column: list[str]) -> list[tuple[int, int]]:
    """(first row, rows) of each run of equal values in a column: the cells merged down."""
    runs, start = [], 0
    for i in range(1, len(column) + 1):
        if i == len(column) or column[i] != column[start]:
            runs.append((start, i - start))
            start = i
    return runs


def build_docx(form: dict, path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in paragraphs_before(form):
        document.add_paragraph(line)
    funds = document.add_table(rows=1 + len(form["funds"]), cols=len(FUNDS_HEADER))
    for j, text in enumerate(FUNDS_HEADER):
        funds.cell(0, j).text = text
    funds.cell(0, 0).merge(funds.cell(0, 1))
    funds.cell(0, 0).text = FUNDS_HEADER[0]
    for i, row in enumerate(form["funds"], start=1):
        for j, text in enumerate(row, start=1):
            funds.cell(i, j).text = text
    funds.cell(1, 0).merge(funds.cell(len(form["funds"]), 0)).text = "资金"
    document.add_paragraph("")
    rows = form["indicators"]
    table = document.add_table(rows=2 + len(rows), cols=len(INDICATOR_HEADER))
    for j, text in enumerate(INDICATOR_HEADER):
        table.cell(0, j).text = text
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row, start=1):
            table.cell(i, j).text = text
    table.cell(0, 0).merge(table.cell(len(rows), 0)).text = "绩效指标"
    for column in (0, 1):  # 一级指标, then 二级指标 within it
        for first, span in _runs([r[column] if column == 0 else r[0] + r[1] for r in rows]):
            if span > 1:
                table.cell(first + 1, column + 1).merge(table.cell(first + span, column + 1)).text = rows[first][column]
    last = len(rows) + 1
    table.cell(last, 0).merge(table.cell(last, 5)).text = "总分"
    table.cell(last, 6).text, table.cell(last, 7).text = form["total"]
    document.add_paragraph(f"自评等级：{form['grade']}")
    document.save(str(path))
    return path


def build_pdf(form: dict, path: Path, font: Path) -> Path:
    """The same form as a text PDF; the indicator table runs over two pages (its header repeats)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="L")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=9)
    pdf.add_page()
    for line in paragraphs_before(form):
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(first_row_as_headings=False) as funds:
        funds.row(FUNDS_HEADER)
        for row in form["funds"]:
            funds.row(["资金", *row])
    pdf.add_page()  # the indicator table starts low on a page, so it runs over onto the next
    pdf.set_y(150)
    rows = form["indicators"]
    with pdf.table(col_widths=(14, 18, 22, 34, 22, 22, 12, 12, 60), repeat_headings=1,
                   headings_style=FontFace(emphasis="")) as table:
        table.row(INDICATOR_HEADER)
        for row in rows:
            table.row(["绩效指标", *row])
        table.row(["总分", "", "", "", "", "", *form["total"], ""])
    pdf.multi_cell(0, 8, f"自评等级：{form['grade']}", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def build_all(out: Path, font: Path | None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for form in forms():
        made.append(build_docx(form, out / f"{form['id']}.docx"))
        if font is not None:
            made.append(build_pdf(form, out / f"{form['id']}.pdf", font))
    return made


if __name__ == "__main__":
    from evals.tables.fonts import cjk_font

    for made in build_all(Path(sys.argv[1]), cjk_font()):
        print(made)
