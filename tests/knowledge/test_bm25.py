from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi

from knowledge.bm25 import BM25Index, tokenize


def test_tokenize_mixed_languages() -> None:
    toks = tokenize("固态锂电池的中试 Solid-state Batteries for EV cells")
    assert "固态" in toks and "锂电池" in toks and "电池" in toks  # search mode keeps sub-words
    assert "中试" in toks  # domain word added to jieba's dictionary
    assert "的" not in toks  # Chinese stop word
    assert {"solid-state", "solid", "state", "battery", "ev", "cell"} <= set(
        toks
    )  # lower-cased, plural folded
    assert "for" not in toks


def test_scores_match_rank_bm25() -> None:
    docs = [
        tokenize(t)
        for t in [
            "hydrogen fuel cell stack for trucks",
            "solid state battery electrolyte",
            "氢燃料电池 电堆 重卡",
            "battery recycling and battery materials",
            "",
            "碳捕集 胺法 吸收剂 电厂",
        ]
    ]
    index = BM25Index(docs)
    reference = BM25Okapi([d or ["\x00"] for d in docs])
    for query in ["battery", "hydrogen battery battery", "氢 电池", "碳捕集 电厂", "nothing here"]:
        q = tokenize(query)
        np.testing.assert_allclose(index.scores(q), reference.get_scores(q), rtol=1e-5, atol=1e-6)


def test_empty_index_scores_nothing() -> None:
    assert BM25Index([]).scores(["x"]).shape == (0,)
