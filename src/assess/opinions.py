"""
Subjective-logic opinions: how much evidence stands behind each hypothesis.

A posterior says how likely a hypothesis is; it does not say how much
evidence that figure rests on.  A binomial *opinion* (A. Jøsang, *Subjective
Logic: A Formalism for Reasoning Under Uncertainty*, Springer 2016, ch. 3)
keeps the two apart: belief b and disbelief d are the shares of the evidence
for and against, uncertainty u the share of what is missing, and the
projected probability b + a·u falls back on the base rate a when there is
little evidence.  Opinions map one to one onto evidence counts (r, s) with a
non-informative prior weight W (Jøsang 2016, ch. 3), and the two fusion
operators this module needs are, in evidence space, a sum and a mean
(Jøsang 2016, ch. 12): cumulative fusion adds independent
evidence, averaging fusion averages dependent evidence.

:func:`opinions` turns an ACH matrix into one opinion per hypothesis, using
the items' quality and dependency clusters; ``docs/methods.md`` states each
formula and works an example.  The n-ary operators follow Jøsang's binary
definitions (see also R. W. van der Heijden, H. Kopp and F. Kargl,
"Multi-source fusion operations in subjective logic", FUSION 2018).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess.errors import AssessError
from assess.model import Rating
from assess.scoring import CODES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assess.scoring import Scores

__all__ = [
    "DEFAULT_WEIGHT",
    "HypothesisOpinion",
    "Opinion",
    "OpinionError",
    "averaging_fusion",
    "cluster_evidence",
    "cumulative_fusion",
    "evidence",
    "from_evidence",
    "fuse_averaging",
    "fuse_cumulative",
    "opinions",
]

Floats = npt.NDArray[np.float64]

DEFAULT_WEIGHT: Final = 2.0
"""Jøsang's non-informative prior weight W for a binomial opinion (2016, ch. 3)."""
TOLERANCE: Final = 1e-9
"""How far b + d + u may stray from 1 (rounding in the fusion formulas)."""

# Evidence counts per matrix code: CC 2 for, C 1 for, I 1 against, II 2 against.
_POSITIVE: Final = np.zeros(len(CODES), dtype=np.float64)
_NEGATIVE: Final = np.zeros(len(CODES), dtype=np.float64)
_POSITIVE[CODES[Rating.CC]] = 2.0
_POSITIVE[CODES[Rating.C]] = 1.0
_NEGATIVE[CODES[Rating.I]] = 1.0
_NEGATIVE[CODES[Rating.II]] = 2.0
_NA: Final = CODES[Rating.NA]
#: Rows per chunk when summing the matrix: bounds the float working memory.
_CHUNK_CELLS: Final = 1 << 19


class OpinionError(AssessError, ValueError):
    """
    An opinion's masses or base rate are out of range, or evidence is negative.

    .. versionadded:: 0.1
    """


