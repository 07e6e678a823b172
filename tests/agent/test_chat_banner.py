"""The chat's welcome banner and the "plan updated" line (pure functions behind `chengguo chat`)."""

from __future__ import annotations

from agent.cli import banner_lines, plan_changes


def test_banner_in_chinese_lists_planner_counts_and_thread() -> None:
    lines = banner_lines(
        version="0.1.0",
        model="builtin",
        data_dir="/d",
        thread_id="abc123def456",
        resumed_messages=None,
        lang="zh",
        counts={"achievement": 412, "organisation": 160, "facility": 67, "policy": 40},
    )
    text = "\n".join(lines)
    assert len(lines) == 5
    assert "v0.1.0" in lines[0] and "内置规则" in lines[1] and "/d" in lines[1]
    assert "412 项成果 · 160 家机构 · 67 个设施 · 40 份政策" in text
    assert "abc123def456 (新会话)" in text and "Planner" not in text


def test_banner_resumed_in_english_without_counts_escapes_markup() -> None:
    lines = banner_lines(
        version="dev",
        model="openai:[bold]x",
        data_dir="/d",
        thread_id="t1",
        resumed_messages=6,
        lang="en",
        counts=None,
    )
    assert len(lines) == 4  # no counts line when the knowledge base is not open yet
    assert "openai:\\[bold]x" in lines[1]  # a model name is text, not rich markup
    assert "t1 (resumed, 6 messages)" in lines[2]


def test_banner_in_both_languages_when_none_is_chosen() -> None:
    lines = banner_lines(
        version="1",
        model="builtin",
        data_dir="/d",
        thread_id="t",
        resumed_messages=None,
        lang=None,
        counts={"achievement": 1, "organisation": 2, "facility": 3, "policy": 4},
    )
    assert "Planner / 规划器" in lines[1] and "1 achievements/成果" in lines[2] and "new / 新会话" in lines[3]


def test_plan_changes_ignores_filled_in_steps_and_lists_new_ones() -> None:
    first = [
        {"id": "s1", "tool": "check_availability", "summary": "Check"},
        {"id": "s2", "tool": "hold_slot", "summary": "Hold …"},
    ]
    refilled = [{"id": "s2", "tool": "hold_slot", "summary": "Hold FAC-0001 from 2027-03-01"}]
    assert plan_changes(first, refilled) == []
    widened = [*refilled, {"id": "s3", "tool": "find_facilities", "summary": "Find other facilities"}]
    assert plan_changes(first, widened) == ["Find other facilities"]
    assert plan_changes(first, [{"id": "s2", "tool": "draft_term_sheet", "summary": "Draft"}]) == ["Draft"]
