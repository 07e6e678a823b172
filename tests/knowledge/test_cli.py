"""`chengguo kb ...` and `chengguo ingest ...` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli import app

runner = CliRunner()
FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def _json(args: list[str]) -> object:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_kb_stats_json(isolated_cli: Path) -> None:
    stats = _json(["kb", "stats", "--json"])
    assert isinstance(stats, dict)
    assert set(stats) == {"achievement", "organisation", "facility", "policy", "policy_passage"}
    assert stats["achievement"] == 8 and stats["policy"] == 2


def test_kb_search_json_and_filters(isolated_cli: Path) -> None:
    hits = _json(
        ["kb", "search", "氢能 hydrogen", "--kind", "achievement", "--region", "北京", "-k", "5", "--json"]
    )
    assert isinstance(hits, list) and hits
    for h in hits:
        assert {"id", "kind", "title", "score"} <= set(h)
        assert h["kind"] == "achievement" and h["region"] == "Beijing"
    pol = _json(["kb", "search", "technology transfer income tax exemption", "--kind", "policy", "--json"])
    assert (
        pol[0]["kind"] == "policy"
        and pol[0]["section_ref"] == "Article 90"
        and pol[0]["id"] == "CN-REG-EIT-2007-EN"
    )
    bm25 = _json(["kb", "search", "flow battery", "--mode", "bm25", "--trl-min", "8", "--json"])
    assert [h["id"] for h in bm25] == ["ACH-T004"]


def test_kb_search_bad_arguments(isolated_cli: Path) -> None:
    bad_domain = runner.invoke(app, ["kb", "search", "x", "--domain", "quantum"])
    assert bad_domain.exit_code == 2
    assert "hydrogen" in bad_domain.output and "quantum" in bad_domain.output
    assert runner.invoke(app, ["kb", "search", "x", "--trl-min", "11"]).exit_code == 2
    assert runner.invoke(app, ["kb", "search", "x", "--region", "Atlantis"]).exit_code == 2
    assert runner.invoke(app, ["kb", "search", "x", "--mode", "magic"]).exit_code == 2


def test_kb_get(isolated_cli: Path) -> None:
    rec = _json(["kb", "get", "FAC-T002", "--json"])
    assert isinstance(rec, dict) and rec["id"] == "FAC-T002" and rec["daily_rate_cny"] == 20000
    doc = _json(["kb", "get", "CN-REG-EIT-2007-EN", "--json"])
    assert isinstance(doc, dict) and doc["sections"][0]["ref"] == "Article 90"
    missing = runner.invoke(app, ["kb", "get", "ACH-NOPE"])
    assert missing.exit_code == 1 and "ACH-NOPE" in missing.output
    table = runner.invoke(app, ["kb", "get", "ACH-T001"])
    assert table.exit_code == 0 and "高离子电导率" in table.output


def test_ingest_cli_reports_and_exit_codes(isolated_cli: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps({"id": "ORG-CLI1", "name": "CLI Institute", "kind": "institute", "region": "Hubei"})
        + "\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,kind,region\nORG-CLI2,Bad,club,Hubei\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(good), str(bad), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    files = {Path(f["file"]).name: f for f in report["files"]}
    assert files["good.jsonl"]["loaded"] == 1 and files["good.jsonl"]["ok"]
    assert files["bad.csv"]["loaded"] == 0 and files["bad.csv"]["rejected"] == 1
    assert files["bad.csv"]["errors"][0]["text"].startswith(f"{bad}:2: kind: ")
    plain = runner.invoke(app, ["ingest", str(bad)])
    assert plain.exit_code == 1 and f"{bad}:2: kind:" in plain.output
    dry = runner.invoke(app, ["ingest", str(good), "--dry-run"])
    assert dry.exit_code == 0
    assert runner.invoke(app, ["ingest", str(good), "--kind", "widget"]).exit_code == 2
    assert _json(["kb", "get", "ORG-CLI1", "--json"])["region"] == "Hubei"  # type: ignore[index]


def test_rebuild_cli(isolated_cli: Path) -> None:
    counts = _json(["kb", "rebuild", "--json"])
    assert isinstance(counts, dict) and counts["facility"] == 3
