"""Labelled evaluation sets derived from the generator's ground truth (never from running a search).

- retrieval_set: one user-phrased query per topic; relevant = every achievement of that topic.
- matching_cases: partners_for_achievement (expected = the organisation whose need was written for
  the achievement's topic) and achievements_for_need (a need written from one achievement's unique
  form + application, expected = that achievement; `acceptable` lists the whole topic).
"""

from __future__ import annotations

import random
from typing import Any

from knowledge.domains import domain_label
from knowledge.sample_gen.drafts import AchDraft, OrgDraft
from knowledge.sample_gen.spec import Lang, Topic

N_PARTNER_CASES = 15
N_NEED_CASES = 15


def build_retrieval_set(
    rng: random.Random, topics: list[Topic], achs: list[AchDraft]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    turn = {"en": 0, "zh": 0}
    for t in topics:
        members = sorted((a for a in achs if a.topic == t.key), key=lambda a: a.id)
        langs = {a.lang for a in members}
        lang: Lang
        if len(langs) == 1:
            only = next(iter(langs))
            # Alternate so about half of single-language topics get a cross-lingual query.
            turn[only] += 1
            lang = ("zh" if only == "en" else "en") if turn[only] % 2 == 1 else only
        else:
            lang = rng.choice(("zh", "en"))
        rows.append(
            {
                "id": f"Q{len(rows) + 1:03d}",
                "query": t.query.get(lang),
                "lang": lang,
                "cross_lingual": lang not in langs,
                "kind": "achievement",
                "relevant": [a.id for a in members],
            }
        )
    return rows


def _partner_why(lang: Lang, t: Topic, org: OrgDraft, ach: AchDraft) -> str:
    if lang == "zh":
        return (
            f"{org.name}的需求是专门针对“{t.name.zh}”写的（{domain_label(t.domain, 'zh')}领域），"
            f"而{ach.id}正是这一技术的成果（TRL {ach.trl}）。"
        )
    return (
        f"{org.name} states a need written for {t.name.en} ({domain_label(t.domain, 'en')}); "
        f"{ach.id} is a result on exactly that technology (TRL {ach.trl})."
    )


def _need_text(rng: random.Random, lang: Lang, t: Topic, ach: AchDraft) -> str:
    assert ach.form_index is not None and ach.use_index is not None
    form, use, name = t.forms[ach.form_index].get(lang), t.uses[ach.use_index].get(lang), t.name.get(lang)
    metric, value = ach.metrics[0]
    target = metric.render(value, lang)
    if lang == "zh":
        return rng.choice(
            (
                f"需要用于{use}的{form}{name}，目标指标：{target}。",
                f"寻求面向{use}的{form}{name}技术，要求{target}。",
            )
        )
    return rng.choice(
        (
            f"We need {form} {name} for {use}; target performance: {target}.",
            f"Looking for {form} {name} that can be used in {use} (target: {target}).",
        )
    )


def build_matching_cases(
    rng: random.Random, topics: list[Topic], achs: list[AchDraft], orgs: list[OrgDraft]
) -> list[dict[str, Any]]:
    holder = {key: o for o in orgs for key in o.need_topics}
    by_topic: dict[str, list[AchDraft]] = {}
    for a in sorted(achs, key=lambda a: a.id):
        by_topic.setdefault(a.topic, []).append(a)
    rows: list[dict[str, Any]] = []

    def add(row: dict[str, Any]) -> None:
        rows.append({"id": f"M{len(rows) + 1:03d}", **row})

    # Partners for an achievement; the flagship pair comes first.
    flagship = next(a for a in achs if a.id == "ACH-0001")
    others = [t.key for t in topics if t.key in holder and t.key != flagship.topic]
    partner_topics = [flagship.topic, *rng.sample(others, N_PARTNER_CASES - 1)]
    by_key = {t.key: t for t in topics}
    for i, key in enumerate(partner_topics):
        ach = flagship if key == flagship.topic else rng.choice(by_topic[key])
        lang: Lang = "zh" if i % 2 == 0 else "en"
        org = holder[key]
        add(
            {
                "lang": lang,
                "achievement_id": ach.id,
                "direction": "partners_for_achievement",
                "expected_first": org.id,
                "acceptable": [org.id],
                "why": _partner_why(lang, by_key[key], org, ach),
            }
        )

    # Achievements for a need, from topics not used above, on an achievement with a unique form.
    remaining = [t for t in topics if t.key not in partner_topics]
    rng.shuffle(remaining)
    made = 0
    for t in remaining:
        if made == N_NEED_CASES:
            break
        members = by_topic.get(t.key, [])
        forms = [a.form_index for a in members]
        unique = [a for a in members if a.form_index is not None and forms.count(a.form_index) == 1]
        # Topics holding a hand-written flagship are skipped: its form is not tracked, so it could tie.
        if len(members) < 2 or not unique or None in forms:
            continue
        ach = rng.choice(unique)
        lang = "zh" if made % 2 == 0 else "en"
        form = t.forms[ach.form_index].get(lang)  # type: ignore[index]
        why = (
            f"在{len(members)}项“{t.name.zh}”成果中，只有{ach.id}采用{form}并面向该应用场景。"
            if lang == "zh"
            else f"Of the {len(members)} results on {t.name.en}, only {ach.id} is the {form} variant for this application."
        )
        add(
            {
                "lang": lang,
                "need": _need_text(rng, lang, t, ach),
                "direction": "achievements_for_need",
                "expected_first": ach.id,
                "acceptable": [a.id for a in members],
                "why": why,
            }
        )
        made += 1
    return rows
