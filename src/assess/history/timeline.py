"""
Replay an assessment in the order its evidence became known.

:func:`timeline` orders the dated evidence by date and shows the assessment
as it stood after each date: the undated items first (they have no place in
time, so they are the background every later date adds to), then each
date's items together.  The last step is :func:`assess.analyse` of the whole
assessment, so it has exactly its scores, leader and confidence level.

The earlier steps are not analysed one by one, which would cost a whole
analysis per date and grow with the square of the number of dates.  Each
date adds its items' lines of reporting to running sums instead (per
source, per party and in total, as tempering groups them), so a replay
costs one analysis plus one small step per date; each step's posteriors
equal those of :func:`assess.score` on the items known by then, to rounding.
A step's confidence level needs the Monte Carlo only when its other inputs
leave the level open; those steps share one Monte Carlo budget, with fewer
draws each (``docs/methods.md``, section 18).

A ``derived_from`` or ``confirmed_by`` link to an item not yet known is
left out of a step (the repeat stands alone until its original appears).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from assess.analysis import DECIBANS, analyse, confidence_level
from assess.methods.indicators import absence_terms, observed_as_evidence
from assess.methods.language import estimative_term
from assess.methods.lines import Lines, design_effect, route_fidelity
from assess.methods.scoring import (
    CODES,
    NON_DIAGNOSTIC,
    POINTS,
    TIE_DECIMALS,
    Matrix,
    pooled,
    row_log_likelihoods,
)
from assess.methods.sensitivity import BUDGET, draw_work, matrix_monte_carlo
from assess.model import AssumptionStatus, Credibility, IndicatorStatus, Rating, Reliability
from assess.model.display import Displayed

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from assess.analysis import Analysis
    from assess.model import Assessment, ConfidenceRule, Evidence

__all__ = ["MIN_STEP_DRAWS", "NOT_ESTIMATED", "STEP_DRAWS", "Step", "Timeline", "timeline"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

#: The most Monte Carlo draws a step before the last takes (the last is the full analysis).
STEP_DRAWS: Final = 1_000
#: With fewer draws than this (or than the replay's own draws, when fewer) a
#: step's stability is not estimated at all.
MIN_STEP_DRAWS: Final = 100
NOT_ESTIMATED: Final = "not estimated"
"""The confidence level of a step whose level rests on a stability the budget could not afford."""
_NA: Final = CODES[Rating.NA]


@attrs.frozen(eq=False)
class Step:
    """
    The assessment after one date: ``date`` is None for the undated items.

    ``items`` are the items added at this step, in file order; ``known`` is
    how many items the step rests on.  ``posterior`` holds each hypothesis's
    posterior in declaration order, ``leader`` the hypothesis ranked first
    and ``confidence`` its confidence level.  ``stability`` is the share of
    the step's ``draws`` Monte Carlo draws in which the leader leads, or
    None when the level does not depend on it (then no draw was made).

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 The figures are the replay's own; :attr:`analysis`
       is made on first use for a step before the last.
    """

    date: dt.date | None
    items: tuple[str, ...]
    known: int
    hypotheses: tuple[str, ...]
    posterior: tuple[float, ...]
    leader: str
    confidence: str
    stability: float | None = None
    draws: int = 0
    _source: _Source | None = attrs.field(default=None, repr=False)

    @property
    def label(self) -> str:
        """The step's date as text, or "undated"."""
        return "undated" if self.date is None else self.date.isoformat()

    @property
    def posteriors(self) -> dict[str, float]:
        """Each hypothesis's posterior, in declaration order."""
        return dict(zip(self.hypotheses, self.posterior, strict=True))

    @property
    def analysis(self) -> Analysis:
        """
        The whole :func:`assess.analyse` of the items known at this step.

        The last step's is the assessment's own analysis.  An earlier step's
        is made on first use, with the replay's draws and seed: a full
        analysis, whose Monte Carlo has more draws than the step's own.
        """
        if self._source is None:  # pragma: no cover - every step made by timeline has one
            raise AttributeError("analysis")
        return self._source.analysis(self.date)

    def to_json(self) -> dict[str, object]:
        """The step as JSON-ready data."""
        return {
            "date": None if self.date is None else self.date.isoformat(),
            "items": list(self.items),
            "known": self.known,
            "posteriors": self.posteriors,
            "leader": self.leader,
            "estimative": estimative_term(self.posterior[self.hypotheses.index(self.leader)]),
            "confidence": self.confidence,
        }


