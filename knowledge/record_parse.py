"""Parse user files into validated records: JSONL, CSV, and policy documents.

Every problem becomes a `RowError` naming file, line and field; the caller decides what to
load (ingest loads a file only when it has no errors). Cross-file checks (dangling owner ids)
live in `knowledge.ingest` because they need the store.
"""

from __future__ import annotations

import csv
import io
import json
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from knowledge.models import Achievement, Booking, Facility, Organisation, PolicyDocument
from knowledge.policy_parse import parse_policy_file
from knowledge.textfile import TextFileError, read_text

IngestKind = Literal["achievement", "organisation", "facility", "booking", "policy"]
INGEST_KINDS: tuple[str, ...] = ("achievement", "organisation", "facility", "booking", "policy")
MODEL_OF: dict[str, type[BaseModel]] = {
    "achievement": Achievement,
    "organisation": Organisation,
    "facility": Facility,
    "booking": Booking,
}
POLICY_SUFFIXES = (".md", ".markdown", ".txt", ".pdf")
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv")
_PREFIX_KIND = {"ACH": "achievement", "ORG": "organisation", "FAC": "facility"}


@dataclass(frozen=True)
class RowError:
    """One problem in an input file."""

    file: str
    line: int
    field: str
    message: str
    zh: str | None = None
    """The message in Chinese, for the common problems (data managers read either language)."""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.field}: {self.message}"
        return f"{text} / {self.zh}" if self.zh else text


