"""`chengguo chat` (interactive, rich) and `chengguo ask` (one shot, for scripts).

Both drive `agent.runtime.Agent` only. Heavy imports (langgraph, the knowledge base) happen
inside the commands so `chengguo --help` stays instant.
"""

from __future__ import annotations

import contextlib
import json
import sys
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.status import Status

    from agent.events import Decision, Event
    from agent.runtime import Agent

agent_app = typer.Typer(add_completion=False, no_args_is_help=True)

_LANGS = ("zh", "en")


def _new_thread_id() -> str:
    return uuid.uuid4().hex[:12]


def _check_lang(lang: str | None) -> str | None:
    if lang is not None and lang not in _LANGS:
        raise typer.BadParameter(f"--lang must be zh or en, not {lang!r}")
    return lang


def _make_agent(model: str | None) -> Agent:
    """The agent, after checking the planner can be built (a clear exit 2 instead of per-turn errors)."""
    from agent.planners import make_planner
    from agent.runtime import Agent
    from knowledge.config import get_settings

    settings = get_settings()
    try:
        make_planner(model or settings.model, settings)
    except Exception as exc:
        typer.echo(f"chengguo: cannot use model {model or settings.model!r}: {exc}", err=True)
        raise typer.Exit(2) from exc
    return Agent(settings, model=model)


# --------------------------------------------------------------------------------------- ask


