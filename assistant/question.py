"""Reads a question into a Question record: what it asks for (assistant.asks: figure, list or sentence, and the
unit it expects), its years, places and bodies, and its subject terms."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from assistant import dictionary, glossary, lexicon
from assistant.asks import Intent, UnitKind, asked_measure, compared, intent_of, ranks, unit_of
from assistant.counting import count_unit
from assistant.english_bodies import english_bodies, english_self, english_self_named, names_own_body
from assistant.ordinals import asked_ordinal, without_ordinal
from assistant.persona import without_persona
from assistant.slots import asked_slot, asks_a_name, asks_no_figure, slot_words
from ingest.numerals import cn_int, cn_years
from vectorstore.tokenize import Tokenizer, normalise

_PLACE = re.compile(r"([\u4e00-\u9fff]{2}(?:省|市|县))(?![场场民级])")
_NOT_IN_PLACE = set("中的在和与及是了全本我该各省市县比对向从为每到年度月日于不算归管吗")  # (关于市政府, 算不算市政府: no place)
_BODY = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:局|厅|委员会)")
_SELF_REFERENCE = re.compile(r"(?:这个|这家|这所|该|本|你们|咱们|我们|贵)(?:局|中心|厅|委|院|所|站|学校|校|单位|镇|街道|部门)|"
                             r"^(?:请问)?(?:学校|单位)(?=(?:19|20)\d{2}|今年|去年|当年|全年)")  # 学校2023年…: the school
# 这/那 and a classifier (那口机井, 这座桥, 那笔钱): they point at a thing, they name none.
_POINTED = re.compile(r"(?:这|那)(?:一)?(?:口|座|笔|项|个|家|所|条|台|辆|间|栋|批|份|种|位|名|处|块|片|张|次|届|期)")
_SELF_BODIES = {"你们局", "我们局", "这个局", "咱们局", "局里", "本局", "我局", "贵局", "该局"}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")  # a year as written: 2022
_CN_COUNT = re.compile(r"([两二三四五六七八九十])([家个名人项条笔次])")
_SEVERAL_MAJOR = re.compile(r"(?<![哪])几大(?=[\u4e00-\u9fff])")  # 分成几大方面, 几大类: counted as 几个
# Question words and the frame of a question (哪几个方面, 由哪两部分组成): they name no subject.
_QUESTION_WORD = re.compile(r"^(?:哪|几|多少)|^(?:方面|部分|组成|构成|包括|包含|分为|内容|由|"
                            r"[更最较]?[多少大小高低]|[更最较]?(?:多|少|大|小|高|低)(?:些|一些|一点)?)$")
_BREAKDOWN = re.compile(r"组成|构成|由哪|哪[几两三四]?(?:个)?部分|哪些部分|分为|分成|包[括含]哪|具体包[括含]|明细|各[是为有贷拿获得花用占]|"
                        r"分别[是为有贷拿获得花用给]|"
                        r"(?:每|各)(?:家|个|项|笔)|break\s*down|consist|made up|composed|split|each")
@dataclass
class Question:
    text: str  # as asked (stripped)
    norm: str  # normalised for matching (NFKC, lower-case, 两家 → 2家)
    english: bool
    intent: Intent
    unit: UnitKind
    count_unit: str = ""  # e.g. 家 for 几家
    years: list[int] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    # 财政局, 统计局: bodies named in the question (另一市, 江西省: a place other than the report's own narrows it)
    bodies: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # subject words, generic words removed
    expanded: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term → report-side forms
    unmapped: list[str] = field(default_factory=list)  # English content words with no report-side form
    # Unmapped words the general dictionary gives report-side forms (probation → 缓刑): they help the meaning stage
    # find and rank, and never make a rule answer.
    translated: dict[str, tuple[str, ...]] = field(default_factory=dict)
    breakdown: bool = False  # 由哪几部分组成 / 各是多少: the parts a figure is split into
    compare: str = ""  # "max", "min" or "diff": 哪个多 / 哪家最少 / 差多少 compares figures
    ranks: bool = False  # 哪项支出最多: which stated part is largest or smallest; only compared parts answer it
    proper: list[str] = field(default_factory=list)  # names the tokenizer did not know (某站), joined
    asked: str = ""  # the noun a 什么/哪种 question asks for (按什么模式 → 模式): the answer must speak of it
    members: str = ""  # 入库的31家企业是哪些: the count (31家) whose members are asked for
    ordinal: int = 0  # 主要职能第一条是什么 → 1: the item of a list asked for by its place
    per_unit: bool = False  # 每家奖励多少 asks for an amount per firm, not a total
    slot: str = ""  # what kind of thing it asks for (assistant/knowledge/slots.toml): reason, date, purpose, place

    @property
    def why(self) -> bool:
        """为什么 / 原因是什么: only a sentence that gives a reason answers it."""
        return self.slot == "reason"
    measure: str = ""  # 多少米 → 米: the word a figure is asked in; the answer must state a figure in it

    def search_text(self) -> str:
        """The lexical query: the question plus every report-side form of its words."""
        extra = [form for forms in (*self.expanded.values(), *self.translated.values()) for form in forms]
        return " ".join([self.norm, *extra])


_BUREAU_EN = re.compile(r"(?:the\s+)?(?:science\s+and\s+technology|sci-tech|s&t)\s+bureau(?:'s)?",
                        re.IGNORECASE)


def analyse(text: str, tokenizer: Tokenizer, known: Callable[[str], bool] | None = None,
            context: Sequence[str] = (), words: dictionary.Dictionary | None = None) -> Question:
    """`known` tells whether the reports contain a word: 鄱/湖/站, split by the tokenizer, is then one term.
    `context` are names that say whose report is meant (某市科技局): they narrow the search, but are
    no subject of their own. `words` is the general bilingual dictionary an English word the genre glossary
    lacks is looked up in (the packaged CC-CEDICT unless given); its forms count only where `known`."""
    norm = _CN_COUNT.sub(lambda m: f"{cn_int(m.group(1))}{m.group(2)}", cn_years(normalise(text.strip())))
    norm = _SEVERAL_MAJOR.sub("几个", norm)
    norm = _BUREAU_EN.sub("bureau", norm)  # the report's own body is context, not a subject
    english = _is_english(norm)
    # 这个中心, 该校: the report's own body, no subject; 我是小学生，作业要查一下: who asks, no subject either
    subject = _SELF_REFERENCE.sub(" ", without_persona(norm))
    subject = without_ordinal(_POINTED.sub(" ", subject))  # 那口机井: the classifier after 那 is no subject
    bilingual = (words or dictionary.default()) if english and known else None
    if english:
        for body in english_bodies(text):  # the Kaiyuan Big Data Research Center: whose report, no subject
            if names_own_body(body, context):
                subject = subject.replace(body, " ")
        subject = english_self().sub(" ", subject)  # the center's staff posts: the report's own body
        if context:  # did the school spend, of a school's report: whose report, no subject
            subject = english_self_named().sub(lambda m: " " if names_own_body(m.group(), context) else m.group(),
                                               subject)
    for name in sorted(context, key=len, reverse=True):
        subject = subject.replace(name, " ")
    slot = asked_slot(norm)
    # (a short phrase only: what was the money for primary schools used for? frames its subject)
    asking = [w for w in slot_words(norm, slot) if len(w) <= 12] if slot != "reason" else []
    subject = _without(subject, asking)  # 用在了什么地方, 在哪里: how the question asks, not what about
    asked = _asked_noun(norm, tokenizer)
    terms, expanded, unmapped = _terms(subject, tokenizer, english, known)
    if english and known:  # PVC, LED: an acronym the report writes as it is stands for itself
        for word in (w.lower() for w in _ACRONYM.findall(text)):
            if word in unmapped and known(word):
                unmapped.remove(word)
                terms.append(word)
                expanded[word] = (word,)
    translated = _translated(subject, unmapped, bilingual, known) if bilingual and known else {}
    # 用在哪些方面 asks what the money was for: the purpose's sentence, not a list because of its 哪些
    intent = Intent.SENTENCE if asks_a_name(slot) else intent_of(_without(norm, asking if slot == "purpose" else ()))
    return Question(text=text.strip(), norm=norm, english=english, intent=intent,
                    unit=UnitKind.ANY if asks_no_figure(slot) else unit_of(norm),  # (那笔钱是什么来源: no amount)
                    count_unit=count_unit(norm), years=[int(y) for y in YEAR.findall(norm)],
                    terms=terms, expanded=expanded, unmapped=unmapped, translated=translated,
                    places=[p for p in _places(norm) if p not in context], bodies=_bodies(norm, tokenizer),
                    breakdown=bool(_BREAKDOWN.search(norm)), compare=compared(norm), ranks=ranks(norm),
                    proper=[t for t in terms if len(t) >= 3 and t not in tokenizer.words(t)],
                    asked="" if any(asked in w for w in asking) else asked, members=_members(norm),
                    per_unit=bool(_PER_UNIT.search(norm)), slot=slot, measure=asked_measure(norm),
                    ordinal=asked_ordinal(norm))


def _translated(subject: str, unmapped: Sequence[str], bilingual: dictionary.Dictionary,
                known: Callable[[str], bool]) -> dict[str, tuple[str, ...]]:
    """The dictionary's report-side forms of the words the genre glossary lacks, and of the two-word phrases they
    stand in (water pump → 水泵, exhibition hall → 展览馆): a phrase's forms are what its words mean together."""
    found = {w: forms for w in unmapped if (forms := bilingual.forms(w, known))}
    words = re.findall(r"[a-z]+", subject)
    for a, b in zip(words, words[1:]):
        if (a in unmapped or b in unmapped) and (forms := bilingual.forms(f"{a} {b}", known)):
            found[f"{a} {b}"] = forms
    return found


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{2,}\b")
_QUOTED = re.compile(r"[“\"「《]([^”\"」》]{1,30})[”\"」》]")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def quoted_names(text: str, titles: bool = True) -> list[str]:
    """The Chinese names a question quotes (“三公”经费; 《…》 titles too when `titles`, which may be paraphrased).
    A quoted English name ("three public expenses") is a translation, never the report's own words."""
    return [m.group(1) for m in _QUOTED.finditer(text)
            if _CJK_CHAR.search(m.group(1)) and (titles or not m.group(0).startswith("《"))]


