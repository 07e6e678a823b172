"""Reports: per-attempt JSONL, JUnit XML for CI, and a Markdown summary (re-renderable from the JSONL)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter

from evals.metrics import pass_hat_curve
from evals.runner import AttemptRecord, QueryRecord, ResultRecord, RunInfo

_RECORD: TypeAdapter[ResultRecord] = TypeAdapter(ResultRecord)


def write_jsonl(path: Path, records: list[ResultRecord]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(r.model_dump_json() + "\n")
    tmp.replace(path)  # never leave a half-written results file


def read_jsonl(path: Path) -> list[ResultRecord]:
    """Parse a results file; a bad line raises ValueError naming file and line."""
    out: list[ResultRecord] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(_RECORD.validate_json(line))
        except ValueError as exc:
            raise ValueError(f"{path}:{lineno}: not a result record: {str(exc).splitlines()[0]}") from exc
    return out


# --------------------------------------------------------------------------------------- summary


class TaskSummary(BaseModel):
    task_id: str
    n: int
    c: int
    tags: list[str] = Field(default_factory=list)
    language: str = ""
    failing: list[str] = Field(
        default_factory=list, description="Distinct failing checks over attempts, with messages."
    )
    mean_s: float = 0.0


class SuiteSummary(BaseModel):
    suite: str
    kind: str
    items: int = 0
    attempts: int = 0
    pass_rate: float = 0.0
    pass_hat: dict[int, float] = Field(default_factory=dict)
    by_tag: dict[str, float] = Field(default_factory=dict, description="pass^1 per tag.")
    by_language: dict[str, float] = Field(default_factory=dict)
    tasks: list[TaskSummary] = Field(default_factory=list)
    recall: dict[str, float] = Field(default_factory=dict)
    mrr: float | None = None
    misses: list[dict[str, Any]] = Field(default_factory=list)
    duration_s: float = 0.0

    @property
    def headline(self) -> float:
        """The number --min-pass compares: pass^1 for agent suites, the hit rate for retrieval."""
        return self.pass_hat.get(1, self.pass_rate) if self.kind == "agent" else self.pass_rate


def summarise(records: list[ResultRecord]) -> list[SuiteSummary]:
    by_suite: dict[str, list[ResultRecord]] = defaultdict(list)
    for r in records:
        by_suite[r.suite].append(r)
    return [_suite_summary(name, recs) for name, recs in by_suite.items()]


def _suite_summary(name: str, recs: list[ResultRecord]) -> SuiteSummary:
    attempts = [r for r in recs if isinstance(r, AttemptRecord)]
    queries = [r for r in recs if isinstance(r, QueryRecord)]
    if queries and not attempts:
        ks = sorted({int(k) for q in queries for k in q.recall})
        return SuiteSummary(
            suite=name,
            kind="retrieval",
            items=len(queries),
            attempts=len(queries),
            pass_rate=sum(q.passed for q in queries) / len(queries),
            recall={str(k): sum(q.recall.get(str(k), 0.0) for q in queries) / len(queries) for k in ks},
            mrr=sum(q.rr for q in queries) / len(queries),
            misses=[
                {
                    "id": q.query_id,
                    "query": q.query,
                    "relevant": q.relevant,
                    "top": q.ranked[:3],
                    "rank": q.rank,
                }
                for q in queries
                if not q.passed
            ],
            duration_s=round(sum(q.duration_s for q in queries), 2),
        )
    per_task: dict[str, list[AttemptRecord]] = defaultdict(list)
    for a in attempts:
        per_task[a.task_id].append(a)
    tasks = []
    for tid, runs in per_task.items():
        failing: dict[str, str] = {}
        for run in runs:
            for c in run.failing:
                failing.setdefault(c.name, c.message)
        tasks.append(
            TaskSummary(
                task_id=tid,
                n=len(runs),
                c=sum(r.passed for r in runs),
                tags=runs[0].tags,
                language=runs[0].language,
                failing=[f"{k}: {v}" if v else k for k, v in failing.items()],
                mean_s=round(sum(r.duration_s for r in runs) / len(runs), 2),
            )
        )
    counts = [(t.n, t.c) for t in tasks]

    def p1(group: list[TaskSummary]) -> float:
        return sum(t.c / t.n for t in group) / len(group) if group else 0.0

    tags: dict[str, list[TaskSummary]] = defaultdict(list)
    langs: dict[str, list[TaskSummary]] = defaultdict(list)
    for t in tasks:
        for tag in t.tags:
            tags[tag].append(t)
        langs[t.language].append(t)
    return SuiteSummary(
        suite=name,
        kind="agent",
        items=len(tasks),
        attempts=len(attempts),
        pass_rate=sum(a.passed for a in attempts) / len(attempts) if attempts else 0.0,
        pass_hat=pass_hat_curve(counts),
        by_tag={k: p1(v) for k, v in sorted(tags.items())},
        by_language={k: p1(v) for k, v in sorted(langs.items())},
        tasks=tasks,
        duration_s=round(sum(a.duration_s for a in attempts), 2),
    )


# ---------------------------------------------------------------------------------------- junit


def junit_xml(records: list[ResultRecord]) -> str:
    """JUnit XML: one <testsuite> per suite, one <testcase> per attempt / query."""
    root = ET.Element("testsuites", name="chengguo-evals")
    by_suite: dict[str, list[ResultRecord]] = defaultdict(list)
    for r in records:
        by_suite[r.suite].append(r)
    total = fails = 0
    total_time = 0.0
    for name, recs in by_suite.items():
        n_fail = sum(not r.passed for r in recs)
        t = sum(r.duration_s for r in recs)
        ts = ET.SubElement(
            root,
            "testsuite",
            name=name,
            tests=str(len(recs)),
            failures=str(n_fail),
            errors="0",
            time=f"{t:.3f}",
        )
        for r in recs:
            if isinstance(r, AttemptRecord):
                case_name = r.task_id if r.run is None or r.run.repeat == 1 else f"{r.task_id}#{r.attempt}"
                tc = ET.SubElement(
                    ts, "testcase", classname=f"{name}", name=case_name, time=f"{r.duration_s:.3f}"
                )
                if not r.passed:
                    first = r.failing[0].name if r.failing else "failed"
                    f = ET.SubElement(
                        tc,
                        "failure",
                        message=f"{len(r.failing)} failing check(s): {first}",
                        type="EvalFailure",
                    )
                    f.text = "\n".join(f"{c.name}: {c.message}" for c in r.failing)
                    if r.answer:
                        out = ET.SubElement(tc, "system-out")
                        out.text = r.answer
            else:
                tc = ET.SubElement(
                    ts, "testcase", classname=name, name=r.query_id, time=f"{r.duration_s:.4f}"
                )
                if not r.passed:
                    f = ET.SubElement(
                        tc,
                        "failure",
                        message=f"no relevant hit in the top results (rank {r.rank})",
                        type="RetrievalMiss",
                    )
                    f.text = f"query: {r.query}\nrelevant: {r.relevant}\ntop: {r.ranked[:5]}"
        total += len(recs)
        fails += n_fail
        total_time += t
    root.set("tests", str(total))
    root.set("failures", str(fails))
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ------------------------------------------------------------------------------------- markdown


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _cell(s: str, limit: int = 240) -> str:
    s = s.replace("|", "\\|").replace("\n", " ")
    return s if len(s) <= limit else s[: limit - 1] + "…"


def markdown(records: list[ResultRecord], *, duration_s: float | None = None) -> str:
    run: RunInfo | None = next((r.run for r in records if r.run is not None), None)
    lines = ["# chengguo eval results", ""]
    if run is not None:
        lines.append(
            f"run `{run.run_id}` · model `{run.model}` · repeat {run.repeat} · concurrency {run.concurrency} "
            f"({run.executor}) · today {', '.join(f'{k}={v}' for k, v in run.today.items()) or '-'}"
            + (f" · filter `{run.filter}`" if run.filter else "")
            + (f" · commit {run.git_commit}" if run.git_commit else "")
        )
    if duration_s is not None:
        built = (
            f" (template build {run.template_s:.1f} s)"
            if run is not None and run.template_s is not None
            else ""
        )
        lines.append(f"wall time {duration_s:.1f} s{built}")
    lines.append("")
    for s in summarise(records):
        lines += _suite_md(s, min_pass=run.min_pass if run else None)
    return "\n".join(lines).rstrip() + "\n"


def _suite_md(s: SuiteSummary, *, min_pass: float | None) -> list[str]:
    verdict = ""
    if min_pass is not None:
        verdict = " — PASS" if s.headline >= min_pass else f" — BELOW --min-pass {min_pass:g}"
    if s.kind == "retrieval":
        out = [f"## {s.suite} (retrieval, {s.items} queries){verdict}", ""]
        heads = [f"recall@{k}" for k in s.recall] + ["MRR", "hit rate"]
        vals = [f"{v:.3f}" for v in s.recall.values()] + [f"{s.mrr or 0:.3f}", _pct(s.pass_rate)]
        out += [
            "| " + " | ".join(heads) + " |",
            "|" + "---|" * len(heads),
            "| " + " | ".join(vals) + " |",
            "",
        ]
        if s.misses:
            out += ["Misses:", "", "| query | relevant | top 3 |", "|---|---|---|"]
            out += [
                f"| {_cell(m['query'], 80)} | {', '.join(m['relevant'])} | {', '.join(m['top'])} |"
                for m in s.misses[:30]
            ]
            out.append("")
        return out
    passed_tasks = sum(1 for t in s.tasks if t.c == t.n)
    out = [
        f"## {s.suite} ({s.items} tasks, {s.attempts} attempts){verdict}",
        "",
        "| metric | value |",
        "|---|---|",
    ]
    out += [f"| pass^{k} | {_pct(v)} |" for k, v in s.pass_hat.items()]
    out += [f"| tasks passing every attempt | {passed_tasks}/{s.items} |", ""]
    if s.by_tag:
        out += (
            ["| tag | pass^1 |", "|---|---|"] + [f"| {k} | {_pct(v)} |" for k, v in s.by_tag.items()] + [""]
        )
    if s.by_language:
        out += (
            ["| language | pass^1 |", "|---|---|"]
            + [f"| {k} | {_pct(v)} |" for k, v in s.by_language.items()]
            + [""]
        )
    failing = [t for t in s.tasks if t.c < t.n]
    if failing:
        out += ["### Failing tasks", "", "| task | passed | failing checks |", "|---|---|---|"]
        out += [f"| {t.task_id} | {t.c}/{t.n} | {_cell('; '.join(t.failing), 400)} |" for t in failing]
        out.append("")
    else:
        out += ["Every task passed every attempt.", ""]
    return out


def write_reports(
    out_dir: Path, records: list[ResultRecord], *, duration_s: float | None = None
) -> dict[str, Path]:
    """results.jsonl, junit.xml and summary.md under `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "jsonl": out_dir / "results.jsonl",
        "junit": out_dir / "junit.xml",
        "summary": out_dir / "summary.md",
    }
    write_jsonl(paths["jsonl"], records)
    paths["junit"].write_text(junit_xml(records), encoding="utf-8")
    paths["summary"].write_text(markdown(records, duration_s=duration_s), encoding="utf-8")
    return paths


def below(records: list[ResultRecord], min_pass: float) -> list[SuiteSummary]:
    """Suites whose headline number is under `min_pass`."""
    return [s for s in summarise(records) if s.headline < min_pass]


def as_json(summaries: list[SuiteSummary]) -> str:
    return json.dumps([s.model_dump() for s in summaries], ensure_ascii=False, indent=2)
