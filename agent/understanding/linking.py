"""Entity linking: which stored achievements, organisations and facilities a message names.

Readers, most precise first, each seeing only the text the earlier ones left (docs/builtin-planner.md,
"Linking and slots"):
1. typed ids ("FAC-0001", "ach-12") — certain;
2. names and unambiguous short forms (`aliases.py`), matched exactly — certain;
3. short names in either script ("鹤岭", "Minghu", "Guoyue" for 国悦), told apart by a region next to them
   or by what the message says; an ambiguous one only narrows a described record (4);
4. organisations named in translation, by the multilingual encoder;
5. near names and descriptions: IDF-weighted words of record names, the KB's hybrid search breaking ties;
   a named owner narrowing a description to its own records; an owner's "one" in a booking; a code-like
   word only one or two records have. Certain only when clearly one, otherwise the planner asks, naming both.
"""

from __future__ import annotations

import copy
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol

from agent.builtin.places import region_spans
from agent.builtin.slots import find_record_ids
from agent.builtin.spans import Span
from agent.understanding.aliases import KINDS, Alias, Entry, Kind, build_aliases
from knowledge.config import Settings
from knowledge.regions import CITY_REGION, REGIONS

_PREFIX: dict[str, Kind] = {"ACH": "achievement", "ORG": "organisation", "FAC": "facility"}


@dataclass(frozen=True)
class Hit:
    """One search result as the linker sees it (the KB's `SearchHit`, without the rest)."""

    id: str
    name: str
    dense: float  # cosine similarity of query and record
    bm25: float


class Search(Protocol):
    """The knowledge base's hybrid search over one kind of record, best first."""

    def __call__(self, query: str, kind: Kind, k: int = 3) -> list[Hit]: ...


@dataclass(frozen=True)
class Link:
    kind: Kind
    id: str
    span: Span | None  # where the mention is; None when only the whole message points at the record
    mention: str
    score: float  # 1.0 for ids and names; the acceptance score for search links
    certain: bool
    how: str  # "id" | "name" | "brand" | "search" | "owner"
    name: str = ""
    runner_up: str | None = None  # the second reading, named in the question when not certain
    runner_up_name: str = ""
    candidates: tuple[str, ...] = ()  # every organisation a short name may mean (how "short"), best first


@dataclass(frozen=True)
class Thresholds:
    """Acceptance of a search hit (see bench/linking.py for how they were measured)."""

    coverage: float = 0.3  # share of the name's (IDF-weighted) words the message has
    mass: float = 6.0  # and their summed IDF: one rare word alone is not a name
    sure: float = 0.5  # a coverage this high, clear of the runner-up, needs no question
    margin: float = 0.15
    dense: float = 0.45  # a search hit this close in meaning may break a tie
    min_left: int = 4  # characters left after ids and names for another look to be worth it
    # Among a named organisation's own records ("the LMFP cathode from <owner>"): a record the KB's search
    # ranks this high among all of its kind, this close in meaning, or sharing this much rare name mass.
    own_rank: float = 0.1  # share of its kind ranked above it
    own_dense: float = 0.15
    own_mass: float = 4.0
    own_margin: float = 0.05  # dense lead over the owner's next record for a reading without a question
    among_margin: float = 0.1  # the same among a few named by type (their bare names, by the encoder)
    # A definite description against every achievement's title (the encoder): this close, this clear of the
    # next title; certain only when very close and well clear.
    title: float = 0.5
    title_margin: float = 0.03
    title_sure: float = 0.6
    title_sure_margin: float = 0.1
    owned_title: float = 0.35  # the same among an owner's own titles, for the words its name governs
    rare_df: int = 2  # a word at most this many records have names one of them
    translated: float = 0.7  # an organisation named in translation: this close in meaning to its name
    translated_margin: float = 0.1  # and this clear of the next one


