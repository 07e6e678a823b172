"""Number words in Chinese and English ("三", "二十一", "三点五", "two", "a") as plain values."""

from __future__ import annotations

import re

_CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_CN_BIG: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

# Regex fragment for a Chinese numeral (no big units: callers handle 万/亿 as money scales).
CN_NUM = "[零〇一二两俩三四五六七八九十百千]+"
# Arabic number with optional thousands separators and decimals.
AR_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"

EN_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "twenty": 20,
    "thirty": 30,
}
EN_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(EN_WORDS, key=len, reverse=True)) + ")"

EN_ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
    "7th": 7,
    "8th": 8,
    "9th": 9,
    "10th": 10,
}


def cn_int(text: str) -> int | None:
    """Integer value of a Chinese numeral such as "三", "十二", "二十一", "一百零五", "两千"; None if not one."""
    if not text:
        return None
    total = 0
    section = 0
    current: int | None = None
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            # A bare "十" means ten ("十二" = 12), so a missing digit counts as one.
            section += (1 if current is None else current) * _CN_UNITS[ch]
            current = None
        elif ch in _CN_BIG:
            section += current or 0
            total += (section or 1) * _CN_BIG[ch]
            section = 0
            current = None
        else:
            return None
    return total + section + (current or 0)


def parse_number(text: str) -> float | None:
    """Value of an Arabic ("3,000,000", "1.2"), Chinese ("三点五", "二十") or English word ("two") number."""
    t = text.strip().lower()
    if not t:
        return None
    if re.fullmatch(AR_NUM, t):
        return float(t.replace(",", ""))
    if t in EN_WORDS:
        return float(EN_WORDS[t])
    if "点" in t:
        whole, _, frac = t.partition("点")
        w = cn_int(whole) if whole else 0
        digits = [_CN_DIGITS.get(c) for c in frac]
        if w is None or not digits or any(d is None for d in digits):
            return None
        return float(f"{w}.{''.join(str(d) for d in digits)}")
    v = cn_int(t)
    return float(v) if v is not None else None


def parse_int(text: str) -> int | None:
    """Integer value of `text` (any form `parse_number` accepts) when it is whole, else None."""
    v = parse_number(text)
    if v is None or v != int(v):
        return None
    return int(v)
