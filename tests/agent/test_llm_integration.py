"""Against a real OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, DeepSeek, Qwen ...).

Runs only when CHENGGUO_TEST_LLM_BASE_URL is set (model: CHENGGUO_TEST_LLM_MODEL, key:
CHENGGUO_TEST_LLM_API_KEY). Uses the fake tools so the check is about planning, not data.
"""

from __future__ import annotations

import os

import pytest

from agent.events import Decision
from agent.llm_planner import LLMPlanner
from agent.models import build_chat_model
from agent.runtime import Agent
from knowledge.config import Settings
from tests.agent import fakes
from tests.agent.conftest import TODAY, steps

BASE_URL = os.environ.get("CHENGGUO_TEST_LLM_BASE_URL")

pytestmark = [
    pytest.mark.llm_integration,
    pytest.mark.skipif(not BASE_URL, reason="CHENGGUO_TEST_LLM_BASE_URL is not set (no LLM endpoint here)"),
]


def _planner() -> LLMPlanner:
    s = Settings(openai_base_url=BASE_URL, openai_api_key=os.environ.get("CHENGGUO_TEST_LLM_API_KEY"))
    model = build_chat_model("openai:" + os.environ.get("CHENGGUO_TEST_LLM_MODEL", "default"), s)
    return LLMPlanner(model, tools=["fake_search", "fake_availability", "fake_hold"])


def test_real_model_plans_a_search_and_answers(settings: Settings) -> None:
    with Agent(settings, planner=_planner(), today=TODAY) as a:
        events = list(a.stream("it-1", "Search the achievements about hydrogen electrolysers."))
    assert any(d["tool"] == "fake_search" for d in steps(events, "done"))
    msg = next(e for e in events if e.event == "message").data
    assert msg["text"].strip()
    assert all(c["id"].startswith("ACH-") for c in msg["citations"])


def test_real_model_hold_goes_through_approval(settings: Settings) -> None:
    with Agent(settings, planner=_planner(), today=TODAY) as a:
        first = list(a.stream("it-2", "Check FAC-0001 for 3 days, then hold 2026-12-01 to 2026-12-04 there."))
        assert first[-1].data["interrupted"] is True, "a hold must stop for approval"
        assert fakes.holds(settings) == []
        list(a.stream("it-2", decision=Decision(action="approve")))
        list(a.stream("it-2", decision=Decision(action="approve")))
    assert len(fakes.holds(settings)) == 1
