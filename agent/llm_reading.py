"""The contract between a chat model and the planner: the model fills the same typed reading the builtin
language layer produces — jobs (the 14 labels of agent/builtin/intents.py) and slots in the corpus schema
(agent/understanding/corpus.CorpusSlots) — and code builds the plan from it.

Why a reading and not a plan: small local models (Qwen2.5-Coder-1.5B on 2 cores) cannot fit twelve tools'
docstrings and argument schemas in their window, copy docstring examples into calls, and add steps nobody
asked for. A reading is a few dozen tokens, its schema fits a grammar, and everything after it (which
tools, which arguments, approvals, the answer) is the builtin planner's tested code.

This module is pure: the schema, the (static, cacheable) system prompt, the per-turn user prompt and the
parsing. Calling the model lives in agent/llm_call.py, merging with the builtin reading in agent/llm_merge.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.builtin.intents import INTENTS, IntentName
from agent.frame import Frame
from agent.understanding.corpus import CorpusSlots


class ModelReading(BaseModel):
    """What the model returns for one message."""

    model_config = ConfigDict(extra="ignore")

    jobs: list[IntentName] = Field(default_factory=list)
    slots: CorpusSlots = Field(default_factory=CorpusSlots)


class ReadingError(ValueError):
    """The model's text is not a valid reading (the message says why, for the log and the fallback line)."""


# Caps that keep a looping model inside a few hundred tokens even when the server ignores max_tokens.
MAX_ITEMS = 4
MAX_STRING = 80


def _cap(node: Any) -> Any:
    """The schema with every array and string bounded: a constrained decoder cannot loop inside them."""
    if isinstance(node, dict):
        out = {k: _cap(v) for k, v in node.items()}
        if out.get("type") == "array":
            out.setdefault("maxItems", MAX_ITEMS)
        if out.get("type") == "string" and "enum" not in out and "format" not in out:
            out.setdefault("maxLength", MAX_STRING)
        out.pop("title", None)
        out.pop("default", None)
        return out
    if isinstance(node, list):
        return [_cap(v) for v in node]
    return node


def reading_schema() -> dict[str, Any]:
    """The JSON schema of a reading (llama.cpp turns it into a grammar; OpenAI uses it as structured output).

    `jobs` is a unique, bounded array of the 14 labels; slots are the corpus schema with bounded arrays and
    strings. It is not in the prompt (it would cost ~1,500 tokens): the prompt lists jobs and slots in words.
    """
    schema = _cap(ModelReading.model_json_schema())
    schema["properties"]["jobs"]["uniqueItems"] = True
    return schema


_JOBS = """\
- find_partners: organisations, companies or investors to license, buy, fund or develop an achievement
- find_achievements: achievements/technologies that meet a company's stated need
- search_achievements: search stored achievements by topic, domain, TRL
- find_facilities: find pilot lines, testbeds, labs, demonstration sites
- check_availability: free dates/windows at a facility
- hold_slot: hold, book, reserve a facility slot
- release_hold: release or cancel a hold
- confirm_booking: confirm a hold
- list_bookings: list the user's holds/bookings
- draft_term_sheet: draft a deal, term sheet, licence, agreement; check a concrete deal
- policy: laws, rules, tax, incentives, inventor rewards, procedures
- get_record: details of one named record
- help: greetings, what can you do
- thanks: thanks, goodbye"""

_SLOTS = """\
achievements / organisations / facilities: [{"id": "ACH-…"|"ORG-…"|"FAC-…" only if written, else null, "mention": the user's exact words}]
dates: {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"} (relative to today; prefer future)
duration_days, term_years, trl_min, trl_max: numbers
money: [{"value": CNY number (500万 = 5000000), "role": price|budget|upfront|minimum_royalty|funding|appraised_value|investment|revenue|other}]
percents: [{"value": 5, "role": royalty|inventor_share|equity|ip_share|incentive_total|incentive_person|dividend_pool|other}]
deal_type: exclusive_license|nonexclusive_license|assignment|equity_investment|joint_development
region: ["Jiangsu", "Guangdong", …] (English province names)
org_kind: [university|institute|soe|private|investor]
enterprise_size: large|medium|small
domain: [new_energy|ccus|hydrogen|grid_storage|new_materials|integrated_circuits|ai_digital|telecom|aerospace|rail_transit|marine|biomedicine|advanced_manufacturing|petrochemicals]
reference: {"ordinal": 2, "kind": achievement|organisation|facility|window|booking} ("the second one", "第二家"; ordinal null for "it/that")
booking_ref: "BK-…\""""

_EXAMPLES = """\
Today 2026-12-05. Message: 帮我把FAC-0001 1月18号开始占两周
{"jobs":["hold_slot"],"slots":{"facilities":[{"id":"FAC-0001","mention":"FAC-0001"}],"dates":{"start":"2027-01-18","end":"2027-02-01"},"duration_days":14}}
Today 2026-12-05. Message: any hydrogen storage tech at TRL 7+? who in Jiangsu might license it?
{"jobs":["search_achievements","find_partners"],"slots":{"domain":["hydrogen"],"trl_min":7,"region":["Jiangsu"]}}"""


def system_prompt() -> str:
    """The system prompt: identical for every call and language, so a llama.cpp server prefills it once
    (prompt cache) and only the short per-turn part is processed on later calls."""
    return (
        "You read a user's message to a technology-transfer assistant (Chinese or English) and return only "
        'a JSON object {"jobs": [...], "slots": {...}}.\n'
        "Jobs, in the order the user asks (usually one, at most 4):\n"
        f"{_JOBS}\n"
        "Slots: fill only what the message states; omit the rest; never copy example values; never guess ids.\n"
        f"{_SLOTS}\n"
        'A follow-up without a job of its own ("what about April?", "改成两周", "the second one") keeps the '
        "jobs of the context.\n"
        f"Examples:\n{_EXAMPLES}"
    )


def user_prompt(
    text: str, today: str, frame: Frame | None, previous: list[str], *, short: bool = False
) -> str:
    """The per-turn part: today, the dialogue frame (jobs, pending question), earlier user messages, the message.

    `short` (a retry) drops the context: a fresh, shorter prompt instead of the bad output plus an error.
    """
    lines = [f"Today {today}."]
    if not short:
        if frame is not None and frame.jobs:
            lines.append(f"Context: previous jobs {json.dumps(frame.jobs)}")
            if frame.pending is not None:
                lines.append(f"We asked the user for: {frame.pending.slot}")
        for p in previous:
            lines.append(f"Earlier message: {p}")
    lines.append(f"Message: {text}")
    return " ".join(lines[:1]) + "\n" + "\n".join(lines[1:])


_FENCE = re.compile(r"```(?:json)?\s*(\{.*?\})\s*```", re.S)


def _json_text(text: str) -> str:
    m = _FENCE.search(text)
    if m:
        return m.group(1)
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


def parse_reading(text: str) -> ModelReading:
    """The reading in the model's reply (fenced or bare JSON); ReadingError says what was wrong."""
    try:
        data = json.loads(_json_text(text))
    except json.JSONDecodeError as exc:
        raise ReadingError(f"not JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ReadingError("not a JSON object")
    if isinstance(data.get("jobs"), list):
        # Tolerate unknown labels a model invents ("search"): drop them instead of failing the turn.
        data["jobs"] = [j for j in dict.fromkeys(data["jobs"]) if j in INTENTS]
    slots = data.get("slots")
    if isinstance(slots, dict):
        data["slots"] = {k: v for k, v in slots.items() if v not in (None, [], {}, "")}
    try:
        return ModelReading.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])
        raise ReadingError(f"invalid reading: {where}") from None
