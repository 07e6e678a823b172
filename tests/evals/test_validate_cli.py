"""Suite validation (schema + references) and the `chengguo eval` commands through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import evals.runner
import evals.validate
from evals.cli import eval_app
from evals.loader import SuiteError, load_suite
from evals.validate import validate_suite
from tests.evals.fakes import CATALOG, FAC, FakeAgent, seed_only

BAD = """
suite: bad
today: 2026-11-22
tasks:
  - id: unknown-ach
    language: en
    turns: [{user: Find partners for ACH-0001}]
    criteria:
      actions: [{tool: find_partners, args: {achievement_id: ACH-0404}}]
  - id: empty
    language: en
    turns: [{user: hello}]
    criteria: {}
  - id: bad-tool
    language: zh
    turns: [{user: 你好}]
    criteria:
      actions: [{tool: book_everything}]
      must_not_call: [WRITE, frobnicate]
  - id: bad-arg
    language: en
    turns: [{user: x}]
    criteria:
      actions: [{tool: hold_slot, args: {facility: FAC-EVAL-1}}]
  - id: declared-unknown
    language: en
    unknown_ids: [ACH-7777]
    turns: [{user: Find partners for ACH-7777}]
    criteria:
      answer: {ids: [ACH-7777]}
  - id: added-in-initial-state
    language: en
    initial_state:
      achievements:
        - {id: ACH-NEW-1, title: t, summary: s, domain: hydrogen, trl: 5, owner_id: ORG-0002, region: Jiangsu}
      bookings:
        - {facility_id: FAC-EVAL-1, start: 2026-12-01, end: 2026-12-03, status: confirmed, holder: x, reference: R1}
    turns: [{user: Find partners for ACH-NEW-1}]
    criteria:
      actions: [{tool: find_partners, args: {achievement_id: ACH-NEW-1}}]
"""


def test_validation_names_file_task_and_field(tmp_path: Path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(BAD, encoding="utf-8")
    problems = [str(x) for x in validate_suite(load_suite(p), str(p), CATALOG)]
    f = str(p)
    assert (
        f"{f}:unknown-ach: criteria.actions[0].args.achievement_id: unknown record id ACH-0404 (not in the KB nor the task's initial_state)"
        in problems
    )
    assert f"{f}:empty: criteria: no criteria: add actions, must_not_call, state or answer checks" in problems
    assert any(
        x.startswith(f"{f}:bad-tool: criteria.actions[0].tool: unknown tool 'book_everything'")
        for x in problems
    )
    assert any(
        x.startswith(f"{f}:bad-tool: criteria.must_not_call[1].tool: unknown tool 'frobnicate'")
        for x in problems
    )
    assert any(
        x.startswith(f"{f}:bad-arg: criteria.actions[0].args.facility: hold_slot has no argument 'facility'")
        for x in problems
    )
    # Declared unknown ids and ids added by initial_state are fine; nothing else is reported.
    assert len(problems) == 5, problems


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (
            "suite: s\ntoday: 2026-11-22\ntasks:\n  - {id: t1, language: fr, turns: [{user: x}], criteria: {}}\n",
            ":t1: language: Input should be 'zh' or 'en'",
        ),
        (
            "suite: s\ntoday: 2026-11-22\ntasks:\n  - {id: t2, language: en, turns: [{user: x}, {decision: edit}], criteria: {}}\n",
            ":t2: turns[1].decision: decision edit needs args",
        ),
        (
            "suite: s\ntoday: 2026-11-22\ntasks:\n  - {id: t3, language: en, turns: [{user: x}], criteria: {state: [{type: hold_exists}]}}\n",
            ":t3: criteria.state[0].hold_exists.facility: Field required",
        ),
        (
            "suite: s\ntoday: 2026-11-22\ntasks:\n  - {id: t4, language: en, turns: [{user: x}], criteria: {answr: {}}}\n",
            ":t4: criteria.answr: Extra inputs are not permitted",
        ),
        (
            "suite: s\ntoday: 2026-11-22\ntasks:\n  - {id: t5, language: en, turns: [{decision: approve}], criteria: {}}\n",
            ":t5: -: turns: the first turn must be a user turn",
        ),
    ],
)
def test_schema_errors_name_task_and_field(tmp_path: Path, yaml_text: str, expected: str) -> None:
    p = tmp_path / "s.yaml"
    p.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(SuiteError) as err:
        load_suite(p)
    shown = [str(x) for x in err.value.problems]
    assert any(x.startswith(str(p) + expected) for x in shown), shown


def test_duplicate_ids_and_bad_yaml(tmp_path: Path) -> None:
    p = tmp_path / "d.yaml"
    p.write_text(
        "suite: s\ntoday: 2026-11-22\ntasks:\n"
        "  - {id: same, language: en, turns: [{user: x}], criteria: {must_not_call: [WRITE]}}\n"
        "  - {id: same, language: en, turns: [{user: y}], criteria: {must_not_call: [WRITE]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(SuiteError, match="same: id: duplicate task id"):
        load_suite(p)
    p.write_text("suite: [unclosed\n", encoding="utf-8")
    with pytest.raises(SuiteError, match="line 2: invalid YAML"):
        load_suite(p)


# ------------------------------------------------------------------------------------------ CLI

runner = CliRunner()

GOOD = f"""
suite: cli
today: 2026-11-22
tasks:
  - id: partner
    language: en
    turns: [{{user: Find partners for ACH-0001}}]
    criteria:
      actions: [{{tool: find_partners, args: {{achievement_id: ACH-0001}}}}]
      answer: {{first_id: ORG-0002}}
  - id: hold
    language: en
    turns: [{{user: "hold {FAC} 2026-12-01 2026-12-04"}}, {{decision: approve}}]
    criteria:
      state: [{{type: hold_exists, facility: {FAC}}}, {{type: no_overlap}}]
  - id: doomed
    language: en
    turns: [{{user: Find partners for ACH-0001}}]
    criteria:
      answer: {{first_id: ORG-0003}}