@dataclass
class Linker:
    """Links over one record set; `search` is the knowledge base's hybrid search (None: names only)."""

    entries: list[Entry]
    search: Search | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    encode: Callable[[list[str]], object] | None = (
        None  # the multilingual encoder (knowledge.embeddings.encode)
    )

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
        self._brand_tables: list[_Brands] = []  # built on first need, shared with `using` copies
        self._records = [e for e in self.entries if e.kind != "organisation"]
        self._haystack = {e.id: " ".join([e.name, *e.words]).lower() for e in self._records}
        self._rare_cache: dict[str, list[Entry]] = {}
        self._vectors: dict[tuple[str, ...], Any] = {}
        self.region: dict[str, str] = {e.id: e.region for e in self.entries if e.region}
        self._owned: dict[str, list[Entry]] = {}
        for e in self.entries:
            if e.owner and e.kind != "organisation":
                self._owned.setdefault(e.owner, []).append(e)
        self._count: Counter[Kind] = Counter(e.kind for e in self.entries)
        self.owner: dict[str, str] = {e.id: e.owner for e in self.entries if e.owner}

    def using(self, search: Search | None, encode: Callable[[list[str]], object] | None) -> Linker:
        """This linker's tables with other sources: a shallow copy (the tables and their caches are
        shared), so a cached linker is never changed by the knowledge base a turn searches."""
        view = copy.copy(self)
        view.search, view.encode = search, encode
        return view

    def link(self, text: str, kinds: Iterable[Kind] = KINDS) -> list[Link]:
        """Every record `text` names, in text order (search links, which have no span, last)."""
        wanted = tuple(kinds)
        found = [lk for lk in self._ids(text) if lk.kind in wanted]
        found += [lk for lk in self._names(text, [lk.span for lk in found if lk.span]) if lk.kind in wanted]
        short: list[Link] = []  # short names several organisations share: owners to narrow by, not links
        if "organisation" in wanted or len(wanted) > 1:
            for b in self._by_brand(text, [lk.span for lk in found if lk.span]):
                if b.how == "short":
                    short.append(b)
                elif b.id not in [f.id for f in found]:
                    found.append(b)
        if "organisation" in wanted and self.encode is not None:
            found += [
                lk
                for lk in self._translated(text, [lk.span for lk in [*found, *short] if lk.span])
                if lk.id not in [f.id for f in found]
            ]
        rest = _rest(text, [lk.span for lk in [*found, *short] if lk.span])
        if len(re.sub(r"\W", "", rest)) >= self.thresholds.min_left:
            searched = [lk for kind in wanted if (lk := self._searched(text, rest, kind)) is not None]
            if "facility" in wanted and not any(lk.kind == "facility" for lk in found):
                # "the 8-inch MEMS line in Zhejiang": a region narrows a described facility to its own few.
                near = self._by_region(text, [lk.span for lk in [*found, *short] if lk.span])
                if near is not None and not any(lk.kind == "facility" and lk.certain for lk in searched):
                    searched = [lk for lk in searched if lk.kind != "facility"] + [near]
            if _INDEFINITE.search(text) and not _DEFINITE.search(text):
                # "有没有能做电解槽测试的平台", "Is there any pilot line for …": a search for one, not a record named.
                searched = [lk for lk in searched if lk.kind == "organisation"]
            # A named organisation narrows a described record to its own few ("the LMFP cathode from
            # <owner>", "瑞岭低碳研究院…钢渣碳化养护技术"), unless a record is already named, or read surely
            # among that organisation's own.
            orgs = [lk for lk in found if lk.kind == "organisation"] + short
            named = {o for lk in orgs for o in (lk.candidates or (lk.id, lk.runner_up)) if o}
            sure = any(f.kind != "organisation" for f in found) or any(
                lk.certain and lk.kind != "organisation" and self.owner.get(lk.id) in named for lk in searched
            )
            if orgs and not sure and not _NEED.search(text):
                own, typed = self._by_owner(text, orgs, [k for k in wanted if k != "organisation"], found)
                if own is not None and not any(
                    lk.kind == own.kind and lk.certain and not own.certain for lk in searched
                ):
                    # One description names one record: a loose reading of another kind gives way.
                    searched = [lk for lk in searched if lk.kind == "organisation" or lk.certain]
                    searched = [lk for lk in searched if lk.kind != own.kind]
                    searched.append(own)
                    # "凌峰院的激光中试线和璞石院的那条": each owner's facility named by its type is one more.
                    searched += [lk for lk in typed if lk.id not in [s.id for s in searched]]
            elif orgs and "facility" in wanted and not _NEED.search(text):
                # A record already read is one owner's; another owner's facility named by its type is still
                # read ("the Songlan test field … and release my Qilan GPU lab hold").
                have = {self.owner.get(lk.id) for lk in [*found, *searched] if lk.kind != "organisation"}
                rest_orgs = [
                    o for o in orgs if not have & {c for c in (o.candidates or (o.id, o.runner_up)) if c}
                ]
                if rest_orgs:
                    _, typed = self._by_owner(text, rest_orgs, ["facility"], found)
                    searched += [lk for lk in typed if lk.id not in [s.id for s in [*found, *searched]]]
            found += [lk for lk in searched if lk.id not in [f.id for f in found]]
            if not any(lk.kind != "organisation" for lk in found) and not (
                _NEED.search(text) or _ASKS.search(text)
            ):
                # Nothing read yet: a code-like or rare word only one or two records have ("DR8", "PtSn PDH").
                found += self._by_rare(rest, [k for k in wanted if k != "organisation"])
            if "achievement" in wanted and not any(lk.kind != "organisation" for lk in found):
                # Still nothing: a definite description of an achievement ("the sirolimus magnesium stent",
                # "S波段掺铥光纤放大器那个成果") against every achievement's title by the encoder.
                found += self._by_title(rest, "achievement")
            if "facility" in wanted and not any(lk.kind != "organisation" for lk in found):
                # … or of a facility by its type and what it does ("the reducer lab", "那个涂布线").
                found += self._by_title(rest, "facility")
        if "facility" in wanted:
            # "鹤岭那个先确认 岫云那个取消": each organisation whose records none of the links already is.
            have = {self.owner.get(lk.id) for lk in found if lk.kind != "organisation"}
            found += self._their_one(
                text, [lk for lk in found if lk.kind == "organisation" and lk.certain and lk.id not in have]
            )
            if not any(lk.kind != "organisation" for lk in found):
                found += self._region_one(text, [lk.span for lk in found if lk.span])
        found = [lk for lk in found if lk.kind in wanted and not self._qualifies(text, lk, found)]
        return sorted(found, key=lambda lk: lk.span or (len(text), len(text)))

    def named(self, text: str) -> list[Link]:
        """The records `text` names by id or by exact name (no search): the certain spans."""
        found = self._ids(text)
        return found + self._names(text, [lk.span for lk in found if lk.span])

    def _translated(self, text: str, taken: list[Span]) -> list[Link]:
        """An organisation named by a translation of its name in the other language ("East China Advanced
        Materials Institute" for 华东先进材料研究院): the span that reads as a name ("… Institute",
        "…研究院") against the other script's names by the multilingual encoder's meaning."""
        th = self.thresholds
        out: list[Link] = []
        for m in _ORG_SPAN.finditer(text):
            span = m.span("name")
            if any(span[0] < y and x < span[1] for x, y in taken):
                continue
            zh = bool(re.search(r"[\u4e00-\u9fff]", m["name"]))
            cands = [
                e for e in self.entries if e.kind == "organisation" and bool(_CJK_START.match(e.name)) != zh
            ]
            if not cands:
                continue
            import numpy as np

            names = self._org_vectors(cands)
            # The span and its bare kind ("研究院", "Institute"): a name must mean more than what it is.
            q = self._unit([m["name"], m["what"] or m["zwhat"]])
            sims, bare = names @ q[0], names @ q[1]
            order = np.argsort(-sims)
            best, second = float(sims[order[0]]), float(sims[order[1]]) if len(order) > 1 else 0.0
            if (
                best < th.translated
                or best - second < th.translated_margin
                or best - float(bare[order[0]]) < th.translated_margin
            ):
                continue
            e = cands[int(order[0])]
            out.append(
                Link("organisation", e.id, span, m["name"], round(best, 3), True, "translated", e.name)
            )
        return out

    def _unit(self, texts: list[str]) -> Any:
        """The encoder's vectors of `texts`, each scaled to length 1 (a dot product of two is their cosine)."""
        import numpy as np

        v = np.asarray(self.encode(texts), dtype=np.float32)  # type: ignore[misc]
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)

    def _kept_unit(self, key: tuple[str, ...], texts: Callable[[], list[str]]) -> Any:
        """`_unit` of a record set's texts, encoded once per linker (`key` names the set)."""
        if key not in self._vectors:
            self._vectors[key] = self._unit(texts())
        return self._vectors[key]

    def _org_vectors(self, cands: list[Entry]) -> object:
        return self._kept_unit(tuple(e.id for e in cands), lambda: [e.name for e in cands])

    def _bare_similarity(self, query: str, cands: list[Entry]) -> dict[str, float]:
        """Cosine of `query` and each record's bare name ("CO2 Capture Solvent Testbed" of "CO2 Capture Solvent
        Testbed, Shuofang Institute of …", "钠离子电池中试线" of "中砺动力电池有限公司钠离子电池中试线")."""
        names = self._kept_unit(
            ("bare", *(e.id for e in cands)), lambda: [_bare_name(e, self.names) for e in cands]
        )
        sims = names @ self._unit([query])[0]
        return {e.id: float(x) for e, x in zip(cands, sims, strict=True)}

    def _their_one(self, text: str, orgs: list[Link]) -> list[Link]:
        """ "鹤岭那个先确认", "the Minghu one", "Haitang's: free in March?": an organisation's one, where the
        message books, confirms or releases, is its facility — certain when it has one, else its first two
        named in the question."""
        out: list[Link] = []
        if not _BOOKING.search(text):
            return out
        for org in orgs:
            if org.span is None:
                continue
            a, b = org.span
            one = _ONE_AFTER.match(text[b:]) or (
                re.search(r"\bthe\s+$", text[:a], re.I) and re.match(r"\s+one\b", text[b:], re.I)
            )
            facs = [e for e in self._owned.get(org.id, []) if e.kind == "facility"]
            if not one or not facs:
                continue
            end = b + one.end()
            # "那个": the name itself stays the organisation's, which says whose.
            out.append(self._first_facility(facs, (b, end), text[a:end], "owner"))
        return out

    def _first_facility(self, facs: list[Entry], span: Span, mention: str, how: str) -> Link:
        """The first of someone's facilities: certain when it is their only one, else asked about with the
        second named."""
        other = facs[1].id if len(facs) > 1 else None
        return Link(
            "facility",
            facs[0].id,
            span,
            mention,
            1.0 if other is None else 0.5,
            other is None,
            how,
            facs[0].name,
            other,
            "" if other is None else self.names[other],
        )

    def _by_title(self, rest: str, kind: Kind) -> list[Link]:
        """The achievement a definite description names ("the heater-less hollow cathode Hall thruster", "锂电池
        极片涂布缺陷检测嗰个成果"): the phrase after "the/our/their" or around "那个/嗰个", against every
        achievement's title in either language. Close in meaning and clear of the next title; certain only
        when very close and well clear. A phrase naming a facility's type is a facility's ("the reducer lab",
        "那个涂布线": against the facilities' names without their owners'), and only that."""
        if self.encode is None:
            return []
        th = self.thresholds
        phrases = [
            p
            for p in _described_phrases(rest)
            if (_FACILITY_TYPE.search(p) is not None) == (kind == "facility") and not _SEVERAL.search(p)
        ]
        if not phrases:
            return []
        import numpy as np

        titles = [e for e in self._records if e.kind == kind]
        if len(titles) < 2:
            return []
        # A facility's name carries its owner's, which tells none apart; an achievement's title is all its own.
        vectors = self._kept_unit(
            ("titles", *(e.id for e in titles)),
            lambda: [_bare_name(e, self.names) if kind == "facility" else e.name for e in titles],
        )
        sims = self._unit(phrases) @ vectors.T
        best: tuple[float, float, int, int] | None = None  # (sim, lead, phrase, title)
        for i in range(len(phrases)):
            order = np.argsort(-sims[i])
            top, second = float(sims[i][order[0]]), float(sims[i][order[1]])
            if top >= th.title and top - second >= th.title_margin and (best is None or top > best[0]):
                best = (top, top - second, i, int(order[0]))
        if best is None:
            return []
        sim, lead, i, j = best
        runner = titles[int(np.argsort(-sims[i])[1])]
        certain = sim >= th.title_sure and lead >= th.title_sure_margin
        return [
            Link(
                kind,
                titles[j].id,
                None,
                phrases[i],
                round(sim, 3),
                certain,
                "title",
                titles[j].name,
                None if certain else runner.id,
                "" if certain else runner.name,
            )
        ]

    def _region_one(self, text: str, taken: list[Span]) -> list[Link]:
        """ "the Sichuan one — free in March?", "新疆那个取消": a region's one, where the message books, confirms
        or releases and names no record, is its facility — certain when it has one, else the first of two
        named in the question (more than two is no reading)."""
        if not _BOOKING.search(text):
            return []
        for region, (a, b) in region_spans(text):
            if any(a < y and x < b for x, y in taken):
                continue
            one = _ONE_AFTER.match(text[b:]) or (
                re.search(r"\b(?:the|that|this)\s+$", text[:a], re.I)
                and re.match(r"\s+one\b", text[b:], re.I)
            )
            facs = [e for e in self._records if e.kind == "facility" and self.region.get(e.id) == region]
            if not one or not facs or len(facs) > 2:
                continue
            end = b + one.end()
            return [self._first_facility(facs, (a, end), text[a:end], "region")]
        return []

    def _records_with(self, token: str) -> list[Entry]:
        """The achievements and facilities whose name or keywords hold `token` (an English one as a word)."""
        hit = self._rare_cache.get(token)
        if hit is None:
            if token.isascii():
                rx = re.compile(rf"(?<![a-z0-9]){re.escape(token)}(?![a-z0-9])")
                hit = [e for e in self._records if rx.search(self._haystack[e.id])]
            else:
                hit = [e for e in self._records if token in self._haystack[e.id]]
            self._rare_cache[token] = hit
        return hit

    def _by_rare(self, rest: str, kinds: list[Kind]) -> list[Link]:
        """A described record by the rare words it alone has: a code-like token ("DR8", "PtSn", "Li6PS5Cl",
        "CAR-T") or a word of a Chinese/English description found in the names or keywords of at most
        two records ("transaminase", "湿法回收银" is too long a word: 湿法, 回收; "碳纤维" is too common).
        Two records with the same words: the first read uncertainly, the other named."""
        brands = self._brands()
        score: dict[str, float] = {}
        words: dict[str, list[str]] = {}
        for tok in _rare_tokens(rest):
            if not _points_at(rest, tok):
                continue
            if tok in brands.en_same or tok in brands.en_other or tok in _REGION_WORDS:
                continue
            recs = [e for e in self._records_with(tok) if e.kind in kinds]
            if (
                not recs
                or len(recs) > self.thresholds.rare_df
                or len(self._records_with(tok)) > self.thresholds.rare_df
            ):
                continue
            for e in recs:
                score[e.id] = score.get(e.id, 0.0) + 1.0 / len(recs)
                words.setdefault(e.id, []).append(tok)
        if not score:
            return []
        rank: dict[str, int] = {}
        if self.search is not None and len(score) > 1:
            # Records tied on their rare words: the description's other words, by meaning ("G5硫酸" is the
            # sulfuric acid, not the hydrogen peroxide) order them; the question still names both.
            for kind in dict.fromkeys(e.kind for e in self._records if e.id in score):
                for i, h in enumerate(self.search(rest, kind, self._count[kind])):
                    if h.id in score:
                        rank[h.id] = i
        ranked = sorted(score, key=lambda i: (-score[i], rank.get(i, 1 << 30), i))
        best = ranked[0]
        second = ranked[1] if len(ranked) > 1 and score[ranked[1]] >= score[best] else None
        kind = next(e.kind for e in self._records if e.id == best)
        span = _span(rest, set(words[best]))
        return [
            Link(
                kind,
                best,
                None,
                rest[span[0] : span[1]] if span else " ".join(words[best]),
                round(score[best], 3),
                second is None,
                "rare",
                self.names[best],
                second,
                "" if second is None else self.names[second],
            )
        ]

    def _qualifies(self, text: str, org: Link, found: list[Link]) -> bool:
        """An organisation named only to say whose record it is ("Hengyue's AUV", "the amine solvent from
        Shuofang", "澄湖理工的钙钛矿中试线", "中砺动力那个…实验室") is part of that record's mention, not a
        party of its own: it is no link (a counterparty or requester is not named this way)."""
        if org.kind != "organisation" or org.span is None:
            return False
        for lk in found:
            if lk.kind == "organisation" or lk.span is None or self.owner.get(lk.id) != org.id:
                continue
            if lk.kind not in _QUALIFIED:
                continue
            span = lk.span
            if span[0] < org.span[1] and org.span[0] < span[1]:
                # A searched facility's words include its owner's: where its own words are.
                own = _span(text, self._grams[lk.id] - self._grams.get(org.id, set()))
                if own is None or (own[0] < org.span[1] and org.span[0] < own[1]):
                    continue
                span = own
            a, b = sorted([org.span, span])
            if _OWNER_GAP.fullmatch(text[a[1] : b[0]]):
                return True
        return False

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
                    (start == 0 or not _word_char(low[start - 1]))
                    and (span[1] == len(low) or not _word_char(low[span[1]]))
                )
                if bounded and not a.full and a.kind == "organisation":
                    # "中砺氢能（吉林）": a short form is not the organisation of another region.
                    near = _region_next_to(text, span)
                    bounded = near is None or self.region.get(a.id) in (None, near[0])
                    # "Xicen University" is not Xicen Capital: the kind written after a short form is the record's.
                    said, kind = _kind_after(text[span[1] :]), _kind_named(self.names[a.id])
                    bounded = bounded and (said is None or kind is None or kind == said)
                if bounded and not a.full and a.kind == "facility":
                    # "the 1.6T silicon photonics module": a facility's short form in a clause that names no
                    # facility, books none and names no achievement of its own is a topic, not that facility.
                    clause = _clause_of(text, span, [])
                    bounded = bool(_KIND_CUE["facility"].search(clause)) or not (
                        _ACHIEVEMENT_NOUN.search(clause) or _KIND_CUE["achievement"].search(clause)
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

    def _brands(self) -> _Brands:
        """Built on first need: pinyin is only for messages that may name a firm in the other language."""
        if not self._brand_tables:
            self._brand_tables.append(_brands(self.entries))
        return self._brand_tables[0]

    def _by_brand(self, text: str, taken: list[Span]) -> list[Link]:
        """Organisations by a short name: an English name's first word or a Chinese name's first two
        characters, in either language ("Guoyue" for 国悦电力装备有限公司, "凤岐储能" for Fengqi Energy
        Storage, "鹤岭" for 鹤岭氢能研究院) — the brand's pinyin is how the two languages meet; a name in the
        message's own script comes first ("Minghu" is Minghu Polytechnic University before 明湖产业投资基金).
        Several organisations with the brand are told apart by a region next to it ("国澄浙江", "Huaqi
        Zhejiang"), else by what the message says about them (a facility booked, an achievement licensed, a
        fund investing); when nothing does, the short name is no link of its own (how "short") but still
        narrows a described record to one of theirs."""
        out: list[Link] = []

        def free(a: int, b: int) -> bool:
            return not any(a < y and x < b for x, y in taken)

        tables = self._brands()
        hits: list[tuple[Span, list[str], list[str]]] = []
        for m in re.finditer(r"[A-Za-z]{4,}", text):
            w = m[0].lower()
            same, other = tables.en_same.get(w, []), tables.en_other.get(w, [])
            if (same or other) and free(*m.span()):
                hits.append((m.span(), same, other))
        if re.search(r"[\u4e00-\u9fff]{2}", text):
            for m in re.finditer(r"[\u4e00-\u9fff]+", text):
                syl: list[str] | None = None
                starts: set[int] | None = None
                for i in range(len(m[0]) - 1):
                    pair = m[0][i : i + 2]
                    span = (m.start() + i, m.start() + i + 2)
                    same = tables.zh_same.get(pair, [])
                    if not same and tables.zh_other:
                        syl = _pinyin(m[0]) if syl is None else syl
                    other = tables.zh_other.get(syl[i] + syl[i + 1], []) if syl else []
                    if not (same or other) or not free(*span):
                        continue
                    starts = _word_starts(m[0]) if starts is None else starts  # jieba only when needed
                    if i in starts and not _common_word(pair):
                        hits.append((span, same, other))
        for span, same, other in hits:
            ids, certain, span = self._which_org(text, span, same, other, taken)
            if not ids:
                continue
            runner = ids[1] if len(ids) > 1 else None
            out.append(
                Link(
                    "organisation",
                    ids[0],
                    span,
                    text[span[0] : span[1]],
                    0.9 if certain else 0.45,
                    certain,
                    "brand" if certain else "short",
                    self.names[ids[0]],
                    runner,
                    "" if runner is None else self.names[runner],
                    tuple(ids),
                )
            )
        return out

    def _which_org(
        self, text: str, span: Span, same: list[str], other: list[str], taken: list[Span]
    ) -> tuple[list[str], bool, Span]:
        """The organisations a short name may mean, best first, whether it is one, and the words naming
        it (with the region that told it apart)."""
        near = _region_next_to(text, span)
        if near:
            # "国澄浙江", "Zhongyi Zhejiang", "中砺氢能（吉林）": the region picks among both scripts.
            by_region = [o for o in [*same, *other] if self.region.get(o) == near[0]]
            if by_region:
                return by_region, len(by_region) == 1, (span[0], near[1])
        said = _kind_after(text[span[1] :])
        if said and same and other:
            # "Xicen University" where the English brand is Xicen Capital and 西岑科技大学 reads "Xicen": the kind
            # written after the brand picks, in either script.
            fit = [o for o in [*same, *other] if _kind_named(self.names[o]) == said]
            if len(fit) == 1:
                return fit, True, span
        ids = same or other
        if len(ids) <= 1:
            return ids, True, span
        clause = _clause_of(text, span, taken)
        wants: list[str] = []
        if _INVESTOR_CUE.search(clause):
            wants = [o for o in ids if o not in self._owned]
        else:
            cue = [k for k in ("facility", "achievement") if _KIND_CUE[k].search(clause)]
            if cue or _OWNER_CUE.search(clause):
                wants = [o for o in ids if any(e.kind in (cue or KINDS) for e in self._owned.get(o, []))]
        if len(wants) == 1:
            return wants, True, span
        return (wants or ids), False, span

    def _by_owner(
        self, text: str, owners: list[Link], kinds: list[Kind], found: list[Link]
    ) -> tuple[Link | None, list[Link]]:
        """The record of a named owner that the words next to it describe (its clause, or the next one
        when the clause is only the name: "中翊船舶这边，LNG船…"): its name's rare words ("PtSn", "DR8"),
        else the KB's search ranking it near the top of its kind by meaning (which also reads a
        description in the other language). Another of the owner's records close in meaning makes it
        uncertain, naming the runner-up. A facility word ("中试线", "test lab") keeps it to facilities.
        Also every certain facility named by its type next to another owner (second, a list)."""
        taken = [lk.span for lk in found if lk.span]
        best: Link | None = None
        typed: list[Link] = []
        for org in owners:
            if org.span and _COUNTERPARTY.search(text[max(0, org.span[0] - 12) : org.span[0]]):
                continue
            query = _clause_of(text, org.span, taken) if org.span else ""
            cue = [k for k in kinds if _KIND_CUE[k].search(query)]
            want = cue if len(cue) == 1 else kinds
            # "Qilan那个AI算力实验室", "the Zhongli sodium-ion line": a facility's type named next to its owner
            # says it is one of the owner's few facilities; meaning only has to choose among them.
            among = want == ["facility"] and _one_described(query)
            whose = [o for o in (org.candidates or (org.id, org.runner_up)) if o]
            if among:
                whose += [o for o in self._namesakes(org) if o not in whose]
            cands = [e for o in whose for e in self._owned.get(o, []) if e.kind in want]
            if not cands or len(re.sub(r"\W", "", query)) < self.thresholds.min_left:
                continue
            span = _type_span(text, org.span) if among else None
            # Among so few, the described words alone choose: dates and booking words only blur the meaning.
            phrase = text[span[0] : span[1]] if span else query
            lk = self._owned_record(
                text, phrase, cands, self._grams.get(org.id, set()), among, None if span is None else query
            )
            if (
                lk is None
                and not among
                and org.span
                and _SPEAKER.search(_clause_of(text, org.span, []))
                and not _ASKS.search(text)
            ):
                # "Lanshan Polytechnic here. for our terahertz 6G backhaul thing …", "我是中驰机器人的，我们打磨
                # 抛光的…成果": the owner introduces itself; its record is described anywhere in the message.
                whole = _rest(text, taken)
                mine = [e for e in cands if e.kind == "achievement"]
                lk = self._owned_record(text, whole, mine, self._grams.get(org.id, set())) if mine else None
                lk = lk if lk is not None and lk.certain else None
            if not among and "achievement" in want and org.span:
                # "Lingfeng's krypton thruster", "Zhiting的那个扰动观测器伺服驱动", "the LGPS-type electrolyte from
                # Huadong": the words the owner's name governs, against its own achievements' titles (either
                # script's firm), read before the clause's other words; each owner's is one more.
                governed = self._owned_title(text, org, whose)
                if governed is not None and (lk is None or governed.certain):
                    lk = governed
                    if governed.certain:
                        typed.append(governed)
            if lk is not None and span is not None:
                lk = replace(lk, span=span, mention=phrase)
            if lk is not None and among and lk.certain:
                typed.append(lk)
            if lk is not None and (best is None or (lk.certain, lk.score) > (best.certain, best.score)):
                best = lk
        return best, typed

    def _owned_title(self, text: str, org: Link, whose: list[str]) -> Link | None:
        """The owner's achievement its possessive governs, by the encoder over the owner's titles: close
        enough and clear of its next one; certain only when well clear."""
        th = self.thresholds
        where = _governed(text, org.span) if org.span else None
        if self.encode is None or where is None:
            return None
        owners = whose + [o for o in self._namesakes(org) if o not in whose]
        cands = [e for o in owners for e in self._owned.get(o, []) if e.kind == "achievement"]
        if not cands:
            return None
        phrase = text[where[0] : where[1]]
        sims = self._bare_similarity(phrase, cands)
        order = sorted(sims, key=lambda i: (-sims[i], i))
        lead = sims[order[0]] - sims[order[1]] if len(order) > 1 else 1.0
        if sims[order[0]] < th.owned_title or lead < th.title_margin:
            return None
        certain = lead >= th.title_sure_margin
        runner = None if certain or len(order) < 2 else order[1]
        return Link(
            "achievement",
            order[0],
            where,
            phrase,
            round(sims[order[0]], 3),
            certain,
            "owner",
            self.names[order[0]],
            runner,
            "" if runner is None else self.names[runner],
        )

    def _by_region(self, text: str, taken: list[Span]) -> Link | None:
        """A facility described by its type next to a region ("the 8-inch MEMS line in Zhejiang", "甘肃那个液流
        电池电堆中试线", "the Shanghai laser line"): one of the few facilities there, chosen by meaning."""
        for region, span in region_spans(text):
            if any(span[0] < b and a < span[1] for a, b in taken):
                continue  # part of a name already read ("国澄电子材料（浙江）")
            query = _clause_of(text, span, taken)
            cands = [e for e in self._records if e.kind == "facility" and self.region.get(e.id) == region]
            if not cands or not _one_described(query) or _seeks(query):
                continue
            where = _type_span(text, span)
            phrase = text[where[0] : where[1]] if where else query
            if not _describes(phrase) and not _DEFINITE.search(query):
                continue  # "江苏的中试线": any pilot line there, not one pointed at ("the Gansu test field")
            lk = self._owned_record(text, phrase, cands, _grams(text[span[0] : span[1]]), True, query)
            if lk is not None and where is not None:
                lk = replace(lk, span=where, mention=phrase)
            if lk is not None:
                return lk
        return None

    def _namesakes(self, org: Link) -> list[str]:
        """Organisations sharing the short name `org` was read by, in both scripts: "Zhongli" is Zhongli
        Power Battery (Jiangsu) and 中砺动力电池有限公司 — one firm the knowledge base may hold twice."""
        if org.how not in ("brand", "short", "name"):
            return []
        t = self._brands()
        m = re.match(r"[A-Za-z]{4,}", org.mention)
        if m:
            w = m[0].lower()
            return [*t.en_same.get(w, []), *t.en_other.get(w, [])]
        if re.match(r"[\u4e00-\u9fff]{2}", org.mention) and org.how != "name":
            pair = org.mention[:2]
            return [*t.zh_same.get(pair, []), *t.zh_other.get("".join(_pinyin(pair)), [])]
        return []

    def _owned_record(
        self,
        text: str,
        query: str,
        cands: list[Entry],
        owner_words: set[str],
        among: bool = False,
        clause: str | None = None,
    ) -> Link | None:
        """The one of `cands` the words of `query` describe: by rare name words, else by meaning — near the
        top of its whole kind, or (`among`: the words already say it is one of these few) first among them.
        A bare "那条线", "the Huadong line" describes none of several: the clause's other words only rank
        them for the question."""
        th = self.thresholds
        # A bare "the line" among several: the clause's other words rank them for the question, not the link.
        described = _describes(query)
        rank_by = clause if among and not described and clause is not None and len(cands) > 1 else query
        # The owner's own name inside a facility's name ("华曜化工新材料（宁夏）…实验室") says whose, not which.
        left = _grams(query) - owner_words
        if among:
            # The type word ("line", "实验室") is why these few were chosen: it tells none of them apart.
            left -= _grams(" ".join(m[0] for m in _FACILITY_TYPE.finditer(query)))
        ids = {e.id for e in cands}
        kind_of = {e.id: e.kind for e in cands}
        rank: dict[str, float] = {}
        dense: dict[str, float] = {}
        if among and self.encode is not None:
            # A few of one kind: the described words against each one's own name (its owner's name, which
            # every one of them carries, taken out) read closer than against the whole record.
            dense = self._bare_similarity(query, cands)
        elif self.search is not None:
            for kind in dict.fromkeys(e.kind for e in cands):
                n = self._count[kind]
                for i, h in enumerate(self.search(rank_by, kind, n)):
                    if h.id in ids:
                        rank[h.id], dense[h.id] = i / n, h.dense
        mass = {e.id: sum(self._idf[g] for g in self._grams[e.id] & left) for e in cands}
        by_mass = sorted(ids, key=lambda i: (-mass[i], rank.get(i, 1.0), i))
        by_dense = sorted(ids, key=lambda i: (-dense.get(i, 0.0), rank.get(i, 1.0), i))
        top, second = mass[by_mass[0]], (mass[by_mass[1]] if len(by_mass) > 1 else 0.0)
        # Among a few named by their type, a shared word of middling rarity already tells them apart.
        need = th.own_mass / 2 if among else th.own_mass
        if top >= need and top - second >= need / 2:
            rid, certain, lexical = by_mass[0], True, True
            others: list[str] = []
        else:
            ok = [
                i
                for i in by_dense
                if (among and (i in dense or len(ids) == 1))
                or (rank.get(i, 1.0) <= th.own_rank and dense.get(i, 0.0) >= th.own_dense)
            ]
            if not ok:
                return None
            rid, lexical = ok[0], False
            others = [i for i in by_dense if i != rid and kind_of[i] == kind_of[rid]]
            lead = dense.get(rid, 0.0) - dense.get(others[0], 0.0) if others else 1.0
            if among:
                # A bare type ("the Songlan line") is a guess among several, however the encoder leans.
                certain = not others or (described and lead >= th.among_margin)
            else:
                certain = not others or lead >= th.own_margin
        second_id = others[0] if others and not certain else None
        shared = self._grams[rid] & left
        span = _span(text, shared) if shared else None
        return Link(
            kind_of[rid],
            rid,
            span,
            text[span[0] : span[1]] if span else query,
            1.0 if lexical else round(dense.get(rid, 0.0), 3),
            certain,
            "owner",
            self.names[rid],
            second_id,
            "" if second_id is None else self.names[second_id],
        )

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
    from knowledge.bm25 import ready_jieba

    out, pos = set(), 0
    jieba = ready_jieba()
    for w in jieba.lcut(run):
        out.add(pos)
        pos += len(w)
    return out


def _common_word(w: str) -> bool:
    """要是 ("yaoshi") is a word, not Yaoshi Electronic Materials; real brands are rare in the dictionary."""
    from knowledge.bm25 import ready_jieba

    return (ready_jieba().get_FREQ(w) or 0) >= 500


@dataclass
class _Brands:
    """Organisations by short name, in the script the message uses (same) and in the other (other)."""

    en_same: dict[str, list[str]] = field(default_factory=dict)  # first word of an English name
    en_other: dict[str, list[str]] = field(
        default_factory=dict
    )  # pinyin of a Chinese name's first two characters
    zh_same: dict[str, list[str]] = field(default_factory=dict)  # first two characters of a Chinese name
    zh_other: dict[str, list[str]] = field(default_factory=dict)  # an English name's first word, as pinyin


def _brands(entries: list[Entry]) -> _Brands:
    """Organisations by brand: a Chinese name's first two characters (and their pinyin), an English
    name's first word — the part both names of a firm share."""
    out = _Brands()
    orgs = [e for e in entries if e.kind == "organisation"]
    for e in orgs:
        if re.match(r"[\u4e00-\u9fff]{2}", e.name):
            out.zh_same.setdefault(e.name[:2], []).append(e.id)
            out.en_other.setdefault("".join(_pinyin(e.name[:2])), []).append(e.id)
        m = re.match(r"([A-Za-z]{4,})\b", e.name)
        if m and m[1].lower() not in _STOPWORDS:
            out.en_same.setdefault(m[1].lower(), []).append(e.id)
            out.zh_other.setdefault(m[1].lower(), []).append(e.id)
    return out


def _region_next_to(text: str, span: Span) -> tuple[str, int] | None:
    """A region right after or before a short name: "国澄浙江", "Huaqi Zhejiang", "中砺氢能（吉林）", "吉林的Jinglan";
    with where the name and its region end (after a closing bracket)."""
    for region, (a, b) in region_spans(text):
        after = text[span[1] : a]
        before = text[b : span[0]]
        if a >= span[1] and re.fullmatch(r"[\s(（]{0,2}|[\u4e00-\u9fff]{1,6}\s*[(（]", after):
            close = re.match(r"\s*[)）]", text[b:])
            return region, b + (close.end() if close else 0)
        if b <= span[0] and re.fullmatch(r"\s*(?:的|那家|那个)?\s*", before):
            return region, span[1]
    return None


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


_CLAUSE_END = re.compile(r"[。；;！!？?\n，,：:]|\s[-—–]+\s|\.(?:\s|$)")
# The organisation wants something ("X在找…", "the LMFP need we posted", "X needs …"): the description
# is its need, for the matching tool, not one of its own records.
_NEED = re.compile(
    r"需求|在找|想找|想要|要找|要做|要的|要给|求购|寻求|征集|匹配|对得上|对上|对口|对应的成果|能用的成果|库里有|"
    r"有没有.{0,12}成果|有.{0,8}成果吗|\bneeds\b|\b(?:they|we|i)\s+need\b(?!\s+to\b)|\bwants?\s+(?:an?|some)\b|"
    r"looking\s+for|\bis\s+after\b|\bmatch(?:es|ing)?\s+(?:both|our|their|the|this|that|it|them)\b|"
    r"\bneed\s+we\b|could\s+help|what\s+do\s+(?:we|you)\s+have",
    re.I,
)
# The other side of a deal ("买方中砺碳资产", "许可给…", "assign it to Zhongyi"): not the owner of the record.
_COUNTERPARTY = re.compile(
    r"(?:买方|被许可方|受让方|被许可人|卖给|许可给|转让给|授权给|出售给|\bto|\bbuyer|\blicensee|\bassignee)[\s:：,，]*$",
    re.I,
)
# What stands between an owner and its record in "<owner>'s <record>", "<record> from <owner>", "<owner>的<record>".
_OWNER_GAP = re.compile(
    r"(?:\s|'s\b|’s\b|的|那个|那条|那台|那家的?|这个|这条|家的?|\b(?:from|of|at|by|in|the|at)\b|[(（])*",
    re.I,
)
# Facilities only: the corpus never labels the owner in "澄湖理工的钙钛矿中试线" (W9-W12: 59 fewer extra
# links, names unchanged), but it does label it in "Yuefeng's 800G DR8 module" (achievements: −3.7 points).
_QUALIFIED: tuple[Kind, ...] = ("facility",)
# Whom a short name shared by a fund and a university means: the fund when money is the subject, the
# one with records when the message speaks of its team, rules, records or school.
_INVESTOR_CUE = re.compile(r"基金|资本|投资|\binvest|\bfund\b|\bcapital\b|\bvc\b", re.I)
_OWNER_CUE = re.compile(
    r"团队|发明人|规定|办法|学校|大学|研究院|所里|我们是|\bteam\b|inventors?|\brules?\b|universit|institut|"
    r"\bschool\b|\bwe(?:'re| are)\b|'s\b|’s\b",
    re.I,
)
# What a facility is ("中试线", "test lab", "sea trial site"): a described thing, not only a booking.
_FACILITY_TYPE = re.compile(
    r"中试线|生产线|[^专]线|平台|实验室|基地|车间|试车台|测试台|试验台|靶场|场地|中心|示范站|示范点|园区|水池|装置|设施|暗室|"
    r"\b(?:pilot|production)\s+line|\bline\b|\blab(?:oratory)?\b|test\s*bed|test\s+(?:bench|stand|site|platform)|"
    r"\bstand\b|\bsite\b|\bpark\b|\bcent(?:re|er)\b|\brange\b|\bsuite\b|\bfacility\b|\btest\s+field\b|"
    # the English of 基地, 车间, 试验台, 装置, 暗室, 示范站, 工厂, 水池
    r"\bbase\b|\bworkshop\b|\bbench\b|\bpilot\s+plant\b|\bchamber\b|\bdemo(?:nstration)?\s+(?:station|factory|unit)\b|"
    r"\btowing\s+tank\b|\bbasin\b",
    re.I,
)
# Words that say which kind of record a clause describes.
_KIND_CUE: dict[Kind, re.Pattern[str]] = {
    "facility": re.compile(
        rf"{_FACILITY_TYPE.pattern}|"
        r"预约|档期|排期|有空|\bhold(?:s|ing)?\b|\bbook(?:ings?|ed)?\b|\bfacilit(?:y|ies)\b|available|availability",
        re.I,
    ),
    "achievement": re.compile(
        r"成果|技术|专利|工艺|许可|转让|作价|\btech(?:nology)?\b|\bresults?\b|\bpatents?\b|\bachievements?\b|"
        r"licen[cs]|assign|\bip\b",
        re.I,
    ),
    "organisation": re.compile(r"(?!)"),
}


# Facilities in general ("两个设施", "the Shuofang testbeds", "所有平台"): several, or none described.
_SEVERAL = re.compile(
    r"[两几各多][个条家台]|所有|全部|哪些|\b(?:all|both|every|any|two|three|several)\b|"
    r"\b(?:lines|labs|laborator(?:y|ie)s|testbeds|benches|stands|sites|parks|cent(?:re|er)s|ranges|facilities)\b|"
    r"设施|\bfacility\b",
    re.I,
)


# A region in a search ("有没有…的平台", "广东有冇…测试平台", "推荐陕西的…", "find me a lab in Anhui", "a pilot
# line in Jiangsu or Hunan"): where to look for one, not a facility pointed at.
_SEEKING = re.compile(
    r"有什么|有啥|有没有|有冇|有无|推荐|找|哪里|哪儿|哪家|或者|还是|\b(?:or|where|find|recommend)\b|\bis\s+there\b|"
    # "a lab in Anhui", "any pilot line": the facility itself indefinite (not "confirming a hold on the … line")
    rf"\b(?:a|an|any|some)\s+(?:[\w\-./]+\s+){{0,4}}?(?:{_FACILITY_TYPE.pattern})",
    re.I,
)


def _seeks(clause: str) -> bool:
    """The clause looks for a facility rather than points at one ("浙江有粉体雾化的中试线吗" too, unless
    "那个" points)."""
    return _SEEKING.search(clause) is not None or (
        re.search(r"有.{0,16}吗", clause) is not None and _DEFINITE.search(clause) is None
    )


def _one_described(query: str) -> bool:
    """The words describe one facility by its type ("那个AI算力实验室", "the sodium-ion line")."""
    return _FACILITY_TYPE.search(query) is not None and _SEVERAL.search(query) is None


# The kind of organisation a name says it is, in either language ("… University" / "…大学", "… Capital" / "…资本").
_ORG_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("university", r"universit(?:y|ies)|polytechnic|college|大学|学院"),
    ("institute", r"institute|academy|研究院|研究所"),
    ("investor", r"capital|fund|ventures?|investment|资本|基金|创投|投资"),
)


