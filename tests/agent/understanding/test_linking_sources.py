"""The cached linker of a record set is shared by every knowledge base holding those records: a
turn's search (and encoder) go to a copy, never onto the cached linker."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from agent.understanding import linking
from agent.understanding.linking import Hit, Kind, Linker, kb_links
from tests.agent.understanding.test_linking import ENTRIES

TEXT = "stack test bench Lanshi"  # no name in full: the search is asked


@dataclass
class FakeKB:
    """The records of ENTRIES; its search answers `top` and notes every query."""

    top: str
    queries: list[str]

    def records(self, kind: str) -> list[Any]:
        return [SimpleNamespace(id=e.id, name=e.name) for e in ENTRIES if e.kind == kind]

    def search(self, query: str, kind: Kind, k: int = 3) -> list[Any]:
        self.queries.append(query)
        return [SimpleNamespace(id=self.top, title="", dense_score=0.9, bm25_score=1.0)]


def _search(top: str, queries: list[str]) -> Any:
    def search(query: str, kind: Kind, k: int = 3) -> list[Hit]:
        queries.append(query)
        return [Hit(top, "", 0.9, 1.0)]

    return search


def test_using_leaves_the_linker_as_it_was() -> None:
    base = Linker(ENTRIES)
    a_queries: list[str] = []
    b_queries: list[str] = []
    a = base.using(_search("FAC-0001", a_queries), None)
    b = base.using(_search("FAC-0002", b_queries), None)
    assert base.search is None and base.encode is None
    a.link(TEXT)
    assert a_queries and not b_queries
    b.link(TEXT)
    assert b_queries
    assert base.search is None and base.encode is None
    assert a.aliases is base.aliases  # the tables are shared, not rebuilt


def test_kb_links_calls_do_not_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    import knowledge.embeddings
    import knowledge.kb

    kbs = {"a": FakeKB("FAC-0001", []), "b": FakeKB("FAC-0002", [])}
    monkeypatch.setattr(knowledge.kb, "open_kb", lambda settings: kbs[settings])
    monkeypatch.setattr(knowledge.embeddings, "encode", lambda texts: [[1.0, 0.0] for _ in texts])
    linking._linker.cache_clear()
    try:
        kb_links("a")(TEXT)  # type: ignore[arg-type]
        assert kbs["a"].queries and not kbs["b"].queries
        kb_links("b")(TEXT)  # type: ignore[arg-type]
        assert kbs["b"].queries
        assert linking._linker.cache_info().currsize == 1  # one cached linker for both
        cached = linking._linker(tuple(linking.kb_entries(kbs["a"])))
        assert cached.search is None and cached.encode is None
    finally:
        linking._linker.cache_clear()
