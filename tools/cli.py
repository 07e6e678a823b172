"""`chengguo bookings`: list, show, release and confirm facility bookings (operators)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import Annotated

import typer

from knowledge.bookings import BookingError, BookingRow, BookingStore
from knowledge.config import get_settings

bookings_app = typer.Typer(
    help="Facility bookings: list, show, release, confirm. 设施预订：查看、释放、确认。",
    no_args_is_help=True,
    add_completion=False,
)

STATUSES = ("held", "confirmed", "cancelled", "expired")


def _store() -> BookingStore:
    return BookingStore(get_settings())


def _now() -> datetime | None:
    """Pinned clock when CHENGGUO_TODAY is set (evals, demos), else the real time."""
    today = get_settings().today
    return datetime.combine(today, time(12, 0), UTC) if today else None


def _json(row: BookingRow) -> dict[str, object]:
    return row.model_dump(mode="json") | {"days": row.days}


@bookings_app.command("list")
def list_bookings(
    facility: Annotated[
        str | None, typer.Option("--facility", "-f", help="Only this facility id (FAC-…). 仅列出该设施。")
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            help="held, confirmed, cancelled or expired (repeatable). 按状态过滤（可重复）。",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON lines instead of a table. 以 JSON 行输出。")
    ] = False,
) -> None:
    """List bookings (expired holds show as expired). 列出预订。"""
    for s in status or []:
        if s not in STATUSES:
            raise typer.BadParameter(
                f"unknown status {s!r}; allowed: {', '.join(STATUSES)} / 未知状态", param_hint="--status"
            )
    with _store() as store:
        rows = store.list(facility_id=facility, statuses=status or None, now=_now())
    if facility and not rows and not _facility_exists(facility):
        # An empty list for a mistyped id would read as "the facility is free".
        typer.echo(f"error: no facility {facility} / 未找到设施 {facility}", err=True)
        raise typer.Exit(1)
    if as_json:
        for r in rows:
            typer.echo(json.dumps(_json(r), ensure_ascii=False))
        return
    # Compact enough for 80 columns: identifiers and dates never truncate; only the holder gives way
    # (use --json for everything).
    # Plain aligned columns: predictable in any terminal and easy to grep (use --json for scripts).
    typer.echo(
        f"{'reference':<14} {'facility':<10} {'start':<10} {'end(excl)':<10} {'days':>4}  {'status':<16} holder"
    )
    for r in rows:
        shown = r.status + (f" until {r.expires_at:%m-%d}" if r.status == "held" and r.expires_at else "")
        typer.echo(
            f"{r.reference:<14} {r.facility_id:<10} {r.start!s:<10} {r.end!s:<10} {r.days:>4}  {shown:<16} {r.holder}"
        )
    typer.echo(f"{len(rows)} booking(s) / 共 {len(rows)} 条预订")


def _facility_exists(facility_id: str) -> bool:
    from knowledge.kb import open_kb
    from knowledge.models import Facility

    return isinstance(open_kb(progress=None).get(facility_id), Facility)


def _get(store: BookingStore, reference: str) -> BookingRow:
    row = store.get(reference, now=_now())
    if row is None:
        typer.echo(f"error: no booking {reference} / 未找到预订 {reference}", err=True)
        raise typer.Exit(1)
    return row


@bookings_app.command("show")
def show(
    reference: Annotated[str, typer.Argument(help="Booking reference, e.g. BK-3F9A1C2E. 预订编号。")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON. 以 JSON 输出。")] = False,
) -> None:
    """Show one booking and its audit trail. 查看单个预订。"""
    with _store() as store:
        row = _get(store, reference)
        audit = store.audit(reference)
    if as_json:
        typer.echo(
            json.dumps(
                _json(row) | {"audit": [a.model_dump(mode="json") for a in audit]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for key, value in _json(row).items():
        typer.echo(f"{key:>12}: {value}")
    for a in reversed(audit):
        typer.echo(f"{'audit':>12}: {a.ts:%Y-%m-%d %H:%M} {a.action} by {a.actor}")


def _write(action: str, reference: str, force: bool = False) -> None:
    with _store() as store:
        try:
            row = (
                store.confirm(reference, actor="cli", now=_now())
                if action == "confirm"
                else store.release(reference, force=force, actor="cli", now=_now())
            )
        except BookingError as exc:
            hint = ""
            if exc.code == "invalid_state" and action == "release" and not force:
                hint = " (use --force to cancel a confirmed booking / 取消已确认预订请加 --force)"
            typer.echo(f"error ({exc.code}): {exc}{hint}", err=True)
            raise typer.Exit(1) from exc
    typer.echo(f"{row.reference} {row.facility_id} {row.start}..{row.end} {row.status}")


@bookings_app.command("release")
def release(
    reference: Annotated[str, typer.Argument(help="Booking reference. 预订编号。")],
    force: Annotated[
        bool, typer.Option("--force", help="Also cancel a confirmed booking. 同时可取消已确认的预订。")
    ] = False,
) -> None:
    """Release a hold (or, with --force, cancel a confirmed booking). 释放暂留。"""
    _write("release", reference, force)


@bookings_app.command("confirm")
def confirm(reference: Annotated[str, typer.Argument(help="Booking reference. 预订编号。")]) -> None:
    """Confirm a live hold. 确认暂留。"""
    _write("confirm", reference)
