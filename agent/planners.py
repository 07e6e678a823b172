"""Planner selection: "builtin" (default, offline) or any LangChain chat model id.

`make_planner(model, settings)` is the single place that turns a model setting into a planner.
Extra names can be registered (tests, evals) without touching the graph.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable

from agent.planner import Planner
from knowledge.config import Settings

PlannerFactory = Callable[[str, Settings], Planner]

_FACTORIES: dict[str, PlannerFactory] = {}
_CACHE: dict[tuple[str, str], Planner] = {}
_LOCK = threading.Lock()


class PlannerSetupError(RuntimeError):
    """The configured planner cannot be built (unknown provider, missing package, bad settings)."""


def register_planner(name: str, factory: PlannerFactory) -> None:
    """Make `name` a valid model setting that builds its planner with `factory(name, settings)`."""
    _FACTORIES[name] = factory
    for key in [k for k in _CACHE if k[0] == name]:
        del _CACHE[key]


def _builtin(_name: str, settings: Settings) -> Planner:
    try:
        from agent.builtin import BuiltinPlanner  # type: ignore[attr-defined,unused-ignore]
    except ImportError as exc:  # the builtin planner package is missing or broken
        raise PlannerSetupError(f"builtin planner unavailable: {exc}") from exc
    # The builtin planner may or may not want the settings; pass them when it accepts them.
    params = inspect.signature(BuiltinPlanner).parameters
    if "settings" in params:
        return BuiltinPlanner(settings=settings)  # type: ignore[call-arg,unused-ignore]
    return BuiltinPlanner()


def _llm(name: str, settings: Settings) -> Planner:
    from agent.llm_planner import LLMPlanner

    return LLMPlanner.from_model_id(name, settings)


register_planner("builtin", _builtin)


def make_planner(model: str | None, settings: Settings) -> Planner:
    """The planner for `model` ("builtin" when empty), cached per (model, data dir)."""
    name = (model or "builtin").strip() or "builtin"
    key = (name, str(settings.data_dir))
    with _LOCK:
        planner = _CACHE.get(key)
        if planner is None:
            factory = _FACTORIES.get(name, _llm)
            planner = factory(name, settings)
            _CACHE[key] = planner
        return planner


def clear_cache() -> None:
    """Forget built planners (tests; after settings change)."""
    with _LOCK:
        _CACHE.clear()
