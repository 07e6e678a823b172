"""`chengguo ingest`: validate users' files and load them, all-or-nothing per file.

Steps: parse every file (record_parse), then check references across the whole command
(owner ids must name an organisation in the store or in a valid file of this command; booking
facility ids likewise), then load valid files — organisations first so that achievements and
facilities in the same command can refer to them. A file with any bad row loads nothing;
other files still load. Re-ingesting upserts by id (or booking reference).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from knowledge.config import Settings, get_settings
from knowledge.models import Achievement, Booking, Facility
from knowledge.record_parse import ParsedFile, RowError, parse_file

# Load order across files of one command: referenced kinds first.
_ORDER = {"organisation": 0, "facility": 1, "achievement": 2, "policy": 3, "booking": 4}


@dataclass
class FileReport:
    """What happened to one file. A file with errors loads nothing: all its rows are rejected."""

    file: str
    kind: str | None
    rows: int
    loaded: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rejected(self) -> int:
        return 0 if self.ok else self.rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "rows": self.rows,
            "loaded": self.loaded,
            "rejected": self.rejected,
            "ok": self.ok,
            "errors": [
                {
                    "file": e.file,
                    "line": e.line,
                    "field": e.field,
                    "message": e.message,
                    "message_zh": e.zh,
                    "text": str(e),
                }
                for e in self.errors
            ],
        }


@dataclass
class IngestReport:
    files: list[FileReport]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "loaded": sum(f.loaded for f in self.files),
            "files": [f.as_dict() for f in self.files],
        }


def _check_refs(parsed: ParsedFile, org_ids: set[str], facility_ids: set[str]) -> None:
    for line, item in parsed.items:
        if isinstance(item, Achievement | Facility) and item.owner_id not in org_ids:
            parsed.errors.append(
                RowError(
                    parsed.label,
                    line,
                    "owner_id",
                    f"unknown organisation {item.owner_id!r} (not in the knowledge base or in this ingest)",
                    f"机构 {item.owner_id} 不存在（知识库和本次导入中均没有）",
                )
            )
        elif isinstance(item, Booking) and item.facility_id not in facility_ids:
            parsed.errors.append(
                RowError(
                    parsed.label,
                    line,
                    "facility_id",
                    f"unknown facility {item.facility_id!r} (not in the knowledge base or in this ingest)",
                    f"设施 {item.facility_id} 不存在（知识库和本次导入中均没有）",
                )
            )


def ingest_files(
    paths: Sequence[Path],
    *,
    kind: str | None = None,
    dry_run: bool = False,
    settings: Settings | None = None,
    sample_dir: Path | None = None,
) -> IngestReport:
    """Validate and (unless `dry_run`) load `paths`; see the module docstring for the rules."""
    from knowledge.kb import open_kb

    settings = settings or get_settings()
    parsed = [parse_file(Path(p), kind=kind, label=str(p)) for p in paths]
    kb = open_kb(settings, sample_dir=sample_dir)
    org_ids = {r.id for r in kb.records("organisation")}
    facility_ids = {r.id for r in kb.records("facility")}
    for p in parsed:
        if p.kind == "organisation" and not p.errors:
            org_ids |= {item.id for _, item in p.items}
    for p in parsed:
        if p.kind == "facility" and not p.errors:
            _check_refs(p, org_ids, facility_ids)
            if not p.errors:
                facility_ids |= {item.id for _, item in p.items}
    for p in parsed:
        if p.kind in ("achievement", "booking"):
            _check_refs(p, org_ids, facility_ids)

    for p in parsed:
        p.errors.sort(key=lambda e: e.line)
    reports = [
        FileReport(
            file=p.label,
            kind=p.kind,
            rows=p.rows,
            errors=p.errors,
        )
        for p in parsed
    ]
    if dry_run:
        return IngestReport(reports, dry_run=True)

    order = sorted(range(len(parsed)), key=lambda i: _ORDER.get(parsed[i].kind or "", 9))
    for i in order:
        p, rep = parsed[i], reports[i]
        if not rep.ok or not p.items:
            continue
        items: list[BaseModel] = [item for _, item in p.items]
        if p.kind == "booking":
            rep.loaded = _import_bookings(settings, p, items)
            rep.errors = p.errors
        else:
            rep.loaded = kb.upsert(items)  # type: ignore[arg-type]
    return IngestReport(reports, dry_run=False)


def _import_bookings(settings: Settings, parsed: ParsedFile, items: list[BaseModel]) -> int:
    from knowledge.bookings import BookingError, BookingStore

    store = BookingStore(settings)
    try:
        return store.import_bookings([b for b in items if isinstance(b, Booking)])
    except BookingError as exc:
        ref = str(exc.details.get("reference", ""))
        line = next((ln for ln, b in parsed.items if isinstance(b, Booking) and b.reference == ref), 0)
        parsed.errors.append(RowError(parsed.label, line, "reference" if ref else "booking", str(exc)))
        return 0
    finally:
        store.close()
