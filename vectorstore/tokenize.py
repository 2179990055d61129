"""Chinese-aware tokens for BM25 and for matching: jieba words (with the genre's terms) plus CJK bigrams."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cached_property
from importlib import resources

import jieba

STOPWORDS = frozenset("""
的 了 和 与 及 是 在 对 为 有 把 被 等 将 从 以 中 上 下 也 都 就 而 或 并 其 之 这 那 个 些 么 吗 呢 吧 啊
什么 多少 哪些 哪个 哪 几 怎么 怎样 如何 是否 请问 一下 请 我 你 我们 你们 他们 告诉 介绍 情况 一共 总共
方面 具体 主要 相关 呢 啥 咋 有没有 有何 为何 哪里 谁 是的 以及 已 已经 进行 开展 通过
the of a an and or in on to is was were are for what how much many which who did does do by with
""".split())
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[\u4e00-\u9fff]+|[a-z]+(?:&[a-z]+)?|\d+(?:\.\d+)?")
_BRACKETED = re.compile(r"[（(]([^（）()]{2,60}、[^（）()]{2,60})[）)]")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,8}")
_QUOTED = re.compile(r"[“\"《「]([^”\"》」]{2,12})[”\"》」]")


_NOUN_TAGS = frozenset({"n", "nz", "vn", "j", "nt", "an"})  # jieba's tags of nouns, verbal nouns, abbreviations
_SPOKEN_DAY = re.compile(r"(\d{1,2}\s*月\s*\d{1,2}\s*)号")


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), lower-case; a day said 12月8号 written as reports write it,
    12月8日 (the same length, so offsets hold)."""
    return _SPOKEN_DAY.sub(r"\1日", unicodedata.normalize("NFKC", text).lower())


class Tokenizer:
    """A private jieba instance, so the genre dictionary never leaks into global state."""

    def __init__(self, extra_terms: list[str] | tuple[str, ...] = ()) -> None:
        self._extra = list(extra_terms)

    @cached_property
    def _jieba(self) -> jieba.Tokenizer:
        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        for term in genre_terms() + self._extra:
            tok.add_word(term, freq=200000)
        return tok

    def add_terms_from(self, text: str) -> None:
        """Quoted names (“某贷款产品”, “某引智计划”) and bracketed name lists (（丙公司、丁公司）) become words."""
        listed = [re.sub(r"[\d.]+\s*(?:万元|亿元|元|家|个|名|人|%)?", "", name).strip()
                  for group in _BRACKETED.findall(text) for name in group.split("、")]
        for term in _QUOTED.findall(text) + [n for n in listed if _NAME.fullmatch(n)]:
            if term not in self._extra:
                self._extra.append(term)
                if "_jieba" in self.__dict__:
                    self._jieba.add_word(term, freq=200000)

    @property
    def names(self) -> tuple[str, ...]:
        """The names learnt from the reports (quoted, or listed in brackets)."""
        return tuple(self._extra)

    def words(self, text: str) -> list[str]:
        """Content words: jieba (search mode) over Chinese runs, plus ASCII words and numbers."""
        text = normalise(text)
        out: list[str] = []
        for m in _WORD.finditer(text):
            piece = m.group()
            if _CJK_RUN.fullmatch(piece):
                out += [w for w in self._jieba.cut_for_search(piece, HMM=False) if w not in STOPWORDS]
            elif piece not in STOPWORDS:
                out.append(piece)
        return out

    def nouns(self, text: str) -> list[str]:
        """The nouns of a short Chinese text as jieba's tagger reads them (培训, 在校学生; not 参与, 开始, 就是)."""
        return [p.word for p in self._tagger.cut(normalise(text), HMM=False) if p.flag in _NOUN_TAGS]

    @cached_property
    def _tagger(self):
        from jieba import posseg  # the tagger loads its tables on first use only
        return posseg.POSTokenizer(tokenizer=self._jieba)

    def tokens(self, text: str) -> list[str]:
        """BM25 tokens: words plus character bigrams, which survive typos like 拔款/拨款."""
        words = self.words(text)
        return words + ["§" + b for b in bigrams(normalise(text))]


def bigrams(text: str) -> list[str]:
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out += [run[i:i + 2] for i in range(len(run) - 1)]
    return out


def genre_terms() -> list[str]:
    text = resources.files("vectorstore").joinpath("genre_terms.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]
