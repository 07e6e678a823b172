"""`ingest_files`: validation errors, all-or-nothing per file, CSV, policies, bookings, idempotency."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from knowledge.config import Settings
from knowledge.ingest import ingest_files
from knowledge.kb import KnowledgeBase, close_all, open_kb

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"

GOOD_ACH: dict[str, Any] = {
    "id": "ACH-N001",
    "title": "Sodium-ion battery cathode",
    "summary": "A layered oxide cathode for sodium-ion batteries with 160 mAh/g capacity.",
    "domain": "new_energy",
    "keywords": ["sodium-ion", "cathode"],
    "trl": 5,
    "owner_id": "ORG-T001",
    "region": "Jiangsu",
}


def _jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def env(tmp_path: Path) -> Any:
    settings = Settings(data_dir=tmp_path / "data")
    yield settings, tmp_path
    close_all(settings.data_dir)


def _run(settings: Settings, *paths: Path, **kw: Any) -> Any:
    return ingest_files(list(paths), settings=settings, sample_dir=FIXTURE_CORPUS, **kw)


def _kb(settings: Settings) -> KnowledgeBase:
    return open_kb(settings, sample_dir=FIXTURE_CORPUS, progress=False)


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ('{"id": "ACH-N002", "title": ', "json", "invalid JSON"),
        (
            {k: v for k, v in GOOD_ACH.items() if k != "summary"} | {"id": "ACH-N002"},
            "summary",
            "missing required field",
        ),
        (GOOD_ACH | {"id": "ACH-N002", "colour": "red"}, "colour", "unknown field"),
        (GOOD_ACH | {"id": "ACH-N002", "domain": "quantum"}, "domain", "new_energy"),
        (GOOD_ACH | {"id": "ACH-N002", "transfer_modes": ["gift"]}, "transfer_modes.0", "license"),
        (GOOD_ACH | {"id": "ACH-N002", "trl": 12}, "trl", "less than or equal to 9"),
        (
            GOOD_ACH | {"id": "ACH-N002", "owner_id": "ORG-GHOST"},
            "owner_id",
            "unknown organisation 'ORG-GHOST'",
        ),
        (GOOD_ACH, "id", "duplicate id 'ACH-N001' (first at line 1)"),
    ],
)
def test_each_bad_row_is_reported_and_the_file_loads_nothing(
    env: Any, row: Any, field: str, message: str
) -> None:
    settings, tmp = env
    bad = _jsonl(tmp / "bad.jsonl", [GOOD_ACH, row])
    good = _jsonl(tmp / "good.jsonl", [GOOD_ACH | {"id": "ACH-N100"}])
    report = _run(settings, bad, good)
    assert not report.ok
    bad_rep, good_rep = report.files
    assert [(e.line, e.field) for e in bad_rep.errors] == [(2, field)]
    assert message in bad_rep.errors[0].message
    assert str(bad_rep.errors[0]).startswith(f"{bad}:2: {field}: ")
    assert bad_rep.loaded == 0 and bad_rep.rejected == 2
    assert good_rep.ok and good_rep.loaded == 1
    kb = _kb(settings)
    assert kb.get("ACH-N001") is None  # the good row of the bad file was not loaded
    assert kb.get("ACH-N100") is not None


def test_owner_may_come_from_the_same_command(env: Any) -> None:
    settings, tmp = env
    org = {
        "id": "ORG-N001",
        "name": "New Lab",
        "kind": "institute",
        "region": "浙江",
        "domains": ["new_materials"],
    }
    ach = _jsonl(tmp / "a.jsonl", [GOOD_ACH | {"owner_id": "ORG-N001"}])
    orgs = _jsonl(tmp / "o.jsonl", [org])
    report = _run(settings, ach, orgs)  # achievements listed first: load order still puts orgs first
    assert report.ok, [str(e) for f in report.files for e in f.errors]
    kb = _kb(settings)
    assert kb.get("ORG-N001").region == "Zhejiang"  # type: ignore[union-attr]
    assert kb.get("ACH-N001").owner_id == "ORG-N001"  # type: ignore[union-attr]


def test_csv_lists_and_empty_cells(env: Any) -> None:
    settings, tmp = env
    csv_path = tmp / "achievements.csv"
    csv_path.write_text(
        "id,title,summary,domain,keywords,trl,owner_id,transfer_modes,asking_price_cny,region\n"
        'ACH-C001,"Graphene thermal film","Graphene film, 1500 W/mK",new_materials,graphene; thermal film ;,6,ORG-T001,license;equity,,江苏\n'
        "ACH-C002,Lidar chip,Solid-state lidar on silicon photonics,integrated_circuits,,4,ORG-T004,,2500000,Guangdong\n",
        encoding="utf-8",
    )
    report = _run(settings, csv_path)
    assert report.ok and report.files[0].kind == "achievement" and report.files[0].loaded == 2
    kb = _kb(settings)
    one, two = kb.get("ACH-C001"), kb.get("ACH-C002")
    assert one.keywords == ["graphene", "thermal film"] and one.transfer_modes == ["license", "equity"]  # type: ignore[union-attr]
    assert one.asking_price_cny is None and one.region == "Jiangsu" and one.trl == 6  # type: ignore[union-attr]
    assert two.keywords == [] and two.asking_price_cny == 2_500_000  # type: ignore[union-attr]


def test_csv_unknown_column_and_bad_cell_line_numbers(env: Any) -> None:
    settings, tmp = env
    p = tmp / "orgs.csv"
    p.write_text("id,name,kind,region,colour\nORG-C1,A,university,Beijing,red\n", encoding="utf-8")
    rep = _run(settings, p).files[0]
    assert [(e.line, e.field) for e in rep.errors] == [(1, "colour")]
    q = tmp / "orgs2.csv"
    q.write_text(
        "id,name,kind,region\nORG-C1,A,university,Beijing\nORG-C2,B,startup,Beijing\n", encoding="utf-8"
    )
    rep2 = _run(settings, q).files[0]
    assert [(e.line, e.field) for e in rep2.errors] == [(3, "kind")]
    assert _kb(settings).get("ORG-C1") is None


def test_reingest_is_idempotent(env: Any) -> None:
    settings, tmp = env
    rows = [GOOD_ACH, GOOD_ACH | {"id": "ACH-N002", "title": "Sodium-ion anode hard carbon"}]
    path = _jsonl(tmp / "a.jsonl", rows)
    first = _run(settings, path)
    kb = _kb(settings)
    stats = kb.stats()
    chroma_count = kb.chroma.count("achievement")
    bm25_size = kb._snap.index.bm25.size
    second = _run(settings, path)
    assert first.files[0].loaded == second.files[0].loaded == 2
    assert kb.stats() == stats
    assert kb.chroma.count("achievement") == chroma_count == stats["achievement"]
    assert kb._snap.index.bm25.size == bm25_size == len(kb._snap.index)
    hits = kb.search("sodium-ion battery cathode", k=10)
    assert [h.id for h in hits].count("ACH-N001") == 1
    # An update by id replaces the record everywhere.
    _jsonl(path, [GOOD_ACH | {"title": "Potassium-ion cathode"}])
    _run(settings, path)
    assert kb.get("ACH-N001").title == "Potassium-ion cathode"  # type: ignore[union-attr]
    assert kb.search("potassium", mode="bm25", k=1)[0].id == "ACH-N001"
    assert kb.chroma.count("achievement") == chroma_count


def test_dry_run_loads_nothing(env: Any) -> None:
    settings, tmp = env
    path = _jsonl(tmp / "a.jsonl", [GOOD_ACH])
    report = _run(settings, path, dry_run=True)
    assert report.ok and report.dry_run and report.files[0].loaded == 0 and report.files[0].rows == 1
    assert _kb(settings).get("ACH-N001") is None


def test_kind_inference_and_override(env: Any) -> None:
    settings, tmp = env
    odd = _jsonl(tmp / "stuff.jsonl", [{"name": "x"}])
    rep = _run(settings, odd).files[0]
    assert rep.errors and rep.errors[0].field == "kind" and "--kind" in rep.errors[0].message
    rep2 = _run(settings, odd, kind="organisation").files[0]
    assert {e.field for e in rep2.errors} >= {"id", "kind", "region"}  # validated as organisations


def test_policy_markdown_ingest_and_reingest_with_fewer_sections(env: Any) -> None:
    settings, tmp = env
    md = tmp / "rule.md"
    body = "---\nid: ALLIANCE-RULE-1\ntitle: Alliance pilot facility rules\nissuer: Alliance\nyear: 2025\njurisdiction: Alliance\n---\n"
    md.write_text(
        body
        + "## Rule 1 — Holds\nA tentative hold expires after seven days.\n\n## Rule 2 — Fees\nDaily fees are paid in advance.\n",
        encoding="utf-8",
    )
    assert _run(settings, md).ok
    kb = _kb(settings)
    hit = kb.search_policies("how long does a tentative hold last", k=1)[0]
    assert (hit.doc_id, hit.section_ref, hit.heading) == ("ALLIANCE-RULE-1", "Rule 1", "Holds")
    passages = kb.chroma.count("passage")
    md.write_text(body + "## Rule 1 — Holds\nA tentative hold expires after five days.\n", encoding="utf-8")
    assert _run(settings, md).ok
    assert kb.chroma.count("passage") == passages - 1
    assert [s.ref for s in kb.policy("ALLIANCE-RULE-1").sections] == ["Rule 1"]  # type: ignore[union-attr]
    bad = tmp / "bad.md"
    bad.write_text(
        "---\nid: X\ntitle: T\nyear: 2025\njurisdiction: CN\n---\n## Article 1\ntext\n", encoding="utf-8"
    )
    rep = _run(settings, bad).files[0]
    assert [(e.line, e.field) for e in rep.errors] == [(1, "issuer")] and kb.policy("X") is None


def test_bookings_go_to_the_booking_store(env: Any) -> None:
    from knowledge.bookings import BookingStore

    settings, tmp = env
    ok = _jsonl(
        tmp / "bookings.jsonl",
        [
            {
                "facility_id": "FAC-T001",
                "start": "2027-03-01",
                "end": "2027-03-08",
                "status": "confirmed",
                "holder": "ORG-T003",
                "reference": "BK-TEST-1",
            },
        ],
    )
    report = _run(settings, ok)
    assert report.ok and report.files[0].kind == "booking" and report.files[0].loaded == 1
    again = _run(settings, ok)
    assert again.ok and again.files[0].loaded == 1
    store = BookingStore(settings)
    try:
        row = store.get("BK-TEST-1")
        assert row is not None and row.facility_id == "FAC-T001"
        assert len([b for b in store.list(facility_id="FAC-T001") if b.reference == "BK-TEST-1"]) == 1
    finally:
        store.close()
    dangling = _jsonl(
        tmp / "b2.jsonl",
        [
            {
                "facility_id": "FAC-NOPE",
                "start": "2027-03-01",
                "end": "2027-03-02",
                "status": "held",
                "holder": "x",
                "reference": "BK-TEST-2",
            },
            {
                "facility_id": "FAC-T001",
                "start": "2027-03-05",
                "end": "2027-03-02",
                "status": "held",
                "holder": "x",
                "reference": "BK-TEST-3",
            },
        ],
    )
    rep = _run(settings, dangling).files[0]
    assert [(e.line, e.field) for e in rep.errors] == [(1, "facility_id"), (2, "end")]
