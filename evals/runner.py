"""Run eval suites: every task attempt on a fresh copy of a pristine data dir.

The pristine sample data dir (records, Chroma index, seeded booking calendar) is built ONCE per
run into a template dir; each attempt copies it (a file copy is far cheaper than re-embedding),
applies the task's initial-state additions through the ingest / booking-store APIs, plays the
script against the agent, snapshots the booking store and evaluates the criteria.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import platform
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from agent.events import Decision
from agent.protocols import AgentStream
from evals.checks import BookingSnap, CheckContext, CheckResult, EndState, check_run
from evals.loader import Problem, SuiteError, load_suite, resolve_suite
from evals.matching import plain
from evals.metrics import first_relevant_rank, recall_at_k, reciprocal_rank
from evals.schema import AgentSuite, DecisionTurn, InitialState, RetrievalSuite, Suite, Task, UserTurn
from evals.trajectory import Trajectory
from evals.validate import Catalog, kb_catalog, validate_suite
from knowledge.config import Settings

# --------------------------------------------------------------------------------------- models


class RunInfo(BaseModel):
    """The run's settings, repeated on every JSONL line so each line stands alone."""

    run_id: str
    started_at: str
    model: str
    repeat: int
    concurrency: int
    executor: str
    filter: str | None = None
    min_pass: float | None = None
    suites: list[str] = Field(default_factory=list)
    today: dict[str, str] = Field(default_factory=dict, description="Suite name -> the date used as today.")
    version: str = ""
    git_commit: str | None = None
    template_s: float | None = Field(None, description="Seconds spent building the pristine template.")
    python: str = platform.python_version()
    host: str = platform.node()


class AttemptRecord(BaseModel):
    """One attempt of one agent task (one JSONL line)."""

    type: Literal["task"] = "task"
    suite: str
    task_id: str
    attempt: int
    description: str = ""
    language: str = ""
    tags: list[str] = Field(default_factory=list)
    today: str = ""
    passed: bool
    checks: list[CheckResult] = Field(default_factory=list)
    failing: list[CheckResult] = Field(default_factory=list)
    duration_s: float = 0.0
    actions: list[dict[str, Any]] = Field(default_factory=list)
    answer: str | None = None
    events: list[dict[str, Any]] = Field(default_factory=list)
    run: RunInfo | None = None


class QueryRecord(BaseModel):
    """One labelled retrieval query (one JSONL line)."""

    type: Literal["query"] = "query"
    suite: str
    query_id: str
    query: str
    kind: str | None = None
    relevant: list[str]
    ranked: list[str]
    rank: int | None = None
    recall: dict[str, float] = Field(default_factory=dict)
    rr: float = 0.0
    passed: bool
    duration_s: float = 0.0
    run: RunInfo | None = None


ResultRecord = AttemptRecord | QueryRecord


class RunOptions(BaseModel):
    repeat: int = Field(1, ge=1)
    concurrency: int = Field(1, ge=1)
    model: str | None = None
    out_dir: Path = Path("eval-results")
    min_pass: float | None = Field(None, ge=0, le=1)
    filter: str | None = None
    executor: Literal["thread", "process"] = "thread"
    keep: bool = False
    work_dir: Path | None = None
    embedding_cache: bool = Field(True, description="Reuse text embeddings across runs (user cache dir).")


# ------------------------------------------------------------------------------------ agent seam


AgentLike = AgentStream
AgentFactory = Callable[[Settings], AgentLike]
TemplateBuilder = Callable[[Settings], None]


def default_agent_factory(settings: Settings) -> AgentLike:
    from agent.runtime import Agent

    return Agent(settings, model=settings.model, today=settings.today)


EMBEDDINGS_FILE = "embeddings.sqlite"