def _join_single_characters(words: list[str], known: Callable[[str], bool]) -> list[str]:
    """鄱 湖 站 → 某站 when the reports contain it: a name the tokenizer does not know stays one term."""
    out, run = [], []

    def flush() -> None:
        joined = "".join(run)
        if len(run) >= 2 and known(joined):
            out.append(joined)
        else:
            out.extend(run)
        run.clear()

    for word in words:
        if len(word) == 1 and "\u4e00" <= word <= "\u9fff" and word not in lexicon.GENERIC:
            run.append(word)
            continue
        flush()
        out.append(word)
    flush()
    return out


_ASKED = re.compile(r"(?:什么样的?|什么|哪些|哪几[个项类种样]|哪种|哪一种|何种|哪类|哪一类|怎样的)([\u4e00-\u9fff]{2,6})")


_MEMBERS_ASKED = re.compile(r"哪些|哪几|名单|名称|叫什么|分别是|具体是|which|what are the names|name them|list them")
_COUNTED = re.compile(r"(?<![哪几\d.])(\d+)\s*([家个名项所])")
_PER_UNIT = re.compile(r"每(?:家|个|人|名|项|户|笔|次|公里|千米|米|亩|平方米)|人均|户均|平均每|"
                       r"\bper[\s-]+(?:firm|company|enterprise|person|head|project|capita|kilomet(?:re|er)|km|mile|metre|"
                       r"meter|mu|hectare|square)|"
                       r"\beach\s+(?:firm|company|enterprise|person|project)\b")


