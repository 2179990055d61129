"""Makes a follow-up question standalone using the chat history, only when it depends on it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import lexicon
from assistant.slots import asked_slot, slot_words
from ingest.numerals import cn_int

_ELLIPTIC = re.compile(r"^(?:那么?(?![个些])|还有|另外|再问一下|再问|以及|and|what about|how about)\s*(.+?)\s*"
                       r"(?:呢|吗|怎么样|如何)?[？?。.!！]*$", re.IGNORECASE)
_TRAILING_NE = re.compile(r"^(.{1,20}?)(?:呢|又如何|又是多少|怎么样)[？?。]*$")
_PRONOUN = re.compile(r"它们|它|其中|这些|这个|这项|该项|那个|那些|他们|当时|那时|上述|刚才|这方面|"
                      r"这笔|那笔|这一?块|这部分|这么[多少大高低]|这[两二三四几][家个项位名笔条]?|"
                      r"那[两几][家个项位名笔条]?|^(?:分别|各自|各|都|具体)|\bit\b|\bthey\b|\bthem\b|\bthose\b|\bthat\b",
                      re.IGNORECASE)
# Pronouns that pick out things of the previous answer (这两家, 其中, 分别): the question keeps them,
# and the previous question's subject goes before it.
_DETERMINER = re.compile(r"^(?:其中|这些|那些|这[两二三四几]|那[两几]|分别|各自|各|都|具体)")
_ORDINAL = re.compile(r"第([一二三四五六七八九十]|\d{1,2})(?:条|个|项|点|家|种)(?:问题|措施|成绩|内容)?")
_ITEM_MARK = re.compile(r"[一二三四五六七八九十]是|[（(][一二三四五六七八九十\d]{1,2}[）)]|(?<![\d.])\d{1,2}[、.](?!\d)")
_OWN_ASK = re.compile(r"叫什么|是什么|有哪些|是哪些|哪些|多少|几[家个名人项]|怎么样|如何|是谁|哪[个家里两几2-9]|组成|构成|包括|"
                      r"[了完]没有|呢[？?。]*$")
_WHY = re.compile(r"为什么|为何|为啥|什么原因|原因是什么|啥原因")
_QUESTION_WORDS = re.compile(r"^(?:请问|那么|那)|哪[两三几]?[家个些]|多少|几[家个名人项笔次条]?")
_TAIL = re.compile(r"(是多少|有多少|多少|有哪些|是哪些|是什么|有什么|怎么样|如何|是谁|有几[家个名人项]|几[家个名人项]|"
                   r"有?多[大高长深宽远重])"
                   r"[^，,。？?]*[？?]?$")
_EN_TAIL = re.compile(r"^(what (?:was|is|were|are) the|how much (?:was|is|were) the|how many)\s+.+?(\s+in\s+\d{4})?\??$",
                      re.IGNORECASE)


# A year, a place and a body (2022年, 某市, 某局): whose report and which year a question is about.
_CONTEXT = (r"(?:19|20)\d{2}年(?:度)?|[\u4e00-\u9fff]{2,4}?[省市县区](?=[\u4e00-\u9fff]{0,10}?(?:局|厅|委|中心|政府))"
            r"|(?:(?<=[年度省市县区州])|(?<![\u4e00-\u9fff]))[\u4e00-\u9fff]{2,6}?(?:局|厅|委员会)")
# A follow-up subject that is itself a quantity (那公用经费呢？) replaces the quantity asked about.
_MEASURE = r"(?:支出|经费|资金|收入|预算|人数|人员|金额|比例|占比|率|奖励|补助|投入|费用|家数|个数)"
_MEASURE_END = _MEASURE + "$"


# A follow-up that begins with what is said of a subject (完成了…, 占…, 比上年…) says it of the previous one.
_SAID = (r"完成了?|占了?|比上一?年|比去年|较上一?年|较去年|同比|(?:跟|和|与|同)(?:上一?年|去年)(?:相)?比|"
         r"增长了?|增加了?|下降了?|减少了?|执行了?")
_PREDICATE = re.compile(rf"^(?:{_SAID}|用于|用在|花在)")
# …比上年减少了 of the previous question: what it asked of its subject
_SAID_OF = re.compile(rf"(?:{_SAID}|实际|花了|花掉了|用了|支出了)")
_PREDICATE_END = re.compile(r"(?:实际|一共|总共|共|全年)?(?:花了|花掉了|花|支出了|用了|拨付了|是|有|为)?$")
_ENTITY_END = r"(?:站|园|公司|中心|院|所|校|基地|银行|厂|馆)$"
_ENTITY = r"^(.{1,8}?(?:站|园|公司|中心|院|所|校|基地|银行|厂|馆))(.{2,})$"
_EN_AND = re.compile(r"^\s*and\s+(?:what|how|which|who|when|where)\b", re.IGNORECASE)


_DEMONSTRATIVE = re.compile(r"^(?:那么|那)?(?:那个|这个)(?=[\u4e00-\u9fff]{2,}?(?:能|有|是|装|建|花|用|在|的))")


def last_user_question(history: Sequence[dict]) -> str:
    for turn in reversed(history or []):
        if turn.get("role") == "user" and str(turn.get("content", "")).strip():
            return str(turn["content"]).strip()
    return ""


_BARE = re.compile(r"^(?:那么?|请问)?(?:是|有|分别是|都是|具体是)?(?:哪[些个家位项条名两几三]*|多少|几[家个名项位]?|什么|谁|哪里)"
                   r"(?:呢|吗|啊|呀)?[？?。]*$")


def needs_history(question: str) -> bool:
    q = question.strip()
    if _EN_AND.match(q) or _BARE.match(q):
        return True
    if _PREDICATE.match(q) and len(q) <= 40:
        return True  # 占三公经费总支出的比例是多少？ says something of a subject it does not name: the previous one
    if _money_use(q) is not None:
        return True  # 主要用在啥上面？ asks what the money asked about before was for
    return bool(_ELLIPTIC.match(q) or _TRAILING_NE.match(q) or _PRONOUN.search(q)) and len(q) <= 40


def standalone_history(history: Sequence[dict]) -> str:
    """The last user question made standalone: follow-ups to follow-ups keep the first subject's context."""
    standalone = ""
    for turn in history or []:
        if turn.get("role") == "user" and str(turn.get("content", "")).strip():
            past = [{"role": "user", "content": standalone}] if standalone else []
            standalone = rewrite(str(turn["content"]), past)
    return standalone


