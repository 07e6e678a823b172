"""The eval task schema: tasks as data, shaped like τ²-bench.

A suite file (YAML) holds either agent tasks (`kind: agent`: the user's turns and the approval
decisions to give, initial-state additions, and criteria) or labelled retrieval queries
(`kind: retrieval`). Everything here is declarative; `evals/checks.py` evaluates criteria
against a finished trajectory and end state, `evals/validate.py` checks references.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from knowledge.models import Achievement, Booking, BookingStatus, Facility, Lang, Organisation

TASK_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
# Record ids the validator looks for inside criteria (ACH-0001, ORG-0002, FAC-0003 ...).
# ASCII look-arounds, not \b: in "为ACH-0001找" the CJK neighbours are word characters too.
RECORD_ID_RE = re.compile(
    r"(?<![0-9A-Za-z_-])(?:ACH|ORG|FAC)-[0-9A-Za-z_]+(?:-[0-9A-Za-z_]+)*(?![0-9A-Za-z_])"
)

_MATCHER_KEYS = {"exact", "contains", "range", "min", "max", "any", "one_of", "regex", "absent"}


class _Strict(BaseModel):
    # Unknown keys are typos in a hand-written suite; reject them with the field named.
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------------------------
# Argument / value matchers


class Matcher(_Strict):
    """How to compare one value: exact, contains, range {min,max}, any, one_of, regex or absent.

    In YAML a bare value means exact: `achievement_id: ACH-0001`; otherwise a one-key mapping:
    `start: {range: {min: 2026-12-01, max: 2026-12-10}}`, `query: {contains: 钙钛矿}`,
    `days: {any: true}`, `deal_type: {one_of: [license, assignment]}`.
    """

    op: Literal["exact", "contains", "range", "any", "one_of", "regex", "absent"]
    value: Any = None
    min: Any = None
    max: Any = None

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and "op" in raw:
            return raw
        if not (isinstance(raw, dict) and raw and set(raw) <= _MATCHER_KEYS):
            return {"op": "exact", "value": raw}
        keys = set(raw)
        if keys <= {"min", "max"}:
            return {"op": "range", "min": raw.get("min"), "max": raw.get("max")}
        if len(keys) != 1:
            raise ValueError(
                f"a matcher has exactly one of {sorted(_MATCHER_KEYS - {'min', 'max'})}, got {sorted(keys)}"
            )
        (key,) = keys
        val = raw[key]
        if key == "range":
            if not isinstance(val, dict) or not val or not set(val) <= {"min", "max"}:
                raise ValueError("range takes {min: ..., max: ...} (either may be omitted, not both)")
            return {"op": "range", "min": val.get("min"), "max": val.get("max")}
        if key == "one_of" and not (isinstance(val, list) and val):
            raise ValueError("one_of takes a non-empty list")
        if key in {"any", "absent"} and val is not True:
            raise ValueError(f"write `{key}: true`")
        if key == "regex":
            try:
                re.compile(str(val))
            except re.error as exc:
                raise ValueError(f"bad regex: {exc}") from exc
        return {"op": key, "value": val}

    def literal_values(self) -> list[Any]:
        """The concrete values this matcher names (for reference validation)."""
        if self.op in {"exact", "contains", "regex"}:
            return [self.value]
        if self.op == "one_of":
            return list(self.value)
        if self.op == "range":
            return [self.min, self.max]
        return []


# ---------------------------------------------------------------------------------------------
# Criteria: actions


ActionStatus = Literal["any", "executed", "done", "error", "proposed", "rejected"]


class ExpectedAction(_Strict):
    """A tool call the agent should make, with argument matchers (only the named args are compared).

    `status`: "any" (default) — proposed, run or rejected; "executed" — the tool ran (done or error);
    "done" / "error" — the tool's outcome; "proposed" — an approval was requested (whatever the
    decision); "rejected" — proposed and rejected. `result` matches dotted paths into the tool
    output, e.g. `matches.0.org_id: ORG-0002`.
    """

    tool: str
    args: dict[str, Matcher] = Field(default_factory=dict)
    status: ActionStatus = "any"
    result: dict[str, Matcher] = Field(default_factory=dict)


class ForbiddenAction(_Strict):
    """A call the agent must not make: a tool name, or the tag WRITE / READ for every tool of that kind.

    With `args`, only calls whose args match are forbidden. A WRITE that was proposed for approval
    counts as a call even when it was rejected: proposing it was already the mistake.
    """

    tool: str
    args: dict[str, Matcher] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, raw: Any) -> Any:
        return {"tool": raw} if isinstance(raw, str) else raw


# ---------------------------------------------------------------------------------------------
# Criteria: end state


class DateWindow(_Strict):
    start: date
    end: date

    @model_validator(mode="after")
    def _order(self) -> DateWindow:
        if self.end <= self.start:
            raise ValueError("window end must be after start (end is exclusive)")
        return self


class HoldExists(_Strict):
    """A live booking (default: a hold) for `facility` lies inside `window`; by default one created by the task."""

    type: Literal["hold_exists"]
    facility: str
    window: DateWindow | None = None
    days: Annotated[int, Field(ge=1)] | None = None
    status: list[BookingStatus] = Field(default_factory=lambda: list[BookingStatus](["held"]))
    new: bool = True


class NoOverlap(_Strict):
    """No two live (held / confirmed) bookings overlap on the same facility (or on `facility`)."""

    type: Literal["no_overlap"]
    facility: str | None = None


class NothingWritten(_Strict):
    """The booking store is exactly as it was before the first turn."""

    type: Literal["nothing_written"]


class BookingCount(_Strict):
    """Count bookings by status / facility; `new_only` counts only those the task created or changed."""

    type: Literal["booking_count"]
    status: list[BookingStatus] | None = None
    facility: str | None = None
    new_only: bool = False
    count: Annotated[int, Field(ge=0)] | None = None
    min: Annotated[int, Field(ge=0)] | None = None
    max: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _status_list(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and isinstance(raw.get("status"), str):
            raw = {**raw, "status": [raw["status"]]}
        return raw

    @model_validator(mode="after")
    def _bound(self) -> BookingCount:
        if self.count is None and self.min is None and self.max is None:
            raise ValueError("booking_count needs count, min or max")
        return self


class TermSheetCheck(_Strict):
    """A term sheet was drafted and it is lawful (or flagged, as the task expects).

    `inventor_share_min`: the inventor team's share is at least the statutory minimum of Art. 45
    for the deal type (50% of net income for assignment / licences, 50% of the equity for
    investment at appraised value, 5% of the operating profit for joint implementation).
    `flagged_cites`: an error / warning finding cites one of these (e.g. "Article 45", "第四十五条").
    `compliant`: the sheet's own verdict. `artifact`: the Markdown file exists on disk.
    """

    type: Literal["term_sheet"]
    deal_type: str | None = None
    inventor_share_min: bool = True
    flagged_cites: list[str] = Field(default_factory=list)
    compliant: bool | None = None
    artifact: bool = True

    @model_validator(mode="before")
    @classmethod
    def _cites_list(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and isinstance(raw.get("flagged_cites"), str):
            raw = {**raw, "flagged_cites": [raw["flagged_cites"]]}
        return raw


StateAssertion = Annotated[
    HoldExists | NoOverlap | NothingWritten | BookingCount | TermSheetCheck, Field(discriminator="type")
]


# ---------------------------------------------------------------------------------------------
# Criteria: the answer


class CitationMatcher(_Strict):
    """A citation the answer must carry: a record / policy doc id and optionally a section ref (any of)."""

    id: list[str] = Field(default_factory=list, description="Any one of these document / record ids.")
    ref: list[str] = Field(default_factory=list, description="Any one of these (case-insensitive substring).")

    @model_validator(mode="before")
    @classmethod
    def _forms(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            return {"id": [raw]}
        if isinstance(raw, dict):
            raw = {k: [v] if k in {"id", "ref"} and isinstance(v, str) else v for k, v in raw.items()}
        return raw

    @model_validator(mode="after")
    def _something(self) -> CitationMatcher:
        if not self.id and not self.ref:
            raise ValueError("a citation matcher needs id or ref")
        return self


class AnswerCriteria(_Strict):
    """What the final answer (scope final) or every answer of the conversation (scope all) must hold.

    Text comparisons are case-insensitive and ignore full-width / half-width differences.
    """

    scope: Literal["final", "all"] = "final"
    ids: list[str] = Field(default_factory=list, description="Record ids that must appear in the text.")
    contains: list[str] = Field(default_factory=list)
    any_of: list[list[str]] = Field(default_factory=list, description="Each group: at least one must appear.")
    not_contains: list[str] = Field(default_factory=list)
    citations: list[CitationMatcher] = Field(default_factory=list)
    first_id: str | None = Field(None, description="The first id of this kind (ORG-/ACH-/FAC-) in the text.")
    question: bool | None = Field(None, description="True: the answer asks the user something.")
    language: Lang | Literal["any"] | None = Field(None, description="Default: the task's language.")

    def is_empty(self) -> bool:
        return not (
            self.ids
            or self.contains
            or self.any_of
            or self.not_contains
            or self.citations
            or self.first_id
            or self.question is not None
        )


class Criteria(_Strict):
    actions: list[ExpectedAction] = Field(default_factory=list)
    ordered: bool = Field(False, description="Expected actions must occur in this order.")
    must_not_call: list[ForbiddenAction] = Field(default_factory=list)
    state: list[StateAssertion] = Field(default_factory=list)
    answer: AnswerCriteria = Field(default_factory=AnswerCriteria)

    def is_empty(self) -> bool:
        return not (self.actions or self.must_not_call or self.state) and self.answer.is_empty()


# ---------------------------------------------------------------------------------------------
# The conversation script and the initial state


class UserTurn(_Strict):
    user: Annotated[str, Field(min_length=1)]


class DecisionTurn(_Strict):
    """The answer to the next approval request: approve, reject, or edit with replacement args."""

    decision: Literal["approve", "reject", "edit"]
    args: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _args(self) -> DecisionTurn:
        if self.decision == "edit" and not self.args:
            raise ValueError("decision edit needs args (the replacement arguments)")
        if self.decision != "edit" and self.args:
            raise ValueError(f"decision {self.decision} takes no args")
        return self


def _turn_kind(raw: Any) -> str:
    if isinstance(raw, DecisionTurn) or (isinstance(raw, dict) and "decision" in raw):
        return "decision"
    return "user"


# Picked by key, so a bad turn's error names that turn's fields rather than both union branches.
Turn = Annotated[
    Annotated[UserTurn, Tag("user")] | Annotated[DecisionTurn, Tag("decision")],
    Discriminator(_turn_kind),
]


class InitialState(_Strict):
    """Records and bookings added to the pristine sample data before the first turn."""

    achievements: list[Achievement] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    facilities: list[Facility] = Field(default_factory=list)
    bookings: list[Booking] = Field(default_factory=list)

    def record_ids(self) -> set[str]:
        return {r.id for r in self.records()}

    def records(self) -> list[Achievement | Organisation | Facility]:
        # Organisations first: achievements and facilities name their owners.
        return [*self.organisations, *self.achievements, *self.facilities]

    def is_empty(self) -> bool:
        return not (self.achievements or self.organisations or self.facilities or self.bookings)


class Task(_Strict):
    id: Annotated[str, Field(pattern=TASK_ID)]
    description: str = ""
    language: Lang
    tags: list[str] = Field(default_factory=list)
    today: date | None = Field(None, description="Overrides the suite's today.")
    turns: list[Turn] = Field(min_length=1)
    initial_state: InitialState = Field(default_factory=InitialState)
    criteria: Criteria
    unknown_ids: list[str] = Field(
        default_factory=list,
        description="Ids deliberately absent from the KB (bad-request tasks); exempt from reference checks.",
    )

    @model_validator(mode="after")
    def _first_turn(self) -> Task:
        if not isinstance(self.turns[0], UserTurn):
            raise ValueError("turns: the first turn must be a user turn")
        return self

    @property
    def user_turns(self) -> list[str]:
        return [t.user for t in self.turns if isinstance(t, UserTurn)]


class AgentSuite(_Strict):
    suite: Annotated[str, Field(min_length=1)]
    kind: Literal["agent"] = "agent"
    description: str = ""
    today: date = Field(description="The date the agent treats as today, for stable date-relative tasks.")
    tasks: list[Task] = Field(min_length=1)


class RetrievalQuery(_Strict):
    """A labelled query: which records (or policy docs) are relevant."""

    id: Annotated[str, Field(pattern=TASK_ID)]
    query: Annotated[str, Field(min_length=1)]
    relevant: list[str] = Field(min_length=1)
    kind: Literal["achievement", "organisation", "facility", "policy"] | None = None
    lang: Lang | None = None


class RetrievalSuite(_Strict):
    """Retrieval quality: recall@k and MRR over labelled queries via `open_kb().search`."""

    suite: Annotated[str, Field(min_length=1)]
    kind: Literal["retrieval"]
    description: str = ""
    source: str | None = Field(
        None, description="A JSONL file of labelled queries (relative to the repo root)."
    )
    queries: list[RetrievalQuery] = Field(default_factory=list)
    k: list[Annotated[int, Field(ge=1)]] = Field(default_factory=lambda: [1, 5, 10])
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    pass_at: Annotated[int, Field(ge=1)] = Field(
        10, description="A query passes when a relevant hit is in the top pass_at."
    )

    @model_validator(mode="after")
    def _some(self) -> RetrievalSuite:
        if not self.source and not self.queries:
            raise ValueError("a retrieval suite needs source or queries")
        return self


Suite = AgentSuite | RetrievalSuite


def referenced_ids(task: Task) -> list[tuple[str, str]]:
    """(field, record id) pairs a task's criteria, decisions and initial state refer to (they must exist)."""
    found: list[tuple[str, str]] = []

    def scan(where: str, value: Any) -> None:
        if isinstance(value, str):
            found.extend((where, rid) for rid in RECORD_ID_RE.findall(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                scan(f"{where}.{k}", v)
        elif isinstance(value, list | tuple):
            for i, v in enumerate(value):
                scan(f"{where}[{i}]", v)

    def scan_matcher(where: str, m: Matcher) -> None:
        for v in m.literal_values():
            scan(where, v)

    c = task.criteria
    for i, action in enumerate(c.actions):
        for name, m in action.args.items():
            scan_matcher(f"criteria.actions[{i}].args.{name}", m)
        for name, m in action.result.items():
            scan_matcher(f"criteria.actions[{i}].result.{name}", m)
    for i, forb in enumerate(c.must_not_call):
        for name, m in forb.args.items():
            scan_matcher(f"criteria.must_not_call[{i}].args.{name}", m)
    for i, st in enumerate(c.state):
        scan(f"criteria.state[{i}].facility", getattr(st, "facility", None))
    scan("criteria.answer.ids", c.answer.ids)
    scan("criteria.answer.first_id", c.answer.first_id)
    scan("criteria.answer.contains", c.answer.contains)
    scan("criteria.answer.any_of", c.answer.any_of)
    for i, t in enumerate(task.turns):
        if isinstance(t, DecisionTurn):
            scan(f"turns[{i}].args", t.args)
    ist = task.initial_state
    for i, b in enumerate(ist.bookings):
        scan(f"initial_state.bookings[{i}].facility_id", b.facility_id)
    for i, a in enumerate(ist.achievements):
        scan(f"initial_state.achievements[{i}].owner_id", a.owner_id)
    for i, f in enumerate(ist.facilities):
        scan(f"initial_state.facilities[{i}].owner_id", f.owner_id)
    return found