def _unit(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:  # written so that NaN fails too
        raise OpinionError(f"{attribute.name} must lie in [0, 1], got {value!r}")


@attrs.frozen
class Opinion:
    """
    A binomial opinion (b, d, u, a) about one proposition (Jøsang 2016, ch. 3).

    Attributes:
        belief: b, mass for the proposition.
        disbelief: d, mass against it.
        uncertainty: u, mass not committed either way (u = 0: dogmatic).
        base_rate: a, the probability before any evidence.

    Raises:
        OpinionError: When a value lies outside [0, 1] or b + d + u is not 1
            (within 1e-9).

    .. versionadded:: 0.1
    """

    belief: float = attrs.field(converter=float, validator=_unit)
    disbelief: float = attrs.field(converter=float, validator=_unit)
    uncertainty: float = attrs.field(converter=float, validator=_unit)
    base_rate: float = attrs.field(converter=float, validator=_unit)

    def __attrs_post_init__(self) -> None:
        total = self.belief + self.disbelief + self.uncertainty
        if abs(total - 1.0) > TOLERANCE:
            raise OpinionError(f"belief + disbelief + uncertainty must be 1, got {total!r}")

    @property
    def projected(self) -> float:
        """The projected probability b + a·u (Jøsang 2016, ch. 3)."""
        return self.belief + self.base_rate * self.uncertainty

    @property
    def dogmatic(self) -> bool:
        """Whether u = 0: infinite evidence, which fusion cannot move."""
        return self.uncertainty == 0.0

    def to_json(self) -> dict[str, float]:
        """The four components as plain floats."""
        return {
            "belief": self.belief,
            "disbelief": self.disbelief,
            "uncertainty": self.uncertainty,
            "base_rate": self.base_rate,
        }


def from_evidence(
    positive: float, negative: float, base_rate: float, weight: float = DEFAULT_WEIGHT
) -> Opinion:
    """
    The opinion that r positive and s negative observations support (Jøsang 2016, ch. 3).

    b = r/(r+s+W), d = s/(r+s+W), u = W/(r+s+W).

    Raises:
        OpinionError: When r or s is negative or W is not positive.

    .. versionadded:: 0.1
    """
    if not (positive >= 0.0 and negative >= 0.0):
        raise OpinionError(f"evidence must not be negative, got r={positive!r}, s={negative!r}")
    if not weight > 0.0:
        raise OpinionError(f"the prior weight W must be positive, got {weight!r}")
    total = positive + negative + weight
    return Opinion(positive / total, negative / total, weight / total, base_rate)


def evidence(opinion: Opinion, weight: float = DEFAULT_WEIGHT) -> tuple[float, float]:
    """
    The evidence (r, s) behind a non-dogmatic opinion: r = W·b/u, s = W·d/u.

    Raises:
        OpinionError: When the opinion is dogmatic (its evidence is infinite).

    .. versionadded:: 0.1
    """
    if opinion.dogmatic:
        raise OpinionError("a dogmatic opinion (u = 0) stands for infinite evidence")
    return (
        weight * opinion.belief / opinion.uncertainty,
        weight * opinion.disbelief / opinion.uncertainty,
    )


def _made(belief: float, uncertainty: float, base_rate: float) -> Opinion:
    """
    An opinion from a fusion formula's b, u and a.

    Rounding can push a figure a few ulps past [0, 1]; it is clamped back.
    Disbelief is the remainder, which keeps b + d + u = 1; it equals the
    formulas' own d up to rounding.
    """
    belief = min(1.0, max(0.0, belief))
    uncertainty = min(1.0, max(0.0, uncertainty))
    base_rate = min(1.0, max(0.0, base_rate))
    return Opinion(belief, max(0.0, 1.0 - belief - uncertainty), uncertainty, base_rate)


def _mean_of_dogmatic(ops: Sequence[Opinion]) -> Opinion:
    """Jøsang's case II: dogmatic opinions fuse with equal relative dogmatism gamma = 1/n."""
    chosen = [o for o in ops if o.dogmatic]
    n = len(chosen)
    return _made(
        math.fsum(o.belief for o in chosen) / n, 0.0, math.fsum(o.base_rate for o in chosen) / n
    )


def _scaled(ua: float, ub: float) -> tuple[float, float]:
    """u_A and u_B divided by the larger of them (which is not 0)."""
    largest = max(ua, ub)
    return ua / largest, ub / largest


def cumulative_fusion(a: Opinion, b: Opinion) -> Opinion:
    """
    Jøsang's cumulative fusion a ⊕ b: independent evidence, added (2016, ch. 12).

    Case I (u_A or u_B not 0):
    b = (b_A·u_B + b_B·u_A) / (u_A + u_B - u_A·u_B), u = u_A·u_B / (u_A + u_B - u_A·u_B),
    a = (a_A·u_B + a_B·u_A - (a_A + a_B)·u_A·u_B) / (u_A + u_B - 2·u_A·u_B),
    or (a_A + a_B)/2 when both are vacuous (u = 1); with one dogmatic operand
    (u = 0) these give that operand.
    Case II (both dogmatic): the mean, with equal relative dogmatism.

    .. versionadded:: 0.1
    """
    ua, ub = a.uncertainty, b.uncertainty
    if ua == 0.0 or ub == 0.0:
        # Case II, or case I's limit with one dogmatic opinion: it prevails.
        # Taken directly, since the formula loses it to underflow for tiny u.
        return _mean_of_dogmatic((a, b))
    # Numerators and denominators divided by max(u_A, u_B): the same
    # quotients, without underflow when both u are tiny.
    sa, sb = _scaled(ua, ub)
    denominator = sa + sb - sa * ub
    belief = (a.belief * sb + b.belief * sa) / denominator
    uncertainty = sa * ub / denominator
    # Jøsang's base rate, rearranged: its numerator and denominator are
    # a_A·(1 - u_A)·u_B + a_B·(1 - u_B)·u_A and (1 - u_A)·u_B + (1 - u_B)·u_A,
    # with 1 - u taken as b + d, which does not cancel when u is near 1.
    weight_a = (a.belief + a.disbelief) * sb
    weight_b = (b.belief + b.disbelief) * sa
    if weight_a + weight_b > 0:
        base_rate = (a.base_rate * weight_a + b.base_rate * weight_b) / (weight_a + weight_b)
    else:  # both vacuous (u = 1)
        base_rate = (a.base_rate + b.base_rate) / 2
    return _made(belief, uncertainty, base_rate)


def averaging_fusion(a: Opinion, b: Opinion) -> Opinion:
    """
    Jøsang's averaging fusion a ⊘ b: dependent evidence, averaged (2016, ch. 12).

    Case I (u_A or u_B not 0):
    b = (b_A·u_B + b_B·u_A) / (u_A + u_B), u = 2·u_A·u_B / (u_A + u_B),
    a = (a_A + a_B)/2; with one dogmatic operand these give its b, d and u = 0.
    Case II (both dogmatic): the mean, with equal relative dogmatism.

    .. versionadded:: 0.1
    """
    ua, ub = a.uncertainty, b.uncertainty
    if ua == 0.0 and ub == 0.0:
        return _mean_of_dogmatic((a, b))
    if ua == 0.0 or ub == 0.0:  # case I's limit, taken directly (see cumulative_fusion)
        return _made((a if ua == 0.0 else b).belief, 0.0, (a.base_rate + b.base_rate) / 2)
    sa, sb = _scaled(ua, ub)
    belief = (a.belief * sb + b.belief * sa) / (sa + sb)
    uncertainty = 2 * sa * ub / (sa + sb)
    return _made(belief, uncertainty, (a.base_rate + b.base_rate) / 2)


def _check_many(ops: Sequence[Opinion]) -> None:
    if not ops:
        raise OpinionError("fusion needs at least one opinion")


def _relative(ops: Sequence[Opinion]) -> tuple[float, list[float]]:
    """The smallest u and each opinion's min(u)/u_i: 1/u_i scaled so that nothing overflows."""
    least = min(o.uncertainty for o in ops)
    return least, [least / o.uncertainty for o in ops]


def fuse_cumulative(ops: Sequence[Opinion]) -> Opinion:
    """
    Cumulative fusion of any number of opinions.

    With no dogmatic opinion this is the binary operator applied in turn,
    which is associative here: in evidence space it adds (r, s).  Dividing
    Jøsang's formula through by the product of the u's gives
    1/u = Σ 1/u_i - (n - 1) and b/u = Σ b_i/u_i, and the base rate is the
    mean of the a_i weighted by each one's evidence (b_i + d_i)/u_i (the plain
    mean when all are vacuous).  When some are dogmatic, they alone count,
    with equal relative dogmatism (Jøsang's case II; the others' finite
    evidence is nothing beside theirs).

    .. versionadded:: 0.1
    """
    _check_many(ops)
    if any(o.dogmatic for o in ops):
        return _mean_of_dogmatic(ops)
    least, w = _relative(ops)
    # 1/u = Σ 1/u_i - (n - 1), multiplied through by min u; at least 1 - (n - 1)·min u > 0.
    scale = math.fsum(w) - (len(ops) - 1) * least
    belief = math.fsum(o.belief * wi for o, wi in zip(ops, w, strict=True)) / scale
    amount = [(o.belief + o.disbelief) * wi for o, wi in zip(ops, w, strict=True)]
    total = math.fsum(amount)
    base_rate = (
        math.fsum(o.base_rate * x for o, x in zip(ops, amount, strict=True)) / total
        if total > 0
        else math.fsum(o.base_rate for o in ops) / len(ops)
    )
    return _made(belief, least / scale, base_rate)


def fuse_averaging(ops: Sequence[Opinion]) -> Opinion:
    """
    Averaging fusion of any number of opinions, all at once.

    Averaging fusion is not associative, so the n-ary operator is not a fold
    of the binary one: b = Σ (b_i/u_i) / Σ (1/u_i), u = n / Σ (1/u_i),
    a = the mean of the a_i, which in evidence space is the mean of the
    (r_i, s_i).  One dogmatic opinion sets b and u = 0 and the base rate
    stays the mean of all (the limit of the formula, as in Jøsang's binary
    case I); two or more dogmatic opinions alone count, with equal relative
    dogmatism (case II).

    .. versionadded:: 0.1
    """
    _check_many(ops)
    dogmatic = [o for o in ops if o.dogmatic]
    if len(dogmatic) > 1:
        return _mean_of_dogmatic(ops)
    base_rate = math.fsum(o.base_rate for o in ops) / len(ops)
    if dogmatic:
        return _made(dogmatic[0].belief, 0.0, base_rate)
    least, w = _relative(ops)
    total = math.fsum(w)
    belief = math.fsum(o.belief * wi for o, wi in zip(ops, w, strict=True)) / total
    return _made(belief, len(ops) * least / total, base_rate)


# --------------------------------------------------------------------------- the matrix


@attrs.frozen
class HypothesisOpinion:
    """
    The subjective-logic opinion that the evidence gives one hypothesis.

    Attributes:
        id: The hypothesis.
        positive: r, the quality-weighted evidence for it.
        negative: s, the quality-weighted evidence against it.
        opinion: The opinion (r, s) support with W = 2 and base rate = prior.
        projected: The opinion's projected probability b + a·u.
        posterior: The Bayesian posterior, for comparison.

    .. versionadded:: 0.1
    """

    id: str
    positive: float
    negative: float
    opinion: Opinion
    projected: float
    posterior: float

    def to_json(self) -> dict[str, object]:
        """JSON-ready data: the evidence, the opinion and both probabilities."""
        return {
            "id": self.id,
            "positive": self.positive,
            "negative": self.negative,
            "opinion": self.opinion.to_json(),
            "projected": self.projected,
            "posterior": self.posterior,
        }


def cluster_evidence(scores: Scores) -> tuple[Floats, Floats]:
    """
    Each dependency cluster's evidence (r, s) for each hypothesis.

    An item adds q·count to its cell (CC 2 and C 1 for, I 1 and II 2
    against); a cell rated by several analysts adds q times the mean of the
    counts of the analysts who rated it.  The members of a cluster are
    averaged (averaging fusion in evidence space), so each item counts
    q/k where k is its cluster's size.

    Returns:
        r and s, each clusters x hypotheses, clusters numbered as
        ``scores.matrix.cluster``.

    .. versionadded:: 0.1
    """
    matrix = scores.matrix
    rows, columns = matrix.codes.shape
    count = int(matrix.cluster.max()) + 1 if rows else 0
    positive = np.zeros((count, columns), dtype=np.float64)
    negative = np.zeros((count, columns), dtype=np.float64)
    if rows == 0 or columns == 0:
        return positive, negative
    share = scores.arrays.quality / scores.arrays.cluster_size
    step = max(1, _CHUNK_CELLS // columns)
    for start in range(0, rows, step):
        part = slice(start, start + step)
        block = matrix.codes[part]
        where = matrix.cluster[part]
        np.add.at(positive, where, share[part, None] * _POSITIVE[block])
        np.add.at(negative, where, share[part, None] * _NEGATIVE[block])
    if matrix.team_rows.size:
        # Team cells hold NA in codes (no evidence): add the analysts' mean.
        present = matrix.team_codes >= 0
        safe = np.where(present, matrix.team_codes, _NA)
        votes = present.sum(axis=1)
        at = (matrix.cluster[matrix.team_rows], matrix.team_cols)
        weight = share[matrix.team_rows] / votes
        np.add.at(positive, at, weight * _POSITIVE[safe].sum(axis=1))
        np.add.at(negative, at, weight * _NEGATIVE[safe].sum(axis=1))
    return positive, negative


def opinions(scores: Scores, *, weight: float = DEFAULT_WEIGHT) -> tuple[HypothesisOpinion, ...]:
    """
    One subjective-logic opinion per hypothesis, from the ACH matrix.

    Each hypothesis is its own binary frame {h, not h}: the evidence for it
    is r = Σ over clusters of the cluster's mean of q·count (see
    :func:`cluster_evidence`), likewise s against it; independent clusters
    add (cumulative fusion).  The opinion has prior weight ``weight`` and
    the hypothesis's prior as base rate.  Unlike the posteriors, the
    projected probabilities need not sum to 1: each opinion ignores the
    other hypotheses.

    Args:
        scores: The scored assessment.
        weight: Jøsang's non-informative prior weight W.

    Returns:
        One record per hypothesis, in declaration order.

    .. versionadded:: 0.1
    """
    positive, negative = cluster_evidence(scores)
    matrix = scores.matrix
    r = positive.sum(axis=0)
    s = negative.sum(axis=0)
    found = []
    for j, hypothesis in enumerate(matrix.hypotheses):
        opinion = from_evidence(float(r[j]), float(s[j]), float(matrix.priors[j]), weight)
        found.append(
            HypothesisOpinion(
                id=hypothesis,
                positive=float(r[j]),
                negative=float(s[j]),
                opinion=opinion,
                projected=opinion.projected,
                posterior=float(scores.arrays.posterior[j]),
            )
        )
    return tuple(found)
