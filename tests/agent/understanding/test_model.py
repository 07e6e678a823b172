"""The trained artifact loads and predicts; training is deterministic; unsure readings become a question
naming the two best readings in the user's language."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from agent.builtin.intents import INTENTS
from agent.builtin.planner import BuiltinPlanner, previous_jobs
from agent.planner import StepResult
from agent.understanding import reading as reading_mod
from agent.understanding.clarify import clarifying_question
from agent.understanding.classifier import IntentModel, bundled_model, load_model
from agent.understanding.corpus import CorpusItem
from agent.understanding.features import CONTEXT_DIM, RULE_DIM, segments
from agent.understanding.reading import Reading, read_with
from agent.understanding.train import Config, train
from tests.agent.builtin.synth import inp
from tests.agent.understanding.models import hand_model


def test_the_bundled_artifact_loads_and_reads_clear_requests() -> None:
    model = bundled_model()
    assert model is not None
    assert model.labels == INTENTS
    assert model.w_emb.shape == (512, len(INTENTS))
    assert model.meta["held_out"]["model"] > 0.8  # recorded at training, on held-out writers
    p = model.probs("Please release hold BK-2027-0014, the trial got pushed back.")
    assert set(p) == set(INTENTS) and all(0.0 <= v <= 1.0 for v in p.values())
    assert read_with(model, "Please release hold BK-2027-0014, the trial got pushed back.").jobs == [
        "release_hold"
    ]
    assert read_with(model, "帮我起草一份ACH-0001的独占许可条款清单").jobs == ["draft_term_sheet"]
    assert read_with(model, "科研人员拿到的成果转化现金奖励，个税怎么交？").jobs == ["policy"]


def test_a_follow_up_inherits_the_previous_job_through_the_context_feature() -> None:
    model = bundled_model()
    assert model is not None
    alone = model.probs("what about just the ones in Jiangsu?")
    after = model.probs("what about just the ones in Jiangsu?", ["find_partners"], True)
    assert after["find_partners"] > alone["find_partners"]


def test_a_filter_follow_up_reruns_the_previous_job_with_the_new_filter() -> None:
    history = [
        StepResult(
            step_id="t1-s1", tool="find_partners", args={"achievement_id": "ACH-0001"}, turn=1, result={}
        )
    ]
    p = inp(["find partners for ACH-0001", "what about just the ones in Jiangsu?"], history=history, turn=2)
    plan = BuiltinPlanner().plan(p)
    assert [(s.tool, s.args.get("achievement_id"), s.args.get("region")) for s in plan.steps] == [
        ("find_partners", "ACH-0001", "Jiangsu")
    ]


def _fake_embed(texts: Sequence[str]) -> np.ndarray:
    """Deterministic stand-in for the encoder (the test is about training, not the encoder)."""
    out = np.zeros((len(texts), 16), dtype=np.float32)
    for r, t in enumerate(texts):
        for w in t.lower().split():
            out[r, int(hashlib.sha1(w.encode()).hexdigest(), 16) % 16] += 1.0
    n = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(n == 0, 1, n)


def _tiny_corpus() -> list[CorpusItem]:
    rows = [
        ("find partners for ACH-0001", ["find_partners"]),
        ("who would license our electrolyte", ["find_partners"]),
        ("which investors would fund this", ["find_partners"]),
        ("帮我找合作方", ["find_partners"]),
        ("release hold BK-2027-0001", ["release_hold"]),
        ("cancel my hold please", ["release_hold"]),
        ("取消预约", ["release_hold"]),
        ("give back the slot", ["release_hold"]),
        ("what does article 45 say", ["policy"]),
        ("is licence income tax exempt", ["policy"]),
        ("发明人至少拿多少", ["policy"]),
        ("what are the rules on dividends", ["policy"]),
    ]
    return [
        CorpusItem.model_validate({"id": f"W9-{i:04d}", "lang": "en", "text": t, "intents": labs})
        for i, (t, labs) in enumerate(rows * 3)
    ]


def test_training_is_deterministic_and_the_artifact_round_trips(tmp_path: Path) -> None:
    grid = [Config(4.0, 1.0, 1.0, False)]
    a = train(_tiny_corpus(), embedder=_fake_embed, grid=grid, log=lambda _: None)
    b = train(_tiny_corpus(), embedder=_fake_embed, grid=grid, log=lambda _: None)
    for field in ("w_emb", "w_ng", "w_ctx", "w_rule", "bias", "thresholds"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    assert a.vocab == b.vocab
    assert a.w_ctx.shape == (CONTEXT_DIM, len(INTENTS))
    assert a.w_rule.shape == (RULE_DIM, len(INTENTS))
    a.save(tmp_path / "m.npz")
    loaded = load_model(tmp_path / "m.npz")
    text = "cancel my hold please"
    assert loaded.probs(text, embedder=_fake_embed) == pytest.approx(
        a.probs(text, embedder=_fake_embed), abs=1e-5
    )
    best = max(loaded.probs(text, embedder=_fake_embed).items(), key=lambda kv: kv[1])[0]
    assert best == "release_hold"


def test_a_long_message_is_read_part_by_part() -> None:
    assert segments(
        "find partners for ACH-0001, check a pilot line for three weeks in March, and draft a licence"
    ) == [
        "find partners for ACH-0001",
        "check a pilot line for three weeks in March",
        "draft a licence",
    ]
    assert segments("查一下明年三月有没有中试线档期，三周，然后起草一份独占许可协议") == [
        "查一下明年三月有没有中试线档期，三周",
        "起草一份独占许可协议",
    ]
    assert segments("FAC-0003 3月空档？") == []


def _unsure_model() -> IntentModel:
    """No weights, only biases: find partners at 0.45, the calendar at 0.40, all else near 0."""
    bias = np.full(len(INTENTS), -6.0)
    bias[INTENTS.index("find_partners")] = np.log(0.45 / 0.55)
    bias[INTENTS.index("check_availability")] = np.log(0.40 / 0.60)
    return hand_model(bias)


def test_an_unsure_reading_names_its_two_best_readings() -> None:
    r = read_with(_unsure_model(), "zzz qqq")
    assert r.unsure
    assert (r.best, r.alternative) == (["find_partners"], ["check_availability"])
    assert clarifying_question(r.best, r.alternative, "zh") == "您是想找合作方，还是查中试设施档期？"
    assert clarifying_question(r.best, r.alternative, "en") == (
        "Do you want to find partners for it, or to check a facility's calendar?"
    )


def test_a_clear_out_of_scope_message_is_not_asked_about() -> None:
    model = _unsure_model()
    model.bias[:] = -6.0
    r = read_with(model, "write me a poem")
    assert (r.jobs, r.unsure) == ([], False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_planner_asks_instead_of_guessing(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    unsure = read_with(_unsure_model(), "zzz qqq")
    monkeypatch.setattr("agent.builtin.planner.read_message", lambda *a, **k: unsure)
    plan = BuiltinPlanner().plan(inp("zzz qqq", lang=lang))
    assert plan.steps == []
    expected = (
        "您是想找合作方，还是查中试设施档期？" if lang == "zh" else "Do you want to find partners for it"
    )
    assert plan.clarification is not None and plan.clarification.startswith(expected)


def test_previous_jobs_come_from_the_last_turns_tool_results() -> None:
    history = [
        StepResult(step_id="t1-s1", tool="search_achievements", turn=1),
        StepResult(step_id="t1-s2", tool="find_partners", turn=1),
        StepResult(step_id="t0-s1", tool="search_policies", turn=0),
    ]
    p = inp(
        ["find partners for my electrolyte", "what about just the ones in Jiangsu?"], history=history, turn=2
    )
    # The search resolved "my electrolyte" for the partner search: the job was finding partners.
    assert previous_jobs(p) == ["find_partners"]


def test_reading_is_memoised_per_message(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = reading_mod.read_with

    def counting(model: IntentModel, text: str, *a: object, **k: object) -> Reading:
        calls.append(text)
        return real(model, text, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(reading_mod, "read_with", counting)
    reading_mod._read_cached.cache_clear()
    for _ in range(3):
        reading_mod.read_message("list my holds")
    assert calls == ["list my holds"]


def test_a_close_lone_reading_is_acted_on_when_above_the_take_floor() -> None:
    """With no job over its threshold, the likeliest is taken without asking once it reaches the model's
    take floor (tuned on held-out writers); below the floor the question stays."""
    model = _unsure_model()  # find partners at 0.45 against a 0.5 threshold
    asked = read_with(model, "zzz qqq")
    assert asked.unsure and asked.jobs == []
    taking = IntentModel(**{**model.__dict__, "meta": {"take_floor": 0.4}})
    taken = read_with(taking, "zzz qqq")
    assert (taken.jobs, taken.unsure) == (["find_partners"], False)
    cautious = IntentModel(**{**model.__dict__, "meta": {"take_floor": 0.46}})
    assert read_with(cautious, "zzz qqq").unsure


def test_tuning_holds_out_one_writer_at_a_time() -> None:
    from agent.understanding.train import folds

    def item(i: str) -> CorpusItem:
        return CorpusItem.model_validate(
            {"id": i, "lang": "en", "text": f"text {i}", "intents": ["help"], "slots": {}}
        )

    pool = [item(i) for i in ("W1-0001", "W1-0002", "W2-0001", "W3-0001", "S-0001")]
    pairs = folds(pool)
    assert [[it.id for it in held] for _, held in pairs] == [["W1-0001", "W1-0002"], ["W2-0001"], ["W3-0001"]]
    for fit_items, held in pairs:
        assert not {it.id for it in fit_items} & {it.id for it in held}
        assert "S-0001" in {it.id for it in fit_items}  # the project's own phrasings only ever train


def test_with_many_writers_tuning_holds_out_groups_of_writers() -> None:
    from agent.understanding.train import folds

    def item(i: str) -> CorpusItem:
        return CorpusItem.model_validate(
            {"id": i, "lang": "en", "text": f"text {i}", "intents": ["help"], "slots": {}}
        )

    pool = [item(f"W{w}-0001") for w in range(1, 8)] + [item("S-0001")]
    pairs = folds(pool, max_folds=3)
    # W1..W7 dealt round-robin by number into three groups; each writer is held out exactly once.
    assert [[it.id for it in held] for _, held in pairs] == [
        ["W1-0001", "W4-0001", "W7-0001"],
        ["W2-0001", "W5-0001"],
        ["W3-0001", "W6-0001"],
    ]
    for fit_items, held in pairs:
        assert not {it.id for it in fit_items} & {it.id for it in held}
        assert len(fit_items) + len(held) == len(pool)
    # Up to the limit, one writer at a time as before.
    assert len(folds(pool, max_folds=7)) == 7


def test_a_job_the_rules_read_joins_a_several_job_reading_when_the_model_nearly_reads_it() -> None:
    model = _unsure_model()  # find partners at 0.45 against 0.5
    model.bias[INTENTS.index("draft_term_sheet")] = 3.0  # clearly asked
    text = "find partners for ACH-0001 and draft an exclusive licence with them"
    assert "find_partners" in reading_mod.regex_jobs(text)
    alone = read_with(IntentModel(**{**model.__dict__, "meta": {"agree_floor": 1.0}}), text)
    assert alone.jobs == ["draft_term_sheet"]
    joined = read_with(IntentModel(**{**model.__dict__, "meta": {"agree_floor": 0.4}}), text)
    assert joined.jobs == ["find_partners", "draft_term_sheet"]
    strict = read_with(IntentModel(**{**model.__dict__, "meta": {"agree_floor": 0.46}}), text)
    assert strict.jobs == ["draft_term_sheet"]


class _Fixed:
    """A model that reads every message with the same probabilities (thresholds 0.5)."""

    def __init__(self, **probs: float) -> None:
        self.p = {lab: probs.get(lab, 0.01) for lab in INTENTS}
        self.meta: dict[str, object] = {}

    def probs(self, text: str, prev_jobs: Sequence[str] = (), has_context: bool = False) -> dict[str, float]:
        return dict(self.p)

    def threshold(self, label: str) -> float:
        return 0.5

    labels = INTENTS
    part_margin = 0.0

    def logit_parts(
        self, text: str, prev_jobs: Sequence[str] = (), has_context: bool = False
    ) -> tuple[np.ndarray, None, int]:
        p = np.array([self.p[lab] for lab in INTENTS])
        return np.log(p / (1 - p)), None, 0


@pytest.mark.parametrize("text", ["check FAC-0004 and pencil me in for 10 days", "查一下FAC-0004，三月占5天"])
def test_a_hold_the_model_reads_stands_where_the_rules_read_only_a_check(text: str) -> None:
    # The rules know "check"/"查一下" but not "pencil me in"/"占": the model's hold is not downgraded.
    r = read_with(_Fixed(hold_slot=0.95, check_availability=0.2), text)  # type: ignore[arg-type]
    assert r.jobs == ["hold_slot"]


@pytest.mark.parametrize(
    ("text", "hold", "check", "want"),
    [
        ("check FAC-0004 from March 2 for 5 days", 0.92, 0.62, "check_availability"),  # the user's verb
        ("hold FAC-0004 in March for 5 days", 0.62, 0.92, "hold_slot"),
        ("FAC-0004 March, 5 days", 0.62, 0.92, "check_availability"),  # no verb: the likelier reading
        ("FAC-0004 三月 5天", 0.92, 0.62, "hold_slot"),
    ],
)
def test_torn_between_hold_and_check_one_reading_wins(
    text: str, hold: float, check: float, want: str
) -> None:
    r = read_with(_Fixed(hold_slot=hold, check_availability=check), text)  # type: ignore[arg-type]
    assert r.jobs == [want]


@pytest.mark.parametrize("chat", ["help", "thanks"])
def test_small_talk_next_to_a_job_is_not_asked_about(chat: str) -> None:
    # "Hi, is the lab free in Feb?": the greeting reads as help as surely as the job reads as a check. Set
    # decoding drops the greeting beside a job, so the reading is as sure as its lead over other jobs.
    r = read_with(_Fixed(**{chat: 0.99, "check_availability": 0.9}), "hi, FAC-0004 free in Feb?")  # type: ignore[arg-type]
    assert r.jobs == ["check_availability"]
    assert not r.unsure
    # With no job read, the greeting is still a reading to offer.
    none = read_with(_Fixed(**{chat: 0.45, "check_availability": 0.44}), "hmm")  # type: ignore[arg-type]
    assert none.unsure and {*(none.best or []), *(none.alternative or [])} == {chat, "check_availability"}


def _part_model(margin: float, pooled: bool = True) -> IntentModel:
    """Reads 'draft' from the encoder's second axis only: the whole message sits on the first axis, its
    draft part on the second (the fake embedder below), so only the part carries the job."""
    w_emb = np.zeros((2, len(INTENTS)), dtype=np.float32)
    w_emb[1, INTENTS.index("draft_term_sheet")] = 3.0
    return hand_model(
        np.zeros(len(INTENTS)), w_emb=w_emb, meta={"config": {"pooled": pooled, "part_margin": margin}}
    )


def _fake_embed(texts: Sequence[str]) -> np.ndarray:
    return np.array([[0.0, 1.0] if t.startswith("draft") else [1.0, 0.0] for t in texts])


@pytest.mark.parametrize(
    ("margin", "pooled", "logit"),
    [(0.0, True, 3.0), (1.0, True, 2.0), (5.0, True, 0.0), (0.0, False, 0.0)],
)
def test_a_part_counts_its_logit_less_the_tuned_margin(margin: float, pooled: bool, logit: float) -> None:
    text = "find partners for ACH-0001, check a pilot line for three weeks in March, and draft a licence"
    assert segments(text)[-1] == "draft a licence"
    p = _part_model(margin, pooled).probs(text, embedder=_fake_embed)["draft_term_sheet"]
    assert p == pytest.approx(1.0 / (1.0 + np.exp(-logit)))


def test_the_rules_add_a_second_request_not_a_second_view_of_one_already_read() -> None:
    # The rules read a keyword search in "有没有…的成果"; the model reads the need-based search and nearly the
    # keyword one. Both answer one question, so the second view does not join.
    text = "有没有磷酸锰铁锂正极的成果，压实密度2.5以上的"
    assert "search_achievements" in reading_mod.regex_jobs(text)
    fixed = _Fixed(find_achievements=0.95, search_achievements=0.4)
    fixed.meta = {"agree_floor": 0.25}
    assert read_with(fixed, text).jobs == ["find_achievements"]  # type: ignore[arg-type]
    # A job of another family the rules read still joins (the agree floor's purpose).
    text2 = "find partners for ACH-0001 and draft an exclusive licence with them"
    assert "find_partners" in reading_mod.regex_jobs(text2)
    other = _Fixed(draft_term_sheet=0.95, find_partners=0.4)
    other.meta = {"agree_floor": 0.25}
    assert read_with(other, text2).jobs == ["find_partners", "draft_term_sheet"]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("find", "search", "want"), [(0.95, 0.7, "find_achievements"), (0.7, 0.95, "search_achievements")]
)
def test_both_achievement_searches_read_the_likelier_wins(find: float, search: float, want: str) -> None:
    r = read_with(_Fixed(find_achievements=find, search_achievements=search), "hmm, any of those?")  # type: ignore[arg-type]
    assert r.jobs == [want]
