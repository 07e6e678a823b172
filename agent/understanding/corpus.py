"""The labelled utterance corpus: the schema of one item (the writers' brief, field for field), a strict
loader that names file:line:field for a bad line, the stable train/dev split, and `sync`, which copies the
writers' training pool into the package.

The frozen test split (`corpus/test.jsonl`) is read only by the bench (`--split test`); nothing in training or
tuning opens it (`load_split` refuses "test" unless asked by the bench).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agent.builtin.intents import IntentName
from knowledge.domains import DomainId

CORPUS_DIR = Path(__file__).parent / "corpus"
TRAIN_DIR = CORPUS_DIR / "train"
TEST_FILE = CORPUS_DIR / "test.jsonl"
DEV_SHARE = 0.15
SEED = "chengguo-dev-1"

# The corpus's domain ids are the knowledge base's own.
Domain = DomainId


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecordMention(_Strict):
    id: str | None
    mention: str


class DateWindow(_Strict):
    start: date
    end: date


class Money(_Strict):
    value: float
    role: Literal[
        "price",
        "budget",
        "upfront",
        "minimum_royalty",
        "funding",
        "appraised_value",
        "investment",
        "revenue",
        "other",
    ]


class Percent(_Strict):
    value: float
    role: Literal[
        "royalty",
        "inventor_share",
        "equity",
        "ip_share",
        "incentive_total",
        "incentive_person",
        "dividend_pool",
        "other",
    ]


class Reference(_Strict):
    ordinal: int | None = None
    kind: Literal["achievement", "organisation", "facility", "window", "booking"] | None = None


class CorpusSlots(_Strict):
    achievements: list[RecordMention] = Field(default_factory=list)
    organisations: list[RecordMention] = Field(default_factory=list)
    facilities: list[RecordMention] = Field(default_factory=list)
    dates: DateWindow | None = None
    duration_days: float | None = None
    money: list[Money] = Field(default_factory=list)
    percents: list[Percent] = Field(default_factory=list)
    deal_type: (
        Literal[
            "exclusive_license",
            "nonexclusive_license",
            "assignment",
            "equity_investment",
            "joint_development",
        ]
        | None
    ) = None
    term_years: float | None = None
    region: list[str] = Field(default_factory=list)
    org_kind: list[Literal["university", "institute", "soe", "private", "investor"]] = Field(
        default_factory=list
    )
    enterprise_size: Literal["large", "medium", "small"] | None = None
    domain: list[Domain] = Field(default_factory=list)
    trl_min: float | None = None
    trl_max: float | None = None
    reference: Reference | None = None
    booking_ref: str | None = None


class Turn(_Strict):
    user: str
    intents: list[IntentName]


class CorpusItem(_Strict):
    """One labelled message (the writers' brief: /work/corpus/BRIEF.md)."""

    id: str = Field(min_length=1)
    lang: Literal["zh", "en"]
    text: str = Field(min_length=1)
    context: list[Turn] = Field(default_factory=list)
    intents: list[IntentName]
    slots: CorpusSlots = Field(default_factory=CorpusSlots)

    @model_validator(mode="after")
    def _mentions_in_text(self) -> CorpusItem:
        # A mention is the user's own words: the entity linker is scored on finding exactly them.
        for key in ("achievements", "organisations", "facilities"):
            for i, ref in enumerate(getattr(self.slots, key)):
                if ref.mention not in self.text:
                    raise ValueError(f"slots.{key}.{i}.mention {ref.mention!r} is not in the text")
        return self

    @property
    def prev_intents(self) -> list[str]:
        """The jobs of the turn just before this message ([] for a first message)."""
        return list(self.context[-1].intents) if self.context else []


class CorpusError(ValueError):
    """Bad lines of a corpus file, each as `file:line: field: problem`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _field(loc: Sequence[int | str]) -> str:
    return ".".join(str(p) for p in loc) or "(item)"


def parse_line(raw: str, where: str) -> CorpusItem:
    """One JSONL line -> item; a problem raises CorpusError naming `where` (file:line) and the field."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise CorpusError([f"{where}: (json): {e.msg} at column {e.colno}"]) from None
    if not isinstance(data, dict):
        raise CorpusError([f"{where}: (item): expected a JSON object"])
    try:
        return CorpusItem.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {_field(err['loc'])}: {msg}")
        raise CorpusError(problems) from None


def read_jsonl(path: Path, *, strict: bool = True) -> tuple[list[CorpusItem], list[str]]:
    """Items of one file and its problems. Strict: any problem raises (a file is never half-loaded)."""
    items: list[CorpusItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            item = parse_line(raw, where)
        except CorpusError as e:
            problems.extend(e.problems)
            continue
        if item.id in seen:
            problems.append(f"{where}: id: {item.id!r} repeats line {seen[item.id]}")
            continue
        seen[item.id] = n
        items.append(item)
    if strict and problems:
        raise CorpusError(problems)
    return items, problems


def load_train_pool(folder: Path = TRAIN_DIR) -> list[CorpusItem]:
    """Every item of the training pool (train + dev), in file order."""
    items: list[CorpusItem] = []
    for path in sorted(folder.glob("*.jsonl")):
        items.extend(read_jsonl(path)[0])
    return items


def is_blind(item: CorpusItem) -> bool:
    """Written blind (W… ids) rather than a seed phrasing from the project's own QA findings (S-…)."""
    return not item.id.startswith("S-")


def intent_key(intents: Iterable[str]) -> str:
    return "+".join(sorted(intents)) or "-"


def _rank(item_id: str) -> str:
    return hashlib.sha1(f"{SEED}|{item_id}".encode()).hexdigest()


def split_pool(
    items: Sequence[CorpusItem], share: float = DEV_SHARE
) -> tuple[list[CorpusItem], list[CorpusItem]]:
    """(train, dev): stratified by the set of jobs, each stratum ordered by a seeded hash of the id, so the
    split does not depend on file order and an item keeps its side as the pool grows (mostly)."""
    groups: dict[str, list[CorpusItem]] = defaultdict(list)
    for it in items:
        if is_blind(it):  # dev measures what blind writers wrote: the project's own seed phrasings train only
            groups[intent_key(it.intents)].append(it)
    dev_ids: set[str] = set()
    for members in groups.values():
        members = sorted(members, key=lambda it: _rank(it.id))
        n_dev = int(len(members) * share + 0.5) if len(members) >= 3 else 0
        dev_ids.update(it.id for it in members[:n_dev])
    return [it for it in items if it.id not in dev_ids], [it for it in items if it.id in dev_ids]


def load_split(name: Literal["train", "dev", "test"], *, allow_test: bool = False) -> list[CorpusItem]:
    """One split. The test split is only for the bench's final numbers: tuning code must not pass allow_test."""
    if name == "test":
        if not allow_test:
            raise PermissionError(
                "the test split is frozen: only bench/understanding.py --split test reads it"
            )
        return read_jsonl(TEST_FILE)[0]
    train, dev = split_pool(load_train_pool())
    return train if name == "train" else dev


def sync(sources: Sequence[Path], dest: Path = TRAIN_DIR) -> list[str]:
    """Copy the writers' training files into the package, keeping only lines that pass the schema; returns
    the problems (file:line: field: ...) of the lines left out."""
    dest.mkdir(parents=True, exist_ok=True)
    report: list[str] = []
    for src in sources:
        kept: list[str] = []
        seen: set[str] = set()
        for n, raw in enumerate(src.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                item = parse_line(raw, f"{src.name}:{n}")
            except CorpusError as e:
                report.extend(e.problems)
                continue
            if item.id in seen:
                report.append(f"{src.name}:{n}: id: {item.id!r} repeats an earlier line")
                continue
            seen.add(item.id)
            kept.append(raw.strip())  # verbatim: the writers' file, minus its bad lines
        (dest / src.name).write_text("".join(f"{ln}\n" for ln in kept), encoding="utf-8")
    return report


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(
        description="Copy the writers' training pool into agent/understanding/corpus/train."
    )
    ap.add_argument(
        "files", nargs="+", type=Path, help="training files (W1.jsonl ...); never the test writer's"
    )
    args = ap.parse_args(argv)
    problems = sync(args.files)
    for p in problems:
        print(p)
    train, dev = split_pool(load_train_pool())
    print(
        f"pool: {len(train) + len(dev)} items ({len(train)} train, {len(dev)} dev); {len(problems)} lines left out"
    )


if __name__ == "__main__":
    main()
