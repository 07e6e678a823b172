"""Checks on the bundled policy documents (knowledge/sample/policies/*.md).

The parser here is deliberately self-contained (pyyaml + stdlib) so these tests do not depend on
the retrieval code; it follows the shared contract: YAML front matter, then `## <ref>` sections.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from knowledge.models import PolicyDocument, PolicySection

POLICY_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "sample" / "policies"
ALLOWED_KEYS = {
    "id",
    "title",
    "issuer",
    "year",
    "jurisdiction",
    "url",
    "lang",
    # unit reward rules (Art. 44) name the organisation they bind and their percentages
    "issuer_id",
    "inventor_reward_pct",
    "implementation_years",
}
ID_RE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*-(ZH|EN)$")
FILE_RE = re.compile(r"^(?P<stem>[a-z0-9-]+)\.(?P<lang>zh|en)\.md$")

# Citable section references, per language (see README.md in the policy folder).
ZH_NUM = "零〇一二三四五六七八九十百千"
ZH_REF = re.compile(
    rf"^(第[{ZH_NUM}]+条|第[{ZH_NUM}]+项|第[{ZH_NUM}]+章|第\d+\.\d+条"
    rf"|第[{ZH_NUM}]+部分(第（[{ZH_NUM}]+）项)?)$"
)
EN_REF = re.compile(r"^(Article \d+|Item \d+|Chapter \d+|Rule \d+\.\d+|Part \d+( Item \d+)?)$")


@dataclass
class ParsedFile:
    path: Path
    meta: dict[str, object]
    doc: PolicyDocument


def parse_policy_file(path: Path) -> ParsedFile:
    """Front matter + `## ` sections -> PolicyDocument; errors name the file and line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{path.name}:1: missing front matter opening '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ValueError(f"{path.name}: front matter is not closed") from None
    meta = yaml.safe_load("\n".join(lines[1:end]))
    if not isinstance(meta, dict):
        raise ValueError(f"{path.name}: front matter is not a mapping")
    sections: list[PolicySection] = []
    ref: str | None = None
    body: list[str] = []

    def flush() -> None:
        if ref is None:
            stray = [n for n in range(end + 1, len(lines)) if lines[n].strip()][:1]
            if "".join(body).strip():
                raise ValueError(f"{path.name}:{stray[0] + 1}: text before the first '## ' heading")
            return
        sections.append(PolicySection(ref=ref, heading=ref, text=" ".join(s.strip() for s in body).strip()))

    for i in range(end + 1, len(lines)):
        line = lines[i]
        if line.startswith("## "):
            flush()
            ref, body = line[3:].strip(), []
        elif line.startswith("#"):
            raise ValueError(f"{path.name}:{i + 1}: only '## ' headings are allowed")
        else:
            body.append(line)
    flush()
    doc = PolicyDocument(**meta, sections=sections)
    return ParsedFile(path=path, meta=meta, doc=doc)


def _files() -> list[Path]:
    return sorted(p for p in POLICY_DIR.glob("*.md") if p.name != "README.md")


@pytest.fixture(scope="module")
def parsed() -> list[ParsedFile]:
    return [parse_policy_file(p) for p in _files()]


def _by_id(parsed: list[ParsedFile]) -> dict[str, PolicyDocument]:
    return {p.doc.id: p.doc for p in parsed}


def _section(doc: PolicyDocument, ref: str) -> str:
    matches = [s.text for s in doc.sections if s.ref == ref]
    assert matches, f"{doc.id} has no section {ref!r}"
    return matches[0]


_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}


def zh_to_int(text: str) -> int:
    """Chinese numerals up to the thousands ("四十五" -> 45, "八百四十三" -> 843, "十六" -> 16)."""
    total, digit = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + digit


def canonical_ref(ref: str) -> str:
    """Language-neutral key so that a zh section and its en twin compare equal."""
    if m := re.fullmatch(r"第(\d+\.\d+)条|Rule (\d+\.\d+)", ref):
        return f"rule:{m.group(1) or m.group(2)}"
    if m := re.fullmatch(r"第(.+)部分第（(.+)）项", ref):
        return f"part:{zh_to_int(m.group(1))}/item:{zh_to_int(m.group(2))}"
    if m := re.fullmatch(r"Part (\d+) Item (\d+)", ref):
        return f"part:{m.group(1)}/item:{m.group(2)}"
    kinds = {"条": "article", "项": "item", "章": "chapter", "部分": "part"}
    if m := re.fullmatch(r"第(.+?)(条|项|章|部分)", ref):
        return f"{kinds[m.group(2)]}:{zh_to_int(m.group(1))}"
    if m := re.fullmatch(r"(Article|Item|Chapter|Part) (\d+)", ref):
        return f"{m.group(1).lower()}:{m.group(2)}"
    raise ValueError(f"unrecognised section reference {ref!r}")


