"""Thin wrappers over the knowledge base: search_achievements, get_record, search_policies."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, Field, model_validator

from knowledge.domains import DomainId
from knowledge.models import ORG_ID, Achievement, Facility, Organisation, kind_of_id
from tools.base import ToolContext, ToolError, ToolKind, tool
from tools.common import embeddings_for, fail, get_kb, resolve_region
from tools.policy_answer import PolicyAnswer, answer_question


def _attr(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


# ------------------------------------------------------------------------ search_achievements


class SearchAchievementsInput(BaseModel):
    query: str = Field(
        "",
        description="What to look for, in Chinese or English; may be empty when `owners` is given "
        "(then their achievements are listed, highest TRL first).",
    )
    owners: list[Annotated[str, Field(pattern=ORG_ID)]] = Field(
        default_factory=list,
        max_length=5,
        description='Only achievements owned by these organisations (ORG-… ids), e.g. for "浙江大学有哪些成果".',
    )
    domain: DomainId | None = Field(None, description="Only this domain (one of the 14 domain ids).")
    trl_min: Annotated[int, Field(ge=1, le=9)] | None = Field(None, description="Lowest TRL, 1..9.")
    trl_max: Annotated[int, Field(ge=1, le=9)] | None = Field(None, description="Highest TRL, 1..9.")
    region: str | None = Field(None, description='Only this region, e.g. "Jiangsu"/"江苏".')
    k: Annotated[int, Field(ge=1, le=50)] = Field(10, description="How many hits (1..50).")
    mode: Literal["hybrid", "dense", "bm25"] = Field(
        "hybrid", description="Ranker: hybrid (default), dense or bm25."
    )

    @model_validator(mode="after")
    def _trl(self) -> SearchAchievementsInput:
        if self.trl_min is not None and self.trl_max is not None and self.trl_min > self.trl_max:
            raise ValueError("trl_min is greater than trl_max")
        if not self.query.strip() and not self.owners:
            raise ValueError("query is empty (give a query, or owners to list their achievements)")
        return self


class AchievementHit(BaseModel):
    id: str
    title: str
    score: float
    snippet: str = ""
    domain: str | None = None
    region: str | None = None
    trl: int | None = None
    similarity: float | None = Field(
        None,
        description="Cosine similarity of the query and the record (the dense ranker's view; about 0.3 "
        "and above for the same technology, below for a loose match); None when the dense ranker did "
        "not return the record.",
    )
    keyword_rank: int | None = Field(
        None,
        description="The record's rank by the keyword (BM25) ranker, 1 = best; None when none of the query's "
        "words occurs in it (found by meaning alone).",
    )


class OwnerRef(BaseModel):
    id: str
    name: str


class SearchAchievementsOutput(BaseModel):
    ok: Literal[True] = True
    query: str
    hits: list[AchievementHit]
    owners: list[OwnerRef] = Field(
        default_factory=list, description="The owners the hits were filtered by (those owning achievements)."
    )
    not_owners: list[OwnerRef] = Field(
        default_factory=list,
        description="Organisations given as owners that own no achievement (an investor, a buyer): not used as "
        "a filter.",
    )


@tool(ToolKind.READ, SearchAchievementsInput)
def search_achievements(
    args: SearchAchievementsInput, ctx: ToolContext
) -> SearchAchievementsOutput | ToolError:
    """Hybrid (dense + BM25) search over achievements with filters.

    Arguments: query (zh or en text; may be empty with owners); owners (ORG-… ids: only their
    achievements); domain (one of the 14 domain ids); trl_min / trl_max (1..9); region (e.g.
    "Jiangsu"/"江苏"); k (1..50, default 10); mode ("hybrid", "dense", "bm25"). Returns hits with
    id, title, score, snippet, domain, region, TRL and similarity; `owners` the filter used and
    `not_owners` the organisations given that own no achievement (not used as a filter).
    Errors: unknown_region (details list the valid regions), unknown_id (an owner id not in the
    store), invalid_args.
    """
    region = resolve_region(ctx, args.region)
    if isinstance(region, ToolError):
        return region
    kb = get_kb(ctx)
    owners: list[OwnerRef] = []
    not_owners: list[OwnerRef] = []
    if args.owners:
        owning = {a.owner_id for a in kb.records("achievement")}
        for oid in dict.fromkeys(args.owners):
            org = kb.get(oid)
            if not isinstance(org, Organisation):
                return fail(
                    ctx,
                    "unknown_id",
                    f"No organisation with id {oid}.",
                    f"未找到编号为 {oid} 的机构。",
                    id=oid,
                )
            (owners if org.id in owning else not_owners).append(OwnerRef(id=org.id, name=org.name))
    if not owners and not args.query.strip():
        # "Qilan Institute 有哪些成果" where Qilan lists none: nothing to list, said plainly by the answer.
        return SearchAchievementsOutput(query="", hits=[], not_owners=not_owners)
    try:
        hits = kb.search(
            args.query,
            kind="achievement",
            domain=args.domain,
            trl_min=args.trl_min,
            trl_max=args.trl_max,
            region=region,
            owners=[o.id for o in owners],
            k=args.k,
            mode=args.mode,
        )
    except ValueError as exc:  # the KB's query errors (e.g. an unknown region) are ValueErrors
        return fail(ctx, "invalid_args", str(exc), f"查询参数有误：{exc}")
    return SearchAchievementsOutput(
        owners=owners,
        not_owners=not_owners,
        query=args.query,
        hits=[
            AchievementHit(
                id=_attr(h, "id"),
                title=_attr(h, "title", ""),
                score=float(_attr(h, "score", 0.0)),
                snippet=_attr(h, "snippet", "") or "",
                domain=_attr(h, "domain"),
                region=_attr(h, "region"),
                trl=_attr(h, "trl"),
                similarity=_attr(h, "dense_score"),
                keyword_rank=_attr(h, "bm25_rank"),
            )
            for h in hits
        ],
    )


# --------------------------------------------------------------------------------- get_record


class GetRecordInput(BaseModel):
    record_id: str = Field(min_length=1, description="ACH-…, ORG-…, FAC-… id, or a policy document id.")


class GetRecordOutput(BaseModel):
    ok: Literal[True] = True
    id: str
    kind: Literal["achievement", "organisation", "facility", "policy"]
    title: str
    record: dict[str, Any]


@tool(ToolKind.READ, GetRecordInput)
def get_record(args: GetRecordInput, ctx: ToolContext) -> GetRecordOutput | ToolError:
    """Fetch one record by id.

    Arguments: record_id — an achievement (ACH-…), organisation (ORG-…), facility (FAC-…) or
    policy document id (e.g. CN-LAW-PTSTA-2015-EN). Returns its kind, title and all fields.
    Errors: unknown_id.
    """
    kb = get_kb(ctx)
    rid = args.record_id.strip()
    if kind_of_id(rid) is not None:
        rec = kb.get(rid) or kb.get(rid.upper())
        if isinstance(rec, Achievement):
            return GetRecordOutput(
                id=rec.id, kind="achievement", title=rec.title, record=rec.model_dump(mode="json")
            )
        if isinstance(rec, Organisation):
            return GetRecordOutput(
                id=rec.id, kind="organisation", title=rec.name, record=rec.model_dump(mode="json")
            )
        if isinstance(rec, Facility):
            return GetRecordOutput(
                id=rec.id, kind="facility", title=rec.name, record=rec.model_dump(mode="json")
            )
    else:
        doc = kb.policy(rid)
        if doc is not None:
            return GetRecordOutput(
                id=doc.id, kind="policy", title=doc.title, record=doc.model_dump(mode="json")
            )
    return fail(ctx, "unknown_id", f"No record with id {rid}.", f"未找到编号为 {rid} 的记录。", id=rid)


# ----------------------------------------------------------------------------- search_policies


class SearchPoliciesInput(BaseModel):
    query: str = Field(min_length=1, description="The policy question, in Chinese or English.")
    k: Annotated[int, Field(ge=1, le=20)] = Field(5, description="How many passages (1..20).")
    lang: Literal["zh", "en"] | None = Field(
        None, description='Prefer passages in this language: "zh" or "en".'
    )
    doc_id: str | None = Field(None, description="Only this policy document, e.g. CN-LAW-PTSTA-2015-ZH.")
    question: str | None = Field(
        None,
        description="The user's question as asked (the answer is matched on it; `query` may carry extra "
        "search words). Default: the query.",
    )
    org_id: str | None = Field(
        None,
        description="The organisation (ORG-…) whose people the question is about: its own published reward "
        "rule answers first.",
    )


class PolicyPassage(BaseModel):
    doc_id: str
    title: str
    section_ref: str = Field(description='Citable section, e.g. "Article 45" / "第四十五条".')
    heading: str = ""
    issuer: str = ""
    year: int | None = None
    jurisdiction: str = ""
    url: str | None = None
    lang: str | None = None
    text: str
    score: float = 0.0
    citation: str = Field(description='Ready to cite: "<title>, <section ref> [<doc id>]".')


class SearchPoliciesOutput(BaseModel):
    ok: Literal[True] = True
    query: str
    answer: PolicyAnswer | None = Field(
        None,
        description="The rule that answers the question: a short statement in the user's language, each "
        "sentence with [doc id, section]; status not_in_kb when the knowledge base does not say.",
    )
    passages: list[PolicyPassage] = Field(
        description="The governing provision first (when an answer was found), then the other passages."
    )


def _passage(doc: Any, sec: Any, score: float, lang: str) -> PolicyPassage:
    return PolicyPassage(
        doc_id=doc.id,
        title=doc.title,
        section_ref=sec.ref,
        heading=sec.heading or "",
        issuer=doc.issuer or "",
        year=doc.year,
        jurisdiction=doc.jurisdiction or "",
        url=doc.url,
        lang=doc.lang,
        text=sec.text,
        score=score,
        citation=f"{doc.title}, {sec.ref} [{doc.id}]"
        if lang == "en"
        else f"《{doc.title}》{sec.ref}［{doc.id}］",
    )


def _cited_passages(kb: Any, answer: PolicyAnswer) -> list[PolicyPassage]:
    """The sections the answer cites, governing provision first, as passages."""
    out: list[PolicyPassage] = []
    seen: set[tuple[str, str]] = set()
    for s in answer.sentences:
        key = (s.doc_id, s.section_ref)
        if key in seen:
            continue
        seen.add(key)
        doc = kb.policy(s.doc_id)
        sec = next((x for x in (doc.sections if doc else []) if x.ref == s.section_ref), None)
        if doc is not None and sec is not None:
            out.append(_passage(doc, sec, 1.0, answer.lang))
    return out


@tool(ToolKind.READ, SearchPoliciesInput)
def search_policies(args: SearchPoliciesInput, ctx: ToolContext) -> SearchPoliciesOutput | ToolError:
    """Answer a policy question and return the passages, ready to cite.

    Arguments: query (zh or en); question (the user's words, if query was expanded); k (1..20,
    default 5); lang ("zh"/"en", answer and passages in that language); doc_id (restrict to one
    document, e.g. CN-LAW-PTSTA-2015-ZH; no answer then); org_id (whose people the question is
    about: its own reward rule answers first). The answer states the rule (figure, condition, who
    it applies to), each sentence with [doc id, section], or says the knowledge base does not say.
    Passages: the governing provision first, then the others; each has doc id, title, section
    ref, issuer, year, url, text and a citation string.
    Errors: unknown_id (doc_id not in the store).
    """
    kb = get_kb(ctx)
    if args.doc_id and kb.policy(args.doc_id) is None:
        return fail(
            ctx,
            "unknown_id",
            f"No policy document {args.doc_id}.",
            f"未找到政策文件 {args.doc_id}。",
            id=args.doc_id,
        )
    try:
        hits = kb.search_policies(args.query, k=args.k, lang=args.lang, doc_id=args.doc_id)
    except ValueError as exc:
        return fail(ctx, "invalid_args", str(exc), f"查询参数有误：{exc}")
    lang: Literal["zh", "en"] = args.lang or ctx.lang
    answer: PolicyAnswer | None = None
    if args.doc_id is None:
        cache = embeddings_for(kb)
        answer = answer_question(
            (args.question or args.query).strip(),
            lang,
            # The rules' phrasings are embedded once per KB; the question is new each time.
            lambda texts: np.vstack([kb.embed(texts[:1]), cache.matrix(kb, texts[1:])]),
            policies=kb.policies(),
            org_id=args.org_id,
        )
    passages = _cited_passages(kb, answer) if answer is not None and answer.status == "answered" else []
    seen = {(p.doc_id, p.section_ref) for p in passages}
    for h in hits:
        title = _attr(h, "title", "")
        ref = _attr(h, "section_ref", "")
        doc_id = _attr(h, "doc_id", "")
        if (doc_id, ref) in seen:
            continue
        passages.append(
            PolicyPassage(
                doc_id=doc_id,
                title=title,
                section_ref=ref,
                heading=_attr(h, "heading", "") or "",
                issuer=_attr(h, "issuer", "") or "",
                year=_attr(h, "year"),
                jurisdiction=_attr(h, "jurisdiction", "") or "",
                url=_attr(h, "url"),
                lang=_attr(h, "lang"),
                text=_attr(h, "text", ""),
                score=float(_attr(h, "score", 0.0)),
                citation=f"{title}, {ref} [{doc_id}]"
                if (args.lang or ctx.lang) == "en"
                else f"《{title}》{ref}［{doc_id}］",
            )
        )
    return SearchPoliciesOutput(query=args.query, answer=answer, passages=passages)
