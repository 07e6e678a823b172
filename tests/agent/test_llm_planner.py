"""The LLM planner with scripted chat models (no real model): the model fills the typed reading, the
builtin planner's job chains build the plan; every model failure falls back to the builtin reading for
that turn with a one-line note; prompts are sized, retries are fresh and never longer, loops are caught."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from agent.builtin.planner import BuiltinPlanner
from agent.llm_call import ReadingCaller, context_window, estimate_tokens, repeats
from agent.llm_planner import LLMPlanner, fallback_line
from agent.llm_reading import parse_reading, reading_schema, system_prompt
from agent.models import ModelSetupError, build_chat_model
from agent.plan import Plan
from agent.planner import Message, PlannerInput, RespondInput
from knowledge.config import Settings

TODAY = "2026-12-05"


class Scripted(GenericFakeChatModel):
    """Replies from a script — a string, an AIMessage (to set finish_reason), an exception to raise, or
    ("sleep", seconds) — and records every prompt and call option."""

    script: list[Any] = Field(default_factory=list)
    prompts: list[list[BaseMessage]] = Field(default_factory=list)
    options: list[dict[str, Any]] = Field(default_factory=list)
    messages: Iterator[Any] = Field(default_factory=lambda: iter(()))

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        self.prompts.append(list(messages))
        self.options.append(dict(kw))
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, tuple) and item[0] == "sleep":
            time.sleep(item[1])
            item = '{"jobs": []}'
        msg = item if isinstance(item, AIMessage) else AIMessage(content=item)
        return ChatResult(generations=[ChatGeneration(message=msg)])


def reading(jobs: list[str], **slots: Any) -> str:
    return json.dumps({"jobs": jobs, "slots": slots}, ensure_ascii=False)


def inp(text: str, lang: str = "en", **kw: Any) -> PlannerInput:
    return PlannerInput(messages=[Message(role="user", text=text)], today=TODAY, lang=lang, **kw)


def planner(*script: Any, **kw: Any) -> tuple[LLMPlanner, Scripted]:
    model = Scripted(script=list(script))
    return LLMPlanner(model, builtin=BuiltinPlanner(), **kw), model


def calls(plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    return [(s.tool, s.args) for s in plan.steps]


# --- the reading -> plan path -------------------------------------------------------------------------


def test_the_reading_is_planned_by_the_builtin_job_chains() -> None:
    text = "FAC-0005 一月份有空吗"
    p, model = planner(
        reading(
            ["check_availability"],
            facilities=[{"id": "FAC-0005", "mention": "FAC-0005"}],
            dates={"start": "2027-01-01", "end": "2027-02-01"},
        )
    )
    plan = p.plan(inp(text, "zh"))
    assert calls(plan) == calls(BuiltinPlanner().plan(inp(text, "zh")))
    assert calls(plan) == [
        (
            "check_availability",
            {
                "days": 1,
                "facility_id": "FAC-0005",
                "earliest_start": "2027-01-01",
                "latest_end": "2027-02-01",
            },
        )
    ]
    opts = model.options[0]
    assert opts["max_tokens"] == 256
    assert opts["response_format"]["json_schema"]["name"] == "reading"
    # the graph re-plans before every step: the model is asked once per turn
    p.plan(inp(text, "zh"))
    assert len(model.prompts) == 1
    assert not p.respond(RespondInput(**inp(text, "zh").model_dump())).text.startswith("（本轮")


def test_a_job_the_builtin_rules_missed_comes_from_the_model_with_its_slots() -> None:
    text = "that PEM stack thing, anyone with deep pockets?"
    assert BuiltinPlanner().plan(inp(text)).steps == []
    p, _ = planner(reading(["find_partners"], org_kind=["investor"]))
    plan = p.plan(inp(text))
    assert [s.tool for s in plan.steps] == ["find_partners"]
    assert plan.steps[0].args["kinds"] == ["investor"]
    assert "did not understand" not in plan.note


def test_ids_the_user_did_not_write_are_dropped_and_builtin_slots_win() -> None:
    text = "Check FAC-0005 for 3 days in March 2027"
    p, _ = planner(
        reading(
            ["check_availability"],
            facilities=[{"id": "FAC-0001", "mention": "the line"}],  # copied from an example
            duration_days=30,
        )
    )
    plan = p.plan(inp(text))
    assert [(s.tool, s.args["facility_id"], s.args["days"]) for s in plan.steps] == [
        ("check_availability", "FAC-0005", 3)
    ]


def test_a_high_confidence_builtin_reading_overrides_a_contradicting_model() -> None:
    text = "release BK-2027-0001"
    p, _ = planner(reading(["find_partners"]))
    plan = p.plan(inp(text))
    assert calls(plan) == calls(BuiltinPlanner().plan(inp(text)))
    resp = p.respond(RespondInput(**inp(text).model_dump()))
    assert resp.text.startswith(fallback_line("contradicted", "en"))


# --- fallback ---------------------------------------------------------------------------------------


LENGTH = AIMessage(
    content='{"jobs": ["find_partners"], "slots": {"money": [{"va',
    response_metadata={"finish_reason": "length"},
)


@pytest.mark.parametrize(
    ("script", "reason", "n_calls"),
    [
        ([ConnectionError("connection refused"), ConnectionError("connection refused")], "error", 2),
        (["not json at all", "{still not"], "invalid", 2),
        ([LENGTH, LENGTH], "length", 2),
        ([httpx.ReadTimeout("read timed out")], "timeout", 1),
    ],
)
def test_any_model_failure_falls_back_to_the_builtin_reading(
    script: list[Any], reason: str, n_calls: int
) -> None:
    text = "找几家能投资ACH-0001的机构"
    p, model = planner(*script)
    plan = p.plan(inp(text, "zh"))
    assert calls(plan) == calls(BuiltinPlanner().plan(inp(text, "zh")))
    assert [s.tool for s in plan.steps] == ["find_partners"]
    assert len(model.prompts) == n_calls
    resp = p.respond(RespondInput(**inp(text, "zh").model_dump()))
    line = fallback_line(reason, "zh")
    assert resp.text.startswith(line + "\n\n") and line.count("\n") == 0
    assert [e.outcome for e in p.caller.log] == [reason] * n_calls


def test_a_slow_model_is_cut_at_the_turn_deadline() -> None:
    p, _ = planner(("sleep", 2.0), timeout_s=0.3)
    t0 = time.perf_counter()
    plan = p.plan(inp("Search achievements about hydrogen electrolysers"))
    assert time.perf_counter() - t0 < 1.5
    assert [s.tool for s in plan.steps] == ["search_achievements"]
    assert [e.outcome for e in p.caller.log] == ["timeout"]
    resp = p.respond(RespondInput(**inp("Search achievements about hydrogen electrolysers").model_dump()))
    assert resp.text.splitlines()[0] == fallback_line("timeout", "en")


# --- sizing and retries -------------------------------------------------------------------------------


def test_a_retry_is_a_fresh_shorter_prompt_without_the_bad_output() -> None:
    frame_inp = PlannerInput(
        messages=[
            Message(role="user", text="Check FAC-0005 in March 2027 for 3 days"),
            Message(role="assistant", text="FAC-0005 has 2027-03-02 … 2027-03-05 free."),
            Message(role="user", text="what about April?"),
        ],
        today=TODAY,
        lang="en",
        turn=1,
    )
    frame_inp.frame.jobs = ["check_availability"]
    bad = '{"jobs": ["check_availability"], "slots": {"dates": "April"'
    p, model = planner(bad, reading(["check_availability"]))
    p.plan(frame_inp)
    first, second = model.prompts
    assert len(first) == len(second) == 2  # system + one user message, never the bad reply appended
    assert first[0].content == second[0].content  # the static system prompt (server prompt cache)
    assert len(str(second[1].content)) < len(str(first[1].content))
    assert "Earlier message" in str(first[1].content) and "Earlier message" not in str(second[1].content)
    assert bad not in str(second[1].content)
    assert "frequency_penalty" not in model.options[0] and model.options[1]["frequency_penalty"] > 0
    assert [e.outcome for e in p.caller.log] == ["invalid", "ok"]


def test_the_repetition_guard_rejects_a_looping_reply() -> None:
    loop = '{"jobs": [' + '"find_facilities", ' * 12
    assert repeats(loop) and not repeats(reading(["find_facilities", "check_availability"]))
    p, _ = planner(loop, reading(["find_facilities"]))
    plan = p.plan(inp("any pilot lines for perovskite modules?"))
    assert [s.tool for s in plan.steps] == ["find_facilities"]
    assert [e.outcome for e in p.caller.log] == ["repetition", "ok"]


def test_the_prompt_fits_a_4k_window_with_the_real_registry() -> None:
    import tools.registry  # noqa: F401  (the real tools)
    from tools.base import REGISTRY

    assert len(REGISTRY) >= 12
    system = system_prompt()
    # the prompt lists jobs and slots, not the tools' docstrings (their examples were copied into calls)
    assert all(spec.description.splitlines()[0] not in system for spec in REGISTRY.values())
    assert estimate_tokens(system) < 1_000
    caller = ReadingCaller(Scripted(), context_tokens=4096, max_tokens=256)
    long_text = "我们有一项固态电池成果，" * 400  # ~4,800 characters, more than the window
    previous = ["Earlier request about hydrogen, " * 60, "另一个早先的问题" * 80]
    msgs = caller.messages(long_text, TODAY, None, previous, short=False)
    used = sum(estimate_tokens(str(m.content)) for m in msgs)
    assert used <= 4096 - 256
    assert "Message: 我们有一项固态电池成果" in str(msgs[1].content)


def test_the_reading_schema_bounds_what_a_decoder_can_emit() -> None:
    schema = reading_schema()
    jobs = schema["properties"]["jobs"]
    assert jobs["uniqueItems"] is True and jobs["maxItems"] == 4
    assert "tools" not in json.dumps(schema) and len(json.dumps(schema)) < 5_000
    r = parse_reading(
        '```json\n{"jobs": ["hold_slot", "teleport", "hold_slot"], "slots": {"region": []}}\n```'
    )
    assert r.jobs == ["hold_slot"]


def test_the_context_window_is_read_from_the_server() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/props":
            return httpx.Response(200, json={"default_generation_settings": {"n_ctx": 8192}})
        return httpx.Response(404)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    assert context_window("http://llm.local/v1", client=client) == 8192

    def models_only(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/models":
            return httpx.Response(200, json={"data": [{"id": "q", "meta": {"n_ctx": 4096}}]})
        return httpx.Response(404)

    assert (
        context_window("http://llm.local/v1", client=httpx.Client(transport=httpx.MockTransport(models_only)))
        == 4096
    )
    assert context_window(None) is None


# --- the real ChatOpenAI client on the wire ----------------------------------------------------------


def test_chatopenai_sends_max_tokens_and_the_reading_schema() -> None:
    from langchain_openai import ChatOpenAI

    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append(body)
        return httpx.Response(
            200,
            json={
                "id": "c1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reading(["search_achievements"])},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 850, "completion_tokens": 12, "total_tokens": 862},
            },
        )

    client = httpx.Client(transport=httpx.MockTransport(handler))
    model = ChatOpenAI(
        model="qwen-test", base_url="http://llm.local/v1", api_key="k", http_client=client, max_retries=0
    )
    p = LLMPlanner(model, builtin=BuiltinPlanner())
    plan = p.plan(inp("Search achievements about hydrogen electrolysers"))
    assert [s.tool for s in plan.steps] == ["search_achievements"]
    body = seen[0]
    # langchain-openai sends max_tokens as max_completion_tokens; llama.cpp's server honours both
    assert body["max_completion_tokens"] == 256 and "tools" not in body
    assert body["response_format"]["json_schema"]["schema"]["properties"]["jobs"]["maxItems"] == 4
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert p.caller.log[0].prompt_tokens == 850  # the server's count, for the bench


def test_build_chat_model_routes_openai_compatible_endpoints() -> None:
    from langchain_openai import ChatOpenAI

    s = Settings(openai_base_url="http://localhost:8080/v1", openai_api_key=None)
    m = build_chat_model("openai:qwen2.5-7b-instruct", s, timeout=30, max_retries=0)
    assert isinstance(m, ChatOpenAI)
    assert m.model_name == "qwen2.5-7b-instruct" and str(m.openai_api_base) == "http://localhost:8080/v1"
    assert m.temperature == 0 and m.max_retries == 0
    with pytest.raises(ModelSetupError, match="provider:name"):
        build_chat_model("gpt4", s)