def count_sentences(text: str, lang: str) -> int:
    if lang == "zh":
        return len(re.findall(r"[。！？]", text))
    # Abbreviations with a full stop are not sentence ends.
    cleaned = re.sub(r"\b(No|i\.e|e\.g|Art|etc)\.", "X", text)
    return len(re.findall(r"[.!?](?=\s|$)", cleaned))


def test_zh_numerals() -> None:
    assert zh_to_int("四十五") == 45
    assert zh_to_int("十六") == 16
    assert zh_to_int("八百四十三") == 843
    assert zh_to_int("九十") == 90
    assert canonical_ref("第四十五条") == canonical_ref("Article 45") == "article:45"
    assert canonical_ref("第4.2条") == canonical_ref("Rule 4.2")
    assert canonical_ref("第二部分第（三）项") == canonical_ref("Part 2 Item 3")


def test_parser_rejects_text_before_first_heading(tmp_path: Path) -> None:
    bad = tmp_path / "bad.en.md"
    bad.write_text(
        "---\nid: X-EN\ntitle: t\nissuer: i\nyear: 2020\njurisdiction: CN\n---\nstray text\n## Article 1\nBody.\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"bad\.en\.md:8"):
        parse_policy_file(bad)


def test_every_file_parses_and_validates(parsed: list[ParsedFile]) -> None:
    assert len(parsed) == len(_files())
    for p in parsed:
        assert set(p.meta) <= ALLOWED_KEYS, f"{p.path.name}: extra keys {set(p.meta) - ALLOWED_KEYS}"
        assert p.doc.sections, f"{p.path.name} has no sections"
        assert all(s.text for s in p.doc.sections)


def test_at_least_26_docs_and_both_languages(parsed: list[ParsedFile]) -> None:
    langs = Counter(p.doc.lang for p in parsed)
    assert len(parsed) >= 26
    assert langs["zh"] >= 12 and langs["en"] >= 12
    assert set(langs) == {"zh", "en"}


def test_ids_unique_and_well_formed(parsed: list[ParsedFile]) -> None:
    ids = [p.doc.id for p in parsed]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for p in parsed:
        assert ID_RE.match(p.doc.id), p.doc.id
        m = FILE_RE.match(p.path.name)
        assert m, p.path.name
        # The file suffix, the declared lang and the id suffix must agree.
        assert p.meta.get("lang") == m.group("lang") == p.doc.lang
        assert p.doc.id.endswith("-" + m.group("lang").upper())


def test_zh_en_pairs_share_stem_and_sections(parsed: list[ParsedFile]) -> None:
    by_file = {p.path.name: p for p in parsed}
    stems = {FILE_RE.match(n).group("stem") for n in by_file}  # type: ignore[union-attr]
    for stem in stems:
        zh, en = by_file.get(f"{stem}.zh.md"), by_file.get(f"{stem}.en.md")
        assert zh and en, f"{stem}: both a zh and an en file are required"
        assert zh.doc.id[:-3] == en.doc.id[:-3], (zh.doc.id, en.doc.id)
        assert zh.doc.year == en.doc.year
        assert zh.doc.jurisdiction == en.doc.jurisdiction
        assert [canonical_ref(s.ref) for s in zh.doc.sections] == [
            canonical_ref(s.ref) for s in en.doc.sections
        ], stem


def test_section_refs_are_citable_and_sized(parsed: list[ParsedFile]) -> None:
    problems: list[str] = []
    for p in parsed:
        pattern = ZH_REF if p.doc.lang == "zh" else EN_REF
        refs = [s.ref for s in p.doc.sections]
        if len(refs) != len(set(refs)):
            problems.append(f"{p.path.name}: duplicate section refs")
        for s in p.doc.sections:
            if not pattern.match(s.ref):
                problems.append(f"{p.path.name}: bad ref {s.ref!r}")
            n = count_sentences(s.text, p.doc.lang or "")
            if not 2 <= n <= 8:
                problems.append(f"{p.path.name} {s.ref}: {n} sentences (want 2-8)")
    assert not problems, "\n".join(problems)


def test_article_45_defaults_in_both_languages(parsed: list[ParsedFile]) -> None:
    docs = _by_id(parsed)
    zh = _section(docs["CN-LAW-PTSTA-2015-ZH"], "第四十五条")
    en = _section(docs["CN-LAW-PTSTA-2015-EN"], "Article 45")
    for text in (zh, en):
        assert "50%" in text and "5%" in text
    assert "三至五年" in zh and "工资总额" in zh
    assert "three to five" in en and "wage" in en
    # Art. 44: the unit sets the method and must publish it.
    assert "公开" in _section(docs["CN-LAW-PTSTA-2015-ZH"], "第四十四条")
    assert "publish" in _section(docs["CN-LAW-PTSTA-2015-EN"], "Article 44")


def test_transformation_law_articles_present(parsed: list[ParsedFile]) -> None:
    docs = _by_id(parsed)
    for doc_id, refs in {
        "CN-LAW-PTSTA-2015-ZH": ["第十六条", "第十八条", "第十九条", "第四十三条"],
        "CN-LAW-PTSTA-2015-EN": ["Article 16", "Article 18", "Article 19", "Article 43"],
    }.items():
        for ref in refs:
            _section(docs[doc_id], ref)
    assert "拍卖" in _section(docs["CN-LAW-PTSTA-2015-ZH"], "第十八条")
    assert "auction" in _section(docs["CN-LAW-PTSTA-2015-EN"], "Article 18")


def test_soe_incentive_caps(parsed: list[ParsedFile]) -> None:
    docs = _by_id(parsed)
    for doc_id in ("CN-MOF-SOE-INCENTIVE-2016-ZH", "CN-MOF-SOE-INCENTIVE-2016-EN"):
        doc = docs[doc_id]
        full = " ".join(s.text for s in doc.sections)
        assert "财资〔2016〕4号" in doc.title or "Cai Zi [2016] No. 4" in doc.title
        for cap in ("5%", "10%", "30%", "3%", "15%"):
            assert re.search(rf"(?<![\d.]){re.escape(cap)}", full), f"{doc_id} lacks {cap}"


def test_tax_docs_state_five_million(parsed: list[ParsedFile]) -> None:
    docs = _by_id(parsed)
    zh90 = _section(docs["CN-REG-EIT-2007-ZH"], "第九十条")
    en90 = _section(docs["CN-REG-EIT-2007-EN"], "Article 90")
    assert "500万元" in zh90 and "减半" in zh90
    assert "RMB 5 million" in en90 and "half" in en90
    assert "第二十七条" in docs["CN-LAW-EIT-2007-ZH"].sections[1].ref
    assert "非独占" in _section(docs["CN-MOF-CAISHUI-2015-116-ZH"], "第二项")
    assert "5 years or more" in _section(docs["CN-MOF-CAISHUI-2015-116-EN"], "Item 2")
    assert "RMB 5 million" in _section(docs["CN-MOF-CAISHUI-2015-116-EN"], "Item 2")


def test_royalty_note_and_platform_rules_are_labelled_samples(parsed: list[ParsedFile]) -> None:
    docs = _by_id(parsed)
    note_en = " ".join(s.text for s in docs["SAMPLE-NOTE-ROYALTY-PRACTICE-EN"].sections)
    assert "two-thirds" in note_en and "5%" in note_en and "10%" in note_en
    assert docs["SAMPLE-NOTE-ROYALTY-PRACTICE-EN"].issuer == "chengguo sample alliance (sample)"
    platform = [p.doc for p in parsed if p.doc.id.startswith("SAMPLE-PLATFORM-")]
    assert len(platform) >= 8
    for doc in platform:
        marker = "样例" if doc.lang == "zh" else "SAMPLE"
        assert marker in doc.title and ("样例" in doc.issuer or "Sample" in doc.issuer), doc.id
    booking = _section(docs["SAMPLE-PLATFORM-BOOKING-EN"], "Rule 4.2")
    assert "7 days" in booking
    assert "7天" in _section(docs["SAMPLE-PLATFORM-BOOKING-ZH"], "第4.2条")


def test_readme_lists_every_document() -> None:
    readme = (POLICY_DIR / "README.md").read_text(encoding="utf-8")
    for path in _files():
        assert path.name in readme, f"README.md does not list {path.name}"
    assert "not official" in readme.lower() and "fictional" in readme.lower()
