"""report-qa's question-answering core: the `Assistant` and the `Answer` it returns."""

from assistant.models import Answer, Citation, Mode, QuestionError

__all__ = ["Answer", "Assistant", "Citation", "Mode", "QuestionError", "Settings"]


def __getattr__(name: str):
    # Lazy, so `import assistant` (and `report-qa --help`) never loads Chroma or the embedder.
    if name == "Assistant":
        from assistant.core import Assistant
        return Assistant
    if name == "Settings":
        from assistant.settings import Settings
        return Settings
    raise AttributeError(name)
