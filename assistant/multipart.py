"""Questions that ask for two figures at once (基本支出和项目支出分别是多少？) are answered part by part."""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant import glossary
from assistant.draft import Draft
from assistant.slots import asked_slot
from assistant.verify import numbers_in

_CUE = r"(?:多少|几[家个名人项条笔次所届期]?|多大(?=比例|比重|份额)|几成|how many|how much)"
_CUE_RE = re.compile(_CUE, re.IGNORECASE)
_SPLIT_AT_CUE = re.compile(r",?\s+and\s+(?=(?:for\s+|in\s+|at\s+)?(?:how|what))|[，,、;；？?。]|"
                           r"(?<=[\u4e00-\u9fff])(?:以及|还有|和)(?=[\u4e00-\u9fff]*" + _CUE + ")")
_EACH = re.compile(r"(.+?)(?:分别|各自|各)((?:是|为|有)?[^？?，,]{0,4}?(?:多少|几)[^？?]*)[？?]?$")
# 和 inside a body's name (文化和旅游局, 人力资源和社会保障厅) joins no two subjects; before another body (和国家统计局,
# 和某市统计局) it does.
_CONJ = re.compile(r"以及|和(?![^\W\d省市县区州镇乡村国]{1,4}(?:局|厅|委员会|委|办公室|中心|署))|(?<!参)与|及(?!时)|、|跟|and")
# A sum, a ratio or a difference of two things is one figure, not one per thing.
_ONE_FIGURE = re.compile(r"合计|一共|总共|共计|共有|加起来|合起来|总和|之和|总计|比例|之比|占比|比重|相比|差|"
                         r"(?<![相对占])比(?![例重]).{1,12}[多少高低大小]|"
                         r"total|combined|altogether|sum|ratio")
_VERB_BEFORE_CUE = re.compile(r"(?:的)?(?:分别|各自|各)?(?:是|为|有|达到|达)?$")
# What a part says once its figure cue and frame words are gone: nothing left means it has no subject.
_FRAME = re.compile(_CUE + r"|[家个名人项条笔次所届期]|总?金额|数额|总额|数量|资金|钱|共计|一共|总共|合计|大概|大约|约|"
                    r"分别|各|是|有|为|了|的|呢|吗|呀|啊|请问|那|又|共|多大|多高|\s|[？?。，,、]|"
                    # a rate of change or a share (增长了百分之几, 占比多少) is of the thing the part before names
                    r"(?:同比|比上年|比去年|较上年)?(?:增长|增加|下降|减少|降低|提高)了?(?:百分之几|百分比|幅度|"
                    r"(?:几|多少)个?百分点)|增幅|降幅|占比|比例|比重|百分之几|百分比")
# 占总支出的比例是多少, 在总支出中占多大比例: the whole a share is of; the part it is the share of is what the part before names.
_SHARE_OF_WHOLE = re.compile(r"(?:在[\u4e00-\u9fff]{1,12}?(?:中|里|当中))?占[\u4e00-\u9fff]{0,12}?的?"
                             r"(?=比例|比重|百分|多少|几成|多大)")
_COMPARED = re.compile(r"(?:哪个|哪一个|哪项|哪一项|哪种|哪类|哪家|哪一家|哪一块|哪块|哪部分|哪一部分|哪方面|哪一方面|谁)")


class Part(NamedTuple):
    """One figure asked for: `ask` is scored against the report, `search` retrieves for it."""

    ask: str
    search: str


_CONTAINER = re.compile(r"^(.{2,}?)(?:里面|当中|之中|其中|中的|里的|中(?![心央学国小期标职医等华])|里(?!程))(.{2,})$")


def split_question(question: str) -> list[Part]:
    """One part per figure asked for; a single part when it asks for one."""
    asks = [a for a in re.split(r"(?<=[？?])", question) if a.strip()]
    if len(asks) > 1 and all(_CUE_RE.search(a) for a in asks):
        # 基本支出是多少？其中人员支出和公用经费各多少？ Each question is split on its own.
        parts = [p for a in asks for p in _split_one(a)]
        if len(parts) > len(asks):
            # 项目支出是多少？占几成？ The share asked with no subject of its own is of the thing before it.
            return [p if i == 0 or has_subject(p.ask) else Part(w := f"{_without_cue(parts[i - 1].ask)}，{p.ask}", w)
                    for i, p in enumerate(parts)]
    return _split_one(question)


