"""Topic-bank data types and the compact notation the banks are written in.

A topic is one concrete technology of a domain (e.g. "sulfide solid electrolyte"). Each bank entry
holds bilingual slot fillers; the generator combines them into distinct achievements. The compact
notation keeps ~140 topics readable: "english|中文" pairs, items separated by ";", metrics as
"text with {}|含{}的文本@lo~hi" where the number of decimals in `lo` sets the printed precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Pair:
    en: str
    zh: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Metric:
    en: str
    zh: str
    lo: float
    hi: float
    decimals: int

    def render(self, value: float, lang: Lang) -> str:
        # English prose groups thousands ("12,000 h"); Chinese technical prose does not.
        sep = "," if lang == "en" and abs(value) >= 10000 else ""
        number = f"{value:{sep}.{self.decimals}f}"
        return (self.zh if lang == "zh" else self.en).replace("{}", number)


@dataclass(frozen=True)
class Topic:
    """One technology of a domain; the unit of retrieval ground truth."""

    domain: str
    key: str
    name: Pair
    forms: tuple[Pair, ...]
    routes: tuple[Pair, ...]
    uses: tuple[Pair, ...]
    metrics: tuple[Metric, ...]
    scales: tuple[Pair, Pair, Pair]  # lab, pilot, demonstration — picked by TRL
    kw_en: tuple[str, ...]
    kw_zh: tuple[str, ...]
    query: Pair  # how a user would ask for this technology
    need: Pair  # a demand statement an industrial organisation would write
    trl: tuple[int, int]
    software: bool = False  # software results carry copyright registrations, not patents


def pair(text: str) -> Pair:
    en, sep, zh = text.partition("|")
    if not sep:
        raise ValueError(f"topic bank entry without '|' separator: {text!r}")
    return Pair(en.strip(), zh.strip())


def pairs(text: str) -> tuple[Pair, ...]:
    return tuple(pair(item) for item in text.split(";") if item.strip())


def metric(text: str) -> Metric:
    body, sep, bounds = text.rpartition("@")
    if not sep:
        raise ValueError(f"metric without '@lo~hi' range: {text!r}")
    p = pair(body)
    lo_s, _, hi_s = bounds.partition("~")
    decimals = len(lo_s.split(".")[1]) if "." in lo_s else 0
    if "{}" not in p.en or "{}" not in p.zh:
        raise ValueError(f"metric without '{{}}' placeholder in both languages: {text!r}")
    return Metric(p.en, p.zh, float(lo_s), float(hi_s), decimals)


def topic(
    domain: str,
    key: str,
    name: str,
    *,
    forms: str,
    routes: str,
    uses: str,
    metrics: str,
    scales: str,
    kw: str,
    q: str,
    need: str,
    trl: tuple[int, int],
    software: bool = False,
) -> Topic:
    scale_pairs = pairs(scales)
    if len(scale_pairs) != 3:
        raise ValueError(f"topic {key}: scales needs exactly lab; pilot; demo entries")
    kw_pair = pair(kw)
    return Topic(
        domain=domain,
        key=key,
        name=pair(name),
        forms=pairs(forms),
        routes=pairs(routes),
        uses=pairs(uses),
        metrics=tuple(metric(m) for m in metrics.split(";") if m.strip()),
        scales=(scale_pairs[0], scale_pairs[1], scale_pairs[2]),
        kw_en=tuple(k.strip() for k in kw_pair.en.split(",") if k.strip()),
        kw_zh=tuple(k.strip() for k in kw_pair.zh.split("，") if k.strip()),
        query=pair(q),
        need=pair(need),
        trl=trl,
        software=software,
    )