def _members(norm: str) -> str:
    """入库的31家科技型中小企业具体是哪些公司 → 31家: the members of a counted group are asked for."""
    if not _MEMBERS_ASKED.search(norm):
        return ""
    m = _COUNTED.search(norm)
    return m.group(1) + m.group(2) if m else ""


def _asked_noun(norm: str, tokenizer: Tokenizer) -> str:
    """按什么模式来推进 → 模式; 有什么作用 → 作用. Generic words (什么情况, 什么内容) ask for nothing in particular."""
    m = _ASKED.search(norm)
    if not m:
        return ""
    words = tokenizer.words(m.group(1))
    noun = words[0] if words else ""
    return noun if len(noun) >= 2 and noun not in lexicon.GENERIC and not _QUESTION_WORD.search(noun) else ""


def _places(norm: str) -> list[str]:
    """Proper place names (另一市, 江西省), not 全省 or 项目支出中省."""
    return [p for p in _PLACE.findall(norm) if not set(p[:2]) & _NOT_IN_PLACE]


def _bodies(norm: str, tokenizer: Tokenizer) -> list[str]:
    """Government bodies the question names, without their place: 某市财政局 → 财政局."""
    out = []
    for m in _BODY.finditer(norm):
        if any(m.group(0).endswith(own) for own in _SELF_BODIES):  # 2022年该局: the report's own body
            continue
        if m.group(0).endswith(lexicon.NOT_BODIES):  # 那个展厅: a hall, not a body
            continue
        # 请问局里… names no body; 在某县文旅局: the body, not the 在 before it
        name = re.sub(r"^(?:请问|问一下|想问|我想知道|那么|那|的|在|对|向|给|从|由|据|关于|按照|根据)+", "", m.group(0))
        name = re.sub(r"^.{2,3}?[省市县区](?=.{3,}$)", "", name)  # 某市工信局 → 工信局
        words = [w for w in tokenizer.words(name) if len(w) >= 3]
        name = words[-1] if words and words[-1].endswith(("局", "厅", "委员会")) else name
        if name.endswith(("局", "厅", "委员会")) and len(name) >= 3 and name not in _SELF_BODIES:
            out.append(name)
    return out


