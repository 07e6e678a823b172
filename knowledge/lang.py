"""Which language a text is written in: the one detector used by records, user messages, answers
and the evaluation checks (a leaf module: it imports nothing of the project)."""

from __future__ import annotations

import re
from typing import Any, Literal, overload

Lang = Literal["zh", "en"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[A-Za-z]{2,}")
# Words with a lower-case letter: acronyms and codes (CNAS, TRL, ZL) are no words then.
_LOWER_WORD = re.compile(r"(?<![A-Za-z])(?=[A-Za-z]*[a-z])[A-Za-z]{2,}(?![A-Za-z])")

# Records and user messages: a Chinese summary keeps English terms ("PEM", "slot-die coating"), so
# Chinese is a share of the characters rather than a majority of the words.
RECORD_SHARE = 0.1


@overload
def text_lang(text: Any, *, default: Lang = ..., acronyms: bool = ..., share: float | None = ...) -> Lang: ...
@overload
def text_lang(
    text: Any, *, default: None, acronyms: bool = ..., share: float | None = ...
) -> Lang | None: ...
def text_lang(
    text: Any, *, default: Lang | None = "en", acronyms: bool = True, share: float | None = RECORD_SHARE
) -> Lang | None:
    """ "zh" or "en" by the script of the text's words; `default` when it has none (ids, figures).

    `acronyms`: whether all-capital words (CNAS, TRL) count as English words. `share`: "zh" when
    Chinese characters are more than this share of all characters (and at least two), or when the
    text has Chinese and no Latin letter at all ("好", "是的"); None: "zh" when Chinese characters
    are at least as many as English words.
    """
    s = str(text or "")
    cjk = len(_CJK.findall(s))
    words = len((_WORD if acronyms else _LOWER_WORD).findall(s))
    if not cjk and not words:
        return default
    if share is None:
        return "zh" if cjk >= words else "en"
    if not _LETTER.search(s):
        return "zh"
    return "zh" if cjk >= 2 and cjk / len(s) > share else "en"
