"""Semantic validation of suites: referenced ids exist, tool names and argument names are real,
criteria are not empty. Schema errors are caught earlier by `evals.loader`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.loader import Problem
from evals.schema import AgentSuite, RetrievalSuite, Suite, Task, referenced_ids

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "sample"
KIND_TAGS = {"READ", "WRITE"}


@dataclass
class ToolInfo:
    kind: str
    args: set[str] | None = None  # None: unknown argument set (do not check names)


@dataclass
class Catalog:
    """What a task may refer to: record ids, policy document ids, tools and their argument names."""

    record_ids: set[str] = field(default_factory=set)
    policy_ids: set[str] = field(default_factory=set)
    tools: dict[str, ToolInfo] = field(default_factory=dict)

    @property
    def tool_kinds(self) -> dict[str, str]:
        return {name: t.kind for name, t in self.tools.items()}


def registry_tools() -> dict[str, ToolInfo]:
    """Tools from `tools.registry` (importing it registers every tool module)."""
    import tools.registry  # noqa: F401  (side effect: fills REGISTRY)
    from tools.base import REGISTRY

    return {
        name: ToolInfo(kind=spec.kind.value, args=set(spec.input_model.model_fields))
        for name, spec in REGISTRY.items()
    }


_FRONT_ID = re.compile(r"^id:\s*[\"']?([^\"'\n]+?)[\"']?\s*$", re.M)


def sample_catalog(tools: dict[str, ToolInfo] | None = None, sample_dir: Path = SAMPLE_DIR) -> Catalog:
    """Ids of the bundled sample corpus (the pristine state every eval task starts from), read cheaply
    from the JSONL files and policy front matter, without building the search index."""
    ids: set[str] = set()
    for name in ("achievements", "organisations", "facilities"):
        path = sample_dir / f"{name}.jsonl"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    ids.add(str(json.loads(line)["id"]))
    policies: set[str] = set()
    for doc in sorted((sample_dir / "policies").glob("*.md")) if (sample_dir / "policies").exists() else []:
        head = doc.read_text(encoding="utf-8").split("\n---", 1)[0]
        m = _FRONT_ID.search(head)
        if m:
            policies.add(m.group(1).strip())
    return Catalog(record_ids=ids, policy_ids=policies, tools=registry_tools() if tools is None else tools)


def kb_catalog(kb: Any, tools: dict[str, ToolInfo] | None = None) -> Catalog:
    """Ids from an opened knowledge base (the runner's template: exactly what tasks start from)."""
    ids = {r.id for kind in ("achievement", "organisation", "facility") for r in kb.records(kind)}
    return Catalog(
        record_ids=ids,
        policy_ids={p.id for p in kb.policies()},
        tools=registry_tools() if tools is None else tools,
    )


def _task_problems(file: str, task: Task, cat: Catalog) -> list[Problem]:
    out: list[Problem] = []

    def bad(fld: str, msg: str) -> None:
        out.append(Problem(file=file, task=task.id, field=fld, message=msg))

    c = task.criteria
    if c.is_empty():
        bad("criteria", "no criteria: add actions, must_not_call, state or answer checks")

    known = cat.record_ids | task.initial_state.record_ids()
    unknown_ok = set(task.unknown_ids)
    reported: set[tuple[str, str]] = set()
    for fld, rid in referenced_ids(task):
        if rid not in known and rid not in unknown_ok and (fld, rid) not in reported:
            reported.add((fld, rid))
            bad(fld, f"unknown record id {rid} (not in the KB nor the task's initial_state)")
    for i, rid in enumerate(task.unknown_ids):
        if rid in known:
            bad(f"unknown_ids[{i}]", f"{rid} exists in the KB; a bad-request task needs an id that does not")

    names = ", ".join(sorted(cat.tools)) or "none registered"
    for i, a in enumerate(c.actions):
        info = cat.tools.get(a.tool)
        if info is None:
            bad(f"criteria.actions[{i}].tool", f"unknown tool {a.tool!r}; known: {names}")
        elif info.args is not None:
            for arg in a.args:
                if arg not in info.args:
                    bad(
                        f"criteria.actions[{i}].args.{arg}",
                        f"{a.tool} has no argument {arg!r}; it takes {sorted(info.args)}",
                    )
    for i, f in enumerate(c.must_not_call):
        if f.tool not in cat.tools and f.tool not in KIND_TAGS:
            bad(
                f"criteria.must_not_call[{i}].tool",
                f"unknown tool {f.tool!r}; known: {names}, or READ / WRITE",
            )
    for i, cm in enumerate(c.answer.citations):
        for doc in cm.id:
            if doc not in cat.policy_ids and doc not in known:
                bad(f"criteria.answer.citations[{i}].id", f"unknown policy document or record id {doc!r}")
    return out


def validate_suite(suite: Suite, file: str, cat: Catalog) -> list[Problem]:
    """Every problem of one loaded suite (empty when valid)."""
    if isinstance(suite, AgentSuite):
        return [p for t in suite.tasks for p in _task_problems(file, t, cat)]
    assert isinstance(suite, RetrievalSuite)
    out = []
    for q in suite.queries:
        for i, rid in enumerate(q.relevant):
            if rid not in cat.record_ids and rid not in cat.policy_ids:
                out.append(Problem(file=file, task=q.id, field=f"relevant[{i}]", message=f"unknown id {rid}"))
    return out


def validate_all(items: Iterable[tuple[str, Suite]], cat: Catalog) -> list[Problem]:
    return [p for file, s in items for p in validate_suite(s, file, cat)]
