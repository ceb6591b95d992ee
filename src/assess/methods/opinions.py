"""
Subjective-logic opinions: how much evidence stands behind the posterior.

A posterior says how likely each hypothesis is; it does not say how much
evidence that figure rests on.  A subjective-logic *opinion* (A. Jøsang,
*Subjective Logic: A Formalism for Reasoning Under Uncertainty*, Springer
2016, ch. 3) keeps the two apart.  Over the frame of k exclusive hypotheses a
**multinomial opinion** is ω = (b, u, a): a belief b(h) per hypothesis and
one uncertainty u, with Σ b(h) + u = 1, and a base rate a(h) per hypothesis
(here the priors).  Its projected probability P(h) = b(h) + a(h)·u sums to 1.
It maps one to one onto evidence counts r(h) with Jøsang's non-informative
prior weight W = 2 (2016, ch. 3, the Dirichlet mapping):

    b(h) = r(h) / (W + R),  u = W / (W + R),  R = Σ r(h).

The opinion is a cross-check that *explains* the posterior (how much evidence
stands behind it, and how it is spread), never a rival answer to it.

**Evidence from likelihood ratios** (a convention of ``assess``).  A line of
reporting i, tempered by t_i, gives each hypothesis

    r_i(h) = t_i · log2( l_i(h) / min_h' l_i(h') ),

and independent lines add (cumulative fusion is a sum in evidence space;
Jøsang 2016, ch. 12): r(h) = Σ_i r_i(h).  The reasons:

- Likelihoods are defined only up to a factor per line, so only their
  ratios can be evidence.  r_i is the *least* non-negative evidence whose
  differences are the line's log-likelihood ratios: r_i(h) - r_i(h') =
  t_i·log2(l_i(h)/l_i(h')).  A line that rates every hypothesis alike (l all
  equal, NA cells included, since they take the row's mean) adds nothing,
  and "consistent" is evidence only against what is less consistent.
- Hence b(h) - b(h') is the weight of evidence for h over h', in bits,
  divided by W + R: ranking by belief is ranking by the posterior under
  uniform priors.
- The unit is the bit (a likelihood ratio of 2) because with W = 2 one count
  of evidence on a binary frame with even base rates moves the projected
  probability from 1/2 to 2/3, exactly what a likelihood ratio of 2 does to
  even odds.  A unit that large keeps u a readable "how much evidence"
  figure: u = W / (W + R), where R sums, over the lines and the
  hypotheses, each hypothesis's tempered log-likelihood above its line's
  least likely hypothesis (in bits).
- Tempering is a power likelihood, so it scales the evidence: t·ln l.

Worked example (recomputed by ``tests/test_opinions.py``): three hypotheses
with priors 0.5, 0.25, 0.25 and three untempered lines, l = q·L + (1 - q)/2
with the default table (CC 0.95, C 0.80, N 0.50, I 0.20, II 0.05):

- E1, q = 1, CC/N/I: l = 0.95, 0.5, 0.2, so
  r = log2(0.95/0.2), log2(0.5/0.2), 0 = 2.247928, 1.321928, 0;
- E2, q = 0.5, I/C/C: l = 0.35, 0.65, 0.65, so r = 0, 0.893085, 0.893085;
- E3, q = 1, C/C/C: l all 0.8, so r = 0 (non-diagnostic).

r = 2.247928, 2.215013, 0.893085; R = 5.356025; W + R = 7.356025;
u = 0.271886; b = 0.305590, 0.301115, 0.121409;
P = b + a·u = 0.441533, 0.369087, 0.189380.  The posterior under these
priors is 0.593750, 0.290179, 0.116071 and under uniform priors 0.422222,
0.412698, 0.165079, which ranks the hypotheses as b does.  Ten items rated
C/C/C give r = 0: the vacuous opinion (b = 0, u = 1), whose projected
probabilities are the priors.

Each hypothesis is also shown as a binomial opinion about {h, not h}, the
multinomial opinion coarsened (Jøsang 2016, ch. 3): b = b(h),
d = Σ_{h' != h} b(h'), u the shared uncertainty, a = a(h); it is the
opinion that r(h) evidence for and R - r(h) against support.

The binomial operators below (cumulative and averaging fusion, Jøsang 2016,
ch. 12) are general tools; the n-ary forms follow R. W. van der Heijden,
H. Kopp and F. Kargl, "Multi-source fusion operations in subjective logic",
FUSION 2018.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess.errors import AssessError
from assess.methods.scoring import line_log_likelihoods

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assess.methods.scoring import Scores

__all__ = [
    "DEFAULT_WEIGHT",
    "TIE",
    "HypothesisOpinion",
    "MultinomialOpinion",
    "Opinion",
    "OpinionError",
    "averaging_fusion",
    "cumulative_fusion",
    "evidence",
    "from_evidence",
    "from_likelihoods",
    "fuse_averaging",
    "fuse_cumulative",
    "line_evidence",
    "opinions",
]

Floats = npt.NDArray[np.float64]

DEFAULT_WEIGHT: Final = 2.0
"""Jøsang's non-informative prior weight W (2016, ch. 3)."""
TOLERANCE: Final = 1e-9
"""How far b + d + u may stray from 1 (rounding in the fusion formulas), and priors' sum."""
TIE: Final = 1e-12
"""
Tempered ln l differences (nats) at or below which two hypotheses tie.

What rounding leaves when a line's NA cells take the mean of its rated
cells: such a line must stay non-diagnostic.
"""
_LN2: Final = math.log(2.0)
#: Cells per chunk of the lines x hypotheses arrays: bounds the working memory.
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


