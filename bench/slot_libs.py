"""Kept libraries against our extractors, on the corpus labels (exact match, messages with the label only).

    python -m bench.slot_libs            # training pool

- dates: ours (`dates.py`) vs jionlp's time extractor (`jio.ner.extract_time`, Chinese) and dateparser
  (`search_dates`, prefer future; a window from its first and last date). Inclusive windows.
- money: ours (`extract_money`) vs jionlp's money extractor, and ours after cn2an turned Chinese numerals
  into digits ("三百万" -> "300万").
Each is also timed on import (the ≤ 3 s cold start of `chengguo ask`).
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from agent.builtin.slots import extract_money, extract_slots
from bench.linking import load
from bench.slots import TODAY, _dates

Window = tuple[date, date | None] | None


def _timed_import(name: str) -> tuple[Any, float]:
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mod = __import__(name)
    return mod, time.perf_counter() - t0


def main() -> None:
    items = load("train")
    jio, t_jio = _timed_import("jionlp")
    _, t_dp = _timed_import("dateparser")
    cn2an, t_cn = _timed_import("cn2an")
    from dateparser.search import search_dates

    base = datetime(TODAY.year, TODAY.month, TODAY.day)

    def ours_dates(text: str) -> Window:
        w = _dates(extract_slots(text, TODAY))
        return None if w is None else (w[0], w[1])

    def jio_dates(text: str) -> Window:
        try:
            found = jio.ner.extract_time(text, time_base=base.timestamp(), with_parsing=True)
        except Exception:
            return None
        for f in found:
            span = (f.get("detail") or {}).get("time")
            if isinstance(span, list) and len(span) == 2:
                try:
                    a = datetime.fromisoformat(span[0]).date()
                    b = datetime.fromisoformat(span[1]).date()
                except ValueError:  # open-ended ("inf")
                    continue
                if b < TODAY:
                    continue  # prefer the future, as the corpus does
                return (a, b)
        return None

    def dp_dates(text: str) -> Window:
        try:
            found = search_dates(
                text, settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"}, languages=["en", "zh"]
            )
        except Exception:
            return None
        if not found:
            return None
        ds = [d.date() for _, d in found]
        return (ds[0], ds[-1]) if len(ds) > 1 else (ds[0], ds[0])

    def ours_money(text: str) -> list[float] | None:
        return sorted(float(m.cny) for m in extract_money(text)) or None

    def jio_money(text: str) -> list[float] | None:
        try:
            found = jio.ner.extract_money(text, with_parsing=True)
        except Exception:
            return None
        out = []
        for f in found:
            num = (f.get("detail") or {}).get("num")
            try:
                out.append(float(str(num)))
            except (TypeError, ValueError):
                continue
        return sorted(out) or None

    def cn2an_money(text: str) -> list[float] | None:
        with contextlib.suppress(Exception):  # it raises on some mixed text; then ours reads it as is
            text = cn2an.transform(text, "cn2an")
        return ours_money(text)

    date_items = [it for it in items if it.slots.dates]
    money_items = [it for it in items if it.slots.money]
    rows: list[tuple[str, str, int, float, float]] = []

    def run(
        slot: str, name: str, fn: Callable[[str], Any], gold: Callable[[Any], Any], its: list[Any], t: float
    ) -> None:
        ok = Counter[str]()
        t0 = time.perf_counter()
        for it in its:
            ok["ok"] += fn(it.text) == gold(it)
        per = (time.perf_counter() - t0) / max(len(its), 1) * 1000
        rows.append((slot, name, len(its), ok["ok"] / max(len(its), 1), per + 0 * t))

    g_dates = lambda it: (it.slots.dates.start, it.slots.dates.end)  # noqa: E731
    g_money = lambda it: sorted(m.value for m in it.slots.money)  # noqa: E731
    run("dates", "ours", ours_dates, g_dates, date_items, 0)
    run("dates", f"jionlp (import {t_jio:.2f} s)", jio_dates, g_dates, date_items, t_jio)
    run("dates", f"dateparser (import {t_dp:.2f} s)", dp_dates, g_dates, date_items, t_dp)
    # Each library on its own language: jionlp reads Chinese, dateparser mostly English.
    zh = [it for it in date_items if it.lang == "zh"]
    en = [it for it in date_items if it.lang == "en"]
    run("dates zh", "ours", ours_dates, g_dates, zh, 0)
    run("dates zh", "jionlp", jio_dates, g_dates, zh, t_jio)
    run("dates en", "ours", ours_dates, g_dates, en, 0)
    run("dates en", "dateparser", dp_dates, g_dates, en, t_dp)
    run("money", "ours", ours_money, g_money, money_items, 0)
    run("money", "jionlp", jio_money, g_money, money_items, t_jio)
    run("money", f"cn2an + ours (import {t_cn:.2f} s)", cn2an_money, g_money, money_items, t_cn)
    table = Table(title="kept libraries vs ours (training pool, exact match where labelled)")
    for col in ("slot", "extractor", "n", "exact", "ms / message"):
        table.add_column(col)
    for slot, name, n, acc, ms in rows:
        table.add_row(slot, name, str(n), f"{acc:.1%}", f"{ms:.1f}")
    Console().print(table)


if __name__ == "__main__":
    main()