def embedding_cache_path() -> Path:
    """Where eval runs keep text embeddings between runs (a pure function of model + text)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("chengguo", appauthor=False)) / "eval-embeddings.sqlite"


def _sqlite_copy(src: Path, dest: Path) -> None:
    """A consistent copy of a live SQLite file (WAL included) via the backup API, replaced atomically."""
    import sqlite3

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
    with (
        contextlib.closing(sqlite3.connect(str(src))) as a,
        contextlib.closing(sqlite3.connect(str(tmp))) as b,
    ):
        a.backup(b)
    os.replace(tmp, dest)


def build_pristine(settings: Settings, embedding_cache: Path | None = None) -> None:
    """The sample corpus indexed and the sample calendar seeded in `settings.data_dir`.

    With `embedding_cache`, embeddings computed by earlier runs seed the template and the ones
    computed now are saved back, so only the first run pays for encoding the corpus.
    """
    from knowledge.bookings import BookingStore
    from knowledge.kb import open_kb

    target = settings.data_dir / EMBEDDINGS_FILE
    if embedding_cache is not None and embedding_cache.exists() and not target.exists():
        with contextlib.suppress(Exception):  # a damaged cache only costs time
            _sqlite_copy(embedding_cache, target)
    kb = open_kb(settings)
    kb.search("pilot", k=1)  # make sure the index is built and persisted, whatever open_kb defers
    with BookingStore(settings):
        pass
    warm_embeddings(settings, kb)
    if embedding_cache is not None and target.exists():
        with contextlib.suppress(Exception):
            _sqlite_copy(target, embedding_cache)


def warm_embeddings(settings: Settings, kb: Any) -> None:
    """Run the matching tools once on the template so every organisation / achievement text they
    embed lands in the template's embedding cache, which each attempt copy then inherits (a
    process worker would otherwise re-embed hundreds of texts for its first matching task)."""
    import tools.registry  # noqa: F401  (registers every tool)
    from tools.base import REGISTRY, ToolContext

    achievements = kb.records("achievement")
    if not achievements:
        return
    ctx = ToolContext(settings=settings, lang="en", thread_id="eval-warmup")
    for name, args in (
        ("find_partners", {"achievement_id": achievements[0].id}),
        ("find_achievements_for_need", {"need": achievements[0].title}),
    ):
        spec = REGISTRY.get(name)
        if spec is not None:
            with contextlib.suppress(Exception):  # an optimisation only; the tasks report real failures
                spec.run(args, ctx)


def release_kb(settings: Settings) -> None:
    """Close and forget the cached KB of an attempt's data dir, so a run of many attempts does not
    accumulate open SQLite handles, Chroma systems (HNSW files, ~20 MB each) and in-memory indexes."""
    import knowledge.kb as kbmod

    fn = getattr(kbmod, "close_kb", None)
    if callable(fn):
        fn(settings)
        return
    # Until knowledge.kb offers close_kb: its cache is keyed by the resolved data dir first.
    cache = getattr(kbmod, "_KBS", None)
    lock = getattr(kbmod, "_KBS_LOCK", None)
    if not isinstance(cache, dict) or lock is None:
        return
    root = str(settings.data_dir.resolve())
    with lock:
        kbs = [cache.pop(k) for k in [k for k in cache if k and k[0] == root]]
    for kb in kbs:
        with contextlib.suppress(Exception):
            kb.close()
        # KnowledgeBase.close() leaves the embedded Chroma client open; chromadb keeps one System
        # per path until its last client closes.
        client = getattr(getattr(kb, "chroma", None), "client", None)
        close = getattr(client, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()


def clock(today: date) -> datetime:
    """The instant state checks use as now: noon UTC of `today` (matches ToolContext.current_time)."""
    return datetime.combine(today, dtime(12, 0), UTC)


# ---------------------------------------------------------------------------------- one attempt


@dataclass
class Job:
    suite: str
    task: Task
    attempt: int
    today: date


@dataclass
class Env:
    """Where attempts run and how: shared by every attempt of a run."""

    template: Path
    attempts_root: Path
    model: str | None
    run: RunInfo
    agent_factory: AgentFactory = default_agent_factory
    tool_kinds: dict[str, str] = field(default_factory=dict)
    keep: bool = False


def _event_dict(ev: Any) -> dict[str, Any]:
    if isinstance(ev, BaseModel):
        return ev.model_dump(mode="json")
    return dict(ev)


def play(agent: AgentLike, task: Task, thread_id: str) -> Trajectory:
    """Feed the task's turns to the agent, answering approvals with the scripted decisions."""
    traj = Trajectory()
    pending: dict[str, Any] | None = None

    def stream(turn: int, **kwargs: Any) -> dict[str, Any] | None:
        waiting: dict[str, Any] | None = None
        interrupted = False
        for raw in agent.stream(thread_id, **kwargs):
            ev = _event_dict(raw)
            traj.add(turn, ev)
            if ev.get("event") == "approval":
                waiting = dict(ev.get("data") or {})
            elif ev.get("event") == "done":
                interrupted = bool((ev.get("data") or {}).get("interrupted"))
        return (waiting or {"action": "?", "step_id": "?"}) if interrupted else None

    def decide(turn: int, d: DecisionTurn, request: dict[str, Any]) -> dict[str, Any] | None:
        args = plain(d.args) if d.args else None
        traj.add(
            turn,
            {
                "event": "decision",
                "data": {"step_id": request.get("step_id"), "action": d.decision, "args": args},
            },
        )
        return stream(turn, decision=Decision(action=d.decision, args=args))

    try:
        for i, turn in enumerate(task.turns):
            if isinstance(turn, UserTurn):
                if pending is not None:
                    traj.script_problems.append(
                        f"turn {i}: the agent asked to approve {pending.get('action')} {pending.get('args')} "
                        "but the script has no decision for it (rejected it to go on)"
                    )
                    pending = decide(i, DecisionTurn(decision="reject"), pending)
                pending = stream(i, text=turn.user)
            else:
                if pending is None:
                    traj.script_problems.append(
                        f"turn {i}: the script gives decision {turn.decision} but no approval is pending"
                    )
                    continue
                pending = decide(i, turn, pending)
        if pending is not None:
            traj.script_problems.append(
                f"end: the agent still waits for approval of {pending.get('action')} {pending.get('args')}"
            )
    except Exception as exc:  # an agent crash fails the task, never the run
        traj.crashed = f"{type(exc).__name__}: {exc}"
    return traj


