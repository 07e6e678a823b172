"""Against a real OpenAI-compatible endpoint (llama.cpp's server, vLLM, Ollama, DeepSeek, Qwen ...).

Opt-in: runs only when CHENGGUO_TEST_LLM_BASE_URL is set (model: CHENGGUO_TEST_LLM_MODEL, key:
CHENGGUO_TEST_LLM_API_KEY); `python -m bench.llm` is the measurement. The real 12-job registry and the
builtin job chains plan from the model's reading; the prompt must fit the server's window.
"""

from __future__ import annotations

import os

import pytest

from agent.llm_call import context_window
from agent.llm_planner import LLMPlanner
from agent.planner import Message, PlannerInput
from knowledge.config import Settings

BASE_URL = os.environ.get("CHENGGUO_TEST_LLM_BASE_URL")

pytestmark = [
    pytest.mark.llm_integration,
    pytest.mark.skipif(not BASE_URL, reason="CHENGGUO_TEST_LLM_BASE_URL is not set (no LLM endpoint here)"),
]


def _planner() -> LLMPlanner:
    s = Settings(openai_base_url=BASE_URL, openai_api_key=os.environ.get("CHENGGUO_TEST_LLM_API_KEY"))
    return LLMPlanner.from_model_id("openai:" + os.environ.get("CHENGGUO_TEST_LLM_MODEL", "default"), s)


def _inp(text: str, lang: str) -> PlannerInput:
    return PlannerInput(messages=[Message(role="user", text=text)], today="2026-12-05", lang=lang)


def test_real_model_reads_a_calendar_request_into_the_builtin_plan() -> None:
    p = _planner()
    plan = p.plan(_inp("FAC-0005 一月份有空吗", "zh"))
    assert [(s.tool, s.args["facility_id"]) for s in plan.steps] == [("check_availability", "FAC-0005")]
    assert p.caller.log and p.caller.log[-1].prompt_tokens <= 2000


def test_the_prompt_fits_the_servers_window() -> None:
    import tools.registry  # noqa: F401

    window = context_window(BASE_URL)
    assert window is not None and window >= 2048
    p = _planner()
    assert p.caller.context_tokens == window
    p.plan(_inp("Search achievements about hydrogen electrolysers. " * 40, "en"))
    assert all(e.outcome != "error" for e in p.caller.log)  # no HTTP 400 (context exceeded)
    assert max(e.prompt_tokens for e in p.caller.log) <= window - p.caller.max_tokens
