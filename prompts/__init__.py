"""LLM prompts as Markdown files, one per (name, language): `<name>.<lang>.md`.

`load_prompt("planner", "zh")` reads `prompts/planner.zh.md`; `render_prompt` fills `{placeholders}`
by plain replacement (so JSON braces in a prompt need no escaping).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent
LANGS = ("zh", "en")


@lru_cache(maxsize=64)
def load_prompt(name: str, lang: str = "en") -> str:
    """The text of `prompts/<name>.<lang>.md`; English when that language is missing."""
    lang = lang if lang in LANGS else "en"
    path = PROMPTS_DIR / f"{name}.{lang}.md"
    if not path.exists():
        path = PROMPTS_DIR / f"{name}.en.md"
    if not path.exists():
        known = sorted({p.name.split(".")[0] for p in PROMPTS_DIR.glob("*.md")})
        raise FileNotFoundError(f"no prompt named {name!r} in {PROMPTS_DIR} (known: {', '.join(known)})")
    return path.read_text(encoding="utf-8").strip()


def render_prompt(name: str, lang: str = "en", **values: object) -> str:
    """`load_prompt` with each `{key}` replaced by `str(value)`."""
    text = load_prompt(name, lang)
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text
