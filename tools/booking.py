"""Tools over the booking store: hold_slot, release_hold, confirm_booking (WRITE) and
list_bookings (READ).

The agent asks for approval before running any WRITE tool. Each call carries the idempotency
key `thread:step`, so a retried step returns the first result instead of a second hold.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from knowledge.bookings import BookingError, BookingRow
from knowledge.models import Facility, Organisation
from tools.base import ToolContext, ToolError, ToolKind, tool
from tools.common import fail, get_kb, get_store, money
from tools.scheduling import free_windows


class BookingView(BaseModel):
    ok: Literal[True] = True
    reference: str
    facility_id: str
    facility_name: str = ""
    start: date
    end: date = Field(description="Exclusive.")
    days: int
    status: str
    holder: str = Field(description="Who the booking is for: an organisation's name or a person.")
    holder_id: str | None = Field(None, description="The organisation's id (ORG-…) when it is one.")
    thread_id: str | None = Field(None, description="The conversation that placed the hold.")
    expires_at: datetime | None = None
    quote_cny: float | None = Field(None, description="days × daily_rate_cny.")
    summary: str = ""


def _view(row: BookingRow, facility: Facility | None, lang: str) -> BookingView:
    quote = round(row.days * facility.daily_rate_cny, 2) if facility else None
    name = facility.name if facility else ""
    status_zh = {"held": "已暂留", "confirmed": "已确认", "cancelled": "已取消", "expired": "已过期"}[
        row.status
    ]
    # Named only when someone was named: legacy holds carry the conversation id as holder.
    named = row.holder_id or (row.thread_id and row.holder and row.holder != row.thread_id)
    party = holder_label(row.holder, row.holder_id) if named else ""
    if lang == "zh":
        summary = f"{row.reference}：{name or row.facility_id} {row.start} 至 {row.end}（{row.days} 天，不含结束日）{status_zh}"
        if party:
            summary += f"，预订方 {party}"
        if row.status == "held" and row.expires_at:
            summary += f"，暂留至 {row.expires_at:%Y-%m-%d %H:%M} UTC"
        if quote is not None:
            summary += f"，报价 {money(quote, lang)}"
    else:
        summary = f"{row.reference}: {name or row.facility_id} {row.start} to {row.end} ({row.days} days, end exclusive) {row.status}"
        if party:
            summary += f" for {party}"
        if row.status == "held" and row.expires_at:
            summary += f", held until {row.expires_at:%Y-%m-%d %H:%M} UTC"
        if quote is not None:
            summary += f", quote {money(quote, lang)}"
    return BookingView(
        reference=row.reference,
        facility_id=row.facility_id,
        facility_name=name,
        start=row.start,
        end=row.end,
        days=row.days,
        status=row.status,
        holder=row.holder,
        holder_id=row.holder_id,
        thread_id=row.thread_id,
        expires_at=row.expires_at,
        quote_cny=quote,
        summary=summary,
    )


_ACTIONS_ZH = {"hold": "暂留", "release": "释放", "confirm": "确认"}


def _booking_error(ctx: ToolContext, exc: BookingError) -> ToolError:
    """The store's failure as a ToolError whose message is wholly in ctx.lang.

    The store's exception text is English (it is also the CLI's); the message is rebuilt from
    the code and the details here so a Chinese conversation gets no English fragments.
    """
    d = exc.details
    ref = str(d.get("reference") or "")
    status = str(d.get("status") or "")
    if exc.code == "conflict":
        first = (d.get("conflicts") or [{}])[0]
        fac = str(d.get("facility_id") or "")
        when_en = (
            f" from {first.get('start')} to {first.get('end')} ({first.get('reference')})" if first else ""
        )
        when_zh = (
            f"在 {first.get('start')} 至 {first.get('end')}（{first.get('reference')}）"
            if first
            else "该时段"
        )
        return fail(
            ctx,
            exc.code,
            f"{fac or 'The facility'} is already booked{when_en}.",
            f"{f'{fac} ' if fac else '该设施'}{when_zh}已有预订，该时段已被占用。",
            **d,
        )
    if exc.code == "not_found":
        return fail(ctx, exc.code, f"No booking {ref}.", f"未找到预订 {ref}。", **d)
    if exc.code == "expired":
        at = str(d.get("expires_at") or "")[:16].replace("T", " ")  # minutes, as the summaries show it
        return fail(
            ctx,
            exc.code,
            f"The hold {ref} expired{f' at {at} UTC' if at else ''}; place a new hold.",
            f"暂留 {ref} 已{f'于 {at} UTC ' if at else ''}过期，请重新暂留。",
            **d,
        )
    if exc.code == "invalid_state":
        if status == "confirmed":
            return fail(
                ctx,
                exc.code,
                f"{ref} is a confirmed booking; the agent does not release confirmed bookings (an operator can).",
                f"{ref} 已确认，智能体不能释放已确认的预订（需由管理员操作）。",
                **d,
            )
        if status == "cancelled":
            return fail(
                ctx,
                exc.code,
                f"{ref} was cancelled and cannot be confirmed; place a new hold.",
                f"{ref} 已取消，无法确认，请重新暂留。",
                **d,
            )
        if d.get("start") and d.get("end"):
            return fail(
                ctx,
                exc.code,
                f"End {d['end']} must be after start {d['start']} (end is exclusive).",
                f"结束日期 {d['end']} 必须晚于开始日期 {d['start']}（结束日不含）。",
                **d,
            )
        return fail(
            ctx,
            exc.code,
            f"{ref or 'This booking'} does not allow this action in its current state.",
            f"{ref or '该预订'}当前状态不允许此操作。",
            **d,
        )
    if exc.code == "idempotency_mismatch":
        action = str(d.get("action") or "")
        return fail(
            ctx,
            exc.code,
            f"This step already ran as a different {action or 'booking'} request; retry it as a new step.",
            f"该步骤已以不同参数执行过{_ACTIONS_ZH.get(action, '预订')}操作，请作为新步骤重试。",
            **d,
        )
    return fail(ctx, exc.code, "The booking operation failed.", "预订操作失败。", **d)


def _facility(ctx: ToolContext, facility_id: str) -> Facility | None:
    rec = get_kb(ctx).get(facility_id)
    return rec if isinstance(rec, Facility) else None


_ORG_ID = re.compile(r"^\s*(ORG-[A-Z0-9-]+)\s*$", re.IGNORECASE)


def holder_label(name: str, holder_id: str | None) -> str:
    """ "Name (ORG-0002)" for an organisation, the name alone for a person."""
    if holder_id and name and name != holder_id:
        return f"{name} ({holder_id})"
    return holder_id or name


def resolve_holder(
    ctx: ToolContext, holder: str | None, holder_id: str | None
) -> tuple[str, str | None] | ToolError | None:
    """Who a hold is for, checked against the knowledge base: (name, ORG id) for an
    organisation, (name, None) for a person, None when nobody is named, or an `unknown_org`
    error. A holder written as an ORG id is taken as that organisation."""
    name = (holder or "").strip()
    oid = (holder_id or "").strip()
    if not oid and (m := _ORG_ID.match(name)):
        oid, name = m.group(1), ""
    if not oid:
        return (name, None) if name else None
    oid = oid.upper()
    rec = get_kb(ctx).get(oid)
    if not isinstance(rec, Organisation):
        return fail(
            ctx,
            "unknown_org",
            f"No organisation with id {oid}; a hold can be for a known organisation (ORG-…) or a named person.",
            f"未找到机构 {oid}；预订方须为知识库中的机构（ORG-…）或具名个人。",
            id=oid,
        )
    return rec.name, rec.id


class HoldSlotInput(BaseModel):
    facility_id: str = Field(min_length=1, description="Facility id (FAC-…).")
    start: date = Field(description="First day (ISO date).")
    days: Annotated[int, Field(ge=1, le=730)] | None = Field(
        None, description="Length in days; give this or `end`."
    )
    end: date | None = Field(None, description="End date, exclusive (ISO); give this or `days`.")
    holder_id: str | None = Field(
        None, description="The organisation the hold is for (ORG-…), checked against the knowledge base."
    )
    holder: str | None = Field(
        None,
        description="Or: the person (or an organisation by name) the hold is for; default: the conversation.",
    )

    @model_validator(mode="after")
    def _length(self) -> HoldSlotInput:
        if (self.days is None) == (self.end is None):
            raise ValueError("give exactly one of days or end")
        return self


@tool(ToolKind.WRITE, HoldSlotInput)
def hold_slot(args: HoldSlotInput, ctx: ToolContext) -> BookingView | ToolError:
    """Place a tentative hold on a facility (needs approval; idempotent per thread step).

    Arguments: facility_id (FAC-…); start (ISO date); days (1..730) or end (ISO, exclusive);
    holder_id (optional: the organisation the hold is for, ORG-…) or holder (a person's name).
    The hold expires after the configured hold days unless confirmed with confirm_booking.
    Returns the reference, dates, expires_at, who it is for and the quote (days × daily rate).
    Errors: unknown_id, unknown_org (holder_id is not a known organisation), past_dates,
    invalid_dates, lead_time (start before today + lead time),
    min_days (shorter than the facility minimum), conflict (overlaps a live booking; details
    carry the next free window), idempotency_mismatch.
    """
    facility = _facility(ctx, args.facility_id)
    if facility is None:
        return fail(
            ctx,
            "unknown_id",
            f"No facility with id {args.facility_id}.",
            f"未找到设施 {args.facility_id}。",
            id=args.facility_id,
        )
    party = resolve_holder(ctx, args.holder, args.holder_id)
    if isinstance(party, ToolError):
        return party
    end = args.end if args.end is not None else args.start + timedelta(days=args.days or 0)
    today = ctx.current_date()
    if args.start < today:
        return fail(
            ctx,
            "past_dates",
            f"{args.start} is in the past (today is {today}).",
            f"{args.start} 早于今天（{today}）。",
        )
    if end <= args.start:
        return fail(
            ctx,
            "invalid_dates",
            f"End {end} must be after start {args.start}.",
            f"结束日期 {end} 必须晚于开始日期 {args.start}。",
        )
    earliest = today + timedelta(days=facility.lead_time_days)
    if args.start < earliest:
        return fail(
            ctx,
            "lead_time",
            f"{facility.name} needs {facility.lead_time_days} days' notice: the earliest start is {earliest}.",
            f"{facility.name} 需提前 {facility.lead_time_days} 天预订，最早开始日期为 {earliest}。",
            earliest_start=str(earliest),
        )
    days = (end - args.start).days
    if days < facility.min_days:
        return fail(
            ctx,
            "min_days",
            f"{facility.name} is booked for at least {facility.min_days} days; {days} asked.",
            f"{facility.name} 最短预订 {facility.min_days} 天，本次仅 {days} 天。",
            min_days=facility.min_days,
        )
    store = get_store(ctx)
    now = ctx.current_time()
    try:
        row = store.hold(
            facility.id,
            args.start,
            end,
            party[0] if party else (ctx.extra.get("holder") or ctx.thread_id),
            holder_id=party[1] if party else None,
            thread_id=ctx.thread_id,
            hold_days=ctx.settings.hold_days,
            idempotency_key=ctx.idempotency_key,
            actor=f"agent:{ctx.thread_id}",
            now=now,
        )
    except BookingError as exc:
        err = _booking_error(ctx, exc)
        if exc.code == "conflict":
            busy = store.live_intervals(today, date.max, facility_ids=[facility.id], now=now).get(
                facility.id, []
            )
            sched = free_windows(
                busy,
                today=today,
                days=days,
                earliest_start=args.start,
                min_days=facility.min_days,
                lead_time_days=facility.lead_time_days,
                max_windows=1,
            )
            nxt = sched.windows[0] if sched.windows else sched.next_window
            if nxt is not None:
                err.details["next_window"] = {"start": str(nxt.start), "end": str(nxt.end)}
        return err
    return _view(row, facility, ctx.lang)


class ReferenceInput(BaseModel):
    reference: str = Field(
        min_length=1, description="Booking reference returned by hold_slot, e.g. BK-3F9A1C2E."
    )


@tool(ToolKind.WRITE, ReferenceInput)
def release_hold(args: ReferenceInput, ctx: ToolContext) -> BookingView | ToolError:
    """Release (cancel) a tentative hold (needs approval; idempotent).

    Arguments: reference (from hold_slot). Confirmed bookings are not released by the agent.
    Errors: not_found, expired (the hold already lapsed), invalid_state (confirmed).
    """
    try:
        row = get_store(ctx).release(
            args.reference.strip(),
            idempotency_key=ctx.idempotency_key,
            actor=f"agent:{ctx.thread_id}",
            now=ctx.current_time(),
        )
    except BookingError as exc:
        return _booking_error(ctx, exc)
    return _view(row, _facility(ctx, row.facility_id), ctx.lang)


@tool(ToolKind.WRITE, ReferenceInput)
def confirm_booking(args: ReferenceInput, ctx: ToolContext) -> BookingView | ToolError:
    """Confirm a live hold as a booking (needs approval; idempotent).

    Arguments: reference (from hold_slot). Errors: not_found, expired (hold lapsed — hold
    again), invalid_state (cancelled).
    """
    try:
        row = get_store(ctx).confirm(
            args.reference.strip(),
            idempotency_key=ctx.idempotency_key,
            actor=f"agent:{ctx.thread_id}",
            now=ctx.current_time(),
        )
    except BookingError as exc:
        return _booking_error(ctx, exc)
    return _view(row, _facility(ctx, row.facility_id), ctx.lang)


BookingStatus = Literal["held", "confirmed", "cancelled", "expired"]


class ListBookingsInput(BaseModel):
    references: list[str] | None = Field(
        None, description="Booking references (BK-…) to show, e.g. the holds placed in this conversation."
    )
    facility_id: str | None = Field(
        None, description="Or: the upcoming live bookings of this facility (FAC-…)."
    )
    statuses: list[BookingStatus] | None = Field(
        None,
        description="Only bookings in these states (default: every state for references and this "
        "conversation's bookings; held and confirmed for a facility).",
    )
    start: date | None = Field(None, description="Only bookings that end after this day.")
    end: date | None = Field(None, description="Only bookings that start before this day (exclusive).")
    include_past: bool = Field(False, description="With facility_id: also bookings that have ended.")

    @model_validator(mode="after")
    def _range(self) -> ListBookingsInput:
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class ListBookingsOutput(BaseModel):
    ok: Literal[True] = True
    bookings: list[BookingView]
    missing: list[str] = Field(default_factory=list, description="References that match no booking.")


def _wanted(row: BookingRow, args: ListBookingsInput) -> bool:
    """Whether a booking passes the status and date filters of `args`."""
    if args.statuses and row.status not in args.statuses:
        return False
    if args.start is not None and row.end <= args.start:
        return False
    return not (args.end is not None and row.start >= args.end)


@tool(ToolKind.READ, ListBookingsInput)
def list_bookings(args: ListBookingsInput, ctx: ToolContext) -> ListBookingsOutput | ToolError:
    """Show bookings and holds with their current status (held, confirmed, cancelled, expired).

    Arguments: references (BK-… references, e.g. this conversation's holds; an empty list gives an
    empty answer), or facility_id (its live bookings that have not ended; include_past for all), or
    neither: the bookings placed in this conversation. Optional filters: statuses, and start / end
    (only bookings overlapping that range).
    Each booking has its facility, dates (end exclusive), status, hold expiry and quote.
    Errors: unknown_id (no such facility).
    """
    store = get_store(ctx)
    now = ctx.current_time()
    if args.references is not None:
        views: list[BookingView] = []
        missing: list[str] = []
        for ref in dict.fromkeys(r.strip().upper() for r in args.references if r.strip()):
            row = store.get(ref, now=now)
            if row is None:
                missing.append(ref)
            elif _wanted(row, args):
                views.append(_view(row, _facility(ctx, row.facility_id), ctx.lang))
        return ListBookingsOutput(bookings=views, missing=missing)
    fid = (args.facility_id or "").strip()
    if not fid:
        # "My bookings": what this conversation placed, in every state unless asked otherwise.
        mine = store.list(
            statuses=args.statuses or None,
            ends_after=args.start,
            starts_before=args.end,
            thread_id=ctx.thread_id,
            now=now,
        )
        return ListBookingsOutput(bookings=[_view(r, _facility(ctx, r.facility_id), ctx.lang) for r in mine])
    facility = _facility(ctx, fid)
    if facility is None:
        return fail(ctx, "unknown_id", f"No facility with id {fid}.", f"未找到设施 {fid}。", id=fid)
    dated = args.include_past or args.start is not None
    rows = store.list(
        facility_id=facility.id,
        statuses=args.statuses or (None if args.include_past else ("held", "confirmed")),
        ends_after=args.start if dated else ctx.current_date(),
        starts_before=args.end,
        now=now,
    )
    # Other parties' bookings: dates and status only, not who holds them.
    return ListBookingsOutput(
        bookings=[
            _view(r, facility, ctx.lang).model_copy(
                update={"holder": "", "holder_id": None, "thread_id": None}
            )
            for r in rows
        ]
    )
