"""The LLM planner with scripted chat models: a good plan, malformed JSON then a retry, a tool
error fed back, the token budget, invalid tools/args, and the real ChatOpenAI json_schema path
against a mocked OpenAI-compatible endpoint (no network)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult
from pydantic import Field

from agent.events import Decision, Event
from agent.llm_planner import LLMPlanner, PlannerError, plan_json_schema, tool_catalogue
from agent.models import ModelSetupError, build_chat_model
from agent.planner import Message, PlannerInput
from agent.runtime import Agent
from knowledge.config import Settings
from tests.agent import fakes
from tests.agent.conftest import TODAY, kinds, steps
from tools.base import REGISTRY

FAKE_TOOLS = ["fake_search", "fake_availability", "fake_hold", "fake_fail"]


class RecordingFake(GenericFakeChatModel):
    """GenericFakeChatModel that remembers the prompts it was given (it has no structured output mode)."""

    prompts: list[list[BaseMessage]] = Field(default_factory=list)

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        self.prompts.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kw)


def scripted(*replies: str) -> RecordingFake:
    return RecordingFake(messages=iter(replies))


def plan_json(*steps: tuple[str, dict[str, Any]], answer_now: bool = False, note: str = "") -> str:
    return json.dumps(
        {
            "steps": [{"tool": t, "args": a, "summary": f"run {t}"} for t, a in steps],
            "answer_now": answer_now,
            "note": note,
        }
    )


def run(settings: Settings, planner: LLMPlanner, text: str, thread: str = "llm", **kw: Any) -> list[Event]:
    with Agent(settings, planner=planner, today=TODAY, **kw) as a:
        return list(a.stream(thread, text))


def test_good_plan_runs_tools_and_the_model_composes_the_answer(settings: Settings) -> None:
    model = scripted(
        plan_json(("fake_search", {"query": "储能", "n": 3}), note="search"),
        plan_json(answer_now=True),
        "Found ACH-0002 (储能 result 2) as the best fit.",
    )
    events = run(settings, LLMPlanner(model, tools=FAKE_TOOLS), "find storage achievements")
    assert kinds(events)[0] == "plan"
    assert events[0].data["steps"][0]["args"] == {"query": "储能", "n": 3}
    done = steps(events, "done")
    assert len(done) == 1 and len(done[0]["result"]["hits"]) == 3
    msg = next(e for e in events if e.event == "message").data
    assert msg["text"] == "Found ACH-0002 (储能 result 2) as the best fit."
    # citations come from the results, narrowed to the ids the answer mentions
    assert [c["id"] for c in msg["citations"]] == ["ACH-0002"]
    # the planner prompt carried the tool catalogue and today; the answer prompt carried the results
    system = model.prompts[0][0].content
    assert "## fake_hold (WRITE)" in system and "2026-11-22" in system
    assert '"ACH-0003"' in model.prompts[2][-1].content


def test_malformed_json_is_retried_with_the_error(settings: Settings) -> None:
    model = scripted(
        "Sure! here is the plan: {steps: [fake_search",
        plan_json(("fake_search", {"query": "x"})),
        plan_json(answer_now=True),
        "Done: ACH-0001.",
    )
    events = run(settings, LLMPlanner(model, tools=FAKE_TOOLS), "search x")
    assert len(steps(events, "done")) == 1
    retry_prompt = model.prompts[1]
    assert isinstance(retry_prompt[-2], AIMessage) and "Sure! here is the plan" in retry_prompt[-2].content
    assert "not valid JSON" in retry_prompt[-1].content
    # the fallback path puts the schema in the prompt, since the fake has no structured output mode
    assert "# JSON schema" in model.prompts[0][0].content


def test_unknown_tool_and_bad_args_are_fed_back(settings: Settings) -> None:
    model = scripted(
        plan_json(("teleport", {}), ("fake_availability", {"days": 3})),
        plan_json(("fake_availability", {"facility_id": "FAC-1"})),
        plan_json(answer_now=True),
        "FAC-1 is free.",
    )
    events = run(settings, LLMPlanner(model, tools=FAKE_TOOLS), "is FAC-1 free")
    feedback = model.prompts[1][-1].content
    assert "steps[1].tool: unknown tool 'teleport'" in feedback
    assert "steps[2].args.facility_id: Field required" in feedback
    assert [d["tool"] for d in steps(events, "done")] == ["fake_availability"]


def test_tool_error_is_fed_back_to_the_model(settings: Settings) -> None:
    model = scripted(
        plan_json(("fake_fail", {"code": "unknown_id"})),
        plan_json(("fake_search", {"query": "fallback"})),
        plan_json(answer_now=True),
        "The id was unknown; ACH-0001 is an alternative.",
    )
    events = run(settings, LLMPlanner(model, tools=FAKE_TOOLS), "get ACH-9999")
    assert [d["status"] for d in steps(events) if d["status"] != "started"] == ["error", "done"]
    second_plan_prompt = model.prompts[1][-1].content
    assert '"ok": false' in second_plan_prompt and "fake failure unknown_id" in second_plan_prompt


def test_token_budget_stops_planning(settings: Settings) -> None:
    model = scripted(
        plan_json(("fake_search", {"query": "a"})),
        "Answer from one search: ACH-0001.",
    )
    planner = LLMPlanner(model, tools=FAKE_TOOLS, token_budget=50)  # the first call alone exceeds it
    events = run(settings, planner, "search a")
    assert len(steps(events, "done")) == 1
    assert len(model.prompts) == 2  # plan once, then straight to the answer
    assert "Token budget" in model.prompts[1][-1].content  # the note reached the responder
    assert next(e for e in events if e.event == "message").data["text"] == "Answer from one search: ACH-0001."


def test_step_budget_applies_to_the_llm_loop(settings: Settings) -> None:
    replies = [plan_json(("fake_search", {"query": f"q{i}"})) for i in range(3)] + ["Three searches done."]
    events = run(settings, LLMPlanner(scripted(*replies), tools=FAKE_TOOLS), "keep searching", max_steps=3)
    assert len(steps(events, "done")) == 3
    assert next(e for e in events if e.event == "message").data["text"] == "Three searches done."


def test_exhausted_retries_raise_and_the_graph_reports_it(settings: Settings) -> None:
    model = scripted("nope", "still nope", "never json", "I could not plan that.")
    planner = LLMPlanner(model, tools=FAKE_TOOLS, max_attempts=3)
    inp = PlannerInput(messages=[Message(role="user", text="x")], today="2026-11-22")
    with pytest.raises(PlannerError, match="after 3 attempts"):
        planner.plan(inp)
    events = run(settings, LLMPlanner(scripted("nope", "nope", "nope", "Sorry."), tools=FAKE_TOOLS), "x")
    err = next(e for e in events if e.event == "error")
    assert err.data["code"] == "planner_error"
    assert next(e for e in events if e.event == "message").data["text"] == "Sorry."


def test_write_steps_from_the_llm_still_need_approval(settings: Settings) -> None:
    model = scripted(
        plan_json(("fake_hold", {"facility_id": "FAC-2", "start": "2026-12-01", "end": "2026-12-03"})),
        plan_json(answer_now=True),
        "Held as HOLD-1.",
    )
    with Agent(settings, planner=LLMPlanner(model, tools=FAKE_TOOLS), today=TODAY) as a:
        first = list(a.stream("llm-w", "hold FAC-2"))
        assert first[-1].data["interrupted"] is True and fakes.holds(settings) == []
        second = list(a.stream("llm-w", decision=Decision(action="approve")))
    assert steps(second, "done")[0]["result"]["reference"] == "HOLD-1"
    assert len(fakes.holds(settings)) == 1


def test_plan_schema_types_each_tool() -> None:
    schema = plan_json_schema([REGISTRY[n] for n in FAKE_TOOLS])
    variants = schema["properties"]["steps"]["items"]["anyOf"]
    assert len(variants) == 4
    hold = schema["$defs"]["Step_fake_hold"]
    assert hold["properties"]["tool"]["const"] == "fake_hold"
    catalogue = tool_catalogue([REGISTRY["fake_search"]])
    assert catalogue.startswith("## fake_search (READ)") and '"query"' in catalogue


# --- the real ChatOpenAI json_schema path, against a mocked OpenAI-compatible server ----------


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "qwen-test",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def _mock_openai(replies: list[str]) -> tuple[httpx.Client, list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []
    it: Iterator[str] = iter(replies)

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append({"url": str(request.url), "body": body})
        return httpx.Response(200, json=_completion(next(it)))

    return httpx.Client(transport=httpx.MockTransport(handler)), seen


def test_chatopenai_json_schema_path(settings: Settings) -> None:
    from langchain_openai import ChatOpenAI

    client, seen = _mock_openai(
        [plan_json(("fake_search", {"query": "hydrogen"})), plan_json(answer_now=True), "ACH-0001 fits."]
    )
    model = ChatOpenAI(model="qwen-test", base_url="http://llm.local/v1", api_key="k", http_client=client)
    planner = LLMPlanner(model, tools=FAKE_TOOLS)
    events = run(settings, planner, "hydrogen achievements")
    assert len(steps(events, "done")) == 1
    assert next(e for e in events if e.event == "message").data["text"] == "ACH-0001 fits."
    first = seen[0]
    assert first["url"] == "http://llm.local/v1/chat/completions"
    rf = first["body"]["response_format"]
    assert rf["type"] == "json_schema" and rf["json_schema"]["name"] == "PlanOutput"
    assert "Step_fake_hold" in json.dumps(rf["json_schema"]["schema"])
    assert "response_format" not in seen[2]["body"]  # the answer is free text
    # constrained decoding carries the schema, so the prompt does not repeat it
    assert "# JSON schema" not in first["body"]["messages"][0]["content"]
    # usage reported by the server counts against the token budget (2 plan calls + 1 answer)
    assert sum(planner._spent.values()) == 3 * 120


def test_build_chat_model_routes_openai_compatible_endpoints() -> None:
    from langchain_openai import ChatOpenAI

    s = Settings(openai_base_url="http://localhost:8080/v1", openai_api_key=None)
    m = build_chat_model("openai:qwen2.5-7b-instruct", s)
    assert isinstance(m, ChatOpenAI)
    assert m.model_name == "qwen2.5-7b-instruct" and str(m.openai_api_base) == "http://localhost:8080/v1"
    assert m.temperature == 0
    with pytest.raises(ModelSetupError, match="provider:name"):
        build_chat_model("gpt4", s)
