"""Find achievements for an organisation's or a described need (`find_achievements_for_need`).

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

import re
from typing import Any

from agent.builtin.chain import Chain, _first, _short
from agent.builtin.describe import _EN_NOISE, _ZH_NOISE
from agent.builtin.intents import Intent
from agent.builtin.jobs.spec import JobSpec, RenderContext
from agent.builtin.render import Out, _clip, _excluded, _l, _reasons_and_evidence, _score, money
from agent.builtin.slots import Slots, mask
from agent.builtin.texts import t
from agent.planner import StepResult
from knowledge.domains import domain_label


def find_achievements(self: Chain, intent: Intent) -> None:
    cs = self.clause_slots(intent)
    orgs = cs.ids("ORG")
    if not orgs:
        # "ORG-0002想要什么样的技术？帮我找几个成果", "Rajesh here from Zhongli Power Battery (Jiangsu)… pull
        # achievements that match the LMFP need we posted", "我们是中岑碳资产，要做沼气提纯": an organisation
        # named anywhere in the message (by id or by name) is the one whose need is matched.
        orgs = self.u.slots.ids("ORG")
    args: dict[str, Any] = {
        # Scored, not filtered: the field the topic implies ("固态电解质") counts when none is named.
        "domains": cs.domains or cs.domain_hints or None,
        "trl_min": cs.trl.min if cs.trl else None,
        "trl_max": cs.trl.max if cs.trl else None,
        "budget_cny": cs.money[0] if cs.money else None,
        "region": _first(cs.regions),
        "k": 5,
        "lang": self.lang,
    }
    need = _need_text(intent.clause, cs) or _need_text(self.u.text, self.u.slots)
    if orgs:
        args["org_id"] = orgs[0]
        # The need as described this time goes with the organisation's stated ones.
        args["need"] = _described_need(self.u.text, self.u.slots)
        q = orgs[0]
    else:
        if not need:
            self.ask("ask.need")
            return
        args["need"] = need
        q = need
    self.step("find_achievements_for_need", args, t("sum.find_achievements", self.lang, q=_short(q)))


_NEED_FILLER = re.compile(
    r"^(?:\s*(?:hi|hello|please|we are|we're|i am|i'm|we|i|are|am|looking for|need|want|require|seek|find|me|us|"
    r"请|帮我|我们|我方|我司|本公司|公司|单位|企业|我厂|现在|目前|急需|需要|寻找|找|想要|希望|求购|征集|一种|一项|一个|一些|能|可以)\s*)+",
    re.I,
)


def _need_text(clause: str, s: Slots) -> str | None:
    """The need, nearly as written (embeddings like full sentences): fillers off the front, ids out."""
    text = mask(
        clause,
        [sp for sp in s.consumed if clause[sp[0] : sp[1]].upper().startswith(("ACH-", "ORG-", "FAC-"))],
    )
    text = _NEED_FILLER.sub("", text).strip(" ，。,.;；?？!！")
    return text if len(text) >= 2 else None


def _described_need(text: str, s: Slots) -> str | None:
    """The message as the need it describes, names and figures out ("我们是 ，要做沼气提纯…"): matched
    with the organisation's stated needs; None when little more than the name is left."""
    rest = _NEED_FILLER.sub("", " ".join(mask(text, s.consumed).split())).strip(" ，。,.;；?？!！")
    content = _EN_NOISE.sub(" ", _ZH_NOISE.sub(" ", rest))  # a need has words beyond the task's
    return rest if len(re.sub(r"[\W\d]", "", content)) >= 4 else None


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    find_achievements(chain, intent)


# --- the answer ------------------------------------------------------------------


def _find_achievements(o: Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    matches = res.get("matches") or []
    needs = [str(n) for n in res.get("needs") or []]
    who = o.cite(res.get("org_id")) if res.get("org_id") else ""
    need = "; ".join(_clip(n, 80) for n in needs[:2])
    if not matches:
        o.add(
            _l(
                lang,
                f"No achievement answers the need{' ' + who if who else ''} “{need}”.",
                f"没有找到满足需求{who}“{need}”的成果。",
            )
        )
        return
    o.add(
        _l(
            lang,
            f"Achievements for the need{' ' + who if who else ''} “{need}”:",
            f"满足需求{who}“{need}”的成果：",
        )
    )
    for i, m in enumerate(matches, 1):
        if not isinstance(m, dict):
            continue
        price = m.get("asking_price_cny")
        price_s = _l(lang, f", asking {money(price, lang)}", f"，报价{money(price, lang)}") if price else ""
        o.add(
            _l(
                lang,
                f"{i}. {o.named(m.get('achievement_id'), m.get('title'))} — {domain_label(str(m.get('domain')), lang)}, TRL {m.get('trl')}, "
                f"owner {o.cite(m.get('owner_id'))}{price_s}; {_score(m, lang)}",
                f"{i}. {o.named(m.get('achievement_id'), m.get('title'))} — {domain_label(str(m.get('domain')), lang)}，TRL {m.get('trl')}，"
                f"权属方 {o.cite(m.get('owner_id'))}{price_s}；{_score(m, lang)}",
            )
        )
        # A free-text need is its own evidence; only an organisation's stated needs are worth quoting.
        _reasons_and_evidence(o, m if res.get("org_id") else {**m, "evidence": ""})
    _excluded(o, res.get("excluded") or [])


def render(o: Out, r: StepResult, ctx: RenderContext) -> None:
    _find_achievements(o, r)


SPEC = JobSpec(
    name="needs",
    intents=("find_achievements",),
    tools=("find_achievements_for_need",),
    required_slots=("need",),
    question_keys=("ask.need",),
    build=build,
    render=render,
)
