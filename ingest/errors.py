"""Errors raised while reading and chunking report files."""


class IngestError(ValueError):
    """A file could not be ingested. The message always names the file."""
