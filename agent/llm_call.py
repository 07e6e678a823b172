"""Calling a chat model for a reading, sized to the model: window, max_tokens, timeout, retries, repetition.

- The context window comes from the server (llama.cpp's /props or /v1/models) or a setting; the prompt is
  trimmed to fit it with room for the answer (earlier messages go first, then the message is shortened).
- Every call has `max_tokens` and a wall-clock timeout (a watchdog thread, so it holds for any model).
- A failed attempt is retried with a fresh, shorter prompt (no context) and a frequency penalty — never
  with the bad output appended: at temperature 0 the same prompt gives the same output, and appending
  it grew prompts past the window.
- A repetition guard rejects replies that loop ("find_facilities", "find_facilities", …), and the
  schema bounds every array and string so a grammar-constrained decoder cannot loop for long.
Every failure is a `ModelFailure` with a reason; the planner turns it into the builtin reading.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from agent.frame import Frame
from agent.llm_reading import (
    ModelReading,
    ReadingError,
    parse_reading,
    reading_schema,
    system_prompt,
    user_prompt,
)

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

Reason = Literal["error", "timeout", "length", "repetition", "invalid", "window"]


class ModelFailure(RuntimeError):
    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason: Reason = reason
        self.detail = detail


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """A conservative token count without the model's tokenizer: a CJK character is about one token
    (Qwen: 0.7-1), other text about 3.5 characters a token; over-counting only trims a little early."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 2) // 3 + 4


def context_window(base_url: str | None, timeout: float = 3.0, client: Any = None) -> int | None:
    """The served context window: llama.cpp's /props (n_ctx), else /v1/models (meta.n_ctx); None if unknown.
    `client`: an httpx.Client (tests pass one over a mock transport)."""
    if not base_url:
        return None
    import httpx

    http = client or httpx.Client(timeout=timeout)
    root = base_url.rstrip("/").removesuffix("/v1")
    try:
        props = http.get(f"{root}/props").json()
        n = (props.get("default_generation_settings") or {}).get("n_ctx") or props.get("n_ctx")
        if n:
            return int(n)
    except Exception:  # not llama.cpp, or down: try the OpenAI-style listing
        pass
    try:
        models = http.get(f"{root}/v1/models").json()
        for m in models.get("data") or []:
            n = (m.get("meta") or {}).get("n_ctx") or (m.get("meta") or {}).get("n_ctx_train")
            if n:
                return int(n)
    except Exception:
        pass
    return None


_LOOP = re.compile(r"(.{4,60}?)(?:\s*\1){4,}", re.S)


def repeats(text: str) -> bool:
    """Whether the reply loops: a stretch of 4-60 characters said five or more times in a row."""
    return bool(_LOOP.search(text))


# One pool for every caller (planners are built per model and data dir; a pool each would leave idle threads
# behind). A call that timed out keeps its worker until the client's own timeout ends it.
_POOL = ThreadPoolExecutor(max_workers=16, thread_name_prefix="llm-call")


def _speaks_http(model: Any) -> bool:
    """Whether the chat model is an OpenAI-compatible HTTP client (takes a per-request `timeout`)."""
    return type(model).__module__.startswith("langchain_openai")


@dataclass
class CallLog:
    """One model call, for the bench (CHENGGUO_LLM_LOG=path appends these as JSON lines)."""

    prompt_tokens: int
    completion_tokens: int
    seconds: float
    outcome: str
    attempt: int


