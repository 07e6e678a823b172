"""The runner end to end with a scripted fake agent: pass / fail reporting, isolation, reports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from evals.loader import SuiteError, load_suite
from evals.report import junit_xml, markdown, read_jsonl, summarise, write_reports
from evals.runner import AttemptRecord, LoadedSuite, RunOptions, RunResult, run_suites
from tests.evals.fakes import FAC, CrashingAgent, FakeAgent, catalog, seed_only

SUITE = f"""
suite: fake
today: 2026-11-22
tasks:
  - id: partner-en
    language: en
    tags: [partners]
    turns:
      - user: Find partners for ACH-0001
    criteria:
      actions:
        - tool: find_partners
          args: {{achievement_id: ACH-0001, k: {{range: {{min: 1, max: 10}}}}}}
          status: done
          result: {{matches.0.org_id: ORG-0002}}
      must_not_call: [WRITE]
      answer:
        ids: [ORG-0002, ORG-0004]
        first_id: ORG-0002
  - id: partner-zh
    language: zh
    tags: [partners]
    turns:
      - user: 为ACH-0001找合作伙伴
    criteria:
      actions:
        - tool: find_partners
          args: {{achievement_id: ACH-0001}}
      answer:
        ids: [ORG-0002]
        any_of: [[排除, excluded]]
  - id: wrong-partner
    language: en
    description: expects the wrong achievement, so it must fail naming that check
    turns:
      - user: Find partners for ACH-0001
    criteria:
      actions:
        - tool: find_partners
          args: {{achievement_id: ORG-0003}}
      answer:
        ids: [ORG-0002]
  - id: a-hold-approve
    language: en
    turns:
      - user: hold {FAC} 2026-12-01 2026-12-04
      - decision: approve
    criteria:
      actions:
        - tool: hold_slot
          args: {{facility_id: {FAC}, start: {{range: {{min: 2026-12-01, max: 2026-12-10}}}}}}
          status: done
      state:
        - {{type: hold_exists, facility: {FAC}, window: {{start: 2026-12-01, end: 2026-12-10}}, days: 3}}
        - {{type: no_overlap}}
        - {{type: booking_count, status: held, facility: {FAC}, new_only: true, count: 1}}
  - id: b-no-bookings
    language: en
    description: runs after a-hold-approve; sees no hold when attempts are isolated
    turns:
      - user: policy question
    criteria:
      state:
        - {{type: nothing_written}}
        - {{type: booking_count, status: [held, confirmed], facility: {FAC}, count: 0}}
      answer:
        citations: [{{id: CN-LAW-PTSTA-2015-EN, ref: [Article 45, 第四十五条]}}]
        contains: [50%]
  - id: hold-reject
    language: en
    turns:
      - user: hold {FAC} 2026-12-01 2026-12-04
      - decision: reject
    criteria:
      actions:
        - {{tool: hold_slot, status: rejected}}
      state:
        - {{type: nothing_written}}
  - id: hold-edit
    language: en
    turns:
      - user: hold {FAC} 2026-12-01 2026-12-04
      - decision: edit
        args: {{start: 2026-12-07, end: 2026-12-09}}
    criteria:
      actions:
        - tool: hold_slot
          args: {{start: 2026-12-07, end: 2026-12-09}}
          status: done
      state:
        - {{type: hold_exists, facility: {FAC}, window: {{start: 2026-12-07, end: 2026-12-09}}}}
  - id: clarify
    language: zh
    turns:
      - user: 帮我订个中试线
    criteria:
      must_not_call: [WRITE]
      state:
        - {{type: nothing_written}}
      answer:
        question: true
