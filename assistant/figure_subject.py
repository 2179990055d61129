"""What a figure question's words say of the figure's own words: the whole a part is asked of (占三公经费的比例,
本级收入中，来自税收的), the part a follow-up asks of the whole before (其中…), and the words a passage's heading
already says (the hall named by a heading such as （1）“某某”展厅运维经费)."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant import lexicon
from assistant.matching import norm_text
from assistant.question import Question

_SHARE_OF = re.compile(r"占(?!多少|几|多大|百分)(.{1,16}?)的?(?:比例|比重|多少|百分)")  # (占多少比例: no whole named)
_WITHIN = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:当中|之中|中|里面|里)[,，、]")  # 本级收入中，来自税收的有多少
_SHARE_WITHIN = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:当中|之中|中|里面|里)(?=[\u4e00-\u9fff]{2,12}?占)")  # 三公经费中接待费占多少
_PART_OF_BEFORE = re.compile(r"^(?:那|那么|这)?(?:其中|这其中|当中|里面)的?")


def whole_named(q: Question, asked: str) -> re.Match | None:
    """The whole the question names before the part it asks of (group 1), or None."""
    if asked == "share":
        return _SHARE_OF.search(q.norm) or _SHARE_WITHIN.search(q.norm)
    return _WITHIN.search(q.norm)


# 收入总计是多少, 支出总计有多少: the words just before the question's 多少 name what it asks for.
_BEFORE_HOW_MUCH = re.compile(r"([\u4e00-\u9fff]{3,16}?)(?:一共|总共|共|合计)?(?:是|有|为|达到|达)?(?:多少|几)")


def asked_label(q: Question, labels: frozenset[str]) -> str:
    """加上各种补助和结转后，收入总计是多少 → 收入总计: the longest end (three characters or more) of the words before
    the question's 多少 that labels a figure in the reports (or would, with 数 or 额 after it); '' when none does."""
    m = _BEFORE_HOW_MUCH.search(q.norm)
    if not m:
        return ""
    words = m.group(1)
    return next((words[i:] for i in range(len(words) - 2) if any(words[i:] + tail in labels for tail in _LABEL_TAILS)),
                "")


# 核定编制多少 asks for 核定编制数: a label may end in the word for a number or an amount the question leaves out.
_LABEL_TAILS = ("", "数", "额", "金额", "总额")


def labels_as(label: str, asked: str) -> bool:
    """Whether a figure's label is the asked one (核定编制数 for 核定编制)."""
    return any(label.endswith(asked + tail) for tail in _LABEL_TAILS)


def part_named(q: Question, wider: Question) -> list[str]:
    """The words a follow-up opening with 其中 names its part by (本级, 收入 in 其中镇本级一般公共预算收入是多少 after
    …一般公共预算财力总共有多少): its terms the question before does not use, in their normal form."""
    if not _PART_OF_BEFORE.match(q.norm):
        return []
    at = wider.norm.find(q.norm)
    before = wider.norm[:at] if at > 0 else ""
    return [w for t in q.terms if len(t) >= 2 and (w := norm_text(t)) not in before] if before else []


def less_the_heading(q: Question, heading: str, said: str) -> Question:
    """The question less the terms that the sentence's own heading names and the sentence (`said`, in normal form)
    does not: under （1）“某某”展厅运维经费, 有多少台拼接屏 is asked of that hall, though the sentence stating
    174台拼接屏 does not repeat its name. Unchanged when the heading names every term (nothing would be left to match
    by)."""
    if not heading:
        return q
    kept = [t for t in q.terms if len(t) < 2 or (w := norm_text(t)) not in heading or w in said]
    return replace(q, terms=kept) if kept and len(kept) < len(q.terms) else q


def joined_labels(q: Question, labels: frozenset[str]) -> list[str]:
    """非税收入 of 非税收入比上年增长了多少, which the tokenizer splits (非税, 收入): two terms next to each other in the
    question that together label a figure in the reports."""
    norm = norm_text(q.norm)
    terms = [norm_text(t) for t in q.terms]
    asks = {w for kind in lexicon.PERCENT_KINDS.values() for w in (*kind["asks"], *kind["labels"])}
    return [a + b for a, b in zip(terms, terms[1:]) if a + b in labels and a + b in norm and len(a + b) >= 4
            and a not in asks and b not in asks]  # (同比增长 labels a change; it is how one is asked, not of what)


def label_of_another(label: str, said: str, others: list[str]) -> bool:
    """Whether a label the question asks about (非税收入) belongs to another figure of the sentence than the one
    said (比上年增长9.0% of 一般公共预算收入, beside 非税收入1.2万元): that figure's change is not the asked one's."""
    return label not in said and any(label in other for other in others)


RIVAL_MARGIN = 0.3  # how much more of the question another figure's clause must name to be what is asked


def another_figure_named(coverage, fact_clause: str, rival_clauses: list[str]) -> bool:
    """由一般公共预算收入111.11万元,加上级补助收入、上年结余、动用预算稳定调节基金等1,756.37万元 for 动用预算稳定调节
    基金动用了多少: another figure's clause in the sentence, a list, names far more of what is asked than this
    figure's own does, so this figure is of something else (and that one is a sum: the report states no amount).
    `coverage` scores a clause against the question (0..1)."""
    own = coverage(fact_clause)
    return any("、" in rival and coverage(rival) >= own + RIVAL_MARGIN for rival in rival_clauses)
