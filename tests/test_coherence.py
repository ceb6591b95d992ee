"""Coherence of stated probabilities and the projection onto the simplex."""

from __future__ import annotations

import math
import pickle
import random
from typing import cast

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.model import coherence
from assess.model.coherence import Coherence, check_coherence, project_to_simplex

# Bounded so that sums stay far from overflow; the algorithm does not care about scale.
VALUES = st.lists(st.floats(-10.0, 10.0), min_size=1, max_size=8)


@st.composite
def simplex_points(draw: st.DrawFn, size: int) -> list[float]:
    """A point of the probability simplex of the given dimension, some coordinates 0."""
    weights = draw(
        st.lists(st.one_of(st.just(0.0), st.floats(0.0, 1.0)), min_size=size, max_size=size)
    )
    total = math.fsum(weights)
    if total == 0.0:
        return [1.0 / size] * size
    return [w / total for w in weights]


def close(a: tuple[float, ...] | list[float], b: tuple[float, ...] | list[float]) -> bool:
    """Equal coordinates up to rounding."""
    return len(a) == len(b) and all(
        math.isclose(x, y, abs_tol=1e-12) for x, y in zip(a, b, strict=True)
    )


# --------------------------------------------------------------------------- projection


def test_projection_example() -> None:
    """(0.5, 0.4, 0.3) projects to (0.4333, 0.3333, 0.2333): each value less 0.2/3."""
    result = project_to_simplex([0.5, 0.4, 0.3])
    assert close(result, (0.5 - 0.2 / 3, 0.4 - 0.2 / 3, 0.3 - 0.2 / 3))
    assert [round(w, 4) for w in result] == [0.4333, 0.3333, 0.2333]


def test_projection_clips_at_zero() -> None:
    """(0.9, 0.5, 0.05) projects to (0.7, 0.3, 0): the docs' second example, with an exact 0."""
    result = project_to_simplex((0.9, 0.5, 0.05))
    assert close(result, (0.7, 0.3, 0.0))
    assert result[2] == 0.0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([3.0], (1.0,)),
        ([-5.0], (1.0,)),
        ([0.0, 0.0], (0.5, 0.5)),
        ([-1.0, -2.0], (1.0, 0.0)),
        ([2.0, -1.0], (1.0, 0.0)),
        ([1.0, 1.0, 1.0, 1.0], (0.25, 0.25, 0.25, 0.25)),
        ([0.3, 0.3, 0.4], (0.3, 0.3, 0.4)),
    ],
)
def test_projection_cases(values: list[float], expected: tuple[float, ...]) -> None:
    """Small cases worked by hand: one value, ties, all negative, already coherent."""
    assert close(project_to_simplex(values), expected)


def test_projection_keeps_order_and_type() -> None:
    """The result is a tuple of floats in the order given, from any sequence of reals."""
    result = project_to_simplex((1, 0))
    assert result == (1.0, 0.0)
    assert all(type(w) is float for w in result)


@pytest.mark.parametrize(
    "values", [[], [math.nan], [0.5, math.inf], [-math.inf], ["0.5"], [True, False], [None]]
)
def test_projection_refuses(values: list[object]) -> None:
    """No values, or a value that is not a finite real number, is a ValueError."""
    with pytest.raises(ValueError, match=r"empty|values\[\d\]"):
        project_to_simplex(cast("list[float]", values))


class TestProjectionIsOnTheSimplex:
    """Rule: the projection is non-negative and sums to 1."""

    @given(values=VALUES)
    def test_on_simplex(self, values: list[float]) -> None:
        """Every coordinate is >= 0 and the coordinates sum to 1."""
        result = project_to_simplex(values)
        assert len(result) == len(values)
        assert all(w >= 0.0 for w in result)
        assert math.isclose(math.fsum(result), 1.0, abs_tol=1e-12)