def _list_items(answer: str) -> list[str]:
    """The items of a list answer: "- …" lines, or 一是…；二是…, or （一）…（二）…, or 1、…2、…."""
    answer = re.sub(r"\[\d+\]", "", answer)
    lines = [line[2:].strip() for line in answer.splitlines() if line.startswith("- ")]
    if len(lines) >= 2:
        return lines
    marks = list(_ITEM_MARK.finditer(answer))
    bounds = [m.start() for m in marks] + [len(answer)]
    items = [_ITEM_MARK.sub("", answer[a:b], count=1).strip("；;。，, \n") for a, b in zip(bounds, bounds[1:])]
    if len(items) >= 2:
        return items
    # 主要有三方面：研发投入实力不强、创新主体建设不优、创新主体意识不浓。
    m = re.search(r"[：:]([^：:。]+?)[。]?$", answer.strip())
    listed = [x.strip(" ，,；;") for x in re.split(r"[、；;]", m.group(1))] if m else []
    return listed if len(listed) >= 2 and all(2 <= len(x) <= 24 for x in listed) else []


def _ordinal_item(question: str, history: Sequence[dict]) -> str:
    """第二条 / the second one, after a list answer: the text of that item, or ''."""
    m = _ORDINAL.search(question)
    answer = next((str(t.get("content", "")) for t in reversed(history or []) if t.get("role") == "assistant"), "")
    items = _list_items(answer)
    if not m or not items:
        return ""
    n = cn_int(m.group(1)) or 0
    return items[n - 1].split("：")[0] if 1 <= n <= len(items) else ""


