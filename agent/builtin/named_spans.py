"""The stretches of a message that name a linked record, whose words are no filters (`slots.without_names`).

A record found by its name, brand or id names it in those words ("Guangdong Hydrogen Institute" is no region
filter). One found by the `search` reader only matched words of its description, and its span can run over a
whole clause ("320 L Type IV cylinder (tube trailers). Investors or SOEs in hydrogen"): the kinds, regions and
fields said there are still asked for (training pool, --link: org_kind +2, region +2, domain +1, nothing lost).
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.builtin.spans import Span
from agent.understanding.linking import Link


def name_spans(links: Sequence[Link]) -> list[Span]:
    """Spans of the certain links that name their record in words (not ids, not description searches)."""
    return [lk.span for lk in links if lk.span and lk.certain and lk.how not in ("id", "search")]
