"""The stretches of a message that name a linked record, whose words are no filters (`slots.without_names`).

A record found by its name, brand or id names it in those words ("Guangdong Hydrogen Institute" is no region
filter). One found by the `search` reader only matched words of its description, and its span can run over a
whole clause ("320 L Type IV cylinder (tube trailers). Investors or SOEs in hydrogen"): the kinds, regions and
fields said there are still asked for (training pool, --link: org_kind +2, region +2, domain +1, nothing lost).
Nor does a link whose words are only a field's name: the `owner` reader takes "储能" in "澄湖理工大学的储能成果" or
"AI" in "沐阳工业大学有哪些AI方面的成果" for one of the owner's records, where the user filters the owner's
catalogue by field.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.builtin.slots import Slots, without_names
from agent.builtin.spans import Span
from agent.understanding.linking import Link
from knowledge.domains import field_names

_FIELD_WORDS = frozenset(field_names())


def _only_a_field(mention: str) -> bool:
    """ "储能", "AI", "grid storage": the mention is a field's name and nothing else."""
    return mention.strip().lower() in _FIELD_WORDS


def name_spans(links: Sequence[Link]) -> list[Span]:
    """Spans of the certain links that name their record in words (not ids, not description searches)."""
    return [
        lk.span
        for lk in links
        if lk.span and lk.certain and lk.how not in ("id", "search") and not _only_a_field(lk.mention)
    ]


def org_name_spans(links: Sequence[Link]) -> list[Span]:
    """The spans of `name_spans` that name an organisation: a region word tied to one says where it is
    ("湖北溯川生物医药研究院", "吉林的Jinglan研究院", "Zhongchi in Hunan"), not where to look (`slots.without_names`)."""
    return [lk.span for lk in links if lk.kind == "organisation" and lk.span and name_spans([lk])]


def record_spans(links: Sequence[Link]) -> list[Span]:
    """Spans where the message names an achievement or a facility in words, its description included ("the
    pipeline inspection glider — who owns it?", "the Chongling catalyst pilot plant: is it free?"): a pronoun
    after one is that record (`slots.without_names`). Organisations are left out: "draft a licence with Jinglan
    for it" still means the achievement in focus."""
    return [lk.span for lk in links if lk.span and lk.how != "id" and lk.kind in ("achievement", "facility")]


def without_links(slots: Slots, text: str, links: Sequence[Link]) -> Slots:
    """`slots` read with the linked records' names taken out (`slots.without_names`): the name spans, the
    organisations' among them and the records named in words, all from the same links."""
    return without_names(slots, text, name_spans(links), org_name_spans(links), records=record_spans(links))