def rewrite(question: str, history: Sequence[dict]) -> str:
    """那人员支出呢？ after 2022年科技局总支出是多少？ → 2022年科技局人员支出是多少？"""
    q = question.strip()
    item = _ordinal_item(q, history)
    if item:  # 第二条具体指的是什么？ after a list → that item, asked about in full
        return f"{item}：{_ORDINAL.sub('', q).strip('，,。？? 呢吗')}"
    previous = standalone_history(history) if needs_history(q) else ""
    if not previous or not needs_history(q):
        return q
    q = _DEMONSTRATIVE.sub("", q)  # 那个水塔能装多少吨水: the thing is named; 那个 only points back to it
    if _EN_AND.match(q):  # And what figure had been reported before the checks? asks its own question
        return f"{previous.rstrip('?？ ')}，{q}"
    said = re.sub(r"^(?:那么|那|还有|另外)\s*", "", q)
    if _PREDICATE.match(said) and not _is_english(previous):
        # 那完成了年初预算的百分之几？ after 三公经费实际花了多少？ says more of the same subject
        core, _ = _previous_subject(previous)
        return f"{_PREDICATE_END.sub('', core)}{said}"
    body = _of_the_body(said, previous)
    if body:  # 那他们的前身是哪个单位？ after 某中心的编制有几名？: 他们 is the body, not what was asked of it
        return body
    own = _asks_in_full(q)
    if own and not _is_english(previous):  # 那水泵一共装了几台？ names its own subject and asks: only context carries
        return "".join(dict.fromkeys(re.findall(_CONTEXT, previous))) + own
    m = _ELLIPTIC.match(q) or _TRAILING_NE.match(q)
    if m:
        subject = re.sub(r"^(?:其中|其|里面|这里面)", "", m.group(1).strip("，,？? "))
        if _PRONOUN.search(subject) is None and subject:
            return _substitute(previous, subject)
    use = _money_use(q)
    if use is not None and not _is_english(previous):
        # 那这笔钱主要用在哪了？ after 学前教育花了多少钱？: what that money was for
        core, _ = _previous_subject(previous)
        return f"{_PREDICATE_END.sub('', core)}{use}"
    if _WHY.search(q) and not _is_english(previous):
        # 为什么会少这么多？ after 三公经费比上年少了多少？: the reason for what the previous question asked about
        core, _ = _previous_subject(previous)
        return f"{core}，{re.sub(r'^(?:那么|那)(?![个些])', '', q)}"
    if _OWN_ASK.search(q) and not _is_english(previous):
        # 那它下属的事业单位叫什么？ asks its own question about the previous subject: name it.
        core, tail = _previous_subject(previous)
        own = re.sub(r"^(?:那么|那)(?![个些])", "", q)
        pronoun = _PRONOUN.search(own)
        if (pronoun and _DETERMINER.match(own[pronoun.start():])) or _BARE.match(q):  # 这两家里…哪家 / 是哪两家？
            whole = re.sub(r"(?:是|有|为)?[？?。]*$", "", _QUESTION_WORDS.sub("", previous)).strip("，, ")
            return f"{whole}，{own}"
        if pronoun and re.match(r"的?" + _MEASURE, own[pronoun.end():]):
            core = re.sub(_MEASURE_END, "", core) or core  # 这一块的支出 after …政府性基金收入: 政府性基金的支出
            if tail and re.search(r"呢[？?。]*$", own):  # …呢 asks what the previous question asked
                return f"{own[:pronoun.start()]}{core}{re.sub(r'呢[？?。]*$', '', own[pronoun.end():])}{tail.group(0)}"
        return _PRONOUN.sub(core, own, count=1)
    return f"{previous.rstrip('？?。')}，{q}"


