"""The last word on a message's jobs: a small model over everything the reading found.

The reading (agent/understanding/reading.py) and the planner's rules after it each look at one thing: a job's
probability, a part of the message, a record named, a figure given. Where they meet they were settled by
hand-tuned floors and margins, one measured decision at a time. The decision model learns that meeting
instead, from blind writers the classifier never saw: its input is the job set the pipeline chose, each
job's re-centred probability on the whole message and on its best part, the trigger rules' jobs, the
previous turn's jobs, the runner-up reading, and what the slots and the linker found (ids and named records by
kind, dates, money, shares, deal type, regions, pointers); its output is each job's probability of being
asked for. It only speaks on a message that opens a conversation (`applies`), and changes the pipeline's set
only where it is past even by its `margin`. It is an average of a few one-hidden-layer networks, run in numpy (`decide.npz`); training
(`python -m agent.understanding.train_decide`) needs scikit-learn.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from agent.builtin.intents import INTENTS
from agent.understanding.combine import canonical

if TYPE_CHECKING:
    from agent.builtin.planner import Understanding

ARTIFACT = Path(__file__).parent / "decide.npz"

_SMALL_TALK = {"help", "thanks"}
_QUESTION = re.compile(r"[?？吗呢么嘛]")
_ZH = re.compile(r"[\u4e00-\u9fff]")


def _onehot(jobs: Sequence[str]) -> list[float]:
    chosen = set(jobs)
    return [1.0 if lab in chosen else 0.0 for lab in INTENTS]


def _per_job(values: dict[str, float]) -> list[float]:
    return [float(values.get(lab, 0.0)) for lab in INTENTS]


def features(
    u: Understanding, jobs: Sequence[str], asked: bool, prev_jobs: Sequence[str], has_context: bool
) -> list[float]:
    """The decision model's input for one understood message: `jobs` is the set the pipeline chose (empty
    when it `asked` which of two readings was meant)."""
    r = u.reading
    s = u.slots
    ids = s.record_ids
    kinds = [link.kind for link in u.links]
    text = u.text
    return [
        *_onehot(jobs),
        *(_per_job(r.whole) if r else [0.0] * len(INTENTS)),
        *(_per_job(r.part) if r else [0.0] * len(INTENTS)),
        *_onehot(r.regex if r else []),
        *_onehot(prev_jobs),
        *_onehot((r.best or []) if r else []),
        *_onehot((r.alternative or []) if r else []),
        float(has_context),
        float(asked),
        float(bool(r and r.guessed)),
        float(bool(r and r.unsure)),
        float(r.confidence if r else 0.0),
        float(u.carried),
        float(u.follow_up),
        float(u.redraft is not None),
        float(r.n_parts if r else 0),
        math.log1p(len(text)),
        float(bool(_QUESTION.search(text))),
        len(_ZH.findall(text)) / max(1, len(text)),
        float(sum(i.startswith("ACH") for i in ids)),
        float(sum(i.startswith("ORG") for i in ids)),
        float(sum(i.startswith("FAC") for i in ids)),
        float(sum(k == "achievement" for k in kinds)),
        float(sum(k == "organisation" for k in kinds)),
        float(sum(k == "facility" for k in kinds)),
        float(any(not link.certain for link in u.links)),
        float(s.dates is not None),
        float(s.duration_days is not None),
        float(len(s.money)),
        float(len(s.percentages)),
        float(s.deal_type is not None),
        float(s.licence),
        float(s.enterprise_size is not None),
        float(bool(s.org_kinds)),
        float(bool(s.regions or s.region_hints)),
        float(bool(s.domains or s.domain_hints)),
        float(len(s.pointers())),
        float(len(s.hold_refs)),
        float(s.shift is not None),
        float(s.term_years is not None),
        float(s.trl is not None),
        float(len(u.not_understood)),
    ]


N_FEATURES = 7 * len(INTENTS) + 35
_SCALARS = 7 * len(INTENTS)
_PART = 2 * len(INTENTS)  # where each job's best-part probability starts
HAS_CONTEXT, ASKED = _SCALARS, _SCALARS + 1  # indices of the `has_context` and `asked` features
CARRIED, FOLLOW_UP, REDRAFT = _SCALARS + 5, _SCALARS + 6, _SCALARS + 7


def applies(x: Sequence[float] | np.ndarray) -> bool:
    """Whether the model has a say: only on a message that opens a conversation and that the pipeline read
    from its own words. Follow-ups are settled by the dialogue frame and the results a live session holds,
    which the corpus's conversations (placeholder replies) do not have; a question the pipeline asks stays."""
    return not any(x[i] >= 0.5 for i in (HAS_CONTEXT, ASKED, CARRIED, FOLLOW_UP, REDRAFT))


