"""The reply language is that of the user's own words, not of the record names they quote."""

from __future__ import annotations

import pytest

from agent.builtin.planner import BuiltinPlanner
from agent.language import message_lang, names_matter, own_words
from agent.runtime import Agent
from knowledge.config import Settings
from tests.agent import fakes
from tests.agent.conftest import TODAY


def _span(text: str, name: str) -> tuple[int, int]:
    i = text.index(name)
    return (i, i + len(name))


@pytest.mark.parametrize(
    ("text", "name", "lang"),
    [
        ("Tell me about 凌峰智能制造研究院 — what facilities do they run?", "凌峰智能制造研究院", "en"),
        ("who runs 华东先进材料中试基地?", "华东先进材料中试基地", "en"),
        (
            "介绍一下 Lingfeng Advanced Manufacturing Research Institute 的设施",
            "Lingfeng Advanced Manufacturing Research Institute",
            "zh",
        ),
        ("Qinglan Energy Ventures 投了哪些成果", "Qinglan Energy Ventures", "zh"),
    ],
)
def test_record_names_do_not_decide_the_language(text: str, name: str, lang: str) -> None:
    assert message_lang(text, None, [_span(text, name)]) == lang
    assert name not in own_words(text, [_span(text, name)])


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Who would license “硫化物固态电解质规模化制备技术”?", "en"),
        ("find partners for 「高镍三元正极材料」 please", "en"),
        ("谁会许可“Solid-State Electrolyte Film for Fast-Charging Cells”？", "zh"),
        ("查一下《Guidelines on Technology Transfer Income》里的规定", "zh"),
        ("see https://example.org/成果/介绍 and ACH-0001", "en"),
    ],
)
def test_quotes_ids_and_urls_do_not_decide_the_language(text: str, lang: str) -> None:
    assert message_lang(text) == lang


def test_a_message_with_no_words_of_its_own() -> None:
    name = "凌峰智能制造研究院"
    assert message_lang(name, "en", [(0, len(name))]) == "en"  # keeps the conversation's language
    assert message_lang(name, None, [(0, len(name))]) == "zh"  # or is read as written
    assert message_lang("ACH-0010", "zh") == "zh"
    assert message_lang("我们的预订", "en") == "zh"  # words of its own switch
    assert message_lang("？？") == "zh" and message_lang("??") == "en"  # a Chinese keyboard's marks


def test_the_builtin_planner_knows_where_records_are_named() -> None:
    planner = BuiltinPlanner(names=lambda: [("凌峰智能制造研究院", "ORG-0110")])
    text = "Tell me about 凌峰智能制造研究院 — what facilities do they run?"
    assert planner.named_spans(text) == [_span(text, "凌峰智能制造研究院")]
    broken = BuiltinPlanner(names=lambda: (_ for _ in ()).throw(OSError("no kb")))
    assert broken.named_spans(text) == []


class _NamingPlanner(fakes.ScriptedPlanner):
    def named_spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        for name in ("凌峰智能制造研究院", "Lingfeng Advanced Manufacturing Research Institute"):
            if name in text:
                out.append(_span(text, name))
        return out


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tell me about 凌峰智能制造研究院 — what facilities do they run?", "en"),
        ("介绍一下 Lingfeng Advanced Manufacturing Research Institute 的设施", "zh"),
    ],
)
def test_the_turn_is_answered_in_the_users_language(settings: Settings, text: str, lang: str) -> None:
    agent = Agent(settings, planner=_NamingPlanner(), today=TODAY)
    try:
        events = list(agent.stream("t-lang", text))
    finally:
        agent.close()
    assert next(e for e in events if e.event == "message").data["lang"] == lang


def test_names_are_looked_up_only_when_the_message_mixes_languages() -> None:
    assert names_matter("Tell me about 凌峰智能制造研究院 — what facilities do they run?")
    assert not names_matter("你好") and not names_matter("hello there")
    assert not names_matter("ACH-0001 的合作方")  # an id is not a word
    assert not names_matter("查ACH-0001的合作方") and message_lang("查ACH-0001的合作方") == "zh"
    assert message_lang("查FAC-0063的档期，3周") == "zh"
    assert not names_matter("find partners for “硫化物固态电解质”")  # nor is a quotation
