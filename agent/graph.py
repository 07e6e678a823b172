"""The agent graph: begin -> plan -> act <-> approve -> plan ... -> respond.

- `plan` asks the planner (builtin or LLM) for the next steps given everything so far.
- `act` runs the first step. READ tools run at once; a WRITE tool first goes to `approve`.
- `approve` pauses with `interrupt({action, args, quote, summary})`; the resume value is a
  `Decision` (approve / reject / edit). An approved WRITE runs back in `act` with the
  idempotency key `thread_id:step_id`, so a repeated resume or a crash between approval and
  write can never hold twice: the tool returns the first result for a key it has seen.
- `respond` has the planner compose the answer from the results, streams it as `token` chunks
  and a final `message`.

The loop, the step budget and stopping live here in code, never in a model. Every node writes
its events (`agent.events`) through LangGraph's custom stream writer.

`graph` at the bottom is compiled without a checkpointer for `langgraph dev`; the runtime
(`agent.runtime.Agent`) compiles its own with a SQLite checkpointer.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any, Literal

from langgraph.config import get_config
from langgraph.graph import START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.context import Context
from agent.errors import error_reference, internal_error
from agent.events import Decision
from agent.frame import Frame
from agent.language import message_lang, names_matter
from agent.plan import Plan, PlanStep
from agent.planner import Message, Planner, PlannerInput, RespondInput, Response, StepResult
from agent.planners import make_planner
from agent.results import chunk_text, quote_for, summarize_result
from agent.state import ChatMessage, State
from knowledge.faults import pause_point
from tools.base import REGISTRY, ToolContext, ToolError, ToolKind

log = logging.getLogger("chengguo.agent")

# --- helpers -----------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _ctx(runtime: Runtime[Context]) -> Context:
    # `langgraph dev` may run the graph without a context; fall back to the environment.
    ctx = runtime.context
    if isinstance(ctx, Context):
        return ctx
    if isinstance(ctx, dict):
        return Context(**ctx)
    return Context.from_settings()


def _planner(ctx: Context) -> Planner:
    return ctx.planner or make_planner(ctx.model, ctx.resolved_settings())


def _thread_id() -> str:
    return str(get_config().get("configurable", {}).get("thread_id", "default"))


def _emit(runtime: Runtime[Context], event: str, data: dict[str, Any]) -> None:
    runtime.stream_writer({"event": event, "data": data})


def _results(state: State, key: Literal["results", "history"]) -> list[StepResult]:
    return [StepResult.model_validate(r) for r in state.get(key) or []]


def _lang(state: State) -> Literal["zh", "en"]:
    return "zh" if state.get("lang") == "zh" else "en"


def _planner_input(state: State, ctx: Context) -> PlannerInput:
    return PlannerInput(
        messages=[Message(role=m["role"], text=m["text"]) for m in state.get("messages") or []],
        results=_results(state, "results"),
        history=_results(state, "history"),
        lang=_lang(state),
        steps_left=max(ctx.max_steps - state.get("steps_used", 0), 0),
        turn=state.get("turn", 0),
        today=ctx.today.isoformat(),
        frame=Frame.model_validate(state.get("frame") or {}),
    )


def _sig(steps: list[PlanStep]) -> str:
    return json.dumps([[s.tool, s.args] for s in steps], sort_keys=True, ensure_ascii=False, default=str)


HISTORY_TURNS = 5
"""Earlier turns whose step results stay in the state for references ("the second one")."""

_WRITE_TOOLS = frozenset({"hold_slot", "release_hold", "confirm_booking"})


def trim_history(history: list[dict[str, Any]], turns: int = HISTORY_TURNS) -> list[dict[str, Any]]:
    """The step results of the last `turns` turns, plus older booking writes (small, and "release
    my hold" may mean one).

    Every checkpoint stores the whole state, so an unbounded history made each turn's
    checkpoints grow with the thread: ~0.7 MB per turn by the fifth turn of a 3-tool request.
    """
    recent = sorted({int(r.get("turn") or 0) for r in history})[-turns:]
    keep = set(recent)
    return [r for r in history if int(r.get("turn") or 0) in keep or r.get("tool") in _WRITE_TOOLS]


def _assign_ids(steps: list[PlanStep], state: State) -> list[PlanStep]:
    """Give every step an id unique in the thread, keeping the planner's when it is unused.

    The id is half of the WRITE idempotency key, so a reused id would make a new hold return an
    old one.
    """
    used = {r["step_id"] for r in (state.get("history") or []) + (state.get("results") or [])}
    turn = state.get("turn", 0)
    n = state.get("steps_used", 0)
    out: list[PlanStep] = []
    for s in steps:
        sid = s.id.strip()
        # Ids of this turn only: older turns' steps may have been trimmed from `history`.
        if not sid or sid in used or not sid.startswith(f"t{turn}-"):
            n += 1
            while f"t{turn}-s{n}" in used:
                n += 1
            sid = f"t{turn}-s{n}"
        used.add(sid)
        out.append(s.model_copy(update={"id": sid}))
    return out


_BUDGET_NOTE = {
    "en": "Stopped after {n} steps (the step limit for one turn).",
    "zh": "已执行 {n} 个步骤，达到单轮步骤上限，先到这里。",
}
_REPEAT_NOTE = {
    "en": "The plan repeated a step that had already run; answering with what I have.",
    "zh": "计划重复了已执行的步骤，先根据现有结果回答。",
}
_PLANNER_FAILED = {
    "en": "The planner could not make a plan this time (reference {ref}); please try again.",
    "zh": "本次未能生成计划（参考编号 {ref}），请重试。",
}
_REJECTED = {"en": "Rejected by the user.", "zh": "用户已拒绝。"}
# A user's "no" is a decision, not a failure: surfaces show it neutrally (status "rejected").
_DECLINED = {"en": "Skipped — you declined", "zh": "已取消（您拒绝了）"}
# Planned steps that never ran (no free window, a failed step before them, the step budget):
# closed as "skipped" with the tool's plain name, never with a half-filled placeholder summary.
_NOT_RUN = {"en": "Not run: {what}", "zh": "未执行：{what}"}
_TOOL_NAMES: dict[str, tuple[str, str]] = {
    "search_achievements": ("search achievements", "检索成果"),
    "find_partners": ("rank partners", "匹配合作方"),
    "find_achievements_for_need": ("find achievements for the need", "为需求匹配成果"),
    "find_facilities": ("find facilities", "查找设施"),
    "check_availability": ("check availability", "查询档期"),
    "hold_slot": ("hold a slot", "预留档期"),
    "release_hold": ("release the hold", "释放预留"),
    "confirm_booking": ("confirm the booking", "确认预订"),
    "draft_term_sheet": ("draft the term sheet", "起草条款"),
    "search_policies": ("search policies", "检索政策"),
    "get_record": ("look up the record", "查询记录"),
}
_APPROVAL_SUFFIX = re.compile(r"\s*(?:\(needs your approval\)|（需您批准）)\s*$")


def tool_name(tool: str, lang: str) -> str:
    """A tool's plain name in `lang` ("hold a slot" / "预留档期"); the id for tools without one."""
    en, zh = _TOOL_NAMES.get(tool, (tool, tool))
    return zh if lang == "zh" else en


def declined_summary(summary: str, lang: str) -> str:
    """ "Skipped — you declined: Hold FAC-0003 from …" for a rejected WRITE step."""
    what = _APPROVAL_SUFFIX.sub("", summary or "").strip()
    head = _DECLINED["zh" if lang == "zh" else "en"]
    return f"{head}{'：' if lang == 'zh' else ': '}{what}" if what else head


_FALLBACK_ANSWER = {
    "en": "Sorry, I could not compose an answer (reference {err}).",
    "zh": "抱歉，未能生成回答（参考编号 {err}）。",
}


def _step_result(
    step: PlanStep,
    args: dict[str, Any],
    output: Any,
    turn: int,
    approval: Literal["approved", "rejected", "edited"] | None = None,
) -> StepResult:
    data = output.model_dump(mode="json") if hasattr(output, "model_dump") else dict(output)
    ok = bool(data.get("ok", True)) and not isinstance(output, ToolError)
    return StepResult(
        step_id=step.id, tool=step.tool, args=args, ok=ok, result=data, turn=turn, approval=approval
    )


def _after_step(
    state: State, ctx: Context, plan: Plan, result: StepResult, extra: dict[str, Any]
) -> Command[Any]:
    """State update after a step ran (or was rejected), and the next node."""
    rest = plan.steps[1:]
    used = state.get("steps_used", 0) + 1
    update: dict[str, Any] = {
        "results": [*(state.get("results") or []), result.model_dump(mode="json")],
        "steps_used": used,
        "plan": plan.model_copy(update={"steps": rest}).model_dump(mode="json"),
        "last_plan_sig": _sig(rest),
        "pending": None,
        "approved": None,
        **extra,
    }
    if used >= ctx.max_steps:
        update["note"] = _BUDGET_NOTE[_lang(state)].format(n=used)
        return Command(goto="respond", update=update)
    return Command(goto="plan", update=update)


# --- nodes -------------------------------------------------------------------------------


def _reply_lang(text: str, previous: str | None, planner: Planner | None = None) -> Literal["zh", "en"]:
    """The language of the user's own words in `text`: record names and ids the planner knows,
    quotes and URLs do not count; a reply with no words of its own ("7", "ACH-0010", "2027-03-01")
    keeps the thread's language instead of switching a Chinese conversation to English."""
    named = getattr(planner, "named_spans", None)
    try:
        spans = named(text) if callable(named) and names_matter(text) else []
    except Exception:  # names are a refinement: a planner that cannot say reads the message as written
        log.exception("named_spans failed")
        spans = []
    return message_lang(text, previous, spans)


def _begin_planner(ctx: Context) -> Planner | None:
    try:
        return _planner(ctx)
    except Exception:  # the plan node reports a planner that cannot be built
        return None


def begin(state: State, runtime: Runtime[Context]) -> Command[Literal["plan"]]:
    """Start a user turn: bump the turn counter, reset per-turn fields, settle the reply language."""
    ctx = _ctx(runtime)
    msgs = state.get("messages") or []
    last_user = next((m["text"] for m in reversed(msgs) if m["role"] == "user"), "")
    lang = (
        ctx.lang
        if ctx.lang in ("zh", "en")
        else _reply_lang(last_user, state.get("lang"), _begin_planner(ctx))
    )
    return Command(
        goto="plan",
        update={
            "turn": state.get("turn", 0) + 1,
            "lang": lang,
            "plan": None,
            "last_plan_sig": "",
            "announced": [],
            "results": [],
            "pending": None,
            "approved": None,
            "steps_used": 0,
            "note": "",
            "response": None,
            "turn_frame": None,
        },
    )


def plan(state: State, runtime: Runtime[Context]) -> Command[Literal["act", "respond"]]:
    """Ask the planner what to do next; route to `act` for a step or `respond` to answer."""
    ctx = _ctx(runtime)
    lang = _lang(state)
    if state.get("steps_used", 0) >= ctx.max_steps:
        return Command(
            goto="respond", update={"note": _BUDGET_NOTE[lang].format(n=state.get("steps_used", 0))}
        )
    try:
        new = _planner(ctx).plan(_planner_input(state, ctx))
    except Exception:  # a planner bug or an unreachable model must not kill the thread
        # Users get a sentence and a reference; the exception's text goes to the log only.
        ref = error_reference()
        log.exception("planner failed (ref %s)", ref)
        msg = _PLANNER_FAILED[lang].format(ref=ref)
        _emit(runtime, "error", {"message": msg, "code": "planner_error", "ref": ref})
        return Command(goto="respond", update={"note": msg})

    steps = _assign_ids(new.steps, state)
    new = new.model_copy(update={"steps": steps})
    dumped = new.model_dump(mode="json")
    frame = {"turn_frame": dumped["frame"]} if new.frame is not None else {}
    if new.clarification or new.answer_now or not steps:
        return Command(goto="respond", update={"plan": dumped, **frame})

    first = steps[0]
    already = {_sig([PlanStep(id="", tool=r.tool, args=r.args)]) for r in _results(state, "results")}
    if _sig([first]) in already:
        # Re-planning a call that already ran this turn (succeeded, failed or was rejected) would
        # loop or re-ask an approval the user declined; stop in code instead.
        return Command(goto="respond", update={"plan": dumped, "note": _REPEAT_NOTE[lang], **frame})

    sig = _sig(steps)
    update: dict[str, Any] = {"plan": dumped, "last_plan_sig": sig, **frame}
    if sig != state.get("last_plan_sig"):
        _emit(runtime, "plan", {"steps": [s.model_dump(mode="json") for s in steps], "note": new.note})
        announced = list(state.get("announced") or [])
        seen = {(a["id"], a["tool"]) for a in announced}
        announced += [{"id": s.id, "tool": s.tool} for s in steps if (s.id, s.tool) not in seen]
        update["announced"] = announced
    return Command(goto="act", update=update)


def act(state: State, runtime: Runtime[Context]) -> Command[Literal["approve", "plan", "respond"]]:
    """Run the plan's first step; a WRITE step without a granted approval goes to `approve` first."""
    ctx = _ctx(runtime)
    lang = _lang(state)
    current = Plan.model_validate(state.get("plan") or {})
    step = current.steps[0]
    turn = state.get("turn", 0)
    spec = REGISTRY.get(step.tool)

    if spec is None:
        err = ToolError(
            code="unknown_tool",
            message=f"unknown tool {step.tool!r}; known: {', '.join(sorted(REGISTRY))}",
            details={"tool": step.tool},
        )
        result = _step_result(step, step.args, err, turn)
        _emit(runtime, "step", _step_event(step, "error", result, lang))
        return _after_step(state, ctx, current, result, {})

    approved = state.get("approved")
    granted = approved is not None and approved.get("step_id") == step.id
    if spec.kind is ToolKind.WRITE and not granted:
        missing = _unknown_booking(step, ctx) or _unknown_holder(step, ctx)
        if missing is not None:
            # "Release BK-00000000": say there is no such booking instead of asking to approve it.
            result = _step_result(step, step.args, missing, turn)
            _emit(runtime, "step", _step_event(step, "error", result, lang))
            return _after_step(state, ctx, current, result, {})
        request = {
            "step_id": step.id,
            "action": step.tool,
            "args": step.args,
            # Earlier turns too: "hold the first window" comes a turn after the calendar answer.
            "quote": quote_for(step.args, [*_results(state, "history"), *_results(state, "results")]),
            "summary": step.summary,
        }
        holder = _holder_for(step, ctx)
        if holder:
            request["holder"] = holder  # who the hold is for, on the approval card
        # Announced here, not in `approve`: a node re-runs from its start on resume, so an event
        # written before interrupt() would repeat.
        _emit(runtime, "approval", request)
        return Command(goto="approve", update={"pending": request})

    args: dict[str, Any] = dict(approved["args"]) if granted and approved else dict(step.args)
    approval = approved.get("approval") if granted and approved else None
    _emit(
        runtime,
        "step",
        {"step_id": step.id, "tool": step.tool, "status": "started", "summary": step.summary or step.tool},
    )
    tool_ctx = ToolContext(
        settings=ctx.resolved_settings(),
        lang=lang,
        thread_id=_thread_id(),
        step_id=step.id,
        extra=dict(ctx.extra),
        today=ctx.today,
    )
    pause_point(f"before:{step.tool}")
    try:
        output: Any = spec.run(args, tool_ctx)
    except Exception:  # a tool bug becomes a failed step the planner can route around
        ref = error_reference()
        log.exception("tool %s failed (ref %s)", step.tool, ref)
        output = ToolError(
            code="tool_exception",
            message=f"工具意外出错（参考编号 {ref}）。"
            if lang == "zh"
            else f"The tool failed unexpectedly (reference {ref}).",
            details={"tool": step.tool, "ref": ref},
        )
    pause_point(f"after:{step.tool}")
    result = _step_result(step, args, output, turn, approval)
    _emit(runtime, "step", _step_event(step, "done" if result.ok else "error", result, lang))
    return _after_step(state, ctx, current, result, {})


_BOOKING_TOOLS = ("release_hold", "confirm_booking")


def _unknown_booking(step: PlanStep, ctx: Context) -> ToolError | None:
    """A `not_found` error when a release/confirm names a reference the booking store does not have.

    Checked before the approval: approving an action on a booking that does not exist only to
    learn that afterwards wastes the user's decision. Any failure to read the store leaves the
    check to the tool itself.
    """
    ref = step.args.get("reference")
    if step.tool not in _BOOKING_TOOLS or not isinstance(ref, str) or not ref.strip():
        return None
    try:
        from knowledge.bookings import BookingStore

        with BookingStore(ctx.resolved_settings()) as store:
            found = store.get(ref.strip())
    except Exception:
        return None
    if found is not None:
        return None
    return ToolError(
        code="not_found",
        message=f"no hold or booking with reference {ref.strip()}",
        details={"id": ref.strip(), "tool": step.tool},
    )


def _tool_ctx(ctx: Context, lang: str) -> Any:
    from tools.base import ToolContext

    return ToolContext(settings=ctx.resolved_settings(), lang=lang, extra=dict(ctx.extra))  # type: ignore[arg-type]


def _unknown_holder(step: PlanStep, ctx: Context) -> ToolError | None:
    """An `unknown_org` error when a hold names an organisation id the knowledge base lacks,
    before the approval (as `_unknown_booking`); any failure leaves the check to the tool."""
    if step.tool != "hold_slot" or not (step.args.get("holder_id") or step.args.get("holder")):
        return None
    try:
        from tools.booking import resolve_holder

        found = resolve_holder(_tool_ctx(ctx, "en"), step.args.get("holder"), step.args.get("holder_id"))
    except Exception:
        return None
    return found if isinstance(found, ToolError) else None


def _holder_for(step: PlanStep, ctx: Context) -> str | None:
    """ "Name (ORG-…)" for the approval card of a hold that names who it is for."""
    if step.tool != "hold_slot" or not (step.args.get("holder_id") or step.args.get("holder")):
        return None
    try:
        from tools.booking import holder_label, resolve_holder

        found = resolve_holder(_tool_ctx(ctx, "en"), step.args.get("holder"), step.args.get("holder_id"))
    except Exception:
        return None
    return holder_label(*found) if isinstance(found, tuple) else None


def _step_event(step: PlanStep, status: str, result: StepResult, lang: str) -> dict[str, Any]:
    return {
        "step_id": step.id,
        "tool": step.tool,
        "status": status,
        "summary": summarize_result(step.tool, result.ok, result.result, lang),
        "result": result.result,
    }


def approve(state: State, runtime: Runtime[Context]) -> Command[Literal["act", "plan", "respond"]]:
    """Wait for the user's decision on the pending WRITE step (interrupt), then route it."""
    ctx = _ctx(runtime)
    lang = _lang(state)
    pending = state.get("pending") or {}
    raw = interrupt(pending)
    decision = raw if isinstance(raw, Decision) else Decision.model_validate(raw)
    current = Plan.model_validate(state.get("plan") or {})
    step = current.steps[0]

    if decision.action == "reject":
        err = ToolError(code="rejected", message=_REJECTED[lang], details={"tool": step.tool})
        result = _step_result(step, dict(step.args), err, state.get("turn", 0), "rejected")
        event = _step_event(step, "rejected", result, lang)
        event["summary"] = declined_summary(step.summary, lang)
        _emit(runtime, "step", event)
        return _after_step(state, ctx, current, result, {})

    args = dict(step.args)
    if decision.action == "edit" and decision.args:
        args.update(decision.args)
    return Command(
        goto="act",
        update={
            "pending": None,
            "approved": {
                "step_id": step.id,
                "args": args,
                "approval": "edited" if decision.action == "edit" else "approved",
            },
        },
    )


def respond(state: State, runtime: Runtime[Context]) -> Command[Literal["__end__"]]:
    """Compose the final answer, stream it as tokens and a message, and close the turn."""
    ctx = _ctx(runtime)
    lang = _lang(state)
    current = Plan.model_validate(state.get("plan") or {})
    base = _planner_input(state, ctx)
    note = " ".join(x for x in (current.note, state.get("note", "")) if x)
    inp = RespondInput(**base.model_dump(), note=note, clarification=current.clarification)
    _close_unrun_steps(state, runtime, lang)
    try:
        response = _planner(ctx).respond(inp)
    except Exception:  # keep the thread usable; the error is visible to the user (not its text)
        ref = error_reference()
        log.exception("responder failed (ref %s)", ref)
        _emit(runtime, "error", {**internal_error(lang, ref), "code": "responder_error"})
        response = Response(text=_FALLBACK_ANSWER[lang].format(err=ref))
    for chunk in chunk_text(response.text):
        _emit(runtime, "token", {"text": chunk})
    message = {
        "text": response.text,
        "lang": lang,
        "citations": [c.model_dump(mode="json") for c in response.citations],
        "artifacts": [a.model_dump(mode="json") for a in response.artifacts],
    }
    _emit(runtime, "message", message)
    reply: ChatMessage = {"role": "assistant", "text": response.text, "ts": _now()}
    return Command(
        goto="__end__",
        update={
            "messages": [reply],
            "history": trim_history([*(state.get("history") or []), *(state.get("results") or [])]),
            "results": [],
            "plan": None,
            "pending": None,
            "approved": None,
            "response": response.model_dump(mode="json"),
            # The turn has answered: its frame is what the next turn's follow-ups fill.
            "frame": state.get("turn_frame") or state.get("frame"),
            "turn_frame": None,
        },
    )


def _close_unrun_steps(state: State, runtime: Runtime[Context], lang: str) -> None:
    """Mark announced steps that never ran as "skipped", with a plain summary.

    Surfaces list the plan's steps by id; without this a step the turn never reached (no free
    window, so no hold) stayed listed with its placeholder ("Hold … from … for … days").
    """
    ran = {r.get("step_id") for r in state.get("results") or []}
    for a in state.get("announced") or []:
        if a.get("id") in ran:
            continue
        what = tool_name(str(a.get("tool")), lang)
        _emit(
            runtime,
            "step",
            {
                "step_id": a.get("id"),
                "tool": a.get("tool"),
                "status": "skipped",
                "summary": _NOT_RUN["zh" if lang == "zh" else "en"].format(what=what),
            },
        )


def load_tools() -> None:
    """Register every tool (importing `tools.registry` fills `tools.base.REGISTRY`)."""
    try:
        importlib.import_module("tools.registry")
    except ModuleNotFoundError as exc:
        # Tolerate only the registry module itself being absent (early development, tests).
        if exc.name != "tools.registry":
            raise


def build_graph() -> StateGraph[State, Context, State, State]:
    """The uncompiled graph; routing is by the `Command` each node returns."""
    load_tools()
    g: StateGraph[State, Context, State, State] = StateGraph(State, context_schema=Context)
    g.add_node("begin", begin)
    g.add_node("plan", plan)
    g.add_node("act", act)
    g.add_node("approve", approve)
    g.add_node("respond", respond)
    g.add_edge(START, "begin")
    return g


def user_message(text: str) -> ChatMessage:
    """The graph input for a user turn."""
    return {"role": "user", "text": text, "ts": _now()}


# For `langgraph dev` (langgraph.json): the platform supplies its own checkpointer.
graph = build_graph().compile()