def _previous_subject(previous: str) -> tuple[str, re.Match | None]:
    """The previous question without its ask (三公经费比上年少了 of 三公经费比上年少了多少？), and that ask."""
    tail = _TAIL.search(previous)
    return _QUESTION_WORDS.sub("", previous[:tail.start()] if tail else previous).strip("，,？? "), tail


# What a question asks, when it asks in full (几台, 多深, 怎么样, 有没有): a follow-up that has one and names its own
# subject before it is a question of its own.
_ASKS = re.compile(r"几[^\s，,。？?呢]|多[少大高长深远久重宽]|怎么样|如何|是否|有没有|[了完]没有|是谁|什么|哪[些个家里种类位年天]|"
                   r"([\u4e00-\u9fff])不\1|吗[？?。]*$")
# 它, 他们 in a follow-up that names its own subject (那集会游行它管不管？) stand for the body asked about before.
_BODY_PRONOUN = re.compile(r"(?<=.)(?:它们|它|他们)(?!的)")  # (它的完成率, 它包括哪几块: the previous subject)
_NOT_A_SUBJECT = re.compile(r"有|是|的|都|一共|总共|共|了|还|又|到底|大概|一下")  # (the leading 那 is already gone)


# The body a question names first (2022年某市某局…): what 他们 of a follow-up stands for.
_BODY = re.compile(r"^(?:(?:19|20)\d{2}年度?)?[\u4e00-\u9fff]{1,14}?(?:委员会|办公室|中心|局|厅|委|院|站|学校|中学|小学|政府)")
_PEOPLE = re.compile(r"他们|她们")
_PICKS_OUT = re.compile(r"分别|各自|各|都|其中|哪[个位家]?(?:人|位)")


def _of_the_body(own: str, previous: str) -> str:
    """The follow-up asked of the body the previous question named, when 他们 stands for that body and the
    follow-up names its own subject (他们在计算机方面管什么); '' otherwise (那他们分别多少人: the things listed)."""
    people = _PEOPLE.search(own)
    body = _BODY.search(previous) if not _is_english(previous) else None
    if people is None or body is None or _PICKS_OUT.search(own) or _ASKS.search(own) is None:
        return ""
    rest = _PEOPLE.sub("", own, count=1)
    if _PRONOUN.search(rest):
        return ""
    subject = re.sub(r"[^\u4e00-\u9fff]", "", _NOT_A_SUBJECT.sub("", rest[:_ASKS.search(rest).start()]))
    return _PEOPLE.sub(body.group(0), own, count=1) if len(subject) >= 2 else ""


_ITS = re.compile(r"^(?:它们|它)的")


def _asks_in_full(question: str) -> str:
    """The follow-up without its 那, when it names a subject of its own and asks about it; else ''."""
    own = re.sub(r"^(?:那么|那|还有|另外|再问一下|再问|以及)\s*", "", question.strip())
    its = _ITS.match(own)
    if its and not any(a in own for a in lexicon.ATTRIBUTES):  # 它的潜水泵配了几台: the pump is the subject
        own = own[its.end():]  # (它的完成率: the previous subject's, kept)
    ask = _ASKS.search(own)
    if ask is None or _PRONOUN.search(_BODY_PRONOUN.sub("", own)):
        return ""
    subject = re.sub(r"[^\u4e00-\u9fff]", "", _NOT_A_SUBJECT.sub("", _BODY_PRONOUN.sub("", own[:ask.start()])))
    return own if len(subject) >= 2 else ""


_THE_MONEY = re.compile(r"^(?:那么|那)?(?:这笔钱|这些钱|这笔资金|这些资金|这笔经费|这些经费|钱)?")


