"""find_partners and find_achievements_for_need: thin tool layer over `tools.matching`.

The tool layer fetches records from the knowledge base, computes cosine similarities with the
per-process embedding cache, and hands the pair facts to the pure scorer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, Field, computed_field, model_validator

from knowledge.domains import DomainId
from knowledge.models import Achievement, Organisation, OrgKind
from tools.base import ToolContext, ToolError, ToolKind, tool
from tools.common import KnowledgeBaseLike, embeddings_for, fail, get_kb, resolve_region
from tools.matching import (
    WEIGHTS,
    AchievementSide,
    Components,
    OrgSide,
    Ranked,
    Strength,
    score_pair,
    split_ranked,
    strength,
)

# Capabilities say what an organisation can do, needs what it wants. A university's research
# profile resembles an achievement without wanting it, so capability similarity is discounted.
CAPABILITY_DISCOUNT = 0.6


def _lang(ctx: ToolContext, lang: str | None) -> Literal["zh", "en"]:
    return "zh" if (lang or ctx.lang) == "zh" else "en"


# ------------------------------------------------------------------------------ find_partners


class FindPartnersInput(BaseModel):
    achievement_id: str | None = Field(
        None, description="Achievement id, e.g. ACH-0001. Give this or `need`."
    )
    need: str | None = Field(
        None, description="Free-text description of the technology, when there is no achievement id."
    )
    domain: DomainId | None = Field(
        None, description="Domain of the free-text technology (one of the 14 domain ids)."
    )
    trl: Annotated[int, Field(ge=1, le=9)] | None = Field(
        None, description="TRL of the free-text technology, 1..9."
    )
    asking_price_cny: Annotated[float, Field(ge=0)] | None = Field(
        None, description="Asking price in CNY (free text)."
    )
    kinds: list[OrgKind] | None = Field(
        None, description="Only these organisation kinds: soe, private, investor, institute, university."
    )
    region: str | None = Field(
        None, description='Only organisations in this region, e.g. "Jiangsu" or "江苏".'
    )
    k: Annotated[int, Field(ge=1, le=50)] = Field(5, description="How many matches to return (1..50).")
    lang: Literal["zh", "en"] | None = Field(None, description='Language of the reasons: "zh" or "en".')

    @model_validator(mode="after")
    def _subject(self) -> FindPartnersInput:
        if not self.achievement_id and not (self.need and self.need.strip()):
            raise ValueError("give achievement_id or need")
        return self


class PartnerMatch(BaseModel):
    org_id: str
    name: str
    kind: str
    region: str
    total: float = Field(description="Weighted score in [0, 1].")
    components: Components
    evidence: str = Field(description="The organisation's need (or capability) that matches best.")
    reasons: list[str]

    @computed_field(  # type: ignore[prop-decorator]
        description='"strong" (total >= 0.60), "fair" (>= 0.45) or "weak": a label to show with the score.'
    )
    @property
    def strength(self) -> Strength:
        return strength(self.total)


class ExcludedCandidate(BaseModel):
    id: str
    name: str
    kind: str | None = None
    reason: str
    potential: float = Field(description="Score it would have had without the hard rule.")
    components: Components


class FindPartnersOutput(BaseModel):
    ok: Literal[True] = True
    achievement_id: str | None
    query: str = Field(description="The achievement title or the free-text need that was matched.")
    domain: DomainId | None = Field(
        None, description="The achievement's domain (or the domain given with a free-text need)."
    )
    weights: dict[str, float] = Field(default_factory=lambda: dict(WEIGHTS))
    matches: list[PartnerMatch]
    excluded: list[ExcludedCandidate] = Field(default_factory=list)


def _org_texts(orgs: Sequence[Organisation]) -> tuple[list[str], list[tuple[int, int, int]]]:
    """Flat list of need + capability texts, and per org (start, n_needs, n_total) into it."""
    texts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    for org in orgs:
        start = len(texts)
        texts.extend(org.needs)
        if org.capabilities:
            texts.append(org.capabilities)
        spans.append((start, len(org.needs), len(texts) - start))
    return texts, spans


def org_side(org: Organisation) -> OrgSide:
    return OrgSide(
        kind=org.kind,
        domains=list(org.domains),
        trl_min=org.trl_min,
        trl_max=org.trl_max,
        investment_min=org.investment_min_cny,
        investment_max=org.investment_max_cny,
        region=org.region,
    )


def ach_side(ach: Achievement) -> AchievementSide:
    return AchievementSide(domain=ach.domain, trl=ach.trl, price=ach.asking_price_cny, region=ach.region)


def _best_org_text(org: Organisation, sims: np.ndarray, span: tuple[int, int, int]) -> tuple[float, str]:
    start, n_needs, n_total = span
    best, evidence = -1.0, ""
    if n_needs:
        i = int(np.argmax(sims[start : start + n_needs]))
        best, evidence = float(sims[start + i]), org.needs[i]
    if n_total > n_needs:
        cap = float(sims[start + n_total - 1]) * CAPABILITY_DISCOUNT
        if cap > best:
            best, evidence = cap, org.capabilities
    return max(best, 0.0), evidence


def rank_partners_for_text(
    kb: KnowledgeBaseLike,
    text: str,
    subject: AchievementSide,
    orgs: Sequence[Organisation],
    *,
    k: int,
    lang: str,
    title: str | None = None,
) -> tuple[list[PartnerMatch], list[ExcludedCandidate]]:
    """Rank `orgs` for a technology described by `text` (and its `title`) and `subject` facts.

    Semantic similarity is the mean of the cosines against the full text and against the
    title: the title says what the thing is, the full text adds context; averaging the two
    ranks the organisation whose need was written for this technology first more often than
    either alone (11 vs 8-9 of 15 labelled sample cases at rank 1).
    """
    if not orgs:
        return [], []
    cache = embeddings_for(kb)
    texts, spans = _org_texts(orgs)
    queries = cache.vectors(kb, [text, title or text])
    query = queries.mean(axis=0)
    sims = cache.matrix(kb, texts) @ query if texts else np.zeros(0, dtype=np.float32)
    by_id: dict[str, tuple[Organisation, str]] = {}
    ranked: list[Ranked] = []
    for org, span in zip(orgs, spans, strict=True):
        cosine, evidence = _best_org_text(org, sims, span)
        score = score_pair(subject, org_side(org), cosine, evidence, lang)
        by_id[org.id] = (org, evidence)
        ranked.append(Ranked(id=org.id, score=score))
    admitted, excluded = split_ranked(ranked, k)
    matches = [
        PartnerMatch(
            org_id=r.id,
            name=by_id[r.id][0].name,
            kind=by_id[r.id][0].kind,
            region=by_id[r.id][0].region,
            total=r.score.total,
            components=r.score.components,
            evidence=by_id[r.id][1],
            reasons=r.score.reasons,
        )
        for r in admitted
    ]
    dropped = [
        ExcludedCandidate(
            id=r.id,
            name=by_id[r.id][0].name,
            kind=by_id[r.id][0].kind,
            reason=r.score.exclusion or "",
            potential=r.score.potential,
            components=r.score.components,
        )
        for r in excluded
    ]
    return matches, dropped


def _warm_achievements(kb: KnowledgeBaseLike) -> None:
    """Embed every achievement's text and title in one batch the first time (per process and KB),
    so a query by achievement id is a lookup plus a matrix product instead of an encoder call."""
    achs = [a for a in kb.records("achievement") if isinstance(a, Achievement)]
    embeddings_for(kb).warm(kb, [t for a in achs for t in (a.text(), a.title)])


@tool(ToolKind.READ, FindPartnersInput)
def find_partners(args: FindPartnersInput, ctx: ToolContext) -> FindPartnersOutput | ToolError:
    """Rank organisations that could take up an achievement (or a free-text technology).

    Arguments: achievement_id (e.g. ACH-0001) or need (free text; optional domain, trl 1..9,
    asking_price_cny); kinds filter (any of soe, private, investor, institute, university);
    region filter (e.g. "Jiangsu"/"江苏"); k (1..50, default 5); lang ("zh"/"en").
    Each match has org id/name/kind, total and component scores (semantic, domain, trl,
    investment, region), strength ("strong" >= 0.60, "fair" >= 0.45, else "weak"), the
    best-matching need as evidence, and reasons. Candidates ruled out by a hard rule (investor
    TRL floor, ticket range) but otherwise strong are listed in `excluded` with the reason.
    Errors: unknown_id, unknown_region.
    """
    lang = _lang(ctx, args.lang)
    region = resolve_region(ctx, args.region)
    if isinstance(region, ToolError):
        return region
    kb = get_kb(ctx)
    owner: str | None = None
    if args.achievement_id:
        rec = kb.get(args.achievement_id)
        if not isinstance(rec, Achievement):
            return fail(
                ctx,
                "unknown_id",
                f"No achievement with id {args.achievement_id}.",
                f"未找到成果 {args.achievement_id}。",
                id=args.achievement_id,
            )
        text, subject, owner, query = rec.text(), ach_side(rec), rec.owner_id, rec.title
        domain: DomainId | None = rec.domain
        _warm_achievements(kb)
    else:
        text = query = (args.need or "").strip()
        domain = args.domain
        subject = AchievementSide(
            domain=args.domain, trl=args.trl, price=args.asking_price_cny, free_text=True
        )
    kinds = set(args.kinds) if args.kinds else None
    orgs = [
        o
        for o in kb.records("organisation")
        if isinstance(o, Organisation)
        and o.id != owner
        and (kinds is None or o.kind in kinds)
        and (region is None or o.region == region)
    ]
    matches, excluded = rank_partners_for_text(kb, text, subject, orgs, k=args.k, lang=lang, title=query)
    return FindPartnersOutput(
        achievement_id=args.achievement_id,
        query=query,
        domain=domain,
        matches=matches,
        excluded=excluded,
    )


# ------------------------------------------------------------------ find_achievements_for_need


class FindAchievementsInput(BaseModel):
    org_id: str | None = Field(
        None, description="Organisation id (ORG-…) whose stated needs are used. Give this or `need`."
    )
    need: str | None = Field(None, description="Free-text need, when there is no organisation id.")
    domains: list[DomainId] | None = Field(None, description="Domains of interest for a free-text need.")
    trl_min: Annotated[int, Field(ge=1, le=9)] | None = Field(
        None, description="Lowest acceptable TRL (1..9)."
    )
    trl_max: Annotated[int, Field(ge=1, le=9)] | None = Field(
        None, description="Highest acceptable TRL (1..9)."
    )
    budget_cny: Annotated[float, Field(ge=0)] | None = Field(
        None, description="Budget in CNY; asking prices above it score 0 on investment."
    )
    region: str | None = Field(None, description='Only achievements from this region, e.g. "Jiangsu"/"江苏".')
    k: Annotated[int, Field(ge=1, le=50)] = Field(5, description="How many achievements to return (1..50).")
    lang: Literal["zh", "en"] | None = Field(None, description='Language of the reasons: "zh" or "en".')

    @model_validator(mode="after")
    def _subject(self) -> FindAchievementsInput:
        if not self.org_id and not (self.need and self.need.strip()):
            raise ValueError("give org_id or need")
        if self.trl_min is not None and self.trl_max is not None and self.trl_min > self.trl_max:
            raise ValueError("trl_min is greater than trl_max")
        return self


class AchievementMatch(BaseModel):
    achievement_id: str
    title: str
    domain: str
    trl: int
    owner_id: str
    region: str
    asking_price_cny: float | None
    total: float
    components: Components
    evidence: str = Field(description="The need this achievement answers best.")
    reasons: list[str]

    @computed_field(  # type: ignore[prop-decorator]
        description='"strong" (total >= 0.60), "fair" (>= 0.45) or "weak": a label to show with the score.'
    )
    @property
    def strength(self) -> Strength:
        return strength(self.total)


class FindAchievementsOutput(BaseModel):
    ok: Literal[True] = True
    org_id: str | None
    needs: list[str] = Field(description="The need statements that were matched.")
    weights: dict[str, float] = Field(default_factory=lambda: dict(WEIGHTS))
    matches: list[AchievementMatch]
    excluded: list[ExcludedCandidate] = Field(default_factory=list)


@tool(ToolKind.READ, FindAchievementsInput)
def find_achievements_for_need(
    args: FindAchievementsInput, ctx: ToolContext
) -> FindAchievementsOutput | ToolError:
    """Rank achievements that answer an organisation's needs (or a free-text need).

    Arguments: org_id (ORG-…; its needs, domains, TRL range and investment ticket are used; a need
    given with it is matched with its stated needs) or need (free text; optional domains, trl_min/trl_max 1..9, budget_cny); region filter on the
    achievement; k (1..50, default 5); lang ("zh"/"en"). Each match has the achievement id,
    title, total and component scores, strength ("strong"/"fair"/"weak"), the need it answers
    best as evidence, and reasons. Errors: unknown_id, unknown_region.
    """
    lang = _lang(ctx, args.lang)
    region = resolve_region(ctx, args.region)
    if isinstance(region, ToolError):
        return region
    kb = get_kb(ctx)
    org: Organisation | None = None
    if args.org_id:
        rec = kb.get(args.org_id)
        if not isinstance(rec, Organisation):
            return fail(
                ctx,
                "unknown_id",
                f"No organisation with id {args.org_id}.",
                f"未找到机构 {args.org_id}。",
                id=args.org_id,
            )
        org = rec
        needs = list(org.needs) or [org.capabilities or org.name]
        if args.need and args.need.strip():
            # The need as described this time ("要做沼气提纯") is matched with the stated ones.
            needs = [args.need.strip(), *(n for n in needs if n != args.need.strip())]
        side = org_side(org)
    else:
        needs = [(args.need or "").strip()]
        side = OrgSide(
            kind="investor" if args.budget_cny is not None else None,
            domains=list(args.domains or []),
            trl_min=args.trl_min,
            trl_max=args.trl_max,
            investment_max=args.budget_cny,
            free_text=True,
        )
    achs = [
        a
        for a in kb.records("achievement")
        if isinstance(a, Achievement)
        and (org is None or a.owner_id != org.id)
        and (region is None or a.region == region)
    ]
    if not achs:
        return FindAchievementsOutput(org_id=args.org_id, needs=needs, matches=[])
    cache = embeddings_for(kb)
    need_vecs = cache.vectors(kb, needs)
    # Full text only here: needs are matched against what the achievement is and does (on the
    # labelled sample cases adding the title, as find_partners does, lost two of fifteen).
    sims = cache.matrix(kb, [a.text() for a in achs]) @ need_vecs.T  # (n_achievements, n_needs)
    best = sims.argmax(axis=1)
    ranked: list[Ranked] = []
    by_id: dict[str, tuple[Achievement, str]] = {}
    for i, a in enumerate(achs):
        j = int(best[i])
        score = score_pair(ach_side(a), side, max(float(sims[i, j]), 0.0), needs[j], lang)
        by_id[a.id] = (a, needs[j])
        ranked.append(Ranked(id=a.id, score=score))
    admitted, excluded = split_ranked(ranked, args.k)
    matches = [
        AchievementMatch(
            achievement_id=r.id,
            title=by_id[r.id][0].title,
            domain=by_id[r.id][0].domain,
            trl=by_id[r.id][0].trl,
            owner_id=by_id[r.id][0].owner_id,
            region=by_id[r.id][0].region,
            asking_price_cny=by_id[r.id][0].asking_price_cny,
            total=r.score.total,
            components=r.score.components,
            evidence=by_id[r.id][1],
            reasons=r.score.reasons,
        )
        for r in admitted
    ]
    dropped = [
        ExcludedCandidate(
            id=r.id,
            name=by_id[r.id][0].title,
            reason=r.score.exclusion or "",
            potential=r.score.potential,
            components=r.score.components,
        )
        for r in excluded
    ]
    return FindAchievementsOutput(org_id=args.org_id, needs=needs, matches=matches, excluded=dropped)
