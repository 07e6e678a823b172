"""Run-time settings, read from the environment (CHENGGUO_*) with sane defaults.

Every surface (CLI, server, evals) builds one `Settings` and passes it down; nothing reads
environment variables elsewhere, so tests can point a whole run at a temporary data dir.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(user_data_dir("chengguo", appauthor=False))


class Settings(BaseSettings):
    """Settings shared by every surface. Environment variables are `CHENGGUO_<FIELD>`."""

    model_config = SettingsConfigDict(env_prefix="CHENGGUO_", extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir, description="Where indexes, the database and outputs live."
    )
    model: str = Field(
        "builtin", description='"builtin" or a LangChain model id such as "openai:gpt-4.1-mini".'
    )
    lang: str | None = Field(
        None, description='Reply language "zh" or "en"; default: the language of the question.'
    )
    openai_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible endpoint.")
    openai_api_key: str | None = Field(None, description="API key for the endpoint (kept server-side).")
    llm_timeout_s: float = Field(
        45.0,
        description="Model time per turn (LLM planner); the rest of a 60 s turn is the fallback, tools and answer.",
    )
    llm_context_tokens: int | None = Field(
        None, description="The model's context window; read from the server (/props, /v1/models) when unset."
    )
    llm_max_tokens: int = Field(256, description="Reply limit of one model call (a reading needs ~30-120).")
    chroma_url: str | None = Field(
        None, description="Chroma server URL; embedded PersistentClient when unset."
    )
    database_url: str | None = Field(None, description="PostgreSQL URL; SQLite in the data dir when unset.")
    max_steps: int = Field(8, description="Upper bound on tool steps per turn.")
    hold_days: int = Field(7, description="Days before a tentative hold expires.")
    today: date | None = Field(
        None,
        description="Treat this ISO date as today (evals, tests: CHENGGUO_TODAY); the real date when unset.",
    )

    def current_date(self) -> date:
        """The date the agent and tools treat as today: `today` when set, else the real date."""
        return self.today or date.today()

    @property
    def db_path(self) -> Path:
        return self.data_dir / "chengguo.db"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def outputs_dir(self) -> Path:
        return self.data_dir / "outputs"

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.outputs_dir.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings from the environment."""
    return Settings()
