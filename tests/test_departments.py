"""Departments and years for any body: the issuer of each real opening, short forms by general rules, and a
short form in a question naming the stored department."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.departments import abbreviates, aliases, named_in, short_forms
from ingest.issuer import parse_issuer
from ingest.loaders import load_document

REAL = Path(__file__).resolve().parents[1] / "evals" / "real" / "reports"


@pytest.mark.parametrize("prefix, department, year", [
    ("r01", "海口市秀英区水务局", 2022),
    ("r02", "衡阳市公安局", 2020),  # the title names no body; 设立市公安局 in the text, 衡阳市 the place
    ("r03", "大足区林业局", 2020),  # 2020年度林业局(本级)… in the title: not 年度林业局
    ("r04", "西平县交通运输局", 2022),  # no title; 《河南省财政厅…》 is a document cited, not the issuer
    ("r05", "重庆市铜梁区小林镇人民政府", 2022),
    ("r06", "内蒙古自治区人力资源和社会保障厅", 2020),  # 自评单位: field
    ("r07", "广水市教育局", 2023),
    ("r08", "昆明市呈贡区云大附中呈贡中学", 2023),
    ("r09", "红河州数据发展中心", 2024),
    ("r10", "霍邱县教育局", 2022),
    ("r11", "开远市人民政府大数据研究中心", 2020),
    ("r12", "寻甸县文化和旅游局", 2022),
])
def test_each_real_opening_is_by_its_own_body(prefix, department, year):
    path = next(REAL.glob(f"{prefix}-*.txt"))
    doc = load_document(path)
    assert (doc.department, doc.year) == (department, year)
    assert parse_issuer(path.read_text(encoding="utf-8")) == department


@pytest.mark.parametrize("full, short", [
    ("茂名市发展和改革局", "发改局"), ("寻甸县文化和旅游局", "文旅局"), ("衡阳市卫生健康委员会", "卫健委"),
    ("内蒙古自治区人力资源和社会保障厅", "人社厅"), ("南昌市科学技术局", "科技局"),
])
def test_short_forms_follow_general_rules(full, short):
    assert short in short_forms(full) or abbreviates(short, full)


@pytest.mark.parametrize("short, full, expected", [
    ("交通局", "西平县交通运输局", True), ("西平县交通局", "西平县交通运输局", True), ("住建局", "永修县住房和城乡建设局", True),
    ("卫健委", "衡阳市卫生健康委员会", True), ("公安局", "西平县交通运输局", False),
    ("九江市科技局", "庐山市科学技术局", False), ("统计局", "庐山市科学技术局", False),
    # A place by its name alone, without 县 or 市: the rest still names the body.
    ("寻甸文旅局", "寻甸回族彝族自治县文化和旅游局", True), ("衡阳公安局", "衡阳市公安局", True),
    ("衡山公安局", "衡阳市公安局", False),
    # A research or service centre is a centre; a government's centre is named without 人民政府.
    ("开远大数据中心", "开远市人民政府大数据研究中心", True), ("大数据中心", "开远市人民政府大数据研究中心", True),
    ("数据中心", "开远市人民政府大数据研究中心", False), ("开远公安局", "开远市人民政府大数据研究中心", False),
])
def test_a_short_form_names_its_department_and_no_other(short, full, expected):
    assert abbreviates(short, full) is expected


def test_a_question_names_the_stored_department_by_a_short_form():
    stored = ["茂名市发展和改革局", "寻甸县文化和旅游局", "衡阳市公安局"]
    assert named_in("发改局今年的重点任务有哪些", stored) == ["茂名市发展和改革局"]
    assert named_in("寻甸文旅局三公经费是多少", stored) == ["寻甸县文化和旅游局"]
    assert "衡阳市公安局" in aliases("衡阳市公安局") and "公安局" in aliases("衡阳市公安局")


def test_a_school_named_after_its_district_is_known_by_that_name():
    # 某市某区甲大附中某中学: the school inside the affiliate's name goes by its district's name and its kind.
    names = aliases("昆明市呈贡区云大附中呈贡中学")
    assert {"呈贡中学", "云大附中呈贡中学"} <= names
    assert "昆明中学" not in names and "中学" not in names
    assert aliases("衡阳市公安局") == {"衡阳市公安局", "公安局"}  # no place inside its name: nothing more
