"""The names a record can be called by: its full name, the name without a legal suffix, and the
short forms nobody else shares ("中砺动力" for 中砺动力电池有限公司, "Yunfan Satellite" for Yunfan
Satellite Technology Co., Ltd.). Built once per record set; the linker matches them exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

Kind = Literal["achievement", "organisation", "facility"]
KINDS: tuple[Kind, ...] = ("achievement", "organisation", "facility")

_SUFFIX = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|"
    r",?\s*(?:co\.?,?\s*ltd\.?|ltd\.?|inc\.?|llc|corp(?:oration)?\.?|limited|group))$",
    re.I,
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Short forms shorter than this are too easily a common word ("中试", "Energy").
_MIN_ZH = 4
_MIN_EN_WORDS = 2


@dataclass(frozen=True)
class Entry:
    """One record the linker can point at."""

    kind: Kind
    id: str
    name: str
    owner: str | None = None  # the organisation an achievement or facility belongs to
    region: str | None = None  # where it is ("Zhejiang"): tells apart organisations sharing a short name
    words: tuple[str, ...] = ()  # its keywords ("硫化物固态电解质", "PDH")


@dataclass(frozen=True)
class Alias:
    text: str  # lower-case
    kind: Kind
    id: str
    full: bool  # the whole name (or its core), not a short form


def core(name: str) -> str:
    return _SUFFIX.sub("", name.strip()).strip(" ,")


def _parts(name: str) -> list[str]:
    """A facility's name often reads "<what>, <owner>": the part before the comma is its own name."""
    out = [name.strip()]
    c = core(name)
    if c and c != out[0]:
        out.append(c)
    if "," in name and not _CJK.search(name):
        head = name.split(",", 1)[0].strip()
        if len(head.split()) >= 3:
            out.append(head)
    return out


def _prefixes(name: str, kind: Kind) -> list[str]:
    """Leading parts of the name. Organisations go by their brand ("Xicen", "澄湖理工"); a title's
    first words are generic ("基于原位…", "Glider …"), so achievements need longer ones."""
    c = core(name)
    if _CJK.match(c):
        least = _MIN_ZH if kind != "achievement" else 2 * _MIN_ZH
        # Not into a bracketed region ("中砺氢能（" of 中砺氢能（宁夏）有限公司): the region is its own word.
        return [c[:n] for n in range(len(c) - 1, least - 1, -1) if c[n - 1] not in "（("]
    words = c.split()
    least = {"organisation": 1, "facility": _MIN_EN_WORDS, "achievement": _MIN_EN_WORDS + 1}[kind]
    out = [" ".join(words[:n]) for n in range(len(words) - 1, least - 1, -1)]
    return [p for p in out if len(p) >= 5]


# How Chinese shortens an organisation's kind ("霁川创投" for 霁川创业投资有限公司, "西岑科大" for 西岑科技大学, "凌峰院"
# for 凌峰智能制造研究院): the standard contractions, longest first.
_CONTRACTIONS = (
    ("创业投资", "创投"),
    ("科技大学", "科大"),
    ("工业大学", "工大"),
    ("理工大学", "理工大"),
    ("师范大学", "师大"),
    ("农业大学", "农大"),
    ("医科大学", "医大"),
    ("交通大学", "交大"),
    ("研究院", "院"),
    ("研究所", "所"),
)


def _contracted(name: str, kind: Kind) -> list[str]:
    """An organisation's name with its kind contracted, whole ("鹤岭氢能院") and after its two-character brand
    ("鹤岭院"); matched like prefixes, only when one record is called so."""
    c = core(name)
    if kind != "organisation" or not _CJK.match(c):
        return []
    for long, short in _CONTRACTIONS:
        if c.endswith(long) and len(c) > len(long) + 1:
            head = c[: -len(long)]
            return list(dict.fromkeys([head + short, head[:2] + short]))
    return []


def build_aliases(entries: list[Entry]) -> list[Alias]:
    """Every full alias, plus the prefixes that name exactly one record, longest first."""
    out: list[Alias] = []
    for e in entries:
        for p in _parts(e.name):
            out.append(Alias(p.lower(), e.kind, e.id, True))
    # A prefix is a name only when one record starts with it (so "华东先进材料研究院" is nobody's short form
    # when the institute and its pilot lines all start so; the institute itself still matches in full).
    # Uniqueness is counted within a kind: a facility named after its owner ("澄湖理工大学钙钛矿组件中试线")
    # starts with the owner's short form, which still means the owner; longer aliases match first.
    owners: Counter[tuple[str, Kind]] = Counter()
    prefixes: list[tuple[str, Entry]] = []
    for e in entries:
        for p in dict.fromkeys([*_prefixes(e.name, e.kind), *_contracted(e.name, e.kind)]):
            owners[(p.lower(), e.kind)] += 1
            prefixes.append((p.lower(), e))
    full = {a.text for a in out}
    for p, e in prefixes:
        if owners[(p, e.kind)] == 1 and p not in full:
            out.append(Alias(p, e.kind, e.id, False))
    out.sort(key=lambda a: len(a.text), reverse=True)
    return out