@attrs.frozen(eq=False)
class Timeline(Displayed):
    """
    The steps of a replay, undated items first, then date by date.

    .. versionadded:: 0.1
    """

    assessment: str
    hypotheses: tuple[str, ...]
    steps: tuple[Step, ...]

    def __repr__(self) -> str:
        span = f"{self.steps[0].label} to {self.steps[-1].label}" if self.steps else "no steps"
        return f"Timeline({self.assessment!r}, {len(self.steps)} steps, {span})"

    @property
    def undated(self) -> tuple[str, ...]:
        """The items without a date (the first step's, if it has no date)."""
        if self.steps and self.steps[0].date is None:
            return self.steps[0].items
        return ()

    def to_json(self) -> dict[str, object]:
        """The replay as JSON-ready data: ``{"steps": [...]}`` and what it replays."""
        return {
            "assessment": self.assessment,
            "hypotheses": list(self.hypotheses),
            "undated": list(self.undated),
            "steps": [step.to_json() for step in self.steps],
        }


@attrs.frozen(eq=False)
class _Source:
    """What a step needs to analyse itself on demand: the assessment and the settings."""

    assessment: Assessment
    draws: int | None
    seed: int | None
    last: Analysis
    cache: dict[dt.date | None, Analysis] = attrs.field(factory=dict)

    def analysis(self, date: dt.date | None) -> Analysis:
        """The analysis of the items known by ``date`` (None: the undated ones)."""
        if date not in self.cache:
            evidence = self.assessment.evidence
            ids = {i.id for i in evidence if _known_by(i.date, date)}
            indicators = tuple(
                i
                for i in self.assessment.indicators
                if i.status is not IndicatorStatus.ABSENT or _known_by(i.date, date)
            )
            if len(ids) == len(evidence) and len(indicators) == len(self.assessment.indicators):
                self.cache[date] = self.last
            else:
                part = attrs.evolve(
                    self.assessment, evidence=_known(evidence, ids), indicators=indicators
                )
                self.cache[date] = analyse(part, draws=self.draws, seed=self.seed)
        return self.cache[date]


def _known_by(when: dt.date | None, date: dt.date | None) -> bool:
    """Whether something dated ``when`` is known at the step of ``date`` (None: undated)."""
    return when is None or (date is not None and when <= date)


def _known(evidence: Sequence[Evidence], ids: set[str]) -> tuple[Evidence, ...]:
    """The known items in file order, links to unknown items left out."""
    kept = []
    for item in evidence:
        if item.id not in ids:
            continue
        links = tuple(link for link in item.derived_from if link in ids)
        confirming = tuple(link for link in item.confirmed_by if link in ids)
        unchanged = links == item.derived_from and confirming == item.confirmed_by
        kept.append(
            item if unchanged else attrs.evolve(item, derived_from=links, confirmed_by=confirming)
        )
    return tuple(kept)


# --------------------------------------------------------------------------- running sums


@attrs.define
class _Line:
    """One line of the items known so far: its root's row, members and distinct routes."""

    members: set[int]
    routes: dict[frozenset[int], int]  # each distinct route, with how many members take it
    slot: int = -1  # its row in the replay's arrays of lines, -1 before it is placed


@attrs.frozen
class _Figures:
    """What a step shows, and what its Monte Carlo would cost."""

    posterior: Floats
    leader: int
    fixed: str | None  # the level when it does not depend on the stability
    weight: float
    parties: int
    share: float
    work: int  # draw_work of the step's lines


