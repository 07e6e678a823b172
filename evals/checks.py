"""Evaluate a task's criteria against a finished trajectory and the end state.

Every check yields a `CheckResult` with a stable, readable name (`action[0] find_partners`,
`state[1] nothing_written`, `answer.ids ORG-0002`) so a failing task names what failed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from evals.matching import match_args, match_paths, norm_text
from evals.schema import (
    RECORD_ID_RE,
    ActionStatus,
    AnswerCriteria,
    BookingCount,
    ExpectedAction,
    HoldExists,
    NoOverlap,
    NothingWritten,
    StateAssertion,
    Task,
    TermSheetCheck,
)
from evals.term_sheets import check_term_sheet
from evals.trajectory import Action, Answer, Trajectory
from knowledge.lang import text_lang

LIVE = ("held", "confirmed")


class CheckResult(BaseModel):
    name: str
    passed: bool
    message: str = ""


class BookingSnap(BaseModel):
    """A booking as the state checks compare it (effective status at the run's clock)."""

    reference: str
    facility_id: str
    start: date
    end: date
    status: str
    holder: str = ""

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.reference, self.facility_id, self.start.isoformat(), self.end.isoformat(), self.status)

    def short(self) -> str:
        return f"{self.reference} {self.facility_id} {self.start}..{self.end} {self.status}"


@dataclass
class EndState:
    """The booking store before the first turn (after initial-state additions) and after the last."""

    before: list[BookingSnap]
    after: list[BookingSnap]
    data_dir: Path | None = None

    @property
    def changed(self) -> list[BookingSnap]:
        old = {b.key() for b in self.before}
        return [b for b in self.after if b.key() not in old]


@dataclass
class CheckContext:
    task: Task
    trajectory: Trajectory
    state: EndState | None
    tool_kinds: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------- actions


def _status_ok(status: ActionStatus, a: Action) -> bool:
    if status == "any":
        return True
    if status == "executed":
        return a.executed
    if status == "proposed":
        return a.proposed
    if status == "rejected":
        return a.approval == "rejected"
    return a.status == status


def _action_problems(exp: ExpectedAction, a: Action) -> list[str]:
    if a.tool != exp.tool:
        return [f"tool {a.tool}"]
    problems = []
    if not _status_ok(exp.status, a):
        problems.append(f"status: expected {exp.status}, got {a.approval or a.status}")
    problems += match_args(exp.args, a.args)
    if exp.result:
        problems += match_paths(exp.result, a.result or {})
    return problems


def _assign(expected: list[ExpectedAction], actions: list[Action]) -> list[int | None]:
    """Distinct action index per expected action (bipartite matching by augmenting paths)."""
    ok = [[not _action_problems(e, a) for a in actions] for e in expected]
    owner: dict[int, int] = {}

    def take(i: int, seen: set[int]) -> bool:
        for j, good in enumerate(ok[i]):
            if good and j not in seen:
                seen.add(j)
                if j not in owner or take(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(expected)):
        take(i, set())
    out: list[int | None] = [None] * len(expected)
    for j, i in owner.items():
        out[i] = j
    return out


def _why_not(exp: ExpectedAction, actions: list[Action]) -> str:
    same = [a for a in actions if a.tool == exp.tool]
    if not same:
        called = ", ".join(a.tool for a in actions) or "none"
        return f"no {exp.tool} call (calls: {called})"
    parts = [f"{a.step_id}: " + "; ".join(_action_problems(exp, a)) for a in same[:3]]
    return f"{len(same)} {exp.tool} call(s), none matched — " + " | ".join(parts)


def check_actions(ctx: CheckContext) -> list[CheckResult]:
    crit = ctx.task.criteria
    actions = ctx.trajectory.actions
    out: list[CheckResult] = []
    if crit.ordered:
        pos = 0
        for i, exp in enumerate(crit.actions):
            name = f"action[{i}] {exp.tool}"
            hit = next((j for j in range(pos, len(actions)) if not _action_problems(exp, actions[j])), None)
            if hit is None:
                earlier = any(not _action_problems(exp, a) for a in actions[:pos])
                msg = (
                    "matched only before the previous expected action (order)"
                    if earlier
                    else _why_not(exp, actions)
                )
                out.append(CheckResult(name=name, passed=False, message=msg))
            else:
                out.append(CheckResult(name=name, passed=True, message=f"step {actions[hit].step_id}"))
                pos = hit + 1
    else:
        assigned = _assign(crit.actions, actions)
        for i, (exp, j) in enumerate(zip(crit.actions, assigned, strict=True)):
            name = f"action[{i}] {exp.tool}"
            if j is None:
                out.append(CheckResult(name=name, passed=False, message=_why_not(exp, actions)))
            else:
                out.append(CheckResult(name=name, passed=True, message=f"step {actions[j].step_id}"))
    for i, forb in enumerate(crit.must_not_call):
        name = f"must_not_call[{i}] {forb.tool}"
        bad = [
            a
            for a in actions
            if (a.tool == forb.tool or ctx.tool_kinds.get(a.tool) == forb.tool)
            and not match_args(forb.args, a.args)
        ]
        if bad:
            desc = ", ".join(f"{a.tool}({a.step_id}, {a.approval or a.status})" for a in bad)
            out.append(CheckResult(name=name, passed=False, message=f"called: {desc}"))
        else:
            out.append(CheckResult(name=name, passed=True))
    return out


