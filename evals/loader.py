"""Load suite files (YAML) into the schema, with errors as `file:task id: field: message`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from evals.schema import AgentSuite, RetrievalQuery, RetrievalSuite, Suite

SUITES_DIR = Path(__file__).parent / "suites"
REPO_ROOT = Path(__file__).resolve().parent.parent


class Problem(BaseModel):
    """One reason a suite or task is invalid."""

    file: str
    task: str = "-"
    field: str = "-"
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.task}: {self.field}: {self.message}"


class SuiteError(Exception):
    """A suite file that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def resolve_suite(name: str | Path) -> Path:
    """A suite path as given, or a bundled suite by name (`core` -> evals/suites/core.yaml)."""
    p = Path(name)
    if p.exists():
        return p
    for cand in (SUITES_DIR / f"{name}.yaml", SUITES_DIR / f"{name}.yml", SUITES_DIR / str(name)):
        if cand.exists():
            return cand
    raise SuiteError(
        [Problem(file=str(name), message="no such suite file (nor a bundled suite of that name)")]
    )


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "-"


def _problems(file: str, raw: dict[str, Any], exc: ValidationError) -> list[Problem]:
    tasks = raw.get("tasks") if isinstance(raw.get("tasks"), list) else raw.get("queries")
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        task = "-"
        if len(loc) >= 2 and loc[0] in {"tasks", "queries"} and isinstance(loc[1], int):
            item = tasks[loc[1]] if isinstance(tasks, list) and loc[1] < len(tasks) else None
            task = str(item.get("id")) if isinstance(item, dict) and item.get("id") else f"#{loc[1]}"
            loc = loc[2:]
        # Drop pydantic's union-branch labels ("user", "decision", "hold_exists"...) from the path.
        msg = err["msg"].removeprefix("Value error, ")
        out.append(Problem(file=file, task=task, field=_loc(loc), message=msg))
    return out


def load_suite(path: str | Path) -> Suite:
    """Parse and schema-validate one suite file; raises SuiteError listing every problem."""
    p = resolve_suite(path)
    file = str(p)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "-"
        raise SuiteError([Problem(file=file, field=where, message=f"invalid YAML: {exc}")]) from exc
    except OSError as exc:
        raise SuiteError([Problem(file=file, message=str(exc))]) from exc
    if not isinstance(raw, dict):
        raise SuiteError(
            [Problem(file=file, message="a suite file is a mapping with suite, today and tasks")]
        )
    model: type[AgentSuite] | type[RetrievalSuite] = (
        RetrievalSuite if raw.get("kind") == "retrieval" else AgentSuite
    )
    try:
        suite: Suite = model.model_validate(raw)
    except ValidationError as exc:
        raise SuiteError(_problems(file, raw, exc)) from exc
    problems: list[Problem] = []
    if isinstance(suite, AgentSuite):
        seen: set[str] = set()
        for t in suite.tasks:
            if t.id in seen:
                problems.append(Problem(file=file, task=t.id, field="id", message="duplicate task id"))
            seen.add(t.id)
    else:
        suite = _with_source_queries(suite, p, problems)
    if problems:
        raise SuiteError(problems)
    return suite


def _with_source_queries(suite: RetrievalSuite, path: Path, problems: list[Problem]) -> RetrievalSuite:
    """Append queries from the suite's JSONL `source` (labelled queries) to its inline ones."""
    if not suite.source:
        return suite
    src = Path(suite.source)
    if not src.is_absolute():
        src = next((c for c in (path.parent / src, REPO_ROOT / src) if c.exists()), REPO_ROOT / src)
    if not src.exists():
        problems.append(Problem(file=str(path), field="source", message=f"no such file {src}"))
        return suite
    queries = list(suite.queries)
    seen = {q.id for q in queries}
    for lineno, line in enumerate(src.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            q = RetrievalQuery.model_validate(_query_row(row, lineno))
        except (json.JSONDecodeError, ValidationError, ValueError) as exc:
            problems.append(Problem(file=f"{src}:{lineno}", field="-", message=str(exc).splitlines()[0]))
            continue
        if q.id in seen:
            problems.append(
                Problem(file=f"{src}:{lineno}", task=q.id, field="id", message="duplicate query id")
            )
        seen.add(q.id)
        queries.append(q)
    return suite.model_copy(update={"queries": queries})


def _query_row(row: Any, lineno: int) -> dict[str, Any]:
    """Map a retrieval_set.jsonl row onto RetrievalQuery, accepting the generator's field names."""
    if not isinstance(row, dict):
        raise ValueError("a labelled query is a JSON object")
    rel = row.get("relevant", row.get("relevant_ids", row.get("expected_ids", row.get("expected"))))
    if isinstance(rel, str):
        rel = [rel]
    out = {
        "id": str(row.get("id") or row.get("qid") or f"q{lineno}"),
        "query": row.get("query") or row.get("text"),
        "relevant": rel,
        "kind": row.get("kind"),
        "lang": row.get("lang"),
    }
    return {k: v for k, v in out.items() if v is not None}