# An ask that goes on about the one before it (由哪些单位实施, 其中…, 分别是…): no subject of its own.
_CONTINUES = re.compile(r"^(?:由|被|是|在|向|给|从|其|它|他们|这些|那些|这|那|分别|各|都|又|还|并且|并|而且|具体|主要)")


def separate_asks(question: str) -> list[Part]:
    """Questions of different kinds asked at once (预算总额是多少？资金来源是什么？): each ask, with the ask
    before it as context (`search`), or [] when there is one ask or every ask is for a figure (`split_question`)."""
    asks: list[str] = []
    for a in (a.strip() for a in re.split(r"(?<=[？?])", question) if a.strip(" ？?")):
        if asks and _CONTINUES.match(a) and not _new_slot(asks[-1], a):
            # 有几项？由哪些单位实施？ goes on about the same thing: one ask
            asks[-1] = f"{asks[-1].rstrip('？? ')}，{a}"
        else:
            asks.append(a)
    if len(asks) < 2 or all(_CUE_RE.search(a) for a in asks):
        return []
    return [Part(a, f"{_without_cue(asks[i - 1]).rstrip('？? ')}，{a}" if i else a) for i, a in enumerate(asks)]


def _new_slot(before: str, ask: str) -> bool:
    """一共拨了多少钱？是拿来干啥的？ goes on about the same money, but asks a kind of thing (a purpose, a reason, a
    date) the ask before does not: merged, the figure's clause would be checked for the purpose and fail."""
    slot = asked_slot(ask.lower())
    return bool(slot) and slot != asked_slot(before.lower())


def _split_one(question: str) -> list[Part]:
    m = _EACH.match(question)
    if m:
        subjects = [s.strip(" ，,") for s in _CONJ.split(m.group(1)) if s.strip(" ，,")]
        if len(subjects) > 1:
            inside = _CONTAINER.match(subjects[0])
            if inside:  # 基本支出里面人员和公用经费各占多少: 基本支出 is where to look, not what is asked
                container, subjects[0] = inside.group(1), inside.group(2)
                return [Part(f"{s}{m.group(2)}", f"{container}{s}{m.group(2)}") for s in subjects]
            head = _shared_head(subjects[0])
            return _alone([f"{head if i else ''}{s}{m.group(2)}" for i, s in enumerate(subjects)])
    cues = list(_CUE_RE.finditer(question))
    if len(cues) == 1:
        return _alone(_pair_around_cue(question, cues[0]) or [question])
    if len(cues) < 2:
        return [Part(question, question)]
    parts, start = [], 0
    for sep in _SPLIT_AT_CUE.finditer(question):
        part = question[start:sep.start()]
        if _CUE_RE.search(part):
            parts.append(part)
            start = sep.end()
    parts.append(question[start:])
    parts = [p.strip(" ，,？?") for p in parts if p.strip(" ，,？?")]
    if len(parts) < 2:
        return [Part(question, question)]
    # The first part often carries shared context (落实…任务，…); give it to the later parts too.
    context = parts[0] if not _CUE_RE.search(parts[0]) else ""
    if context:
        return _alone([f"{context}，{p}" for p in parts[1:]])
    parts = [p for p in parts if _CUE_RE.search(p)]
    if not re.search(r"[\u4e00-\u9fff]", question) and len(parts) > 1:
        # How many villages and how many residents will the roads help: English may say the verb once, at the end;
        # a part of a few words is searched with the whole question's. A part without a subject (…, and for how
        # much in total) is scored on the part before's subject too.
        asks = [parts[0]] + [p if has_subject(p) else f"{_without_cue(b)} {p}" for b, p in zip(parts, parts[1:])]
        asks = [a.strip(" ,?") for a in asks]
        return [Part(a, a if len(a.split()) >= _OWN_WORDS else question) for a in asks]
    out = [Part(parts[0], parts[0])]
    for before, part in zip(parts, parts[1:]):
        wider = f"{_without_cue(before)}，{part}"
        # 发放了几笔贷款，金额多少？ A part with no subject of its own asks about the part before it;
        # one with a subject (有几家被认定) is scored on its own words, and searched with that context.
        out.append(Part(part, wider) if has_subject(part) else Part(wider, wider))
    return out


