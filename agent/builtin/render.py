"""Shared pieces of the builtin answer: the answer being written (`Out`, with its citations) and
the formatting every job's section uses (money, scores, windows, timestamps)."""

from __future__ import annotations

import re
from typing import Any

from agent.builtin.texts import STRENGTH_LABELS, kind_label, strength_label
from agent.events import Artifact, Citation
from knowledge.lang import text_lang
from knowledge.quoting import as_quotation
from tools.common import money as tool_money

_COMPONENT_LABELS = {
    "semantic": ("fit", "语义匹配"),
    "domain": ("domain", "领域"),
    "trl": ("TRL", "成熟度"),
    "investment": ("investment", "投资"),
    "region": ("region", "地区"),
}


def _l(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def money(amount: Any, lang: str) -> str:
    """RMB for people, as the tools write it ("RMB 1.05M" / "105万元"); "—" when not a number."""
    try:
        v = float(amount)
    except (TypeError, ValueError):
        return "—"
    return tool_money(v, lang)


def _score(m: dict[str, Any], lang: str) -> str:
    """ "strong match, score 0.62" / "强匹配，得分 0.62"; the bare score when the tool gave no label."""
    strength = str(m.get("strength"))
    if strength not in STRENGTH_LABELS:
        return _l(lang, f"score {_f(m.get('total'))}", f"得分 {_f(m.get('total'))}")
    label = strength_label(strength, lang)
    return _l(lang, f"{label}, score {_f(m.get('total'))}", f"{label}，得分 {_f(m.get('total'))}")


def _kind(kind: Any, lang: str) -> str:
    return kind_label(str(kind), lang)


def _clip(text: Any, n: int = 160) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


# Punctuation that would read as the sentence's rather than the name's.
_NAME_BREAKS = re.compile(r"[—(（)）:：,，;；\n]")


def record_text(text: Any, lang: str, n: int | None = None) -> str:
    """Record text (a summary, capabilities, a process) for an answer in `lang`: as written when it
    is in that language, else as a quotation “…” so it reads as the record's own words."""
    return as_quotation(_clip(text, n) if n else text, lang)


def record_name(name: Any, lang: str) -> str:
    """A record's name or title after its citation: as written, unless it is in the other language
    and has punctuation of its own ("华曜化工新材料（宁夏）有限公司", "Lanshi Hydrogen Co., Ltd."),
    which is quoted so the sentence's punctuation is not read as the name's."""
    s = " ".join(str(name or "").split())
    if (
        s
        and text_lang(s, default=None, acronyms=False, share=None) not in (None, lang)
        and _NAME_BREAKS.search(s)
    ):
        return record_text(s, lang)
    return s


def _f(x: Any, digits: int = 2) -> str:
    try:
        return f"{float(x):.{digits}f}"
    except (TypeError, ValueError):
        return "—"


class Out:
    """The answer being written, with the citations of what it shows."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lines: list[str] = []
        self.citations: list[Citation] = []
        self.artifacts: list[Artifact] = []
        self._seen: set[tuple[str, str | None]] = set()

    def cite(self, cid: Any, title: Any = "", ref: Any = None, url: Any = None) -> str:
        """Record a citation and return its inline form: [ACH-0001] or [doc id, section ref]."""
        cid = str(cid or "")
        if not cid:
            return ""
        r = str(ref) if ref else None
        if (cid, r) not in self._seen:
            self._seen.add((cid, r))
            self.citations.append(
                Citation(id=cid, title=str(title or ""), ref=r, url=str(url) if url else None)
            )
        return f"[{cid}, {r}]" if r else f"[{cid}]"

    def named(self, cid: Any, name: Any) -> str:
        """ "[ID] name": a record's citation and its name as the answer shows it (`record_name`)."""
        shown = record_name(name, self.lang)
        return f"{self.cite(cid, name)} {shown}".strip()

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def text(self) -> str:
        return "\n".join(self.lines).strip()


def _components(comp: Any, lang: str) -> str:
    if not isinstance(comp, dict):
        return ""
    parts = []
    for k, (en, zh) in _COMPONENT_LABELS.items():
        if k in comp and comp[k] is not None:
            parts.append(f"{_l(lang, en, zh)} {_f(comp[k])}")
    return ", ".join(parts) if lang == "en" else "，".join(parts)


def _excluded(o: Out, items: list[Any]) -> None:
    lang = o.lang
    if not items:
        return
    o.add(
        _l(
            lang,
            "Ruled out (strong on fit but excluded by a hard rule):",
            "已排除（匹配度高但不满足硬性条件）：",
        )
    )
    for e in items[:5]:
        if not isinstance(e, dict):
            continue
        o.add(
            _l(
                lang,
                f"- {o.named(e.get('id'), e.get('name'))}: {e.get('reason', '')} (would have scored {_f(e.get('potential'))})",
                f"- {o.named(e.get('id'), e.get('name'))}：{e.get('reason', '')}（否则得分 {_f(e.get('potential'))}）",
            )
        )


def _reasons_and_evidence(o: Out, m: dict[str, Any]) -> None:
    """The scorer's reasons, then the evidence sentence once (reasons often quote it in full)."""
    lang = o.lang
    evidence = str(m.get("evidence") or "")
    reasons = []
    for x in m.get("reasons") or []:
        r = str(x)
        if m.get("strength") and r.startswith(("Weak match overall", "整体匹配较弱")):
            continue  # the match line already says "weak match"
        if evidence:
            r = re.sub(r"[:：]?\s*[“\"]" + re.escape(evidence) + r"[”\"]", "", r).strip()
        if r:
            reasons.append(r)
    if reasons:
        o.add(_l(lang, "   Why: ", "   理由：") + ("; " if lang == "en" else "；").join(reasons))
    if evidence:
        o.add(_l(lang, f"   Evidence: “{_clip(evidence)}”", f"   依据：“{_clip(evidence)}”"))


def _when(ts: Any) -> str:
    """An ISO timestamp as "2026-11-29 12:00 UTC"."""
    s = str(ts or "")
    m = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]00:?00)?$", s)
    if not m:
        return s
    return f"{m[1]} {m[2]}" + (" UTC" if m[3] else "")


def _window(w: dict[str, Any], rate: Any, lang: str) -> str:
    days = w.get("days")
    quote = w.get("quote_cny")
    end_incl = w.get("end")
    q = _l(
        lang,
        f"quote {days} days × {money(rate, lang)} = {money(quote, lang)}",
        f"报价 {days} 天 × {money(rate, lang)} = {money(quote, lang)}",
    )
    return _l(
        lang,
        f"{w.get('start')} to {end_incl} (end exclusive; {q})",
        f"{w.get('start')} 至 {end_incl}（不含结束日；{q}）",
    )
