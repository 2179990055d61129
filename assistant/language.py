"""Which language a question is asked in, when it is neither Chinese nor English: a cheap check on its letters and
function words (assistant/knowledge/languages.toml), made before the question is read or searched."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from assistant.knowledge import load

# Quoted names and titles: a Chinese question may quote a foreign title (《…》读书活动办了几场).
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|《[^》]*》|「[^」]*」|『[^』]*』|«[^»]*»|„[^“”]*[“”]")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class OtherLanguage:
    """A language the desk does not answer in, and the polite reply to a question in it."""

    code: str  # ja, fr, …; "" for a script with no reply of its own
    reply: str  # in that language where the data has it, then the desk's Chinese and English line


def other_language(question: str) -> OtherLanguage | None:
    """The language of a question in neither Chinese nor English, or None (Chinese, English, mixed, digits only).
    R&D投入是多少, GDP增长了多少 and an English question naming a café stay Chinese or English."""
    text = _QUOTED.sub(" ", unicodedata.normalize("NFKC", question))
    scripts = Counter(_script(ch) for ch in text if ch.isalpha())
    letters = sum(scripts.values())
    if not letters:
        return None
    desk = load("languages")["desk"]
    for code, entry in load("languages")["scripts"].items():
        own = sum(scripts[s] for s in entry["scripts"])
        if own and own >= entry.get("min_letters", desk["min_letters"]) \
                and own >= entry.get("min_share", desk["min_share"]) * letters:
            return _reply(code, entry["reply"])
    unread = sum(n for script, n in scripts.items() if script not in desk["reads"])
    if unread >= desk["min_letters"] and unread >= desk["min_share"] * letters:
        return _reply("", "")  # a script no entry names (Armenian, Tamil…): the desk's line alone
    code = _latin_language(text, scripts["LATIN"], scripts["CJK"])
    return _reply(code, _latin()["languages"][code]["reply"]) if code else None


def _latin_language(text: str, latin: int, cjk: int) -> str:
    """The Latin-script language whose function words and accents outweigh the English ones, or ''."""
    rules = _latin()
    if not latin or cjk > rules["max_cjk_letters"]:
        return ""
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(w in _english_words() for w in words)
    best, best_score = "", 0
    for code, entry in rules["languages"].items():
        score = sum(w in _words(code) for w in words)
        score += sum(1 for mark in entry.get("marks", "") if mark in text.lower())
        score += sum(2 for mark in entry.get("strong", "") if mark in text)
        if score > best_score:
            best, best_score = code, score
    return best if best_score >= rules["min_score"] and best_score > english else ""


def _reply(code: str, own: str) -> OtherLanguage:
    line = load("languages")["desk"]["line"]
    return OtherLanguage(code, f"{own}\n{line}" if own else line)


def _script(ch: str) -> str:
    """CJK, LATIN, HIRAGANA, HANGUL…: the first word of the letter's Unicode name."""
    return unicodedata.name(ch, "UNKNOWN").split(" ")[0]


@cache
def _latin() -> dict:
    return load("languages")["latin"]


@cache
def _english_words() -> frozenset[str]:
    return frozenset(_latin()["english"])


@cache
def _words(code: str) -> frozenset[str]:
    return frozenset(_latin()["languages"][code]["words"])
