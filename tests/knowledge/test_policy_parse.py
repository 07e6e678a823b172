from __future__ import annotations

from pathlib import Path

from knowledge.policy_parse import parse_markdown, parse_policy_file, parse_text, split_ref

MD = """---
id: TEST-LAW-1
title: Test law on transformation
issuer: Test Congress
year: 2015
jurisdiction: CN
---
# Test law on transformation

Intro paragraph before any article.

## Article 44 — Unit methods
The unit sets the method and must publish it.

## Article 45: Inventor rewards
Transfer or licence: at least 50% of net income.

### Note
Sub-headings stay inside their article.
"""


def test_split_ref_variants() -> None:
    assert split_ref("Article 45 — Rewards") == ("Article 45", "Rewards")
    assert split_ref("第四十五条 科技成果完成人奖励") == ("第四十五条", "科技成果完成人奖励")
    assert split_ref("Art. 90: tax") == ("Art. 90", "tax")
    assert split_ref("Scope") == ("Scope", "")


def test_markdown_sections() -> None:
    res = parse_markdown(MD)
    assert res.errors == []
    doc = res.document
    assert doc is not None and doc.id == "TEST-LAW-1" and doc.lang == "en" and doc.year == 2015
    refs = [(s.ref, s.heading) for s in doc.sections]
    assert refs == [("Preamble", ""), ("Article 44", "Unit methods"), ("Article 45", "Inventor rewards")]
    assert "Sub-headings stay" in doc.sections[2].text


def test_markdown_errors_name_the_field_and_line() -> None:
    bad = MD.replace("issuer: Test Congress\n", "").replace("year: 2015", "year: 2015\nsector: energy")
    res = parse_markdown(bad)
    assert res.document is None
    got = {(field, line) for line, field, _ in res.errors}
    assert ("issuer", 1) in got
    assert ("sector", 5) in got  # unknown front-matter field, on its own line
    empty = parse_markdown("---\nid: X\ntitle: T\nissuer: I\nyear: 2020\njurisdiction: CN\n---\nno headings")
    assert empty.document is not None and empty.document.sections[0].ref == "Preamble"
    none = parse_markdown("---\nid: X\ntitle: T\nissuer: I\nyear: 2020\njurisdiction: CN\n---\n")
    assert [f for _, f, _ in none.errors] == ["sections"]


def test_text_policy_split_on_articles(tmp_path: Path) -> None:
    text = (
        "---\nid: ZH-1\ntitle: 测试办法\nissuer: 测试部\nyear: 2016\njurisdiction: CN\n---\n"
        "为规范管理，制定本办法。\n第一条 总则\n本办法适用于国有科技型企业。\n第二条\n激励总额不超过企业总股本的百分之五。\n"
    )
    res = parse_text(text)
    assert res.errors == []
    doc = res.document
    assert doc is not None and doc.lang == "zh"
    assert [s.ref for s in doc.sections] == ["序言", "第一条", "第二条"]
    assert doc.sections[1].heading == "总则"
    assert "百分之五" in doc.sections[2].text


def test_pdf_policy_with_sidecar(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "eit-notice.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    y = 800
    for line in [
        "Notice on technology transfer income",
        "Article 1",
        "Technology transfer income up to RMB 5 million a year is exempt.",
        "Article 2",
        "Non-exclusive licences of five years or more qualify.",
    ]:
        c.drawString(72, y, line)
        y -= 20
    c.showPage()
    c.save()
    missing = parse_policy_file(pdf)
    assert missing.document is None
    assert {f for _, f, _ in missing.errors} >= {"issuer", "year", "jurisdiction"}

    (tmp_path / "eit-notice.pdf.meta.yaml").write_text(
        "id: EIT-NOTICE\ntitle: EIT notice\nissuer: MOF\nyear: 2015\njurisdiction: CN\n", encoding="utf-8"
    )
    res = parse_policy_file(pdf)
    assert res.errors == []
    doc = res.document
    assert doc is not None and doc.id == "EIT-NOTICE"
    refs = [s.ref for s in doc.sections]
    assert refs[-2:] == ["Article 1", "Article 2"]
    assert "RMB 5 million" in doc.sections[-2].text
