"""How the classifier's jobs and the old trigger rules are combined: per job, a mode chosen on dev.

- "model": the classifier alone decides the job (the default);
- "or": the job also counts when a trigger rule fires (the rule adds recall the model lacks);
- "and": the job needs both (the rule vetoes the model's false alarms);
- "regex": the rule alone decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from agent.builtin.intents import INTENTS, detect_intents

MODES = ("or", "and", "regex")


def canonical(jobs: Iterable[str]) -> list[str]:
    """One set per meaning, in the labels' order: a hold implies checking the calendar (the corpus labels a
    hold alone), help and thanks never ride along with a real job."""
    s = set(jobs)
    if "hold_slot" in s:
        s.discard("check_availability")
    if s - {"help", "thanks"}:
        s -= {"help", "thanks"}
    return [lab for lab in INTENTS if lab in s]


def regex_jobs(text: str) -> list[str]:
    """The trigger rules' jobs for `text` (the planner's old reading), as a canonical set."""
    return list(_regex_jobs(text))


@lru_cache(maxsize=8192)
def _regex_jobs(text: str) -> tuple[str, ...]:
    # Memoised: training reads every held-out message once per setting tried.
    return tuple(canonical(i.name for i in detect_intents(text)))


def combine(model: Iterable[str], regex: Iterable[str], modes: Mapping[str, str]) -> list[str]:
    m, r = set(model), set(regex)
    out = []
    for lab in INTENTS:
        mode = modes.get(lab, "model")
        hit = (
            (lab in m and lab in r)
            if mode == "and"
            else (lab in m or lab in r)
            if mode == "or"
            else (lab in r)
            if mode == "regex"
            else (lab in m)
        )
        if hit:
            out.append(lab)
    return canonical(out)
