"""Reads a question: its kind (figure, list, other), the unit it expects, its years and its subject terms."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache

from assistant import dictionary, glossary, lexicon
from assistant.counting import asks_a_count, count_unit, counted_noun
from assistant.english_bodies import english_bodies, english_self, names_own_body
from assistant.ordinals import asked_ordinal, without_ordinal
from assistant.persona import without_persona
from assistant.slots import asked_slot, asks_a_name, asks_no_figure, slot_words
from ingest.numerals import cn_int, cn_years
from vectorstore.tokenize import Tokenizer, normalise


class Intent(str, Enum):
    FIGURE = "figure"  # 是多少 / how much / how many
    LIST = "list"  # 有哪些 / what are
    SENTENCE = "sentence"  # anything else: the best sentences answer it


class UnitKind(str, Enum):
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"
    ANY = "any"


UNIT_GROUPS = {
    UnitKind.MONEY: ("万元", "亿元", "千元", "元", "万", "亿"),
    UnitKind.PERCENT: ("%",),
}
_FIGURE_CUES = re.compile(r"多少|几成|占.{0,12}(?:比例|比重)呢|占比呢|"
                          r"几[家个名人项条笔次所届期份台座辆套间张口棵块户位批]|几多|金额|数额|多大|百分之|增长了?多少|增幅|"
                          r"how much|how many|what (?:was|is|were|are)\b.*\b(?:amount|number|total|figure|rate|share|"
                          r"percentage|expenditure|spending|budget|income|revenue|investment|growth|cost)\b|"
                          r"what percentage|as a percentage|in percent|what share|what rate|what amount|what figure|"
                          r"which figure|what number|"
                          r"^(?:total|amount)|what did\b.*\bcost\b|"
                          r"what (?:[\w-]+ ){0,3}(?:score|rate|percentage|share|proportion)\b")
_MONEY_CUES = re.compile(r"钱|开销|开支|花|工资|拨|金额|资金|经费|支出|预算|奖|补|款|收入|投入|津贴|费用|贷|元|"
                         r"how much|expenditure|spend|spent|"
                         r"budget|fund|cost|money|amount|loan|subsid|award|revenue|income|allowance|invest")
_GROWTH = r"增长|增幅|降幅|幅度|下降|降低|变化|变动|涨|百分|growth|\bgr[eo]w|percent|\brate\b|increase|\bris[ei]|\brose\b"
_PERCENT_CUES = re.compile(r"增长|几成|增幅|降幅|幅度|变化|变动|涨|百分|比例|比重|占比|满意度|率|"
                           r"percent|percentage|proportion|growth|\bgr[eo]w|rate|satisf|share|"
                           r"by how much .*\b(?:increase|rise|rose)")
# 预算完成率, budget execution rate: a rate of money is a percentage
_CHANGE_BY = re.compile(r"(?:比|较|同).{0,8}(?:少了|多了|减少了?|增加了?|下降了?|降低了?|上升了?|增长了?|涨了|降了)多少")
_RATE = re.compile(r"完成率|执行率|完成了百分之|执行了百分之|(?:完成|执行)了?(?:年初)?预算的(?:多少|百分之|几)|"
                   r"(?:completion|execution|implementation) rate")
# 公务用车费用占三公经费的比例: a share of money is a percentage
_SHARE = re.compile(r"占.{0,12}(?:比例|比重|百分之|多少|几成)|比例|比重|占比|\bshare\b|\bproportion\b|\bpercentage\b")
_LIST_CUES = re.compile(r"哪些|哪几|些啥|些什么|有什么|"
                        r"有何|列举|列出|列一下|罗列|都包括|包括什么|包含哪些|主要做了|做了什么|几个方面|分别是|"
                        r"都有|什么成绩|什么问题|什么措施|包括|"
                        r"what (?:are|were) the|which|list|name the|what problems|what measures|what achievements")
_PLACE = re.compile(r"([\u4e00-\u9fff]{2}(?:省|市|县))(?![场场民级])")
_NOT_IN_PLACE = set("中的在和与及是了全本我该各省市县比对向从为每到年度月日于")  # (关于市政府: no place)
_BODY = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:局|厅|委员会)")
_SELF_REFERENCE = re.compile(r"(?:这个|这家|这所|该|本|你们|咱们|我们|贵)(?:局|中心|厅|委|院|所|站|学校|校|单位|镇|街道|部门)|"
                             r"^(?:请问)?(?:学校|单位)(?=(?:19|20)\d{2}|今年|去年|当年|全年)")  # 学校2023年…: the school
# 这/那 and a classifier (那口机井, 这座桥, 那笔钱): they point at a thing, they name none.
_POINTED = re.compile(r"(?:这|那)(?:一)?(?:口|座|笔|项|个|家|所|条|台|辆|间|栋|批|份|种|位|名|处|块|片|张|次|届|期)")
_SELF_BODIES = {"你们局", "我们局", "这个局", "咱们局", "局里", "本局", "我局", "贵局", "该局"}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")  # a year as written: 2022
_CN_COUNT = re.compile(r"([两二三四五六七八九十])([家个名人项条笔次])")
# Question words and the frame of a question (哪几个方面, 由哪两部分组成): they name no subject.
_QUESTION_WORD = re.compile(r"^(?:哪|几|多少)|^(?:方面|部分|组成|构成|包括|包含|分为|内容|由|"
                            r"[更最较]?[多少大小高低]|[更最较]?(?:多|少|大|小|高|低)(?:些|一些|一点)?)$")
_BREAKDOWN = re.compile(r"组成|构成|由哪|哪[几两三四]?(?:个)?部分|哪些部分|分为|分成|包[括含]哪|具体包[括含]|明细|各[是为有贷拿获得花用占]|"
                        r"分别[是为有贷拿获得花用给]|"
                        r"(?:每|各)(?:家|个|项|笔)|break\s*down|consist|made up|composed|split|each")
_COMPARE_MAX = re.compile(r"(?:多|大|高)的(?:是)?(?:哪|谁)|(?:哪|谁)[^？?，,]{0,10}?(?:更|最)?(?:多|大|高)|(?:更|最|较)(?:多|大|高)|"
                          r"(?:多|大|高)还是|比[^？?，,]{1,14}(?:多|大|高)|"
                          r"\bwhich\b[^?]*\b(?:more|larger|bigger|higher|greater|largest|biggest|highest|most)\b|"
                          r"\b(?:more|larger|bigger|higher|greater)\s+than\b")
_COMPARE_MIN = re.compile(r"(?:少|小|低)的(?:是)?(?:哪|谁)|(?:哪|谁)[^？?，,]{0,10}?(?:更|最)?(?:少|小|低)|(?:更|最|较)(?:少|小|低)|"
                          r"(?:少|小|低)还是|比[^？?，,]{1,14}(?:少|小|低)|"
                          r"\bwhich\b[^?]*\b(?:less|fewer|smaller|lower|least|smallest|lowest)\b|"
                          r"\b(?:less|fewer|smaller|lower)\s+than\b")


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
    intent = Intent.SENTENCE if asks_a_name(slot) else _intent(_without(norm, asking if slot == "purpose" else ()))
    return Question(text=text.strip(), norm=norm, english=english, intent=intent,
                    unit=UnitKind.ANY if asks_no_figure(slot) else _unit(norm),  # (那笔钱是什么来源: no amount)
                    count_unit=count_unit(norm), years=[int(y) for y in YEAR.findall(norm)],
                    terms=terms, expanded=expanded, unmapped=unmapped, translated=translated,
                    places=_places(norm), bodies=_bodies(norm, tokenizer),
                    breakdown=bool(_BREAKDOWN.search(norm)), compare=_compare(norm), ranks=_ranks(norm),
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


@cache
def _measures_longest_first() -> tuple[str, ...]:
    return tuple(sorted(lexicon.MEASURES, key=len, reverse=True))  # 平方米 before 米


def asked_measure(question: str) -> str:
    """多少米 → 米, 几所 → 所, what score / 得分是多少 → 分: the measure word a figure is asked in (lexicon.MEASURES,
    lexicon.MEASURED_BY); '' when it names none (多少个, 多少钱, 多少衔接资金)."""
    for word, measure in lexicon.MEASURED_BY.items():  # what score, 得分是多少
        if re.search(rf"\b{word}\b", question) if word.isascii() else word in question:
            return measure
    for m in re.finditer(r"(?:多少|几)\s*", question):
        rest = question[m.end():]
        measure = next((w for w in _measures_longest_first() if rest.startswith(w)), "")
        if measure and not (measure == "年" and rest.startswith("年度")):
            return measure
    counter = lexicon.ENGLISH_COUNTERS.get(counted_noun(question), "")  # how many people → 人
    return counter if counter in lexicon.MEASURES else ""


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


_DIFFERENCE = re.compile(r"相差|差额|之差|差距|差多少|差了多少|多出多少|少了多少|\bdifference\b|\bgap\b")


_BASELINE = re.compile(r"比(?:上年|去年|上一年|前一年|年初|预算|年初预算|同期|上年同期)|"
                       r"(?:跟|和|与|同)(?:上年|去年|上一年|前一年|年初预算|预算|上年同期)(?:相)?比")


def _compare(norm: str) -> str:
    """哪家企业贷得多 → max; 哪项支出最少 → min; 差多少 → diff; '' when nothing is compared."""
    if asked_slot(norm) == "reason":
        return ""  # 为什么比预算少 asks for a reason, not which figure is less
    if _BASELINE.search(norm):
        return ""  # 比上年减少了多少 asks for the change the report states against a baseline, not two subjects
    if _DIFFERENCE.search(norm):
        return "diff"
    text = norm.replace("多少", "＃")  # 增长多少 asks for a figure, not which is less
    if _COMPARE_MIN.search(text):
        return "min"
    if _COMPARE_MAX.search(text):
        return "max"
    return ""


def _ranks(norm: str) -> bool:
    """哪项支出最多, 花钱最多的是哪一块, which part was largest: a superlative and a word that asks which one."""
    says = [any(re.search(rf"\b{w}\b", norm) if w.isascii() else w in norm for w in words)
            for words in (lexicon.SUPERLATIVES, lexicon.WHICH_PART)]
    return _compare(norm) in ("max", "min") and all(says)


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


def _intent(norm: str) -> Intent:
    if _FIGURE_CUES.search(norm) and not re.search(r"哪些|which|哪几|what are", norm):
        return Intent.FIGURE
    if _LIST_CUES.search(norm):
        return Intent.LIST
    return Intent.SENTENCE


def _unit(norm: str) -> UnitKind:
    measure = asked_measure(norm)
    if measure in lexicon.QUANTITY_MEASURES:
        return UnitKind.ANY  # 衔接资金修的路一共多少公里: a length, though money is named
    if measure in ("人", "名", "位", "户") and not re.search(r"多少钱|金额|how much", norm):
        return UnitKind.COUNT  # 衔接资金修的路能让多少老百姓出行方便: people, though money is named
    if asks_a_count(norm):
        return UnitKind.COUNT
    if _SHARE.search(norm) and not _PERCENT_CUES.search(norm) and not re.search(r"比例|比重|占比|百分|占地", norm):
        return UnitKind.ANY  # 各项占多少, 基本支出占了多少: its share or its amount, whichever the report states
    if _CHANGE_BY.search(norm) and not re.search(r"钱|金额|元|百分|几个点|percent|how much money", norm):
        return UnitKind.ANY  # 支出比上一年少了多少: by an amount or a percentage, whichever the report states
    if (_PERCENT_CUES.search(norm) or _RATE.search(norm)) and not re.search(r"多少钱|金额|how much money", norm):
        return UnitKind.PERCENT if not re.search(r"投入|经费|资金|支出|budget|expenditure|spending", norm) \
            or re.search(_GROWTH, norm) or _SHARE.search(norm) or _RATE.search(norm) else UnitKind.MONEY
    if _MONEY_CUES.search(norm):
        return UnitKind.MONEY
    return UnitKind.ANY


_HOW_MUCH = re.compile(r"(多大|多长|多高|多宽|多深|多重|多远|多久)(?=[\u4e00-\u9fff])")


_YEAR_WORD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度?(?![初底末中内])")


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
        if word in lexicon.GENERIC or word in lexicon.RANK_FRAME or YEAR.fullmatch(word) \
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
        if len(phrase) > 1 and phrase in norm and phrase not in expanded:
            expanded[phrase] = forms
    return terms, expanded, unmapped
