"""knowledge/sample/README.md, written by the generator so its numbers always match the files."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from knowledge.domains import DOMAINS
from knowledge.models import Achievement, Booking, Facility, Organisation
from knowledge.sample_gen.calendar import END, START


def fully_booked_months(bookings: list[Booking]) -> dict[str, list[str]]:
    """facility id -> ["2027-05", ...] months in which every day is covered by a confirmed booking."""
    busy: dict[str, set[date]] = {}
    for b in bookings:
        if b.status != "confirmed":
            continue
        days = busy.setdefault(b.facility_id, set())
        d = b.start
        while d < b.end:
            days.add(d)
            d += timedelta(days=1)
    out: dict[str, list[str]] = {}
    for fid, days in sorted(busy.items()):
        months: list[str] = []
        d = START
        while d < END:
            nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            if all((d + timedelta(days=i)) in days for i in range((nxt - d).days)):
                months.append(f"{d.year}-{d.month:02d}")
            d = nxt
        if months:
            out[fid] = months
    return out


def occupancy(bookings: list[Booking], facility_id: str) -> float:
    days = sum(b.days for b in bookings if b.facility_id == facility_id and b.status == "confirmed")
    return days / (END - START).days


def render(
    achs: list[Achievement],
    orgs: list[Organisation],
    facilities: list[Facility],
    bookings: list[Booking],
    retrieval: list[dict[str, Any]],
    cases: list[dict[str, Any]],
) -> str:
    per_domain: Counter[str] = Counter(a.domain for a in achs)
    zh = sum(1 for a in achs if a.lang == "zh")
    kinds = Counter(o.kind for o in orgs)
    fac_kinds = Counter(f.kind for f in facilities)
    occ = [occupancy(bookings, f.id) for f in facilities]
    full = fully_booked_months(bookings)
    cross = sum(1 for q in retrieval if q["cross_lingual"])
    directions = Counter(c["direction"] for c in cases)
    domain_rows = "\n".join(f"| {d} | {per_domain[d]} |" for d in DOMAINS)
    full_rows = "\n".join(f"| {fid} | {', '.join(months)} |" for fid, months in list(full.items())[:12])
    return f"""# Sample corpus — FICTIONAL SAMPLE DATA

**Everything in this folder except `policies/` is invented.** Organisation names, achievements,
facilities, prices, patent numbers and bookings were produced by a seeded generator
(`python -m knowledge.sample_gen`) so that chengguo works on a fresh machine. The names are made
up on purpose (e.g. "澄湖理工大学", "Shuofang Institute of Low-Carbon Technology",
"中砺动力电池有限公司"); no record describes a real university, company, fund or patent, and any
resemblance is accidental. Do not cite these records as facts. `policies/` is maintained
separately and states real rules in our own words.

## Files

| file | records | notes |
|---|---|---|
| achievements.jsonl | {len(achs)} | {zh} Chinese ({zh / len(achs):.0%}), {len(achs) - zh} English; TRL 2-9 |
| organisations.jsonl | {len(orgs)} | {", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))} |
| facilities.jsonl | {len(facilities)} | {", ".join(f"{k} {v}" for k, v in sorted(fac_kinds.items()))} |
| bookings.jsonl | {len(bookings)} | {START} to {END - timedelta(days=1)}; confirmed occupancy {min(occ):.0%}-{max(occ):.0%} per facility |
| retrieval_set.jsonl | {len(retrieval)} | labelled queries; {cross} cross-lingual |
| matching_cases.jsonl | {len(cases)} | {directions["partners_for_achievement"]} partners_for_achievement, {directions["achievements_for_need"]} achievements_for_need |

Achievements per domain:

| domain | achievements |
|---|---|
{domain_rows}

All records validate against `knowledge/models.py`. Booking `end` dates are exclusive; bookings of
one facility never overlap; a few bookings are `cancelled` and must not block a slot.

## Flagship records (stable ids)

Only these ids are promised to stay stable; every other id is stable only while the generator and
its seed (20261122) are unchanged.

| id | what | why it matters |
|---|---|---|
| ACH-0001 | 硫化物固态电解质Li6PS5Cl液相合成 (zh), new_energy, TRL 5, owner ORG-0001, asking RMB 5,000,000, modes assignment + license + joint_development | the demo achievement |
| ACH-0002 | biphasic amine CO2 capture solvent (en), ccus, TRL 6, owner ORG-0006 | English CCUS demo |
| ACH-0003 | 兆瓦级低铱PEM电解水制氢电堆 (zh), hydrogen, TRL 6, owner ORG-0007 | Chinese hydrogen demo |
| ORG-0001 | 澄湖理工大学, university, Jiangsu | owns ACH-0001 |
| ORG-0002 | 中砺动力电池有限公司, SOE battery maker, Jiangsu | its needs ask for tonne-scale sulfide electrolytes (≥10 mS/cm): the obvious partner for ACH-0001 |
| ORG-0003 | Qinglan Energy Ventures, investor, new_energy/grid_storage/hydrogen, TRL 4-7, RMB 2M-30M | a fitting investor for ACH-0001 |
| ORG-0004 | 瀚海成长股权投资基金, investor, new_energy, TRL 7-9 only, RMB 50M-500M | looks strong but must be excluded for ACH-0001 (TRL 5) |
| ORG-0005 | 华东先进材料研究院, institute, Jiangsu | owns FAC-0001 |
| ORG-0006 | Shuofang Institute of Low-Carbon Technology, institute, Shaanxi | owns ACH-0002 and FAC-0002 |
| ORG-0007 | 鹤岭氢能研究院, institute, Inner Mongolia | owns ACH-0003 and FAC-0003 |
| FAC-0001 | 华东先进材料研究院固态电池中试线, pilot_line, Jiangsu, new_energy; processes include "硫化物电解质合成" and "dry-room cell assembly"; RMB 38,000/day, min 5 days, lead time 14 days | the demo booking target |
| FAC-0002 | CO2 capture solvent testbed (Shaanxi), RMB 65,000/day, min 7 days, lead 21 days | CCUS facility |
| FAC-0003 | 鹤岭氢能研究院兆瓦级电解槽测试平台 (Inner Mongolia), RMB 45,000/day, min 3 days, lead 10 days | hydrogen facility |

FAC-0001 calendar (pinned): confirmed bookings 2027-01-11 → 2027-02-01 and 2027-02-01 → 2027-02-26
(so early February 2027 is busy), **free 2027-02-26 → 2027-03-29** (a free three-week window in
March 2027), then booked again from 2027-03-29. A request for early February 2027 should be offered
the window starting 2027-02-26.

Fully booked months (first facilities; every day covered by confirmed bookings):

| facility | months |
|---|---|
{full_rows}

## Ground truth

- Each achievement comes from one *topic* of a per-domain topic bank (`knowledge/sample_gen/topics_*.py`,
  ~10 technologies per domain). A retrieval query's `relevant` ids are all achievements of its topic.
  `cross_lingual` is true when no relevant record is in the query's language.
- Every topic's demand statement was given to exactly one SOE or private firm (`needs`). A
  `partners_for_achievement` case expects that organisation first. An `achievements_for_need` case
  is written from one achievement's unique variant and application; `acceptable` lists the other
  achievements of the same topic, which are reasonable but less specific answers.

## Regenerating

```
python -m knowledge.sample_gen            # rewrites the jsonl files and this README
python -m knowledge.sample_gen --out DIR  # writes them somewhere else
```

The generator is deterministic: two runs produce byte-identical files (checked by
`tests/sample/test_generator.py`).
"""
