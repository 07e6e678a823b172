"""Typed errors in the requested language: booking failures (no English store text in a Chinese
message) and unknown region filters (named, with the valid regions, instead of an empty list)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest

import tools.registry  # noqa: F401
from knowledge.bookings import BookingStore
from knowledge.regions import REGIONS
from tests.tools.fakes import NOW, TODAY
from tools.base import REGISTRY, ToolContext, ToolError
from tools.booking import BookingView
from tools.facilities import FindFacilitiesOutput
from tools.partners import FindPartnersOutput

CJK = re.compile(r"[\u4e00-\u9fff（），：；。]")


def run(name: str, args: dict[str, object], ctx: ToolContext) -> object:
    return REGISTRY[name].run(args, ctx)


def err(out: object, code: str) -> ToolError:
    assert isinstance(out, ToolError), out
    assert out.code == code, out
    return out


def latin_words(text: str) -> set[str]:
    """Latin words left once ids (BK-…, FAC-…), dates, times and "UTC"/"TRL" are taken out."""
    text = re.sub(
        r"(?:BK|FAC|ORG|ACH)-[A-Z0-9-]+(?![A-Za-z0-9])|\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?|\bUTC\b",
        "",
        text,
    )
    return set(re.findall(r"[A-Za-z]+", text))


# ------------------------------------------------------------------------------- booking errors


def _booking_errors(
    make_ctx: Callable[..., ToolContext], store: BookingStore, lang: str
) -> dict[str, ToolError]:
    start = TODAY + timedelta(days=10)
    held = run(
        "hold_slot", {"facility_id": "FAC-T1", "start": str(start), "days": 4}, make_ctx(lang, step="a1")
    )
    assert isinstance(held, BookingView)
    out: dict[str, ToolError] = {}
    out["conflict"] = err(
        run(
            "hold_slot",
            {"facility_id": "FAC-T1", "start": str(start + timedelta(days=1)), "days": 3},
            make_ctx(lang, step="a2"),
        ),
        "conflict",
    )
    # The same step re-run with other arguments: not a retry.
    out["idempotency_mismatch"] = err(
        run(
            "hold_slot",
            {"facility_id": "FAC-T1", "start": str(start + timedelta(days=20)), "days": 3},
            make_ctx(lang, step="a1"),
        ),
        "idempotency_mismatch",
    )
    out["not_found"] = err(
        run("release_hold", {"reference": "BK-NOPE"}, make_ctx(lang, step="a3")), "not_found"
    )
    assert isinstance(
        run("confirm_booking", {"reference": held.reference}, make_ctx(lang, step="a4")), BookingView
    )
    out["confirmed"] = err(
        run("release_hold", {"reference": held.reference}, make_ctx(lang, step="a5")), "invalid_state"
    )
    gone = store.hold("FAC-T2", TODAY + timedelta(days=3), TODAY + timedelta(days=5), "x", now=NOW)
    store.release(gone.reference, now=NOW)
    out["cancelled"] = err(
        run("confirm_booking", {"reference": gone.reference}, make_ctx(lang, step="a6")), "invalid_state"
    )
    lapsed = store.hold(
        "FAC-T2",
        TODAY + timedelta(days=8),
        TODAY + timedelta(days=9),
        "x",
        hold_days=1,
        now=NOW - timedelta(days=3),
    )
    out["expired_confirm"] = err(
        run("confirm_booking", {"reference": lapsed.reference}, make_ctx(lang, step="a7")), "expired"
    )
    out["expired_release"] = err(
        run("release_hold", {"reference": lapsed.reference}, make_ctx(lang, step="a8")), "expired"
    )
    return out


def test_booking_errors_in_chinese_carry_no_english(
    make_ctx: Callable[..., ToolContext], store: BookingStore
) -> None:
    errors = _booking_errors(make_ctx, store, "zh")
    for name, e in errors.items():
        assert CJK.search(e.message), (name, e.message)
        assert latin_words(e.message) == set(), (name, e.message)
    start = TODAY + timedelta(days=10)
    assert errors["conflict"].message.startswith(f"FAC-T1 在 {start} 至 {start + timedelta(days=4)}（BK-")
    assert errors["not_found"].message == "未找到预订 BK-NOPE。"
    assert "已确认" in errors["confirmed"].message and "已取消" in errors["cancelled"].message
    assert errors["expired_confirm"].message.endswith("过期，请重新暂留。")
    assert "2026-11-20 09:00 UTC" in errors["expired_confirm"].message  # held 3 days ago for 1 day
    assert "暂留" in errors["idempotency_mismatch"].message
    # The machine details survive for the planner (the next free window is added on top).
    assert errors["conflict"].details["facility_id"] == "FAC-T1"
    assert errors["conflict"].details["next_window"]["start"] == str(start + timedelta(days=4))


def test_booking_errors_in_english_carry_no_chinese(
    make_ctx: Callable[..., ToolContext], store: BookingStore
) -> None:
    errors = _booking_errors(make_ctx, store, "en")
    for name, e in errors.items():
        assert not CJK.search(e.message), (name, e.message)
    start = TODAY + timedelta(days=10)
    assert errors["conflict"].message.startswith(
        f"FAC-T1 is already booked from {start} to {start + timedelta(days=4)} (BK-"
    )
    assert errors["not_found"].message == "No booking BK-NOPE."
    assert "confirmed booking" in errors["confirmed"].message
    assert "was cancelled" in errors["cancelled"].message
    assert errors["expired_release"].message.endswith("expired at 2026-11-20 09:00 UTC; place a new hold.")
    assert "different hold request" in errors["idempotency_mismatch"].message


# ------------------------------------------------------------------------------- unknown regions


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("find_partners", {"need": "solid-state battery electrolyte"}),
        ("find_achievements_for_need", {"need": "solid-state battery electrolyte"}),
        ("find_facilities", {}),
        ("check_availability", {"days": 3}),
        ("search_achievements", {"query": "battery"}),
    ],
)
@pytest.mark.parametrize("value", ["Atlantis", "火星"])
def test_unknown_region_is_a_typed_error_in_both_languages(
    make_ctx: Callable[..., ToolContext], tool: str, args: dict[str, object], value: str
) -> None:
    en = err(run(tool, {**args, "region": value}, make_ctx("en")), "unknown_region")
    assert en.message.startswith(f"Unknown region “{value}”.") and "Jiangsu" in en.message
    assert en.details["value"] == value and en.details["valid"] == list(REGIONS)
    zh = err(run(tool, {**args, "region": value}, make_ctx("zh")), "unknown_region")
    assert (
        zh.message.startswith(f"未知地区“{value}”。")
        and "江苏" in zh.message
        and "Jiangsu" not in zh.message.split("（")[0]
    )


def test_known_regions_and_big_cities_still_filter(make_ctx: Callable[..., ToolContext]) -> None:
    for value in ("Guangdong", "广东省", "深圳", "Shenzhen"):
        out = run("find_facilities", {"region": value}, make_ctx())
        assert isinstance(out, FindFacilitiesOutput) and [f.id for f in out.facilities] == ["FAC-T2"], value
    out = run("find_partners", {"achievement_id": "ACH-T1", "region": "苏州"}, make_ctx())
    assert isinstance(out, FindPartnersOutput) and [m.org_id for m in out.matches] == ["ORG-B1"]
    blank = run("find_facilities", {"region": "  "}, make_ctx())
    assert isinstance(blank, FindFacilitiesOutput) and len(blank.facilities) == 2  # blank = no filter