def _ranking(posterior: Floats, weighted: Floats) -> Ints:
    """The hypotheses from rank 1 down, by :func:`assess.score`'s rule."""
    order: Ints = np.lexsort(
        (
            np.arange(posterior.size),
            np.round(weighted, TIE_DECIMALS),
            -np.round(posterior, TIE_DECIMALS),
        )
    )
    return order


class _Replay:
    """
    The lines of the items known so far and their running sums.

    Each line adds its tempered ln l and weighted points to every
    hypothesis; tempering groups lines by source and sources by party
    (``docs/methods.md``, section 2), so the sums are kept per source (S),
    per party (U = sum of d(n_s) S over its sources) and in total (sum of
    D(k_p) U).  Adding an item changes its lines and those of the items that
    rest on it, and so a few sources' and parties' sums, never the others.
    """

    def __init__(self, assessment: Assessment, matrix: Matrix) -> None:
        m = self.matrix = matrix
        n, h = len(m.evidence), len(m.hypotheses)
        self.h = h
        index = {item: i for i, item in enumerate(m.evidence)}
        self.parents = [[index[p] for p in e.derived_from] for e in assessment.evidence]
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, parents in enumerate(self.parents):
            for p in parents:
                self.children[p].append(i)
        self.rank = _topological(self.parents)
        self.known = np.zeros(n, dtype=bool)
        self.roots_of: list[frozenset[int]] = [frozenset()] * n
        self.lines: dict[int, _Line] = {}
        self.originator = m.reliability * m.credibility
        self.fidelity = m.fidelity_table[m.source_grade]
        self.weak = [s.interested or s.reliability is Reliability.F for s in assessment.sources]
        self.unjudged = [e.credibility is Credibility.CANNOT_BE_JUDGED for e in assessment.evidence]
        self.varied = _varied(m)
        cells: dict[int, list[int]] = {}
        for cell, row in enumerate(m.team_rows.tolist()):
            cells.setdefault(row, []).append(cell)
        self.team = {row: np.array(c, dtype=np.int64) for row, c in cells.items()}
        self.votes = 0  # analysts' ratings in the team cells of the lines' roots
        self.log_priors = np.log(m.priors)
        self.absence = np.zeros(h, dtype=np.float64)  # the absent indicators known so far
        self.rho = m.dependence
        sources, parties = len(m.source_grade), int(m.party.max(initial=-1)) + 1
        self.party_of_source = np.zeros(sources, dtype=np.int64)
        self.party_of_source[m.source] = m.party
        self.counted_lines = np.zeros(sources, dtype=np.int64)
        self.counted_sources = np.zeros(max(parties, 1), dtype=np.int64)
        self.d = np.ones(sources, dtype=np.float64)  # each source's design effect now
        self.big_d = np.ones(max(parties, 1), dtype=np.float64)  # each party's
        self.source_sum: dict[int, Floats] = {}
        self.party_sum: dict[int, Floats] = {}
        self.total = np.zeros(2 * h, dtype=np.float64)
        # The lines' arrays, a row per line (rows of removed lines are reused).
        self.count = 0
        self.vectors = np.zeros((8, 2 * h), dtype=np.float64)
        self.slot_root = np.zeros(8, dtype=np.int64)
        self.slot_source = np.zeros(8, dtype=np.int64)
        self.slot_party = np.zeros(8, dtype=np.int64)
        self.slot_resting = np.zeros(8, dtype=bool)
        self.slot_counted = np.zeros(8, dtype=bool)
        self.slot_quality = np.zeros(8, dtype=np.float64)
        # Which parties favour the leader over the runner-up, for one pair.
        self.pair = (-1, -1)
        self.favour: set[int] = set()
        self.changed_parties: set[int] = set()

    # ---------------------------------------------------------------- lines

    def _route(self, item: int, root: int) -> frozenset[int]:
        """The relays by which ``item`` carries ``root``'s report (``assess.methods.lines``)."""
        m = self.matrix
        route = set(m.relays[item])
        if m.source[item] != m.source[root]:
            route.add(int(m.source[item]))
        return frozenset(route)

    def add(self, rows: Sequence[int]) -> None:
        """Add the items ``rows`` (one date's) and update every sum they change."""
        self.known[list(rows)] = True
        affected: set[int] = set()
        stack = list(rows)
        while stack:
            item = stack.pop()
            if item not in affected:
                affected.add(item)
                stack.extend(c for c in self.children[item] if self.known[c])
        touched: set[int] = set()
        for item in sorted(affected, key=self.rank.__getitem__):
            parents = [p for p in self.parents[item] if self.known[p]]
            new = (
                frozenset().union(*(self.roots_of[p] for p in parents))
                if parents
                else frozenset((item,))
            )
            old = self.roots_of[item]
            for root in old - new:
                line = self.lines[root]
                line.members.discard(item)
                route = self._route(item, root)
                line.routes[route] -= 1
                if not line.routes[route]:
                    del line.routes[route]
                touched.add(root)
            for root in new - old:
                line = self.lines.setdefault(root, _Line(set(), {}))
                line.members.add(item)
                route = self._route(item, root)
                line.routes[route] = line.routes.get(route, 0) + 1
                touched.add(root)
            self.roots_of[item] = new
        self._update(sorted(touched))

    def _update(self, roots: list[int]) -> None:
        """Take the lines ``roots`` out of the sums as they were and put them back as they are."""
        m, h = self.matrix, self.h
        source_delta: dict[int, Floats] = {}
        counted_delta: dict[int, int] = {}
        for root in roots:
            line = self.lines[root]
            if line.slot >= 0:  # out with the old
                slot = line.slot
                s = int(self.slot_source[slot])
                source_delta.setdefault(s, np.zeros(2 * h))
                source_delta[s] -= self.vectors[slot]
                counted_delta[s] = counted_delta.get(s, 0) - int(self.slot_counted[slot])
                self._free(line)
            if not line.members:
                del self.lines[root]
        live = [r for r in roots if r in self.lines]
        if live:
            quality = np.array(
                [self.originator[r] * self._fidelity(self.lines[r]) for r in live],
                dtype=np.float64,
            )
            vectors = self._vectors(np.array(live, dtype=np.int64), quality)
            for k, root in enumerate(live):
                line = self.lines[root]
                slot = self._place(line, root)
                s = int(m.source[root])
                counted = bool(self.varied[root] and quality[k] > 0)
                self.vectors[slot] = vectors[k]
                self.slot_counted[slot] = counted
                self.slot_quality[slot] = quality[k]
                self.slot_resting[slot] = self._resting(line, root)
                source_delta.setdefault(s, np.zeros(2 * h))
                source_delta[s] += vectors[k]
                counted_delta[s] = counted_delta.get(s, 0) + int(counted)
        self._sums(source_delta, counted_delta)

    def _fidelity(self, line: _Line) -> float:
        """
        The line's fidelity from its distinct routes, as :func:`route_fidelity` finds it.

        A route taken by several members is given twice (never more), so that
        the rule sees the relays shared as it does with every member's route.
        """
        routes = [r for r, c in line.routes.items() for _ in range(min(c, 2) if r else 1)]
        return float(route_fidelity(routes, self.fidelity))

    def _resting(self, line: _Line, root: int) -> bool:
        """Whether the line rests on interested or unjudgeable sources (as the analysis says)."""
        return bool(
            self.weak[int(self.matrix.source[root])]
            or self.unjudged[root]
            or all(any(self.weak[x] for x in route) for route in line.routes)
        )

    def _vectors(self, roots: Ints, quality: Floats) -> Floats:
        """Per line, ln l of its root at its quality and its weighted points (untempered)."""
        m = self.matrix
        codes = m.codes[roots]
        log_ell = row_log_likelihoods(codes, quality, m.likelihoods, m.priors)
        points = np.where(codes == _NA, 0.0, POINTS[codes].astype(np.float64))
        for k, root in enumerate(roots.tolist()):
            cells = self.team.get(root)
            if cells is None:
                continue
            cols = m.team_cols[cells]
            pool, pool_points = pooled(
                np.full(cells.size, quality[k]), m.team_codes[cells], m.likelihoods
            )
            ell = quality[k] * m.likelihoods[codes[k]] + (1 - quality[k]) * 0.5
            rated = codes[k] != _NA
            ell[cols] = pool
            rated[cols] = True
            logs = np.log(ell)
            mean = float((m.priors[rated] * logs[rated]).sum() / m.priors[rated].sum())
            log_ell[k] = np.where(rated, logs, mean)
            points[k, cols] = pool_points
        weight = m.relevance[roots] * quality
        return np.concatenate([log_ell, points * weight[:, None]], axis=1)

    def _place(self, line: _Line, root: int) -> int:
        """Give the line a row of the arrays (growing them by doubling)."""
        if self.count == self.slot_root.size:
            size = 2 * self.count
            self.vectors = np.resize(self.vectors, (size, 2 * self.h))
            for name in ("root", "source", "party", "resting", "counted", "quality"):
                setattr(self, f"slot_{name}", np.resize(getattr(self, f"slot_{name}"), size))
        slot = line.slot = self.count
        self.count += 1
        self.votes += self._votes(root)
        self.slot_root[slot] = root
        self.slot_source[slot] = self.matrix.source[root]
        self.slot_party[slot] = self.matrix.party[root]
        return slot

    def _free(self, line: _Line) -> None:
        """Give the line's row back: the last row moves into it."""
        slot, last = line.slot, self.count - 1
        self.votes -= self._votes(int(self.slot_root[slot]))
        if slot != last:
            moved = self.lines[int(self.slot_root[last])]
            moved.slot = slot
            self.vectors[slot] = self.vectors[last]
            for array in (
                self.slot_root,
                self.slot_source,
                self.slot_party,
                self.slot_resting,
                self.slot_counted,
                self.slot_quality,
            ):
                array[slot] = array[last]
        self.count -= 1
        line.slot = -1

    def _votes(self, root: int) -> int:
        """The analysts' ratings in the team cells of one row."""
        cells = self.team.get(root)
        return 0 if cells is None else int(cells.size) * len(self.matrix.analysts)

    def _sums(self, source_delta: dict[int, Floats], counted_delta: dict[int, int]) -> None:
        """Apply changes in sources' sums and counted lines to the parties' sums and the total."""
        same_source, same_party = self.rho
        party_delta: dict[int, Floats] = {}
        sources_delta: dict[int, int] = {}
        for s, delta in source_delta.items():
            before = self.source_sum.get(s)
            after = delta if before is None else before + delta
            n_before = int(self.counted_lines[s])
            n_after = n_before + counted_delta.get(s, 0)
            d_before, d_after = float(self.d[s]), float(design_effect(max(n_after, 1), same_source))
            p = int(self.party_of_source[s])
            change = d_after * after - (0.0 if before is None else d_before * before)
            party_delta[p] = party_delta[p] + change if p in party_delta else change
            sources_delta[p] = sources_delta.get(p, 0) + (n_after > 0) - (n_before > 0)
            self.source_sum[s] = after
            self.counted_lines[s] = n_after
            self.d[s] = d_after
        for p, delta in party_delta.items():
            before = self.party_sum.get(p)
            after = delta if before is None else before + delta
            k = int(self.counted_sources[p]) + sources_delta[p]
            big_before = float(self.big_d[p])
            big_after = float(design_effect(max(k, 1), same_party))
            self.total += big_after * after - (0.0 if before is None else big_before * before)
            self.party_sum[p] = after
            self.counted_sources[p] = k
            self.big_d[p] = big_after
            self.changed_parties.add(p)

    # ---------------------------------------------------------------- figures

    def figures(self, rule: ConfidenceRule, unsupported: Sequence[bool]) -> _Figures:
        """The step's posteriors, leader, and its confidence level when the stability is moot."""
        h = self.h
        log_posterior = self.log_priors + self.total[:h] + self.absence
        log_posterior -= log_posterior.max()
        posterior = np.exp(log_posterior)
        posterior /= posterior.sum()
        order = _ranking(posterior, self.total[h:])
        leader, runner = int(order[0]), int(order[1])
        weight = DECIBANS * float(self.total[leader] - self.total[runner])
        parties = self._parties(leader, runner)
        share = 0.0
        fixed: str | None = "low"
        least_weight = min(rule.high_weight, rule.moderate_weight)
        least_support = min(rule.high_support, rule.moderate_support)
        if weight >= least_weight and parties >= least_support:
            share = self._share(leader, runner)
            levels = {
                confidence_level(
                    weight_db=weight,
                    parties=parties,
                    interested_share=share,
                    stability=stability,
                    assumptions_pass=not unsupported[leader],
                    rule=rule,
                )
                for stability in (0.0, 1.0)
            }
            fixed = levels.pop() if len(levels) == 1 else None
        work = draw_work(h, self.count, len(self.matrix.source_grade), self.votes)
        return _Figures(posterior, leader, fixed, weight, parties, share, work)

    def _parties(self, leader: int, runner: int) -> int:
        """How many parties' lines favour the leader on balance (re-counted only where changed)."""
        changed = self.party_sum.keys() if (leader, runner) != self.pair else self.changed_parties
        for p in changed:
            margin = (
                self.big_d[p] * DECIBANS * (self.party_sum[p][leader] - self.party_sum[p][runner])
            )
            if margin > NON_DIAGNOSTIC:
                self.favour.add(p)
            else:
                self.favour.discard(p)
        self.pair = (leader, runner)
        self.changed_parties = set()
        return len(self.favour)

    def _share(self, leader: int, runner: int) -> float:
        """The share of the leader's weight that rests on interested or unjudgeable sources."""
        k = self.count
        factor = self.d[self.slot_source[:k]] * self.big_d[self.slot_party[:k]]
        weights = factor * DECIBANS * (self.vectors[:k, leader] - self.vectors[:k, runner])
        favour = weights > NON_DIAGNOSTIC
        positive = float(weights[favour].sum())
        if positive <= 0:
            return 0.0
        return float(weights[favour & self.slot_resting[:k]].sum()) / positive

    def step_matrix(self) -> Matrix:
        """The matrix of the lines known now, one row per line's root in file order."""
        m = self.matrix
        k = self.count
        order = np.argsort(self.slot_root[:k], kind="stable")
        slots = order
        roots = self.slot_root[:k][order]
        row_of = {int(r): j for j, r in enumerate(roots.tolist())}
        team = np.array(
            [c for r in roots.tolist() if r in self.team for c in self.team[r].tolist()],
            dtype=np.int64,
        )
        routes = tuple(
            tuple(
                route
                for route, count in self.lines[int(r)].routes.items()
                for _ in range(min(count, 2) if route else 1)
            )
            for r in roots.tolist()
        )
        fidelity = self.slot_quality[:k][slots] / np.where(
            self.originator[roots] > 0, self.originator[roots], 1.0
        )
        factor = self.d[self.slot_source[:k][slots]] * self.big_d[self.slot_party[:k][slots]]
        return Matrix(
            hypotheses=m.hypotheses,
            evidence=tuple(m.evidence[r] for r in roots.tolist()),
            codes=m.codes[roots],
            reliability=m.reliability[roots],
            credibility=m.credibility[roots],
            relevance=m.relevance[roots],
            quality=m.quality[roots],
            lines=Lines(
                root=np.arange(k, dtype=np.int64),
                members=tuple((j,) for j in range(k)),
                routes=routes,
                channel=tuple((1.0,) * len(r) for r in routes),
                fidelity=fidelity,
                first_line=np.arange(k, dtype=np.int64),
            ),
            line_quality=self.slot_quality[:k][slots].copy(),
            tempering=factor,
            counted=self.slot_counted[:k][slots].copy(),
            cluster=np.arange(k, dtype=np.int64),
            likelihoods=m.likelihoods,
            priors=m.priors,
            priors_given=m.priors_given,
            answers=m.answers,
            reliability_grade=m.reliability_grade[roots],
            credibility_grade=m.credibility_grade[roots],
            source=m.source[roots],
            party=m.party[roots],
            relays=tuple(m.relays[r] for r in roots.tolist()),
            source_grade=m.source_grade,
            fidelity_table=m.fidelity_table,
            reliability_values=m.reliability_values,
            credibility_values=m.credibility_values,
            dependence=m.dependence,
            analysts=m.analysts,
            team_rows=np.array(
                [row_of[int(r)] for r in m.team_rows[team].tolist()], dtype=np.int64
            ),
            team_cols=m.team_cols[team],
            team_codes=m.team_codes[team].reshape(team.size, len(m.analysts)),
            absence=self.absence.copy(),
        )