def _made(
    belief: float, uncertainty: float, base_rate: float, disbelief: float | None = None
) -> Opinion:
    """
    An opinion from a fusion formula's b, u and a (and d, when the formula gives it).

    Rounding can push a figure a few ulps past [0, 1]; it is clamped back.
    One mass is the remainder, which keeps b + d + u = 1.  It is d, unless
    the formula's d is given and u is the larger: then u is the remainder,
    so that a nearly vacuous opinion keeps its small b and d to full
    relative precision (1 - b - u would leave d with only a few digits).
    """
    belief = min(1.0, max(0.0, belief))
    uncertainty = min(1.0, max(0.0, uncertainty))
    base_rate = min(1.0, max(0.0, base_rate))
    if disbelief is not None and uncertainty > 0.5:
        disbelief = min(1.0 - belief, max(0.0, disbelief))
        return Opinion(belief, disbelief, max(0.0, 1.0 - belief - disbelief), base_rate)
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
    disbelief = (a.disbelief * sb + b.disbelief * sa) / denominator
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
    return _made(belief, uncertainty, base_rate, disbelief)


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


# --------------------------------------------------------------------------- the lines


def _readonly(array: Floats) -> Floats:
    array = np.array(array, dtype=np.float64)  # a copy: the caller's array stays theirs
    array.setflags(write=False)
    return array


def _check_vector(name: str, value: Floats, size: int | None = None) -> None:
    if value.ndim != 1 or (size is not None and value.size != size):
        want = "a vector" if size is None else f"a vector of {size}"
        raise OpinionError(f"{name} must be {want}, got shape {value.shape}")
    if not np.isfinite(value).all():
        raise OpinionError(f"{name} must be finite")


def _check_base_rate(base_rate: Floats) -> None:
    _check_vector("base rates", base_rate)
    if base_rate.size == 0:
        raise OpinionError("an opinion needs at least one hypothesis")
    if (base_rate < 0).any() or abs(math.fsum(base_rate.tolist()) - 1.0) > TOLERANCE:
        raise OpinionError("base rates must not be negative and must sum to 1")