# ----------------------------------------------------------------------------------------- state


def _overlaps(a: BookingSnap, b: BookingSnap) -> bool:
    return a.facility_id == b.facility_id and a.start < b.end and b.start < a.end


def _state_one(st: StateAssertion, ctx: CheckContext) -> tuple[bool, str]:
    state = ctx.state
    if isinstance(st, TermSheetCheck):
        return check_term_sheet(
            st, ctx.trajectory.actions, ctx.trajectory.answers, state.data_dir if state else None
        )
    if state is None:
        return False, "no end state was captured"
    if isinstance(st, NothingWritten):
        before, after = {b.key() for b in state.before}, {b.key() for b in state.after}
        if before == after:
            return True, f"{len(after)} bookings unchanged"
        added = [b.short() for b in state.after if b.key() not in before]
        gone = [b.short() for b in state.before if b.key() not in after]
        return False, f"bookings changed: new/changed {added}; removed/changed {gone}"
    if isinstance(st, NoOverlap):
        live = [
            b
            for b in state.after
            if b.status in LIVE and (st.facility is None or b.facility_id == st.facility)
        ]
        pairs = [
            f"{a.short()} x {b.short()}" for i, a in enumerate(live) for b in live[i + 1 :] if _overlaps(a, b)
        ]
        return (not pairs, "; ".join(pairs[:3]) or f"{len(live)} live bookings, none overlap")
    if isinstance(st, HoldExists):
        pool = state.changed if st.new else state.after
        cands = [b for b in pool if b.facility_id == st.facility and b.status in st.status]
        good = [
            b
            for b in cands
            if (st.window is None or (b.start >= st.window.start and b.end <= st.window.end))
            and (st.days is None or (b.end - b.start).days == st.days)
        ]
        if good:
            return True, good[0].short()
        where = f" inside {st.window.start}..{st.window.end}" if st.window else ""
        length = f" of {st.days} days" if st.days else ""
        seen = [b.short() for b in state.changed] or ["none"]
        return (
            False,
            f"no {'/'.join(st.status)} booking for {st.facility}{where}{length}; new bookings: {seen}",
        )
    if isinstance(st, BookingCount):
        pool = state.changed if st.new_only else state.after
        n = sum(
            1
            for b in pool
            if (st.status is None or b.status in st.status)
            and (st.facility is None or b.facility_id == st.facility)
        )
        ok = (
            (st.count is None or n == st.count)
            and (st.min is None or n >= st.min)
            and (st.max is None or n <= st.max)
        )
        want = (
            f"== {st.count}"
            if st.count is not None
            else f"in [{st.min if st.min is not None else 0}, {st.max if st.max is not None else 'inf'}]"
        )
        return ok, f"{n} bookings (expected {want})"
    raise AssertionError(f"unhandled state assertion {st!r}")  # pragma: no cover


def _state_name(i: int, st: StateAssertion) -> str:
    extra = getattr(st, "facility", None) or getattr(st, "deal_type", None) or ""
    return f"state[{i}] {st.type}" + (f" {extra}" if extra else "")


def check_state(ctx: CheckContext) -> list[CheckResult]:
    out = []
    for i, st in enumerate(ctx.task.criteria.state):
        ok, msg = _state_one(st, ctx)
        out.append(CheckResult(name=_state_name(i, st), passed=ok, message=msg))
    return out


# ---------------------------------------------------------------------------------------- answer

# Quoted record text (evidence, need statements) and record titles after "[ID]" keep their own
# language; the answer's language is the language of everything around them.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|「[^」]*」|『[^』]*』|‘[^’]*’")
_TITLED = re.compile(r"\[(?:ACH|ORG|FAC)-[0-9A-Za-z_-]+\][^\n—(（:：,，;；]*")
_STRIP = re.compile(r"(?:https?://\S+)|" + RECORD_ID_RE.pattern + r"|BK-[0-9A-Za-z-]+")


