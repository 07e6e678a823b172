"""chengguo command line: chat, ask, ingest, kb, bookings, serve, keys, eval.

Each package owns its sub-commands in its own `cli` module; this file only mounts them, so
adding a command never means editing another package.
"""

from __future__ import annotations

import importlib
import sqlite3

import typer

app = typer.Typer(
    name="chengguo",
    help="chengguo 成果转化智能体 — partners, pilot facilities, lawful term sheets, cited policy answers.",
    no_args_is_help=True,
    add_completion=False,
)

# (module, attribute, sub-command name or None to add its commands at top level)
_MOUNTS: list[tuple[str, str, str | None]] = [
    ("knowledge.cli", "kb_app", "kb"),
    ("knowledge.cli", "ingest_app", None),
    ("tools.cli", "bookings_app", "bookings"),
    ("knowledge.db_cli", "db_app", "db"),
    ("agent.cli", "agent_app", None),
    ("web.cli", "serve_app", None),
    ("web.cli", "keys_app", "keys"),
    ("evals.cli", "eval_app", "eval"),
    ("knowledge.backup_cli", "backup_app", "backup"),
    ("knowledge.backup_cli", "restore_app", None),
]


def _mount() -> None:
    for module_name, attr, name in _MOUNTS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only tolerate the sub-command module itself being absent, never a broken import inside it.
            if exc.name != module_name:
                raise
            continue
        sub = getattr(module, attr)
        if name is None:
            app.registered_commands.extend(sub.registered_commands)
        else:
            app.add_typer(sub, name=name)


@app.callback()
def _root() -> None:
    """chengguo 成果转化智能体."""


@app.command("version")
def version() -> None:
    """Print the chengguo version. 显示版本。"""
    from importlib.metadata import version as _v

    typer.echo(_v("chengguo"))


_mount()


def main() -> None:
    try:
        app()
    except Exception as exc:
        # A damaged store is named with its way back, on every command, instead of a traceback.
        problem = damaged_store_message(exc)
        if problem is None:
            raise
        typer.echo(problem, err=True)
        raise SystemExit(3) from None


def damaged_store_message(exc: BaseException) -> str | None:
    """The operator's message when `exc` comes from a damaged store file, else None."""
    from knowledge.integrity import StoreDamaged, check_data_dir

    if isinstance(exc, StoreDamaged):
        return "chengguo: a data file is damaged / 数据文件已损坏\n" + str(exc)
    if isinstance(exc, sqlite3.DatabaseError):
        from knowledge.config import get_settings

        found = check_data_dir(get_settings().data_dir)
        if found:
            return "chengguo: a data file is damaged / 数据文件已损坏\n" + "\n".join(
                p.describe() for p in found
            )
    return None


if __name__ == "__main__":
    main()