@attrs.frozen(eq=False)
class MultinomialOpinion:
    """
    One multinomial opinion over the frame of hypotheses (Jøsang 2016, ch. 3).

    Attributes:
        evidence: r(h), the evidence for each hypothesis (bits; see the module).
        base_rate: a(h), each hypothesis's base rate (the priors).
        weight: W, the non-informative prior weight.

    Raises:
        OpinionError: When evidence is negative or not finite, the base rates
            do not sum to 1, the two differ in size, or W is not positive.

    .. versionadded:: 0.1
    """

    evidence: Floats = attrs.field(converter=_readonly)
    base_rate: Floats = attrs.field(converter=_readonly)
    weight: float = attrs.field(default=DEFAULT_WEIGHT, converter=float)

    def __attrs_post_init__(self) -> None:
        _check_base_rate(self.base_rate)
        _check_vector("evidence", self.evidence, self.base_rate.size)
        if (self.evidence < 0).any():
            raise OpinionError("evidence must not be negative")
        if not (math.isfinite(self.weight) and self.weight > 0.0):
            raise OpinionError(f"the prior weight W must be positive, got {self.weight!r}")

    @property
    def total(self) -> float:
        """R = Σ r(h): all the evidence, in bits."""
        return math.fsum(self.evidence.tolist())

    @property
    def uncertainty(self) -> float:
        """The uncertainty u = W / (W + R), shared by every hypothesis."""
        return self.weight / (self.weight + self.total)

    @property
    def belief(self) -> Floats:
        """b(h) = r(h) / (W + R); Σ b(h) + u = 1."""
        found: Floats = self.evidence / (self.weight + self.total)
        return found

    @property
    def projected(self) -> Floats:
        """P(h) = b(h) + a(h)·u, which sums to 1."""
        found: Floats = self.belief + self.base_rate * self.uncertainty
        return found

    @property
    def vacuous(self) -> bool:
        """Whether there is no evidence at all (u = 1, P = a)."""
        return self.total == 0.0

    def binomial(self, index: int) -> Opinion:
        """
        The opinion about {h, not h} for hypothesis ``index``: the frame coarsened.

        b = b(h), d = Σ of the others' beliefs, u the shared uncertainty,
        a = a(h): equal to ``from_evidence(r(h), R - r(h), a(h), W)``.
        """
        belief = float(self.belief[index])
        uncertainty = self.uncertainty
        return _made(belief, uncertainty, float(self.base_rate[index]))

    def per_hypothesis(
        self, hypotheses: Sequence[str], posterior: Floats
    ) -> tuple[HypothesisOpinion, ...]:
        """One record per hypothesis, in the order of ``hypotheses``, beside its posterior."""
        total = self.total
        # The shared figures once, not once per hypothesis (which is quadratic).
        belief, uncertainty = self.belief.tolist(), self.uncertainty
        base_rate, evidence = self.base_rate.tolist(), self.evidence.tolist()
        records = []
        for j, hypothesis in enumerate(hypotheses):
            opinion = _made(belief[j], uncertainty, base_rate[j])  # what binomial(j) gives
            positive = float(evidence[j])
            records.append(
                HypothesisOpinion(
                    id=hypothesis,
                    positive=positive,
                    negative=max(0.0, total - positive),
                    opinion=opinion,
                    projected=opinion.projected,
                    posterior=float(posterior[j]),
                )
            )
        return tuple(records)

    def to_json(self, hypotheses: Sequence[str]) -> dict[str, object]:
        """The shared figures, and per hypothesis its evidence, belief and projection."""
        return {
            "uncertainty": self.uncertainty,
            "weight": self.weight,
            "evidence": self.total,
            "hypotheses": [
                {"id": h, "evidence": r, "belief": b, "base_rate": a, "projected": p}
                for h, r, b, a, p in zip(
                    hypotheses,
                    self.evidence.tolist(),
                    self.belief.tolist(),
                    self.base_rate.tolist(),
                    self.projected.tolist(),
                    strict=True,
                )
            ],
        }


@attrs.frozen
class HypothesisOpinion:
    """
    One hypothesis's share of the multinomial opinion, as a binomial opinion.

    Attributes:
        id: The hypothesis.
        positive: r(h), the evidence for it (bits).
        negative: R - r(h), the evidence for its rivals (bits).
        opinion: The multinomial opinion coarsened to {h, not h}:
            b = b(h), d = the rivals' beliefs, u the shared uncertainty,
            a = the prior.
        projected: P(h) = b(h) + a(h)·u; the projections sum to 1.
        posterior: The Bayesian posterior, which the opinion explains.

    .. versionadded:: 0.1
    """

    id: str
    positive: float
    negative: float
    opinion: Opinion
    projected: float
    posterior: float

    def to_json(self) -> dict[str, object]:
        """JSON-ready data: evidence, belief, the shared uncertainty and both probabilities."""
        return {
            "id": self.id,
            "positive": self.positive,
            "negative": self.negative,
            "belief": self.opinion.belief,
            "disbelief": self.opinion.disbelief,
            "uncertainty": self.opinion.uncertainty,
            "base_rate": self.opinion.base_rate,
            "projected": self.projected,
            "posterior": self.posterior,
        }


