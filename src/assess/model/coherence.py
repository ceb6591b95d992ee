"""
Coherence of stated probabilities, and the nearest coherent set.

Probabilities stated for mutually exclusive and exhaustive hypotheses are
coherent when each lies in [0, 1] and together they sum to 1.
:func:`check_coherence` says whether a stated set is, and when it is not,
reports the nearest coherent set: the Euclidean projection of the stated
values onto the probability simplex (:func:`project_to_simplex`).  It only
reports.  Nothing here rescales an analyst's numbers behind their back; a
caller that wants the projected values takes them from
:attr:`Coherence.projection` on purpose.

The projection is the point ``w`` of the simplex ``{w : w_i >= 0, sum(w) = 1}``
nearest to ``v`` in Euclidean distance.  It is ``w_i = max(v_i - theta, 0)``
for the one threshold ``theta`` that makes ``w`` sum to 1 (Held, Wolfe &
Crowder 1974), found by sorting as in Duchi, Shalev-Shwartz, Singer & Chandra
(2008), "Efficient projections onto the l1-ball for learning in high
dimensions", Figure 1.  ``docs/estimative.md`` works an example by hand.
"""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING

import attrs

from assess.model.frozenmap import FrozenMap

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

__all__ = ["Coherence", "check_coherence", "project_to_simplex"]


def _finite(value: object, what: str) -> float:
    # bool is an int to Python, but True is not a probability anyone meant.
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(  # noqa: TRY004 -- one error type for every bad value
            f"{what} must be a real number; got {value!r}"
        )
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite; got {value!r}")
    return number


def project_to_simplex(values: Sequence[float]) -> tuple[float, ...]:
    """
    The Euclidean projection of a point onto the probability simplex.

    The result is the point with non-negative coordinates summing to 1 that
    is nearest to ``values``: ``w_i = max(v_i - theta, 0)``, where, with the
    values sorted in decreasing order as ``u_1 >= u_2 >= ... >= u_n``,
    ``rho`` is the largest ``j`` with ``u_j - (u_1 + ... + u_j - 1) / j > 0``
    and ``theta = (u_1 + ... + u_rho - 1) / rho``.  Values the threshold
    takes below zero come out as exactly 0.  A point already on the simplex
    comes back unchanged (up to rounding), so the projection is idempotent.

    >>> [round(w, 4) for w in project_to_simplex([0.5, 0.4, 0.3])]
    [0.4333, 0.3333, 0.2333]

    Args:
        values: Finite real numbers, at least one.

    Returns:
        The projected values, in the order given.

    Raises:
        ValueError: ``values`` is empty, or holds something that is not a
            finite real number.

    .. versionadded:: 0.1
    """
    v = [_finite(x, f"values[{i}]") for i, x in enumerate(values)]
    if not v:
        raise ValueError("cannot project an empty set of values onto the simplex")
    u = sorted(v, reverse=True)
    # rho >= 1 always: for j = 1 the test is u_1 - (u_1 - 1) = 1 > 0.  Near a
    # tie (u_j equal to theta) the running sum may round either way; either
    # choice then gives the same theta, which is taken with an exact sum.
    rho, running = 1, 0.0
    for j, uj in enumerate(u, start=1):
        running += uj
        if uj - (running - 1.0) / j > 0.0:
            rho = j
    theta = (math.fsum(u[:rho]) - 1.0) / rho
    return tuple(d if (d := x - theta) > 0.0 else 0.0 for x in v)


def _shown(x: float, *, matters: Callable[[float], bool]) -> str:
    """
    Four significant figures, or as few more as keep ``matters`` true to ``x``.

    A total of 1.0000001 is not shown as "1", which would read as coherent.
    """
    for digits in range(4, 17):
        text = f"{x:.{digits}g}"
        if matters(float(text)) == matters(x):
            return text
    return repr(x)  # round-trips exactly


def _is_one(x: float) -> bool:
    return x == 1.0


def _in_range(x: float) -> bool:
    return 0.0 <= x <= 1.0


@attrs.frozen
class Coherence:
    """
    Whether stated probabilities are coherent, and the nearest set that is.

    Attributes:
        probabilities: The stated probabilities, id -> value, as given.
        total: Their sum (:func:`math.fsum`).
        coherent: Whether each is in [0, 1] and ``total`` is within
            ``tolerance`` of 1.
        projection: The nearest coherent set, id -> value
            (:func:`project_to_simplex`); the stated values themselves when
            they are coherent.
        tolerance: How far from 1 the total may be and still count as 1.

    .. versionadded:: 0.1
    """

    probabilities: FrozenMap[str, float]
    total: float
    coherent: bool
    projection: FrozenMap[str, float]
    tolerance: float

    @property
    def out_of_range(self) -> tuple[str, ...]:
        """The ids whose stated probability is outside [0, 1], in the order given."""
        return tuple(k for k, v in self.probabilities.items() if not _in_range(v))

    @property
    def message(self) -> str:
        """
        The finding in one sentence, for a report or a warning.

        For example "stated probabilities sum to 1.2, not 1; the nearest
        coherent set is H1 0.4333, H2 0.3333, H3 0.2333".
        """
        if self.coherent:
            return "stated probabilities are coherent: each is in [0, 1] and they sum to 1"
        parts: list[str] = []
        if abs(self.total - 1.0) > self.tolerance:
            parts.append(f"sum to {_shown(self.total, matters=_is_one)}, not 1")
        outside = [
            f"{k} {_shown(v, matters=_in_range)}"
            for k, v in self.probabilities.items()
            if not _in_range(v)
        ]
        if outside:
            values = "a value" if len(outside) == 1 else "values"
            parts.append(f"include {values} outside [0, 1] ({', '.join(outside)})")
        nearest = ", ".join(f"{k} {v:.4g}" for k, v in self.projection.items())
        return f"stated probabilities {', and '.join(parts)}; the nearest coherent set is {nearest}"


def check_coherence(probabilities: Mapping[str, float], *, tolerance: float = 1e-9) -> Coherence:
    """
    Check that stated probabilities are coherent; find the nearest set that is.

    The check only reports: the stated values are kept as they are, and the
    projection is offered in :attr:`Coherence.projection` for a caller to
    show or use deliberately.

    Args:
        probabilities: Hypothesis id -> stated probability, for hypotheses
            meant to be mutually exclusive and exhaustive.
        tolerance: How far from 1 the sum may be and still count as 1 (float
            sums of decimal fractions are rarely exactly 1).

    Returns:
        The finding; its ``message`` states it in words.

    Raises:
        ValueError: ``probabilities`` is empty, a value is not a finite real
            number, or ``tolerance`` is negative or not finite.

    .. versionadded:: 0.1
    """
    if _finite(tolerance, "tolerance") < 0.0:
        raise ValueError(f"tolerance must not be negative; got {tolerance!r}")
    stated = FrozenMap(
        (key, _finite(value, f"the probability of {key!r}")) for key, value in probabilities.items()
    )
    if not stated:
        raise ValueError("no probabilities to check")
    total = math.fsum(stated.values())
    coherent = abs(total - 1.0) <= tolerance and all(_in_range(v) for v in stated.values())
    projection = (
        stated
        if coherent
        else FrozenMap(zip(stated.keys(), project_to_simplex(list(stated.values())), strict=True))
    )
    return Coherence(
        probabilities=stated,
        total=total,
        coherent=coherent,
        projection=projection,
        tolerance=float(tolerance),
    )
