"""English words → the report's own words nearest in meaning (multilingual e5), for the English words the genre
glossary does not know. The report's words are those of the chunks a question may be answered from, so the bridge
needs no list of any report's vocabulary: hospitality finds 公务接待 in a report that says 公务接待."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant import lexicon
from ingest.models import Chunk

_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,8}$")


class Vectors(Protocol):
    """Unit-normalised document vectors of texts, cached (assistant.semantic.UnitVectors)."""

    def of(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class BridgeCalibration:
    """Calibrated on the English questions of the real reports' dev sets (docs/EVAL.md)."""

    min_similarity: float = 0.84  # below this, an English word means none of the report's words
    margin: float = 0.012  # report words this close to the best one are forms too
    max_forms: int = 2
    max_report_words: int = 800


class WordBridge:
    def __init__(self, vectors: Vectors, words: Callable[[str], list[str]],
                 calibration: BridgeCalibration = BridgeCalibration()) -> None:
        self.vectors = vectors
        self.words = words  # the report's segmentation (the tokenizer that learned its names)
        self.calibration = calibration

    def report_words(self, chunks: Sequence[Chunk]) -> list[str]:
        """The distinct Chinese words of the chunks, without the genre's frame words (情况, 方面)."""
        seen: dict[str, None] = {}
        for chunk in chunks:
            for word in self.words(chunk.text):
                if _CJK_WORD.match(word) and word not in lexicon.GENERIC:
                    seen[word] = None
                    if len(seen) >= self.calibration.max_report_words:
                        return list(seen)
        return list(seen)

    def forms(self, english: Sequence[str], chunks: Sequence[Chunk]) -> dict[str, tuple[str, ...]]:
        """Each English word's nearest report words, when near enough."""
        english = [w for w in dict.fromkeys(english) if w]
        report = self.report_words(chunks)
        if not english or not report:
            return {}
        c = self.calibration
        sims = self.vectors.of(english) @ self.vectors.of(report).T
        out: dict[str, tuple[str, ...]] = {}
        for word, row in zip(english, sims):
            best = float(row.max())
            if best < c.min_similarity:
                continue
            order = np.argsort(-row)[: c.max_forms]
            out[word] = tuple(report[i] for i in order if row[i] >= best - c.margin)
        return out