def _kind_named(name: str) -> str | None:
    """The kind an organisation's name says it is, or None."""
    return next((k for k, rx in _ORG_KIND_WORDS if re.search(rx, name, re.I)), None)


def _kind_after(rest: str) -> str | None:
    """The kind written right after a brand ("Xicen University", "鹤岭研究院"), or None."""
    m = re.match(r"\s*([A-Za-z]+|[\u4e00-\u9fff]{2,3})", rest)
    return _kind_named(m[1]) if m else None


# The writer speaks for the organisation ("Lanshan Polytechnic here", "we're 国澄卫星", "我是中驰机器人的",
# "Wangshu TTO again", "Our institute (Lingfeng)").
_SPEAKER = re.compile(
    r"\bhere\b|\bwe(?:'re|\s+are)\b|\bI(?:'m|\s+am)\s+(?:from|at|with)\b|\bTTO\b|\bour\b|我是|我们是|我哋系|这边|我方",
    re.I,
)
# What an achievement is, as a noun ("module", "membrane", "成果", "模块"): "silicon photonics module" is one.
_ACHIEVEMENT_NOUN = re.compile(r"成果|技术|模块|\b(?:module|tech|technology|result|achievement|one)\b", re.I)
# Words that point at a record without describing it ("那条", "the", "嗰个", "'s").
_POINTER = re.compile(
    r"那个|那条|那台|那家|这个|这条|嗰个|嗰条|个|的|嘅|\b(?:the|that|this|our|my|their|its|one|at|in|of|from)\b|'s|’s",
    re.I,
)


