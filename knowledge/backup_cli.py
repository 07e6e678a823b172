"""`chengguo backup create|list` and `chengguo restore` (mounted by the top-level cli.py)."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from knowledge.backup import STORE_FILES, BackupInfo, create_backup, find_backup, list_backups, restore_backup
from knowledge.config import Settings, get_settings

backup_app = typer.Typer(
    help="Back up the data dir's stores (records, bookings, threads, keys). 备份数据目录。",
    no_args_is_help=True,
    add_completion=False,
)
restore_app = typer.Typer(add_completion=False)


def _row(b: BackupInfo) -> dict[str, object]:
    return {
        "name": b.name,
        "created_at": b.created_at,
        "reason": b.reason,
        "automatic": b.automatic,
        "path": str(b.path),
        "files": b.files,
    }


def _summary(files: dict[str, dict[str, object]]) -> str:
    parts = []
    for name, info in files.items():
        if "skipped" in info:
            parts.append(f"{name}: SKIPPED ({info['skipped']})")
            continue
        counts = ", ".join(f"{k} {v}" for k, v in info.items() if k != "bytes")
        parts.append(f"{name} ({counts})" if counts else name)
    return "; ".join(parts)


@backup_app.command("create")
def backup_create(
    json_out: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Back up now (kept until you delete it). 立即备份（手动备份不会被自动清理）。"""
    info = create_backup(get_settings(), "manual")
    if json_out:
        typer.echo(json.dumps(_row(info), ensure_ascii=False))
        return
    typer.echo(f"backup / 备份: {info.name}\n  {info.path}\n  {_summary(info.files)}")


@backup_app.command("list")
def backup_list(
    json_out: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False,
) -> None:
    """List backups, newest first. 列出备份（最新在前）。"""
    backups = list_backups(get_settings())
    if json_out:
        for b in backups:
            typer.echo(json.dumps(_row(b), ensure_ascii=False))
        return
    table = Table("name / 名称", "reason / 原因", "holds / 内容")
    table.columns[0].no_wrap = True
    for b in backups:
        table.add_row(b.name, b.reason, _summary(b.files))
    Console(soft_wrap=True).print(table)
    if not backups:
        typer.echo("no backups yet / 暂无备份", err=True)


def _live_servers(settings: Settings) -> int:
    """Servers running on this data dir right now (their instance rows in web.db are alive)."""
    path = settings.data_dir / "web.db"
    if not path.exists():
        return 0
    from web.lease import owner_alive  # the liveness rule lives with the leases

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute("SELECT instance, pid, host, heartbeat FROM web_instances").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return 0
    return sum(1 for r in rows if owner_alive(instance_id=r[0], pid=r[1], host=r[2], heartbeat=r[3]))


@restore_app.command("restore")
def restore(
    name: Annotated[
        str | None, typer.Argument(help="Backup name (default: the newest). 备份名称（默认最新）。")
    ] = None,
    file: Annotated[
        list[str] | None,
        typer.Option(
            "--file", help=f"Only this store ({', '.join(STORE_FILES)}); repeatable. 只恢复该文件。"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Even while a server seems to run. 强制。")] = False,
) -> None:
    """Put a backup back in place (current files are backed up first). 从备份恢复（先自动备份当前文件）。"""
    settings = get_settings()
    for f in file or []:
        if f not in STORE_FILES:
            raise typer.BadParameter(
                f"{f!r}: one of {', '.join(STORE_FILES)} / 未知文件", param_hint="--file"
            )
    if not force and _live_servers(settings):
        typer.echo(
            "error: a chengguo server is running on this data dir; stop it first (or --force).\n"
            "错误：有 chengguo 服务正在使用该数据目录，请先停止（或使用 --force）。",
            err=True,
        )
        raise typer.Exit(1)
    wanted = file[0] if file and len(file) == 1 else None
    backup = (
        find_backup(settings, name)
        if name
        else next(
            (
                b
                for b in list_backups(settings)
                if b.reason != "pre-restore" and (wanted is None or "bytes" in b.files.get(wanted, {}))
            ),
            None,
        )
    )
    if backup is None:
        typer.echo(
            f"error: no backup {'named ' + repr(name) if name else 'found'} in {settings.data_dir / 'backups'} "
            "(`chengguo backup list`) / 未找到备份",
            err=True,
        )
        raise typer.Exit(1)
    try:
        done = restore_backup(settings, backup, list(file) if file else None)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"restored / 已恢复 {', '.join(done)} from {backup.name} ({backup.created_at})")
    typer.echo(
        "The files replaced were backed up first as 'pre-restore'. 被替换的文件已先备份（pre-restore）。"
    )
