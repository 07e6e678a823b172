"""Plain functions over tool results: one-line summaries, citations, artifacts, approval quotes.

Tool outputs arrive as dicts (`model_dump()` of each tool's output model). These helpers walk
them generically — record ids, policy passages, file paths — so the graph and the LLM responder
never trust a model to invent a source.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from agent.events import Artifact, Citation
from agent.planner import StepResult

RECORD_ID = re.compile(r"^(ACH|ORG|FAC)-[0-9A-Za-z_-]+$")
# The record id of a dict, in order of preference (matches use org_id / achievement_id, views facility_id).
_ID_KEYS = ("id", "achievement_id", "org_id", "facility_id")
_TITLE_KEYS = ("title", "name", "achievement_title", "facility_name")
_LIST_KEYS_FIRST = ("hits", "matches", "results", "windows", "facilities", "passages", "items")


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict inside `value`, depth first, parents before children."""
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _walk(v)


def gather_citations(results: Iterable[StepResult], *, limit: int = 20) -> list[Citation]:
    """Sources found in successful results: record ids (ACH/ORG/FAC) and policy sections, deduplicated."""
    seen: set[tuple[str, str | None]] = set()
    out: list[Citation] = []
    for r in results:
        if not r.ok:
            continue
        for d in _walk(r.result):
            cite: Citation | None = None
            doc_id = d.get("doc_id")
            if isinstance(doc_id, str) and doc_id and ("section_ref" in d or "ref" in d):
                ref = d.get("section_ref") or d.get("ref")
                cite = Citation(
                    id=doc_id,
                    title=str(d.get("title") or ""),
                    ref=str(ref) if ref else None,
                    url=d.get("url") if isinstance(d.get("url"), str) else None,
                )
            else:
                rid = next(
                    (v for k in _ID_KEYS if isinstance(v := d.get(k), str) and RECORD_ID.match(v)),
                    None,
                )
                if rid is not None:
                    title = next((str(d[k]) for k in _TITLE_KEYS if isinstance(d.get(k), str) and d[k]), "")
                    cite = Citation(id=rid, title=title)
            if cite is None or (cite.id, cite.ref) in seen:
                continue
            seen.add((cite.id, cite.ref))
            out.append(cite)
            if len(out) >= limit:
                return out
    return out


def cited_in_text(citations: list[Citation], text: str) -> list[Citation]:
    """The citations the text mentions by id; all of them when it mentions none."""
    mentioned = [c for c in citations if c.id in text]
    return mentioned or citations


_PATH_KEYS = {"md_path": "term_sheet_md", "docx_path": "term_sheet_docx"}


def gather_artifacts(results: Iterable[StepResult]) -> list[Artifact]:
    """Files produced by successful steps: explicit `artifacts` lists or `*_path` fields."""
    out: list[Artifact] = []
    seen: set[str] = set()
    for r in results:
        if not r.ok:
            continue
        for d in _walk(r.result):
            found: list[Artifact] = []
            if {"kind", "name", "path"} <= d.keys():
                with contextlib.suppress(ValueError):
                    found.append(Artifact.model_validate({k: d[k] for k in ("kind", "name", "path")}))
            else:
                for key, value in d.items():
                    if not (isinstance(value, str) and value and key.endswith("path")):
                        continue
                    if key == "path":
                        kind = f"{r.tool}_file"
                    else:
                        kind = _PATH_KEYS.get(key) or f"{r.tool}_{key.removesuffix('_path')}"
                    found.append(Artifact(kind=kind, name=Path(value).name, path=value))
            for a in found:
                if a.path not in seen:
                    seen.add(a.path)
                    out.append(a)
    return out


def _first_list(result: dict[str, Any]) -> tuple[str, list[Any]] | None:
    for key in _LIST_KEYS_FIRST:
        value = result.get(key)
        if isinstance(value, list):
            return key, value
    for key, value in result.items():
        if isinstance(value, list) and key not in ("warnings", "notes"):
            return key, value
    return None


def _label(item: Any) -> str:
    if isinstance(item, dict):
        if item.get("section_ref"):  # a policy passage: document and article
            return f"{item.get('title') or item.get('doc_id', '')} {item['section_ref']}".strip()
        ident = next((v for k in _ID_KEYS if isinstance(v := item.get(k), str) and v), None)
        for key in ("title", "name", "heading", "id", "doc_id", "reference"):
            v = item.get(key)
            if isinstance(v, str) and v:
                return f"{v} ({ident})" if key in ("title", "name") and ident else v
        if "start" in item and "end" in item:
            return f"{item['start']} – {item['end']}"
    return str(item)[:60]


