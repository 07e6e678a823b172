"""`chengguo kb ...` and `chengguo ingest ...` (mounted by the top-level cli.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from knowledge.index import KINDS

kb_app = typer.Typer(
    help="Inspect and search the knowledge base. 查看与检索知识库（成果、机构、中试设施、政策）。",
    no_args_is_help=True,
    add_completion=False,
)
ingest_app = typer.Typer(add_completion=False)

_out = Console(soft_wrap=True)
_err = Console(stderr=True, soft_wrap=True)


def _emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _kb() -> Any:
    from knowledge.kb import open_kb

    return open_kb()


def auto_backup(reason: str) -> None:
    """A rotating backup before an operation that rewrites the store (only when there is one)."""
    from knowledge.backup import create_backup
    from knowledge.config import get_settings

    settings = get_settings()
    if (settings.data_dir / "chengguo.db").exists():
        create_backup(settings, reason)


# --- kb ----------------------------------------------------------------------------------------
@kb_app.command("stats")
def stats(
    json_out: Annotated[bool, typer.Option("--json", help="JSON output. 以 JSON 输出。")] = False,
) -> None:
    """Count records by kind. 按类别统计记录数。"""
    counts = _kb().stats()
    if json_out:
        _emit_json(counts)
        return
    table = Table(title="Knowledge base / 知识库")
    table.add_column("kind / 类别")
    table.add_column("count / 数量", justify="right")
    for kind, n in counts.items():
        table.add_row(kind, str(n))
    _out.print(table)


@kb_app.command("search")
def search(
    query: Annotated[
        str, typer.Argument(help="What to look for, in Chinese or English. 检索内容（中英文均可）。")
    ],
    kind: Annotated[
        str | None, typer.Option("--kind", help=f"Record kind: {', '.join(KINDS)}, policy. 记录类别。")
    ] = None,
    domain: Annotated[str | None, typer.Option("--domain", help="Domain id or label. 技术领域。")] = None,
    trl_min: Annotated[
        int | None, typer.Option("--trl-min", help="Lowest TRL (1-9). 最低技术成熟度。")
    ] = None,
    trl_max: Annotated[
        int | None, typer.Option("--trl-max", help="Highest TRL (1-9). 最高技术成熟度。")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Province, e.g. Jiangsu / 江苏. 地区。")
    ] = None,
    k: Annotated[int, typer.Option("-k", "--top", help="Number of hits. 返回条数。", min=1, max=200)] = 10,
    mode: Annotated[str, typer.Option("--mode", help="hybrid | dense | bm25. 检索模式。")] = "hybrid",
    json_out: Annotated[bool, typer.Option("--json", help="JSON output. 以 JSON 输出。")] = False,
) -> None:
    """Hybrid search (semantic + keyword) with filters. 混合检索（语义 + 关键词），可按条件过滤。"""
    from knowledge.kb import KBQueryError, resolve_domain, resolve_kind, resolve_region

    if mode not in ("hybrid", "dense", "bm25"):
        raise typer.BadParameter(
            f"unknown mode {mode!r}; allowed: hybrid, dense, bm25 / 可选值", param_hint="--mode"
        )
    try:
        if domain:
            resolve_domain(domain)
    except KBQueryError as exc:
        raise typer.BadParameter(f"{exc} / 未知领域", param_hint="--domain") from None
    try:
        if region:
            resolve_region(region)
    except KBQueryError as exc:
        raise typer.BadParameter(f"{exc} / 未知地区", param_hint="--region") from None
    for name, val in (("--trl-min", trl_min), ("--trl-max", trl_max)):
        if val is not None and not 1 <= val <= 9:
            raise typer.BadParameter(
                f"must be between 1 and 9 (got {val}) / 须在 1 到 9 之间", param_hint=name
            )
    if trl_min is not None and trl_max is not None and trl_min > trl_max:
        raise typer.BadParameter(
            "--trl-min is greater than --trl-max / 最低值大于最高值", param_hint="--trl-min"
        )
    policy = kind is not None and kind.strip().lower() in ("policy", "policies", "政策")
    if kind and not policy:
        try:
            resolve_kind(kind)
        except KBQueryError as exc:
            raise typer.BadParameter(f"{exc}, policy / 未知类别", param_hint="--kind") from None
    kb = _kb()
    if policy:
        if domain or region or trl_min is not None or trl_max is not None:
            raise typer.BadParameter(
                "policy search takes no domain / region / TRL filter / 政策检索不支持这些过滤条件"
            )
        phits = kb.search_policies(query, k=k)
        rows = [
            {
                "id": h.doc_id,
                "kind": "policy",
                "title": h.title,
                "score": h.score,
                "section_ref": h.section_ref,
                "heading": h.heading,
                "issuer": h.issuer,
                "year": h.year,
                "lang": h.lang,
                "text": h.text,
            }
            for h in phits
        ]
    else:
        try:
            hits = kb.search(
                query,
                kind=kind,
                domain=domain,
                trl_min=trl_min,
                trl_max=trl_max,
                region=region,
                k=k,
                mode=mode,
            )
        except KBQueryError as exc:
            raise typer.BadParameter(str(exc)) from None
        rows = [h.model_dump() for h in hits]
    if json_out:
        _emit_json(rows)
        return
    if not rows:
        _err.print("No results. 没有结果。")
        return
    table = Table(title=f"{query}")
    for col in ("#", "id", "kind", "title", "score", "detail"):
        table.add_column(col, overflow="fold")
    for i, r in enumerate(rows, start=1):
        if r["kind"] == "policy":
            detail = f"{r['section_ref']} {r['heading']}".strip()
        else:
            detail = " ".join(
                x
                for x in (
                    r.get("domain") or "",
                    r.get("region") or "",
                    f"TRL {r['trl']}" if r.get("trl") else "",
                )
                if x
            )
        table.add_row(str(i), r["id"], r["kind"], r["title"], f"{r['score']:.4f}", detail)
    _out.print(table)


@kb_app.command("get")
def get(
    record_id: Annotated[str, typer.Argument(help="Record or policy document id. 记录或政策文件编号。")],
    json_out: Annotated[bool, typer.Option("--json", help="JSON output. 以 JSON 输出。")] = False,
) -> None:
    """Show one achievement, organisation, facility or policy document. 查看单条记录。"""
    kb = _kb()
    rec: Any = kb.get(record_id) or kb.policy(record_id)
    if rec is None:
        _err.print(f"[red]not found / 未找到:[/red] {record_id}")
        raise typer.Exit(1)
    data = rec.model_dump(mode="json")
    if json_out:
        _emit_json(data)
        return
    table = Table(show_header=False, title=record_id)
    table.add_column("field")
    table.add_column("value", overflow="fold")
    for key, value in data.items():
        if key == "sections":
            value = "\n".join(f"{s['ref']} {s['heading']}".strip() for s in value)
        elif isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        table.add_row(key, "" if value is None else str(value))
    _out.print(table)


@kb_app.command("rebuild")
def rebuild(
    json_out: Annotated[bool, typer.Option("--json", help="JSON output. 以 JSON 输出。")] = False,
) -> None:
    """Rebuild the vector index from the bundled corpus and ingested records. 重建向量索引。"""
    from knowledge.kb import open_kb

    auto_backup("rebuild")
    counts = open_kb(progress=None).rebuild()
    if json_out:
        _emit_json(counts)
    else:
        _out.print("Rebuilt / 已重建: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


# --- ingest ------------------------------------------------------------------------------------
@ingest_app.command("ingest")
def ingest(
    files: Annotated[
        list[Path], typer.Argument(help="JSONL / CSV / Markdown / TXT / PDF files. 待导入文件。")
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="achievement | organisation | facility | booking | policy (default: inferred). 记录类别（默认自动判断）。",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only, load nothing. 仅校验，不导入。")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="JSON output. 以 JSON 输出。")] = False,
) -> None:
    """Load records and policy documents; a file with any bad row loads nothing.

    导入成果、机构、设施、预订与政策文件；任一行有误的文件整体不导入。
    """
    from knowledge.ingest import ingest_files
    from knowledge.record_parse import INGEST_KINDS

    if kind is not None and kind not in INGEST_KINDS:
        raise typer.BadParameter(
            f"unknown kind {kind!r}; allowed: {', '.join(INGEST_KINDS)} / 未知类别", param_hint="--kind"
        )
    if not dry_run:
        auto_backup("ingest")
    report = ingest_files(files, kind=kind, dry_run=dry_run)
    if json_out:
        _emit_json(report.as_dict())
    else:
        for f in report.files:
            for e in f.errors:
                _err.print(str(e), markup=False, highlight=False)
        verb = "valid\n有效" if dry_run else "loaded\n导入"
        table = Table(title="Ingest (dry run) / 导入校验" if dry_run else "Ingest / 导入", expand=True)
        # The file name folds rather than truncates: it is what the user needs to find the problem.
        table.add_column("file\n文件", overflow="fold", ratio=3)
        table.add_column("kind\n类别", no_wrap=True)
        for col in ("rows\n行数", verb, "rejected\n拒绝"):
            table.add_column(col, justify="right", no_wrap=True)
        table.add_column("status\n状态", ratio=2)
        for f in report.files:
            good = (f.rows if f.ok else 0) if dry_run else f.loaded
            status = "[green]ok[/green]" if f.ok else f"[red]{len(f.errors)} error(s) 个错误[/red]"
            table.add_row(f.file, f.kind or "?", str(f.rows), str(good), str(f.rejected), status)
        _out.print(table)
        bad = [f for f in report.files if not f.ok]
        if bad:
            _err.print(
                f"{len(bad)} file(s) with errors loaded nothing; fix the lines above and run again. "
                f"{len(bad)} 个文件有错误，未导入任何记录；请修正上面列出的行后重试。",
                markup=False,
                highlight=False,
            )
    if not report.ok:
        raise typer.Exit(1)


__all__ = ["ingest_app", "kb_app"]