@agent_app.command("ask")
def ask(
    text: str = typer.Argument(None, help="The question or request. 问题或请求。", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object: thread_id, events, message."),
    approve: bool = typer.Option(
        False, "--approve", help="Approve approval requests automatically. 自动批准。"
    ),
    reject: bool = typer.Option(False, "--reject", help="Reject approval requests automatically. 自动拒绝。"),
    thread: str = typer.Option(None, "--thread", "-t", help="Thread id to continue or resume. 会话编号。"),
    model: str = typer.Option(None, "--model", "-m", help='"builtin" or e.g. "openai:gpt-4.1-mini".'),
    lang: str = typer.Option(None, "--lang", "-l", help="Reply language zh|en (default: the question's)."),
) -> None:
    """Ask once and print the answer (for scripts). 单次提问并输出回答（供脚本使用）。

    Without --approve/--reject the run stops at an approval request and prints how to resume:
    `chengguo ask --thread ID --approve`. Exit code 1 when an error event occurred.
    """
    from agent.events import Decision

    _check_lang(lang)
    if approve and reject:
        raise typer.BadParameter("use either --approve or --reject, not both")
    if text is None and not (approve or reject):
        raise typer.BadParameter("give TEXT, or --thread ID with --approve/--reject to resume")
    if text is None and thread is None:
        raise typer.BadParameter("--approve/--reject without TEXT needs --thread ID")
    auto: Decision | None = None
    if approve:
        auto = Decision(action="approve")
    elif reject:
        auto = Decision(action="reject")

    thread_id = thread or _new_thread_id()
    agent = _make_agent(model)
    events: list[dict[str, Any]] = []
    message: dict[str, Any] | None = None
    interrupted = False
    errors = 0
    quiet = as_json
    err_console = _console(stderr=True)

    def run(stream: Iterable[Event]) -> bool:
        nonlocal message, interrupted, errors
        for ev in stream:
            events.append(ev.model_dump(mode="json"))
            if ev.event == "message":
                message = ev.data
            elif ev.event == "error":
                errors += 1
                if not quiet:
                    err_console.print(
                        f"[red]error[/red] {ev.data.get('code')}: {ev.data.get('message')}",
                        markup=True,
                        highlight=False,
                    )
            elif ev.event == "step" and not quiet and sys.stderr.isatty():
                mark = {"started": "…", "done": "✓", "error": "✗", "rejected": "–", "skipped": "·"}.get(
                    str(ev.data.get("status")), "·"
                )
                err_console.print(
                    f"{mark} {ev.data.get('summary', '')}", style="dim", highlight=False, markup=False
                )
            elif ev.event == "done":
                interrupted = bool(ev.data.get("interrupted"))
        return interrupted

    try:
        if text is not None:
            waiting = run(agent.stream(thread_id, text, lang=lang))
        else:
            assert auto is not None
            waiting = run(agent.stream(thread_id, decision=auto, lang=lang))
        # Auto-answer further approvals; bounded by the step limit, guarded anyway.
        for _ in range(64):
            if not (waiting and auto is not None):
                break
            waiting = run(agent.stream(thread_id, decision=auto, lang=lang))
        pending = agent.pending_approval(thread_id) if interrupted else None
    finally:
        agent.close()

    if as_json:
        out = {
            "thread_id": thread_id,
            "events": events,
            "message": message,
            "interrupted": interrupted,
            "pending_approval": pending,
        }
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        if message is not None:
            typer.echo(str(message.get("text", "")))
            _echo_sources(message)
        if pending is not None:
            typer.echo("")
            typer.echo(_approval_text(pending))
            typer.echo(
                f"Waiting for approval / 等待批准. Resume with:\n"
                f"  chengguo ask --thread {thread_id} --approve   (or --reject)"
            )
        elif text is not None and thread is None:
            typer.echo(f"\n(thread {thread_id}; continue with --thread {thread_id})", err=True)
    if errors:
        raise typer.Exit(1)


def _echo_sources(message: dict[str, Any]) -> None:
    cites = message.get("citations") or []
    if cites:
        typer.echo("\nSources / 来源:")
        for i, c in enumerate(cites, 1):
            ref = f" {c['ref']}" if c.get("ref") else ""
            title = f" — {c['title']}" if c.get("title") else ""
            typer.echo(f"  [{i}] {c['id']}{ref}{title}")
    arts = message.get("artifacts") or []
    if arts:
        typer.echo("\nFiles / 文件:")
        for a in arts:
            typer.echo(f"  {a['path']}")


def _quote_line(quote: dict[str, Any], lang: str | None) -> str:
    """ "5 days × RMB 38,000 = RMB 190,000" from a quote dict; key=value pairs for other shapes."""
    days, rate, total = (
        quote.get("days"),
        quote.get("daily_rate_cny"),
        quote.get("total_cny", quote.get("quote_cny")),
    )
    if isinstance(total, int | float):
        if isinstance(days, int) and isinstance(rate, int | float):
            if lang == "zh":
                return f"{days} 天 × {rate:,.0f} 元 = {total:,.0f} 元"
            return f"{days} days × RMB {rate:,.0f} = RMB {total:,.0f}"
        return f"{total:,.0f} 元" if lang == "zh" else f"RMB {total:,.0f}"
    return ", ".join(f"{k}={v}" for k, v in quote.items())


def _text_lang(text: str) -> str | None:
    from knowledge.lang import text_lang

    return text_lang(text) if text else None


def _approval_text(pending: dict[str, Any]) -> str:
    lines = [f"Approval needed / 需要批准: {pending.get('action')}"]
    if pending.get("summary"):
        lines.append(f"  {pending['summary']}")
    if pending.get("holder"):
        lines.append(f"  for / 预订方: {pending['holder']}")
    for k, v in (pending.get("args") or {}).items():
        lines.append(f"  {k}: {v}")
    quote = pending.get("quote")
    if isinstance(quote, dict) and quote:
        lines.append("  quote / 报价: " + _quote_line(quote, _text_lang(str(pending.get("summary") or ""))))
    return "\n".join(lines)


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


# -------------------------------------------------------------------------------------- chat

_HELP = """\
Type a request in Chinese or English. 用中文或英文输入请求。
Examples / 示例:
  为 ACH-0001 找合作伙伴            find partners for ACH-0001
  FAC-0003 下月有没有 5 天的档期?   is FAC-0003 free for 5 days next month?
  技术转让收入怎么免税?             how is tech-transfer income taxed?

Commands / 命令:
  /new              start a new thread / 新建会话
  /threads          list threads / 列出会话
  /thread ID        switch to a thread / 切换会话
  /export [FILE]    save the transcript as Markdown / 导出对话记录 (Markdown)
  /model [M]        show or set the model (builtin, openai:...) / 查看或切换模型
  /lang [zh|en|auto] show or set the reply language / 查看或设置回答语言
  /help             this help / 帮助
  /quit             exit (or Ctrl-D) / 退出
When a step needs approval, answer y (approve), n (reject) or e (edit the dates or the number of days).
需要批准时，输入 y（批准）、n（拒绝）或 e（修改日期或天数）。"""


def plan_changes(previous: list[dict[str, Any]], steps: list[dict[str, Any]]) -> list[str]:
    """What a re-plan changed, as the summaries of steps that were not in the previous plan.

    The builtin planner re-plans before every step; most re-plans only fill in what an earlier
    step found (the partner, the free window). Those keep each step's id and tool and print
    nothing: the step's own line shows the filled-in summary when it runs. A step with a new id
    or another tool is a real change (e.g. a widened search, a step the first plan could not
    know about) and is listed.
    """
    before = {(str(s.get("id")), str(s.get("tool"))) for s in previous}
    return [
        str(s.get("summary") or s.get("tool") or "")
        for s in steps
        if (str(s.get("id")), str(s.get("tool"))) not in before
    ]


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chengguo")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "dev"


def _kb_counts(settings: Any) -> dict[str, int] | None:
    """Record counts of the knowledge base, or None when it is not open in this process.

    Only an already-open knowledge base is asked (the chat warms it up before the banner), so the
    banner never triggers an index build itself; with --no-warm the counts line is left out.
    """
    try:
        from knowledge import kb as kb_module
    except ImportError:
        return None
    key = str(settings.data_dir.resolve())
    kb = next((v for k, v in getattr(kb_module, "_KBS", {}).items() if k[0] == key), None)
    if kb is None:
        return None
    try:
        return {
            "achievement": len(kb.records("achievement")),
            "organisation": len(kb.records("organisation")),
            "facility": len(kb.records("facility")),
            "policy": len(kb.policies()),
        }
    except Exception:  # a broken index must not stop the chat from opening
        return None


def banner_lines(
    *,
    version: str,
    model: str,
    data_dir: str,
    counts: dict[str, int] | None,
    thread_id: str,
    resumed_messages: int | None,
    lang: str | None,
) -> list[str]:
    """The chat's welcome banner (rich markup, at most 5 lines), in `lang` or in both languages."""
    from rich.markup import escape

    def t(en: str, zh: str) -> str:
        return zh if lang == "zh" else en if lang == "en" else f"{en} / {zh}"

    planner = f"builtin [dim]({t('rule-based', '内置规则')})[/]" if model == "builtin" else escape(model)
    lines = [
        f"[bold]chengguo 成果转化智能体[/] [dim]v{escape(version)}[/]",
        f"[dim]{t('Planner', '规划器')}:[/] {planner} · [dim]{t('Data', '数据')}:[/] {escape(data_dir)}",
    ]
    if counts is not None:
        parts = [
            (counts.get("achievement", 0), "achievements", "项成果"),
            (counts.get("organisation", 0), "organisations", "家机构"),
            (counts.get("facility", 0), "facilities", "个设施"),
            (counts.get("policy", 0), "policies", "份政策"),
        ]
        if lang == "zh":
            body = " · ".join(f"{n} {zh}" for n, _, zh in parts)
        elif lang == "en":
            body = " · ".join(f"{n} {en}" for n, en, _ in parts)
        else:
            body = " · ".join(f"{n} {en}/{zh.lstrip('项家个份')}" for n, en, zh in parts)
        lines.append(f"[dim]{t('Records', '记录')}:[/] {body}")
    if resumed_messages:
        state = t(f"resumed, {resumed_messages} messages", f"已恢复，{resumed_messages} 条消息")
    else:
        state = t("new", "新会话")
    lines.append(f"[dim]{t('Thread', '会话')}:[/] {escape(thread_id)} ({state})")
    lines.append(f"[dim]{t('Help', '帮助')}: /help · {t('Quit', '退出')}: Ctrl-D[/]")
    return lines


class _Chat:
    """The interactive loop: reads lines, renders the event stream, handles approvals."""

    def __init__(
        self, agent: Agent, thread_id: str, model: str | None, lang: str | None, console: Console
    ) -> None:
        self.agent = agent
        self.thread_id = thread_id
        self.model = model or agent.model
        self.lang = lang
        self.console = console
        self._status: Status | None = None
        self._streaming = False
        # The steps of the plan shown in this turn (None: no plan printed yet this turn).
        self._plan: list[dict[str, Any]] | None = None

    # ui text in the chosen language, both when none is chosen
    def t(self, en: str, zh: str, both: str | None = None) -> str:
        if self.lang == "zh":
            return zh
        if self.lang == "en":
            return en
        return both if both is not None else f"{en} / {zh}"

    # --- spinner -------------------------------------------------------------------------------
    def spin(self, text: str) -> None:
        self.stop()
        self._status = self.console.status(text, spinner="dots")
        self._status.start()

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    # --- rendering ------------------------------------------------------------------------------
    def render(self, events: Iterator[Event]) -> dict[str, Any] | None:
        """Print a stream; return the pending approval when the run stopped for one."""
        from rich.markup import escape

        c = self.console
        pending: dict[str, Any] | None = None
        self.spin(self.t("Thinking…", "思考中…"))
        try:
            for ev in events:
                d = ev.data
                self.stop()
                if ev.event == "plan":
                    self._print_plan(d)
                elif ev.event == "step":
                    status = d.get("status")
                    if status == "started":
                        self.spin(escape(str(d.get("summary") or d.get("tool"))))
                        continue
                    if status in ("rejected", "skipped"):
                        # A user's "no" or a step the turn never reached: neutral, not a red failure.
                        c.print(f"[dim]– {escape(str(d.get('summary', '')))}[/]")
                    else:
                        mark = "[green]✓[/]" if status == "done" else "[red]✗[/]"
                        c.print(
                            f"{mark} [dim]{escape(str(d.get('tool')))}[/] {escape(str(d.get('summary', '')))}"
                        )
                elif ev.event == "approval":
                    pending = d
                    self._print_approval(d)
                elif ev.event == "token":
                    if not self._streaming:
                        c.print()
                        self._streaming = True
                    c.print(d.get("text", ""), end="", markup=False, highlight=False, soft_wrap=True)
                elif ev.event == "message":
                    if not self._streaming:
                        c.print()
                        c.print(d.get("text", ""), markup=False)
                    else:
                        c.print()
                    self._streaming = False
                    self._print_sources(d)
                elif ev.event == "error":
                    c.print(f"[red]✗ {escape(str(d.get('code')))}:[/] {escape(str(d.get('message')))}")
                elif ev.event == "done":
                    if not d.get("interrupted"):
                        pending = None
                    elif pending is None:
                        pending = self.agent.pending_approval(self.thread_id)
                        if pending:
                            self._print_approval(pending)
                if ev.event in ("plan", "step"):
                    self.spin(self.t("Working…", "处理中…"))
        finally:
            self.stop()
            self._streaming = False
        return pending

    def _print_plan(self, d: dict[str, Any]) -> None:
        """The whole plan once per turn; later re-plans only as one line naming the new steps."""
        from rich.markup import escape

        c = self.console
        steps = [s for s in d.get("steps") or [] if isinstance(s, dict)]
        if self._plan is None:
            note = f"  [dim]{escape(d.get('note') or '')}[/]" if d.get("note") else ""
            c.print(f"[bold cyan]{self.t('Plan', '计划')}[/]" + note)
            for i, s in enumerate(steps, 1):
                c.print(
                    f"  {i}. {escape(s.get('summary') or s.get('tool', ''))} [dim]({escape(s.get('tool', ''))})[/]"
                )
            self._plan = steps
            return
        changed = plan_changes(self._plan, steps)
        self._plan = [*self._plan, *steps]
        if changed:
            sep = "；" if self.lang == "zh" else "; "
            c.print(f"[cyan]{self.t('Plan updated', '计划已更新')}:[/] " + escape(sep.join(changed)))

    def _print_approval(self, d: dict[str, Any]) -> None:
        from rich.markup import escape
        from rich.panel import Panel

        body = [f"[bold]{escape(str(d.get('action')))}[/]  {escape(str(d.get('summary') or ''))}"]
        for k, v in (d.get("args") or {}).items():
            body.append(f"  {escape(str(k))}: {escape(str(v))}")
        quote = d.get("quote")
        if isinstance(quote, dict) and quote:
            # With no language chosen, the quote follows the step summary's language (the turn's reply language).
            lang = self.lang or _text_lang(str(d.get("summary") or ""))
            body.append(f"  {self.t('quote', '报价')}: {escape(_quote_line(quote, lang))}")
        self.console.print(
            Panel("\n".join(body), title=self.t("Approval needed", "需要批准"), border_style="yellow")
        )

    def _print_sources(self, d: dict[str, Any]) -> None:
        from rich.markup import escape

        cites = d.get("citations") or []
        if cites:
            self.console.print(f"[bold]{self.t('Sources', '来源')}[/]")
            for i, ci in enumerate(cites, 1):
                ref = f" {ci['ref']}" if ci.get("ref") else ""
                title = f" — {ci['title']}" if ci.get("title") else ""
                self.console.print(f"  [{i}] {escape(ci['id'] + ref + title)}", highlight=False)
        for a in d.get("artifacts") or []:
            self.console.print(f"[bold]{self.t('File', '文件')}[/] {escape(a['path'])}")

    # --- approvals --------------------------------------------------------------------------------
    def ask_decision(self, pending: dict[str, Any]) -> Decision | None:
        """Prompt until a valid answer; None on EOF (leave the approval pending)."""
        from agent.events import Decision

        while True:
            answer = _read(
                self.t(
                    "Approve? [y]es / [n]o / [e]dit > ",
                    "是否批准？[y]批准 / [n]拒绝 / [e]修改 > ",
                    "Approve? 批准？ [y]es 是 / [n]o 否 / [e]dit 修改 > ",
                )
            )
            if answer is None:
                return None
            a = answer.strip().lower()
            if a in ("y", "yes", "a", "approve", "是", "批准", "好", "同意"):
                return Decision(action="approve")
            if a in ("n", "no", "r", "reject", "否", "拒绝", "不"):
                return Decision(action="reject")
            if a in ("e", "edit", "修改"):
                edited = self._edit_args(pending.get("args") or {})
                if edited is None:
                    return None
                if edited:
                    return Decision(action="edit", args=edited)
                continue
            self.console.print(self.t("Please answer y, n or e.", "请输入 y、n 或 e。"))

    def _edit_args(self, args: dict[str, Any]) -> dict[str, Any] | None:
        from datetime import date

        changes: dict[str, Any] = {}
        # Dates and the length are what people change ("other dates", "改成两周"); ids stay.
        keys: list[str] = [k for k in ("start", "end", "days") if k in args] or [str(k) for k in args]
        for key in keys:
            while True:
                value = _read(f"  {key} [{args.get(key)}] > ")
                if value is None:
                    return None
                value = value.strip()
                if not value:
                    break
                if key in ("start", "end"):
                    try:
                        date.fromisoformat(value)
                    except ValueError:
                        self.console.print(self.t("  Use YYYY-MM-DD.", "  请使用 YYYY-MM-DD 格式。"))
                        continue
                if key == "days":
                    if not value.isdigit() or int(value) < 1:
                        self.console.print(
                            self.t(
                                "  Give a whole number of days, at least 1.", "  请输入至少为 1 的整数天数。"
                            )
                        )
                        continue
                    changes[key] = int(value)
                    break
                changes[key] = value
                break
        return changes

    def run_turn(self, text: str | None, decision: Decision | None = None) -> None:
        if text is not None:
            self._plan = None
        stream = self.agent.stream(self.thread_id, text, decision=decision, lang=self.lang, model=self.model)
        pending = self.render(stream)
        while pending is not None:
            dec = self.ask_decision(pending)
            if dec is None:
                self.console.print(
                    self.t(
                        f"Left pending. Resume with: chengguo chat --thread {self.thread_id}",
                        f"已保留待批准状态。恢复：chengguo chat --thread {self.thread_id}",
                    )
                )
                raise EOFError
            pending = self.render(
                self.agent.stream(self.thread_id, decision=dec, lang=self.lang, model=self.model)
            )

    # --- slash commands ------------------------------------------------------------------------------
    def command(self, line: str) -> bool:
        """Handle a /command; False means quit."""
        cmd, _, arg = line[1:].strip().partition(" ")
        arg = arg.strip()
        c = self.console
        if cmd in ("quit", "exit", "q"):
            return False
        if cmd == "help":
            c.print(_HELP, markup=False, highlight=False)
        elif cmd == "new":
            self.thread_id = _new_thread_id()
            c.print(self.t(f"New thread {self.thread_id}", f"新会话 {self.thread_id}"))
        elif cmd == "threads":
            ids = self.agent.threads()
            if not ids:
                c.print(self.t("No threads yet.", "还没有会话。"))
            for tid in ids[:30]:
                hist = self.agent.history(tid)
                first = next((m["text"] for m in hist if m["role"] == "user"), "")
                mark = "*" if tid == self.thread_id else " "
                c.print(f"{mark} {tid}  {first[:60]}", markup=False, highlight=False)
        elif cmd == "thread":
            if not arg:
                c.print(self.thread_id)
            else:
                self.thread_id = arg
                self.show_resume()
        elif cmd == "export":
            path = Path(arg) if arg else Path.cwd() / f"chengguo-{self.thread_id}.md"
            path.write_text(self.transcript(), encoding="utf-8")
            c.print(self.t(f"Saved {path}", f"已保存 {path}"), markup=False)
        elif cmd == "model":
            if arg:
                self.model = arg
            c.print(self.t(f"Model: {self.model}", f"模型：{self.model}"), markup=False)
        elif cmd == "lang":
            if arg in ("zh", "en"):
                self.lang = arg
            elif arg == "auto":
                self.lang = None
            elif arg:
                c.print(self.t("Use /lang zh, en or auto.", "请用 /lang zh、en 或 auto。"))
            c.print(self.t(f"Reply language: {self.lang or 'auto'}", f"回答语言：{self.lang or '自动'}"))
        else:
            c.print(
                self.t(f"Unknown command /{cmd}; try /help", f"未知命令 /{cmd}，输入 /help 查看帮助"),
                markup=False,
            )
        return True

    def transcript(self) -> str:
        lines = [f"# chengguo — thread {self.thread_id}", ""]
        for m in self.agent.history(self.thread_id):
            who = "You / 用户" if m["role"] == "user" else "chengguo"
            lines += [f"## {who} · {m.get('ts', '')}", "", m["text"], ""]
        state = self.agent.state(self.thread_id)
        resp = state.get("response") or {}
        if resp.get("citations"):
            lines += ["## Sources / 来源", ""]
            for ci in resp["citations"]:
                ref = f" {ci['ref']}" if ci.get("ref") else ""
                lines.append(f"- {ci['id']}{ref} {ci.get('title', '')}".rstrip())
            lines.append("")
        lines.append(f"_Exported {datetime.now().isoformat(timespec='seconds')}_")
        return "\n".join(lines) + "\n"

    def show_resume(self) -> None:
        hist = self.agent.history(self.thread_id)
        for m in hist[-4:]:
            who = self.t("you", "你") if m["role"] == "user" else "chengguo"
            self.console.print(f"[dim]{who}:[/] {m['text'][:300]}", highlight=False)
        pending = self.agent.pending_approval(self.thread_id)
        if pending:
            self._print_approval(pending)
            dec = self.ask_decision(pending)
            if dec is None:
                raise EOFError
            self.run_turn(None, dec)


def _warm_up(settings: Any, console: Console) -> None:
    """Open (and on a fresh data dir, build) the knowledge base now, with its own progress bar,
    rather than under the spinner of the first question."""
    try:
        from knowledge.kb import open_kb
    except ImportError:
        return
    console.print("[dim]Loading knowledge base / 加载知识库…[/]")
    try:
        open_kb(settings).records("facility")
    except Exception as exc:  # the chat still works for what does not need the index
        console.print(f"[yellow]Knowledge base unavailable / 知识库不可用: {exc}[/]", highlight=False)


def _read(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None


def _setup_history(path: Path) -> None:
    try:
        import readline
    except ImportError:  # no readline (e.g. Windows): plain input still works
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with contextlib.suppress(OSError):
            readline.read_history_file(str(path))
    readline.set_history_length(1000)
    import atexit

    atexit.register(_save_history, path)


def _save_history(path: Path) -> None:
    try:
        import readline

        readline.write_history_file(str(path))
    except (ImportError, OSError):
        pass


@agent_app.command("chat")
def chat(
    thread: str = typer.Option(None, "--thread", "-t", help="Resume this thread. 恢复指定会话。"),
    model: str = typer.Option(None, "--model", "-m", help='"builtin" or e.g. "openai:gpt-4.1-mini".'),
    lang: str = typer.Option(None, "--lang", "-l", help="Reply language zh|en (default: your message's)."),
    warm: bool = typer.Option(
        True, "--warm/--no-warm", help="Load the knowledge base before the first prompt. 预先加载知识库。"
    ),
) -> None:
    """Chat with the agent in the terminal. 在终端中与智能体对话。"""
    from knowledge.config import get_settings

    _check_lang(lang)
    console = _console()
    settings = get_settings()
    _setup_history(settings.data_dir / "chat_history")
    agent = _make_agent(model)
    session = _Chat(agent, thread or _new_thread_id(), model, lang, console)
    if warm:
        _warm_up(settings, console)
    resumed = len(agent.history(session.thread_id)) if thread else 0
    for banner in banner_lines(
        version=_package_version(),
        model=str(session.model),
        data_dir=str(settings.data_dir),
        counts=_kb_counts(settings),
        thread_id=session.thread_id,
        resumed_messages=resumed or None,
        lang=lang,
    ):
        console.print(banner, highlight=False)
    try:
        if thread:
            session.show_resume()
        while True:
            line = _read("› ")
            if line is None:
                break
            line = line.strip()
            if not line:
                continue
            if line.startswith("/"):
                if not session.command(line):
                    break
                continue
            try:
                session.run_turn(line)
            except KeyboardInterrupt:
                session.stop()
                console.print(session.t("\n(interrupted)", "\n（已中断）"))
    except EOFError:
        pass
    except KeyboardInterrupt:
        session.stop()
    finally:
        agent.close()
        console.print(
            f"[dim]{session.t('Bye. Resume with', '再见。恢复会话')}: chengguo chat --thread {session.thread_id}[/]",
            highlight=False,
        )
