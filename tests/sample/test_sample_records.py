"""The committed sample corpus: every line validates, coverage, references and realism checks."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from knowledge.domains import DOMAINS
from knowledge.lang import text_lang
from knowledge.models import Achievement, Booking, Facility, Organisation
from knowledge.regions import REGIONS
from knowledge.sample_gen import SAMPLE_DIR

_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("achievements.jsonl", Achievement),
        ("organisations.jsonl", Organisation),
        ("facilities.jsonl", Facility),
        ("bookings.jsonl", Booking),
    ],
)
def test_every_line_validates(name: str, model: type) -> None:
    lines = (SAMPLE_DIR / name).read_text(encoding="utf-8").splitlines()
    assert lines, f"{name} is empty"
    for lineno, line in enumerate(lines, start=1):
        try:
            model.model_validate_json(line)
        except Exception as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{name}:{lineno}: {exc}")


def test_achievement_counts_and_domain_coverage(corpus) -> None:
    achs = corpus.achievements
    assert len(achs) >= 400
    per_domain = Counter(a.domain for a in achs)
    assert set(per_domain) == set(DOMAINS)
    assert min(per_domain.values()) >= 20, per_domain
    assert len({a.id for a in achs}) == len(achs)
    assert len({a.title for a in achs}) == len(achs), "titles must be unique"


def test_chinese_share_and_language_purity(corpus) -> None:
    achs = corpus.achievements
    zh = [a for a in achs if a.lang == "zh"]
    assert 0.25 <= len(zh) / len(achs) <= 0.5
    for a in zh:
        assert text_lang(a.title) == "zh", a.id
        assert text_lang(a.summary) == "zh", a.id
        latin = [k for k in a.keywords if not _CJK.search(k)]
        # Only formulas, acronyms and model designations (e.g. "In2O3/ZrO2", "800G DR8") may stay Latin.
        assert len(latin) * 2 < len(a.keywords), (a.id, a.keywords)
        assert all(not re.search(r"[a-z]{4,}", k) for k in latin), (a.id, latin)
    for a in achs:
        if a.lang == "en":
            assert not _CJK.search(a.title + a.summary + "".join(a.keywords)), a.id


def test_summaries_are_specific(corpus) -> None:
    for a in corpus.achievements:
        assert re.search(r"\d", a.summary), f"{a.id} summary has no number"
        sentences = [s for s in re.split(r"(?<=\.)\s+|(?<=。)", a.summary) if s.strip()]
        assert 2 <= len(sentences) <= 6, (a.id, sentences)
        assert f"TRL {a.trl}" in a.summary, a.id


def test_achievement_fields_look_real(corpus) -> None:
    achs = corpus.achievements
    assert {a.trl for a in achs} >= set(range(2, 10))
    prices = [a.asking_price_cny for a in achs if a.asking_price_cny is not None]
    assert min(prices) >= 300_000 and max(prices) <= 80_000_000
    assert any(a.asking_price_cny is None for a in achs)
    assert all(a.region in REGIONS for a in achs)
    assert all(a.transfer_modes for a in achs)
    assert len({tuple(a.transfer_modes) for a in achs}) >= 10
    ip_pattern = re.compile(r"^(CN\d{12}\.[\dX]|ZL \d{4} [12] \d{7}\.[\dX]|\d{4}SR\d{7})$")
    for a in achs:
        assert a.ip, a.id
        for ref in a.ip:
            assert ip_pattern.match(ref), (a.id, ref)
    kinds = Counter(ref[:2] if ref[:2] in ("CN", "ZL") else "SR" for a in achs for ref in a.ip)
    assert kinds["CN"] and kinds["ZL"] and kinds["SR"]


def _check_digit(digits: str) -> str:
    # CNIPA rule, written independently here: weights 2..9,2..5 over 12 digits, mod 11, 10 -> X.
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "X" if total == 10 else str(total)


def test_patent_numbers_carry_valid_check_digits(corpus) -> None:
    for a in corpus.achievements:
        for ref in a.ip:
            if ref.startswith("CN"):
                digits, check = ref[2:14], ref[15]
            elif ref.startswith("ZL"):
                digits, check = ref[3:7] + ref[8] + ref[10:17], ref[18]
            else:
                continue
            assert _check_digit(digits) == check, (a.id, ref)


def test_owners_resolve_and_are_mostly_research(corpus) -> None:
    orgs = {o.id: o for o in corpus.organisations}
    kinds = Counter()
    for a in corpus.achievements:
        owner = orgs.get(a.owner_id)
        assert owner is not None, f"{a.id} owner {a.owner_id} missing"
        assert owner.kind != "investor", a.id
        assert a.domain in owner.domains, a.id
        assert a.region == owner.region, a.id
        kinds[owner.kind] += 1
    assert (kinds["university"] + kinds["institute"]) / sum(kinds.values()) >= 0.7


def test_organisations_cover_every_kind(corpus) -> None:
    orgs = corpus.organisations
    assert len(orgs) >= 150
    kinds = Counter(o.kind for o in orgs)
    assert set(kinds) == {"university", "institute", "soe", "private", "investor"}
    assert min(kinds.values()) >= 15, kinds
    assert len({o.name for o in orgs}) == len(orgs)
    langs = Counter(text_lang(o.name) for o in orgs)
    assert langs["zh"] >= 40 and langs["en"] >= 40, langs
    for o in orgs:
        assert o.region in REGIONS, o.id
        assert o.capabilities, o.id
        if o.kind in ("soe", "private"):
            assert 1 <= len(o.needs) <= 3, o.id
            assert all(re.search(r"\d", n) for n in o.needs), o.id
        if o.kind == "investor":
            assert o.investment_min_cny is not None and o.investment_max_cny is not None, o.id
            assert o.trl_min is not None and o.trl_max is not None, o.id
    for d in DOMAINS:
        assert any(d in o.domains and o.kind in ("soe", "private") for o in orgs), d
        assert any(d in o.domains and o.kind in ("university", "institute") for o in orgs), d


def test_facilities_cover_domains_and_resolve(corpus) -> None:
    facs = corpus.facilities
    orgs = {o.id: o for o in corpus.organisations}
    assert len(facs) >= 60
    assert {f.kind for f in facs} == {"pilot_line", "testbed", "lab", "demonstration_site"}
    assert {d for f in facs for d in f.domains} == set(DOMAINS)
    assert len({f.region for f in facs}) >= 10
    assert len({f.name for f in facs}) == len(facs)
    for f in facs:
        owner = orgs.get(f.owner_id)
        assert owner is not None and owner.kind != "investor", f.id
        assert f.region == owner.region, f.id
        assert 3_000 <= f.daily_rate_cny <= 150_000, f.id
        assert 1 <= f.min_days <= 14 and 0 <= f.lead_time_days <= 30, f.id
        assert f.processes and f.capacity and f.certifications and f.prerequisites, f.id
