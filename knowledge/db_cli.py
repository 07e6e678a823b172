"""`chengguo db status|upgrade`: which database holds bookings, records and checkpoints, and its
schema revision (PostgreSQL, Alembic). SQLite files need no command: they migrate on open."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from knowledge.config import get_settings
from knowledge.sqldb import is_postgres_url, redact

db_app = typer.Typer(
    help="The shared database (PostgreSQL when CHENGGUO_DATABASE_URL is set). 数据库状态与迁移。",
    no_args_is_help=True,
    add_completion=False,
)


def _status() -> dict[str, Any]:
    settings = get_settings()
    url = settings.database_url
    if not is_postgres_url(url):
        return {
            "backend": "sqlite",
            "path": str(settings.db_path),
            "chroma": settings.chroma_url or "embedded",
        }
    assert url is not None
    from knowledge import migrate

    return {
        "backend": "postgres",
        "url": redact(url),
        "revision": migrate.current_revision(url),
        "head": migrate.head_revision(),
        "chroma": settings.chroma_url or "embedded",
    }


@db_app.command("status")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON. 以 JSON 输出。")] = False,
) -> None:
    """Backend, location and (PostgreSQL) schema revision. 数据库后端与迁移版本。"""
    try:
        info = _status()
    except Exception as exc:  # a server that does not answer: say so, not a traceback
        typer.echo(
            f"error: cannot reach the database / 无法连接数据库: {type(exc).__name__}: {exc}", err=True
        )
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False))
        return
    for key, value in info.items():
        typer.echo(f"{key:>9}: {value}")
    if info.get("backend") == "postgres" and info["revision"] != info["head"]:
        typer.echo("schema behind: run `chengguo db upgrade` / 架构待升级：请运行 `chengguo db upgrade`")


@db_app.command("upgrade")
def upgrade() -> None:
    """Migrate the PostgreSQL schema to the newest revision (also done on first use). 升级数据库架构。"""
    settings = get_settings()
    if not is_postgres_url(settings.database_url):
        typer.echo("SQLite: nothing to do (files migrate when opened) / SQLite 无需迁移")
        return
    assert settings.database_url is not None
    from knowledge import migrate

    migrate.upgrade(settings.database_url)
    typer.echo(
        f"at revision {migrate.current_revision(settings.database_url)} / 已升级到 {migrate.head_revision()}"
    )
