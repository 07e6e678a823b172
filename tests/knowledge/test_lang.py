"""knowledge.lang.text_lang: the one language detector, in each of its uses."""

from __future__ import annotations

import pytest

from knowledge.lang import text_lang

CASES = [
    # text, records/messages (default), answers (share=None), quoting (no acronyms, None for no words)
    ("", "en", "en", None),
    ("12345", "en", "en", None),
    ("ACH-0001", "en", "en", None),
    ("好", "zh", "zh", "zh"),
    ("是的", "zh", "zh", "zh"),
    ("钙钛矿电池的中试线在哪里？", "zh", "zh", "zh"),
    ("Where is the perovskite pilot line?", "en", "en", "en"),
    ("CNAS, CMA", "en", "en", None),
    ("CNAS 认证", "zh", "zh", "zh"),
    ("我们需要 slot-die coating 设备", "zh", "zh", "zh"),
    ("The 钙钛矿 pilot line in Suzhou", "zh", "en", "en"),  # a share for records, a majority for answers
    ("a 好", "en", "zh", "zh"),
    ("PEM electrolyser stack for 氢能", "en", "en", "en"),
]


@pytest.mark.parametrize(("text", "record", "answer", "quote"), CASES)
def test_text_lang(text: str, record: str, answer: str, quote: str | None) -> None:
    assert text_lang(text) == record
    assert text_lang(text, share=None) == answer
    assert text_lang(text, default=None, acronyms=False, share=None) == quote


def test_text_lang_takes_any_value() -> None:
    assert text_lang(None) == "en" and text_lang(None, default=None) is None
    assert text_lang(2024, default=None) is None