def _without(norm: str, phrases: Sequence[str]) -> str:
    for phrase in phrases:
        norm = norm.replace(phrase, " ")
    return norm


def _is_english(norm: str) -> bool:
    letters = sum(ch.isascii() and ch.isalpha() for ch in norm)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in norm)
    return letters > 3 * max(cjk, 1)


_HOW_MUCH = re.compile(r"(多大|多长|多高|多宽|多深|多重|多远|多久)(?=[\u4e00-\u9fff])")


_YEAR_WORD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度?(?![初底末中内])")


def crossings(word: str, others: Iterable[str], text: str) -> list[bool]:
    """For each place `word` is written in `text`, whether it cuts across a place one of `others` is written: the two
    overlap and neither holds the other (共用 across 一共 and 用了 in 一共用了)."""
    spans = [(m.start(), m.end()) for other in others for m in re.finditer(re.escape(other), text)]
    return [any(a < e and s < b and not (s <= a and b <= e) and not (a <= s and e <= b) for s, e in spans)
            for m in re.finditer(re.escape(word), text) for a, b in [(m.start(), m.end())]]


def _across_a_word(phrase: str, norm: str, terms: Sequence[str], known: Callable[[str], bool] | None) -> bool:
    """用了 of 动用了: every place the phrase is written cuts across a word the reports use (动用), which is what
    the question says there (共用 of 一共用了 is no word of theirs: there the phrases hold)."""
    crossed = crossings(phrase, [t for t in terms if len(t) >= 2 and known is not None and known(t)], norm)
    return bool(crossed) and all(crossed)


def _terms(norm: str, tokenizer: Tokenizer, english: bool, known: Callable[[str], bool] | None = None
           ) -> tuple[list[str], dict, list[str]]:
    terms, expanded, unmapped = [], {}, []
    if english:  # december 8 (12月8日), then glossary phrases (bank of china, white list), then the words left
        for date, written in glossary.english_dates(norm):
            terms.append(date)
            expanded[date] = (written,)
            norm = norm.replace(date, " ")
        for phrase, forms in glossary.phrases_in(norm):
            terms.append(phrase)
            expanded[phrase] = forms
            norm = norm.replace(phrase, " ")
    norm = _HOW_MUCH.sub(r"\1 ", norm)  # 多大面积: 多大 asks, 面积 is the subject (not 大面积)
    norm = _YEAR_WORD.sub(r"\1 ", norm)  # 2023年收入: the year's 年, then 收入 (not 年收入, annual income)
    words = _join_single_characters(tokenizer.words(norm), known) if known else tokenizer.words(norm)
    for word in words:
        if word in lexicon.GENERIC or (word in lexicon.RANK_FRAME and f"how many {word}" not in norm) \
                or YEAR.fullmatch(word) \
                or _QUESTION_WORD.search(word) or word in terms:
            continue
        if english and word.isascii():
            forms = lexicon.ENGLISH.get(word) or lexicon.ENGLISH.get(word.rstrip("s")) or glossary.lookup(word, lexicon.ENGLISH) \
                or glossary.lookup(word, glossary.WORDS)
            if forms:
                expanded[word] = forms
                terms.append(word)
            elif len(word) > 2 and not word.isdigit():
                unmapped.append(word)
            continue
        terms.append(word)
        if word in lexicon.SYNONYMS:
            expanded[word] = lexicon.SYNONYMS[word]
    for phrase, forms in lexicon.SYNONYMS.items():  # multi-word colloquialisms jieba splits (花了, 多少人)
        if len(phrase) > 1 and phrase in norm and phrase not in expanded \
                and not _across_a_word(phrase, norm, terms, known):
            expanded[phrase] = forms
    return terms, expanded, unmapped
