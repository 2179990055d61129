"""The page the desk wraps around Gradio's: Chinese HTML, and the full report text with the cited passage marked."""

from __future__ import annotations

from types import SimpleNamespace

from ui.page import chinese_page, report_page

TEXT = ("某局2023年度部门整体支出绩效自评报告\n\n一、部门概况\n2023年总支出888.88万元，其中人员支出500.00万元。\n"
        "二、存在的问题\n预算编制不够精细。")


def chunks_of(text: str, *spans: tuple[int, int]) -> list:
    return [SimpleNamespace(text=text[a:b], source="r.txt", start=a, end=b, title="某局绩效自评报告",
                            department="某局", year=2023) for a, b in spans]


def test_the_full_text_is_laid_out_from_its_chunks_with_the_cited_passage_marked():
    quote = "2023年总支出888.88万元"
    start = TEXT.index(quote)
    overlapping = chunks_of(TEXT, (0, 20), (22, 60), (40, len(TEXT)))  # a gap after the title, an overlap

    status, html = report_page(overlapping, {"source": ["r.txt"], "start": [str(start)], "end": [str(start + len(quote))]})

    assert status == 200 and '<html lang="zh-CN">' in html and "《某局绩效自评报告》" in html
    assert f'<mark id="rq-here">{quote}</mark>，其中人员支出500.00万元。' in html
    assert html.count("预算编制不够精细") == 1 and html.count("其中人员支出") == 1  # overlaps are laid once
    assert "某局 · 2023 年度" in html


def test_an_unknown_report_or_a_bad_span_gets_a_plain_page_not_an_error():
    chunks = chunks_of(TEXT, (0, len(TEXT)))

    status, html = report_page(chunks, {"source": ["<x>.txt"]})
    assert status == 404 and "没有名为“&lt;x&gt;.txt”的已入库报告" in html
    status, html = report_page(chunks, {"source": ["r.txt"], "start": ["9"], "end": ["abc"]})
    assert status == 200 and "<mark" not in html and "预算编制不够精细" in html


def test_gradios_page_becomes_chinese_with_the_desks_script_before_any_other():
    page = '<!doctype html>\n<html\n\tlang="en"\n>\n\t<head>\n<script type="module" src="x.js"></script>'

    out = chinese_page(page)

    assert 'lang="zh-CN"' in out and 'lang="en"' not in out
    assert out.index('navigator, "language"') < out.index('src="x.js"')
    assert chinese_page("{}") == "{}"  # not a page: untouched
