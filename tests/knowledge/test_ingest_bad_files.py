"""Realistic bad input files (QA round 2): each error names file, line and field clearly."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from knowledge.record_parse import parse_file

HEADER = "id,title,summary,domain,keywords,trl,owner_id,ip,transfer_modes,asking_price_cny,region"
ROW = "ACH-Q001,石墨烯铝基复合材料,粉末冶金制备,new_materials,石墨烯;铝,6,ORG-0001,,license,,Zhejiang"


def _texts(parsed: object) -> list[str]:
    return [str(e) for e in parsed.errors]  # type: ignore[attr-defined]


def test_cross_field_error_names_the_field_not_record(tmp_path: Path) -> None:
    f = tmp_path / "bookings.csv"
    f.write_text(
        "facility_id,start,end,status,holder,reference\nFAC-0001,2026-12-10,2026-12-09,held,X,BK-Q1\n",
        encoding="utf-8",
    )
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "id,name,kind,region,investment_min_cny,investment_max_cny\nORG-Q1,Fund,investor,Jiangsu,50000000,1000000\n",
        encoding="utf-8",
    )
    assert _texts(parse_file(f)) == [f"{f}:2: end: end must be after start (end is exclusive)"]
    assert _texts(parse_file(orgs)) == [
        f"{orgs}:2: investment_min_cny: investment_min_cny is greater than investment_max_cny"
    ]


def test_semicolon_separated_csv_gets_one_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "achievements.csv"
    f.write_text(HEADER.replace(",", ";") + "\n" + ROW.replace(",", ";") + "\n", encoding="utf-8")
    errors = parse_file(f).errors
    assert len(errors) == 1
    assert (errors[0].line, errors[0].field) == (1, "header")
    assert "comma-separated" in errors[0].message


def test_tab_separated_utf16_excel_export_is_read(tmp_path: Path) -> None:
    f = tmp_path / "export.csv"
    f.write_text(HEADER.replace(",", "\t") + "\n" + ROW.replace(",", "\t") + "\n", encoding="utf-16")
    assert f.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    parsed = parse_file(f)
    assert parsed.errors == []
    assert parsed.kind == "achievement"
    ((_, item),) = parsed.items
    assert item.keywords == ["石墨烯", "铝"]


def test_gbk_file_error_names_the_line_and_the_fix(tmp_path: Path) -> None:
    f = tmp_path / "achievements.csv"
    f.write_bytes((HEADER + "\n" + ROW + "\n").encode("gbk"))
    (err,) = parse_file(f).errors
    assert (err.line, err.field) == (2, "file")
    assert "GBK" in err.message and "UTF-8" in err.message


def test_empty_and_header_only_files_are_errors(tmp_path: Path) -> None:
    empty = tmp_path / "achievements.jsonl"
    empty.write_text("", encoding="utf-8")
    header_only = tmp_path / "mine.csv"
    header_only.write_text(HEADER + "\n", encoding="utf-8")
    (e1,) = parse_file(empty).errors
    assert (e1.field, e1.message) == ("file", "the file is empty: no records")
    parsed = parse_file(header_only)
    # The kind comes from the header's columns; the file still has nothing to load.
    assert parsed.kind == "achievement"
    (e2,) = parsed.errors
    assert (e2.line, e2.field, e2.message) == (2, "file", "no records (only a header row)")


def test_chinese_headers_get_a_hint_about_field_names(tmp_path: Path) -> None:
    f = tmp_path / "data.csv"
    f.write_text("编号,标题,摘要\nACH-Q1,标题,摘要\n", encoding="utf-8")
    # The id prefix is not in a known column, so the kind cannot be told; the message says why.
    (err,) = parse_file(f).errors
    assert err.field == "kind"
    assert "English names" in err.message


def test_grouped_thousands_in_money_cells(tmp_path: Path) -> None:
    f = tmp_path / "achievements.csv"
    f.write_text(HEADER + "\n" + ROW.replace(",,Zhejiang", ',"1,200,000",Zhejiang') + "\n", encoding="utf-8")
    parsed = parse_file(f)
    assert parsed.errors == []
    assert parsed.items[0][1].asking_price_cny == 1_200_000
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n" + ROW.replace(",,Zhejiang", ',"1,20,0",Zhejiang') + "\n", encoding="utf-8")
    (err,) = parse_file(bad).errors
    assert (err.line, err.field) == (2, "asking_price_cny")


def test_oversized_csv_cell_names_its_line(tmp_path: Path) -> None:
    f = tmp_path / "achievements.csv"
    f.write_text(
        HEADER + "\n" + ROW + "\n" + ROW.replace("粉末冶金制备", "x" * 200_000).replace("Q001", "Q002") + "\n"
    )
    (err,) = parse_file(f).errors
    assert (err.line, err.field) == (3, "file")
    assert "longer than 131,072 characters" in err.message


def test_directory_and_kind_mismatch(tmp_path: Path) -> None:
    d = tmp_path / "exports"
    d.mkdir()
    (err,) = parse_file(d).errors
    assert "is a directory" in err.message
    jsonl = tmp_path / "achievements.jsonl"
    jsonl.write_text('{"id": "ACH-1"}\n', encoding="utf-8")
    (err,) = parse_file(jsonl, kind="policy").errors
    assert err.field == "kind" and ".md, .txt or .pdf" in err.message
    md = tmp_path / "policy.md"
    md.write_text("---\nid: X\n---\n", encoding="utf-8")
    (err,) = parse_file(md, kind="achievement").errors
    assert err.field == "kind" and "policy documents" in err.message


def test_broken_pdf_logs_no_pypdf_noise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    f = tmp_path / "rules.pdf"
    f.write_bytes(b"garbage, not a PDF\n")
    with caplog.at_level("WARNING"):
        (err,) = parse_file(f).errors
    assert err.message.startswith("cannot read PDF")
    assert [r for r in caplog.records if r.name.startswith("pypdf")] == []


def test_jsonl_syntax_error_does_not_hide_the_other_rows_errors(tmp_path: Path) -> None:
    # Regression guard for the CSV layout early-return: JSONL has no header, its rows still validate.
    f = tmp_path / "achievements.jsonl"
    f.write_text(
        '{"id": "ACH-Q1", "title": \n'
        '{"id": "ACH-Q2", "title": "t", "summary": "s", "domain": "quantum", "trl": 5, "owner_id": "ORG-1", "region": "Jiangsu"}\n',
        encoding="utf-8",
    )
    assert [(e.line, e.field) for e in parse_file(f).errors] == [(1, "json"), (2, "domain")]


@pytest.mark.parametrize(
    ("cells", "field", "zh"),
    [
        ({"trl": "12"}, "trl", "应≤ 9"),
        ({"trl": "six"}, "trl", "应为整数"),
        ({"domain": "alchemy"}, "domain", "取值应为："),
        ({"title": ""}, "title", None),  # whatever pydantic says, the line and field are named
    ],
)
def test_row_errors_carry_a_chinese_message(
    tmp_path: Path, cells: dict[str, str], field: str, zh: str | None
) -> None:
    names = HEADER.split(",")
    values = dict(zip(names, ROW.split(","), strict=True)) | cells
    f = tmp_path / "achievements.csv"
    f.write_text(HEADER + "\n" + ",".join(values[n] for n in names) + "\n", encoding="utf-8")
    errors = [e for e in parse_file(f).errors if e.field == field]
    assert errors and errors[0].line == 2
    if zh is not None:
        assert errors[0].zh is not None and errors[0].zh.startswith(zh)
        assert str(errors[0]).endswith(" / " + errors[0].zh)


def test_missing_and_unknown_fields_and_duplicates_are_glossed(tmp_path: Path) -> None:
    f = tmp_path / "achievements.jsonl"
    good = '{"id": "ACH-Q1", "title": "t", "summary": "s", "domain": "hydrogen", "trl": 5, "owner_id": "ORG-0001", "region": "Jiangsu"}'
    f.write_text(
        good
        + "\n"
        + good
        + "\n"
        + '{"id": "ACH-Q2", "title": "t", "domain": "hydrogen", "trl": 5, "owner_id": "ORG-0001", "region": "Jiangsu", "colour": 1}\n',
        encoding="utf-8",
    )
    by_field = {(e.line, e.field): e for e in parse_file(f).errors}
    assert by_field[(2, "id")].zh == "id 重复（首次出现在第 1 行）"
    assert by_field[(3, "summary")].zh == "缺少必填字段"
    assert by_field[(3, "colour")].zh == "未知字段"
