"""Import every tool module so that `tools.base.REGISTRY` holds all tools."""

from __future__ import annotations

from tools import booking, facilities, partners, search
from tools.base import REGISTRY, ToolKind, ToolSpec
from tools.termsheet import tool as termsheet_tool

_MODULES = (booking, facilities, partners, search, termsheet_tool)

READ_TOOLS = sorted(name for name, spec in REGISTRY.items() if spec.kind is ToolKind.READ)
WRITE_TOOLS = sorted(name for name, spec in REGISTRY.items() if spec.kind is ToolKind.WRITE)


def get_tool(name: str) -> ToolSpec | None:
    """The registered tool called `name`, or None."""
    return REGISTRY.get(name)


__all__ = ["READ_TOOLS", "REGISTRY", "WRITE_TOOLS", "get_tool"]
