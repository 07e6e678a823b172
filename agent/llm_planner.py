"""The LLM planner: any LangChain chat model plans with JSON-schema structured output.

The model only ever fills in a typed plan (which tools, which arguments) and writes the final
prose. The loop, the step budget, stopping, approvals and citations stay in code (agent.graph,
agent.results): small local models served by llama.cpp or vLLM produce valid constrained JSON
reliably but rarely emit native tool calls and do not know when to stop.

- The plan schema is a discriminated union with one variant per registered tool, whose `args`
  is that tool's input model, so constrained decoding can only produce well-typed calls.
- Invalid output (malformed JSON, a schema violation, an unknown tool, bad arguments) is fed back
  to the model with the validation errors, up to `max_attempts` times.
- A per-turn token budget: once spent, the planner answers with what it has.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from typing import TYPE_CHECKING, Any, Literal, Union

from pydantic import BaseModel, Field, ValidationError, create_model

from agent.plan import Plan, PlanStep
from agent.planner import PlannerInput, RespondInput, Response, StepResult
from agent.results import cited_in_text, gather_artifacts, gather_citations
from knowledge.config import Settings
from prompts import load_prompt, render_prompt
from tools.base import REGISTRY, ToolSpec

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage


class PlannerError(RuntimeError):
    """The model did not produce a valid plan within the allowed attempts."""


class PlanOutputStep(BaseModel):
    """Generic step used when a tool's input model cannot be expressed in the union schema."""

    tool: str = Field(description="A tool name from the list.")
    args: dict[str, Any] = Field(default_factory=dict, description="Arguments for that tool.")
    summary: str = Field("", description="One short line for the user.")


class PlanOutput(BaseModel):
    """The structured output the model fills in."""

    steps: list[PlanOutputStep] = Field(default_factory=list)
    answer_now: bool = False
    clarification: str | None = None
    note: str = ""


def plan_json_schema(specs: list[ToolSpec]) -> dict[str, Any]:
    """The JSON schema the model decodes against: steps are an `anyOf` of one variant per tool.

    Each variant pins `tool` to a constant and types `args` with that tool's input model, so a
    constrained decoder (llama.cpp grammar, vLLM guided decoding, OpenAI structured outputs) can
    only emit well-typed calls. `anyOf` rather than a discriminated `oneOf`: it is the form every
    one of those backends accepts. Falls back to the generic `PlanOutput` schema when there are no
    tools or an input model has no JSON schema.
    """
    if not specs:
        return PlanOutput.model_json_schema()
    variants: list[Any] = []
    for spec in specs:
        variants.append(
            create_model(
                f"Step_{spec.name}",
                __doc__=(spec.description.splitlines() or [spec.name])[0],
                tool=(Literal[spec.name], ...),  # type: ignore[arg-type]
                args=(spec.input_model, ...),
                summary=(str, Field("", description="One short line for the user.")),
            )
        )
    step_type: Any = variants[0] if len(variants) == 1 else Union[tuple(variants)]  # noqa: UP007
    model: type[BaseModel] = create_model(
        "PlanOutput",
        __doc__=PlanOutput.__doc__,
        steps=(list[step_type], Field(default_factory=list)),
        answer_now=(bool, False),
        clarification=(str | None, None),
        note=(str, ""),
    )
    try:
        return model.model_json_schema()
    except Exception:  # an input model with a type JSON schema cannot express
        return PlanOutput.model_json_schema()


def tool_catalogue(specs: list[ToolSpec]) -> str:
    """Tool descriptions for the prompt: name, READ/WRITE, docstring, argument schema."""
    parts: list[str] = []
    for spec in specs:
        schema = spec.input_model.model_json_schema()
        props = {
            k: {
                kk: vv
                for kk, vv in v.items()
                if kk in ("type", "enum", "description", "default", "format", "anyOf")
            }
            for k, v in (schema.get("properties") or {}).items()
        }
        required = schema.get("required") or []
        parts.append(
            f"## {spec.name} ({spec.kind.value})\n{spec.description}\n"
            f"args: {json.dumps(props, ensure_ascii=False)}\nrequired: {json.dumps(required)}"
        )
    return "\n\n".join(parts)


def _compact(result: StepResult, limit: int) -> str:
    data = {
        "step_id": result.step_id,
        "tool": result.tool,
        "args": result.args,
        "ok": result.ok,
        "approval": result.approval,
        "result": result.result,
    }
    text = json.dumps(data, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 20] + ' …(truncated)"}'


def _results_block(results: list[StepResult], per_result: int, total: int) -> str:
    """Results as JSON lines, newest kept first when the total is too long."""
    lines: list[str] = []
    used = 0
    for r in reversed(results):
        line = _compact(r, per_result)
        if used + len(line) > total:
            lines.append("(older results omitted)")
            break
        lines.append(line)
        used += len(line)
    return "\n".join(reversed(lines)) or "(none)"


_JSON_OBJECT = re.compile(r"\{.*\}", re.S)