"""


@pytest.fixture()
def suite_file(tmp_path: Path) -> Path:
    p = tmp_path / "fake.yaml"
    p.write_text(SUITE, encoding="utf-8")
    return p


def _run(suite_file: Path, tmp_path: Path, **kw: object) -> RunResult:
    loaded = [LoadedSuite(file=str(suite_file), suite=load_suite(suite_file))]
    opts = RunOptions(out_dir=tmp_path / "out", work_dir=tmp_path / "work", **kw)  # type: ignore[arg-type]
    return run_suites(loaded, opts, agent_factory=FakeAgent, template_builder=seed_only, catalog=catalog)


def _by_id(result: RunResult) -> dict[str, AttemptRecord]:
    return {r.task_id: r for r in result.records if isinstance(r, AttemptRecord)}


def test_passing_and_failing_tasks_are_reported_with_the_failing_check(
    suite_file: Path, tmp_path: Path
) -> None:
    recs = _by_id(_run(suite_file, tmp_path))
    passing = {
        "partner-en",
        "partner-zh",
        "a-hold-approve",
        "b-no-bookings",
        "hold-reject",
        "hold-edit",
        "clarify",
    }
    assert {t for t, r in recs.items() if r.passed} == passing, {t: r.failing for t, r in recs.items()}
    bad = recs["wrong-partner"]
    assert not bad.passed
    assert [c.name for c in bad.failing] == ["action[0] find_partners"]
    assert "achievement_id" in bad.failing[0].message and "ACH-0001" in bad.failing[0].message
    # The trajectory and the run's settings travel with the record.
    assert any(e["event"] == "message" for e in bad.events)
    assert bad.run is not None and bad.run.repeat == 1 and bad.today == "2026-11-22"


def test_no_state_leaks_between_tasks_even_in_parallel(suite_file: Path, tmp_path: Path) -> None:
    # a-hold-approve runs before b-no-bookings (sorted ids, one worker); b must not see the hold.
    result = _run(suite_file, tmp_path, filter="a-*,b-*", concurrency=2, repeat=2)
    recs = [r for r in result.records if isinstance(r, AttemptRecord)]
    assert {(r.task_id, r.attempt) for r in recs} == {
        (t, a) for t in ("a-hold-approve", "b-no-bookings") for a in (0, 1)
    }
    assert all(r.passed for r in recs), [(r.task_id, r.failing) for r in recs]
    # The attempt copies are removed unless --keep.
    assert not any((tmp_path / "work" / "attempts").rglob("chengguo.db"))


def test_agent_crash_and_script_divergence_fail_the_task_not_the_run(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text(
        """
suite: s
today: 2026-11-22
tasks:
  - id: crash
    language: en
    turns: [{user: anything}]
    criteria: {must_not_call: [WRITE]}
""",
        encoding="utf-8",
    )
    loaded = [LoadedSuite(file=str(p), suite=load_suite(p))]
    opts = RunOptions(out_dir=tmp_path / "o", work_dir=tmp_path / "w")
    res = run_suites(loaded, opts, agent_factory=CrashingAgent, template_builder=seed_only, catalog=catalog)
    (rec,) = res.records
    assert isinstance(rec, AttemptRecord) and not rec.passed
    assert rec.failing[0].name == "agent.crash" and "boom" in rec.failing[0].message

    p.write_text(
        f"""
suite: s
today: 2026-11-22
tasks:
  - id: forgot-decision
    language: en
    turns: [{{user: "hold {FAC} 2026-12-01 2026-12-04"}}, {{user: policy please}}]
    criteria: {{state: [{{type: nothing_written}}]}}
""",
        encoding="utf-8",
    )
    loaded = [LoadedSuite(file=str(p), suite=load_suite(p))]
    res = run_suites(loaded, opts, agent_factory=FakeAgent, template_builder=seed_only, catalog=catalog)
    (rec,) = res.records
    assert isinstance(rec, AttemptRecord)
    names = [c.name for c in rec.failing]
    assert names == ["script"], rec.failing
    assert "hold_slot" in rec.failing[0].message
    # The runner rejected the unexpected approval, so nothing was written.
    assert next(c for c in rec.checks if c.name.startswith("state[0]")).passed


def test_validation_failure_runs_nothing(tmp_path: Path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(
        """
