"""The language of the user's own words: what a turn is answered in.

A message names records in their own language ("Tell me about 凌峰智能制造研究院 — what facilities do
they run?", "谁会许可 Solid-State Electrolyte Film？") and quotes text ("the one titled “…”"). Those
words are the record's, not the user's: the reply language is decided from what is left once
record names, ids, booking references, quoted spans and URLs are taken out. A message with no
words of its own ("ACH-0010", "7", just a name) keeps the conversation's language, or, at the start
of one, is read as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.builtin.spans import Span
from knowledge.lang import Lang, text_lang

# Quoted spans: curly and straight double quotes, corner brackets, book-title marks and single
# curly quotes that open and close (not an apostrophe: "what’s").
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|「[^」]*」|『[^』]*』|《[^》]*》|‘[^’]*’")
# Ids glued to Chinese ("查ACH-0001的合作方") are ids too: no \b between 查 and A.
_NOT_WORDS = re.compile(r"https?://\S+|(?<![A-Za-z0-9])(?:ACH|ORG|FAC|BK)-[A-Za-z0-9_-]+", re.I)
_WORDY = re.compile(r"[A-Za-z]{2,}|[\u4e00-\u9fff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]{2,}")
_FULL_WIDTH = re.compile(r"[\u3000-\u303f\uff01-\uff1f]")


def own_words(text: str, named: Iterable[Span] = ()) -> str:
    """`text` with the `named` spans (record names a linker found), quotes, ids and URLs blanked."""
    chars = list(text)
    for a, b in named:
        for i in range(max(a, 0), min(b, len(chars))):
            chars[i] = " "
    rest = "".join(chars)
    rest = _NOT_WORDS.sub(" ", _QUOTED.sub(" ", rest))
    return " ".join(rest.split())


def names_matter(text: str) -> bool:
    """Whether record names could change the language of `text`: only when its own words mix
    Chinese and English (so a greeting or a one-language message needs no knowledge base)."""
    own = own_words(text)
    return bool(_CJK.search(own)) and bool(_LATIN.search(own))


def message_lang(text: str, previous: str | None = None, named: Iterable[Span] = ()) -> Lang:
    """The reply language of a user message: that of its own words (see the module docstring)."""
    own = own_words(text, named)
    if _WORDY.search(own):
        return text_lang(own)
    if previous in ("zh", "en"):
        return "zh" if previous == "zh" else "en"
    if _FULL_WIDTH.search(own):  # "？？": typed on a Chinese keyboard
        return "zh"
    return text_lang(text)
