"""The clarifying question asked when the reading is unsure: it names the best two readings in the user's
language ("您是想找合作方，还是查中试设施档期？"), never a bare "did not understand"."""

from __future__ import annotations

from collections.abc import Sequence

# What each job offers the user, as a verb phrase that fits "Do you want to …" / "您是想…".
JOB_PHRASES: dict[str, tuple[str, str]] = {
    "find_partners": ("find partners for it", "找合作方"),
    "find_achievements": ("find achievements that meet a need", "找能满足需求的成果"),
    "search_achievements": ("search the stored achievements", "检索成果库"),
    "find_facilities": ("find a pilot facility", "找中试设施"),
    "check_availability": ("check a facility's calendar", "查中试设施档期"),
    "hold_slot": ("hold a slot at a facility", "预留设施档期"),
    "release_hold": ("release a hold", "取消预留"),
    "confirm_booking": ("confirm a booking", "确认预订"),
    "list_bookings": ("see your bookings", "查看您的预订"),
    "draft_term_sheet": ("draft a term sheet", "起草条款清单"),
    "policy": ("ask about the rules or policy", "了解相关政策规定"),
    "get_record": ("see a record's details", "查看记录详情"),
    "help": ("know what I can do", "了解我能做什么"),
    "thanks": ("end here", "先到这里"),
}


def reading_phrase(jobs: Sequence[str], lang: str) -> str:
    i = 1 if lang == "zh" else 0
    parts = [JOB_PHRASES[j][i] for j in jobs if j in JOB_PHRASES]
    return ("，并" if lang == "zh" else " and ").join(parts)


def clarifying_question(first: Sequence[str], second: Sequence[str], lang: str) -> str:
    """ "Do you want to A, or to B?" naming the two readings, best first."""
    a, b = reading_phrase(first, lang), reading_phrase(second, lang)
    if lang == "zh":
        return f"您是想{a}，还是{b}？"
    return f"Do you want to {a}, or to {b}?"