suite: bad
today: 2026-11-22
tasks:
  - id: t-unknown
    language: en
    turns: [{user: hi}]
    criteria:
      actions: [{tool: find_partners, args: {achievement_id: ACH-9999}}]
""",
        encoding="utf-8",
    )
    FakeAgent.instances = 0
    with pytest.raises(SuiteError) as err:
        _run(p, tmp_path)
    assert str(err.value.problems[0]).startswith(
        f"{p}:t-unknown: criteria.actions[0].args.achievement_id: unknown record id ACH-9999"
    )
    assert FakeAgent.instances == 0


def test_reports_junit_markdown_and_jsonl_roundtrip(suite_file: Path, tmp_path: Path) -> None:
    result = _run(suite_file, tmp_path, repeat=2)
    paths = write_reports(tmp_path / "out", result.records, duration_s=result.duration_s)

    root = ET.parse(paths["junit"]).getroot()
    assert root.tag == "testsuites"
    assert root.get("tests") == "16" and root.get("failures") == "2"
    (ts,) = root.findall("testsuite")
    failures = [tc for tc in ts.findall("testcase") if tc.find("failure") is not None]
    assert {tc.get("name") for tc in failures} == {"wrong-partner#0", "wrong-partner#1"}
    assert "action[0] find_partners" in (failures[0].find("failure").text or "")  # type: ignore[union-attr]

    lines = paths["jsonl"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 16
    first = json.loads(lines[0])
    assert {"task_id", "attempt", "passed", "checks", "failing", "events", "run"} <= set(first)
    assert first["run"]["model"] and first["run"]["repeat"] == 2

    back = read_jsonl(paths["jsonl"])
    assert markdown(back) == markdown(result.records)
    (s,) = summarise(back)
    # 7 of 8 tasks pass both attempts: pass^1 = pass^2 = 7/8.
    assert s.pass_hat == {1: pytest.approx(7 / 8), 2: pytest.approx(7 / 8)}
    text = paths["summary"].read_text(encoding="utf-8")
    assert "| pass^1 | 87.5% |" in text and "wrong-partner" in text


def test_junit_counts_from_handmade_records() -> None:
    from evals.checks import CheckResult

    recs = [
        AttemptRecord(suite="s", task_id="t1", attempt=0, passed=True),
        AttemptRecord(
            suite="s",
            task_id="t2",
            attempt=0,
            passed=False,
            failing=[CheckResult(name="state[0] nothing_written", passed=False, message="bookings changed")],
        ),
        AttemptRecord(suite="u", task_id="t3", attempt=0, passed=False),
    ]
    root = ET.fromstring(junit_xml(recs))
    assert (root.get("tests"), root.get("failures")) == ("3", "2")
    suites = {ts.get("name"): (ts.get("tests"), ts.get("failures")) for ts in root.findall("testsuite")}
    assert suites == {"s": ("2", "1"), "u": ("1", "1")}
    msg = root.find("testsuite/testcase[@name='t2']/failure")
    assert msg is not None and "nothing_written" in (msg.get("message") or "")


def test_attempts_never_use_a_shared_database_from_the_environment(
    suite_file: Path, tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An operator's CHENGGUO_DATABASE_URL / CHENGGUO_CHROMA_URL must not make tasks share state."""
    import psycopg

    from knowledge.config import get_settings

    monkeypatch.setenv("CHENGGUO_DATABASE_URL", pg_url)
    monkeypatch.setenv("CHENGGUO_CHROMA_URL", "http://127.0.0.1:9")  # nothing listens there
    get_settings.cache_clear()
    try:
        result = _run(suite_file, tmp_path, filter="a-*,b-*", concurrency=2, repeat=1)
    finally:
        get_settings.cache_clear()
    recs = [r for r in result.records if isinstance(r, AttemptRecord)]
    assert len(recs) == 2 and all(r.passed for r in recs), [(r.task_id, r.failing) for r in recs]
    with psycopg.connect(pg_url) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    assert tables is not None and tables[0] == 0  # nothing was ever written there