class TestProjectionFixesTheSimplex:
    """Rule: a point already on the simplex is its own projection, so projecting is idempotent."""

    @given(data=st.data(), size=st.integers(1, 8))
    def test_point_on_simplex_unchanged(self, data: st.DataObject, size: int) -> None:
        """A point of the simplex comes back (up to rounding)."""
        point = data.draw(simplex_points(size))
        assert close(project_to_simplex(point), point)

    def test_exact_point_unchanged(self) -> None:
        """A point whose coordinates sum to exactly 1 comes back exactly."""
        point = (0.25, 0.0, 0.75, 0.0)
        assert project_to_simplex(point) == point

    @given(values=VALUES)
    def test_idempotent(self, values: list[float]) -> None:
        """Projecting a projection changes nothing (up to rounding)."""
        once = project_to_simplex(values)
        assert close(project_to_simplex(once), once)


class TestProjectionIsNearest:
    """Rule: no point of the simplex is closer to v than its projection (Euclidean distance)."""

    @given(data=st.data(), values=VALUES)
    def test_nearest(self, data: st.DataObject, values: list[float]) -> None:
        """A random point of the simplex is never nearer than the projection."""
        projection = project_to_simplex(values)
        other = data.draw(simplex_points(len(values)))
        assert math.dist(values, projection) <= math.dist(values, other) + 1e-9

    @given(values=VALUES)
    def test_threshold_form(self, values: list[float]) -> None:
        """The result is max(v_i - theta, 0) for one theta (the optimality condition)."""
        projection = project_to_simplex(values)
        thetas = [v - w for v, w in zip(values, projection, strict=True) if w > 0.0]
        assert thetas
        theta = thetas[0]
        assert all(math.isclose(t, theta, abs_tol=1e-9) for t in thetas)
        for v, w in zip(values, projection, strict=True):
            if w == 0.0:
                assert v <= theta + 1e-9


class TestProjectionIsDeterministic:
    """Rule: the projection depends only on the values, not on their order or on the run."""

    @given(values=VALUES, rng=st.randoms(use_true_random=False))
    def test_order_independent(self, values: list[float], rng: random.Random) -> None:
        """Permuting the input permutes the output, exactly."""
        order = list(range(len(values)))
        rng.shuffle(order)
        once = project_to_simplex(values)
        shuffled = project_to_simplex([values[i] for i in order])
        assert shuffled == tuple(once[i] for i in order)

    @given(values=VALUES)
    def test_repeatable(self, values: list[float]) -> None:
        """The same input gives the same output, bit for bit."""
        assert project_to_simplex(values) == project_to_simplex(list(values))


# --------------------------------------------------------------------------- check_coherence


def test_incoherent_sum_message() -> None:
    """A set summing to 1.2 is reported with its total and the nearest coherent set."""
    result = check_coherence({"H1": 0.5, "H2": 0.4, "H3": 0.3})
    assert not result.coherent
    assert math.isclose(result.total, 1.2)
    assert result.message == (
        "stated probabilities sum to 1.2, not 1; "
        "the nearest coherent set is H1 0.4333, H2 0.3333, H3 0.2333"
    )
    assert list(result.projection) == ["H1", "H2", "H3"]
    assert close(list(result.projection.values()), project_to_simplex([0.5, 0.4, 0.3]))


def test_reports_without_normalising() -> None:
    """The stated values are kept as given; only the projection differs."""
    stated = {"H1": 0.5, "H2": 0.4, "H3": 0.3}
    result = check_coherence(stated)
    assert result.probabilities == stated
    assert stated == {"H1": 0.5, "H2": 0.4, "H3": 0.3}


def test_coherent() -> None:
    """A coherent set is coherent, its projection is itself, and the message says so."""
    stated = {"H1": 0.1, "H2": 0.2, "H3": 0.7}
    result = check_coherence(stated)
    assert result.coherent
    assert result.projection == stated
    assert result.out_of_range == ()
    assert result.message == (
        "stated probabilities are coherent: each is in [0, 1] and they sum to 1"
    )


