"""Build `evals/suites/understanding.yaml` from the frozen test split of the utterance corpus.

Each labelled test message becomes an end-to-end task: its context turns are replayed first, then the
message; the expected actions are the first tool of every labelled job with the record ids the labels
name, and the end state follows from them (a hold that the calendar can grant is approved and must
exist without overlaps; anything else must write nothing). The labels come from blind writers, so the
suite measures understanding of phrasings nobody on the team wrote.

    python -m evals.understanding_suite agent/understanding/corpus/test.jsonl > evals/suites/understanding.yaml

Feasibility of a hold is decided with the real `check_availability` tool over the bundled sample data,
so a task never demands a hold the calendar cannot give.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

TODAY = date(2026, 12, 5)
# Writes need an existing booking to act on; tasks whose script would have to invent one are left out.
_SKIP_JOBS = {"release_hold", "confirm_booking"}
_FIRST_TOOL = {
    "find_partners": "find_partners",
    "find_achievements": "find_achievements_for_need",
    "search_achievements": "search_achievements",
    "find_facilities": "find_facilities",
    "check_availability": "check_availability",
    "list_bookings": "list_bookings",
    "draft_term_sheet": "draft_term_sheet",
    "policy": "search_policies",
    "get_record": "get_record",
}
Feasible = Callable[[str, date, date, int], bool]


def _ids(item: dict[str, Any], key: str) -> list[str]:
    return [m["id"] for m in item.get("slots", {}).get(key, []) if m.get("id")]


def _hold_window(item: dict[str, Any]) -> tuple[date, date, int] | None:
    """(first day, last allowed end exclusive, days) when the message gives a complete hold request."""
    s = item.get("slots", {})
    d = s.get("dates")
    if not d:
        return None
    start, last = date.fromisoformat(d["start"]), date.fromisoformat(d["end"])
    days = s.get("duration_days") or (last - start).days + 1
    if days <= 0 or days > 60 or start <= TODAY:
        return None
    return start, last + timedelta(days=1), int(days)


# A Chinese character or an English word of three letters or more: "ok", "hi", emoji and figures are neither.
_LANGUAGE_WORDS = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{3,}")


def shows_language(text: str) -> bool:
    """Whether the user's own words (ids, quotes and URLs out) show which language they write in."""
    from agent.language import own_words

    return bool(_LANGUAGE_WORDS.search(own_words(text)))


def task_for(item: dict[str, Any], feasible: Feasible) -> dict[str, Any] | None:
    """One eval task for a labelled message, or None when it cannot be judged end to end."""
    jobs: list[str] = list(item["intents"])
    context = item.get("context") or []
    if any(set(c.get("intents", [])) & {"hold_slot", *_SKIP_JOBS} for c in context):
        return None
    if set(jobs) & _SKIP_JOBS or item.get("slots", {}).get("reference"):
        return None  # ordinals point into lists whose order depends on ranking, not understanding
    turns: list[dict[str, Any]] = [{"user": c["user"]} for c in context] + [{"user": item["text"]}]
    actions: list[dict[str, Any]] = []
    state: list[dict[str, Any]] = []
    must_not: list[str] = []
    ach, org, fac = _ids(item, "achievements"), _ids(item, "organisations"), _ids(item, "facilities")
    slots = item.get("slots", {})
    for job in jobs:
        if job in ("help", "thanks"):
            continue
        if job == "hold_slot":
            window = _hold_window(item)
            if not fac or window is None or len(fac) > 1:
                return None
            start, end, days = window
            if not feasible(fac[0], start, end, days):
                return None
            turns.append({"decision": "approve"})
            actions.append({"tool": "hold_slot", "args": {"facility_id": fac[0]}, "status": "done"})
            state += [
                {
                    "type": "hold_exists",
                    "facility": fac[0],
                    "window": {"start": start, "end": end},
                    "days": days,
                },
                {"type": "no_overlap"},
            ]
            continue
        action: dict[str, Any] = {"tool": _FIRST_TOOL[job]}
        args: dict[str, Any] = {}
        if job == "find_partners" and ach and not context:
            args["achievement_id"] = ach[0]
        elif job == "find_achievements" and org:
            args["org_id"] = org[0]
        elif job == "check_availability" and len(fac) == 1:
            args["facility_id"] = fac[0]
        elif job == "draft_term_sheet":
            if ach:
                args["achievement_id"] = ach[0]
            if slots.get("deal_type"):
                args["deal_type"] = slots["deal_type"]
        elif job == "get_record" and len(ach + org + fac) == 1:
            args["record_id"] = (ach + org + fac)[0]
        if args:
            action["args"] = args
        actions.append(action)
    if "hold_slot" not in jobs:
        must_not.append("WRITE")
        state.append({"type": "nothing_written"})
    if not actions and not jobs:
        # Out of scope or unclear: no tool may run and the answer must ask or explain, in the user's language.
        must_not = ["WRITE", "READ"]
    criteria: dict[str, Any] = {"actions": actions}
    if must_not:
        criteria["must_not_call"] = must_not
    if state:
        criteria["state"] = state
    # "ok", "👍", "10": the user's words show no language, so either reply language is right (the writer's
    # label is only the language of the conversation they had in mind).
    criteria["answer"] = {"language": item["lang"] if shows_language(item["text"]) else "any"}
    return {
        "id": f"u-{item['id'].lower()}",
        "description": f"Blind-written ({item['id']}): jobs {jobs or 'none'}.",
        "language": item["lang"],
        "tags": ["understanding", *(jobs or ["none"])],
        "turns": turns,
        "criteria": criteria,
    }


def _kb_feasible() -> Feasible:
    """check_availability over the bundled sample data (built once in a temp data dir)."""
    import tempfile

    from knowledge.config import Settings
    from tools.base import ToolContext
    from tools.facilities import CheckAvailabilityInput, CheckAvailabilityOutput, check_availability

    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="usuite-")), today=TODAY)
    ctx = ToolContext(settings=settings, thread_id="suite-gen", today=TODAY)

    def feasible(fac: str, start: date, end: date, days: int) -> bool:
        out = check_availability(
            CheckAvailabilityInput(facility_id=fac, days=days, earliest_start=start, latest_end=end), ctx
        )
        return isinstance(out, CheckAvailabilityOutput) and out.first_available is not None

    return feasible


def build(items: list[dict[str, Any]], feasible: Feasible) -> dict[str, Any]:
    tasks = [t for t in (task_for(i, feasible) for i in items) if t is not None]
    return {
        "suite": "understanding",
        "description": "End-to-end tasks from the frozen, blind-written test split of the utterance corpus.",
        "today": TODAY,
        "tasks": tasks,
    }


def main(argv: list[str]) -> None:
    items = [
        json.loads(line) for line in Path(argv[0]).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    header = "# Generated by `python -m evals.understanding_suite " + argv[0] + "`; do not edit by hand.\n"
    sys.stdout.write(
        header + yaml.safe_dump(build(items, _kb_feasible()), allow_unicode=True, sort_keys=False)
    )


if __name__ == "__main__":
    main(sys.argv[1:])
