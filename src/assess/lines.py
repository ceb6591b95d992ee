"""
Lines of reporting, chains of custody and shared sources, as pure functions.

An item that rests on no other item is an original report: the root of a
**line**.  Every item that repeats or rests on it (``derived_from``, followed
downstream) belongs to its line, and a line counts once.  An item that rests
on two originals belongs to both lines; it does not merge them, and two items
that cite a third stay independent of each other.

Each item of a line is one **channel** by which the original reached us.  A
channel passes the report through relays (``via``, or the outlet that carried
the document), each passing it on faithfully with the probability its grade
gives: Hooper's rule for successive witnesses, a product.  Channels are
independent routes for the same report, so the line's fidelity is Hooper's
rule for concurrent witnesses, 1 - prod(1 - f).  It never exceeds 1, so no
number of repeats makes a line weigh more than its originator's grade allows.

Lines from one originator, or from sources that speak for one party, share
their errors; Kish's design effect tempers them (``docs/methods.md``,
sections 1-3 give every formula with its source).

.. versionadded:: 0.2
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Lines", "build_lines", "design_effect", "tempering"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class Lines:
    """
    The lines of reporting of a set of items, numbered in the order of their roots.

    Attributes:
        root: The row of each line's root (its original report).
        members: Each line's rows: the root first, then its repeats in file order.
        channel: For each line, the fidelity of each member's channel, in
            the order of ``members``.
        fidelity: Each line's fidelity: 1 - prod(1 - channel).
        first_line: Each item's first line (the line of its earliest root).

    .. versionadded:: 0.2
    """

    root: Ints
    members: tuple[tuple[int, ...], ...]
    channel: tuple[tuple[float, ...], ...]
    fidelity: Floats
    first_line: Ints


def _order(parents: Sequence[Sequence[int]]) -> list[int]:
    """Items with every parent before them (the links have no cycle: the loader refuses them)."""
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
    own_fidelity: Sequence[float],
    hop_fidelity: Sequence[float],
    source: Sequence[int],
) -> Lines:
    """
    The lines of reporting and the fidelity of each channel.

    Args:
        parents: For each item, the rows of the items it derives from.
        own_fidelity: For each item, the product of its own relays' fidelities.
        hop_fidelity: For each item, the fidelity of its source acting as a relay.
        source: For each item, its source's number; a repeat whose source
            differs from its root's is one more relay on its channel.

    Returns:
        The lines, numbered by the row of their root.

    .. versionadded:: 0.2
    """
    n = len(parents)
    # best[i]: for each root upstream of item i, the best channel from it to i.
    best: list[dict[int, float]] = [{} for _ in range(n)]
    for item in _order(parents):
        if not parents[item]:
            best[item] = {item: float(own_fidelity[item])}
            continue
        reached: dict[int, float] = {}
        for parent in parents[item]:
            for root, channel in best[parent].items():
                hop = float(own_fidelity[item])
                if source[item] != source[root]:
                    hop *= float(hop_fidelity[item])
                reached[root] = max(reached.get(root, 0.0), channel * hop)
        best[item] = reached
    roots = [item for item in range(n) if not parents[item]]
    number = {root: k for k, root in enumerate(roots)}
    members: list[list[int]] = [[] for _ in roots]
    channel_lists: list[list[float]] = [[] for _ in roots]
    first = np.zeros(n, dtype=np.int64)
    for item in range(n):
        lines_of = sorted(number[root] for root in best[item])
        first[item] = lines_of[0]
        for k in lines_of:
            members[k].append(item)
            channel_lists[k].append(best[item][roots[k]])
    channels = [tuple(line) for line in channel_lists]
    fidelity = np.array(
        [1.0 - math.prod(1.0 - f for f in line) for line in channels], dtype=np.float64
    )
    return Lines(
        root=np.array(roots, dtype=np.int64),
        members=tuple(tuple(rows) for rows in members),
        channel=tuple(channels),
        fidelity=fidelity,
        first_line=first,
    )


def design_effect(n: npt.ArrayLike, rho: float) -> Floats:
    """
    Kish's design effect as a weight per unit: n_eff / n = 1 / (1 + (n - 1) rho).

    n units whose errors correlate by ``rho`` carry the information of
    n_eff = n / (1 + (n - 1) rho) independent ones, never more than 1 / rho.

    .. versionadded:: 0.2
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

    .. versionadded:: 0.2
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