def _add(replay: _Replay, rows: Sequence[int], items: int, terms: Floats) -> None:
    """Add a step's items to the replay's lines and its absent indicators to its sums."""
    replay.add([r for r in rows if r < items])
    for r in rows:
        if r >= items:
            replay.absence = replay.absence + terms[r - items]


def _topological(parents: Sequence[Sequence[int]]) -> list[int]:
    """Each item's place in an order with every parent first (the loader refuses cycles)."""
    n = len(parents)
    waiting = [len(p) for p in parents]
    children: list[list[int]] = [[] for _ in range(n)]
    for item, links in enumerate(parents):
        for p in links:
            children[p].append(item)
    ready = [i for i in range(n) if not waiting[i]]
    rank = [0] * n
    done = 0
    while ready:
        item = ready.pop()
        rank[item] = done
        done += 1
        for child in children[item]:
            waiting[child] -= 1
            if not waiting[child]:
                ready.append(child)
    return rank


def _varied(matrix: Matrix) -> npt.NDArray[np.bool_]:
    """Whether each item's row can tell hypotheses apart: two different rated cells."""
    codes = matrix.codes
    rated = codes != _NA
    low = np.where(rated, codes, 127).min(axis=1, initial=127)
    high = np.where(rated, codes, -1).max(axis=1, initial=-1)
    varied: npt.NDArray[np.bool_] = high > low
    cells: dict[int, set[tuple[int, ...]]] = {}
    for row, votes in zip(matrix.team_rows.tolist(), matrix.team_codes.tolist(), strict=True):
        cells.setdefault(row, set()).add(tuple(sorted(v for v in votes if v >= 0)))
    for row, kinds in cells.items():
        kinds.update((int(code),) for code in codes[row].tolist() if code != _NA)
        varied[row] = len(kinds) > 1
    return varied


