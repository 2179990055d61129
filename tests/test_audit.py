"""The report audit's checks, on the bundled report (findings checked by hand) and on small synthetic reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.audit import Finding, Kind, Status, audit_chunks, audit_document
from ingest.loaders import load_document

HEAD = " 部门整体支出绩效自评报告\n 某县科学技术局\n\n"
TARGETS = "一、部门概况\n（一）当年部门年度整体支出绩效目标。\n2023年我局部门年度整体支出绩效目标：{targets}\n"
SPENDING = ("（二）当年部门预算及执行情况。\n2023年总支出{total}万元，其中：基本支出150万元（包含人员支出112.35万元，"
            "公用经费{public}万元），项目支出200.5万元（其中：科技奖补资金80.5万元，科技计划项目资金120万元）。\n")
# Every sum holds: 112.35 + 37.65 = 150; 80.5 + 120 = 200.5; 150 + 200.5 = 350.5; the targets add up to 350.5;
# 76.2 is a 2022年度 amount; the two 满意度 rates are two different quantities; 年初预算总支出 is a budget, not 总支出.
CONSISTENT = HEAD + TARGETS.format(targets="一是兑现科技奖补资金80.50万元；二是拨付科技计划项目资金120万元；"
                                           "三是机关行政运行150.00万元。") + \
    SPENDING.format(total="350.5", public="37.65") + """二、部门整体支出绩效实现情况
1、兑现科技奖补资金80.5万元，同时兑现2022年度科技奖补资金76.2万元。全社会研发投入经费为9500万元，同比增长6.2%。
2、组织发放第三批科技特派员补助12万元（其中：县级补助7万元，乡镇补助5万元）。服务对象满意度达96%；企业满意度达98%。
3、2023年初预算总支出300万元，年中追加项目资金50.5万元。
三、存在问题
全社会研发投入9500万元，增长6.2%，但占比仍偏低。
"""
# 总支出 360.5 ≠ 150 + 200.5; 基本支出 150 ≠ 112.35 + 27.65; the 奖补 target 90 ≠ 80.5 spent; the growth rate
# 6.2% in 二 and 5.8% in 三; 第 批 and “补助 万元” are blanks; 高新技术企3家 is cut off.
BROKEN = HEAD + TARGETS.format(targets="一是兑现科技奖补资金90万元；二是拨付科技计划项目资金120万元；三是机关行政运行150万元。") + \
    SPENDING.format(total="360.5", public="27.65") + """二、部门整体支出绩效实现情况