# A definite description: "the/our/their <words>" up to "one", a dash, a comma or a preposition; "<words>那个",
# "那个<words>成果" in Chinese.
_EN_DESCRIBED = re.compile(
    r"\b(?:the|our|their|that|this)\s+((?:[\w\-./+]+\s+){0,7}?[\w\-./+]+?)"
    r"(?=\s+(?:one|tech|technology|achievement|result|thing|work)\b|\s*(?:—|–|\s-\s|,|\?|\.\s|\.$|;|:|\(|$)|"
    r"\s+(?:from|to|for|and|with|is|has|have|that|which|who|in|at|on|still|now|so)\b)",
    re.I,
)
_ZH_DESCRIBED = re.compile(
    r"([^\s，。？！；：、,.?!（）()]{2,20}?)(?:那个|嗰个|那项|这个|那款)|"
    r"(?:那个|嗰个|那项|这个)([^\s，。？！；：、,.?!（）()]{3,20}?)(?=成果|的|，|。|？|$)"
)


def _described_phrases(text: str) -> list[str]:
    out = [m[1] for m in _EN_DESCRIBED.finditer(text) if len(m[1]) >= 4]
    out += [m[1] or m[2] for m in _ZH_DESCRIBED.finditer(text) if len(m[1] or m[2]) >= 3]
    return list(dict.fromkeys(out))


