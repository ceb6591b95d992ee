"""
Lines of reporting, chains of custody and shared sources, as pure functions.

An item that rests on no other item is an original report: the root of a
**line**.  Every item that repeats or rests on it (``derived_from``, followed
downstream) belongs to its line, and a line counts once.  An item that rests
on two originals belongs to both lines; it does not merge them, and two items
that cite a third stay independent of each other.

Each item of a line is one **channel** by which the original reached us: its
route is its own relays (``via``, or the outlet that carried its document) and,
for a repeat whose source is not the originator, that source.  Each relay
passes the report on faithfully with the probability its grade gives, so a
route's fidelity is the product of its relays' (Hooper's rule for successive
witnesses).  The line gets through when any route does (Hooper's rule for
concurrent witnesses, 1 - prod(1 - f), when the routes share no relay); a relay
on several routes passes the report on or fails once for all of them, so
routes through one outlet are not counted as independent.  The line's fidelity
never exceeds 1, so no number of repeats makes a line weigh more than its
originator's grade allows.

Lines from one originator, or from sources that speak for one party, share
their errors; Kish's design effect tempers them (``docs/methods.md``,
sections 1-3 give every formula with its source).

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
import operator
from itertools import chain, compress
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "MAX_ENUMERATED_RELAYS",
    "Lines",
    "build_lines",
    "design_effect",
    "route_fidelity",
    "share_no_relay",
    "tempering",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class Lines:
    """
    The lines of reporting of a set of items, numbered in the order of their roots.

    Attributes:
        root: The row of each line's root (its original report).
        members: Each line's rows: the root first, then its repeats in file order.
        routes: For each line, each member's route: the sources that relayed it.
        channel: For each line, each member's route's fidelity, in the order of
            ``members``.
        fidelity: Each line's fidelity: the probability that some route passes
            the report on.
        first_line: Each item's first line (the line of its earliest root).

    .. versionadded:: 0.1
    """

    root: Ints
    members: tuple[tuple[int, ...], ...]
    routes: tuple[tuple[frozenset[int], ...], ...]
    channel: tuple[tuple[float, ...], ...]
    fidelity: Floats
    first_line: Ints


#: Most distinct relays in one line whose states are enumerated exactly; a
#: line with more takes its best route's fidelity, a lower bound.
MAX_ENUMERATED_RELAYS: Final = 12


def share_no_relay(routes: Sequence[frozenset[int]]) -> bool:
    """Whether no relay is on two of the routes: then Hooper's concurrent rule is exact."""
    return sum(len(route) for route in routes) == len(frozenset().union(*routes))


def route_fidelity(routes: Sequence[frozenset[int]], fidelity: Floats) -> Floats:
    """
    The probability that at least one route passes a report on.

    Each relay (a source number) passes it on with its fidelity, once for
    every route it is on, independently of the other relays.  Routes that
    share no relay combine by Hooper's concurrent rule, 1 - prod(1 - f_route);
    otherwise the relays' states are enumerated, which is exact.

    Args:
        routes: Each route's relays; an empty route is a report held firsthand.
        fidelity: Each source's fidelity, ``(..., sources)``: one row per draw
            in the Monte Carlo.

    Returns:
        The line's fidelity, shape ``fidelity.shape[:-1]``.

    .. versionadded:: 0.1
    """
    shape = fidelity.shape[:-1]
    if not routes or any(not route for route in routes):
        return np.ones(shape, dtype=np.float64)
    if share_no_relay(routes):
        # 1 - prod(1 - f) in logs (log1p, expm1): written plainly, 1 - (1 - f)
        # rounds a fidelity below 1e-16 to 0, and the line would stop counting
        # for tempering while the enumeration below, given one more route,
        # would count it again.  A route that always passes (f = 1) gives -inf.
        with np.errstate(divide="ignore"):
            missed = np.zeros(shape, dtype=np.float64)
            for route in routes:
                missed = missed + np.log1p(-np.prod(fidelity[..., sorted(route)], axis=-1))
        passed: Floats = -np.expm1(missed)
        return passed
    relays = sorted(set().union(*routes))
    if len(relays) > MAX_ENUMERATED_RELAYS:
        best: Floats = np.max(
            np.stack([np.prod(fidelity[..., sorted(r)], axis=-1) for r in routes], axis=-1),
            axis=-1,
        )
        return best
    position = {relay: j for j, relay in enumerate(relays)}
    states = np.arange(1 << len(relays))
    works = ((states[:, None] >> np.arange(len(relays))) & 1).astype(bool)  # states x relays
    masks = [sum(1 << position[r] for r in route) for route in routes]
    through = np.zeros(states.size, dtype=bool)
    for mask in masks:
        through |= (states & mask) == mask
    f = fidelity[..., relays][..., None, :]  # (..., 1, relays)
    chance = np.prod(np.where(works, f, 1.0 - f), axis=-1)  # (..., states)
    exact: Floats = (chance * through).sum(axis=-1)
    return exact