def _money_use(question: str) -> str | None:
    """What a follow-up that names no subject asks of the money (主要用在啥上面？, 那这笔钱用来干什么了？): the question
    without its pointer to the money; None for any other question."""
    q = question.strip()
    if asked_slot(q.lower()) != "purpose" or len(q) > 16:
        return None
    rest = _THE_MONEY.sub("", q)
    bare = rest
    for phrase in slot_words(rest, "purpose"):
        bare = bare.replace(phrase, "")
    return rest if len(re.sub(r"主要|都|具体|了|是|的|啥|上面|方面|[^\u4e00-\u9fff]", "", bare)) < 2 else None


def _is_english(text: str) -> bool:
    return bool(re.search(r"[a-zA-Z]", text)) and not re.search(r"[\u4e00-\u9fff]", text)


_ONLY_A_YEAR = re.compile(r"((?:19|20)\d{2}年度?)的?")
_A_YEAR = re.compile(r"(?:19|20)\d{2}年度?")


def _substitute(previous: str, subject: str) -> str:
    if _is_english(previous):
        m = _EN_TAIL.match(previous)
        if m:
            return f"{m.group(1)} {subject}{m.group(2) or ''}?"
        return f"{subject}: {previous}"
    year = _ONLY_A_YEAR.fullmatch(subject)
    if year:  # 2022年的基本支出是多少？那2021年呢？ The year is what changes, not the subject.
        said = _A_YEAR.search(previous)
        return _A_YEAR.sub(year.group(1), previous, count=1) if said else f"{year.group(1)}{previous}"
    tail = _TAIL.search(previous)
    if _TAIL.search(subject):  # 那基本支出是多少？ already asks in full; it only lacks the context
        head = previous[:tail.start()] if tail else previous
        context = "".join(re.findall(_CONTEXT, head))
        return f"{context}{subject}？"
    if not tail:
        return f"{subject}，{previous}"
    head = previous[:tail.start()]
    # Keep the context words of the previous question (year, body) but drop its own subject.
    context = "".join(re.findall(_CONTEXT, head))
    rest = re.sub(_CONTEXT, "", head).strip("，,的 ")
    owner = re.match(r"^(.{2,10}?)的(.{2,})$", rest) or (re.match(_ENTITY, rest) if re.search(_ENTITY_END, subject) else None)
    if owner and not re.search(_MEASURE_END, subject) and owner.group(1) != subject:
        # 某园(的)自然基金项目批了几个？那某站呢？ The new subject stands in for the owner, not the thing owned.
        joiner = "的" if "的" in rest[len(owner.group(1)):len(owner.group(1)) + 1] else ""
        return f"{context}{subject}{joiner}{owner.group(2).lstrip('的')}{tail.group(0)}"
    asked = re.match(r"(是多少|有多少|多少|有几[家个名人项]?|几[家个名人项]?)(.+?)[？?]?$", tail.group(0))
    if asked and len(re.sub(r"[^\u4e00-\u9fff]", "", asked.group(2))) >= 2:
        # 科技局有几个内设机构？那下属事业单位呢？ The thing counted follows the cue: it is what changes.
        return f"{head}{asked.group(1)}{subject}？"
    # 公务用车运行维护费比上年减少了多少？那公务接待费呢？ The new subject takes the old one's place, before what was asked of it.
    said = _SAID_OF.search(rest)
    said_of = rest[said.start():] if said and said.start() >= 2 and not _SAID_OF.search(subject) else ""
    return f"{context}{subject}{said_of}{tail.group(0)}"


def context_split(standalone: str, question: str) -> tuple[str, str] | None:
    """(context, own question) when the rewrite put the previous subject before a question that picks
    out part of it (某贷款产品贷款放了，这两家里贷得多的是哪家): the own question is what is asked."""
    own = re.sub(r"^(?:那么|那)(?![个些])", "", question.strip())
    pronoun = _PRONOUN.search(own)
    if standalone == question or not standalone.endswith(f"，{own}"):
        return None
    if not _EN_AND.match(own) and not (pronoun and _DETERMINER.match(own[pronoun.start():])):
        return None
    return standalone[:-len(own) - 1], own