def _describes(phrase: str) -> bool:
    """More than a type and a pointer ("那条线", "the line"): words that tell one facility from another."""
    return len(re.sub(r"\W", "", _POINTER.sub(" ", _FACILITY_TYPE.sub(" ", phrase)))) >= 2


def _bare_name(e: Entry, names: dict[str, str]) -> str:
    """A record's name without its owner's: what tells it from the owner's other records."""
    name = e.name.replace(names.get(e.owner or "", "\0"), "")
    if e.kind == "facility":
        name = re.sub(r",[^,]*$", "", name)  # "…, <owner in English>"; a title's commas are its own
    return name.strip() or e.name


# What an organisation's name governs: "Lingfeng's krypton thruster", "凌峰院的伺服驱动", "Wei'an那个构网型…".
_GOVERNS = re.compile(
    r"(?:\s*(?:'s|’s)\b|\s*(?:院|所|大学|理工|科大)?(?:的|那个|那款|那项|嗰个|个|嘅))\s*(?:那个|嗰个)?\s*",
    re.I,
)


def _governed(text: str, span: Span) -> Span | None:
    """The words after "<org>'s" / "<org>的" to the clause's end, or before "from <org>" from its article."""
    m = _GOVERNS.match(text, span[1])
    if m and m.end() > span[1]:
        end = _CLAUSE_END.search(text, m.end())
        b = min(end.start() if end else len(text), m.end() + 40)
        return (m.end(), b) if b - m.end() >= 2 else None
    before = re.search(
        r"\b(?:the|our|their|that|this)\s+([^,;:?!。，；：？！]{3,60}?)\s+(?:from|of|by)\s+$",
        text[: span[0]],
        re.I,
    )
    if before:
        return before.span(1)
    return None


