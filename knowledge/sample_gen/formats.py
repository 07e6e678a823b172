"""Formatting helpers: Chinese patent and software-copyright numbers, money in both languages."""

from __future__ import annotations

import random

_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def patent_check_digit(digits12: str) -> str:
    """CNIPA check digit of a 12-digit application number (weighted sum mod 11; 10 prints as X)."""
    if len(digits12) != 12 or not digits12.isdigit():
        raise ValueError(f"expected 12 digits, got {digits12!r}")
    value = sum(int(d) * w for d, w in zip(digits12, _WEIGHTS, strict=True)) % 11
    return "X" if value == 10 else str(value)


def patent_number(year: int, kind: int, serial: int, *, granted: bool) -> str:
    """ "CN202310456789.1" (application) or "ZL 2021 1 0234567.8" (granted patent).

    kind 1 = invention, 2 = utility model; the serial is the 7-digit running number.
    """
    digits = f"{year:04d}{kind}{serial:07d}"
    check = patent_check_digit(digits)
    if granted:
        return f"ZL {year:04d} {kind} {serial:07d}.{check}"
    return f"CN{digits}.{check}"


def software_copyright(year: int, serial: int) -> str:
    """Software copyright registration number, e.g. "2023SR0123456"."""
    return f"{year:04d}SR{serial:07d}"


def random_ip(rng: random.Random, trl: int, *, software: bool) -> list[str]:
    """One to three IP references; mature results hold older, granted rights."""
    count = rng.choice((1, 1, 2, 2, 3))
    newest = 2025 if trl <= 5 else 2023
    oldest = 2019 if trl <= 5 else 2015
    refs: list[str] = []
    for i in range(count):
        year = rng.randint(oldest, newest)
        if software and (i > 0 or rng.random() < 0.8):
            refs.append(software_copyright(year, rng.randint(100000, 2999999)))
            continue
        kind = 1 if rng.random() < 0.85 else 2
        # Invention patents take ~2-3 years to grant; utility models are granted quickly.
        granted = year <= (2022 if kind == 1 else 2025) and rng.random() < 0.75
        serial = rng.randint(10000, 1999999) if kind == 1 else rng.randint(200000, 3999999)
        refs.append(patent_number(year, kind, serial, granted=granted))
    return sorted(set(refs), key=refs.index)


def money_en(amount: float) -> str:
    """RMB amount in English prose: "RMB 2 million", "RMB 300,000"."""
    if amount >= 1_000_000:
        return f"RMB {amount / 1_000_000:g} million"
    return f"RMB {amount:,.0f}"


def money_zh(amount: float) -> str:
    """RMB amount in Chinese prose: "200万元", "1.5亿元"."""
    if amount >= 100_000_000:
        return f"{amount / 100_000_000:g}亿元"
    return f"{amount / 10_000:g}万元"


def nice_round(value: float, lo: float, hi: float, decimals: int) -> float:
    """Round to the stated decimals; large integer ranges round to two significant steps."""
    if decimals > 0:
        return round(value, decimals)
    span = max(abs(lo), abs(hi))
    step = 1
    if span >= 1000:
        step = 10 ** (len(str(int(span))) - 2)
    return float(round(value / step) * step)