def snapshot(settings: Settings, now: datetime) -> list[BookingSnap]:
    from knowledge.bookings import BookingStore

    with BookingStore(settings, seed=False) as store:
        return [
            BookingSnap(
                reference=r.reference,
                facility_id=r.facility_id,
                start=r.start,
                end=r.end,
                status=r.status,
                holder=r.holder,
            )
            for r in store.list(now=now)
        ]


def apply_initial_state(settings: Settings, ist: InitialState, now: datetime) -> None:
    """Add the task's records (ingest path: `open_kb().upsert`) and bookings (booking store import)."""
    records = ist.records()
    if records:
        from knowledge.kb import open_kb

        open_kb(settings).upsert(records)
    if ist.bookings:
        from knowledge.bookings import BookingStore

        with BookingStore(settings) as store:
            store.import_bookings(ist.bookings, actor="eval", now=now)


def _copy_template(template: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(template, dest)


def run_attempt(job: Job, env: Env) -> AttemptRecord:
    t0 = time.perf_counter()
    task = job.task
    work = env.attempts_root / job.suite / task.id / str(job.attempt)
    data_dir = work / "data"
    _copy_template(env.template, data_dir)
    # Each attempt owns a copy of the world: the embedded stores of its data dir, never a shared
    # PostgreSQL database or Chroma server the environment may name (tasks would see each other).
    updates: dict[str, Any] = {
        "data_dir": data_dir,
        "today": job.today,
        "database_url": None,
        "chroma_url": None,
    }
    if env.model:
        updates["model"] = env.model
    settings = Settings(**updates)
    now = clock(job.today)
    traj = Trajectory()
    state: EndState | None = None
    harness: list[CheckResult] = []
    agent: AgentLike | None = None
    try:
        try:
            apply_initial_state(settings, task.initial_state, now)
            before = snapshot(settings, now)
        except Exception as exc:
            harness.append(
                CheckResult(
                    name="harness.initial_state", passed=False, message=f"{type(exc).__name__}: {exc}"
                )
            )
        else:
            agent = env.agent_factory(settings)
            traj = play(agent, task, thread_id=f"eval-{task.id}-{job.attempt}")
            state = EndState(before=before, after=snapshot(settings, now), data_dir=data_dir)
        ctx = CheckContext(task=task, trajectory=traj, state=state, tool_kinds=env.tool_kinds)
        checks = harness or check_run(ctx)
    finally:
        close = getattr(agent, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()
        release_kb(settings)
        if not env.keep:
            shutil.rmtree(work, ignore_errors=True)
    failing = [c for c in checks if not c.passed]
    answers = traj.answers
    return AttemptRecord(
        suite=job.suite,
        task_id=task.id,
        attempt=job.attempt,
        description=task.description,
        language=task.language,
        tags=task.tags,
        today=job.today.isoformat(),
        passed=not failing,
        checks=checks,
        failing=failing,
        duration_s=round(time.perf_counter() - t0, 3),
        actions=[
            {"step_id": a.step_id, "tool": a.tool, "args": a.args, "status": a.status, "approval": a.approval}
            for a in traj.actions
        ],
        answer=answers[-1].text if answers else None,
        events=traj.events,
        run=env.run,
    )


def _run_attempt_in_process(job: Job, env: Env) -> AttemptRecord:
    # Process workers always use the real agent: a test double cannot cross a process boundary.
    env = Env(**{**env.__dict__, "agent_factory": default_agent_factory})
    return run_attempt(job, env)


# ------------------------------------------------------------------------------------ retrieval


def run_retrieval(suite: RetrievalSuite, settings: Settings, run: RunInfo) -> list[QueryRecord]:
    """recall@k, reciprocal rank and pass (a relevant hit in the top pass_at) per labelled query."""
    from knowledge.kb import open_kb

    kb = open_kb(settings)
    depth = max([*suite.k, suite.pass_at])
    out = []
    for q in suite.queries:
        t0 = time.perf_counter()
        if q.kind == "policy":
            ranked = list(dict.fromkeys(h.doc_id for h in kb.search_policies(q.query, k=depth, lang=q.lang)))
        else:
            ranked = [h.id for h in kb.search(q.query, kind=q.kind, k=depth, mode=suite.mode)]
        rank = first_relevant_rank(ranked, q.relevant)
        out.append(
            QueryRecord(
                suite=suite.suite,
                query_id=q.id,
                query=q.query,
                kind=q.kind,
                relevant=q.relevant,
                ranked=ranked,
                rank=rank,
                recall={str(k): recall_at_k(ranked, q.relevant, k) for k in suite.k},
                rr=reciprocal_rank(ranked, q.relevant),
                passed=rank is not None and rank <= suite.pass_at,
                duration_s=round(time.perf_counter() - t0, 4),
                run=run,
            )
        )
    return out


# -------------------------------------------------------------------------------------- the run


@dataclass
class LoadedSuite:
    file: str
    suite: Suite


def load_suites(names: Iterable[str | Path]) -> list[LoadedSuite]:
    """Load every suite, collecting all problems before raising."""
    out, problems = [], []
    for name in names:
        try:
            path = resolve_suite(name)
            out.append(LoadedSuite(file=str(path), suite=load_suite(path)))
        except SuiteError as exc:
            problems += exc.problems
    if problems:
        raise SuiteError(problems)
    return out


def select(tasks: list[Task], pattern: str | None) -> list[Task]:
    """Tasks whose id matches any comma-separated glob of `pattern` (all when None)."""
    if not pattern:
        return tasks
    globs = [p.strip() for p in pattern.split(",") if p.strip()]
    return [t for t in tasks if any(fnmatch.fnmatchcase(t.id, g) for g in globs)]


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("chengguo")
    except Exception:
        return ""


class Progress(Protocol):
    def start(self, total: int, label: str) -> None: ...

    def advance(self, record: ResultRecord) -> None: ...

    def stop(self) -> None: ...


class NullProgress:
    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, record: ResultRecord) -> None:
        pass

    def stop(self) -> None:
        pass


@dataclass
class RunResult:
    run: RunInfo
    records: list[ResultRecord]
    suites: list[LoadedSuite]
    duration_s: float
    work_dir: Path | None = None
    problems: list[Problem] = field(default_factory=list)


@contextlib.contextmanager
def _workdir(opts: RunOptions) -> Iterator[Path]:
    if opts.work_dir is not None:
        opts.work_dir.mkdir(parents=True, exist_ok=True)
        yield opts.work_dir
        return
    d = Path(tempfile.mkdtemp(prefix="chengguo-eval-"))
    try:
        yield d
    finally:
        if not opts.keep:
            shutil.rmtree(d, ignore_errors=True)


def run_suites(
    suites: list[LoadedSuite],
    opts: RunOptions,
    *,
    agent_factory: AgentFactory | None = None,
    template_builder: TemplateBuilder | None = None,
    catalog: Callable[[Settings], Catalog] | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Validate, then run every selected task `opts.repeat` times and every retrieval suite once.

    Raises SuiteError (nothing is run) when a task fails validation.
    """
    t0 = time.perf_counter()
    progress = progress or NullProgress()
    model = opts.model or Settings().model
    run = RunInfo(
        run_id=datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6],
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        model=model,
        repeat=opts.repeat,
        concurrency=opts.concurrency,
        executor=opts.executor,
        filter=opts.filter,
        min_pass=opts.min_pass,
        suites=[s.file for s in suites],
        today={s.suite.suite: s.suite.today.isoformat() for s in suites if isinstance(s.suite, AgentSuite)},
        version=_version(),
        git_commit=_git_commit(),
    )
    records: list[ResultRecord] = []
    with _workdir(opts) as work:
        template = work / "template" / "data"
        # The template's own today does not matter: data is date-free; attempts get their own.
        tmpl_settings = Settings(data_dir=template, model=model, database_url=None, chroma_url=None)
        t_build = time.perf_counter()
        if template_builder is not None:
            template_builder(tmpl_settings)
        else:
            build_pristine(tmpl_settings, embedding_cache_path() if opts.embedding_cache else None)
        run.template_s = round(time.perf_counter() - t_build, 2)
        cat = (catalog or default_catalog)(tmpl_settings)
        problems = [p for s in suites for p in validate_suite(s.suite, s.file, cat)]
        if problems:
            raise SuiteError(problems)

        for s in suites:
            if isinstance(s.suite, RetrievalSuite):
                progress.start(len(s.suite.queries), s.suite.suite)
                for rec in run_retrieval(s.suite, tmpl_settings, run):
                    records.append(rec)
                    progress.advance(rec)

        jobs = [
            Job(suite=s.suite.suite, task=t, attempt=a, today=t.today or s.suite.today)
            for s in suites
            if isinstance(s.suite, AgentSuite)
            for t in select(s.suite.tasks, opts.filter)
            for a in range(opts.repeat)
        ]
        env = Env(
            template=template,
            attempts_root=work / "attempts",
            model=opts.model,
            run=run,
            agent_factory=agent_factory or default_agent_factory,
            tool_kinds=cat.tool_kinds,
            keep=opts.keep,
        )
        if jobs:
            progress.start(len(jobs), "tasks")
            records += _execute(jobs, env, opts, progress, custom_agent=agent_factory is not None)
        progress.stop()
    order = {(s.suite.suite): i for i, s in enumerate(suites)}
    records.sort(
        key=lambda r: (
            order.get(r.suite, 0),
            r.type,
            getattr(r, "task_id", getattr(r, "query_id", "")),
            getattr(r, "attempt", 0),
        )
    )
    return RunResult(
        run=run, records=records, suites=suites, duration_s=round(time.perf_counter() - t0, 2), work_dir=work
    )


def default_catalog(settings: Settings) -> Catalog:
    """What tasks may refer to: the template KB's ids and the tool registry."""
    from knowledge.kb import open_kb

    return kb_catalog(open_kb(settings))


def _execute(
    jobs: list[Job], env: Env, opts: RunOptions, progress: Progress, *, custom_agent: bool
) -> list[AttemptRecord]:
    out: list[AttemptRecord] = []
    if opts.concurrency == 1:
        for job in jobs:
            rec = run_attempt(job, env)
            out.append(rec)
            progress.advance(rec)
        return out
    if opts.executor == "process":
        if custom_agent:
            raise ValueError("a custom agent factory cannot be used with the process executor")
        import multiprocessing

        # spawn, not fork: the parent holds SQLite / Chroma handles and threads a fork would copy.
        pool: Any = ProcessPoolExecutor(
            max_workers=opts.concurrency, mp_context=multiprocessing.get_context("spawn")
        )
        fn: Callable[[Job, Env], AttemptRecord] = _run_attempt_in_process
    else:
        pool = ThreadPoolExecutor(max_workers=opts.concurrency, thread_name_prefix="eval")
        fn = run_attempt
    with pool:
        futures: list[Future[AttemptRecord]] = [pool.submit(fn, job, env) for job in jobs]
        for fut in _as_completed(futures):
            rec = fut.result()
            out.append(rec)
            progress.advance(rec)
    return out


def _as_completed(futures: list[Future[AttemptRecord]]) -> Iterator[Future[AttemptRecord]]:
    from concurrent.futures import as_completed

    yield from as_completed(futures)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
