"""`chengguo serve` and `chengguo keys create|list|revoke`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from knowledge.config import Settings, get_settings
from web.db import WebDB, web_db_path
from web.keys import CreatedKeys, KeyConfigError, KeyStore

serve_app = typer.Typer(add_completion=False)
keys_app = typer.Typer(
    help="Manage tenant API keys for the widget and the HTTP API. 管理租户密钥。",
    no_args_is_help=True,
    add_completion=False,
)

DEMO_TENANT = "demo"
_LOOPBACK = {"127.0.0.1", "localhost", "0.0.0.0", "::1", "::"}


def _store(settings: Settings | None = None) -> KeyStore:
    s = settings or get_settings()
    s.ensure_dirs()
    return KeyStore(WebDB(web_db_path(s)))


def demo_origins(host: str, port: int) -> list[str]:
    """Origins a browser on this machine uses for the demo page (loopback hosts in both spellings)."""
    if host in _LOOPBACK:
        return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    return [f"http://{host}:{port}"]


def demo_key_file(settings: Settings) -> Path:
    return settings.data_dir / "demo-key.json"


def ensure_demo_key(store: KeyStore, origins: list[str], key_file: Path | None = None) -> CreatedKeys:
    """The demo tenant's publishable key for these origins: the same one across restarts.

    Tokens are stored hashed, so the clear publishable key (public by nature: the demo page shows
    it) is kept in `demo-key.json`; while it is still active for the same origins it is reused, so
    open tabs keep their key and thus their thread. Otherwise earlier demo keys for the same
    origins are revoked and a new one is made.
    """
    wanted = sorted(origins)
    if key_file is not None and key_file.exists():
        try:
            saved = CreatedKeys.model_validate_json(key_file.read_text(encoding="utf-8"))
        except ValueError:
            saved = None
        key = store.lookup(saved.publishable_key) if saved else None
        if saved and key is not None and sorted(key.origins) == wanted and key.tenant == DEMO_TENANT:
            return saved
    for k in store.list(DEMO_TENANT):
        if k.label == "demo" and sorted(k.origins) == wanted:
            store.revoke(k.key_id)
    created = store.create(DEMO_TENANT, origins, "120/min", label="demo", with_secret=False)
    if key_file is not None:
        tmp = key_file.with_suffix(".tmp")
        tmp.write_text(created.model_dump_json(), encoding="utf-8")
        tmp.replace(key_file)
    return created


def report_damaged_stores(settings: Settings) -> bool:
    """Print each damaged store with its way back; True when web.db itself is damaged (cannot serve)."""
    from knowledge.integrity import check_data_dir

    problems = check_data_dir(settings.data_dir)
    for p in problems:
        typer.echo(f"warning / 警告: {p.describe()}", err=True)
    if problems:
        typer.echo(
            "Serving anyway: /healthz answers 503 and requests get a 503 with a reference until it is fixed.\n"
            "服务仍将启动：修复前 /healthz 返回 503，请求返回 503 及参考编号。",
            err=True,
        )
    return any(p.file.name == "web.db" for p in problems)


@serve_app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind. 监听地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port. 端口。")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes. 进程数。")] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="Also serve /demo, a mock portal embedding the widget. 演示门户。")
    ] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the chat API, widget.js and (with --demo) a demo portal. 启动 HTTP 服务。"""
    import uvicorn

    from web.app import create_app
    from web.settings import WebSettings

    settings = get_settings()
    settings.ensure_dirs()
    if report_damaged_stores(settings):
        typer.echo(
            "error: web.db (keys, threads) is damaged; the server cannot authenticate anyone. Restore it first.\n"
            "错误：web.db（密钥与会话）已损坏，服务无法鉴权，请先恢复。",
            err=True,
        )
        raise typer.Exit(3)
    web = WebSettings(warm=True, backup_hours=24.0)
    if demo:
        created = ensure_demo_key(_store(settings), demo_origins(host, port), demo_key_file(settings))
        web = web.model_copy(update={"demo_key": created.publishable_key})
        shown_host = "127.0.0.1" if host in _LOOPBACK else host
        typer.echo(f"demo portal: http://{shown_host}:{port}/demo")
        typer.echo(
            f"demo widget key (tenant '{DEMO_TENANT}', origins {', '.join(created.origins)}): {created.publishable_key}"
        )
    typer.echo(f"API docs:    http://{host}:{port}/docs   data dir: {settings.data_dir}")
    if workers == 1:
        uvicorn.run(create_app(settings, web_settings=web), host=host, port=port, log_level=log_level)
        return
    # Several processes import the app themselves: hand the demo key over through the environment.
    if web.demo_key:
        os.environ["CHENGGUO_WEB_DEMO_KEY"] = web.demo_key
    os.environ["CHENGGUO_WEB_WARM"] = "1"
    os.environ.setdefault("CHENGGUO_WEB_BACKUP_HOURS", str(web.backup_hours))
    uvicorn.run(
        "web.app:app_from_env", factory=True, host=host, port=port, workers=workers, log_level=log_level
    )


@keys_app.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option(help="Tenant name (a-z, 0-9, -, _). 租户名。")],
    origin: Annotated[
        list[str],
        typer.Option(help="Allowed page origin for the widget key; repeat for several. 允许的网页来源。"),
    ],
    rate: Annotated[
        str, typer.Option(help="Rate limit per key, e.g. 60/min, 5/s, 1000/hour. 限流。")
    ] = "60/min",
    label: Annotated[str, typer.Option(help="Free-text label shown by `keys list`.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a widget key (pk_) and a server key (sk_) for a tenant. 创建密钥。"""
    try:
        created = _store().create(tenant, origin, rate, label=label)
    except KeyConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(created.model_dump(), ensure_ascii=False))
        return
    typer.echo(f"key id:          {created.key_id}")
    typer.echo(f"tenant:          {created.tenant}")
    typer.echo(f"allowed origins: {', '.join(created.origins)}")
    typer.echo(f"rate:            {created.rate}")
    typer.echo(f"publishable key: {created.publishable_key}")
    typer.echo(f"secret key:      {created.secret_key}")
    typer.echo(
        "The secret key is shown only once; keep it on your server. 服务端密钥仅显示一次，请妥善保存在服务器上。",
        err=True,
    )


@keys_app.command("list")
def keys_list(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include revoked keys.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List keys (never the tokens). 列出密钥。"""
    keys = _store().list(tenant, include_revoked=all_)
    if as_json:
        for k in keys:
            typer.echo(json.dumps(k.model_dump(), ensure_ascii=False))
        return
    table = Table("key id", "kind", "hint", "tenant", "origins", "rate", "label", "created", "revoked")
    for col in table.columns[:4]:
        col.no_wrap = True
    for k in keys:
        table.add_row(
            k.key_id,
            k.kind,
            k.hint,
            k.tenant,
            ", ".join(k.origins),
            k.rate,
            k.label,
            k.created_at,
            k.revoked_at or "",
        )
    Console().print(table)
    if not keys:
        typer.echo("no keys", err=True)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id from `keys list` (both pk and sk).")],
) -> None:
    """Revoke a key pair at once. 吊销密钥。"""
    n = _store().revoke(key_id)
    if n == 0:
        typer.echo(f"error: no active key with id {key_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {n} key(s) with id {key_id}")
