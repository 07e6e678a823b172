"""Tiny types shared by the slot extractors, the linker and the language rules (a leaf module: the
extractors import each other, so a type defined in one of them would make import cycles)."""

from __future__ import annotations

Span = tuple[int, int]
"""Start and end (exclusive) of a match in the message text."""
