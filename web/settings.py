"""Settings of the HTTP surface only (env `CHENGGUO_WEB_*`); the shared `Settings` stays untouched."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    """Limits and knobs of `chengguo serve`."""

    model_config = SettingsConfigDict(env_prefix="CHENGGUO_WEB_", extra="ignore")

    body_limit: int = Field(16 * 1024, description="Largest request body in bytes (413 above).")
    max_text: int = Field(4000, description="Longest user message in characters (422 above).")
    ping_seconds: float = Field(15.0, description="SSE heartbeat interval on long streams.")
    run_threads: int = Field(64, description="Worker threads that drive the agent's sync generators.")
    lease_seconds: float = Field(
        900.0,
        description="Backstop only: a lease this old is taken over even if its owner still beats. "
        "A dead owner's lease is taken over at once (web/lease.py).",
    )
    failed_auth_rate: str = Field(
        "30/min", description="Requests failing auth (401/403) allowed per client address; 429 above."
    )
    backup_hours: float = Field(
        0.0,
        description="Back up the stores at start and then every this many hours (0: never; "
        "`chengguo serve` uses 24). Automatic backups rotate (knowledge/backup.py).",
    )
    warm: bool = Field(
        False, description="Build the agent (and its knowledge base) in the background at startup."
    )
    demo_key: str | None = Field(
        None, description="Publishable key the /demo page embeds (set by `serve --demo`)."
    )
    demo_lang: str = Field("zh", description="data-lang of the widget on /demo.")
