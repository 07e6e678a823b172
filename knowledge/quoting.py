"""Record text shown in an answer of the other language is quoted, so it reads as the record's
own words: "Capabilities: “民营企业，成立于2011年……”" in English, "工艺：“slot-die coating”" in
Chinese. Used by the answers (agent/builtin/render.py) and by the tools that write sentences
around record text (term sheets)."""

from __future__ import annotations

from typing import Any

from knowledge.lang import text_lang


def quoted(text: str) -> str:
    """“text”, with any double quotes inside made single so the quotation ends where it should."""
    if text.startswith("“") and text.endswith("”") and "”" not in text[1:-1]:
        return text
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def as_quotation(text: Any, lang: str) -> str:
    """`text` as written when it is in `lang` (or has no words), else quoted."""
    s = " ".join(str(text or "").split())
    # Acronyms and codes (CNAS, ZL) belong to no language; text with no words is never quoted.
    if not s or text_lang(s, default=None, acronyms=False, share=None) in (None, lang):
        return s
    return quoted(s)
