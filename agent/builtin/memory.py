"""What earlier steps produced, in a shape references can point into.

"the second one" / "第二家" / "that facility" / "it" are resolved against the lists and the
entity in focus built here from the step results of earlier turns and of this turn, oldest
first, so the newest list of each kind wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.builtin.slots import Reference
from agent.planner import StepResult

Kind = Literal["organisation", "facility", "achievement", "window", "hold"]


class Window(BaseModel):
    facility_id: str
    start: date
    end: date
    days: int
    quote_cny: float | None = None


class Memory(BaseModel):
    """Lists from the newest result of each kind, and the entity of each kind last in focus."""

    achievements: list[str] = Field(default_factory=list)
    organisations: list[str] = Field(default_factory=list)
    facilities: list[str] = Field(default_factory=list)
    windows: list[Window] = Field(default_factory=list)
    holds: list[str] = Field(default_factory=list, description="Live hold references, newest last.")
    names: dict[str, str] = Field(default_factory=dict, description="id -> title/name seen in results.")
    domains: dict[str, str] = Field(default_factory=dict, description="achievement id -> domain.")
    focus: dict[str, str] = Field(default_factory=dict, description="kind -> id last in focus.")
    last_list: Kind | None = None
    last_tool: str | None = None

    def list_of(self, kind: Kind) -> list[Any]:
        lists: dict[str, list[Any]] = {
            "achievement": self.achievements,
            "organisation": self.organisations,
            "facility": self.facilities,
            "window": self.windows,
            "hold": self.holds,
        }
        return lists[kind]

    def resolve(self, ref: Reference, kind: Kind) -> Any | None:
        """The item of `kind` a reference points to, or None."""
        if ref.kind is not None and ref.kind != kind:
            return None
        items = self.list_of(kind)
        if ref.index is not None:
            i = ref.index - 1 if ref.index > 0 else len(items) + ref.index
            return items[i] if 0 <= i < len(items) else None
        if kind == "window":
            return items[0] if items else None
        if kind == "hold":
            return items[-1] if items else None
        return self.focus.get(kind) or (items[0] if items else None)


# The list each job leaves behind for "the second one" / "it" to point into.
JOB_LIST: dict[str, Kind] = {
    "find_facilities": "facility",
    "find_partners": "organisation",
    "search_achievements": "achievement",
    "find_achievements": "achievement",
    "check_availability": "window",
    "list_bookings": "hold",
    "hold_slot": "hold",
    "confirm_booking": "hold",
    "release_hold": "hold",
}
_PREFIX_KIND: dict[str, Kind] = {"ACH": "achievement", "ORG": "organisation", "FAC": "facility"}


def listed_kind(jobs: Sequence[str], record_ids: Sequence[str] = ()) -> Kind | None:
    """The kind of list the previous request left, from its jobs (the last job that lists or holds
    something wins) and, for a record looked up, the kind of that record's id."""
    for job in reversed(jobs):
        if job in JOB_LIST:
            return JOB_LIST[job]
        if job == "get_record" and record_ids:
            # "tell me about the Zhongchi smart factory demo line": the owner named in a record's description
            # comes with it; the record looked up is the facility or achievement, not its owner.
            kinds = [_PREFIX_KIND[r[:3].upper()] for r in record_ids if r[:3].upper() in _PREFIX_KIND]
            return next((k for k in kinds if k != "organisation"), kinds[0] if kinds else None)
    return None


def pointed(refs: Sequence[Reference], listed: Kind | None, about: Kind | None = None) -> list[Reference]:
    """References as the planner reads them against what earlier turns left: each points into a list of its
    own kind word ("第二家", "that facility"), else of the kind the previous request listed ("the second
    one" after a facility search is a facility). With nothing listed before, there is nothing to point back
    into: "it" / "那个预留" is what the message itself names, and "the best one" is the top result of the search
    the same message asks for (the job chain takes it). A record picked by its own words ("the Qinghai one",
    "the one at the towing tank", "海棠那个") is named by them, not pointed at, after holds as after a search.
    `about`: the record the previous request was about, which "it" stands for (partners found for an achievement:
    "draft a licence for it" is that achievement, as the job chain resolves it)."""
    if listed is None:
        return []
    # "the Gansu one" / "3月份那个" / "the PVC one — who owns it?" name the record or hold (labels after a list of
    # holds, pool + W37-W49: 64 no reference, 7 a booking, all from W2, W3, W7).
    refs = [r for r in refs if not r.named]
    # A bare "确认吧" acts on the hold in focus; after anything else it points at nothing.
    refs = [r for r in refs if not r.implicit or listed == "hold"]
    # "they" / "他们" stand for the organisation just looked up; after partners found (several, or the one the
    # message names: "跟中砺谈合作开发，他们出800万") or anything else, for no record pointed at (labels after an
    # organisation lookup: 12 organisation, 1 none; after partners or achievements: none or another kind).
    refs = [r for r in refs if not _PEOPLE.fullmatch(r.text) or (listed == "organisation" and about is None)]
    return [
        r if r.kind is not None else r.model_copy(update={"kind": _untyped_kind(r, listed, about)})
        for r in refs
    ]


_PEOPLE = re.compile(r"they|their|他们", re.I)
# One thing, not the list: "it", "这个", "那个", "that one" ("them", "both", "the rest" are the list's items).
_SINGULAR = re.compile(r"it|this|that|this one|that one|这个|那个|它|这一个|那一个", re.I)