def answer_lang(text: str) -> str:
    """ "zh" or "en": Chinese characters vs English words, outside quotes, record titles, ids and URLs."""
    body = _STRIP.sub(" ", _TITLED.sub(" ", _QUOTED.sub(" ", text)))
    # An answer is a sentence of words, not a record summary: a majority of words, not a share.
    return text_lang(body, share=None)


def _scoped(answers: list[Answer], scope: str) -> list[Answer]:
    return answers[-1:] if scope == "final" else answers


def _cite_ok(want: Any, cites: Iterable[dict[str, Any]]) -> bool:
    for c in cites:
        if want.id and norm_text(str(c.get("id") or "")) not in {norm_text(i) for i in want.id}:
            continue
        if want.ref:
            ref = norm_text(str(c.get("ref") or ""))
            if not ref or not any(norm_text(r) in ref for r in want.ref):
                continue
        return True
    return False


def check_answer(ctx: CheckContext) -> list[CheckResult]:
    crit: AnswerCriteria = ctx.task.criteria.answer
    answers = _scoped(ctx.trajectory.answers, crit.scope)
    lang_want = crit.language or ctx.task.language
    if not answers:
        return [
            CheckResult(name="answer", passed=False, message="the agent gave no answer (no message event)")
        ]
    raw = "\n".join(a.text for a in answers)
    text = norm_text(raw)
    cites = [c for a in answers for c in a.citations]
    out: list[CheckResult] = []

    def add(name: str, ok: bool, msg: str = "") -> None:
        out.append(CheckResult(name=name, passed=ok, message="" if ok else msg))

    snippet = raw.strip().replace("\n", " ")[:200]
    for rid in crit.ids:
        add(f"answer.ids {rid}", norm_text(rid) in text, f"{rid} not in the answer: {snippet!r}")
    for s in crit.contains:
        add(f"answer.contains {s}", norm_text(s) in text, f"{s!r} not in the answer: {snippet!r}")
    for i, group in enumerate(crit.any_of):
        add(
            f"answer.any_of[{i}]",
            any(norm_text(s) in text for s in group),
            f"none of {group} in the answer: {snippet!r}",
        )
    for s in crit.not_contains:
        add(f"answer.not_contains {s}", norm_text(s) not in text, f"{s!r} is in the answer")
    for i, want in enumerate(crit.citations):
        shown = [f"{c.get('id')}{' ' + str(c.get('ref')) if c.get('ref') else ''}" for c in cites]
        label = "/".join(want.id) or "/".join(want.ref)
        add(
            f"answer.citations[{i}] {label}",
            _cite_ok(want, cites),
            f"not cited; citations: {shown or 'none'}",
        )
    if crit.first_id:
        prefix = crit.first_id.split("-", 1)[0].upper()
        seen = [m for m in RECORD_ID_RE.findall(raw) if m.upper().startswith(prefix + "-")]
        first = seen[0] if seen else None
        add(
            f"answer.first_id {crit.first_id}",
            first is not None and first.upper() == crit.first_id.upper(),
            f"first {prefix} id in the answer is {first}",
        )
    if crit.question is not None:
        asks = "?" in text
        add(
            "answer.question",
            asks == crit.question,
            "expected a question" if crit.question else "unexpected question",
        )
    if lang_want != "any":
        final = answers[-1]
        detected = answer_lang(final.text)
        ok = detected == lang_want and (final.lang in (None, lang_want))
        add("answer.language", ok, f"expected {lang_want}, event lang {final.lang}, text looks {detected}")
    return out


# ------------------------------------------------------------------------------------------ all

Checker = Callable[[CheckContext], list[CheckResult]]


def check_run(ctx: CheckContext) -> list[CheckResult]:
    """All checks for one attempt: the run itself, then actions, state and answer."""
    out: list[CheckResult] = []
    if ctx.trajectory.crashed:
        out.append(CheckResult(name="agent.crash", passed=False, message=ctx.trajectory.crashed))
    for p in ctx.trajectory.script_problems:
        out.append(CheckResult(name="script", passed=False, message=p))
    errs = [e for e in ctx.trajectory.errors if e.get("code") in {"planner_error", "responder_error"}]
    if errs:
        out.append(
            CheckResult(
                name="agent.errors",
                passed=False,
                message="; ".join(str(e.get("message"))[:200] for e in errs),
            )
        )
    out += check_actions(ctx)
    out += check_state(ctx)
    out += check_answer(ctx)
    return out