def _alone(asks: list[str]) -> list[Part]:
    return [Part(a, a) for a in asks]


_OWN_WORDS = 4  # an English part of fewer words (How many villages) is searched with the whole question
_EN_FRAME = re.compile(r"\b(?:and|for|how|much|many|what|was|were|is|are|the|a|an|in|of|at|total|all|altogether|"
                       r"overall|amount|amounts|sum|value|money|number|it|they|them|did|does|do|there)\b|[^a-z]")


def has_subject(part: str) -> bool:
    """Whether a part names what it asks about (有几家被认定) rather than only how (金额多少)."""
    if not re.search(r"[\u4e00-\u9fff]", part):
        return len(_EN_FRAME.sub("", part.lower())) >= 3
    return len(re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", _FRAME.sub("", _SHARE_OF_WHOLE.sub("", part)))) >= 2


def _without_cue(part: str) -> str:
    """中国银行发放了几笔贷款 → 中国银行发放了贷款: the subject, without the figure it asked for."""
    return _CUE_RE.sub("", part, count=1)


def _pair_around_cue(question: str, cue: re.Match) -> list[str]:
    """有多少行政编制和事业编制 / 退休人员和临聘人员有多少人: one cue, two subjects."""
    if _ONE_FIGURE.search(question):
        return []
    if not re.search(r"[\u4e00-\u9fff]", question):  # How many retired staff and temporary hires does it have?
        m = _EN_PAIR.match(_joined_names_kept(question.strip()))
        return [f"{m.group(1)} {x}{m.group(4) or ''}" for x in (m.group(2), m.group(3))] if m else []
    body = question.rstrip("？?。 ")
    head, tail = body[:cue.start()], body[cue.end():]
    after = _subjects(tail)
    if len(after) > 1:  # 有多少行政编制和事业编制
        return [f"{head}{cue.group(0)}{s}" for s in after]
    verb = _VERB_BEFORE_CUE.search(head)
    zone, verb_text = head[:verb.start()], verb.group(0)
    before = _subjects(zone)
    if len(before) > 1:  # 退休人员和临聘人员有多少人
        context = _shared_head(before[0])
        return [f"{context if i else ''}{s}{verb_text}{cue.group(0)}{tail}" for i, s in enumerate(before)]
    return []


def _joined_names_kept(question: str) -> str:
    """A body's name joined by "and" (human resources and social security) written as one word, so the pair of
    things asked is not split inside it."""
    for name in glossary.joined_names():
        words = r"\s+".join(map(re.escape, name.split()))
        question = re.sub(words, name.replace(" and ", "-n-").replace(" ", "-"), question, flags=re.IGNORECASE)
    return question


# How many retired staff and temporary hires…: two nouns after the cue; not How much did the culture and tourism
# bureau spend, where the cue's verb comes first and "and" is inside a name or joins two verbs.
_EN_PAIR = re.compile(r"^(how many|how much)\s+(?!(?:does|do|did|are|were|is|was|has|have|had|will|would|can|could)\b)"
                      r"(.+?)\s+and\s+(.+?)(\s+(?:does|do|did|are|were|is|was|has|have|had|in|at)\b.*)?\??$",
                      re.IGNORECASE)


def _subjects(zone: str) -> list[str]:
    """The two or three things a conjunction joins, each at least two characters; [] otherwise."""
    parts = [p.strip(" ，,") for p in _CONJ.split(zone)]
    if len(parts) < 2 or len(parts) > 4 or any(len(p) < 2 for p in parts):
        return []
    return parts


_DIFFERENCE_AT = re.compile(r"(?:之间)?(?:的)?(?:相差|差额|之差|差距|差多少|差了)")


def compared_subjects(question: str) -> list[str]:
    """基本支出和项目支出哪个多 / 基本支出比项目支出多吗 → [基本支出, 项目支出]; [] when no two are named."""
    m = re.match(r"^(.+?)(?<![相对占])比(?![例重，,])([^，,？?哪谁]+?)(?:多|少|高|低|大|小)", question)
    if m and len(m.group(1)) >= 2 and len(m.group(2)) >= 2:
        return [m.group(1).strip(" ，,"), m.group(2).strip(" ，,")]
    m = _COMPARED.search(question) or _DIFFERENCE_AT.search(question)
    zone = question[:m.start()] if m else ""
    zone = re.sub(r"(?:的|里|中|当中|之中|两者|二者|两项|这两项|相比|比较|比|[，,、\s])+$", "", zone.strip(" ，,"))
    subjects = _subjects(zone)
    if subjects:
        context = _shared_head(subjects[0])
        return [f"{context if i else ''}{s}" for i, s in enumerate(subjects)]
    return []


def _shared_head(first: str) -> str:
    """2022年基本支出 → 2022年, so the second subject keeps the year."""
    m = re.match(r"((?:19|20)\d{2}年(?:度)?)", first)
    return m.group(1) if m else ""


def merge(drafts: list[Draft]) -> Draft:
    """One draft whose [n] markers are renumbered across the parts. A line that another part's line already
    says in full (7800万元 before 7800万元，增长8.33%) is said once."""
    merged = Draft()
    answered = [d for d in drafts if not d.abstained]
    if not answered:
        return drafts[0]
    lines = [(line, d.spans) for d in answered for line in d.text.split("\n") if line.strip()]
    said = [_plain(line) for line, _ in lines]
    fuller = [next((j for j in range(len(lines)) if j != i and said[i] in said[j] and (said[i] != said[j] or j < i)),
                   None) for i in range(len(lines))]
    # A line said in full by a later part's line takes the place of the one it says (共下达105万元 → 共下达105万元,
    # 用于…, first): the answers stay in the order asked.
    place = {i: i for i in range(len(lines)) if fuller[i] is None}
    for i in range(len(lines)):
        if fuller[i] is not None and fuller[i] in place:
            place[fuller[i]] = min(place[fuller[i]], i)
    for i in sorted(place, key=lambda k: (place[k], k)):
        line, spans = lines[i]
        merged.add(_CITED.sub(lambda m, spans=spans: _renumbered(merged, spans, m), line) + "\n")
    merged.notice = " ".join(dict.fromkeys(d.notice for d in answered if d.notice))
    return merged


_CITED = re.compile(r"\[(\d+)\]")


def _renumbered(merged: Draft, spans: list, marker: re.Match) -> str:
    """A part's [n] as the merged draft numbers it. A bracketed number that is no marker of the part (a document
    number quoted from the report, 衡发[2010]3号) stays as written."""
    n = int(marker.group(1))
    return merged.cite(spans[n - 1]) if 1 <= n <= len(spans) else marker.group(0)


def _plain(line: str) -> str:
    """A line's words, without its citations and its 另： or list marker."""
    return _CITED.sub("", re.sub(r"^\s*(?:另：|-\s*)", "", line)).strip(" 。；;")


def compare_drafts(drafts: list[Draft], subjects: list[str], direction: str) -> Draft:
    """Each subject's figure, cited, then which is larger or smaller, in words: no figure is computed.

    The comparison is said only when every part was answered with one well-formed figure of the same
    kind (money with money, percent with percent); otherwise the figures stand alone.
    """
    merged = merge(drafts)
    if merged.abstained or any(d.abstained for d in drafts):
        return merged
    values = []
    for d in drafts:
        lead = d.text.split("\n")[0]
        found = numbers_in(re.sub(r"(?:19|20)\d{2}\s*年", "", lead))  # 2022年初…232.7万元: the year is no figure
        if len(found) != 1 or "疑有笔误" in lead:
            return merged
        values.append(found[0])
    if len({(v.percent, v.scaled) for v in values}) != 1:
        return merged
    ranked = sorted(zip(values, subjects), key=lambda vs: vs[0].value, reverse=direction != "min")
    if ranked[0][0].value == ranked[1][0].value:
        merged.add("两者相等。")
        return merged
    word = ("较低" if direction == "min" else "较高") if values[0].percent else ("较少" if direction == "min" else "较多")
    if direction == "diff":  # the difference is not in the report: say so rather than compute it
        merged.add(f"报告没有直接给出两者之差；{ranked[0][1]}{word}。")
    else:
        merged.add(f"相比之下，{ranked[0][1]}{word}。")
    return merged
