"""Entity linking: which stored achievements, organisations and facilities a message names.

Three readers, most precise first, each seeing only the text the earlier ones left:
1. typed ids ("FAC-0001", "ach-12") — certain;
2. names and unambiguous short forms (`aliases.py`), matched exactly — certain;
3. everything else (a near name "华东材料院那条固态电池中试线", another language "国悦电力装备", a
   description "the DR8 one") through the knowledge base's own hybrid search, one query per kind,
   accepted when the best hit's words or meaning are close enough (thresholds measured on the
   training pool with `bench/linking.py`); certain only when it clearly beats the runner-up,
   otherwise the planner asks, naming both.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from agent.builtin.slots import find_record_ids
from agent.understanding.aliases import KINDS, Alias, Entry, Kind, build_aliases
from knowledge.config import Settings

Span = tuple[int, int]
_PREFIX: dict[str, Kind] = {"ACH": "achievement", "ORG": "organisation", "FAC": "facility"}


@dataclass(frozen=True)
class Hit:
    """One search result as the linker sees it (the KB's `SearchHit`, without the rest)."""

    id: str
    name: str
    dense: float  # cosine similarity of query and record
    bm25: float


Search = Callable[[str, Kind], list[Hit]]


@dataclass(frozen=True)
class Link:
    kind: Kind
    id: str
    span: Span | None  # where the mention is; None when only the whole message points at the record
    mention: str
    score: float  # 1.0 for ids and names; the acceptance score for search links
    certain: bool
    how: str  # "id" | "name" | "search"
    name: str = ""
    runner_up: str | None = None  # the second reading, named in the question when not certain
    runner_up_name: str = ""


@dataclass(frozen=True)
class Thresholds:
    """Acceptance of a search hit (see bench/linking.py for how they were measured)."""

    coverage: float = 0.3  # share of the name's (IDF-weighted) words the message has
    mass: float = 6.0  # and their summed IDF: one rare word alone is not a name
    sure: float = 0.5  # a coverage this high, clear of the runner-up, needs no question
    margin: float = 0.15
    dense: float = 0.45  # a search hit this close in meaning may break a tie
    min_left: int = 4  # characters left after ids and names for another look to be worth it


@dataclass
class Linker:
    """Links over one record set; `search` is the knowledge base's hybrid search (None: names only)."""

    entries: list[Entry]
    search: Search | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        self.aliases: list[Alias] = build_aliases(self.entries)
        self.names: dict[str, str] = {e.id: e.name for e in self.entries}
        self._grams: dict[str, set[str]] = {e.id: _grams(e.name) for e in self.entries}
        df = Counter(g for gs in self._grams.values() for g in gs)
        n = max(len(self.entries), 1)
        # A field's own words ("rail transit", 生物医药) say what the user works on, not which record:
        # they weigh nothing in a name.
        self._idf: dict[str, float] = {
            g: 0.0 if g in _FIELD_WORDS else math.log(n / c) for g, c in df.items()
        }
        # A name several records share ("Fuel-cell stack test bench, <owner>") is a question, not a link.
        self._shared: dict[str, list[str]] = {}
        for a in self.aliases:
            ids = self._shared.setdefault(a.text, [])
            if a.id not in ids:
                ids.append(a.id)
        self._brand_tables: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None

    def link(self, text: str, kinds: Iterable[Kind] = KINDS) -> list[Link]:
        """Every record `text` names, in text order (search links, which have no span, last)."""
        wanted = tuple(kinds)
        found = [lk for lk in self._ids(text) if lk.kind in wanted]
        found += [lk for lk in self._names(text, [lk.span for lk in found if lk.span]) if lk.kind in wanted]
        if "organisation" in wanted:
            found += [
                lk
                for lk in self._by_brand(text, [lk.span for lk in found if lk.span])
                if lk.id not in [f.id for f in found]
            ]
        rest = _rest(text, [lk.span for lk in found if lk.span])
        if len(re.sub(r"\W", "", rest)) >= self.thresholds.min_left:
            for kind in wanted:
                lk = self._searched(text, rest, kind)
                if lk is not None and lk.id not in [f.id for f in found]:
                    found.append(lk)
        return sorted(found, key=lambda lk: lk.span or (len(text), len(text)))

    def named(self, text: str) -> list[Link]:
        """The records `text` names by id or by exact name (no search): the certain spans."""
        found = self._ids(text)
        return found + self._names(text, [lk.span for lk in found if lk.span])

    def _ids(self, text: str) -> list[Link]:
        out = []
        for rid, span in find_record_ids(text):
            kind = _PREFIX.get(rid.split("-", 1)[0])
            if kind:
                out.append(
                    Link(kind, rid, span, text[span[0] : span[1]], 1.0, True, "id", self.names.get(rid, ""))
                )
        return out

    def _names(self, text: str, taken: list[Span]) -> list[Link]:
        low = text.lower()
        out: list[Link] = []
        spans = list(taken)
        for a in self.aliases:
            start = low.find(a.text)
            while start >= 0:
                span = (start, start + len(a.text))
                bounded = not a.text.isascii() or (
                    (start == 0 or not low[start - 1].isalnum())
                    and (span[1] == len(low) or not low[span[1]].isalnum())
                )
                if bounded and not any(span[0] < b and x < span[1] for x, b in spans):
                    spans.append(span)
                    other = next((o for o in self._shared[a.text] if o != a.id), None)
                    if a.id not in [lk.id for lk in out]:
                        out.append(
                            Link(
                                a.kind,
                                a.id,
                                span,
                                text[span[0] : span[1]],
                                1.0 if other is None else 0.5,
                                other is None,
                                "name",
                                self.names[a.id],
                                other,
                                "" if other is None else self.names[other],
                            )
                        )
                    break
                start = low.find(a.text, start + 1)
        return out

    def _brands(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Built on first need: pinyin is only for messages that may name a firm in the other language."""
        if self._brand_tables is None:
            self._brand_tables = _brands(self.entries)
        return self._brand_tables

    def _by_brand(self, text: str, taken: list[Span]) -> list[Link]:
        """Organisations named in the other language by their brand: "Guoyue" for 国悦电力装备有限公司,
        "凤岐储能" for Fengqi Energy Storage — the brand's pinyin is how the two names meet."""
        out: list[Link] = []

        def free(a: int, b: int) -> bool:
            return not any(a < y and x < b for x, y in taken)

        hits: list[tuple[Span, list[str]]] = []
        for m in re.finditer(r"[A-Za-z]{4,}", text):
            ids = self._brands()[0].get(m[0].lower())
            if ids and free(*m.span()):
                hits.append((m.span(), ids))
        if re.search(r"[\u4e00-\u9fff]{2}", text) and self._brands()[1]:
            for m in re.finditer(r"[\u4e00-\u9fff]+", text):
                syl = _pinyin(m[0])
                starts: set[int] | None = None
                for i in range(len(syl) - 1):
                    ids = self._brands()[1].get(syl[i] + syl[i + 1])
                    span = (m.start() + i, m.start() + i + 2)
                    if not ids or not free(*span):
                        continue
                    starts = _word_starts(m[0]) if starts is None else starts  # jieba only when needed
                    if i in starts and not _common_word(m[0][i : i + 2]):
                        hits.append((span, ids))
        for span, ids in hits:
            other = ids[1] if len(ids) > 1 else None
            out.append(
                Link(
                    "organisation",
                    ids[0],
                    span,
                    text[span[0] : span[1]],
                    0.9 if other is None else 0.45,
                    other is None,
                    "brand",
                    self.names[ids[0]],
                    other,
                    "" if other is None else self.names[other],
                )
            )
        return out

    def _searched(self, text: str, rest: str, kind: Kind) -> Link | None:
        """The record of `kind` whose name the leftover words cover best (IDF-weighted character
        bigrams and words: "华东材料院那条固态电池中试线" covers the rare 固态/态电 of one line, only the
        common 中试 of the others); the KB's hybrid search breaks a close call by meaning."""
        th = self.thresholds
        # The whole message counts: a facility's name holds its owner's ("凌峰智能制造研究院的激光制造中试线"),
        # already linked as the organisation; but something must be left to explain.
        grams = _grams(text)
        left = _grams(rest)
        scored: list[tuple[float, float, str]] = []
        for e in self.entries:
            if e.kind != kind:
                continue
            own = self._grams[e.id]
            total = sum(self._idf[g] for g in own) or 1.0
            mass = sum(self._idf[g] for g in own & grams)
            if mass and own & left:
                scored.append((mass / total, mass, e.id))
        scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
        if not scored or scored[0][0] < th.coverage or scored[0][1] < th.mass:
            return None
        cov, _, rid = scored[0]
        second = scored[1] if len(scored) > 1 else None
        certain = cov >= th.sure and (second is None or cov - second[0] >= th.margin)
        if not certain and self.search is not None:
            top = self.search(rest, kind)[:1]
            if top and top[0].dense >= th.dense:
                if top[0].id == rid:
                    certain = second is None or cov - second[0] >= th.margin / 3
                elif second is not None and top[0].id == second[2] and second[0] >= cov - th.margin / 3:
                    second, (cov, _, rid) = scored[0], second
        span = _span(text, self._grams[rid])
        return Link(
            kind,
            rid,
            span,
            text[span[0] : span[1]] if span else rest,
            round(cov, 3),
            certain,
            "search",
            self.names[rid],
            None if second is None else second[2],
            "" if second is None else self.names[second[2]],
        )


def _field_words() -> frozenset[str]:
    from knowledge.domains import DOMAIN_LABELS

    return frozenset(g for en, zh in DOMAIN_LABELS.values() for g in _grams(f"{en} {zh}"))


def _pinyin(s: str) -> list[str]:
    # Two-character brands need no phrase dictionary; without it pypinyin imports in ~0.2 s, not ~0.8 s.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import lazy_pinyin  # imported on first use: ~0.2 s, only for messages with names to read

    return [p.lower() for p in lazy_pinyin(s)]


def _word_starts(run: str) -> set[int]:
    """Where jieba's words begin: a brand is a word of its own, not the middle of 石化企业 ("huaqi")."""
    import jieba

    from knowledge.bm25 import _ensure_jieba

    _ensure_jieba()
    out, pos = set(), 0
    for w in jieba.lcut(run):
        out.add(pos)
        pos += len(w)
    return out


def _common_word(w: str) -> bool:
    """要是 ("yaoshi") is a word, not Yaoshi Electronic Materials; real brands are rare in the dictionary."""
    import jieba

    return (jieba.get_FREQ(w) or 0) >= 500


def _brands(entries: list[Entry]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Organisations by brand: pinyin of a Chinese name's first two characters, an English name's
    first word — the part both names of a firm share."""
    zh: dict[str, list[str]] = {}
    en: dict[str, list[str]] = {}
    orgs = [e for e in entries if e.kind == "organisation"]
    cjk = [e for e in orgs if re.match(r"[\u4e00-\u9fff]{2}", e.name)]
    if cjk:
        for e in cjk:
            zh.setdefault("".join(_pinyin(e.name[:2])), []).append(e.id)
    for e in orgs:
        m = re.match(r"([A-Za-z]{4,})\b", e.name)
        if m and m[1].lower() not in _STOPWORDS:
            en.setdefault(m[1].lower(), []).append(e.id)
    return zh, en


_STOPWORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "for",
        "in",
        "at",
        "on",
        "a",
        "an",
        "to",
        "with",
        "by",
        "based",
        "co",
        "ltd",
        "technology",
        "one",
    ]
)


def _grams(s: str) -> set[str]:
    """Chinese character bigrams and other words: names share words across records, so the
    rare ones decide."""
    low = s.lower()
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", low):
        out |= {run[i : i + 2] for i in range(len(run) - 1)}
    out |= {w for w in re.findall(r"[a-z0-9][a-z0-9.\-]*", low) if w not in _STOPWORDS}
    return out


def _span(text: str, grams: set[str]) -> Span | None:
    """From the first to the last of the name's words in the text."""
    low = text.lower()
    pos = []
    for g in grams:
        i = low.find(g)
        if i >= 0:
            pos.append((i, i + len(g)))
    if not pos:
        return None
    return min(a for a, _ in pos), max(b for _, b in pos)


def _rest(text: str, taken: list[Span]) -> str:
    """The text without already linked spans — what is still to explain."""
    chars = list(text)
    for a, b in taken:
        for i in range(a, b):
            chars[i] = " "
    return " ".join("".join(chars).split())


def kb_entries(kb: object) -> list[Entry]:
    """Every achievement, organisation and facility of a knowledge base, by its name or title."""
    out: list[Entry] = []
    for kind in KINDS:
        for rec in kb.records(kind):  # type: ignore[attr-defined]
            name = getattr(rec, "name", None) or getattr(rec, "title", "")
            if name:
                out.append(Entry(kind, rec.id, name))
    return out


def kb_search(kb: object, k: int = 3) -> Search:
    def search(query: str, kind: Kind) -> list[Hit]:
        hits = kb.search(query, kind=kind, k=k)  # type: ignore[attr-defined]
        return [Hit(h.id, h.title, h.dense_score or 0.0, h.bm25_score or 0.0) for h in hits]

    return search


LinkSource = Callable[[str], list[Link]]
"""text -> links; the planner's view of a linker (tests inject their own)."""


@lru_cache(maxsize=4)
def _linker(entries: tuple[Entry, ...]) -> Linker:
    """One linker per record set: building the alias and IDF tables takes a few ms, a turn links several times."""
    return Linker(list(entries))


def kb_links(settings: Settings) -> LinkSource:
    """Links against the knowledge base of `settings` (its current records; its search breaks ties)."""

    def source(text: str) -> list[Link]:
        from knowledge.kb import open_kb

        kb = open_kb(settings)
        linker = _linker(tuple(kb_entries(kb)))
        linker.search = kb_search(kb)  # the same knowledge base the entries came from
        return linker.link(text)

    return source


def kb_named(settings: Settings) -> Callable[[str], list[Span]]:
    """Where `text` names a record of the knowledge base of `settings` by id or exact name or
    title (no search: cheap enough to run before the turn is planned)."""

    def source(text: str) -> list[Span]:
        from knowledge.kb import open_kb

        linker = _linker(tuple(kb_entries(open_kb(settings))))
        return [lk.span for lk in linker.named(text) if lk.span]

    return source


_FIELD_WORDS = _field_words()