def _extract_json(text: str) -> str:
    """The JSON object inside a reply that may wrap it in prose or ``` fences."""
    fenced = re.search(r"```(?:json)?\s*(\{.*?\})\s*```", text, re.S)
    if fenced:
        return fenced.group(1)
    m = _JSON_OBJECT.search(text)
    return m.group(0) if m else text


def _usage(msg: AIMessage | None, prompt_chars: int) -> int:
    meta = getattr(msg, "usage_metadata", None) if msg is not None else None
    if meta and meta.get("total_tokens"):
        return int(meta["total_tokens"])
    # No usage reported (local servers, fakes): estimate ~3 characters per token.
    out = len(str(msg.content)) if msg is not None else 0
    return (prompt_chars + out) // 3


class LLMPlanner:
    """Plans and answers with a chat model; see the module docstring."""

    def __init__(
        self,
        model: BaseChatModel,
        *,
        max_attempts: int = 3,
        token_budget: int = 60_000,
        result_chars: int = 2_500,
        context_chars: int = 20_000,
        tools: list[str] | None = None,
    ) -> None:
        self.model = model
        self.max_attempts = max_attempts
        self.token_budget = token_budget
        self.result_chars = result_chars
        self.context_chars = context_chars
        self._tool_names = tools
        self._spent: dict[str, int] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_model_id(cls, model_id: str, settings: Settings) -> LLMPlanner:
        from agent.models import build_chat_model

        return cls(build_chat_model(model_id, settings))

    # --- tools and budget --------------------------------------------------------------------

    def specs(self) -> list[ToolSpec]:
        names = self._tool_names if self._tool_names is not None else sorted(REGISTRY)
        return [REGISTRY[n] for n in names if n in REGISTRY]

    @staticmethod
    def _turn_key(inp: PlannerInput) -> str:
        # Planners are shared between threads; a turn is identified by its conversation so far.
        h = hashlib.blake2b(digest_size=12)
        for m in inp.messages:
            h.update(f"{m.role}\x1f{m.text}\x1e".encode())
        return f"{inp.turn}:{h.hexdigest()}"

    def _spend(self, key: str, tokens: int) -> int:
        with self._lock:
            if len(self._spent) > 1000:
                self._spent.clear()
            self._spent[key] = self._spent.get(key, 0) + tokens
            return self._spent[key]

    def tokens_spent(self, inp: PlannerInput) -> int:
        """Tokens used so far in the turn `inp` belongs to."""
        return self._spent.get(self._turn_key(inp), 0)

    # --- prompts -----------------------------------------------------------------------------

    def _conversation(self, inp: PlannerInput) -> list[BaseMessage]:
        from langchain_core.messages import AIMessage, HumanMessage

        out: list[BaseMessage] = []
        for m in inp.messages[-12:]:
            out.append(HumanMessage(m.text) if m.role == "user" else AIMessage(m.text))
        return out

    def _context_block(self, inp: PlannerInput) -> str:
        half = self.context_chars // 2
        return (
            f"Earlier turns' results (for references):\n{_results_block(inp.history, self.result_chars, half)}\n\n"
            f"This turn's results so far:\n{_results_block(inp.results, self.result_chars, half)}"
        )

    # --- structured output ---------------------------------------------------------------------

    def _structured(self, schema: dict[str, Any]) -> Any:
        """The model bound to json_schema structured output, or None when it has no such mode."""
        try:
            return self.model.with_structured_output(schema, method="json_schema", include_raw=True)
        except NotImplementedError:
            return None

    def _invoke_structured(
        self, schema: dict[str, Any], messages: list[BaseMessage]
    ) -> tuple[AIMessage | None, PlanOutput | None, str | None]:
        """(raw reply, parsed plan, error), using the model's json_schema mode when it has one.

        Validation is ours (PlanOutput + per-tool input models) so the feedback to the model names
        the exact step and field, instead of a union's wall of alternatives.
        """
        from langchain_core.messages import AIMessage

        runnable = self._structured(schema)
        raw: AIMessage | None
        data: Any
        if runnable is not None:
            out: Any = runnable.invoke(messages)
            raw = out.get("raw") if isinstance(out, dict) else None
            data = out.get("parsed") if isinstance(out, dict) else out
            err = out.get("parsing_error") if isinstance(out, dict) else None
            if err is not None or data is None:
                return raw, None, f"not valid JSON: {err}" if err else "empty reply"
        else:
            # Models without structured output support: the schema is in the prompt; parse the text.
            reply = self.model.invoke(messages)
            raw = reply if isinstance(reply, AIMessage) else AIMessage(content=str(reply.content))
            try:
                data = json.loads(_extract_json(raw.text))
            except json.JSONDecodeError as exc:
                return raw, None, f"not valid JSON: {exc}"
        try:
            return raw, PlanOutput.model_validate(data), None
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'plan'}: {e['msg']}" for e in exc.errors()
            )
            return raw, None, problems

    def _check(self, parsed: PlanOutput) -> tuple[Plan | None, list[str]]:
        """Convert to a Plan; list problems (unknown tools, invalid args) for feedback."""
        problems: list[str] = []
        steps: list[PlanStep] = []
        for i, raw in enumerate(parsed.steps, start=1):
            name = raw.tool
            args = raw.args
            spec = REGISTRY.get(name)
            if spec is None:
                problems.append(
                    f"steps[{i}].tool: unknown tool {name!r}; use one of {', '.join(sorted(REGISTRY))}"
                )
                continue
            try:
                spec.input_model.model_validate(args)
            except ValidationError as exc:
                for e in exc.errors():
                    loc = ".".join(str(p) for p in e["loc"])
                    problems.append(f"steps[{i}].args.{loc}: {e['msg']}")
                continue
            steps.append(PlanStep(id="", tool=name, args=args, summary=raw.summary))
        if problems:
            return None, problems
        return (
            Plan(
                steps=steps,
                answer_now=parsed.answer_now and not steps,
                clarification=parsed.clarification or None,
                note=parsed.note,
            ),
            [],
        )

    # --- Planner protocol ------------------------------------------------------------------------

    def plan(self, inp: PlannerInput) -> Plan:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        lang = inp.lang
        key = self._turn_key(inp)
        if self.tokens_spent(inp) >= self.token_budget:
            return Plan(answer_now=True, lang=lang, note=_BUDGET[lang])
        specs = self.specs()
        schema = plan_json_schema(specs)
        system = render_prompt(
            "planner",
            lang,
            system=load_prompt("system", lang),
            today=inp.today,
            steps_left=inp.steps_left,
            tools=tool_catalogue(specs),
        )
        if self._structured(schema) is None:
            # Without constrained decoding the model only knows the shape from the prompt.
            system += "\n\n# JSON schema\n" + json.dumps(schema, ensure_ascii=False)
        messages: list[BaseMessage] = [
            SystemMessage(system),
            *self._conversation(inp),
            HumanMessage(self._context_block(inp) + "\n\n" + _ASK_PLAN[lang]),
        ]
        last_error = ""
        for _attempt in range(self.max_attempts):
            prompt_chars = sum(len(str(m.content)) for m in messages)
            raw, parsed, error = self._invoke_structured(schema, messages)
            spent = self._spend(key, _usage(raw, prompt_chars))
            plan: Plan | None = None
            problems: list[str] = []
            if parsed is not None:
                plan, problems = self._check(parsed)
            elif error:
                problems = [_short(error)]
            else:
                problems = ["empty reply"]
            if plan is not None:
                if len(plan.steps) > inp.steps_left:
                    plan = plan.model_copy(update={"steps": plan.steps[: inp.steps_left]})
                return plan.model_copy(update={"lang": lang})
            last_error = "; ".join(problems)
            if spent >= self.token_budget:
                return Plan(answer_now=True, lang=lang, note=_BUDGET[lang])
            messages += [
                AIMessage(str(raw.content) if raw is not None else ""),
                HumanMessage(_RETRY[lang].format(errors="\n".join(f"- {p}" for p in problems))),
            ]
        raise PlannerError(f"no valid plan after {self.max_attempts} attempts: {last_error}")

    def respond(self, inp: RespondInput) -> Response:
        from langchain_core.messages import HumanMessage, SystemMessage

        lang = inp.lang
        citations = gather_citations(inp.results)
        artifacts = gather_artifacts(inp.results)
        if inp.clarification and not inp.results:
            return Response(text=inp.clarification)
        system = render_prompt("responder", lang, system=load_prompt("system", lang))
        block = f"Tool results of this turn:\n{_results_block(inp.results, self.result_chars, self.context_chars)}"
        if inp.note:
            block += f"\n\nNote from the system: {inp.note}"
        if inp.clarification:
            block += f"\n\nAlso ask the user: {inp.clarification}"
        messages: list[BaseMessage] = [
            SystemMessage(system),
            *self._conversation(inp),
            HumanMessage(block + "\n\n" + _ASK_ANSWER[lang]),
        ]
        reply = self.model.invoke(messages)
        self._spend(self._turn_key(inp), _usage(reply, sum(len(str(m.content)) for m in messages)))
        text = (reply.text if hasattr(reply, "text") else str(reply.content)).strip()
        if not text:
            raise PlannerError("the model returned an empty answer")
        return Response(text=text, citations=cited_in_text(citations, text), artifacts=artifacts)


def _short(error: str, n: int = 600) -> str:
    return error if len(error) <= n else error[:n] + "…"


_BUDGET = {
    "en": "Token budget for this turn reached; answering with the results so far.",
    "zh": "本轮 token 预算已用完，先根据现有结果回答。",
}
_ASK_PLAN = {
    "en": "Return the JSON plan for the user's latest message now.",
    "zh": "现在针对用户的最新消息返回 JSON 计划。",
}
_ASK_ANSWER = {
    "en": "Now answer the user's latest message from these results only.",
    "zh": "现在只依据这些结果回答用户的最新消息。",
}
_RETRY = {
    "en": "Your previous output was not a valid plan:\n{errors}\nReturn only a corrected JSON object that matches the schema.",
    "zh": "你上一次的输出不是有效的计划：\n{errors}\n请只返回一个符合模式的、修正后的 JSON 对象。",
}
