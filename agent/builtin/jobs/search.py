"""Search achievements (`search_achievements`); also shows how "my X" was resolved.

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

import re
from typing import Any

from agent.builtin.chain import Chain, _first, _short, asks_for_achievements, is_loose_match
from agent.builtin.describe import describe
from agent.builtin.intents import Intent
from agent.builtin.jobs.spec import JobSpec, RenderContext
from agent.builtin.render import Out, _l, record_text
from agent.builtin.slots import find_record_ids, mask
from agent.builtin.texts import t
from agent.planner import StepResult
from knowledge.domains import domain_label
from knowledge.regions import region_label

# The writer speaks as the organisation named next ("We're Chulan Fund; show me …", "我是雪松创业投资的投资经理",
# "我哋系芷汀创投") or just before ("Lingfeng here — …"): who asks, not whose catalogue to browse.
_SPEAKER_BEFORE = re.compile(
    r"(?:我是|我们是|我們是|我哋系|\bwe(?:'re|’re|\s+are)|\bI(?:'m|’m|\s+am)\s+(?:\w+\s+){0,4}?(?:from|at|with))"
    r"[^，。,.;；!?！？]{0,12}$",
    re.I,
)
_SPEAKER_AFTER = re.compile(r"^\s*(?:here\b|这边|这里)", re.I)


def _owners(self: Chain) -> list[str]:
    """The organisations whose catalogue the search browses: every organisation the message names
    ("问渠生物医药研究院有哪些成果", "achievements by Songlan Institute", "Pull ORG-0068 and list their
    achievements"), or the one a follow-up carries ("只要航空航天的"), except the speaker's own. In the
    training pool 94% of the organisations named in catalogue searches own achievements; an investor or
    buyer named there owns none, and the tool then reports it instead of filtering by it."""
    text = self.u.text
    spans = [(rid, sp) for rid, sp in find_record_ids(text) if rid.startswith("ORG-")]
    spans += [(lk.id, lk.span) for lk in self.u.links if lk.kind == "organisation" and lk.span and lk.certain]
    speakers = {
        rid
        for rid, (a, b) in spans
        if _SPEAKER_BEFORE.search(text[max(0, a - 40) : a]) or _SPEAKER_AFTER.match(text[b:])
    }
    return [oid for oid in self.u.slots.ids("ORG") if oid not in speakers][:5]


# The words that tie a catalogue to its owner ("achievements listed by X", "X名下的", "X's") and ask for all of
# it ("成果清单", "everything"): with the owner as the filter they are no topic to match.
_BEFORE_OWNER = r"(?:\b(?:owned|listed|held|developed)\s+)?(?:\b(?:by|from|of|at)\s+)?"
_AFTER_OWNER = r"(?:'s\b|’s\b|名下的?|那边的?|的)?"
_ALL_OF_IT = re.compile(
    r"清单|名单|列表|目录|所有的?|全部的?|都|\b(?:everything|all|catalogue|catalog|portfolio)\b", re.I
)


def _without_names(self: Chain, clause: str) -> str:
    """The clause with the organisations' names taken out: they are the filter, not words to match."""
    names = [re.escape(lk.mention) for lk in self.u.links if lk.kind == "organisation" and lk.mention]
    names.append(r"\bORG-[0-9A-Za-z_-]+")
    clause = re.sub(rf"{_BEFORE_OWNER}(?:{'|'.join(names)}){_AFTER_OWNER}", " ", clause, flags=re.I)
    return _ALL_OF_IT.sub(" ", clause)


def search_achievements(self: Chain, intent: Intent) -> None:
    cs = self.clause_slots(intent)
    owners = _owners(self)
    masked = mask(intent.clause, cs.details)
    if owners:
        masked = _without_names(self, masked)
    domains = " ".join(domain_label(d, self.lang) for d in cs.domains)
    query = describe(masked) or domains or ("" if owners else intent.clause.strip())
    args: dict[str, Any] = {
        "query": query,
        "owners": owners,
        "domain": cs.domains[0] if len(cs.domains) == 1 else None,
        "trl_min": cs.trl.min if cs.trl else None,
        "trl_max": cs.trl.max if cs.trl else None,
        # Not a region tied to the owner's name ("湖北溯川生物医药研究院"): the linked reading's regions.
        "region": _first([r for r in cs.regions if r in self.u.slots.regions] if owners else cs.regions),
        "k": 10,
    }
    self.step(
        "search_achievements",
        {k: v for k, v in args.items() if k != "owners" or v},
        t("sum.search_achievements", self.lang, q=_short(query or " ".join(owners))),
    )


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    search_achievements(chain, intent)


# --- the answer ------------------------------------------------------------------


def _search_achievements(o: Out, r: StepResult, resolved_for: str | None) -> None:
    hits = r.result.get("hits") or []
    lang = o.lang
    q = r.result.get("query") or r.args.get("query", "")
    owners = [x for x in r.result.get("owners") or [] if isinstance(x, dict)]
    # Said only when the catalogue was all the user asked for: an investor named beside a topic ("what would
    # Qinglan Ventures back?") just leaves the search unfiltered.
    for x in [] if q else r.result.get("not_owners") or []:
        if isinstance(x, dict):
            o.add(
                _l(
                    lang,
                    f"{o.named(x.get('id'), x.get('name'))} lists no achievements on the platform.",
                    f"{o.named(x.get('id'), x.get('name'))} 在平台上没有挂牌成果。",
                )
            )
    if owners:
        _owned(o, hits, owners, q)
        return
    if not hits:
        if q:
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
    _list(o, hits)


def _owned(o: Out, hits: list[Any], owners: list[dict[str, Any]], q: str) -> None:
    """The catalogue of the named owners ("问渠生物医药研究院有哪些成果"), narrowed by the query if any."""
    lang = o.lang
    who = _l(lang, ", ", "、").join(o.named(x.get("id"), x.get("name")) for x in owners)
    if not hits:
        o.add(
            _l(lang, f"{who}: no achievement matches “{q}”.", f"{who}：没有与“{q}”相关的成果。")
            if q
            else _l(lang, f"{who}: no achievement matches these filters.", f"{who}：没有符合条件的成果。")
        )
        return
    o.add(
        _l(lang, f"Achievements of {who} matching “{q}”:", f"{who} 与“{q}”相关的成果：")
        if q
        else _l(lang, f"Achievements of {who}:", f"{who} 的成果：")
    )
    _list(o, hits)


def _list(o: Out, hits: list[Any]) -> None:
    lang = o.lang
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
    resolved_for = _resolution_searches(ctx.results).get(r.step_id)
    hits = (r.result.get("hits") or []) if r.ok else []
    lookup = resolved_for is None and not asks_for_achievements(ctx.jobs)
    if lookup and hits and isinstance(hits[0], dict) and r.args.get("query"):
        # The planner's own lookup for a record the user described, and nothing was taken from it (the job asks
        # which achievement): one line naming the nearest, not a list the user never asked for.
        top, q = hits[0], r.args["query"]
        named = o.named(top.get("id"), top.get("title"))
        o.add(
            _l(
                o.lang,
                f"No stored achievement clearly matches “{q}” (the nearest is {named}).",
                f"没有与“{q}”明确对应的成果（最接近的是 {named}）。",
            )
        )
        return
    _search_achievements(o, r, resolved_for)


SPEC = JobSpec(
    name="search",
    intents=("search_achievements",),
    tools=("search_achievements",),
    required_slots=(),
    question_keys=(),
    build=build,
    render=render,
)
