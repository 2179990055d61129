"""The general bilingual dictionary (assistant.dictionary): CC-CEDICT read backwards, its forms counted only where
the report uses them."""

from __future__ import annotations

from assistant.dictionary import Cedict, gloss_key, reverse_index
from assistant.question import analyse
from evals.real import report_files
from vectorstore.tokenize import Tokenizer

LINES = [
    "# CC-CEDICT fixture",
    "監督 监督 [jian1 du1] /to control/to supervise/to inspect/",
    "緩刑 缓刑 [huan3 xing2] /suspended sentence/probation/",
    "管 管 [guan3] /to take care (of)/to control/pipe/tube/",
    "假釋 假释 [jia3 shi4] /parole/",
    "長句 长句 [chang2 ju4] /a gloss of far too many words to be a translation/",
]


def test_a_gloss_is_keyed_without_its_article_or_note():
    assert gloss_key("to supervise") == "supervise"
    assert gloss_key("probation (law)") == "probation"
    assert gloss_key("CL:個|个[ge4]") == ""


def test_the_index_maps_a_gloss_to_its_words():
    index = reverse_index(LINES)
    assert index["supervise"] == ("监督",)
    assert index["probation"] == ("缓刑",)
    assert index["pipe"] == ("管",)
    assert "gloss of far too many words to be a translation" not in index


def test_a_form_counts_only_where_the_report_uses_it_and_plain_forms_are_tried():
    words = Cedict(lambda: LINES)
    text = "对被宣告缓刑、假释的罪犯实行监督、考察"
    assert words.forms("supervising", lambda h: h in text) == ("监督",)
    assert words.forms("paroles", lambda h: h in text) == ("假释",)
    assert words.forms("probation", lambda h: False) == ()
    assert words.forms("zzzz", lambda h: True) == ()
    assert words.forms("pipe", lambda h: True) == ()  # 管 alone would match inside every 管理


def test_the_packaged_dictionary_maps_words_no_genre_glossary_has_to_the_reports_words():
    text = report_files()["r02"].read_text(encoding="utf-8")
    q = analyse("What is the police bureau's role for people on probation or parole?", Tokenizer(), text.__contains__)
    assert q.translated["probation"] == ("缓刑",) and q.translated["parole"] == ("假释",)
    # Still unknown to the genre glossary: the rules never answer on a dictionary's word, the meaning stage may.
    assert "probation" in q.unmapped and "probation" not in q.expanded
    # A report that never says 缓刑 gets no form for it: the dictionary is a help, never a reason to answer.
    other = report_files()["r05"].read_text(encoding="utf-8")
    q = analyse("What is the police bureau's role for people on probation or parole?", Tokenizer(), other.__contains__)
    assert "probation" not in q.translated
