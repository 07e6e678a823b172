"""`chengguo serve` and `chengguo keys create|list|revoke`."""

from __future__ import annotations

import json
import os
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


def ensure_demo_key(store: KeyStore, origins: list[str]) -> CreatedKeys:
    """A fresh publishable key for the demo tenant (tokens are stored hashed, so an old one can't be shown).

    Earlier demo keys for the same origins are revoked; the demo tenant keeps its threads.
    """
    wanted = sorted(origins)
    for k in store.list(DEMO_TENANT):
        if k.label == "demo" and sorted(k.origins) == wanted:
            store.revoke(k.key_id)
    return store.create(DEMO_TENANT, origins, "120/min", label="demo", with_secret=False)


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
    web = WebSettings(warm=True)
    if demo:
        created = ensure_demo_key(_store(settings), demo_origins(host, port))
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