def _type_span(text: str, anchor: Span | None) -> Span | None:
    """Where a facility described by its owner or region is named: from the anchor to the type word after it
    ("Qilan|那个AI算力实验室|"), or the type word before it ("the sodium-ion |line| at Zhongli")."""
    if anchor is None:
        return None
    end = _CLAUSE_END.search(text, anchor[1])
    after = _FACILITY_TYPE.search(text, anchor[1], end.start() if end else len(text))
    if after is not None and after.start() - anchor[1] <= 30:
        lead = len(text[anchor[1] : after.start()]) - len(text[anchor[1] : after.start()].lstrip())
        return anchor[1] + lead, after.end()
    starts = [m.end() for m in _CLAUSE_END.finditer(text, 0, anchor[0])]
    start = starts[-1] if starts else 0
    before = list(_FACILITY_TYPE.finditer(text, start, anchor[0]))
    if not before or not _OWNER_GAP.fullmatch(text[before[-1].end() : anchor[0]]):
        return (
            None  # "the lab in Guangdong", "the line at Zhongli"; not "the line hold and release the Gansu"
        )
    # The words just before the type word describe it; a few dozen characters hold the phrase.
    a = max(start, before[-1].start() - 40)
    while 0 < a < before[-1].start() and _word_char(text[a - 1]) and _word_char(text[a]):
        a += 1
    return a + len(text[a:]) - len(text[a:].lstrip()), before[-1].end()


