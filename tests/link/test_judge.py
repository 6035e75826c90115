"""The pair judge remembers the pairs it scored: linking asks about one pair again and again."""

from __future__ import annotations

import numpy as np

from claimgraph.link import judge as judge_module
from claimgraph.link.judge import Judge


class _Counting(Judge):
    def __init__(self) -> None:
        super().__init__(session=None, tokenizer=None, threshold=0.5, max_tokens=128)
        self.runs: list[tuple[str, str]] = []

    def _run(self, pairs):  # type: ignore[no-untyped-def]
        self.runs.extend(pairs)
        return np.array([float(len(a) - len(b)) for a, b in pairs], dtype=np.float32)


def test_judge_scores_a_pair_once_and_in_either_order() -> None:
    judge = _Counting()
    first = judge.scores([("ab", "abcd"), ("x", "yy")])
    again = judge.scores([("abcd", "ab"), ("ab", "abcd"), ("x", "yy")])
    assert judge.runs == [("ab", "abcd"), ("x", "yy")]
    assert np.allclose(first, again[1:]) and again[0] == again[1]


def test_judge_memo_is_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(judge_module, "MEMO_PAIRS", 3)
    judge = _Counting()
    judge.scores([(str(i), "z") for i in range(5)])
    assert len(judge._memo) == 3
    judge.scores([("0", "z")])  # forgotten: scored again
    assert judge.runs.count(("0", "z")) == 2


def test_judge_scores_side_by_side_on_threads_as_one_by_one() -> None:
    one, many = _Counting(), _Counting()
    many.workers = 4
    pairs = [(str(i) * (i % 7), "x" * (i % 5)) for i in range(50)]
    assert np.array_equal(one.scores(pairs), many.scores(pairs))
    assert sorted(one.runs) == sorted(many.runs)
