"""Policy documents from Markdown (front matter + `## <article ref>` sections), plain text and PDF.

Metadata (`id`, `title`, `issuer`, `year`, `jurisdiction`, optional `url`, `lang`) comes from
YAML front matter; TXT and PDF files may instead carry a sidecar `<file>.meta.yaml` (or
`<stem>.yaml` / `.json`). Sections are what retrieval returns and what answers cite, so each
keeps its article / clause reference ("Article 45", "第四十五条") apart from its heading text.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.models import PolicyDocument, PolicySection
from knowledge.textfile import TextFileError, read_text

_NUM = r"[0-9一二三四五六七八九十百千零〇两]+"
# An article / clause reference at the start of a heading or line.
_REF = re.compile(
    rf"^(?P<ref>第{_NUM}[条款项章节](?:之{_NUM})?"
    rf"|(?:Article|Art\.|Section|Sec\.|Clause|Rule|Paragraph|Item|Chapter)\s*[0-9IVXLC]+(?:\.[0-9]+)*[A-Za-z]?"
    rf"|§\s*[0-9]+(?:\.[0-9]+)*"
    rf"|[一二三四五六七八九十]+、"
    rf"|[0-9]+(?:\.[0-9]+)*(?:[.、)]|(?=\s)))"
    rf"(?P<rest>.*)$"
)
_HEADING_SEP = re.compile(r"^\s*(?:[—–\-:：.、|]+\s*)?")
# Line-start references used to split plain text and PDF (stricter: articles and sections only).
_SPLIT_REF = re.compile(
    rf"^\s*(?P<ref>第{_NUM}条(?:之{_NUM})?|(?:Article|Art\.|Section|Clause)\s*[0-9]+[A-Za-z]?)(?![0-9A-Za-z])",
    re.MULTILINE,
)

META_FIELDS = frozenset(
    {
        "id",
        "title",
        "issuer",
        "year",
        "jurisdiction",
        "url",
        "lang",
        # A unit's own reward rule: the organisation it binds and its percentages.
        "issuer_id",
        "inventor_reward_pct",
        "implementation_years",
    }
)


@dataclass
class PolicyParseResult:
    """A parsed policy document or the problems that stopped it (as (line, field, message))."""

    document: PolicyDocument | None = None
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def split_ref(heading: str) -> tuple[str, str]:
    """("Article 45", "Rewards") from "Article 45 — Rewards"; (heading, "") when no ref is found."""
    text = heading.strip()
    m = _REF.match(text)
    if not m:
        return text, ""
    ref = m.group("ref").strip().rstrip(".、)").strip()
    rest = _HEADING_SEP.sub("", m.group("rest")).strip()
    return ref, rest


def _front_matter(text: str) -> tuple[dict[str, Any], int, str, list[tuple[int, str, str]]]:
    """(metadata, number of lines used, body, errors)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, 0, text, []
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                return {}, end + 1, "", [(1, "front_matter", f"invalid YAML: {exc}".splitlines()[0])]
            if not isinstance(meta, dict):
                return {}, end + 1, "", [(1, "front_matter", "front matter must be a mapping of fields")]
            return meta, end + 1, "\n".join(lines[end + 1 :]), []
    return {}, 0, "", [(1, "front_matter", "front matter opened with --- but never closed")]


def _meta_line(text: str, key: str) -> int:
    for i, line in enumerate(text.splitlines()[:80], start=1):
        if line.startswith(f"{key}:"):
            return i
    return 1


def _markdown_sections(
    body: str, first_line: int
) -> tuple[list[PolicySection], list[tuple[int, str, str]], str]:
    """Sections under `## ` headings; returns (sections, errors, title from a `# ` heading)."""
    sections: list[PolicySection] = []
    errors: list[tuple[int, str, str]] = []
    title = ""
    current: tuple[str, str, int] | None = None
    buf: list[str] = []
    preamble: list[str] = []

    def flush() -> None:
        if current is None:
            return
        content = "\n".join(buf).strip()
        if not content:
            errors.append((current[2], "section", f"section {current[0]!r} has no text"))
            return
        sections.append(PolicySection(ref=current[0], heading=current[1], text=content))

    for offset, line in enumerate(body.splitlines()):
        stripped = line.strip()
        if stripped.startswith("## ") and not stripped.startswith("###"):
            flush()
            ref, heading = split_ref(stripped[3:])
            current = (ref, heading, first_line + offset)
            buf = []
        elif stripped.startswith("# ") and current is None and not title:
            title = stripped[2:].strip()
        elif current is None:
            preamble.append(line)
        else:
            buf.append(line)
    flush()
    intro = "\n".join(preamble).strip()
    if intro:
        sections.insert(0, PolicySection(ref="Preamble" if not _has_cjk(intro) else "序言", text=intro))
    return sections, errors, title


