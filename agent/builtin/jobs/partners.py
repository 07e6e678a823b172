"""Find partners for an achievement or a described technology (`find_partners`).

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

from typing import Any

from agent.builtin.chain import PENDING, Chain, _first, _first_money, _ids, _Pending
from agent.builtin.describe import describe, describe_possessive
from agent.builtin.intents import Intent
from agent.builtin.jobs.spec import JobSpec, RenderContext
from agent.builtin.render import Out, _components, _excluded, _f, _kind, _l, _reasons_and_evidence, _score
from agent.builtin.slots import Slots, mask
from agent.builtin.texts import t
from agent.planner import StepResult
from knowledge.regions import region_label


def find_partners(self: Chain, intent: Intent) -> None:
    if self.partners is not None:
        return
    cs = self.clause_slots(intent)
    s = self.u.slots
    own = _own_tech_with_figures(self, cs)
    ach = None if own else self.resolve_achievement(primary=True)
    args: dict[str, Any] = {
        "kinds": list(cs.org_kinds or s.org_kinds) or None,
        "region": _first(cs.regions),
        "k": 5,
        "lang": self.lang,
    }
    trl = cs.trl or s.trl or cs.trl_stated or s.trl_stated
    if ach is None:
        need = (
            self.loose_description
            or (describe_possessive(self._masked_text()) if own else "")
            or describe(mask(intent.clause, cs.details))
            or describe(self._masked_text())
        )
        if not need:
            self.ask("ask.achievement")
            return
        args.update(
            need=need,
            # A score component, not a filter: the field the topic implies counts when none is named.
            domain=_first(cs.domains or s.domains or cs.domain_hints or s.domain_hints),
            trl=trl.min if trl else None,
            asking_price_cny=_first_money(cs, s),
        )
        subject = f"“{need}”"
    else:
        args["achievement_id"] = ach
        subject = ach if isinstance(ach, str) else ""
    summary = (
        t("sum.find_partners", self.lang, subject=subject)
        if subject
        else t("sum.find_partners_pending", self.lang)
    )
    r = self.step("find_partners", args, summary, says_pending=not subject)
    if isinstance(r, _Pending):
        self.partners = PENDING
        return
    if r.ok and not r.result.get("matches") and args.get("region"):
        # Nobody in that region: rank across all regions (the answer says the region was dropped).
        relaxed = {**args, "region": None}
        r2 = self.step(
            "find_partners", relaxed, t("sum.find_partners_any_region", self.lang, subject=subject)
        )
        if isinstance(r2, _Pending):
            self.partners = PENDING
            return
        r = r2
    self.partners = _ids(r.result.get("matches"), "org_id") if r.ok else []
    if r.ok and isinstance(r.result.get("achievement_id"), str):
        self.achievement = self.achievement or r.result["achievement_id"]


def _own_tech_with_figures(self: Chain, cs: Slots) -> bool:
    """The user describes their own technology and states its TRL or price ("我们有一项…，
    TRL 6，报价800万元") without naming a record: match that description with those figures.
    Resolving it to the closest stored achievement would rank partners on someone else's
    TRL and price."""
    s, m = self.u.slots, self.u.memory
    if self.achievement is not None or s.ids("ACH"):
        return False
    # "…at TRL 6. Who would license it?": "it" is the technology just described unless it
    # points at an achievement of an earlier answer.
    if any(isinstance(m.resolve(r, "achievement"), str) for r in self.refs("achievement", primary=True)):
        return False
    if (cs.trl or s.trl or cs.trl_stated or s.trl_stated) is None and _first_money(cs, s) is None:
        return False
    return bool(describe_possessive(self._masked_text()))


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    find_partners(chain, intent)


# --- the answer ------------------------------------------------------------------


def _find_partners(o: Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    matches = res.get("matches") or []
    ach = res.get("achievement_id")
    subject = (
        f"{o.cite(ach, res.get('query'))} {res.get('query', '')}" if ach else f"“{res.get('query', '')}”"
    )
    if not matches:
        o.add(_l(lang, f"No suitable partner found for {subject}.", f"没有为{subject}找到合适的合作方。"))
        _excluded(o, res.get("excluded") or [])
        return
    o.add(_l(lang, f"Partners for {subject}, best first:", f"{subject}的潜在合作方（按匹配度排序）："))
    for i, m in enumerate(matches, 1):
        if not isinstance(m, dict):
            continue
        kind = _kind(m.get("kind"), lang)
        region = region_label(str(m.get("region", "")), lang)
        o.add(
            _l(
                lang,
                f"{i}. {o.named(m.get('org_id'), m.get('name'))} ({kind}, {region}) — {_score(m, lang)} ({_components(m.get('components'), lang)})",
                f"{i}. {o.named(m.get('org_id'), m.get('name'))}（{kind}，{region}）— {_score(m, lang)}（{_components(m.get('components'), lang)}）",
            )
        )
        _reasons_and_evidence(o, m)
    _excluded(o, res.get("excluded") or [])


def _no_partner_in_region(o: Out, r: StepResult) -> None:
    lang = o.lang
    region = region_label(str(r.args.get("region")), lang)
    o.add(
        _l(
            lang,
            f"No suitable partner in {region}; the best matches in any region follow.",
            f"{region}没有合适的合作方；以下是不限地区的最佳匹配。",
        )
    )


def _partner_chosen_for_draft(r: StepResult, results: list[StepResult]) -> dict[str, Any] | None:
    """The match a later term sheet took as its counterparty, when partners were ranked only to pick one."""
    later = results[results.index(r) + 1 :]
    licensees = {x.args.get("licensee") for x in later if x.tool == "draft_term_sheet"}
    for m in r.result.get("matches") or []:
        if isinstance(m, dict) and m.get("org_id") in licensees:
            return m
    return None


def _chosen_partner(o: Out, r: StepResult, m: dict[str, Any]) -> None:
    """One line instead of the ranked list: the user asked for a draft, not for partners."""
    lang = o.lang
    org = o.named(m.get("org_id"), m.get("name"))
    n = len(r.result.get("matches") or [])
    ach = r.result.get("achievement_id") or ""
    o.add(
        _l(
            lang,
            f"No counterparty was named, so the term sheet uses the best-ranked partner: {org} (score {_f(m.get('total'))}, best of {n}). "
            f"Say “find partners for {ach}” for the full list, or name another organisation.",
            f"未指定交易对方，条款按匹配度最高的合作方起草：{org}（得分 {_f(m.get('total'))}，{n} 家中排名第一）。"
            f"如需完整名单请说“为{ach}找合作方”，或指定其他机构。",
        )
    )


def render(o: Out, r: StepResult, ctx: RenderContext) -> None:
    results, jobs = ctx.results, ctx.jobs
    chosen = _partner_chosen_for_draft(r, results) if "find_partners" not in {i.name for i in jobs} else None
    later = [x for x in results[results.index(r) + 1 :] if x.tool == "find_partners"]
    if not (r.result.get("matches") or []) and r.args.get("region") and later:
        _no_partner_in_region(o, r)  # the planner's retry across all regions follows
    elif chosen is not None:
        _chosen_partner(o, r, chosen)
    else:
        _find_partners(o, r)


SPEC = JobSpec(
    name="partners",
    intents=("find_partners",),
    tools=("find_partners",),
    required_slots=("achievement",),
    question_keys=("ask.achievement",),
    build=build,
    render=render,
)