@dataclass(frozen=True)
class DecisionModel:
    """Standardisation, then the average of `members` one-hidden-layer (ReLU) networks with a sigmoid per job."""

    mean: np.ndarray  # (F,)
    scale: np.ndarray  # (F,)
    w1: np.ndarray  # (M, F, H)
    b1: np.ndarray  # (M, H)
    w2: np.ndarray  # (M, H, L)
    b2: np.ndarray  # (M, L)
    meta: dict[str, Any] = field(default_factory=dict)

    def probs(self, x: Sequence[float] | np.ndarray) -> np.ndarray:
        """Each job's probability (in `INTENTS` order) for one feature vector."""
        z = (np.asarray(x, dtype=np.float64) - self.mean) / self.scale
        h = np.maximum(np.einsum("f,mfh->mh", z, self.w1) + self.b1, 0.0)
        out = np.einsum("mh,mhl->ml", h, self.w2) + self.b2
        return np.asarray((1.0 / (1.0 + np.exp(-out))).mean(axis=0))

    @property
    def margin(self) -> float:
        """How far past even (0.5) the model must be to add a job the pipeline left out, or to drop one it
        read (chosen on held-out writers at training)."""
        return float(self.meta.get("margin", 0.0))

    @property
    def part_keep(self) -> float:
        """A job that a part of the message reads at least this surely (re-centred) is never dropped: "为 ACH-0001
        找合作伙伴，查一下 FAC-0001 明年1月有没有5天空档，并说明技术转让所得税优惠" asks three things, one per
        part. Held out by writer this costs 0.05 points (most such drops are right), but a dropped request is
        the planner's worst failure: the user asked and nothing happens."""
        return float(self.meta.get("part_keep", 1.01))

    def decide(self, x: Sequence[float] | np.ndarray) -> list[str] | None:
        """The jobs of the message (canonical set), or None where the model has no say (`applies`)."""
        if not applies(x):
            return None
        p = self.probs(x)
        # The pipeline's set.
        read = {lab for lab, v in zip(INTENTS, x[: len(INTENTS)], strict=True) if v >= 0.5}
        jobs = set(read)
        for j, (lab, q) in enumerate(zip(INTENTS, p, strict=True)):
            if lab in jobs and q < 0.5 - self.margin and x[_PART + j] < self.part_keep:
                jobs.discard(lab)
            elif lab not in jobs and q >= 0.5 + self.margin:
                jobs.add(lab)
        if read - _SMALL_TALK and not jobs - {"thanks"}:
            # A request is never turned into nothing (or thanks alone): held out by writer on W47-W108 the model
            # did so 24 times, wrong every time, where the pipeline's request was right 9 times ("帮我出个条款草案吧，
            # 谢谢" is a draft, not thanks). Turning one into "what can you do?" (help) is kept: right 51 of 58.
            return canonical(read)
        return canonical(jobs)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32),
            w1=self.w1.astype(np.float32),
            b1=self.b1.astype(np.float32),
            w2=self.w2.astype(np.float32),
            b2=self.b2.astype(np.float32),
            meta=np.array(json.dumps(self.meta, ensure_ascii=False, sort_keys=True)),
        )


def load_decision(path: Path) -> DecisionModel:
    with np.load(path, allow_pickle=False) as z:
        model = DecisionModel(
            mean=z["mean"].astype(np.float64),
            scale=z["scale"].astype(np.float64),
            w1=z["w1"].astype(np.float64),
            b1=z["b1"].astype(np.float64),
            w2=z["w2"].astype(np.float64),
            b2=z["b2"].astype(np.float64),
            meta=json.loads(str(z["meta"])),
        )
    if model.mean.shape != (N_FEATURES,) or model.w2.shape[-1] != len(INTENTS):
        raise ValueError(
            f"{path}: decision model for {model.mean.shape[0]} features and {model.w2.shape[-1]} jobs; "
            f"this code has {N_FEATURES} and {len(INTENTS)} (retrain: python -m agent.understanding.train_decide)"
        )
    return model


@lru_cache(maxsize=1)
def bundled_decision() -> DecisionModel | None:
    """The committed decision model (None when none has been trained: the pipeline's set stands)."""
    return load_decision(ARTIFACT) if ARTIFACT.is_file() else None
