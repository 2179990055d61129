"""How question words meet report text: the normal form both are compared in."""

from assistant.matching import norm_text


def test_a_thousands_separator_is_dropped_so_a_question_writing_1756_37_meets_1_756_37():
    assert norm_text("等1,756.37万元构成") == "等1756.37万元构成"
    assert "1756.37" in norm_text("动用预算稳定调节基金等1,756.37万元")


def test_a_comma_between_clauses_stays():
    assert norm_text("支出23,005.58元,占,88.19%") == "支出23005.58元,占,88.19%"
    assert norm_text("收入111.11万元,为年初预算的116.9%") == "收入111.11万元,为年初预算的116.9%"
    assert norm_text("分为12,3个方面") == "分为12,3个方面"  # not three digits after it: a list, not thousands
