"""`chengguo bookings`: list, show, release and confirm facility bookings (operators)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from knowledge.bookings import LIVE_STATUSES, BookingError, BookingRow, BookingStore
from knowledge.config import get_settings

bookings_app = typer.Typer(
    help="Facility bookings: list, show, release, confirm. 设施预订：查看、释放、确认。",
    no_args_is_help=True,
    add_completion=False,
)

STATUSES = ("held", "confirmed", "cancelled", "expired")

_out = Console(soft_wrap=True)


def _store() -> BookingStore:
    return BookingStore(get_settings())


def _now() -> datetime | None:
    """Pinned clock when CHENGGUO_TODAY is set (evals, demos), else the real time."""
    today = get_settings().today
    return datetime.combine(today, time(12, 0), UTC) if today else None


def _today() -> date:
    """CHENGGUO_TODAY when set, else the real date: what "upcoming" is measured from."""
    return get_settings().today or date.today()


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
            help="held, confirmed, cancelled or expired (repeatable; default held and confirmed). "
            "按状态过滤（可重复；默认暂留和已确认）。",
        ),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            "-a",
            help="Also past, cancelled and expired bookings. 同时列出已结束、已取消和已过期的预订。",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON lines instead of a table. 以 JSON 行输出。")
    ] = False,
) -> None:
    """List upcoming and running bookings (with --all, every booking). 列出当前及未来的预订。"""
    for s in status or []:
        if s not in STATUSES:
            raise typer.BadParameter(
                f"unknown status {s!r}; allowed: {', '.join(STATUSES)} / 未知状态", param_hint="--status"
            )
    with _store() as store:
        if show_all:
            rows = store.list(facility_id=facility, statuses=status or None, now=_now())
        else:
            # The store keeps every booking since the sample calendar began: operators want what
            # is live now or still to come, not a year of history.
            rows = store.list(
                facility_id=facility, statuses=status or LIVE_STATUSES, ends_after=_today(), now=_now()
            )
        # Any booking at all proves the id exists without opening the knowledge base.
        unknown = bool(facility) and not rows and not store.list(facility_id=facility, now=_now())
    if unknown and facility and not _facility_exists(facility):
        # An empty list for a mistyped id would read as "the facility is free".
        typer.echo(f"error: no facility {facility} / 未找到设施 {facility}", err=True)
        raise typer.Exit(1)
    if as_json:
        for r in rows:
            typer.echo(json.dumps(_json(r), ensure_ascii=False))
        return
    if rows:
        _out.print(_table(rows, show_all))
    n = len(rows)
    if show_all:
        _out.print(f"{n} booking(s) / 共 {n} 条预订")
    else:
        _out.print(
            f"{n} shown (use --all for past and cancelled) / 显示 {n} 条（加 --all 可查看已结束和已取消的预订）"
        )


_COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "left"),
    ("facility", "left"),
    ("start", "left"),
    ("end (excl.)", "left"),
    ("days", "right"),
    ("status", "left"),
)


def _cells(r: BookingRow) -> list[Text]:
    # Text, not str: a holder such as "Lab [B]" must not be read as rich markup.
    shown = r.status + (f" until {r.expires_at:%m-%d}" if r.status == "held" and r.expires_at else "")
    return [Text(x) for x in (r.reference, r.facility_id, str(r.start), str(r.end), str(r.days), shown)]


def _holder(r: BookingRow) -> str:
    """Who the booking is for ("Name (ORG-…)"); the conversation id only for holds that named nobody."""
    from tools.booking import holder_label

    return holder_label(r.holder, r.holder_id)


def _bare_table(title: str) -> Table:
    # A light box: seven columns with full borders do not fit 80 columns.
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for name, justify in _COLUMNS:
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    return table


def _table(rows: list[BookingRow], show_all: bool) -> Table:
    """Bookings as a rich table (as `chengguo kb` prints): identifiers and dates never wrap or
    shorten; only the holder is cut to what the terminal has left (--json has everything)."""
    title = "All bookings / 全部预订" if show_all else "Upcoming bookings / 当前及未来的预订"
    probe = _bare_table(title)
    for r in rows:
        probe.add_row(*_cells(r))
    left = _out.width - _out.measure(probe).maximum - 3
    table = _bare_table(title)
    table.add_column("holder", overflow="ellipsis", no_wrap=True, max_width=max(8, left))
    for r in rows:
        table.add_row(*_cells(r), Text(_holder(r)))
    return table


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