def _clause_of(text: str, span: Span, taken: list[Span]) -> str:
    """The clause holding `span` without the linked names; the next clause too when nothing else is
    left in it ("中翊船舶这边，LNG船薄膜围护系统…")."""
    ends = [m.start() for m in _CLAUSE_END.finditer(text)]
    start = max([e for e in ends if e < span[0]], default=-1) + 1
    after = [e for e in ends if e >= span[1]]
    end = after[0] if after else len(text)
    clause = _rest(text[start:end], [(a - start, b - start) for a, b in taken if start <= a and b <= end])
    if len(re.sub(r"\W", "", clause)) < 4 and len(after) > 0:
        nxt = [e for e in ends if e > end]
        end2 = nxt[0] if nxt else len(text)
        clause = _rest(
            text[start:end2], [(a - start, b - start) for a, b in taken if start <= a and b <= end2]
        )
    return clause


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]")
_REGION_WORDS = frozenset(r.lower() for r in REGIONS) | frozenset(REGIONS.values()) | frozenset(CITY_REGION)


def _rare_tokens(rest: str) -> list[str]:
    """Code-like tokens of a description: a digit with letters ("DR8", "GoA4", "Li6PS5Cl") or a capital
    inside a word ("PtSn", "TOPCon"). Plain words and acronyms were measured: on W9-W12 they linked 205
    records in messages that describe a need or a field ("CCUS", "kW", "selectivity", 新材料), 8 of them right."""
    out: list[str] = []
    for m in _CODE.finditer(rest):
        w = m[0]
        digits = re.search(r"\d", w) and re.search(r"[A-Za-z]{2}|[A-Za-z]\d", w) and not _UNIT.fullmatch(w)
        ups, lows = sum(c.isupper() for c in w), sum(c.islower() for c in w)
        mixed = ups >= 2 and lows >= 1 and w.lower() not in _UNIT_WORDS
        if digits or mixed:
            out.append(w.lower())
    return list(dict.fromkeys(out))


