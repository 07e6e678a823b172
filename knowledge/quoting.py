"""Record text shown in an answer of the other language is quoted, so it reads as the record's
own words: "Capabilities: “民营企业，成立于2011年……”" in English, "工艺：“slot-die coating”" in
Chinese. Used by the answers (agent/builtin/render.py) and by the tools that write sentences
around record text (term sheets)."""

from __future__ import annotations

import re
from typing import Any

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Words with a lower-case letter: acronyms and codes (CNAS, TRL, ZL) belong to no language.
_LATIN_WORD = re.compile(r"(?<![A-Za-z])(?=[A-Za-z]*[a-z])[A-Za-z]{2,}(?![A-Za-z])")


def text_lang(text: Any) -> str | None:
    """ "zh" or "en" by which script the text's words are in; None for no words (ids, figures)."""
    s = str(text or "")
    cjk, words = len(_CJK.findall(s)), len(_LATIN_WORD.findall(s))
    if not cjk and not words:
        return None
    return "zh" if cjk >= words else "en"


def quoted(text: str) -> str:
    """“text”, with any double quotes inside made single so the quotation ends where it should."""
    if text.startswith("“") and text.endswith("”") and "”" not in text[1:-1]:
        return text
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def as_quotation(text: Any, lang: str) -> str:
    """`text` as written when it is in `lang` (or has no words), else quoted."""
    s = " ".join(str(text or "").split())
    if not s or text_lang(s) in (None, lang):
        return s
    return quoted(s)
