"""Questions in neither Chinese nor English get a short polite reply, in their own language where the data has it,
with no citation and before anything is searched; Chinese, English and mixed questions are read as before."""

from __future__ import annotations

import pytest

from assistant.knowledge import load
from assistant.language import other_language
from assistant.models import Mode
from assistant.plan import AnswerKind

DESK_LINE = load("languages")["desk"]["line"]


@pytest.mark.parametrize("question, code", [
    ("2022年の総支出は？", "ja"),  # kanji and kana: the kana say Japanese
    ("総支出はいくらですか", "ja"),
    ("2022년 총지출은 얼마입니까?", "ko"),
    ("Каковы общие расходы в 2022 году?", "ru"),
    ("ما هو إجمالي الإنفاق في عام 2022؟", "ar"),
    ("ค่าใช้จ่ายทั้งหมดในปี 2022 คือเท่าไร", "th"),
    ("Ποιες ήταν οι συνολικές δαπάνες το 2022;", "el"),
    ("מה היו סך ההוצאות ב-2022?", "he"),
    ("2022 में कुल व्यय कितना था?", "hi"),
    ("Quelle est la dépense totale en 2022 ?", "fr"),
    ("Wie hoch waren die Gesamtausgaben 2022?", "de"),
    ("¿Cuál fue el gasto total en 2022?", "es"),
    ("Qual è stata la spesa totale nel 2022?", "it"),
    ("Qual foi a despesa total em 2022?", "pt"),
    ("Ընդհանուր ծախսերը 2022-ին", ""),  # a script with no reply of its own: the desk's line alone
])
def test_a_question_in_another_language_is_told_by_its_letters_or_function_words(question, code):
    found = other_language(question)
    assert found is not None and found.code == code
    assert found.reply.endswith(DESK_LINE)


@pytest.mark.parametrize("question", [
    "R&D投入是多少", "GDP增长了多少？", "2022年总支出是多少？", "12345", "β系数是多少",
    "What was the total expenditure in 2022?", "How much did the café cost?",
    "What is the budget of the Fête de la Science programme?", "What was spent on the Le Monde subscription?",
    "科技局的 total spending in 2022 是多少?", "How many enterprises? 几家", "Total spending 2022?",
    "“Fête de la Science”活动有几场？", "《Война и мир》读书活动办了几场？",
    "2022年 science bureau 总支出 ist wie viel？ Сколько?", "科技局 budget total est combien ?",
])
def test_chinese_english_and_mixed_questions_are_not_taken_for_another_language(question):
    assert other_language(question) is None


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, report_path):
    from conftest import _fast_assistant

    assistant = _fast_assistant(tmp_path_factory.mktemp("languages") / "data")
    assistant.ingest([report_path], progress=False)
    return assistant


def test_a_french_question_gets_a_polite_french_reply_with_no_citation_and_no_search(bundled, monkeypatch):
    def no_search(*args, **kwargs):
        raise AssertionError("a question in another language must not be searched")

    monkeypatch.setattr(bundled, "search", no_search)
    monkeypatch.setattr(bundled.tables, "answer", no_search)
    answer = bundled.ask("Quelle est la dépense totale en 2022 ?")
    assert answer.abstained and answer.citations == []
    assert "chinois et en anglais" in answer.text and DESK_LINE in answer.text
    assert "623.97" not in answer.text


def test_a_japanese_question_with_kanji_is_planned_as_another_language_not_read_as_chinese(bundled):
    plan = bundled.planner.plan("2022年の総支出は？", "2022年の総支出は？")
    assert plan.kind is AnswerKind.OTHER_LANGUAGE and not plan.kind.reads_report
    answer = bundled.ask("2022年の総支出は？")
    assert answer.abstained and answer.citations == [] and answer.mode is Mode.REFUSED  # not taken, not a search
    assert "中国語と英語" in answer.text and DESK_LINE in answer.text


@pytest.mark.parametrize("question, figure", [
    ("2022年总支出是多少？", "623.97"),
    ("What was the total expenditure in 2022?", "623.97"),
    ("R&D投入是多少？", "1.63亿元"),
])
def test_chinese_english_and_latin_lettered_questions_are_still_answered(bundled, report_text, question, figure):
    answer = bundled.ask(question)
    assert not answer.abstained and DESK_LINE not in answer.text
    assert figure in answer.text and any(figure in c.quote for c in answer.citations)
    assert all(report_text[c.start:c.end] == c.quote for c in answer.citations)
