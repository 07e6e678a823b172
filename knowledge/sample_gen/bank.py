"""All topic banks, checked for unique keys and full domain coverage."""

from __future__ import annotations

from knowledge.domains import DOMAINS
from knowledge.sample_gen import topics_energy, topics_industry, topics_tech, topics_transport
from knowledge.sample_gen.spec import Topic


def all_topics() -> list[Topic]:
    topics = [*topics_energy.TOPICS, *topics_tech.TOPICS, *topics_transport.TOPICS, *topics_industry.TOPICS]
    keys = [t.key for t in topics]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"duplicate topic keys: {dupes}")
    for t in topics:
        if t.domain not in DOMAINS:
            raise ValueError(f"topic {t.key}: unknown domain {t.domain!r}")
        if len(t.metrics) < 2 or not t.forms or not t.routes or not t.uses:
            raise ValueError(f"topic {t.key}: needs >= 2 metrics and at least one form, route and use")
    missing = [d for d in DOMAINS if not any(t.domain == d for t in topics)]
    if missing:
        raise ValueError(f"domains without topics: {missing}")
    return topics