1、兑现科技奖补资金80.5万元。全社会研发投入经费为9500万元，同比增长6.2%。
2、组织发放第 批科技特派员补助 万元。
三、存在问题
全社会研发投入9500万元，增长5.8%，但占比仍偏低。组织8家企业申报高新技术企3家企业通过认定。
"""
SEPARATE_SENTENCES = HEAD + "一、部门预算及执行情况\n2023年基本支出150万元。人员支出112.35万元。公用经费{public}万元。\n" \
    "2023年项目支出200.5万元。2023年总支出350.5万元。\n"


@pytest.fixture(scope="module")
def findings(report_chunks) -> list[Finding]:
    return audit_chunks(report_chunks)


def audit_text(tmp_path: Path, text: str, name: str = "synthetic-2023.txt") -> list[Finding]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return audit_document(load_document(path))


def of_kind(findings: list[Finding], kind: Kind) -> list[Finding]:
    return [f for f in findings if f.kind is kind]


def summary(findings: list[Finding]) -> set[tuple]:
    return {(f.kind, f.status, f.expected, f.actual) for f in findings}


# --- the bundled report ---------------------------------------------------------------------------

def test_every_finding_quotes_the_report_at_its_offsets(findings, report_text, report_path):
    assert findings
    for finding in findings:
        assert finding.message and "\n" not in finding.message
        for span in finding.spans:
            assert span.source == report_path.name
            assert report_text[span.start:span.end] == span.quote


def test_parts_against_totals_on_the_bundled_report(findings):
    sums = of_kind(findings, Kind.PARTS_SUM)

    # 一(五): 基本支出174.63万元（包含人员支出130.74万元，公用经费43.89万元）: 130.74 + 43.89 = 174.63.
    # 一(五): 总支出623.97万元 = 基本支出174.63 + 项目支出“449.34.34” — holds when 项目支出 is read as
    #         449.34, what its items give; the status says the stated part is malformed.
    # 一(五): 项目支出449.34.34万元（其中：本级科技创新奖励123.9万元，省、市科技项目资金325.44万元）: 123.9 + 325.44
    #         = 449.34, against a malformed total.
    # 二(一)4: 金额共计500万元（金鹰科技200万元、乐胜300万元）: 200 + 300 = 500.
    assert summary(sums) == {
        (Kind.PARTS_SUM, Status.HOLDS, "174.63", "174.63"),
        (Kind.PARTS_SUM, Status.MALFORMED, "623.97", "623.97"),
        (Kind.PARTS_SUM, Status.MALFORMED, "449.34", "449.34.34"),
        (Kind.PARTS_SUM, Status.HOLDS, "500", "500"),
    }
    total = next(f for f in sums if f.actual == "623.97")
    assert total.message.startswith("总支出 = 基本支出 + 项目支出")
    assert "174.63 + 449.34 = 623.97" in total.message and "相符" in total.message
    assert [s.quote for s in total.spans] == ["2022年总支出623.97万元", "基本支出174.63万元", "项目支出449.34.34万元"]
    basic = next(f for f in sums if f.actual == "174.63")
    assert basic.message.startswith("基本支出 = 人员支出 + 公用经费：130.74 + 43.89 = 174.63")


def test_performance_targets_against_the_spending_reported(findings):
    targets = of_kind(findings, Kind.TARGET)

    # 一(三) 目标: 兑现奖补资金123.90 / 拨付…项目 资金325.44 / 机关行政运行174.63 against 一(五): 本级科技创新奖励123.9,
    # 省、市科技项目资金325.44, 基本支出174.63; and 123.90 + 325.44 + 174.63 = 623.97 = 总支出.
    assert summary(targets) == {
        (Kind.TARGET, Status.HOLDS, "123.90", "123.9"),
        (Kind.TARGET, Status.HOLDS, "325.44", "325.44"),
        (Kind.TARGET, Status.HOLDS, "174.63", "174.63"),
        (Kind.TARGET, Status.HOLDS, "623.97", "623.97"),
    }
    operation = next(f for f in targets if f.expected == "174.63")
    assert [s.quote for s in operation.spans] == ["三是机关行政运行174.63万元", "基本支出174.63万元"]


def test_the_growth_rate_written_two_ways_is_a_contradiction_and_the_2021_fund_is_not(findings):
    restated = of_kind(findings, Kind.RESTATED) + of_kind(findings, Kind.OTHER_YEAR)

    # 一(四) “全社会研发投入经费为7800万元，增长8.33%” vs 二(一)5 “…2021年全社会研发投入7800万元，同比增长8.3%”:
    # one rate of one 7800万元, two values. 一(三) 123.90, 一(四) 123.9 and 一(五) 123.9 are one fund, equal.
    # 二(一)2 “兑现2021年度…奖励资金120.1万元” is the 2021 fund: a different quantity, not a contradiction.
    assert summary(restated) == {
        (Kind.RESTATED, Status.DIFFERS, "8.33", "8.3"),
        (Kind.RESTATED, Status.HOLDS, "123.90", "123.9"),
        (Kind.OTHER_YEAR, Status.HOLDS, "123.9", "120.1"),
    }
    rate = next(f for f in restated if f.status is Status.DIFFERS)
    assert [s.quote for s in rate.spans] == ["增长8.33%", "同比增长8.3%"]
    assert "全社会研发投入7800万元" in rate.message and "舍入" in rate.message
    fund = next(f for f in restated if f.kind is Kind.RESTATED and f.status is Status.HOLDS)
    assert [s.start for s in fund.spans] == [636, 835, 1195]
    other_year = next(f for f in restated if f.kind is Kind.OTHER_YEAR)
    assert "2021" in other_year.message and "2022" in other_year.message and "不构成矛盾" in other_year.message
    assert any("2021年度" in s.quote and "120.1" in s.quote for s in other_year.spans)


def test_malformed_amount_shows_the_value_its_parts_imply(findings):
    (malformed,) = of_kind(findings, Kind.MALFORMED)

    # 一(五): 项目支出449.34.34万元; its items 123.9 + 325.44 = 449.34, and 623.97 − 174.63 = 449.34 too.
    assert (malformed.status, malformed.expected, malformed.actual) == (Status.MALFORMED, "449.34", "449.34.34")
    assert malformed.spans[0].quote == "项目支出449.34.34万元" and malformed.spans[0].start == 1176
    assert "原文写作“449.34.34万元”" in malformed.message
    assert "按分项（123.9 + 325.44）计算应为 449.34 万元" in malformed.message
    assert "623.97 − 174.63" in malformed.message


def test_blanks_and_garbled_text_on_the_bundled_report(findings):
    text_findings = of_kind(findings, Kind.BLANK) + of_kind(findings, Kind.TRUNCATED) + of_kind(findings, Kind.TYPO)

    # 二(一)2: “组织发放庐山市第 届“510”科技创新人才” — the 届 number is missing.
    # 一(四): “6家企业在网上申报国家高新技术企2家企业进入…” — 企业 cut to 企, the rest of the sentence missing.
    # 一(五): “财政拔款收入232.7万元” — 拔款 for 拨款.
    assert [(f.kind, f.status, f.spans[0].quote, f.spans[0].start) for f in text_findings] == [
        (Kind.BLANK, Status.BLANK, "第 届", 1624),
        (Kind.TRUNCATED, Status.BLANK, "国家高新技术企2家", 798),
        (Kind.TYPO, Status.MALFORMED, "拔款", 1103),
    ]
    assert "“国家高新技术企业”被截断" in text_findings[1].message


def test_the_bundled_report_has_exactly_these_problems(findings):
    problems = [(f.kind.value, f.status.value) for f in findings if f.is_problem]

    assert sorted(problems) == sorted([
        ("parts_sum", "malformed"), ("parts_sum", "malformed"), ("restated", "differs"),
        ("malformed_number", "malformed"), ("blank", "blank"), ("truncated", "blank"), ("typo", "malformed"),
    ])
    assert findings[:len(problems)] == [f for f in findings if f.is_problem]  # problems come first


# --- synthetic reports ------------------------------------------------------------------------------

def test_consistent_report_gives_no_false_alarms(tmp_path):
    findings = audit_text(tmp_path, CONSISTENT)

    assert [f.message for f in findings if f.is_problem] == []
    assert summary(of_kind(findings, Kind.PARTS_SUM)) == {
        (Kind.PARTS_SUM, Status.HOLDS, "350.5", "350.5"), (Kind.PARTS_SUM, Status.HOLDS, "150", "150"),
        (Kind.PARTS_SUM, Status.HOLDS, "200.5", "200.5"), (Kind.PARTS_SUM, Status.HOLDS, "12", "12"),
    }
    assert {f.status for f in of_kind(findings, Kind.TARGET)} == {Status.HOLDS}
    assert len(of_kind(findings, Kind.TARGET)) == 4
    (other_year,) = of_kind(findings, Kind.OTHER_YEAR)
    assert other_year.actual == "76.2" and "2022" in other_year.message


def test_broken_sums_targets_and_rates_are_caught(tmp_path):
    findings = audit_text(tmp_path, BROKEN)

    assert summary([f for f in findings if f.status in (Status.FAILS, Status.DIFFERS)]) == {
        (Kind.PARTS_SUM, Status.FAILS, "350.5", "360.5"),  # 150 + 200.5
        (Kind.PARTS_SUM, Status.FAILS, "140", "150"),  # 112.35 + 27.65
        (Kind.TARGET, Status.DIFFERS, "90", "80.5"),
        (Kind.TARGET, Status.DIFFERS, "360", "360.5"),  # 90 + 120 + 150 against 总支出
        (Kind.RESTATED, Status.DIFFERS, "6.2", "5.8"),
    }
    failed = next(f for f in findings if f.actual == "360.5" and f.kind is Kind.PARTS_SUM)
    assert "相差 10 万元" in failed.message
    rate = next(f for f in findings if f.kind is Kind.RESTATED)
    assert "舍入" not in rate.message and "全社会研发投入9500万元" in rate.message


def test_broken_report_blanks_and_cut_off_term_are_caught(tmp_path):
    findings = audit_text(tmp_path, BROKEN)

    assert [f.spans[0].quote for f in of_kind(findings, Kind.BLANK)] == ["第 批", " 万元"]
    (cut,) = of_kind(findings, Kind.TRUNCATED)
    assert cut.spans[0].quote == "高新技术企3家" and cut.expected == "高新技术企业"


def test_malformed_amount_without_parts_says_it_cannot_be_inferred(tmp_path):
    text = HEAD + "一、部门预算及执行情况\n2023年总支出350.5万元，其中：基本支出150万元，项目支出200.5.5万元" \
                  "（其中：科技奖补资金80.5万元，科技计划项目资金120万元）。\n二、其他\n退休人员经费12.3.4万元。\n"
    findings = of_kind(audit_text(tmp_path, text), Kind.MALFORMED)

    assert [(f.actual, f.expected) for f in findings] == [("200.5.5", "200.5"), ("12.3.4", None)]
    assert "按分项（80.5 + 120）计算应为 200.5 万元" in findings[0].message
    assert "无法推定" in findings[1].message


@pytest.mark.parametrize(("public", "status", "expected"), [("37.65", Status.HOLDS, "150"),
                                                            ("47.65", Status.FAILS, "160")])
def test_named_parts_stated_in_separate_sentences_are_checked_by_their_labels(tmp_path, public, status, expected):
    findings = audit_text(tmp_path, SEPARATE_SENTENCES.format(public=public))

    basic = next(f for f in findings if f.message.startswith("基本支出 = 人员支出 + 公用经费"))
    assert (basic.status, basic.expected, basic.actual) == (status, expected, "150")
    total = next(f for f in findings if f.message.startswith("总支出 = 基本支出 + 项目支出"))
    assert total.status is Status.HOLDS


def test_reports_are_audited_apart_and_never_compared_with_each_other(tmp_path, report_chunks):
    from ingest.chunker import chunk_document

    path = tmp_path / "synthetic-2023.txt"
    path.write_text(CONSISTENT, encoding="utf-8")
    both = audit_chunks([*report_chunks, *chunk_document(load_document(path))])

    assert all(len({s.source for s in f.spans}) == 1 for f in both)
    assert len(both) == len(audit_chunks(report_chunks)) + len(audit_text(tmp_path, CONSISTENT, "again.txt"))


@pytest.mark.parametrize(("sentence", "blank"), [
    ("组织发放第 届科技创新人才津贴10万元。", "第 届"),
    ("组织发放第届科技创新人才津贴10万元。", "第届"),
    ("兑现奖补资金 万元。", " 万元"),
    ("兑现奖补资金共计万元。", "共计万元"),
    ("认定企业（ ）家。", "（ ）"),
    ("兑现奖补资金XX万元。", "XX"),
    ("组织发放第二届科技创新人才第二期津贴10万元。", None),
    ("本表单位：万元。", None),
    ("按照 “重点产业＋创新服务平台”的模式，申报高新技术企业3家。", None),
])
def test_blank_where_a_number_belongs_is_found_and_filled_text_is_not(tmp_path, sentence, blank):
    findings = of_kind(audit_text(tmp_path, HEAD + "一、部门概况\n" + sentence + "\n"), Kind.BLANK)

    assert [f.spans[0].quote for f in findings] == ([blank] if blank else [])


# --- real openings of other bodies (evals/real/reports), each read by hand --------------------------------------

def _restated_conflicts(rid: str) -> list[Finding]:
    from evals.real import report_files

    found = audit_document(load_document(report_files()[rid]))
    return [f for f in found if f.kind is Kind.RESTATED and f.status is Status.DIFFERS]


@pytest.mark.parametrize("rid", ["r10", "r12"])
def test_parallel_items_of_a_real_report_are_not_one_quantity(rid):
    # r10: 一是…即“三区”人才计划…合计75万元,已于本年度支出75万元; 二是…合计3624.71万元,已于本年度支出3624.71万元:
    # each 已于本年度支出 is its own fund's. r12: 因公出国(境)费, 公务用车购置费, 公务用车运行维护费 and 公务接待费
    # each have their own 支出决算 and 完成年初预算的…%; 公务用车购置 is a part of 公务用车购置及运行维护费.
    assert [f.message for f in _restated_conflicts(rid)] == []


def test_a_real_misprint_restating_a_total_is_still_caught():
    # r05 states 支出总计1,867.48万元 in 一（一） and 支出总计,867.48万元 in 二（一）: the leading 1 is lost.
    quoted = {(f.expected, f.actual) for f in _restated_conflicts("r05")}

    assert ("1,867.48", ",867.48") in quoted or ("1,867.48", "867.48") in quoted


def test_an_aside_inside_a_name_stays_in_its_label():
    from ingest.facts import extract_facts

    text = "其中：因公出国（境）费支出决算为0元，完成年初预算的0%；（一）公务接待费支出决算为3,080元。"
    facts = extract_facts(text, 0, len(text))

    assert [(f.label, f.value) for f in facts] == [
        ("因公出国（境）费支出决算", "0"), ("完成年初预算", "0"), ("公务接待费支出决算", "3,080")]
    assert facts[1].of == "因公出国（境）费支出决算"  # the rate is of the fee the clause before names
