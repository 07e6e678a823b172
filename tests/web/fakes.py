"""A scripted stand-in for `agent.runtime.Agent` (same methods), so API tests don't need the real agent.

Script of one thread:
- a text mentioning 中试 / pilot / hold -> plan, a READ step, then an approval for `hold_slot`
  (done.interrupted = true);
- `slow` in the text -> many token events with a delay (for disconnect and heartbeat tests);
- anything else -> plan, one READ step, a streamed answer, a message, done.
- approve -> the hold step, a term sheet written to outputs_dir, an answer with two artifacts;
  reject -> a short answer; edit -> the hold with the edited args.
`payload` is echoed into every user-visible field (titles, summaries, results, answer, citations)
for XSS tests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from agent.events import Decision, Event
from knowledge.config import Settings


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ScriptedAgent:
    def __init__(
        self,
        settings: Settings,
        *,
        payload: str = "",
        delay: float = 0.02,
        slow_tokens: int = 200,
        linger: float = 0.0,
    ) -> None:
        self.settings = settings
        self.payload = payload
        self.delay = delay
        self.slow_tokens = slow_tokens
        self.linger = linger  # seconds of cleanup after `done` (a runtime still closing its checkpoint)
        self._lock = threading.Lock()
        self._history: dict[str, list[dict[str, Any]]] = {}
        self._pending: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str | None, str | None]] = []  # (thread, text, decision action)
        self.tokens_produced = 0
        self.closed_early = 0  # generators closed before their `done`
        self.finished = 0
        self.active = 0  # generators running right now, and the most at once
        self.max_active = 0

    # -- the Agent API ---------------------------------------------------------------------------

    def stream(
        self,
        thread_id: str,
        text: str | None = None,
        *,
        decision: Decision | None = None,
        lang: str | None = None,
    ) -> Iterator[Event]:
        with self._lock:
            self.calls.append((thread_id, text, decision.action if decision else None))
        return self._run(thread_id, text, decision, lang or ("zh" if text and _has_cjk(text) else "en"))

    def pending_approval(self, thread_id: str) -> dict[str, Any] | None:
        with self._lock:
            p = self._pending.get(thread_id)
            return dict(p) if p else None

    def history(self, thread_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(m) for m in self._history.get(thread_id, [])]

    def threads(self) -> list[str]:
        with self._lock:
            return sorted(self._history)

    # -- script ----------------------------------------------------------------------------------

    def _say(self, thread_id: str, role: str, text: str) -> None:
        with self._lock:
            self._history.setdefault(thread_id, []).append({"role": role, "text": text, "ts": _now()})

    def _run(self, thread_id: str, text: str | None, decision: Decision | None, lang: str) -> Iterator[Event]:
        p = self.payload
        done_sent = False
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            if text is not None:
                self._say(thread_id, "user", text)
                yield Event(
                    event="plan",
                    data={
                        "steps": [
                            {
                                "id": "t1-s1",
                                "tool": "find_facilities",
                                "args": {"q": p},
                                "summary": f"查找中试平台 {p}",
                            }
                        ],
                        "note": p,
                    },
                )
                yield Event(
                    event="step",
                    data={
                        "step_id": "t1-s1",
                        "tool": "find_facilities",
                        "status": "started",
                        "summary": f"查找 {p}",
                    },
                )
                yield Event(
                    event="step",
                    data={
                        "step_id": "t1-s1",
                        "tool": "find_facilities",
                        "status": "done",
                        "summary": f"找到 2 个平台 {p}",
                        "result": {"facilities": [{"id": "FAC-0001", "name": f"华东中试基地 {p}"}]},
                    },
                )
                if "slow" in text:
                    for i in range(self.slow_tokens):
                        time.sleep(self.delay)
                        with self._lock:
                            self.tokens_produced += 1
                        yield Event(event="token", data={"text": f"{i} "})
                if any(w in text for w in ("中试", "pilot", "hold", "预留")):
                    args = {"facility_id": "FAC-0001", "start": "2026-12-01", "end": "2026-12-05"}
                    approval = {
                        "step_id": "t1-s2",
                        "action": "hold_slot",
                        "args": args,
                        "quote": {"days": 5, "total": 50000, "currency": "CNY"},
                        "summary": f"预留 FAC-0001 2026-12-01 至 2026-12-05 {p}",
                    }
                    with self._lock:
                        self._pending[thread_id] = approval
                    yield Event(event="approval", data=approval)
                    done_sent = True
                    yield Event(event="done", data={"thread_id": thread_id, "interrupted": True})
                    return
                answer = f"找到以下平台：**华东中试基地** {p}\n- 第一项 `FAC-0001`\n- 第二项 [链接](javascript:window.__xss=1)"
                yield from self._answer(thread_id, answer, lang, artifacts=[])
                done_sent = True
                yield Event(event="done", data={"thread_id": thread_id, "interrupted": False})
                return

            assert decision is not None
            with self._lock:
                pending = self._pending.pop(thread_id, None)
            assert pending is not None, "resume without a pending approval"
            if decision.action == "reject":
                yield from self._answer(
                    thread_id, "已取消预留。" if lang == "zh" else "Hold cancelled.", lang, []
                )
            else:
                args = decision.args if decision.action == "edit" and decision.args else pending["args"]
                yield Event(
                    event="step",
                    data={"step_id": "t1-s2", "tool": "hold_slot", "status": "started", "summary": "预留中"},
                )
                yield Event(
                    event="step",
                    data={
                        "step_id": "t1-s2",
                        "tool": "hold_slot",
                        "status": "done",
                        "summary": f"已预留 {args['start']} 至 {args['end']}",
                        "result": {"reference": "HOLD-1", **args},
                    },
                )
                out = self.settings.outputs_dir
                out.mkdir(parents=True, exist_ok=True)
                md = out / f"{thread_id}-term-sheet.md"
                md.write_text(f"# 条款清单 {p}\n\n发明人团队 ≥ 50%\n", encoding="utf-8")
                docx = out / f"{thread_id}-term-sheet.docx"
                docx.write_bytes(b"PK\x03\x04fake-docx")
                answer = (
                    f"已预留 **FAC-0001**（{args['start']} 至 {args['end']}），参考号 `HOLD-1`。{p}\n文件：{md}"
                    "\n依据 [第四十五条（示例）](https://example.org/law_(2015)#art45)。"
                )
                arts = [
                    {"kind": "term_sheet_md", "name": f"条款清单{p}.md", "path": str(md)},
                    {"kind": "term_sheet_docx", "name": "term-sheet.docx", "path": str(docx)},
                ]
                yield from self._answer(thread_id, answer, lang, arts)
            done_sent = True
            yield Event(event="done", data={"thread_id": thread_id, "interrupted": False})
        finally:
            if done_sent and self.linger:
                time.sleep(self.linger)
            with self._lock:
                self.active -= 1
                if done_sent:
                    self.finished += 1
                else:
                    self.closed_early += 1

    def _answer(
        self, thread_id: str, answer: str, lang: str, artifacts: list[dict[str, Any]]
    ) -> Iterator[Event]:
        for i in range(0, len(answer), 8):
            yield Event(event="token", data={"text": answer[i : i + 8]})
        self._say(thread_id, "assistant", answer)
        yield Event(
            event="message",
            data={
                "text": answer,
                "lang": lang,
                "citations": [
                    {
                        "id": "POL-LAW-2015",
                        "title": f"促进科技成果转化法 {self.payload}",
                        "ref": "第四十五条",
                        "url": "javascript:window.__xss=1",
                    },
                    {
                        "id": "POL-EIT",
                        "title": "企业所得税法实施条例",
                        "ref": "第九十条",
                        "url": "https://www.gov.cn/zhengce/",
                    },
                ],
                "artifacts": artifacts,
            },
        )


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