def summarize_result(tool: str, ok: bool, result: dict[str, Any], lang: str) -> str:
    """One line for the user about what a step returned."""
    zh = lang == "zh"
    if not ok:
        msg = str(result.get("message") or result.get("code") or "error")
        return f"失败：{msg}" if zh else f"failed: {msg}"
    for key in ("summary", "message"):
        v = result.get(key)
        if isinstance(v, str) and v:
            return _clip(v)
    if "first_available" in result and isinstance(result.get("results"), list):
        return _availability_line(result, zh)
    found = _first_list(result)
    if found is not None:
        key, items = found
        if not items:
            return "没有找到结果" if zh else f"no {key} found"
        head = _label(items[0])
        return _clip(f"找到 {len(items)} 条，第一条：{head}" if zh else f"{len(items)} {key}; first: {head}")
    for key in ("reference", "id", "path", "md_path"):
        v = result.get(key)
        if isinstance(v, str) and v:
            return _clip(f"完成：{v}" if zh else f"done: {v}")
    return "完成" if zh else "done"


def _availability_line(result: dict[str, Any], zh: bool) -> str:
    """check_availability: the earliest window across the facilities checked, with its quote."""
    first = result.get("first_available")
    fac = result.get("first_available_facility") or ""
    n = len(result.get("results") or [])
    if isinstance(first, dict):
        quote = first.get("quote_cny")
        q = f"{quote:,.0f}" if isinstance(quote, int | float) else ""
        if zh:
            return _clip(
                f"查询 {n} 个设施，最早空档 {fac} {first.get('start')} 至 {first.get('end')}"
                + (f"，报价 {q} 元" if q else "")
            )
        return _clip(
            f"{n} checked; earliest window {fac} {first.get('start')} to {first.get('end')}"
            + (f", quote RMB {q}" if q else "")
        )
    return _clip(f"查询 {n} 个设施，范围内没有空档" if zh else f"{n} checked; no free window in the range")


def _clip(text: str, n: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _days(args: dict[str, Any]) -> int | None:
    try:
        if args.get("start") and args.get("end"):
            return (date.fromisoformat(str(args["end"])) - date.fromisoformat(str(args["start"]))).days
    except ValueError:
        return None
    days = args.get("days")
    return int(days) if isinstance(days, int | float) and not isinstance(days, bool) else None


def quote_for(args: dict[str, Any], results: Iterable[StepResult]) -> dict[str, Any] | None:
    """A price quote for a WRITE step, from earlier results, so the approval shows the cost.

    Holds: days (from start/end or days) x the facility's daily rate as reported by an earlier
    step (check_availability, find_facilities, get_record). Confirm/release: the quote of the
    booking with that reference. Otherwise the most recent `quote` object for the facility.
    """
    done = [r for r in results if r.ok]
    fac = args.get("facility_id")
    days = _days(args)
    if fac and days:
        for r in reversed(done):
            for d in _walk(r.result):
                rate = d.get("daily_rate_cny")
                if (d.get("facility_id") == fac or d.get("id") == fac) and isinstance(rate, int | float):
                    return {
                        "facility_id": fac,
                        "name": str(d.get("name") or ""),
                        "days": days,
                        "daily_rate_cny": rate,
                        "total_cny": round(days * float(rate), 2),
                    }
    ref = args.get("reference")
    if ref:
        for r in reversed(done):
            for d in _walk(r.result):
                if d.get("reference") == ref and d.get("quote_cny") is not None:
                    return {k: d[k] for k in ("reference", "facility_id", "days", "quote_cny") if k in d}
    for r in reversed(done):
        if fac and r.args.get("facility_id") not in (None, fac):
            continue
        for d in _walk(r.result):
            q = d.get("quote")
            if isinstance(q, dict):
                return q
    return None


_BREAKS = frozenset("，。；、,.;:!?！？\n")


def chunk_text(text: str, size: int = 24) -> list[str]:
    """Split an answer into small chunks for `token` events, breaking after spaces or punctuation."""
    chunks: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        length = i - start + 1
        if length >= size * 2 or (length >= size and (ch in _BREAKS or ch.isspace())):
            chunks.append(text[start : i + 1])
            start = i + 1
    if start < len(text):
        chunks.append(text[start:])
    return chunks