def _check_lines(log_ell: Floats, tempering: Floats, columns: int) -> None:
    if log_ell.ndim != 2 or log_ell.shape[1] != columns:
        raise OpinionError(
            f"log-likelihoods must be lines x {columns} hypotheses, got shape {log_ell.shape}"
        )
    _check_vector("tempering", tempering, log_ell.shape[0])
    if not np.isfinite(log_ell).all():
        raise OpinionError("log-likelihoods must be finite")
    if ((tempering < 0) | (tempering > 1)).any():
        raise OpinionError("tempering factors must lie in [0, 1]")


def line_evidence(log_ell: Floats, tempering: Floats) -> Floats:
    """
    Each line's evidence for each hypothesis: r_i(h) = t_i·log2(l_i(h) / min l_i).

    A gap of t·ln l above the line's least likely hypothesis of at most
    :data:`TIE` counts as none, so a line whose cells are equal up to
    rounding adds exactly nothing.

    Args:
        log_ell: ln l(line, h), lines x hypotheses.
        tempering: Each line's tempering factor t in [0, 1].

    Returns:
        r_i(h) in bits, lines x hypotheses, each row's minimum 0.

    Raises:
        OpinionError: When the arrays do not fit together or are not finite.

    .. versionadded:: 0.1
    """
    log_ell = np.asarray(log_ell, dtype=np.float64)
    tempering = np.asarray(tempering, dtype=np.float64)
    columns = log_ell.shape[1] if log_ell.ndim == 2 else 0
    _check_lines(log_ell, tempering, columns)
    rows = log_ell.shape[0]
    found = np.zeros((rows, columns), dtype=np.float64)
    step = max(1, _CHUNK_CELLS // max(columns, 1))
    for start in range(0, rows, step):
        part = slice(start, start + step)
        block = log_ell[part]
        if not block.size:
            continue
        gap = tempering[part, None] * (block - block.min(axis=1, keepdims=True))
        gap[gap <= TIE] = 0.0
        found[part] = gap / _LN2
    return found


def from_likelihoods(
    log_ell: Floats, tempering: Floats, priors: Floats, *, weight: float = DEFAULT_WEIGHT
) -> MultinomialOpinion:
    """
    The multinomial opinion that independent lines of reporting support.

    r(h) = Σ_i t_i·log2(l_i(h) / min_h' l_i(h')), base rates the priors
    (see the module for the reasons and a worked example).

    Args:
        log_ell: ln l(line, h), lines x hypotheses, NA cells already filled.
        tempering: Each line's tempering factor t in [0, 1] (a power likelihood).
        priors: The prior of each hypothesis, summing to 1: the base rates.
        weight: Jøsang's non-informative prior weight W.

    Returns:
        The opinion; with no diagnostic line it is vacuous and projects the priors.

    Raises:
        OpinionError: When the arrays do not fit together, are not finite,
            or a tempering factor lies outside [0, 1].

    .. versionadded:: 0.1
    """
    priors = np.asarray(priors, dtype=np.float64)
    _check_base_rate(priors)
    log_ell = np.asarray(log_ell, dtype=np.float64)
    if log_ell.ndim == 2 and log_ell.shape[0] == 0:
        log_ell = log_ell.reshape(0, priors.size)
    _check_lines(log_ell, np.asarray(tempering, dtype=np.float64), priors.size)
    evidence_ = line_evidence(log_ell, tempering).sum(axis=0)
    return MultinomialOpinion(evidence_, priors, weight)


def opinions(scores: Scores, *, weight: float = DEFAULT_WEIGHT) -> tuple[HypothesisOpinion, ...]:
    """
    The multinomial opinion of a scored assessment, one record per hypothesis.

    The lines of reporting, their report-adjusted likelihoods and their
    tempering come from :func:`assess.methods.scoring.line_log_likelihoods`; the
    base rates are the priors.  The opinion explains the posterior (how much
    evidence stands behind it); it is not a second answer.

    Args:
        scores: The scored assessment.
        weight: Jøsang's non-informative prior weight W.

    Returns:
        One record per hypothesis, in declaration order; they share one
        uncertainty, and their projected probabilities sum to 1.

    .. versionadded:: 0.1
    """
    log_ell, tempering = line_log_likelihoods(scores)
    opinion = from_likelihoods(log_ell, tempering, scores.matrix.priors, weight=weight)
    return opinion.per_hypothesis(scores.matrix.hypotheses, scores.arrays.posterior)
