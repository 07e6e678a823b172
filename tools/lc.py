"""LangChain adapters: every registered tool as a `StructuredTool` (langchain-core 1.x).

The input model is the args schema, the docstring the description. The tool returns
`(content, artifact)`: content is the JSON of the output model (or ToolError) for the model to
read, artifact the same as a dict for code. READ/WRITE is kept in `metadata["kind"]` so a
graph can route WRITE tools through approval.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from langchain_core.tools import StructuredTool

from tools.base import REGISTRY, ToolContext, ToolKind, ToolSpec

ContextSource = ToolContext | Callable[[], ToolContext]


def _context(source: ContextSource) -> ToolContext:
    return source if isinstance(source, ToolContext) else source()


def to_structured_tool(spec: ToolSpec, ctx: ContextSource) -> StructuredTool:
    """One registry entry as a StructuredTool bound to a context (or a context factory)."""

    def call(**kwargs: Any) -> tuple[str, dict[str, Any]]:
        result = spec.run(kwargs, _context(ctx)).model_dump(mode="json")
        return json.dumps(result, ensure_ascii=False), result

    return StructuredTool.from_function(
        func=call,
        name=spec.name,
        description=spec.description,
        args_schema=spec.input_model,
        infer_schema=False,
        response_format="content_and_artifact",
        metadata={"kind": spec.kind.value},
    )


def langchain_tools(ctx: ContextSource, kinds: Iterable[ToolKind] | None = None) -> list[StructuredTool]:
    """All registered tools (optionally only READ or WRITE) as StructuredTools, sorted by name."""
    import tools.registry  # noqa: F401  (fills REGISTRY)

    wanted = set(kinds) if kinds is not None else None
    return [
        to_structured_tool(spec, ctx)
        for name, spec in sorted(REGISTRY.items())
        if wanted is None or spec.kind in wanted
    ]
