"""What a user reads when something inside breaks: a short sentence in their language and a
reference id, never an exception's text. The id is also in the server log next to the traceback,
so support can find it. The "interrupted — resend?" marker a cut-short turn leaves in history is
here too.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from agent.state import ChatMessage


def error_reference() -> str:
    """A short id to quote to support (also logged with the traceback)."""
    return "ERR-" + secrets.token_hex(4).upper()


def internal_error(lang: str | None, ref: str) -> dict[str, Any]:
    """The data of an `error` event for an unexpected failure: code, message in the user's language, ref."""
    zh = f"抱歉，处理时出现内部错误，已完成的步骤已保存。请稍后重试；如需帮助，请提供参考编号 {ref}。"
    en = f"Sorry, something went wrong on our side; finished steps are saved. Please try again; if it persists, quote reference {ref}."
    return {
        "code": "internal",
        "message": zh if lang == "zh" else en,
        "message_zh": zh,
        "message_en": en,
        "ref": ref,
    }


INTERRUPTED_TEXT = {
    "zh": "（本轮回复被中断，未能完成。请重新发送您的消息？）",
    "en": "(This reply was interrupted before it finished. Resend your message?)",
}


def interrupted_message(lang: str) -> ChatMessage:
    """The assistant line that closes a turn a crash or disconnect cut short."""
    return {
        "role": "assistant",
        "text": INTERRUPTED_TEXT["zh" if lang == "zh" else "en"],
        "ts": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": "interrupted",
    }