def _zh_gloss(err: Any) -> str | None:
    """A Chinese rendering of a pydantic error, from its type and context (not its English text)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    fixed = {
        "extra_forbidden": "未知字段",
        "missing": "缺少必填字段",
        "int_parsing": "应为整数",
        "int_from_float": "应为整数",
        "int_type": "应为整数",
        "float_parsing": "应为数字",
        "float_type": "应为数字",
        "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
        "date_parsing": "应为日期（YYYY-MM-DD）",
        "date_type": "应为日期（YYYY-MM-DD）",
        "string_type": "应为文本",
        "list_type": "应为列表（CSV 中以 ; 分隔）",
        "bool_parsing": "应为 true 或 false",
        "string_too_short": "不能为空",
    }
    if kind in fixed:
        return fixed[kind]
    if kind in ("enum", "literal_error"):
        return f"取值应为：{ctx.get('expected', '')}".rstrip("：")
    if kind in ("greater_than_equal", "greater_than"):
        return f"应{'≥' if kind.endswith('equal') else '>'} {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"应{'≤' if kind.endswith('equal') else '<'} {ctx.get('le', ctx.get('lt'))}"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind == "string_pattern_mismatch":
        return f"格式不符（应匹配 {ctx.get('pattern')}）"
    return None


@dataclass
class ParsedFile:
    """Result of parsing one file: valid items with their line numbers, and every error."""

    path: Path
    kind: str | None
    label: str = ""
    rows: int = 0
    items: list[tuple[int, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def key_of(self, item: Any) -> str:
        return str(item.reference if isinstance(item, Booking) else item.id)


def list_fields(model: type[BaseModel]) -> set[str]:
    """Fields typed as lists (`;`-separated in CSV)."""
    out = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        candidates = [ann]
        if get_origin(ann) in (typing.Union, types.UnionType):
            candidates = list(get_args(ann))
        if any(get_origin(c) is list for c in candidates):
            out.add(name)
    return out


def _kind_from_row(row: dict[str, Any]) -> str | None:
    rid = str(row.get("id", "")).strip()
    if rid:
        return _PREFIX_KIND.get(rid.split("-", 1)[0].upper())
    if "facility_id" in row and ("reference" in row or "start" in row):
        return "booking"
    return None


def _kind_from_name(path: Path) -> str | None:
    name = path.name.lower()
    for stem, kind in (
        ("achievement", "achievement"),
        ("organisation", "organisation"),
        ("organization", "organisation"),
        ("facilit", "facility"),
        ("booking", "booking"),
    ):
        if stem in name:
            return kind
    return None


def _pydantic_errors(
    exc: ValidationError, file: str, line: int, fields: set[str] | None = None
) -> list[RowError]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        kind = err["type"]
        zh = _zh_gloss(err)
        if kind == "extra_forbidden":
            msg = "unknown field"
        elif kind == "missing":
            msg = "missing required field"
        elif kind == "value_error" and not err["loc"]:
            # A cross-field rule ("end must be after start"): name the field it starts with.
            msg = str(err["msg"]).removeprefix("Value error, ")
            first = msg.split(" ", 1)[0]
            if fields and first in fields:
                loc = first
        else:
            msg = err["msg"]
            if "input" in err and kind not in ("missing",) and not isinstance(err["input"], dict | list):
                msg += f" (got {err['input']!r})"
        out.append(RowError(file, line, loc, msg, zh))
    return out


def _validate_rows(rows: list[tuple[int, dict[str, Any]]], kind: str, parsed: ParsedFile, label: str) -> None:
    model = MODEL_OF[kind]
    first_line: dict[str, int] = {}
    for line, row in rows:
        try:
            item = model.model_validate(row)
        except ValidationError as exc:
            parsed.errors.extend(_pydantic_errors(exc, label, line, set(model.model_fields)))
            continue
        key = parsed.key_of(item)
        if key in first_line:
            fld = "reference" if kind == "booking" else "id"
            parsed.errors.append(
                RowError(
                    label,
                    line,
                    fld,
                    f"duplicate {fld} {key!r} (first at line {first_line[key]})",
                    f"{fld} 重复（首次出现在第 {first_line[key]} 行）",
                )
            )
            continue
        first_line[key] = line
        parsed.items.append((line, item))


def _read_jsonl(path: Path, label: str, parsed: ParsedFile) -> list[tuple[int, dict[str, Any]]]:
    rows: list[tuple[int, dict[str, Any]]] = []
    text = read_text(path)
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" and stripped.startswith("["):
        # A JSON array file: one record per element; lines are approximated by element order.
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            parsed.errors.append(
                RowError(label, exc.lineno, "json", f"invalid JSON: {exc.msg}", "JSON 格式错误")
            )
            return []
        for i, obj in enumerate(data, start=1):
            parsed.rows += 1
            if not isinstance(obj, dict):
                parsed.errors.append(RowError(label, i, "json", "each element must be a JSON object"))
            else:
                rows.append((i, obj))
        return rows
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parsed.rows += 1
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            parsed.errors.append(
                RowError(
                    label,
                    lineno,
                    "json",
                    f"invalid JSON: {exc.msg} (column {exc.colno})",
                    f"JSON 格式错误（第 {exc.colno} 列）",
                )
            )
            continue
        if not isinstance(obj, dict):
            parsed.errors.append(RowError(label, lineno, "json", "each line must be a JSON object"))
            continue
        rows.append((lineno, obj))
    return rows


def _read_csv(
    path: Path, label: str, kind: str | None, parsed: ParsedFile
) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    text = read_text(path)
    first = text.split("\n", 1)[0]
    # Lists inside a cell use ';', so a ';'-separated file is ambiguous: reject it clearly.
    # A tab-separated file (Excel's "Unicode text") is unambiguous and is read as such.
    delimiter = "\t" if "\t" in first and "," not in first else ","
    if delimiter == "," and "," not in first and ";" in first:
        parsed.errors.append(
            RowError(
                label,
                1,
                "header",
                "columns are separated by ';'; CSV files must be comma-separated (';' separates list items inside a cell)",
            )
        )
        return [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], []
    except csv.Error as exc:
        raise _CsvProblem(reader.line_num or 1, exc) from None
    header = [h.strip() for h in header]
    raw_rows: list[tuple[int, list[str]]] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _CsvProblem(start, exc) from None
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        raw_rows.append((start, cells))
    parsed.rows = len(raw_rows)
    blank = [i for i, h in enumerate(header) if not h]
    if blank:
        parsed.errors.append(RowError(label, 1, f"column {blank[0] + 1}", "empty column name"))
    dupes = {h for h in header if h and header.count(h) > 1}
    for h in sorted(dupes):
        parsed.errors.append(RowError(label, 1, h, "column appears more than once"))
    rows = []
    for start, cells in raw_rows:
        if len(cells) != len(header):
            parsed.errors.append(
                RowError(
                    label, start, "row", f"has {len(cells)} cells but the header has {len(header)} columns"
                )
            )
            continue
        rows.append((start, dict(zip(header, cells, strict=True))))
    return rows, header


class _CsvProblem(Exception):
    def __init__(self, line: int, exc: csv.Error) -> None:
        super().__init__(str(exc))
        self.line = line
        text = str(exc)
        if "field larger than field limit" in text:
            text = (
                f"a cell is longer than {csv.field_size_limit():,} characters "
                '(often a quote " that is never closed)'
            )
        self.message = f"malformed CSV: {text}"


# Excel writes money with thousands separators ("1,200,000"); accept them in number fields.
_GROUPED_NUMBER = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")


def _number_fields(model: type[BaseModel]) -> set[str]:
    out = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        candidates = list(get_args(ann)) if get_origin(ann) in (typing.Union, types.UnionType) else [ann]
        if any(
            c in (int, float) or (get_origin(c) is typing.Annotated and get_args(c)[0] in (int, float))
            for c in candidates
        ):
            out.add(name)
    return out


def _csv_typed(row: dict[str, str], kind: str) -> dict[str, Any]:
    """Empty cells are absent; list fields split on ';'; number cells may group thousands with ','."""
    lists = list_fields(MODEL_OF[kind])
    numbers = _number_fields(MODEL_OF[kind])
    out: dict[str, Any] = {}
    for key, value in row.items():
        value = value.strip()
        if value == "":
            continue
        if key in lists:
            out[key] = [v.strip() for v in value.split(";") if v.strip()]
        elif key in numbers and _GROUPED_NUMBER.match(value):
            out[key] = value.replace(",", "")
        else:
            out[key] = value
    return out


def _kind_from_header(header: list[str]) -> str | None:
    """The one table kind whose required fields are all columns and that knows every column."""
    cols = {h for h in header if h}
    fits = [
        kind
        for kind, model in MODEL_OF.items()
        if cols <= set(model.model_fields)
        and {n for n, f in model.model_fields.items() if f.is_required()} <= cols
    ]
    return fits[0] if len(fits) == 1 else None


def parse_file(path: Path, kind: str | None = None, label: str | None = None) -> ParsedFile:
    """Parse and validate one file; `kind` None means infer it (id prefix, columns, extension)."""
    label = label or str(path)
    parsed = ParsedFile(path=path, kind=kind, label=label)
    if path.is_dir():
        parsed.errors.append(
            RowError(label, 0, "file", f"is a directory; pass the files in it (e.g. {label}/*.jsonl)")
        )
        return parsed
    if not path.is_file():
        parsed.errors.append(RowError(label, 0, "file", "no such file", "文件不存在"))
        return parsed
    suffix = path.suffix.lower()
    if kind == "policy" and suffix not in POLICY_SUFFIXES:
        parsed.errors.append(
            RowError(
                label,
                0,
                "kind",
                f"--kind policy applies to .md, .txt or .pdf files, not {suffix or '(none)'}",
            )
        )
        return parsed
    if kind is not None and kind != "policy" and suffix in POLICY_SUFFIXES:
        parsed.errors.append(
            RowError(
                label,
                0,
                "kind",
                f"--kind {kind} applies to .jsonl, .json or .csv files; {suffix} files are policy documents",
            )
        )
        return parsed
    if path.stat().st_size == 0:
        parsed.errors.append(RowError(label, 1, "file", "the file is empty: no records"))
        return parsed
    if kind == "policy" or (kind is None and suffix in POLICY_SUFFIXES):
        parsed.kind = "policy"
        parsed.rows = 1
        result = parse_policy_file(path)
        parsed.errors.extend(RowError(label, ln, fld, msg) for ln, fld, msg in result.errors)
        if result.document is not None:
            parsed.items.append((1, result.document))
        return parsed
    if suffix not in TABLE_SUFFIXES:
        parsed.errors.append(
            RowError(
                label,
                0,
                "file",
                f"unsupported file type {suffix or '(none)'}; use .jsonl, .csv, .md, .txt or .pdf",
            )
        )
        return parsed
    try:
        if suffix == ".csv":
            raw_rows, header = _read_csv(path, label, kind, parsed)
        else:
            raw_rows, header = _read_jsonl(path, label, parsed), []
    except TextFileError as exc:
        parsed.errors.append(RowError(label, exc.line, "file", exc.message))
        return parsed
    except _CsvProblem as exc:
        parsed.errors.append(RowError(label, exc.line, "file", exc.message))
        return parsed
    if suffix == ".csv" and parsed.errors and not header:
        return parsed  # the file's layout is wrong (e.g. ';'-separated); row errors would only repeat it
    if kind is None:
        for _line, row in raw_rows:
            kind = _kind_from_row(row)
            if kind:
                break
        kind = kind or _kind_from_header(header) or _kind_from_name(path)
        if kind is None:
            if raw_rows or header:
                known = set().union(*(m.model_fields for m in MODEL_OF.values()))
                hint = (
                    "; none of the columns is a field name of the ingest contract (use the English names: id, title, summary, ...)"
                    if header and not any(h in known for h in header)
                    else ""
                )
                parsed.errors.append(
                    RowError(
                        label,
                        1,
                        "kind",
                        f"cannot tell the record kind; pass --kind achievement|organisation|facility|booking{hint}",
                    )
                )
            else:
                parsed.errors.append(RowError(label, 1, "file", "no records"))
            return parsed
        parsed.kind = kind
    if not raw_rows and not parsed.errors:
        parsed.errors.append(
            RowError(
                label, 2 if header else 1, "file", "no records" + (" (only a header row)" if header else "")
            )
        )
        return parsed
    if kind not in MODEL_OF:
        parsed.errors.append(RowError(label, 0, "kind", f"--kind {kind} does not apply to {suffix} files"))
        return parsed
    if suffix == ".csv":
        allowed = set(MODEL_OF[kind].model_fields)
        unknown = [h for h in header if h and h not in allowed]
        for h in unknown:
            parsed.errors.append(
                RowError(
                    label,
                    1,
                    h,
                    f"unknown field (allowed: {', '.join(MODEL_OF[kind].model_fields)})",
                    "未知字段",
                )
            )
        if unknown:
            return parsed
        raw_rows = [(ln, _csv_typed(row, kind)) for ln, row in raw_rows]
    _validate_rows(raw_rows, kind, parsed, label)
    return parsed


def is_policy(item: Any) -> bool:
    return isinstance(item, PolicyDocument)
