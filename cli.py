"""chengguo command line: chat, ask, ingest, kb, bookings, serve, keys, eval.

Each package owns its sub-commands in its own `cli` module; this file only mounts them, so
adding a command never means editing another package.
"""

from __future__ import annotations

import importlib

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
    app()


if __name__ == "__main__":
    main()