def test_tolerance() -> None:
    """A total within tolerance of 1 counts as 1; outside it does not."""
    stated = {"H1": 0.5, "H2": 0.5 + 1e-10}
    assert check_coherence(stated).coherent
    assert check_coherence(stated, tolerance=1e-9).projection == stated
    assert not check_coherence(stated, tolerance=0.0).coherent
    assert not check_coherence({"H1": 0.5, "H2": 0.5 + 1e-8}).coherent


def test_out_of_range_message() -> None:
    """Values outside [0, 1] make a set incoherent even when it sums to 1, and are named."""
    result = check_coherence({"H1": 1.2, "H2": -0.2})
    assert not result.coherent
    assert result.total == 1.0
    assert result.out_of_range == ("H1", "H2")
    assert result.message == (
        "stated probabilities include values outside [0, 1] (H1 1.2, H2 -0.2); "
        "the nearest coherent set is H1 1, H2 0"
    )


def test_both_problems_message() -> None:
    """A wrong total and an out-of-range value are both reported."""
    result = check_coherence({"H1": 0.9, "H2": 0.5, "H3": -0.05})
    assert result.message == (
        "stated probabilities sum to 1.35, not 1, and include a value outside [0, 1] "
        "(H3 -0.05); the nearest coherent set is H1 0.7, H2 0.3, H3 0"
    )


def test_message_never_rounds_to_coherent() -> None:
    """A total or value that rounds to 1 at four figures is shown with enough digits."""
    assert "sum to 1.0000001, not 1" in check_coherence({"a": 0.5, "b": 0.5000001}).message
    message = check_coherence({"a": 1.00000001, "b": 0.0}).message
    assert "(a 1.00000001)" in message


@pytest.mark.parametrize(
    ("probabilities", "tolerance", "match"),
    [
        ({}, 1e-9, "no probabilities"),
        ({"H1": math.nan}, 1e-9, "'H1' must be finite"),
        ({"H1": math.inf}, 1e-9, "'H1' must be finite"),
        ({"H1": "0.5"}, 1e-9, "'H1' must be a real number"),
        ({"H1": True}, 1e-9, "'H1' must be a real number"),
        ({"H1": 1.0}, -1e-9, "tolerance must not be negative"),
        ({"H1": 1.0}, math.nan, "tolerance must be finite"),
    ],
)
def test_check_refuses(probabilities: dict[str, object], tolerance: float, match: str) -> None:
    """An empty set, a value that is not a finite real, or a bad tolerance is a ValueError."""
    with pytest.raises(ValueError, match=match):
        check_coherence(cast("dict[str, float]", probabilities), tolerance=tolerance)


def test_result_is_frozen_and_pickles() -> None:
    """A Coherence is immutable, hashable and survives pickling."""
    result = check_coherence({"H1": 0.5, "H2": 0.4, "H3": 0.3})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.coherent = True  # type: ignore[misc]
    assert hash(result) == hash(check_coherence({"H1": 0.5, "H2": 0.4, "H3": 0.3}))
    assert pickle.loads(pickle.dumps(result)) == result  # noqa: S301 -- our own object


class TestCheckCoherence:
    """Rule: coherent iff every value is in [0, 1] and the total is within tolerance of 1."""

    @given(
        probabilities=st.dictionaries(
            st.text(min_size=1, max_size=4), st.floats(-1.0, 2.0), min_size=1, max_size=6
        )
    )
    def test_coherent_iff(self, probabilities: dict[str, float]) -> None:
        """The verdict follows the definition; the projection is always coherent."""
        result = check_coherence(probabilities)
        values = list(probabilities.values())
        expected = abs(math.fsum(values) - 1.0) <= 1e-9 and all(0.0 <= v <= 1.0 for v in values)
        assert result.coherent == expected
        assert isinstance(result, Coherence)
        assert list(result.projection) == list(probabilities)
        assert check_coherence(result.projection).coherent
        if result.coherent:
            assert result.projection == probabilities
        else:
            assert "the nearest coherent set is" in result.message


def test_module_names() -> None:
    """The module exports exactly its documented names."""
    assert set(coherence.__all__) == {"Coherence", "check_coherence", "project_to_simplex"}