def _has_cjk(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def plain_sections(text: str, fallback_prefix: str = "¶") -> list[PolicySection]:
    """Split plain text at line-start article references; paragraphs when there are none."""
    if "\n## " in "\n" + text:
        sections, _, _ = _markdown_sections(text, 1)
        if sections:
            return sections
    matches = list(_SPLIT_REF.finditer(text))
    if matches:
        out: list[PolicySection] = []
        intro = text[: matches[0].start()].strip()
        if intro:
            out.append(PolicySection(ref="序言" if _has_cjk(intro) else "Preamble", text=intro))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            chunk = text[m.end() : end].strip()
            ref = m.group("ref").strip()
            first, _, rest = chunk.partition("\n")
            # A short first line right after the reference is the article's heading.
            heading = first.strip(" —–-:：") if rest and len(first) <= 40 else ""
            content = rest.strip() if heading else chunk
            if content:
                out.append(PolicySection(ref=ref, heading=heading, text=content))
        if out:
            return out
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = []
    buf: list[str] = []
    for para in paras:
        buf.append(para)
        if sum(len(b) for b in buf) >= 600:
            out.append(PolicySection(ref=f"{fallback_prefix}{len(out) + 1}", text="\n\n".join(buf)))
            buf = []
    if buf:
        out.append(PolicySection(ref=f"{fallback_prefix}{len(out) + 1}", text="\n\n".join(buf)))
    return out


def _sidecar(path: Path) -> tuple[dict[str, Any], list[tuple[int, str, str]]]:
    for cand in (
        path.with_name(path.name + ".meta.yaml"),
        path.with_suffix(".meta.yaml"),
        path.with_suffix(".yaml"),
        path.with_suffix(".yml"),
        path.with_suffix(".json"),
    ):
        if cand.is_file() and cand != path:
            try:
                raw = cand.read_text(encoding="utf-8")
                data = json.loads(raw) if cand.suffix == ".json" else yaml.safe_load(raw)
            except (ValueError, yaml.YAMLError) as exc:
                return {}, [(1, "metadata", f"cannot read sidecar {cand.name}: {exc}".splitlines()[0])]
            if not isinstance(data, dict):
                return {}, [(1, "metadata", f"sidecar {cand.name} must be a mapping of fields")]
            return data, []
    return {}, []


def _build(
    meta: dict[str, Any], sections: list[PolicySection], text_for_lines: str, hint: str
) -> PolicyParseResult:
    errors: list[tuple[int, str, str]] = []
    for key in sorted(set(meta) - META_FIELDS):
        errors.append((_meta_line(text_for_lines, key), key, "unknown field"))
    missing = [k for k in ("id", "title", "issuer", "year", "jurisdiction") if meta.get(k) in (None, "")]
    for key in missing:
        errors.append((1, key, f"missing required field ({hint})"))
    if not sections:
        errors.append((1, "sections", "no sections found (Markdown needs `## <article ref>` headings)"))
    if errors:
        return PolicyParseResult(errors=errors)
    fields = {k: v for k, v in meta.items() if k in META_FIELDS}
    fields["id"] = str(fields["id"])
    try:
        doc = PolicyDocument(**fields, sections=sections)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "document"
            errors.append(
                (_meta_line(text_for_lines, str(err["loc"][0]) if err["loc"] else ""), loc, err["msg"])
            )
        return PolicyParseResult(errors=errors)
    return PolicyParseResult(document=doc)


def parse_markdown(text: str, path: Path | None = None) -> PolicyParseResult:
    """A policy document from Markdown with YAML front matter and `## <ref>` sections."""
    meta, used, body, errors = _front_matter(text)
    if errors:
        return PolicyParseResult(errors=errors)
    if path is not None and not meta:
        meta, errors = _sidecar(path)
        if errors:
            return PolicyParseResult(errors=errors)
    sections, sec_errors, title = _markdown_sections(body, used + 1)
    if sec_errors:
        return PolicyParseResult(errors=sec_errors)
    if title and not meta.get("title"):
        meta["title"] = title
    return _build(meta, sections, text, "add it to the front matter")


def parse_text(text: str, path: Path | None = None) -> PolicyParseResult:
    """A policy document from plain text (front matter or sidecar metadata)."""
    meta, _used, body, errors = _front_matter(text)
    if errors:
        return PolicyParseResult(errors=errors)
    if path is not None and not meta:
        meta, errors = _sidecar(path)
        if errors:
            return PolicyParseResult(errors=errors)
    if not meta.get("id") and path is not None:
        meta["id"] = path.stem
    if not meta.get("title"):
        first = next((ln.strip() for ln in body.splitlines() if ln.strip()), "")
        if first:
            meta["title"] = first[:120]
    return _build(meta, plain_sections(body), text, "add front matter or a <file>.meta.yaml sidecar")


def parse_pdf(path: Path) -> PolicyParseResult:
    """A policy document from a PDF's text layer; metadata from a sidecar or the PDF's info."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs its repair attempts ("EOF marker not found") as warnings; the one error line
    # below says what matters, so keep the operator's terminal free of that noise.
    pdf_log = logging.getLogger("pypdf")
    level = pdf_log.level
    pdf_log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        pages = [(page.extract_text() or "") for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, OSError, ValueError) as exc:
        return PolicyParseResult(errors=[(1, "file", f"cannot read PDF: {exc}")])
    finally:
        pdf_log.setLevel(level)
    text = "\n".join(pages)
    if not text.strip():
        return PolicyParseResult(
            errors=[(1, "file", "the PDF has no text layer (scanned images are not supported)")]
        )
    meta, errors = _sidecar(path)
    if errors:
        return PolicyParseResult(errors=errors)
    meta.setdefault("id", path.stem)
    if (
        not meta.get("title")
        and info is not None
        and info.title
        and info.title.lower() not in ("untitled", "anonymous")
    ):
        meta["title"] = str(info.title)
    # PDF writers fill in placeholders such as "anonymous"; those are not an issuer.
    if (
        not meta.get("issuer")
        and info is not None
        and info.author
        and info.author.lower() not in ("anonymous", "unknown")
    ):
        meta["issuer"] = str(info.author)
    sections = plain_sections(text, fallback_prefix="p.")
    return _build(meta, sections, "", "add a <file>.meta.yaml sidecar")


def parse_policy_file(path: Path) -> PolicyParseResult:
    """Dispatch on the extension: .md/.markdown, .txt, .pdf."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return parse_pdf(path)
    try:
        text = read_text(path)
    except TextFileError as exc:
        return PolicyParseResult(errors=[(exc.line, "file", exc.message)])
    if suffix in (".md", ".markdown"):
        return parse_markdown(text, path)
    return parse_text(text, path)
