"""The engine knows the genre, never one report: no file of the engine (code, comments or data) names a body,
firm, programme or place of the bundled report, in Chinese or pinyin. What a report's own names are is learned
from that report at ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ("assistant", "ingest", "vectorstore")
# Proper names of the bundled report: its firms, programmes, stations, parks and places.
NAMES = ("科贷通", "惠企通", "金鹿", "金鹰", "乐胜", "新恒", "捷豹", "嘉陶", "鄱湖", "植物园", "海智", "双千", "庐山",
         "九江", "腾笼", "海庐", "神州通", "lushan", "kedaitong", "huiqitong", "jinlu", "jinying", "lesheng", "xinheng",
         "jiebao", "poyang", "haizhi", "shuangqian", "jiujiang")


def engine_files() -> list[Path]:
    return [p for package in ENGINE for p in sorted((ROOT / package).rglob("*"))
            if p.is_file() and p.suffix in {".py", ".txt", ".toml", ".json", ".md"}]


def test_the_engine_has_files_to_check():
    assert len(engine_files()) > 30


@pytest.mark.parametrize("name", NAMES)
def test_no_engine_file_names_the_bundled_reports_own_names(name):
    found = [f"{p.relative_to(ROOT)}:{i}" for p in engine_files()
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if name in line.lower()]
    assert not found, f"{name} appears in the engine: {found[:5]}"


def test_the_bundled_report_does_use_those_names():
    """The list is of real names: each Chinese one is in the bundled report (so the check above can fail)."""
    text = (ROOT / "data" / "reports" / "lushan-kjj-2022-performance-self-evaluation.txt").read_text(encoding="utf-8")
    chinese = [n for n in NAMES if not n.isascii()]
    assert [n for n in chinese if n not in text] == []


# Places and proper names of the twelve real openings the engine is developed against (evals/real/reports): the
# engine learns them at ingest, and its code, comments and data use none of them, not even as examples.
REAL_NAMES = ("秀英", "海口", "西秀镇", "龙头村", "衡阳", "大足", "西平", "小林镇", "铜梁", "内蒙古", "广水", "呈贡",
              "云大附中", "红河", "数说红河", "蒙自", "霍邱", "开远", "寻甸")


@pytest.mark.parametrize("name", REAL_NAMES)
def test_no_engine_file_names_a_real_openings_places(name):
    found = [f"{p.relative_to(ROOT)}:{i}" for p in engine_files()
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if name in line]
    assert not found, f"{name} appears in the engine: {found[:5]}"


def test_the_real_openings_do_use_those_names():
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "evals" / "real" / "reports").glob("*.txt")))
    assert [n for n in REAL_NAMES if n not in text] == []