def _untyped_kind(ref: Reference, listed: Kind, about: Kind | None) -> Kind:
    """What a reference without a kind word points at in the list of `listed`. After an availability check
    "the second one" / "最早那个" picks a window, but "hold it" / "就它了" / "book that one" is the facility
    just checked (labels after a check, pool and W37-W49: 73 facility, 25 window). After partners found for an
    achievement "the second one" is a partner, "draft a licence for it" / "我们这个" the achievement (labels:
    7 achievement, 0 organisation)."""
    if ref.index is None and about is not None and _SINGULAR.fullmatch(ref.text):
        return about
    if listed == "window" and ref.index is None:
        return "facility"
    return listed


def subject_kind(jobs: Sequence[str]) -> Kind | None:
    """The record the previous request was about, when its list is of something else: partners are found for an
    achievement."""
    for job in reversed(jobs):
        if job in JOB_LIST:
            return "achievement" if job == "find_partners" else None
    return None


def _ids(items: Any, key: str) -> list[str]:
    out: list[str] = []
    if isinstance(items, list):
        for it in items:
            if isinstance(it, dict) and isinstance(it.get(key), str):
                out.append(it[key])
    return out


def _remember_names(m: Memory, items: Any, id_key: str, *name_keys: str) -> None:
    if not isinstance(items, list):
        return
    for it in items:
        if not isinstance(it, dict) or not isinstance(it.get(id_key), str):
            continue
        for nk in name_keys:
            if isinstance(it.get(nk), str) and it[nk]:
                m.names[it[id_key]] = it[nk]
                break
        if isinstance(it.get("domain"), str) and it[id_key].startswith("ACH-"):
            m.domains[it[id_key]] = it["domain"]


def build_memory(steps: list[StepResult]) -> Memory:
    """Fold step results (oldest first) into a Memory."""
    m = Memory()
    for s in steps:
        r, a = s.result, s.args
        m.last_tool = s.tool
        if not s.ok:
            continue
        if s.tool in ("search_achievements", "find_achievements_for_need"):
            # The same list from either side: search hits or matches for a need.
            items, key = (
                (r.get("hits"), "id")
                if s.tool == "search_achievements"
                else (r.get("matches"), "achievement_id")
            )
            m.achievements = _ids(items, key)
            _remember_names(m, items, key, "title")
            m.last_list = "achievement"
            if m.achievements:
                m.focus["achievement"] = m.achievements[0]
        elif s.tool == "find_partners":
            matches = r.get("matches")
            m.organisations = _ids(matches, "org_id")
            _remember_names(m, matches, "org_id", "name")
            m.last_list = "organisation"
            ach = r.get("achievement_id") or a.get("achievement_id")
            if isinstance(ach, str) and ach:
                m.focus["achievement"] = ach
                if isinstance(r.get("query"), str):
                    m.names.setdefault(ach, r["query"])
                if isinstance(r.get("domain"), str):
                    m.domains[ach] = r["domain"]
            if m.organisations:
                m.focus["organisation"] = m.organisations[0]
        elif s.tool == "find_facilities":
            fac = r.get("facilities")
            m.facilities = _ids(fac, "id")
            _remember_names(m, fac, "id", "name")
            m.last_list = "facility"
            if m.facilities:
                m.focus["facility"] = m.facilities[0]
        elif s.tool == "check_availability":
            results = r.get("results") or []
            _remember_names(m, results, "facility_id", "name")
            windows: list[Window] = []
            for fr in results if isinstance(results, list) else []:
                if not isinstance(fr, dict):
                    continue
                for w in fr.get("windows") or []:
                    try:
                        windows.append(
                            Window(
                                facility_id=fr["facility_id"],
                                **{k: w[k] for k in ("start", "end", "days")},
                                quote_cny=w.get("quote_cny"),
                            )
                        )
                    except (KeyError, TypeError, ValueError):
                        continue
            if not windows:
                # Nothing fit the range: the earliest later windows are what "hold it" can mean now.
                for fr in results if isinstance(results, list) else []:
                    nxt = fr.get("next_window") if isinstance(fr, dict) else None
                    if isinstance(nxt, dict):
                        try:
                            windows.append(
                                Window(
                                    facility_id=fr["facility_id"],
                                    **{k: nxt[k] for k in ("start", "end", "days")},
                                    quote_cny=nxt.get("quote_cny"),
                                )
                            )
                        except (KeyError, TypeError, ValueError):
                            continue
            windows.sort(key=lambda w: (w.start, w.facility_id))
            m.windows = windows
            checked = _ids(results, "facility_id")
            if len(checked) > 1:
                m.facilities = checked
            first = r.get("first_available_facility") or (checked[0] if checked else None)
            if isinstance(first, str):
                m.focus["facility"] = first
            m.last_list = "window"
        elif s.tool == "hold_slot":
            ref = r.get("reference")
            if isinstance(ref, str):
                m.holds = [h for h in m.holds if h != ref] + [ref]
                m.focus["hold"] = ref
            if isinstance(r.get("facility_id"), str):
                m.focus["facility"] = r["facility_id"]
        elif s.tool in ("release_hold", "confirm_booking"):
            ref = r.get("reference") or a.get("reference")
            if isinstance(ref, str) and s.tool == "release_hold":
                m.holds = [h for h in m.holds if h != ref]
        elif s.tool == "get_record":
            rid = r.get("id")
            kind = r.get("kind")
            if isinstance(rid, str) and kind in ("achievement", "organisation", "facility"):
                m.focus[kind] = rid
                if isinstance(r.get("title"), str):
                    m.names[rid] = r["title"]
                rec = r.get("record") or {}
                if kind == "achievement" and isinstance(rec, dict) and isinstance(rec.get("domain"), str):
                    m.domains[rid] = rec["domain"]
        elif s.tool == "draft_term_sheet":
            for key, kind in (
                ("achievement_id", "achievement"),
                ("partner_id", "organisation"),
                ("licensee_id", "organisation"),
            ):
                v = a.get(key) or r.get(key)
                if isinstance(v, str) and v:
                    m.focus[kind] = v
    return m
