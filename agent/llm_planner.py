"""The LLM planner: a chat model reads the message, code plans and answers.

One contract for both planners: the model fills the typed reading of agent/llm_reading.py (jobs + corpus
slots), agent/llm_merge.py turns it into the builtin `Understanding`, and the builtin planner's job chains
build the plan (`BuiltinPlanner.plan_from`). Tools, arguments, approvals, stopping and the grounded answer
with citations are the same code on both paths; the model never writes a tool call or a figure.

The model is asked once per turn (the graph re-plans before every step; the reading is cached by the turn's
conversation). Any failure — an error, a timeout, invalid output after the retry, a cut or looping reply, a
reading the builtin layer contradicts with high confidence — falls back to the builtin reading for that turn,
and the answer says so in one line. So the LLM path is never worse than the builtin planner and no turn ends
in a planner error because of the model.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agent.builtin.planner import BuiltinPlanner, Understanding, last_user_text
from agent.builtin.texts import intent_label
from agent.llm_call import ModelFailure, ReadingCaller, context_window
from agent.llm_merge import Contradiction, merge
from agent.plan import Plan
from agent.planner import PlannerInput, RespondInput, Response
from knowledge.config import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


class PlannerError(RuntimeError):
    """Kept for callers that catch it; the LLM planner itself falls back instead of raising."""


@dataclass(frozen=True)
class TurnReading:
    """What this turn's model call came to: the merged understanding's inputs, or why it fell back."""

    reading: object | None  # ModelReading when the model's reading is used
    fallback: str | None  # the reason (timeout, invalid, contradicted …) when the builtin reading is used


_FALLBACK = {
    "en": "(The model's reading was not usable this turn — {why}; answered with the builtin reading.)",
    "zh": "（本轮模型理解不可用——{why}；已改用内置理解作答。）",
}
_WHY = {
    "timeout": ("it timed out", "超时"),
    "error": ("the model server returned an error", "模型服务出错"),
    "length": ("its reply was cut off", "输出被截断"),
    "repetition": ("its reply repeated itself", "输出重复"),
    "invalid": ("its reply was not a valid reading", "输出格式无效"),
    "window": ("the message does not fit its context window", "消息超出上下文窗口"),
    "contradicted": ("the builtin reading disagreed with high confidence", "与内置理解高置信度冲突"),
}


def fallback_line(reason: str, lang: str) -> str:
    en, zh = _WHY.get(reason, _WHY["error"])
    return _FALLBACK["zh" if lang == "zh" else "en"].format(why=zh if lang == "zh" else en)


class LLMPlanner:
    """Reads with a chat model, plans and answers with the builtin planner's code; see the module docstring."""

    def __init__(
        self,
        model: BaseChatModel,
        *,
        settings: Settings | None = None,
        builtin: BuiltinPlanner | None = None,
        context_tokens: int = 4096,
        max_tokens: int = 256,
        timeout_s: float = 45.0,
        attempts: int = 2,
        structured: bool = True,
    ) -> None:
        self.model = model
        self.builtin = builtin or BuiltinPlanner(settings=settings)
        self.caller = ReadingCaller(
            model,
            context_tokens=context_tokens,
            max_tokens=max_tokens,
            timeout_s=timeout_s,
            attempts=attempts,
            structured=structured,
        )
        self._turns: OrderedDict[str, TurnReading] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_model_id(cls, model_id: str, settings: Settings) -> LLMPlanner:
        from agent.models import build_chat_model

        timeout = settings.llm_timeout_s
        # The client gives up with the watchdog (and closes the connection, which stops llama.cpp generating);
        # retries are ours, with a fresh prompt, not the client's identical resend.
        model = build_chat_model(model_id, settings, timeout=timeout, max_retries=0)
        window = settings.llm_context_tokens or context_window(settings.openai_base_url) or 4096
        return cls(
            model,
            settings=settings,
            context_tokens=window,
            max_tokens=settings.llm_max_tokens,
            timeout_s=timeout,
        )

    def named_spans(self, text: str) -> list[tuple[int, int]]:
        """Where `text` names a stored record exactly: not the user's words (the message language)."""
        return self.builtin.named_spans(text)

    # --- the turn's reading --------------------------------------------------------------------

    @staticmethod
    def _turn_key(inp: PlannerInput) -> str:
        # Planners are shared between threads; a turn is identified by its conversation so far.
        h = hashlib.blake2b(digest_size=12)
        for m in inp.messages:
            h.update(f"{m.role}\x1f{m.text}\x1e".encode())
        return f"{inp.turn}:{h.hexdigest()}"

    def _read(self, inp: PlannerInput) -> TurnReading:
        key = self._turn_key(inp)
        with self._lock:
            if key in self._turns:
                return self._turns[key]
        text = last_user_text(inp)
        previous = [m.text for m in inp.messages[:-1] if m.role == "user"][-2:]
        try:
            got = TurnReading(self.caller.read(text, inp.today, inp.frame, previous), None)
        except ModelFailure as exc:
            got = TurnReading(None, exc.reason)
        with self._lock:
            self._turns[key] = got
            while len(self._turns) > 256:
                self._turns.popitem(last=False)
        return got

    def understanding(self, inp: PlannerInput) -> tuple[Understanding, str | None]:
        """(the understanding to plan from, the fallback reason or None)."""
        u = self.builtin.understand(inp)
        if not last_user_text(inp).strip():
            return u, None
        got = self._read(inp)
        if got.reading is None:
            return u, got.fallback
        from agent.llm_reading import ModelReading

        assert isinstance(got.reading, ModelReading)
        try:
            return merge(u, got.reading, list(inp.frame.jobs)), None
        except Contradiction:
            return u, "contradicted"

    # --- Planner protocol ------------------------------------------------------------------------

    def plan(self, inp: PlannerInput) -> Plan:
        u, fallback = self.understanding(inp)
        plan = self.builtin.plan_from(inp, u)
        if fallback is None and u.intents and not plan.note:
            jobs = " → ".join(intent_label(i.name, inp.lang) for i in u.intents)
            plan = plan.model_copy(update={"note": jobs})
        return plan

    def respond(self, inp: RespondInput) -> Response:
        """The builtin responder over the same reading the plan used: facts only from tool results,
        citations gathered and checked in code.

        Why not model-written prose: on the small local models this path targets, every generated token
        costs about a second on 2 shared cores (docs/agent.md), and an answer must not invent a figure; the
        builtin answer is grounded by construction, so the model reads and code answers.
        """
        from agent.builtin.respond import respond

        u, reason = self.understanding(inp)  # cached: no second model call
        resp = respond(inp, self.builtin, u=u)
        if reason:
            resp = resp.model_copy(update={"text": fallback_line(reason, inp.lang) + "\n\n" + resp.text})
        return resp
