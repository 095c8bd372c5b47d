"""The concept-coverage ILP on problems small enough to solve by hand."""

from __future__ import annotations

import numpy as np

from ohliad.summarize.ilp import CoverageProblem, solve_coverage


def problem(**changes: object) -> CoverageProblem:
    # Sentence 0 covers concepts 0-2 in 6 words; 1 covers 0-1 and 2 covers 2-3, 4 words each.
    base: dict[str, object] = {
        "concepts": [[0, 1, 2], [0, 1], [2, 3]],
        "concept_weights": np.ones(4),
        "values": np.zeros(3),
        "lengths": [6, 4, 4],
        "word_limit": 8,
        "max_sentences": 3,
    }
    base.update(changes)
    return CoverageProblem(**base)  # type: ignore[arg-type]


def test_the_optimum_is_found_where_the_greedy_pick_misses_it() -> None:
    # Greedy by coverage takes sentence 0 (three concepts) and then nothing fits;
    # sentences 1 and 2 together cover all four.
    assert solve_coverage(problem()) == [1, 2]


def test_concepts_count_once_and_sentence_values_add() -> None:
    chosen = solve_coverage(problem(word_limit=None, values=np.array([0.0, 0.0, 0.5])))
    assert chosen is not None and 2 in chosen
    assert solve_coverage(problem(word_limit=6)) == [0]


def test_exclusive_pairs_and_groups_are_respected() -> None:
    # With 1 and 2 exclusive, sentence 0 alone covers the most.
    assert solve_coverage(problem(exclusive=[(1, 2)])) == [0]
    # Sentences 0 and 1 are one outlet's; the summary must draw on two.
    grouped = problem(groups=[7, 7, 9], min_groups=2, word_limit=10)
    chosen = solve_coverage(grouped)
    assert chosen is not None and 2 in chosen


def test_no_selection_fits() -> None:
    assert solve_coverage(problem(word_limit=3)) is None
    assert solve_coverage(problem(groups=[1, 1, 1], min_groups=2)) is None