def _order(parents: Sequence[Sequence[int]]) -> list[int]:
    """Items with every parent before them (the links have no cycle: the loader refuses them)."""
    if all(p < item for item, before in enumerate(parents) for p in before):
        return list(range(len(parents)))  # as written (the usual case): already in order
    done = [False] * len(parents)
    order: list[int] = []
    for start in range(len(parents)):
        stack = [(start, 0)]
        while stack:
            item, next_parent = stack.pop()
            if done[item]:
                continue
            if next_parent < len(parents[item]):
                stack.append((item, next_parent + 1))
                parent = parents[item][next_parent]
                if not done[parent]:
                    stack.append((parent, 0))
                continue
            done[item] = True
            order.append(item)
    return order


def build_lines(
    parents: Sequence[Sequence[int]],
    *,
    relays: Sequence[Sequence[int]],
    source: Sequence[int],
    fidelity: Floats,
) -> Lines:
    """
    The lines of reporting and the fidelity of each route.

    Args:
        parents: For each item, the rows of the items it derives from.
        relays: For each item, the source numbers of its own relays.
        source: For each item, its source's number; a repeat whose source
            is not its root's is one more relay on its route.
        fidelity: Each source's fidelity as a relay.

    Returns:
        The lines, numbered by the row of their root.

    .. versionadded:: 0.1
    """
    n = len(parents)
    roots = list(compress(range(n), map(operator.not_, parents)))
    direct: frozenset[int] = frozenset()  # most routes: no relay at all
    # A root is its own line's first member, through its own relays.  Roots
    # are most items, so their lines are laid out in bulk, as one-member
    # tuples, and only the lines that repeats join are rebuilt.
    members: list[tuple[int, ...]] = list(zip(roots))
    routes: list[tuple[frozenset[int], ...]] = list(
        zip([frozenset(own) if own else direct for own in map(relays.__getitem__, roots)])
    )
    first_line = np.zeros(n, dtype=np.int64)
    first_line[roots] = np.arange(len(roots))
    # The repeats that join each line, with their routes.
    joining: dict[int, list[tuple[int, frozenset[int]]]] = {}
    if len(roots) < n:
        number = dict(zip(roots, range(len(roots)), strict=True))
        # Each repeat's lines, by number: its parents' lines, joined.
        lines_of: dict[int, list[int]] = {}
        for item in filter(parents.__getitem__, _order(parents)):
            joined = sorted(
                set().union(
                    *(lines_of[p] if p in lines_of else (number[p],) for p in parents[item])
                )
            )
            lines_of[item] = joined
            first_line[item] = joined[0]
        for item, lines in lines_of.items():
            own = relays[item]
            for k in lines:
                through = own
                if source[item] != source[roots[k]]:
                    through = (*own, source[item])
                joining.setdefault(k, []).append((item, frozenset(through) if through else direct))
        for k, joined_by in joining.items():
            # Members in file order (a repeat may be written before its root), routes with them.
            paired = sorted([(roots[k], routes[k][0]), *joined_by], key=operator.itemgetter(0))
            members[k] = tuple(member for member, _ in paired)
            routes[k] = tuple(route for _, route in paired)
    relay_fidelity = fidelity.tolist()  # Python floats: a numpy scalar per relay costs more
    # A route's fidelity is the product over its relays; routes repeat (most
    # are direct), so each distinct one is multiplied out once.
    passes: dict[frozenset[int], float] = {
        route: math.prod(map(relay_fidelity.__getitem__, route))
        for route in set(chain.from_iterable(routes))
    }
    passes[direct] = 1  # the empty product, as math.prod gives
    # A one-member line's channel is its route's; the lines repeats joined are read whole.
    channel: list[tuple[float, ...]] = list(
        zip(map(passes.__getitem__, map(operator.itemgetter(0), routes)))
    )
    for k in joining:
        channel[k] = tuple(map(passes.__getitem__, routes[k]))
    # A line with a firsthand route (no relay) gets through for certain.
    line_fidelity = np.ones(len(routes), dtype=np.float64)
    for k in compress(range(len(routes)), map(all, routes)):
        line_fidelity[k] = route_fidelity(routes[k], fidelity)
    return Lines(
        root=np.array(roots, dtype=np.int64),
        members=tuple(members),
        routes=tuple(routes),
        channel=tuple(channel),
        fidelity=line_fidelity,
        first_line=first_line,
    )


