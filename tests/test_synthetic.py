"""The synthetic report generator: deterministic, figures that add up, the genre's structure, safe distractors."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

import pytest

from evals.synthetic import DEPARTMENTS, generate_corpus, report_slots
from ingest.chunker import SECTION_SEP, chunk_document
from ingest.loaders import load_document

_AMOUNT = r"([\d.]+)万元"


def _figures(text: str) -> dict[str, Decimal]:
    labels = {"total": r"\d{4}年总支出", "basic": "基本支出", "personnel": "人员支出", "public": "公用经费",
              "project": "项目支出"}
    return {key: Decimal(re.search(label + _AMOUNT, text).group(1)) for key, label in labels.items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate_corpus(12, seed=3, out_dir=tmp_path_factory.mktemp("synthetic"))


def test_same_seed_writes_identical_bytes(tmp_path, corpus):
    again = generate_corpus(12, seed=3, out_dir=tmp_path)

    assert [p.name for p in again] == [p.name for p in corpus]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in corpus]


def test_another_seed_writes_another_corpus(tmp_path, corpus):
    other = generate_corpus(12, seed=4, out_dir=tmp_path)

    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in corpus]


def test_every_report_is_a_distinct_department_place_and_year(tmp_path):
    paths = generate_corpus(200, seed=1, out_dir=tmp_path)

    assert len({p.name for p in paths}) == 200
    assert len({(d.department, d.year) for d in map(load_document, paths)}) == 200


def test_budget_figures_add_up(corpus):
    for path in corpus:
        f = _figures(path.read_text(encoding="utf-8"))

        assert f["total"] == f["basic"] + f["project"], path.name
        assert f["basic"] == f["personnel"] + f["public"], path.name


def test_years_lie_between_2019_and_2024_and_the_loader_reads_them(corpus):
    for path in corpus:
        doc = load_document(path)
        year = int(re.search(r"-(\d{4})-performance", path.name).group(1))

        assert 2019 <= doc.year <= 2024 and doc.year == year
        assert doc.department.endswith(("局", "委员会")) and doc.department in doc.title


def test_the_bundled_department_is_never_generated():
    assert not any("科学技术" in name or "科技" in name for name, *_ in DEPARTMENTS)


def test_chunker_finds_the_genre_section_paths(corpus):
    chunks = chunk_document(load_document(corpus[0]))
    sections = {c.section for c in chunks}

    assert "一、部门概况 › （五）当年部门预算及执行情况" in sections
    assert "一、部门概况 › （一）部门主要职责职能，组织架构、人员等基本情况 › 1、部门主要职责" in sections
    nested = [s for s in sections if s.startswith("三、") and s.count(SECTION_SEP) == 2]
    assert any("（一）主要问题及原因分析 › （一）资金保障不足" in s for s in nested)
    assert any("（二）改进的方向及具体措施 › （三）加强干部队伍建设" in s for s in nested)


def test_the_engine_extracts_the_synthetic_budget_as_facts(corpus):
    text = corpus[0].read_text(encoding="utf-8")
    facts = {f.label: f.value for c in chunk_document(load_document(corpus[0])) for f in c.facts}

    assert facts["基本支出"] == str(_figures(text)["basic"])
    assert facts["人员支出"] == str(_figures(text)["personnel"])


def test_a_corpus_larger_than_the_slots_is_refused(tmp_path):
    with pytest.raises(ValueError, match="between 0 and"):
        generate_corpus(len(report_slots()) + 1, seed=0, out_dir=tmp_path)


def test_bundled_answers_survive_synthetic_distractors(fast_assistant, report_path, tmp_path, assert_grounded):
    _with_distractors(fast_assistant, report_path, tmp_path, 20)
    scope = {"department": "庐山市科学技术局", "year": 2022}

    total = fast_assistant.ask("2022年科技局总支出是多少？")
    personnel = fast_assistant.ask("人员支出是多少？", filters=scope)
    director = fast_assistant.ask("局长是谁？", filters=scope)

    assert "623.97" in total.text and "130.74" in personnel.text
    assert director.abstained
    for answer in (total, personnel, director):
        assert_grounded(answer)


STATISTICS_REPORT = ("部门整体支出绩效自评报告\n庐山市统计局\n一、部门概况\n"
                     "2022年总支出456.78万元，其中基本支出300.00万元。\n")


def test_a_department_is_named_by_its_own_name_not_by_a_third_party_of_the_same_kind(fast_assistant, report_path,
                                                                                     tmp_path, assert_grounded):
    """The bundled report cites 九江市统计局 and 国家统计局; neither is the stored 庐山市统计局."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(report_path, folder / report_path.name)
    (folder / "tjj-2022.txt").write_text(STATISTICS_REPORT, encoding="utf-8")
    fast_assistant.ingest([folder], progress=False)

    checked = fast_assistant.ask("九江市统计局初审后核定了多少家填报企业？")
    national = fast_assistant.ask("国家统计局最终认定2021年庐山市全社会研发投入是多少？")
    own = fast_assistant.ask("统计局2022年总支出是多少？")
    own_full = fast_assistant.ask("庐山市统计局2022年总支出是多少？")

    assert "41家" in checked.text and "7800万元" in national.text
    assert {c.source for c in checked.citations + national.citations} == {report_path.name}
    for answer in (own, own_full):
        assert "456.78万元" in answer.text and {c.source for c in answer.citations} == {"tjj-2022.txt"}
    assert_grounded(checked)
    assert_grounded(national)


def test_an_english_department_name_selects_that_department(fast_assistant, report_path, tmp_path):
    _with_distractors(fast_assistant, report_path, tmp_path, 20)

    answer = fast_assistant.ask("What was the Lushan Science and Technology Bureau's total expenditure in 2022?")
    other = fast_assistant.ask("How much did the Bureau of Finance spend in total?")

    assert "623.97" in answer.text and {c.source for c in answer.citations} == {report_path.name}
    assert "问题未指明部门" not in answer.notice  # the question named it: no list of owners
    finance = {c.source for c in other.citations}
    assert finance and all("-czj-" in source for source in finance), finance


def test_a_year_only_other_reports_mention_is_out_of_the_selected_reports_scope(fast_assistant, report_path,
                                                                                tmp_path):
    _with_distractors(fast_assistant, report_path, tmp_path, 20)
    scope = {"department": "庐山市科学技术局", "year": 2022}
    assert 2024 in fast_assistant.years  # other reports are of 2024
    assert 2024 not in {int(y) for y in re.findall(r"20\d\d", report_path.read_text(encoding="utf-8"))}

    for question in ("2024年存在哪些问题？", "2024年科技局有什么工作计划？", "2024年总支出是多少？"):
        answer = fast_assistant.ask(question, filters=scope)
        assert answer.abstained and not answer.citations, (question, answer.text)
    assert "623.97" in fast_assistant.ask("2022年总支出是多少？", filters=scope).text
    assert not fast_assistant.ask("2022年存在哪些问题？", filters=scope).abstained


def _with_distractors(assistant, report_path, tmp_path, n: int) -> None:
    """Ingest the bundled report with `n` synthetic reports of other departments (seed 0)."""
    folder = tmp_path / "reports"
    generate_corpus(n, seed=0, out_dir=folder)
    shutil.copy(report_path, folder / report_path.name)
    assistant.ingest([folder], progress=False)
