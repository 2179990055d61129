"""Turns report files into section-aware `Chunk`s with exact source offsets."""

from ingest.errors import IngestError
from ingest.models import Chunk, Fact, SourceDocument

__all__ = ["Chunk", "Fact", "IngestError", "SourceDocument"]
