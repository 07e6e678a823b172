"""find_facilities and check_availability: facility search and free windows with quotes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, Field, model_validator

from knowledge.domains import DomainId
from knowledge.models import Facility, FacilityKind
from knowledge.regions import normalise_region
from tools.base import ToolContext, ToolError, ToolKind, tool
from tools.common import KnowledgeBaseLike, embeddings_for, fail, get_kb, get_store, resolve_region, tr
from tools.scheduling import ScheduleError, Window, free_windows, validate_range

DEFAULT_RANGE_DAYS = 180


def _norm(text: str) -> str:
    return text.strip().lower()


def facility_matches(
    f: Facility,
    *,
    domain: str | None = None,
    region: str | None = None,
    kind: str | None = None,
    certification: str | None = None,
) -> bool:
    """Hard filters (pure): domain, canonical region, kind, certification substring."""
    if domain is not None and domain not in f.domains:
        return False
    if region is not None and f.region != region:
        return False
    if kind is not None and f.kind != kind:
        return False
    if certification is not None:
        needle = _norm(certification)
        if not any(needle in _norm(c) for c in f.certifications):
            return False
    return True


def process_matches(f: Facility, process: str) -> bool:
    needle = _norm(process)
    return any(needle in _norm(p) or _norm(p) in needle for p in f.processes if p.strip())


class FacilityFilter(BaseModel):
    domain: DomainId | None = Field(None, description="One of the 14 domain ids, e.g. new_energy.")
    process: str | None = Field(None, description='A process the facility runs, e.g. "coating", "涂布".')
    certification: str | None = Field(None, description='A certification it holds, e.g. "ISO 9001", "CNAS".')
    region: str | None = Field(None, description='Region, e.g. "Jiangsu"/"江苏".')
    kind: FacilityKind | None = Field(None, description="pilot_line, testbed, lab or demonstration_site.")


class FindFacilitiesInput(FacilityFilter):
    text: str | None = Field(
        None, description="Free-text description of what is needed (ranks by similarity)."
    )
    k: Annotated[int, Field(ge=1, le=100)] = Field(10, description="How many facilities (1..100).")


class FacilityHit(BaseModel):
    id: str
    name: str
    kind: str
    owner_id: str
    region: str
    domains: list[str]
    processes: list[str]
    certifications: list[str]
    capacity: str
    daily_rate_cny: float
    min_days: int
    lead_time_days: int
    prerequisites: list[str]
    score: float = Field(
        description="Similarity to the process / text asked for (1.0 when only filters were given)."
    )


class FindFacilitiesOutput(BaseModel):
    ok: Literal[True] = True
    facilities: list[FacilityHit]
    note: str = ""


def _hit(f: Facility, score: float) -> FacilityHit:
    return FacilityHit(
        id=f.id,
        name=f.name,
        kind=f.kind,
        owner_id=f.owner_id,
        region=f.region,
        domains=list(f.domains),
        processes=list(f.processes),
        certifications=list(f.certifications),
        capacity=f.capacity,
        daily_rate_cny=f.daily_rate_cny,
        min_days=f.min_days,
        lead_time_days=f.lead_time_days,
        prerequisites=list(f.prerequisites),
        score=round(score, 4),
    )


def _filtered(kb: KnowledgeBaseLike, flt: FacilityFilter) -> list[Facility]:
    # Blank means no filter (as resolve_region says); the tools reject unknown names before this.
    region = (normalise_region(flt.region) or flt.region.strip() or None) if flt.region else None
    return [
        f
        for f in kb.records("facility")
        if isinstance(f, Facility)
        and facility_matches(
            f, domain=flt.domain, region=region, kind=flt.kind, certification=flt.certification
        )
    ]


def _rank(kb: KnowledgeBaseLike, facilities: Sequence[Facility], query: str) -> list[float]:
    cache = embeddings_for(kb)
    q = cache.vectors(kb, [query])[0]
    sims = cache.matrix(kb, [f.text() for f in facilities]) @ q
    return [float(x) for x in np.clip(sims, 0.0, 1.0)]


def select_facilities(
    kb: KnowledgeBaseLike, flt: FacilityFilter, text: str | None, lang: str
) -> tuple[list[tuple[Facility, float]], str]:
    """Facilities passing the filters, ranked; (facility, score) pairs and a note."""
    pool = _filtered(kb, flt)
    note = ""
    if flt.process:
        exact = [f for f in pool if process_matches(f, flt.process)]
        if exact:
            pool = exact
        else:
            note = tr(
                lang,
                f"No facility lists the process “{flt.process}”; ranked by similarity instead.",
                f"没有设施列出工艺“{flt.process}”，以下按相似度排序。",
            )
    query = " ".join(x for x in (flt.process, text) if x)
    if not pool:
        return [], note
    scores = _rank(kb, pool, query) if query else [1.0] * len(pool)
    ranked = sorted(zip(pool, scores, strict=True), key=lambda p: (-p[1], p[0].id))
    return ranked, note


def _region_checked(ctx: ToolContext, flt: FacilityFilter) -> ToolError | None:
    """The unknown_region error when the region filter names no known region, else None."""
    region = resolve_region(ctx, flt.region)
    return region if isinstance(region, ToolError) else None


@tool(ToolKind.READ, FindFacilitiesInput)
def find_facilities(args: FindFacilitiesInput, ctx: ToolContext) -> FindFacilitiesOutput | ToolError:
    """Pilot facilities for a process, domain, certification or region.

    Arguments (all optional, combined with AND): domain (one of the 14 domain ids); process
    (e.g. "coating"/"涂布"; substring match, falling back to similarity when none matches);
    certification (substring, e.g. "CNAS"); region (e.g. "Jiangsu"/"江苏"); kind (pilot_line,
    testbed, lab, demonstration_site); text (free-text need, ranks by similarity); k (1..100).
    Each facility comes with its daily rate, min days, lead time and prerequisites.
    Errors: unknown_region (details list the valid regions).
    """
    if (err := _region_checked(ctx, args)) is not None:
        return err
    ranked, note = select_facilities(get_kb(ctx), args, args.text, ctx.lang)
    return FindFacilitiesOutput(facilities=[_hit(f, s) for f, s in ranked[: args.k]], note=note)


# --------------------------------------------------------------------------- check_availability


class QuotedWindow(Window):
    quote_cny: float = Field(description="days × daily_rate_cny.")


class FacilityAvailability(BaseModel):
    facility_id: str
    name: str
    daily_rate_cny: float
    min_days: int
    lead_time_days: int
    days: int = Field(description="Window length used (raised to min_days when shorter).")
    earliest_allowed_start: date
    quote_cny: float = Field(description="days × daily_rate_cny for one window.")
    windows: list[QuotedWindow]
    next_window: QuotedWindow | None = Field(
        None, description="Earliest window after the range when none fits."
    )
    note: str = ""


class CheckAvailabilityInput(FacilityFilter):
    facility_id: str | None = Field(None, description="One facility id (FAC-…).")
    facility_ids: list[str] | None = Field(
        None, description="Several facility ids; none = all facilities matching the filters."
    )
    days: Annotated[int, Field(ge=1, le=730)] = Field(description="Length of the stay in days (1..730).")
    earliest_start: date | None = Field(None, description="First acceptable start date (ISO); default today.")
    latest_end: date | None = Field(
        None,
        description=f"Last acceptable end date, exclusive (ISO); default earliest_start + {DEFAULT_RANGE_DAYS} days.",
    )
    max_windows: Annotated[int, Field(ge=1, le=20)] = Field(3, description="Windows per facility (1..20).")

    @model_validator(mode="after")
    def _ids(self) -> CheckAvailabilityInput:
        if self.facility_id and self.facility_ids:
            raise ValueError("give facility_id or facility_ids, not both")
        return self


class CheckAvailabilityOutput(BaseModel):
    ok: Literal[True] = True
    earliest_start: date
    latest_end: date
    results: list[FacilityAvailability]
    first_available: QuotedWindow | None = Field(
        None, description="Earliest window across all facilities checked."
    )
    first_available_facility: str | None = None


def _quoted(w: Window | None, rate: float) -> QuotedWindow | None:
    if w is None:
        return None
    return QuotedWindow(**w.model_dump(), quote_cny=round(w.days * rate, 2))


@tool(ToolKind.READ, CheckAvailabilityInput)
def check_availability(args: CheckAvailabilityInput, ctx: ToolContext) -> CheckAvailabilityOutput | ToolError:
    """Free windows of N days at one, several or all matching facilities, with a quote.

    Arguments: facility_id or facility_ids (FAC-…; omit both to check every facility matching
    the filters domain / process / certification / region / kind); days (1..730);
    earliest_start and latest_end (ISO dates, end exclusive; default today .. +180 days);
    max_windows (per facility). Windows honour the facility's lead_time_days (no start before
    today + lead time), min_days (shorter stays are raised to it), live holds and confirmed
    bookings (expired holds do not block). Quote = days × daily_rate_cny. When nothing fits,
    `next_window` is the earliest later one.
    Errors: unknown_id, past_dates (dates before today), invalid_dates (latest_end <= earliest_start),
    unknown_region, no_window (no facility matches the filters).
    """
    lang = ctx.lang
    if (err := _region_checked(ctx, args)) is not None:
        return err
    today = ctx.current_date()
    try:
        validate_range(today, args.earliest_start, args.latest_end)
    except ScheduleError as exc:
        return _schedule_error(ctx, exc, args.earliest_start, args.latest_end, today)
    kb = get_kb(ctx)
    ids = [args.facility_id] if args.facility_id else args.facility_ids
    facilities: list[Facility] = []
    if ids:
        for fid in ids:
            rec = kb.get(fid)
            if not isinstance(rec, Facility):
                return fail(ctx, "unknown_id", f"No facility with id {fid}.", f"未找到设施 {fid}。", id=fid)
            facilities.append(rec)
    else:
        ranked, _ = select_facilities(kb, args, None, lang)
        facilities = [f for f, _ in ranked]
        if not facilities:
            return fail(
                ctx,
                "no_window",
                "No facility matches these filters.",
                "没有符合这些条件的设施。",
                filters=args.model_dump(mode="json"),
            )
    start = args.earliest_start or today
    end = args.latest_end or start + timedelta(days=DEFAULT_RANGE_DAYS)
    busy = get_store(ctx).live_intervals(
        today, date.max, facility_ids=[f.id for f in facilities], now=ctx.current_time()
    )
    results: list[FacilityAvailability] = []
    for f in facilities:
        sched = free_windows(
            busy.get(f.id, []),
            today=today,
            days=args.days,
            earliest_start=start,
            latest_end=end,
            min_days=f.min_days,
            lead_time_days=f.lead_time_days,
            max_windows=args.max_windows,
        )
        notes: list[str] = []
        if sched.days > args.days:
            notes.append(tr(lang, f"Minimum stay is {f.min_days} days.", f"最短预订 {f.min_days} 天。"))
        if not sched.windows:
            later = sched.next_window
            notes.append(
                tr(lang, "No free window in the range", "所选时间范围内没有空档")
                + (
                    tr(lang, f"; earliest later start {later.start}.", f"；最早可于 {later.start} 开始。")
                    if later
                    else "."
                )
            )
        results.append(
            FacilityAvailability(
                facility_id=f.id,
                name=f.name,
                daily_rate_cny=f.daily_rate_cny,
                min_days=f.min_days,
                lead_time_days=f.lead_time_days,
                days=sched.days,
                earliest_allowed_start=sched.earliest_allowed_start,
                quote_cny=round(sched.days * f.daily_rate_cny, 2),
                windows=[q for w in sched.windows if (q := _quoted(w, f.daily_rate_cny)) is not None],
                next_window=_quoted(sched.next_window, f.daily_rate_cny),
                note=" ".join(notes),
            )
        )
    first: tuple[QuotedWindow, str] | None = None
    for r in results:
        if r.windows and (first is None or r.windows[0].start < first[0].start):
            first = (r.windows[0], r.facility_id)
    return CheckAvailabilityOutput(
        earliest_start=start,
        latest_end=end,
        results=results,
        first_available=first[0] if first else None,
        first_available_facility=first[1] if first else None,
    )


def _schedule_error(
    ctx: ToolContext, exc: ScheduleError, start: date | None, end: date | None, today: date
) -> ToolError:
    details = {"earliest_start": str(start), "latest_end": str(end), "today": str(today)}
    if exc.code == "past_dates":
        return fail(
            ctx,
            "past_dates",
            f"The dates are in the past (today is {today}).",
            f"日期早于今天（今天是 {today}）。",
            **details,
        )
    if exc.code == "invalid_dates":
        return fail(
            ctx,
            "invalid_dates",
            f"The end date {end} must be after the start date {start} (end is exclusive).",
            f"结束日期 {end} 必须晚于开始日期 {start}（结束日不含）。",
            **details,
        )
    return fail(ctx, exc.code, str(exc), str(exc), **details)
