"""Concept coverage solved exactly as an integer linear programme (Gillick and
Favre's ICSISumm), with scipy's ``milp`` (HiGHS).

Pick sentences ``x`` to maximise the weight of the concepts they cover, each
counted once, plus each chosen sentence's own value, under a word budget and a
sentence count; pairs of near-repeats exclude each other, and where ``groups``
are given the summary must draw on at least ``min_groups`` of them (ohliad's
groups are outlets). A greedy pick is a (1 - 1/e) approximation of this; the
exact optimum costs a few milliseconds on a news story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array, csr_array

from ohliad.summarize.terms import Scores


@dataclass(frozen=True, slots=True)
class CoverageProblem:
    """One story's selection: ``concepts[i]`` are the concept columns sentence
    ``i`` covers, ``lengths[i]`` its words; ``exclusive`` are pairs that may not
    both be chosen; ``groups[i]`` is its group (an outlet) or None for no
    group constraint."""

    concepts: Sequence[Sequence[int]]
    concept_weights: Scores
    values: Scores
    lengths: Sequence[int]
    word_limit: int | None
    max_sentences: int
    exclusive: Sequence[tuple[int, int]] = ()
    groups: Sequence[int] | None = None
    min_groups: int = 1


# A story with thousands of sentences would make a large programme; HiGHS gets
# this long before the best solution found so far is taken.
_TIME_LIMIT_S = 0.5


def solve_coverage(problem: CoverageProblem) -> list[int] | None:
    """The chosen sentence indexes, or None when no selection satisfies the
    constraints (every sentence longer than the budget, too few groups)."""
    n = len(problem.lengths)
    m = len(problem.concept_weights)
    group_ids = sorted(set(problem.groups)) if problem.groups is not None else []
    use_groups = problem.min_groups > 1 and len(group_ids) >= problem.min_groups
    if problem.min_groups > 1 and not use_groups:
        return None
    g = len(group_ids) if use_groups else 0
    size = n + m + g
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def constraint(entries: Sequence[tuple[int, float]], low: float, high: float) -> None:
        row = len(lower)
        for col, value in entries:
            rows.append(row)
            cols.append(col)
            vals.append(value)
        lower.append(low)
        upper.append(high)

    if problem.word_limit is not None:
        constraint(list(enumerate(map(float, problem.lengths))), -np.inf, problem.word_limit)
    constraint([(i, 1.0) for i in range(n)], 1.0, problem.max_sentences)
    # A concept counts only if a chosen sentence covers it: z_c <= sum of x_i over i covering c.
    covering: list[list[int]] = [[] for _ in range(m)]
    for i, used in enumerate(problem.concepts):
        for c in used:
            covering[c].append(i)
    for c, sentences in enumerate(covering):
        constraint([(n + c, 1.0), *((i, -1.0) for i in sentences)], -np.inf, 0.0)
    for i, j in problem.exclusive:
        constraint([(i, 1.0), (j, 1.0)], -np.inf, 1.0)
    if use_groups and problem.groups is not None:
        column = {group: n + m + k for k, group in enumerate(group_ids)}
        members: dict[int, list[int]] = {group: [] for group in group_ids}
        for i, group in enumerate(problem.groups):
            members[group].append(i)
        for group, sentences in members.items():
            constraint([(column[group], 1.0), *((i, -1.0) for i in sentences)], -np.inf, 0.0)
        constraint([(column[group], 1.0) for group in group_ids], problem.min_groups, np.inf)

    objective = np.zeros(size)
    objective[:n] = -np.asarray(problem.values, dtype=np.float64)
    objective[n : n + m] = -np.asarray(problem.concept_weights, dtype=np.float64)
    matrix = csr_array(coo_array((vals, (rows, cols)), shape=(len(lower), size)))
    # Only the sentences need to be whole: with them fixed, the best concept and
    # group variables are 0 or 1 anyway.
    integrality = np.zeros(size)
    integrality[:n] = 1
    result = milp(
        objective,
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=integrality,
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": _TIME_LIMIT_S},
    )
    if result.x is None:
        return None
    return [i for i in range(n) if result.x[i] > 0.5]
