"""Numbered items in running text and in tables flattened one cell per line, on the real openings and small
fixtures; and the list answers built from them."""

from __future__ import annotations

from pathlib import Path

from ingest.enumerations import leading_number, marker_free, numbered_items

REPORTS = Path(__file__).resolve().parents[1] / "evals" / "real" / "reports"


def _items(text: str) -> list[str]:
    return [marker_free(text[s:e]) for s, e in numbered_items(text)]


def test_a_table_flattened_one_cell_per_line_gives_its_rows_in_order():
    text = (REPORTS / "r02-hengyang-gongan-2020.txt").read_text(encoding="utf-8")
    items = _items(text)
    assert items[0] == "预防、制止和侦查违法犯罪活动;"
    assert items[2] == "维护交通安全和交通秩序,处理交通事故;"
    assert "管理集会、游行、示威活动;" in items
    # each item is an exact span of the source: a citation can point at it
    for s, e in numbered_items(text):
        assert text[s:e].strip() and text[s:e] in text


def test_items_numbered_with_a_closing_bracket_are_not_mixed_with_headings_numbered_1_and_2():
    text = (REPORTS / "r11-kaiyuan-dashuju-2020.txt").read_text(encoding="utf-8")
    items = _items(text)
    assert items[0] == "负责政府上网工程的规划、建设、维护和管理"
    assert items[3] == "承担市信息化工作领导小组办公室的日常工作。"
    assert not any(i.startswith("组织机构设置情况") for i in items)  # 1、组织机构设置情况 is a heading


def test_inline_chinese_numbered_items_in_a_form_run_together_on_one_line():
    text = (REPORTS / "r07-guangshui-jiaoyu-mubiao-2023.txt").read_text(encoding="utf-8")
    items = _items(text)
    assert items[0] == "贯彻执行党和国家关于教育改革与发展的各项方针、政策、法律法规"
    assert items[1].startswith("研究拟订全市教育发展规划")


def test_numbers_inside_amounts_or_out_of_sequence_are_no_enumeration():
    assert numbered_items("比上年增长2.5万元，其中1.5万元用于培训。") == []
    assert numbered_items("（二）只有一项\n（五）另一项") == []  # no item numbered 1
    assert numbered_items("甲：\n①一项\n②二项") and len(numbered_items("甲：\n①一项\n②二项")) == 2


def test_the_marker_a_paragraph_starts_with():
    assert leading_number("2).负责市级机关电子政务") == ("arabic_paren", 2)
    assert leading_number("（三）统筹管理") == ("paren_cn", 3)
    assert leading_number("12") == ("cell", 12)
    assert leading_number("2020年度部门整体支出") is None


# --- figures relative to the one before them, and the measure a figure is asked in ------------------------------

def test_a_growth_stated_after_a_figure_is_a_growth_of_that_figures_subject():
    from ingest.facts import extract_facts

    text = (REPORTS / "r05-xiaolin-zhen-juesuan-2022.txt").read_text(encoding="utf-8")
    facts = {(f.of, f.label, f.value, f.unit) for f in extract_facts(text, 0, len(text))}
    assert ("", "税收收入", "109.91", "万元") in facts
    assert ("税收收入", "增长", "14.5", "%") in facts  # …其中税收收入109.91万元,增长14.5%
    assert any(of.endswith("收入实现") and label == "比上年增长" and value == "9.0" for of, label, value, _ in facts)
    assert any("支出" in of and label == "比上年降低" and value == "30.2" for of, label, value, _ in facts)


def test_the_measure_a_figure_is_asked_in_comes_from_the_genres_measure_words():
    from assistant.asks import asked_measure
    from assistant.slots import states_measure

    assert asked_measure("一共拿到多少衔接资金") == ""  # 衔 is no measure word
    assert asked_measure("完成了多少亩造林绿化") == "亩"
    assert asked_measure("这个项目要修多少公里路") == "公里"
    assert states_measure("核定事业编制12名", "人")  # people are counted in 人 or 名
    assert not states_measure("7个内设机构", "亩")


def test_one_parser_reads_chinese_numerals_everywhere():
    from assistant.verify import unsupported_numbers
    from ingest.numerals import cn_int
    from ingest.structure import cn_to_int

    assert [cn_int(x) for x in ("十二", "二十三", "一百零五", "两", "１", "12")] == [12, 23, 105, 2, 1, 12]
    assert cn_int("①") is None and cn_int("万元") is None
    assert cn_to_int("十一") == 11  # heading （十一）
    assert len(numbered_items("（一）甲\n（二）乙\n（三）丙")) == 3
    # a figure in Chinese numerals is checked like any other against its source
    assert unsupported_numbers("共九千九百九十九万元", ["合计9999万元"]) == []
    assert unsupported_numbers("共九千万元", ["合计9999万元"]) != []