"""


@pytest.fixture()
def fake_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evals.runner, "default_agent_factory", FakeAgent)
    monkeypatch.setattr(evals.runner, "build_pristine", seed_only)
    monkeypatch.setattr(evals.runner, "default_catalog", lambda _s: CATALOG)
    monkeypatch.setattr(evals.validate, "sample_catalog", lambda: CATALOG)


def test_cli_validate(tmp_path: Path, fake_env: None) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    res = runner.invoke(eval_app, ["validate", str(good), str(bad)])
    assert res.exit_code == 2
    assert (
        f"{bad}:unknown-ach: criteria.actions[0].args.achievement_id: unknown record id ACH-0404"
        in res.output
    )
    assert "5 problem(s)" in res.output
    res = runner.invoke(eval_app, ["validate", str(good)])
    assert res.exit_code == 0, res.output
    assert "3 tasks OK" in res.output
    res = runner.invoke(eval_app, ["validate", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2 and "no such suite file" in res.output


def test_cli_run_min_pass_and_report(tmp_path: Path, fake_env: None) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(good), "--out", str(out), "--repeat", "2", "--work-dir", str(tmp_path / "w")]
    res = runner.invoke(eval_app, [*args, "--min-pass", "0.9"])
    assert res.exit_code == 1, res.output  # 2 of 3 tasks pass: pass^1 = 2/3 < 0.9
    assert "doomed" in res.output and "answer.first_id ORG-0003" in res.output
    assert {p.name for p in out.iterdir()} == {"results.jsonl", "junit.xml", "summary.md"}
    rows = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6 and sum(r["passed"] for r in rows) == 4

    res = runner.invoke(eval_app, [*args, "--min-pass", "0.6"])
    assert res.exit_code == 0, res.output

    res = runner.invoke(
        eval_app, [*args, "--filter", "hold,partner", "--min-pass", "1.0", "--concurrency", "2"]
    )
    assert res.exit_code == 0, res.output

    res = runner.invoke(eval_app, [*args, "--filter", "nothing*"])
    assert res.exit_code == 2

    summary = tmp_path / "again.md"
    res = runner.invoke(eval_app, ["report", str(out / "results.jsonl"), "--out", str(summary)])
    assert res.exit_code == 0, res.output
    assert "| pass^1 | 100.0% |" in res.output  # the last run (filtered to passing tasks)
    assert summary.read_text(encoding="utf-8") == res.output

    (tmp_path / "junk.jsonl").write_text('{"type": "task"}\n', encoding="utf-8")
    res = runner.invoke(eval_app, ["report", str(tmp_path / "junk.jsonl")])
    assert res.exit_code == 2 and "junk.jsonl:1" in res.output
