"""`chengguo eval ...`: validate, run and report eval suites."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

eval_app = typer.Typer(
    help="Eval suites: validate tasks, run them (pass^k, JSONL, JUnit, Markdown), re-render reports. 评测。",
    no_args_is_help=True,
)

_err = Console(stderr=True)
_out = Console()

EXIT_BELOW = 1
EXIT_INVALID = 2

SuitesArg = Annotated[
    list[str],
    typer.Argument(help="Suite files or bundled suite names (core, retrieval).", show_default=False),
]


def _print_problems(problems: list[Any]) -> None:
    # Plain lines (no wrapping): `file:task: field: message` must stay greppable.
    for p in problems:
        typer.echo(str(p), err=True)
    typer.echo(f"{len(problems)} problem(s)", err=True)


@eval_app.command("validate")
def validate_cmd(suites: SuitesArg) -> None:
    """Check suites: schema, referenced ids exist in the sample KB, tool names, non-empty criteria."""
    from evals.loader import SuiteError
    from evals.runner import load_suites
    from evals.validate import sample_catalog, validate_suite

    try:
        loaded = load_suites(suites)
    except SuiteError as exc:
        _print_problems(exc.problems)
        raise typer.Exit(EXIT_INVALID) from None
    cat = sample_catalog()
    problems = [p for s in loaded for p in validate_suite(s.suite, s.file, cat)]
    if problems:
        _print_problems(problems)
        raise typer.Exit(EXIT_INVALID)
    for s in loaded:
        n = len(s.suite.tasks) if s.suite.kind == "agent" else len(s.suite.queries)
        _out.print(f"{s.file}: {n} {'tasks' if s.suite.kind == 'agent' else 'queries'} OK")


@eval_app.command("list")
def list_cmd(suites: SuitesArg) -> None:
    """List the tasks of suites (id, language, tags, description)."""
    from evals.loader import SuiteError
    from evals.runner import load_suites
    from evals.schema import AgentSuite

    try:
        loaded = load_suites(suites)
    except SuiteError as exc:
        _print_problems(exc.problems)
        raise typer.Exit(EXIT_INVALID) from None
    for s in loaded:
        table = Table(title=f"{s.suite.suite} ({s.file})")
        for col in ("id", "lang", "tags", "description"):
            table.add_column(col)
        if isinstance(s.suite, AgentSuite):
            for t in s.suite.tasks:
                table.add_row(t.id, t.language, ",".join(t.tags), t.description)
        else:
            for q in s.suite.queries:
                table.add_row(q.id, q.lang or "", q.kind or "", q.query)
        _out.print(table)


class _RichProgress:
    """A live progress bar on stderr with running pass / fail counts."""

    def __init__(self, console: Console) -> None:
        self._p = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[green]{task.fields[ok]} pass[/green] [red]{task.fields[bad]} fail[/red]"),
            TimeElapsedColumn(),
            console=console,
        )
        self._task: Any = None
        self._ok = self._bad = 0
        self._started = False

    def start(self, total: int, label: str) -> None:
        if not self._started:
            self._p.start()
            self._started = True
        self._ok = self._bad = 0
        self._task = self._p.add_task(label, total=total, ok=0, bad=0)

    def advance(self, record: Any) -> None:
        if record.passed:
            self._ok += 1
        else:
            self._bad += 1
        self._p.update(self._task, advance=1, ok=self._ok, bad=self._bad)

    def stop(self) -> None:
        if self._started:
            self._p.stop()


def _summary_table(summaries: list[Any], min_pass: float | None) -> Table:
    table = Table(title="eval summary")
    for col in ("suite", "kind", "items", "result", "verdict"):
        table.add_column(col)
    for s in summaries:
        if s.kind == "agent":
            result = "  ".join(f"pass^{k} {100 * v:.1f}%" for k, v in s.pass_hat.items())
        else:
            rec = "  ".join(f"R@{k} {v:.3f}" for k, v in s.recall.items())
            result = f"{rec}  MRR {s.mrr or 0:.3f}  hit {100 * s.pass_rate:.1f}%"
        verdict = (
            ""
            if min_pass is None
            else ("[green]ok[/green]" if s.headline >= min_pass else "[red]below[/red]")
        )
        table.add_row(s.suite, s.kind, str(s.items), result, verdict)
    return table


@eval_app.command("run")
def run_cmd(
    suites: SuitesArg,
    repeat: Annotated[
        int, typer.Option("--repeat", "-k", min=1, help="Attempts per task (pass^1..pass^k).")
    ] = 1,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1, help="Attempts run at once.")] = 1,
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help='"builtin" or a LangChain model id; default CHENGGUO_MODEL.'),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for results.jsonl, junit.xml, summary.md.")
    ] = Path("eval-results"),
    min_pass: Annotated[
        float | None,
        typer.Option(
            "--min-pass",
            min=0.0,
            max=1.0,
            help="Exit 1 when a suite's pass^1 (retrieval: hit rate) is below.",
        ),
    ] = None,
    filter_: Annotated[
        str | None,
        typer.Option("--filter", "-f", help="Only tasks whose id matches these globs (comma-separated)."),
    ] = None,
    executor: Annotated[
        str, typer.Option("--executor", help="thread or process pool for --concurrency > 1.")
    ] = "thread",
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the per-attempt data dirs (printed) for debugging.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not reuse text embeddings from earlier runs.")
    ] = False,
    work_dir: Annotated[
        Path | None,
        typer.Option("--work-dir", help="Where the template and attempt copies go (default: a temp dir)."),
    ] = None,
) -> None:
    """Run suites; every task attempt on a fresh copy of the pristine sample data."""
    from evals.loader import SuiteError
    from evals.report import below, summarise, write_reports
    from evals.runner import RunOptions, load_suites, run_suites

    if executor not in {"thread", "process"}:
        raise typer.BadParameter("--executor is thread or process")
    try:
        loaded = load_suites(suites)
    except SuiteError as exc:
        _print_problems(exc.problems)
        raise typer.Exit(EXIT_INVALID) from None
    opts = RunOptions(
        repeat=repeat,
        concurrency=concurrency,
        model=model,
        out_dir=out,
        min_pass=min_pass,
        filter=filter_,
        executor=executor,
        keep=keep,
        work_dir=work_dir,
        embedding_cache=not no_cache,
    )
    progress = _RichProgress(_err)
    try:
        result = run_suites(loaded, opts, progress=progress)
    except SuiteError as exc:
        progress.stop()
        _print_problems(exc.problems)
        raise typer.Exit(EXIT_INVALID) from None
    if not result.records:
        _err.print(f"[yellow]no task matched --filter {filter_!r}[/yellow]")
        raise typer.Exit(EXIT_INVALID)
    paths = write_reports(out, result.records, duration_s=result.duration_s)
    summaries = summarise(result.records)
    _out.print(_summary_table(summaries, min_pass))
    for s in summaries:
        for t in s.tasks:
            if t.c < t.n:
                _out.print(
                    f"[red]FAIL[/red] {s.suite}/{t.task_id} {t.c}/{t.n}: " + "; ".join(t.failing)[:300],
                    markup=True,
                    highlight=False,
                    soft_wrap=True,
                )
    _out.print(
        f"{result.duration_s:.1f} s · results {paths['jsonl']} · junit {paths['junit']} · summary {paths['summary']}"
    )
    if keep:
        _out.print(f"attempt data dirs kept under {result.work_dir}")
    if min_pass is not None and below(result.records, min_pass):
        raise typer.Exit(EXIT_BELOW)


@eval_app.command("report")
def report_cmd(
    results: Annotated[Path, typer.Argument(help="A results.jsonl written by `chengguo eval run`.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write the Markdown summary here.")
    ] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Also write JUnit XML here.")] = None,
) -> None:
    """Re-render the Markdown summary (and optionally JUnit XML) from a results JSONL."""
    from evals.report import junit_xml, markdown, read_jsonl

    if not results.exists():
        _err.print(f"{results}: no such file")
        raise typer.Exit(EXIT_INVALID)
    try:
        records = read_jsonl(results)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    text = markdown(records)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    if junit is not None:
        junit.write_text(junit_xml(records), encoding="utf-8")
    typer.echo(text, nl=False)
