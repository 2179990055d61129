"""The figure checks behind `assistant.audit`: parts against totals, targets against spending, restatements."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from assistant.audit.findings import Finding, Kind, Span, Status, where
from assistant.audit.labels import common_run, distinct_subjects, norm_label, predicate_only, qualifiers, same_quantity
from ingest.models import Fact

_MONEY_SCALE = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}
_WELL_FORMED = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_LIST_OPEN = re.compile(r"[ \t\u3000]*(?:([（(])[ \t\u3000]*(?:其中|包含|包括|含)?[:：]?"
                        r"|[，,]?[ \t\u3000]*(?:其中|包含|包括)[:：])")
_CHANGE = re.compile(r"^(?:同比|比上年|较上年)?(增长|增加|提高|上升|增幅|下降|减少|降低|降幅)$")
# Named identities for reports that state the parts apart from their total, not in a （其中…） list.
IDENTITIES = ((("总支出", "支出总额", "支出合计"), (("基本支出",), ("项目支出",))),
              (("基本支出",), (("人员支出", "人员经费"), ("公用经费", "公用支出"))))


@dataclass(frozen=True)
class Figure:
    """A stated amount or rate, placed in its report: its sentence, its section, its value as a number."""

    fact: Fact
    source: str
    section: str
    sentence: tuple[int, int]
    years: frozenset[int]  # stated in its own clause, else in its sentence

    @property
    def value(self) -> Decimal | None:
        """None when the number is malformed, e.g. 449.34.34."""
        value = self.fact.value.replace(",", "")  # 27,080 is written with a thousands separator
        return Decimal(value) if _WELL_FORMED.fullmatch(value) else None

    @property
    def family(self) -> str:
        unit = self.fact.unit
        return "money" if unit in _MONEY_SCALE else "percent" if unit == "%" else "count"

    @property
    def name(self) -> str:
        return re.sub(r"^\d{4}\s*年(?:度|初|末|底)?", "", self.fact.label) or self.fact.label

    @property
    def written(self) -> str:
        return f"{self.fact.value}{self.fact.unit}"

    @property
    def is_target(self) -> bool:
        """Under a 绩效目标 heading: a plan, compared with spending by the target check, not a restatement."""
        return self.family == "money" and "目标" in self.section

    @property
    def said(self) -> str:
        """The figure as the report names it: 项目支出449.34.34万元."""
        return f"{self.name}{self.written}"

    @property
    def span(self) -> Span:
        return Span(self.source, self.fact.start, self.fact.end, self.fact.clause, self.section)

    def in_unit(self, amount: Decimal, of: Figure) -> Decimal:
        """`amount`, given in `of`'s unit, expressed in this figure's unit."""
        return amount * _MONEY_SCALE.get(of.fact.unit, Decimal(1)) / _MONEY_SCALE.get(self.fact.unit, Decimal(1))


@dataclass(frozen=True)
class Breakdown:
    """A total and the parts the text lists for it: 项目支出X万元（其中：A万元，B万元）."""

    total: Figure
    parts: tuple[Figure, ...]

    @property
    def name(self) -> str:
        return f"{self.total.name} = {' + '.join(p.name for p in self.parts)}"


@dataclass(frozen=True)
class Implied:
    """The value the other figures give a malformed one, and the arithmetic that gives it."""

    value: Decimal
    expression: str
    via: Breakdown
    from_parts: bool


def make_figures(chunks, text: str) -> list[Figure]:
    """The chunks' facts, each with its sentence and its year: its own clause's, else its sentence's opening one."""
    from ingest.sentences import clause_spans, sentence_spans

    figures: dict[tuple[int, int], Figure] = {}
    for chunk in sorted(chunks, key=lambda c: c.start):
        sentences = sentence_spans(text, chunk.start, chunk.end)
        for fact in (f for f in chunk.facts if f.value[:1].isdigit()):  # (七个方面: a count in words, no sum's)
            sentence = next(((s, e) for s, e in sentences if s <= fact.start < e), (chunk.start, chunk.end))
            opening = clause_spans(text, *sentence)[0]  # 2022年总支出…，其中：… dates the whole sentence
            years = _YEAR.findall(fact.clause) or _YEAR.findall(text[opening[0]:opening[1]])
            figures[(fact.start, fact.end)] = Figure(fact, chunk.source, chunk.section, sentence,
                                                     frozenset(map(int, years)))
    return sorted(figures.values(), key=lambda f: f.fact.start)