def design_effect(n: npt.ArrayLike, rho: float) -> Floats:
    """
    Kish's design effect as a weight per unit: n_eff / n = 1 / (1 + (n - 1) rho).

    n units whose errors correlate by ``rho`` carry the information of
    n_eff = n / (1 + (n - 1) rho) independent ones, never more than 1 / rho.

    .. versionadded:: 0.1
    """
    return np.asarray(1.0 / (1.0 + (np.asarray(n, dtype=np.float64) - 1.0) * rho))


def tempering(
    originator: Ints,
    party: Ints,
    *,
    same_source: float,
    same_party: float,
    diagnostic: npt.NDArray[np.bool_] | None = None,
) -> Floats:
    """
    Each line's tempering factor: its source's design effect times its party's.

    Lines are first grouped by their originator: n lines from one source
    each count 1 / (1 + (n - 1) rho_source).  Then the k distinct originators
    that speak for one party (a source without a party is a party of its
    own) each count 1 / (1 + (k - 1) rho_party), so a party of one source is
    tempered once, at the source level.

    Only diagnostic lines are counted in n and k: a line that cannot tell the
    hypotheses apart carries no information to share errors in, so adding one
    changes no other line's factor (and so no posterior).  It gets the factor
    of its source's counted lines.

    Args:
        originator: The source number of each line's root.
        party: The party number of each line's root's source.
        same_source: rho for lines from one source.
        same_party: rho across one party's sources.
        diagnostic: Which lines count (all when not given).

    .. versionadded:: 0.1
    """
    if originator.size == 0:
        return np.zeros(0, dtype=np.float64)
    counted = np.ones(originator.size, dtype=bool) if diagnostic is None else diagnostic
    width = int(originator.max()) + 1
    parties = int(party.max()) + 1
    per_source = np.maximum(np.bincount(originator[counted], minlength=width)[originator], 1)
    # Which (party, source) pairs occur, by bincount: np.unique would load numpy.ma.
    pairs = party[counted] * width + originator[counted]
    present = np.bincount(pairs, minlength=parties * width) > 0
    sources_per_party = np.maximum(present.reshape(parties, width).sum(axis=1)[party], 1)
    factor: Floats = design_effect(per_source, same_source) * design_effect(
        sources_per_party, same_party
    )
    return factor
