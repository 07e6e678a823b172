"""Flagship records and the labelled retrieval / matching sets."""

from __future__ import annotations

import re
from collections import Counter

from knowledge.lang import text_lang


def test_flagship_achievements(corpus) -> None:
    a1 = corpus.ach("ACH-0001")
    assert a1.domain == "new_energy" and a1.trl == 5 and a1.lang == "zh"
    assert "硫化物固态电解质" in a1.title
    assert corpus.org(a1.owner_id).kind == "university" and a1.owner_id == "ORG-0001"
    assert 4_000_000 <= (a1.asking_price_cny or 0) <= 6_000_000
    assert set(a1.transfer_modes) == {"license", "assignment", "joint_development"}
    a2 = corpus.ach("ACH-0002")
    assert a2.domain == "ccus" and a2.trl == 6 and a2.lang == "en" and "amine" in a2.title.lower()
    a3 = corpus.ach("ACH-0003")
    assert a3.domain == "hydrogen" and a3.trl == 6 and a3.lang == "zh" and "PEM" in a3.title
    assert [a.id for a in corpus.achievements[:3]] == ["ACH-0001", "ACH-0002", "ACH-0003"]


def test_flagship_organisations(corpus) -> None:
    assert corpus.org("ORG-0001").kind == "university"
    o2 = corpus.org("ORG-0002")
    assert o2.kind == "soe" and "new_energy" in o2.domains
    assert any("硫化物" in n and "10 mS/cm" in n for n in o2.needs)
    o3 = corpus.org("ORG-0003")
    assert o3.kind == "investor" and "new_energy" in o3.domains
    assert (o3.trl_min, o3.trl_max) == (4, 7)
    assert (o3.investment_min_cny, o3.investment_max_cny) == (2_000_000, 30_000_000)
    o4 = corpus.org("ORG-0004")
    assert o4.kind == "investor" and "new_energy" in o4.domains and o4.trl_min == 7
    # ORG-0004 is the "strong but excluded" candidate for ACH-0001 (TRL 5).
    assert not (o4.trl_min <= corpus.ach("ACH-0001").trl <= (o4.trl_max or 9))


def test_flagship_facilities(corpus) -> None:
    f1 = corpus.fac("FAC-0001")
    assert f1.kind == "pilot_line" and f1.region == "Jiangsu" and f1.domains == ["new_energy"]
    assert "硫化物电解质合成" in f1.processes and "dry-room cell assembly" in f1.processes
    assert (f1.lead_time_days, f1.min_days) == (14, 5)
    assert 35_000 <= f1.daily_rate_cny <= 40_000
    assert "ccus" in corpus.fac("FAC-0002").domains and corpus.fac("FAC-0002").kind == "testbed"
    f3 = corpus.fac("FAC-0003")
    assert "hydrogen" in f3.domains and "电解槽" in f3.name


def test_retrieval_set_ids_resolve_and_languages_mix(corpus) -> None:
    rows = corpus.retrieval
    assert len(rows) >= 80
    ach = {a.id: a for a in corpus.achievements}
    titles = {a.title.lower() for a in corpus.achievements}
    assert [r["id"] for r in rows] == [f"Q{i:03d}" for i in range(1, len(rows) + 1)]
    for r in rows:
        assert set(r) == {"id", "query", "lang", "cross_lingual", "kind", "relevant"}
        assert r["kind"] == "achievement" and r["relevant"]
        assert all(x in ach for x in r["relevant"]), r["id"]
        assert text_lang(r["query"]) == r["lang"], r
        assert r["query"].lower() not in titles, r["id"]
        langs = {ach[x].lang for x in r["relevant"]}
        assert r["cross_lingual"] == (r["lang"] not in langs), r["id"]
    kinds = Counter((r["lang"], r["cross_lingual"]) for r in rows)
    for key in (("zh", False), ("en", False), ("zh", True), ("en", True)):
        assert kinds[key] >= 10, kinds
    covered = {ach[x].domain for r in rows for x in r["relevant"]}
    assert len(covered) == 14
    # Relevant sets partition the corpus: each achievement belongs to exactly one query.
    all_ids = [x for r in rows for x in r["relevant"]]
    assert len(all_ids) == len(set(all_ids)) == len(ach)


def test_matching_cases_resolve(corpus) -> None:
    rows = corpus.cases
    assert len(rows) >= 20
    assert Counter(r["direction"] for r in rows).keys() == {
        "partners_for_achievement",
        "achievements_for_need",
    }
    assert {r["lang"] for r in rows} == {"zh", "en"}
    first = rows[0]
    assert (first["achievement_id"], first["expected_first"]) == ("ACH-0001", "ORG-0002")
    ach = {a.id: a for a in corpus.achievements}
    orgs = {o.id: o for o in corpus.organisations}
    for r in rows:
        assert re.fullmatch(r"M\d{3}", r["id"]) and r["why"]
        assert r["expected_first"] in r["acceptable"]
        if r["direction"] == "partners_for_achievement":
            a = ach[r["achievement_id"]]
            org = orgs[r["expected_first"]]
            assert org.kind in ("soe", "private") and org.needs
            assert a.domain in org.domains
            assert org.id != a.owner_id
        else:
            assert text_lang(r["need"]) == r["lang"]
            target = ach[r["expected_first"]]
            assert all(ach[x].domain == target.domain for x in r["acceptable"])