def fmt(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- parts against totals -------------------------------------------------------------------------

def breakdowns(figures: list[Figure], text: str) -> list[Breakdown]:
    """Every money total followed by a list of two or more money parts, plus the named identities."""
    money = [f for f in figures if f.family == "money"]
    found = []
    for total in money:
        region = _list_region(text, total)
        if region is None:
            continue
        parts = tuple(f for f in money if region[0] <= f.fact.start < region[1]  # not nested in a sub-list
                      and _depth(text[region[0]:f.fact.start]) == 0)
        if len(parts) >= 2:
            found.append(Breakdown(total, parts))
    listed = {b.total for b in found}
    return found + [b for b in _named(money) if b.total not in listed]


def _list_region(text: str, total: Figure) -> tuple[int, int] | None:
    m = _LIST_OPEN.match(text, total.fact.end)
    if m is None:
        return None
    if m.group(1):  # a bracket: the list runs to its matching close
        depth = 0
        for i in range(m.start(1), total.sentence[1]):
            depth += (text[i] in "（(") - (text[i] in "）)")
            if depth == 0:
                return m.end(), i
        return None
    return m.end(), total.sentence[1]


def _depth(segment: str) -> int:
    return sum(segment.count(c) for c in "（(") - sum(segment.count(c) for c in "）)")


def _named(money: list[Figure]) -> list[Breakdown]:
    out = []
    for totals, part_names in IDENTITIES:
        for total in (f for f in money if any(n in f.name for n in totals)):
            parts = [_nearest(money, total, names) for names in part_names]
            if all(parts) and len(set(parts)) == len(parts):
                out.append(Breakdown(total, tuple(parts)))
    return out


def _nearest(money: list[Figure], total: Figure, names: tuple[str, ...]) -> Figure | None:
    """The closest figure named like the part, qualified alike (a 预算 total takes 预算 parts)."""
    candidates = [f for f in money if f is not total and any(n in f.name for n in names)
                  and qualifiers(f.name) == qualifiers(total.name)]
    return min(candidates, key=lambda f: abs(f.fact.start - total.fact.start), default=None)


def implied_values(found: list[Breakdown]) -> dict[Figure, list[Implied]]:
    """For each malformed figure, what its parts add up to, or what its total leaves for it."""
    implied: dict[Figure, list[Implied]] = {}
    for b in found:
        members = (b.total, *b.parts)
        bad = [f for f in members if f.value is None]
        if len(bad) != 1:
            continue
        m = bad[0]
        if m is b.total:
            value = sum((m.in_unit(p.value, p) for p in b.parts), Decimal(0))
            expression = " + ".join(p.fact.value for p in b.parts)
        else:
            others = [p for p in b.parts if p is not m]
            value = m.in_unit(b.total.value, b.total) - sum((m.in_unit(p.value, p) for p in others), Decimal(0))
            expression = " − ".join([b.total.fact.value, *(p.fact.value for p in others)])
        implied.setdefault(m, []).append(Implied(value, expression, b, m is b.total))
    return implied


def sum_finding(b: Breakdown, implied: dict[Figure, list[Implied]]) -> Finding:
    """Does the total equal its parts? A malformed member is read by what another breakdown implies for it."""
    spans = tuple(f.span for f in (b.total, *b.parts))
    about = (b.total.fact.value, b.total.name)
    values, notes = {}, []
    for f in (b.total, *b.parts):
        if f.value is not None:
            values[f] = f.value
            continue
        other = next((i for i in implied.get(f, []) if i.via != b), None)
        if other is None:
            return Finding(Kind.PARTS_SUM, Status.MALFORMED,
                           f"{b.name}：{f.name}原文写作“{f.written}”，数字格式有误，无法核对。",
                           spans, None, b.total.fact.value, about)
        values[f] = other.value
        how = "按其分项" if other.from_parts else "按合计推算"
        notes.append(f"{f.name}原文写作“{f.written}”，{how}（{other.expression}）计为 {fmt(other.value)}")
    parts_sum = sum((b.total.in_unit(values[p], p) for p in b.parts), Decimal(0))
    stated = values[b.total]
    arithmetic = f"{' + '.join(fmt(values[p]) for p in b.parts)} = {fmt(parts_sum)} {b.total.fact.unit}"
    total_name = b.total.name if b.total.value is not None else f"推算的{b.total.name}"
    if parts_sum == stated:
        verdict = f"与{total_name} {fmt(stated)} {b.total.fact.unit}相符"
    else:
        verdict = (f"与{total_name} {fmt(stated)} {b.total.fact.unit}不符，"
                   f"相差 {fmt(abs(stated - parts_sum))} {b.total.fact.unit}")
    status = Status.MALFORMED if notes else Status.HOLDS if parts_sum == stated else Status.FAILS
    message = f"{b.name}：{'；'.join(notes + [''])}{arithmetic}，{verdict}。"
    # A malformed member that, read as implied, adds up: its own finding carries the note, not every total.
    about = about if parts_sum != stated else ()
    return Finding(Kind.PARTS_SUM, status, message, spans, fmt(parts_sum), b.total.fact.value, about)


# --- targets against spending ---------------------------------------------------------------------

def target_findings(figures: list[Figure], found: list[Breakdown], implied: dict) -> list[Finding]:
    """Each money figure under a 目标 heading against the reported spending it names."""
    targets = [f for f in figures if f.is_target]
    spending = _spending(figures, found)
    spending = [f for f in spending if f not in targets]
    pairs = [(t, s) for t in targets if (s := _best_match(t, spending))]
    out = []
    for target, actual in pairs:
        a, b = _known(target, implied), _known(actual, implied)
        if a is None or b is None:
            continue
        same = a == target.in_unit(b, actual)
        verb = "一致" if same else f"不一致，相差 {fmt(abs(a - target.in_unit(b, actual)))} {target.fact.unit}"
        message = f"绩效目标“{target.said}”与{where(actual.section)}实际支出“{actual.said}”{verb}。"
        out.append(Finding(Kind.TARGET, Status.HOLDS if same else Status.DIFFERS, message, (target.span, actual.span),
                           target.fact.value, actual.fact.value, (target.fact.value, actual.fact.value)))
    listed = {p for b in found for p in b.parts}
    roots = [f for f in spending if "支出" in f.name and f not in listed]
    if len(pairs) >= 2 and roots and (root_value := _known(roots[0], implied)) is not None:
        out.append(_targets_total([t for t, _ in pairs], roots[0], root_value, implied))
    return out


def _targets_total(targets: list[Figure], root: Figure, root_value: Decimal, implied: dict) -> Finding:
    total = sum((root.in_unit(_known(t, implied), t) for t in targets), Decimal(0))
    same = total == root_value
    verdict = "一致" if same else f"不一致，相差 {fmt(abs(root_value - total))} {root.fact.unit}"
    message = (f"绩效目标合计 {' + '.join(t.fact.value for t in targets)} = {fmt(total)} {root.fact.unit}，"
               f"与实际{root.name} {fmt(root_value)} {root.fact.unit}{verdict}。")
    return Finding(Kind.TARGET, Status.HOLDS if same else Status.DIFFERS, message,
                   tuple(t.span for t in targets) + (root.span,), fmt(total), root.fact.value, ())


def _spending(figures: list[Figure], found: list[Breakdown]) -> list[Figure]:
    """The spending tree: totals named 支出 and everything listed under them, however deep."""
    by_total = {b.total: b.parts for b in found}
    tree, todo = [], [b.total for b in found if "支出" in b.total.name]
    while todo:
        f = todo.pop()
        if f not in tree:
            tree.append(f)
            todo += by_total.get(f, ())
    return tree or [f for f in figures if f.family == "money" and "支出" in f.name]


def _best_match(target: Figure, spending: list[Figure]) -> Figure | None:
    """The spending item whose words best match the target's: same head word, or three characters in common."""
    t = norm_label(target.name)
    scored = [(len(common_run(t, n)), s) for s in spending
              if (n := norm_label(s.name))[-2:] == t[-2:] or len(common_run(t, n)) >= 3]
    top = max((score for score, _ in scored), default=0)
    best = [s for score, s in scored if score == top]
    return best[0] if len(best) == 1 else next((s for s in best if s.value == target.value), None)


def _known(figure: Figure, implied: dict) -> Decimal | None:
    if figure.value is not None:
        return figure.value
    readings = {i.value for i in implied.get(figure, [])}
    return readings.pop() if len(readings) == 1 else None


# --- one quantity, stated in several places -------------------------------------------------------

def restatement_findings(figures: list[Figure]) -> list[Finding]:
    """Money and rates that name the same quantity in different sentences: equal, different years, or in conflict."""
    items = [f for f in figures if f.family in ("money", "percent") and f.value is not None]
    keys = {f: _identity(f, figures) for f in items}
    subjects = {f: _of(f, figures) for f in items}
    strong, weak = set(), set()
    for a, b in combinations(items, 2):
        if a.sentence == b.sentence or a.fact.unit != b.fact.unit or a.source != b.source:
            continue
        (ka, anchor_a), (kb, anchor_b) = keys[a], keys[b]
        if anchor_a or anchor_b:  # a bare 增长8.33% is the same rate only if its base is the same quantity
            if anchor_a and anchor_b and ka == kb and _linked(anchor_a, anchor_b):
                strong.add((a, b))
        elif same_quantity(ka, kb) and (_other_years(a, b) or not distinct_subjects(subjects[a], subjects[b])):
            strong.add((a, b))
        elif a.value == b.value and ka[-2:] == kb[-2:]:
            weak.add((a, b))
    return _grouped(items, strong, weak, {f: k[1] for f, k in keys.items() if k[1]})


def _identity(f: Figure, figures: list[Figure]) -> tuple[str, Figure | None]:
    label = norm_label(f.name)
    change = _CHANGE.match(label) if f.family == "percent" else None
    anchor = next((g for g in reversed(figures) if g.sentence == f.sentence and g.fact.end <= f.fact.start
                   and g.family != "percent"), None) if change else None
    if anchor is None:
        return label, None
    return ("增" if change.group(1) in "增长增加提高上升增幅" else "降"), anchor


def _of(f: Figure, figures: list[Figure]) -> str:
    """The figure's label with its subject: 已于本年度支出 after 即…补助经费合计75万元 is that fund's spending."""
    label = norm_label(f.name)
    if not predicate_only(label):
        return label
    subject = next((g for g in reversed(figures) if g.sentence == f.sentence and g.fact.end <= f.fact.start
                    and not predicate_only(norm_label(g.name))), None)
    return norm_label(subject.name) + label if subject is not None else label


def _other_years(a: Figure, b: Figure) -> bool:
    return bool(a.years and b.years and not a.years & b.years)


def _linked(a: Figure, b: Figure) -> bool:
    ka, kb = norm_label(a.name), norm_label(b.name)
    return a.value == b.value and a.fact.unit == b.fact.unit and (same_quantity(ka, kb) or ka[-2:] == kb[-2:])


def _grouped(items: list[Figure], strong: set, weak: set, anchors: dict) -> list[Finding]:
    component = {f: {f} for f in items}
    for a, b in strong | weak:
        merged = component[a] | component[b]
        for f in merged:
            component[f] = merged
    out = []
    for members in {frozenset(c) for c in component.values() if len(c) > 1}:
        groups: dict[Decimal, list[Figure]] = {}
        for f in sorted(members, key=lambda f: f.fact.start):
            groups.setdefault(f.value, []).append(f)
        for g in groups.values():
            if len(g) > 1 and len({f.fact.value for f in g}) > 1:
                out.append(_equal_finding(g))
        for (_, g1), (_, g2) in combinations(groups.items(), 2):
            links = [(a, b) for a in g1 for b in g2
                     if ((a, b) in strong or (b, a) in strong) and a.is_target == b.is_target]
            if links:
                out.append(_conflict_finding(g1, g2, links, anchors))
    return out


def _equal_finding(group: list[Figure]) -> Finding:
    listed = "、".join(f"{where(f.section)}“{f.said}”" for f in group)
    forms = " = ".join(dict.fromkeys(f.fact.value for f in group))
    return Finding(Kind.RESTATED, Status.HOLDS, f"同一数量多处表述，写法不同但数值相等：{listed}（{forms}）。",
                   tuple(f.span for f in group), group[0].fact.value, group[-1].fact.value, ())


def _conflict_finding(g1: list[Figure], g2: list[Figure], links: list, anchors: dict) -> Finding:
    y1, y2 = frozenset().union(*(f.years for f in g1)), frozenset().union(*(f.years for f in g2))
    a, b = min(links, key=lambda pair: (not pair[0].years, not pair[1].years))
    spans = tuple(dict.fromkeys(f.span for pair in links for f in pair))
    if y1 and y2 and not y1 & y2:
        message = (f"表述相近但属于不同年度，是不同的数量，不构成矛盾：{where(a.section)}“{a.said}”"
                   f"为{'、'.join(map(str, sorted(y1)))}年，{where(b.section)}“{b.said}”"
                   f"为{'、'.join(map(str, sorted(y2)))}年。")
        return Finding(Kind.OTHER_YEAR, Status.HOLDS, message, spans, a.fact.value, b.fact.value, ())
    message = f"同一数量前后数值不同：{where(a.section)}写作“{a.said}”，{where(b.section)}写作“{b.said}”"
    base = _rate_base(a, b, anchors)
    if base:
        message += f"（均为{base}的{a.name.removeprefix('同比')}率）"
    rounded = _rounding(a.fact.value, b.fact.value)
    message += f"；{rounded}" if rounded else "，应核实统一"
    return Finding(Kind.RESTATED, Status.DIFFERS, message + "。", spans, a.fact.value, b.fact.value,
                   (a.fact.value + a.fact.unit, b.fact.value + b.fact.unit))


def _rate_base(a: Figure, b: Figure, anchors: dict) -> str:
    """What two rates are rates of: the words their bases share, and the base amount (全社会研发投入7800万元)."""
    base_a, base_b = anchors.get(a), anchors.get(b)
    if not (base_a and base_b):
        return ""
    run = common_run(base_a.name, base_b.name)
    return f"{run}{base_a.written}" if len(run) >= 2 else base_a.written


def _rounding(x: str, y: str) -> str:
    """8.33 and 8.3: the longer one, rounded to the shorter one's decimals, gives the shorter one."""
    x, y = x.replace(",", ""), y.replace(",", "")  # 27,080 is written with a thousands separator
    if not (_WELL_FORMED.fullmatch(x) and _WELL_FORMED.fullmatch(y)):
        return ""
    (short, long_) = sorted((x, y), key=lambda s: len(s.partition(".")[2]))
    places = len(short.partition(".")[2])
    if Decimal(long_).quantize(Decimal(1).scaleb(-places)) == Decimal(short):
        return f"{long_} 保留 {places} 位小数即为 {short}，疑为舍入不同，应统一"
    return ""