@dataclass
class ReadingCaller:
    """Asks a chat model for the reading of one message, within the model's limits."""

    model: BaseChatModel
    context_tokens: int = 4096
    max_tokens: int = 256
    timeout_s: float = 45.0
    attempts: int = 2
    structured: bool = (
        True  # send the schema as response_format (llama.cpp grammar / OpenAI structured output)
    )
    log: list[CallLog] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def prompt_budget(self) -> int:
        """Tokens the prompt may use: the window minus the answer and a margin for the chat template."""
        return max(256, self.context_tokens - self.max_tokens - 64)

    def messages(
        self, text: str, today: str, frame: Frame | None, previous: list[str], *, short: bool
    ) -> list[BaseMessage]:
        """System + user prompt trimmed to the window: earlier messages first, then the message itself."""
        from langchain_core.messages import HumanMessage, SystemMessage

        system = system_prompt()
        budget = self.prompt_budget() - estimate_tokens(system)
        prev = list(previous)
        user = user_prompt(text, today, frame, prev, short=short)
        while estimate_tokens(user) > budget and prev:
            prev.pop(0)
            user = user_prompt(text, today, frame, prev, short=short)
        cut = text
        while estimate_tokens(user) > budget and len(cut) > 40:
            cut = cut[: int(len(cut) * 0.8)]
            user = user_prompt(cut + " …", today, frame, prev, short=short)
        if estimate_tokens(user) > budget:
            raise ModelFailure("window", f"prompt does not fit {self.context_tokens} tokens")
        return [SystemMessage(system), HumanMessage(user)]

    def _invoke(self, messages: list[BaseMessage], retry: bool, timeout: float) -> Any:
        kwargs: dict[str, Any] = {"max_tokens": self.max_tokens}
        if self.structured:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "reading", "schema": reading_schema()},
            }
        if retry:
            kwargs["frequency_penalty"] = 0.5  # push a looping decoder off its loop on the fresh attempt
        if _speaks_http(self.model):
            # The HTTP request ends at the deadline too: the closed connection makes llama.cpp / vLLM drop
            # the generation, so the next call is not queued behind an abandoned one.
            kwargs["timeout"] = max(0.5, timeout)
        future = _POOL.submit(self.model.invoke, messages, **kwargs)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()
            raise ModelFailure("timeout", f"no reply in {self.timeout_s:g} s") from None
        except ModelFailure:
            raise
        except Exception as exc:  # HTTP 400 (context), connection refused, provider errors ...
            if "timeout" in type(exc).__name__.lower():
                raise ModelFailure("timeout", str(exc)[:200]) from None
            raise ModelFailure("error", f"{type(exc).__name__}: {str(exc)[:200]}") from None

    def _record(self, messages: list[BaseMessage], reply: Any, t0: float, outcome: str, attempt: int) -> None:
        meta = getattr(reply, "usage_metadata", None) or {}
        prompt = int(meta.get("input_tokens") or sum(estimate_tokens(str(m.content)) for m in messages))
        completion = int(meta.get("output_tokens") or 0)
        entry = CallLog(prompt, completion, round(time.perf_counter() - t0, 2), outcome, attempt)
        with self._lock:
            self.log.append(entry)
            path = os.environ.get("CHENGGUO_LLM_LOG")
            if path:
                with open(path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(entry.__dict__) + "\n")

    def read(
        self, text: str, today: str, frame: Frame | None = None, previous: list[str] | None = None
    ) -> ModelReading:
        """The model's reading of `text`; ModelFailure (with the last reason) when no attempt gave one."""
        last: ModelFailure | None = None
        # One deadline for the whole turn: a retry gets what the first attempt left, so a turn never waits
        # more than `timeout_s` for the model.
        deadline = time.perf_counter() + self.timeout_s
        for attempt in range(self.attempts):
            left = deadline - time.perf_counter()
            if left <= 0.05:
                last = ModelFailure("timeout", f"no valid reply in {self.timeout_s:g} s")
                break
            retry = attempt > 0
            messages = self.messages(text, today, frame, previous or [], short=retry)
            t0 = time.perf_counter()
            reply: Any = None
            try:
                reply = self._invoke(messages, retry, left)
                out = str(getattr(reply, "content", reply))
                finish = (getattr(reply, "response_metadata", None) or {}).get("finish_reason")
                if repeats(out):
                    raise ModelFailure("repetition", out[:80])
                if finish == "length":
                    raise ModelFailure("length", f"cut at max_tokens={self.max_tokens}")
                try:
                    reading = parse_reading(out)
                except ReadingError as exc:
                    raise ModelFailure("invalid", str(exc)) from None
            except ModelFailure as exc:
                self._record(messages, reply, t0, exc.reason, attempt)
                last = exc
                if exc.reason in ("timeout", "window"):
                    break  # a slower retry would only double the wait; the builtin reading answers now
                continue
            self._record(messages, reply, t0, "ok", attempt)
            return reading
        assert last is not None
        raise last
