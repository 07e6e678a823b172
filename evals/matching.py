"""Value matchers: how an expected argument / result value is compared with what the agent did."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from evals.schema import Matcher

_MISSING = object()


def norm_text(value: str) -> str:
    """Case- and width-insensitive form (NFKC folds full-width ％ and digits), whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).casefold().strip()


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            return None
    return None


def plain(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists: the JSON form the agent's events carry."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def equal(expected: Any, actual: Any) -> bool:
    """Exact equality, tolerant only of representation: 5 == 5.0, date == "2026-12-01", whitespace."""
    e, a = plain(expected), plain(actual)
    ne, na = _as_number(e), _as_number(a)
    if isinstance(e, int | float) and not isinstance(e, bool) and na is not None:
        return math.isclose(float(e), na, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(e, str) and isinstance(a, str):
        return e.strip() == a.strip()
    if isinstance(e, list) and isinstance(a, list):
        return len(e) == len(a) and all(equal(x, y) for x, y in zip(e, a, strict=True))
    if isinstance(e, dict) and isinstance(a, dict):
        return set(e) == set(a) and all(equal(e[k], a[k]) for k in e)
    if ne is not None and na is not None and isinstance(a, int | float):
        return math.isclose(ne, na, rel_tol=1e-9, abs_tol=1e-9)
    return bool(e == a)


def _contains(expected: Any, actual: Any) -> bool:
    if isinstance(actual, str):
        return norm_text(str(plain(expected))) in norm_text(actual)
    if isinstance(actual, list | tuple):
        return any(equal(expected, x) or (isinstance(x, str) and _contains(expected, x)) for x in actual)
    if isinstance(actual, dict):
        return str(expected) in actual
    return False


def _in_range(m: Matcher, actual: Any) -> bool:
    bounds = [b for b in (m.min, m.max) if b is not None]
    if bounds and all(_as_date(b) is not None and not isinstance(b, int | float) for b in bounds):
        d = _as_date(actual)
        if d is None:
            return False
        lo, hi = _as_date(m.min), _as_date(m.max)
        return (lo is None or d >= lo) and (hi is None or d <= hi)
    n = _as_number(actual)
    if n is None:
        return False
    lo_n, hi_n = _as_number(m.min), _as_number(m.max)
    return (lo_n is None or n >= lo_n) and (hi_n is None or n <= hi_n)


def matches(m: Matcher, actual: Any = _MISSING) -> bool:
    """True when `actual` (or its absence, when not passed) satisfies the matcher."""
    present = actual is not _MISSING
    if m.op == "absent":
        return not present or actual is None
    if not present:
        return False
    if m.op == "any":
        return actual is not None
    if m.op == "exact":
        return equal(m.value, actual)
    if m.op == "one_of":
        return any(equal(v, actual) for v in m.value)
    if m.op == "contains":
        return _contains(m.value, actual)
    if m.op == "regex":
        return actual is not None and re.search(str(m.value), str(plain(actual))) is not None
    if m.op == "range":
        return _in_range(m, actual)
    raise AssertionError(f"unknown matcher {m.op}")  # pragma: no cover - the schema forbids it


def describe(m: Matcher) -> str:
    """A short human form for failure messages."""
    if m.op == "exact":
        return repr(plain(m.value))
    if m.op == "range":
        return f"in [{plain(m.min) if m.min is not None else '-inf'}, {plain(m.max) if m.max is not None else '+inf'}]"
    if m.op in {"any", "absent"}:
        return m.op
    return f"{m.op} {plain(m.value)!r}"


def lookup(data: Any, path: str) -> Any:
    """Follow a dotted path (`matches.0.org_id`) into dicts and lists; `_MISSING` when absent."""
    cur = data
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.lstrip("-").isdigit() and -len(cur) <= int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return _MISSING
    return cur


def match_args(expected: dict[str, Matcher], actual: dict[str, Any]) -> list[str]:
    """Mismatch descriptions (empty when all named args match)."""
    problems = []
    for name, m in expected.items():
        value = actual.get(name, _MISSING)
        if not matches(m, value):
            shown = "missing" if value is _MISSING else repr(plain(value))
            problems.append(f"{name}: expected {describe(m)}, got {shown}")
    return problems


def match_paths(expected: dict[str, Matcher], data: Any) -> list[str]:
    problems = []
    for path, m in expected.items():
        value = lookup(data, path)
        if not matches(m, value):
            shown = "missing" if value is _MISSING else repr(plain(value))[:120]
            problems.append(f"result.{path}: expected {describe(m)}, got {shown}")
    return problems
