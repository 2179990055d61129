"""Genre vocabulary: colloquial and English words mapped to the terms these reports use, and the words that carry
no subject. The entries are data, in assistant/knowledge/lexicon.toml; this module reads them on first use."""

from __future__ import annotations

from assistant.knowledge import load

# name → (section, key, kind) in lexicon.toml
_NAMES = {
    "SYNONYMS": ("synonyms", None, dict),  # words a resident uses → words a performance report uses
    "ENGLISH": ("english", None, dict),  # core English words → report-side forms
    "QUANTIFIERS": ("words", "quantifiers", frozenset),  # ask for a total when nothing else is named
    "TOTAL_LABELS": ("words", "total_labels", frozenset),  # 合计: a row that is the total of its table
    "TOTAL_ASKS": ("words", "total_asks", tuple),  # 一共, 加起来, in total: asks for a total
    "GENERIC": ("words", "generic", frozenset),  # carry no subject of their own
    "OUT_OF_SCOPE_SUFFIXES": ("words", "out_of_scope_suffixes", tuple),  # office-holders, contact details
    "ENTITY_SUFFIXES": ("words", "entity_suffixes", tuple),  # ends of a body's or an item's name
    "NOT_BODIES": ("words", "not_bodies", tuple),  # 展厅, 大厅: halls, not bodies, though they end in 厅
    "ATTRIBUTES": ("words", "attributes", frozenset),  # 比例, 降幅, 实际: what is asked of an item, not the item
    "ITEM_SUFFIXES": ("words", "item_suffixes", tuple),  # ends of a cost item's name: 燃料费, 公务接待费
    "AMOUNT_QUALIFIERS": ("words", "amount_qualifiers", frozenset),  # 整体, 实际: which amount, not which item
    "MEASURES": ("words", "measures", tuple),  # what a figure is counted in: 米, 亩, 所
    "QUANTITY_MEASURES": ("words", "quantity_measures", frozenset),  # 公里, 吨: how much, never how many
    "MEASURED_BY": ("measured_by", None, dict),  # 得分 → 分: a figure asked for by its noun
    "MEASURE_FORMS": ("measure_forms", None, dict),  # 米 → m: a measure in Latin letters or a symbol
    "ENGLISH_COUNTERS": ("english_counters", None, dict),  # how many households → 户
    "ENGLISH_BODY_KINDS": ("words", "english_body_kinds", tuple),  # bureau, center: how English names a body
    "ENGLISH_BODY_ENDINGS": ("english_body_endings", None, dict),  # bureau → 局: how its Chinese name ends
    "SUPERLATIVES": ("words", "superlatives", tuple),  # 最, 大头, largest: the most or least of several
    "WHICH_PART": ("words", "which_part", tuple),  # 哪项, 哪一块, which: asks which one of several
    "PERCENT_KINDS": ("percent_kinds", None, dict),  # share, change, done: what a percentage states
    "AMOUNT_KINDS": ("amount_kinds", None, dict),  # budget, actual: what an amount states
    "ENGLISH_MONEY_FRAME": ("words", "english_money_frame", frozenset),  # spend, cost: how, not what about
    "ENGLISH_DUTY_FRAME": ("words", "english_duty_frame", frozenset),  # in charge of: asks about a duty
    "RANK_FRAME": ("words", "rank_frame", frozenset),  # which item was the largest: English frame, no subject
    "PERSONA_OPENERS": ("words", "persona_openers", tuple),  # 我是小学生，…: who asks, not what about
    "LEAD_INS": ("words", "lead_ins", tuple),  # 想问问, 作业要查一下: how a resident starts asking
    "BESIDES_CUES": ("words", "besides_cues", tuple),  # 除了, besides: what follows up to the comma is set aside
    "MONEY_ASKS": ("words", "money_asks", frozenset),  # 花, 钱: how money is asked for, no thing of its own
    "SOURCE_FRAMES": ("words", "source_frames", tuple),  # according to…'s report,: where to look, not what about
    "SOURCE_WORDS": ("words", "source_words", tuple),  # report, 报告: what a source frame ends in
}


def __getattr__(name: str):
    if name not in _NAMES:
        raise AttributeError(name)
    section, key, kind = _NAMES[name]
    table = load("lexicon")[section]
    value = kind(table if key is None else table[key])
    globals()[name] = value  # read once
    return value
