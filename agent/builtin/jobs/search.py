"""Search achievements (`search_achievements`); also shows how "my X" was resolved.

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

from typing import Any

from agent.builtin.chain import Chain, _first, _short, is_loose_match
from agent.builtin.describe import describe
from agent.builtin.intents import Intent
from agent.builtin.jobs.spec import JobSpec, RenderContext
from agent.builtin.render import Out, _l, record_text
from agent.builtin.slots import mask
from agent.builtin.texts import t
from agent.planner import StepResult
from knowledge.domains import domain_label
from knowledge.regions import region_label


def search_achievements(self: Chain, intent: Intent) -> None:
    cs = self.clause_slots(intent)
    masked = mask(intent.clause, cs.details)
    query = (
        describe(masked) or " ".join(domain_label(d, self.lang) for d in cs.domains) or intent.clause.strip()
    )
    args: dict[str, Any] = {
        "query": query,
        "domain": cs.domains[0] if len(cs.domains) == 1 else None,
        "trl_min": cs.trl.min if cs.trl else None,
        "trl_max": cs.trl.max if cs.trl else None,
        "region": _first(cs.regions),
        "k": 10,
    }
    self.step("search_achievements", args, t("sum.search_achievements", self.lang, q=_short(query)))


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    search_achievements(chain, intent)


# --- the answer ------------------------------------------------------------------


def _search_achievements(o: Out, r: StepResult, resolved_for: str | None) -> None:
    hits = r.result.get("hits") or []
    lang = o.lang
    q = r.result.get("query") or r.args.get("query", "")
    if not hits:
        o.add(_l(lang, f"No achievement matched “{q}”.", f"没有找到与“{q}”匹配的成果。"))
        return
    if resolved_for == "":
        # The planner found nothing close enough and matched the description itself.
        o.add(
            _l(
                lang,
                f"No stored achievement is close to “{q}”, so the description itself was matched.",
                f"成果库中没有与“{q}”相近的成果，以下按您的描述直接匹配。",
            )
        )
        return
    if resolved_for:
        top = hits[0]
        o.add(
            _l(
                lang,
                f"I took “{q}” to be {o.named(top.get('id'), top.get('title'))} "
                f"(best search match; give the id if that is not the one).",
                f"已将“{q}”理解为 {o.named(top.get('id'), top.get('title'))}（检索最匹配项；如不是，请提供成果编号）。",
            )
        )
        return
    if isinstance(hits[0], dict) and is_loose_match(hits[0]):
        o.add(
            _l(
                lang,
                f"No stored achievement is close to “{q}”; the nearest ones:",
                f"成果库中没有与“{q}”相近的成果；最接近的是：",
            )
        )
    else:
        o.add(_l(lang, f"Achievements matching “{q}”:", f"与“{q}”相关的成果："))
    for i, h in enumerate(hits[:8], 1):
        bits = [domain_label(str(h.get("domain")), lang) if h.get("domain") else None]
        if h.get("trl") is not None:
            bits.append(f"TRL {h.get('trl')}")
        if h.get("region"):
            bits.append(region_label(str(h.get("region")), lang))
        meta = _l(lang, ", ", "，").join(b for b in bits if b)
        o.add(f"{i}. {o.named(h.get('id'), h.get('title'))} — {meta}")
        if h.get("snippet"):
            o.add(f"   {record_text(h['snippet'], lang, 140)}")


def _resolution_searches(results: list[StepResult]) -> dict[str, str]:
    """search_achievements steps that only resolved "my X" to an id used by a later step."""
    out: dict[str, str] = {}
    for i, r in enumerate(results):
        if r.tool != "search_achievements" or not r.ok:
            continue
        hits = r.result.get("hits") or []
        top = hits[0].get("id") if hits and isinstance(hits[0], dict) else None
        if top and any(
            top in (later.args.get("achievement_id"), later.args.get("record_id"))
            for later in results[i + 1 :]
        ):
            out[r.step_id] = str(top)
        elif (
            hits
            and is_loose_match(hits[0])
            and any(later.args.get("need") == r.args.get("query") for later in results[i + 1 :])
        ):
            out[r.step_id] = ""  # looked up, nothing close: a later step matched the words instead
    return out


def render(o: Out, r: StepResult, ctx: RenderContext) -> None:
    _search_achievements(o, r, _resolution_searches(ctx.results).get(r.step_id))


SPEC = JobSpec(
    name="search",
    intents=("search_achievements",),
    tools=("search_achievements",),
    required_slots=(),
    question_keys=(),
    build=build,
    render=render,
)
