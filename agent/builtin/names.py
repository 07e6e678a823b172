"""Organisations and facilities named in the text ("中砺动力电池有限公司", "Qinglan Energy Ventures").

The planner treats a name like the id it stands for. Names come from the knowledge base when the
planner has settings (`kb_names`), or from any `NameSource` a test injects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from agent.builtin.spans import Span
from knowledge.config import Settings

NameSource = Callable[[], Iterable[tuple[str, str]]]
"""Returns (name, record id) pairs."""

_SUFFIXES = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|"
    r",?\s*(?:co\.?,?\s*ltd\.?|ltd\.?|inc\.?|llc|corp(?:oration)?\.?|limited|group))$",
    re.I,
)
_MIN_LEN_ZH = 4
_MIN_LEN_EN = 8


def _variants(name: str) -> list[str]:
    """The name and its core without a legal suffix, if that core is still distinctive."""
    out = [name.strip()]
    core = _SUFFIXES.sub("", name.strip()).strip(" ,")
    cjk = bool(re.search(r"[\u4e00-\u9fff]", core))
    if core and core != out[0] and len(core) >= (_MIN_LEN_ZH if cjk else _MIN_LEN_EN):
        out.append(core)
    return out


def _prefixes(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Unambiguous short forms of Chinese names: "中砺动力" for "中砺动力电池有限公司" when no other name starts so."""
    cores = [
        (_SUFFIXES.sub("", n.strip()), rid) for n, rid in pairs if re.match(r"[\u4e00-\u9fff]", n.strip())
    ]
    out: list[tuple[str, str]] = []
    for core, rid in cores:
        for n in range(len(core) - 1, _MIN_LEN_ZH - 1, -1):
            p = core[:n]
            if sum(1 for c, _ in cores if c.startswith(p)) == 1:
                out.append((p, rid))
    return out


@lru_cache(maxsize=8)
def _candidates(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """(lower-case needle, record id), longest first. Cached per name set: building it is
    quadratic in the number of Chinese names (~35 ms for the bundled corpus) and the planner
    looks names up several times per turn over the same knowledge base."""
    candidates: list[tuple[str, str]] = []
    for name, rid in pairs:
        for v in _variants(name):
            candidates.append((v.lower(), rid))
    candidates.extend(_prefixes(list(pairs)))
    candidates.sort(key=lambda c: len(c[0]), reverse=True)
    return tuple(candidates)


def find_names(text: str, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, Span]]:
    """(record id, span) of every name found in `text`, longest names first, no overlaps, in text order."""
    return list(_find_names(text, tuple(pairs)))


@lru_cache(maxsize=256)
def _find_names(text: str, pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Span], ...]:
    """Cached: a turn looks the same text up once per plan and once for the answer."""
    low = text.lower()
    candidates = _candidates(pairs)
    taken: list[Span] = []
    found: list[tuple[str, Span]] = []
    for needle, rid in candidates:
        if not needle:
            continue
        start = low.find(needle)
        while start >= 0:
            span = (start, start + len(needle))
            ascii_name = needle.isascii()
            bounded = not ascii_name or (
                (start == 0 or not low[start - 1].isalnum())
                and (span[1] == len(low) or not low[span[1]].isalnum())
            )
            if bounded and not any(span[0] < b and a < span[1] for a, b in taken):
                taken.append(span)
                if rid not in [r for r, _ in found]:
                    found.append((rid, span))
                break
            start = low.find(needle, start + 1)
    return tuple(sorted(found, key=lambda f: f[1]))


def kb_names(settings: Settings) -> NameSource:
    """Organisation and facility names from the knowledge base of `settings` (current on every
    call: the knowledge base rebuilds the list only after another process wrote records)."""

    def source() -> tuple[tuple[str, str], ...]:
        from knowledge.kb import open_kb

        return open_kb(settings).name_pairs()

    return source
