"""Answer a policy question with cited passages (`search_policies`).

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from agent.builtin.chain import Chain, _short
from agent.builtin.intents import Intent
from agent.builtin.jobs.spec import JobSpec, RenderContext
from agent.builtin.numbers import parse_int
from agent.builtin.planner import _policy_span
from agent.builtin.policy_topics import expand_policy_query
from agent.builtin.render import Out, _clip, _l, record_text
from agent.builtin.texts import t
from agent.planner import StepResult


def policy(self: Chain, intents: list[Intent]) -> None:
    clauses = [(i.scope or i.clause).strip() for i in intents if i.name == "policy"]
    span = _policy_span(self.u)
    if span is not None:
        clauses = [self.u.text[span[0] : span[1]].strip()]
    question = " ".join(clauses)
    if len(question) < 6:
        question = self.u.text.strip()
    query = expand_policy_query(question, self.lang)
    self.step(
        "search_policies",
        # The user's own words too: the answer is matched on them, the expanded query finds passages.
        {"query": query, "question": question, "k": 3, "lang": self.lang},
        t("sum.search_policies", self.lang, q=_short(question)),
    )


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    """All policy clauses of a message are one question, searched once."""
    policy(chain, jobs)


# --- the answer ------------------------------------------------------------------


_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?])\s+(?=[A-Z(“\"])")


def _terms(text: str) -> set[str]:
    """Words (en, lower-case, >= 3 letters), Chinese bigrams and figures such as "3%": what overlaps a question."""
    low = text.lower()
    words = set(re.findall(r"[a-z]{3,}", low))
    figures = set(re.findall(r"\d+(?:\.\d+)?%", low))
    bigrams = {a + b for run in re.findall(r"[\u4e00-\u9fff]+", text) for a, b in itertools.pairwise(run)}
    return words | figures | bigrams


def excerpt(text: Any, query: str, budget: int) -> str:
    """The passage whole when it fits, else its sentences that best match `query`, in order, joined by "…".

    Clipping a passage at a fixed length cut caps and percentages off mid-sentence ("no single
    recipient may re…"); picking whole sentences keeps the figures the question is about.
    """
    s = " ".join(str(text or "").split())
    if len(s) <= budget:
        return s
    sentences = [x.strip() for x in _SENTENCE_END.split(s) if x and x.strip()]
    if len(sentences) <= 1:
        return _clip(s, budget)
    want = _terms(query)
    scored = sorted(
        range(len(sentences)),
        key=lambda i: (-len(_terms(sentences[i]) & want) - (2 if re.search(r"\d", sentences[i]) else 0), i),
    )
    chosen: list[int] = []
    used = 0
    for i in scored:
        n = len(sentences[i]) + 2
        if used + n > budget and chosen:
            continue
        chosen.append(i)
        used += n
    chosen.sort()
    parts: list[str] = []
    for j, i in enumerate(chosen):
        if i != (chosen[j - 1] + 1 if j else 0):
            parts.append("…")
        parts.append(_clip(sentences[i], budget))
    if chosen[-1] != len(sentences) - 1:
        parts.append("…")
    return " ".join(parts)


def _article_of(ref: str) -> int | None:
    m = re.search(r"\barticle\s+(\d+)\b|第([零一二三四五六七八九十百\d]+)条", ref, re.I)
    if not m:
        return None
    return int(m[1]) if m[1] else parse_int(m[2])


def _asked_articles(question: str) -> set[int]:
    found = re.findall(r"\barticle\s+(\d+)\b|第([零一二三四五六七八九十百\d]+)条", question, re.I)
    out = {int(a) if a else parse_int(b) for a, b in found}
    return {n for n in out if n is not None}


def _policies(o: Out, r: StepResult, question: str = "") -> None:
    lang = o.lang
    passages = [p for p in r.result.get("passages") or [] if isinstance(p, dict)]
    answer = r.result.get("answer")
    answered = isinstance(answer, dict) and answer.get("status") == "answered"
    if isinstance(answer, dict):
        # The rule that answers the question first, each sentence with its provision.
        if answered:
            titles = {(p.get("doc_id"), p.get("section_ref")): p.get("title") for p in passages}
            parts = [
                f"{s.get('text', '')} {o.cite(s.get('doc_id'), titles.get((s.get('doc_id'), s.get('section_ref')), ''), s.get('section_ref'))}"
                for s in answer.get("sentences") or []
                if isinstance(s, dict)
            ]
            o.add((" " if lang == "en" else "").join(parts))
        else:
            o.add(str(answer.get("statement") or ""))
    if not passages:
        if not isinstance(answer, dict):
            o.add(_l(lang, "I found no policy passage on that.", "没有找到相关的政策条文。"))
        return
    o.add(
        _l(lang, "What the policies say:", "相关政策规定：")
        if not answered
        else _l(lang, "The provisions:", "相关条文：")
    )
    asked = _asked_articles(question)
    if asked and not answered:
        # "What is Article 45?": the section asked for comes first, whatever the retriever's order.
        passages.sort(key=lambda p: _article_of(str(p.get("section_ref") or "")) not in asked)
    # The question plus the statute vocabulary the planner added decide which sentences to show.
    query = f"{question} {r.args.get('query', '')}"
    for n, p in enumerate(passages[:3]):
        cite = o.cite(p.get("doc_id"), p.get("title"), p.get("section_ref"), p.get("url"))
        title = p.get("title", "")
        src = _l(
            lang,
            # A Chinese document cited in English is quoted: its title is its own words.
            f"{record_text(title, lang)}, {record_text(p.get('section_ref', ''), lang)}",
            f"《{title}》{p.get('section_ref', '')}",
        )
        # The best passage in full (sections are short); the others by their most relevant sentences.
        body = excerpt(p.get("text"), query, 1000 if n == 0 else 420)
        o.add(f"- {src} {cite}: “{body}”" if lang == "en" else f"- {src} {cite}：“{body}”")


def render(o: Out, r: StepResult, ctx: RenderContext) -> None:
    _policies(o, r, ctx.text)


SPEC = JobSpec(
    name="policy",
    intents=("policy",),
    tools=("search_policies",),
    required_slots=(),
    question_keys=(),
    build=build,
    render=render,
    once=True,
)