_UNIT_WORDS = frozenset(
    ["kwh", "mwh", "gwh", "twh", "mah", "kva", "mva", "mpa", "gpa", "kpa", "ghz", "mhz", "thz"]
)
# A span that reads as an organisation's name: capitalised words ending in what it is, or Chinese ending so.
_ORG_SPAN = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]*\s+){1,6}"
    r"(?P<what>Institute|University|Academy|College|Company|Corporation|Group|Fund|Capital|Ventures)\b"
    r"|[\u4e00-\u9fff]{2,8}(?P<zwhat>研究院|研究所|大学|公司|集团|基金|资本))"
)
_CJK_START = re.compile(r"[\u4e00-\u9fff]")
# "X那个", "X的那条", "X's:" — the organisation's one (its record, not itself).
_ONE_AFTER = re.compile(
    r"\s*的?(?:那个|那条|那台|那家的?)|'s(?=\s*(?:[:,.?!]|$|\s+(?:one|hold|booking)\b))", re.I
)
# Booking words: the one meant is a facility.
_BOOKING = re.compile(
    r"预约|预留|hold|锁|确认|转正|正式|取消|撤|释放|不要了|放掉|有空|空档|档期|排得|排上|\bbook|confirm|cancel|release|"
    r"\bdrop\b|\bfree\b|available|reserve|\block\b|pencil",
    re.I,
)
# Looking for one of a kind ("is there any pilot line", "有没有能做…的平台", "找个…示范线") …
_INDEFINITE = re.compile(
    r"\b(?:any|some)\b|\bis\s+there\b|\bwhere\s+(?:can|could|do)\b|\bfind\s+(?:me\s+|us\s+)?(?:a|an|some)\b|"
    r"\b(?:need|want|looking\s+for)\s+(?:a|an)\b|\bwho(?:'s|\s+has)\s+got\b|"
    r"有没有(?!空|时间|位置|档期)|哪里有|哪儿有|有哪些|找个|找一个|找条|找家|推荐个|推荐一个|谁有|搜一下|的地方",
    re.I,
)
# … unless a record is pointed at ("the …", "那个", "my hold").
_DEFINITE = re.compile(r"\b(?:the|that|this|my|our)\b|那个|这个|那条|这条|那家|我的|我们的", re.I)
# Asking for something ("Need a …", "有没有…"): a need described, not a record named.
_ASKS = re.compile(r"^\s*(?:need|want)\b|\banything\b|需要|有没有|有哪些|有啥|有什么", re.I)


def _points_at(text: str, token: str) -> bool:
    """The words around `token` point at one record: "the PtSn PDH catalyst", "our DR8 module", "DR8那个",
    "LiF人工SEI的成果" — not "PtSn catalysts in general"."""
    low = text.lower()
    i = low.find(token)
    if i < 0:
        return False
    before = _CLAUSE_END.split(low[max(0, i - 40) : i])[-1]
    after = _CLAUSE_END.split(low[i : i + 40])[0]
    return bool(
        re.search(
            r"\b(?:the|that|this|our|my|its)\b[^.?!]*$|'s\s*$|’s\s*$|我们的|我们那|那个|这个|那款|那项",
            before,
        )
        or re.search(r"那个|这个|那条|这条|那项|那款|的成果|\bone\b", after)
    )


# Amounts with their unit are figures, not names ("50kW", "800t", "12M", "3yrs").
_UNIT = re.compile(
    r"\d+(?:\.\d+)?(?:k|m|mw|kw|kwh|mwh|gw|gwh|ah|wh|nm|mm|cm|km|kg|t|g|l|h|hrs?|yrs?|days?|x)", re.I
)


def _word_char(c: str) -> bool:
    """A letter or digit that continues an English word ("Tantai自己" ends the name at 自)."""
    return c.isascii() and c.isalnum()


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
                out.append(
                    Entry(
                        kind,
                        rec.id,
                        name,
                        getattr(rec, "owner_id", None),
                        getattr(rec, "region", None),
                        tuple(getattr(rec, "keywords", None) or ()),
                    )
                )
    return out


def kb_search(kb: object) -> Search:
    def search(query: str, kind: Kind, k: int = 3) -> list[Hit]:
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
        from knowledge.embeddings import encode
        from knowledge.kb import open_kb

        kb = open_kb(settings)
        # The same knowledge base the entries came from; the cached linker itself is never changed.
        linker = _linker(tuple(kb_entries(kb))).using(kb_search(kb), encode)
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