# --------------------------------------------------------------------------- the replay


def timeline(
    assessment: Assessment,
    *,
    draws: int | None = None,
    seed: int | None = None,
    analysis: Analysis | None = None,
) -> Timeline:
    """
    Replay an assessment date by date.

    The last step is the assessment's own analysis; the earlier ones add
    each date's items to running sums (see the module's notes).  A step
    before the last runs the Monte Carlo only when its level depends on the
    stability, with at most :data:`STEP_DRAWS` draws, and all such steps
    together at most :data:`assess.methods.sensitivity.BUDGET` of work: each gets an
    even share of it.  A step whose share buys fewer than
    :data:`MIN_STEP_DRAWS` draws (or than ``draws``, when fewer) has the level
    :data:`NOT_ESTIMATED`.

    Args:
        assessment: The assessment.
        draws: Monte Carlo draws of the last step (default: ``scoring.draws``),
            and the most of any earlier step's.
        seed: Monte Carlo seed (default: ``scoring.seed``), the same for every step.
        analysis: The assessment's own analysis with the same ``draws`` and
            ``seed``, when the caller has it: the last step is it.

    Returns:
        The steps: undated items first (when there are any), then each date
        in order; none when the assessment has no evidence.

    Raises:
        BudgetError: When the draws are past the Monte Carlo budget
            (:func:`assess.analysis.check_budget`).

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 Running sums instead of an analysis per date.
    """
    written = assessment
    # Observed indicators are items from their dates; absent ones change the
    # posterior from theirs, and an undated one is background like an undated item.
    assessment = observed_as_evidence(written)
    evidence = assessment.evidence
    absent = [i for i in assessment.indicators if i.status is IndicatorStatus.ABSENT]
    hypotheses = tuple(h.id for h in assessment.hypotheses)
    terms = absence_terms(absent, hypotheses, assessment.scoring)
    when = [i.date for i in evidence] + [i.date for i in absent]
    dates: list[dt.date] = sorted({d for d in when if d is not None})
    groups: list[tuple[dt.date | None, list[int]]] = []
    if None in when:
        groups.append((None, [k for k, d in enumerate(when) if d is None]))
    by_date: dict[dt.date, list[int]] = {}
    for k, d in enumerate(when):
        if d is not None:
            by_date.setdefault(d, []).append(k)
    groups.extend((date, by_date[date]) for date in dates)
    if not evidence and not absent:
        return Timeline(assessment=assessment.id, hypotheses=hypotheses, steps=())
    full = analysis or analyse(written, draws=draws, seed=seed)
    items = len(evidence)
    names = [e.id for e in evidence] + [i.id for i in absent]
    source = _Source(assessment, draws, seed, full)
    settings = assessment.scoring
    rule = settings.confidence
    unsupported = [
        any(
            a.status is AssumptionStatus.UNSUPPORTED and h in a.hypotheses
            for a in assessment.assumptions
        )
        for h in hypotheses
    ]
    # First pass: every earlier step's figures, and which need the Monte Carlo.
    replay = _Replay(assessment, full.scores.matrix)
    figures = []
    for _, rows in groups[:-1]:
        _add(replay, rows, items, terms)
        figures.append(replay.figures(rule, unsupported))
    needing = [f for f in figures if f.fixed is None]
    share = BUDGET // max(1, len(needing))
    most = full.sensitivity.draws
    # Second pass, when needed: each such step's own Monte Carlo, with its share of draws.
    stability: dict[int, tuple[float, int]] = {}
    if needing:
        replay = _Replay(assessment, full.scores.matrix)
        for k, (_, rows) in enumerate(groups[:-1]):
            _add(replay, rows, items, terms)
            if figures[k].fixed is not None:
                continue
            budget = min(most, STEP_DRAWS, share // figures[k].work)
            if budget < min(most, MIN_STEP_DRAWS):
                continue  # the budget's share buys too few draws to estimate anything
            result = matrix_monte_carlo(
                replay.step_matrix(),
                figures[k].leader,
                draws=budget,
                seed=full.sensitivity.seed,
                perturbation=settings.perturbation,
                concentration=settings.prior_concentration,
                jitter=settings.likelihood_jitter,
                factors=False,
            )
            stability[k] = (result.stability[figures[k].leader], budget)
    steps = []
    known = 0
    for k, (date, rows) in enumerate(groups[:-1]):
        known += sum(1 for r in rows if r < items)
        f = figures[k]
        level, share_of_draws, used = f.fixed, None, 0
        if level is None and k in stability:
            share_of_draws, used = stability[k]
            level = confidence_level(
                weight_db=f.weight,
                parties=f.parties,
                interested_share=f.share,
                stability=share_of_draws,
                assumptions_pass=not unsupported[f.leader],
                rule=rule,
            )
        steps.append(
            Step(
                date,
                tuple(names[i] for i in rows),
                known,
                hypotheses,
                tuple(f.posterior.tolist()),
                hypotheses[f.leader],
                NOT_ESTIMATED if level is None else level,
                share_of_draws,
                used,
                source=source,
            )
        )
    date, rows = groups[-1]
    leader = full.confidence.leader
    steps.append(
        Step(
            date,
            tuple(names[i] for i in rows),
            items,
            hypotheses,
            tuple(h.posterior for h in full.scores.hypotheses),
            leader,
            full.confidence.level,
            full.sensitivity.stability[hypotheses.index(leader)],
            full.sensitivity.draws,
            source=source,
        )
    )
    return Timeline(assessment=assessment.id, hypotheses=hypotheses, steps=tuple(steps))
