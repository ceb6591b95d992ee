"""
What changed between two versions of an assessment, and what it did.

Assessments live in version control and change as reporting arrives.  A
line diff of the YAML shows which lines moved; :func:`diff` shows what they
meant: which hypotheses, sources, documents, evidence items and assumptions
were added, removed or changed (field by field, each rating its own field),
and what that did to the conclusion: each hypothesis's posterior, rank,
estimative term and Monte Carlo stability before and after, the leader and
the confidence level, and linchpins gained and lost.

Fields are compared as values, not as text: comments, spacing, key order and
a default written out explicitly are no change, and an ``NA`` rating is the
same as no rating, as in :func:`assess.digest`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

import attrs

from assess.analysis import analyse
from assess.methods.language import estimative_term
from assess.model import Rating
from assess.model.canonical import digest
from assess.model.display import Displayed

if TYPE_CHECKING:
    from assess.analysis import Analysis
    from assess.model import Assessment

__all__ = [
    "Diff",
    "EntityChange",
    "FieldChange",
    "HypothesisShift",
    "HypothesisState",
    "diff",
]

#: The blocks of an assessment whose entries are matched by id, in file order.
ENTITIES: Final = ("hypotheses", "sources", "documents", "evidence", "assumptions", "indicators")
#: What one entry of each block is called in messages.
SINGULAR: Final = {
    "hypotheses": "hypothesis",
    "sources": "source",
    "documents": "document",
    "evidence": "evidence",
    "assumptions": "assumption",
    "indicators": "indicator",
}

#: A field's value as plain JSON-ready data; None when the field is unset.
Plain = str | int | float | bool | list[str] | None


@attrs.frozen
class FieldChange:
    """
    One field whose value differs; ``None`` means unset (or absent).

    ``field`` is a dotted path inside its entry: ``credibility``,
    ``ratings.H2``, ``ratings.H2.alice`` for one analyst's rating,
    ``scoring.likelihoods.CC`` at the top level.

    .. versionadded:: 0.1
    """

    field: str
    old: Plain
    new: Plain


@attrs.frozen
class EntityChange:
    """
    A hypothesis, source, document, evidence item or assumption that changed.

    ``status`` is ``added``, ``removed`` or ``changed``; ``fields`` lists
    every field that differs (for an added or removed entry, every field it
    has).

    .. versionadded:: 0.1
    """

    block: str
    id: str
    status: str
    fields: tuple[FieldChange, ...]


@attrs.frozen
class HypothesisState:
    """
    One hypothesis's standing in one version.

    .. versionadded:: 0.1
    """

    posterior: float
    rank: int
    term: str
    stability: float


@attrs.frozen
class HypothesisShift:
    """
    One hypothesis before and after; ``None`` where it does not exist.

    .. versionadded:: 0.1
    """

    id: str
    before: HypothesisState | None
    after: HypothesisState | None

    @property
    def posterior_change(self) -> float | None:
        """After minus before, when the hypothesis exists in both."""
        if self.before is None or self.after is None:
            return None
        return self.after.posterior - self.before.posterior


@attrs.frozen(eq=False)
class Diff(Displayed):
    """
    Two versions of an assessment compared.

    ``changes`` lists the entries that changed, block by block in file
    order; ``settings`` the top-level fields that changed (title, question,
    scoring, judgement, ...); ``reordered`` the blocks whose shared entries
    are in a different order (which changes the digest but no score).

    .. versionadded:: 0.1
    """

    old_name: str
    new_name: str
    old_digest: str
    new_digest: str
    changes: tuple[EntityChange, ...]
    settings: tuple[FieldChange, ...]
    reordered: tuple[str, ...]
    hypotheses: tuple[HypothesisShift, ...]
    leader_before: str
    leader_after: str
    confidence_before: str
    confidence_after: str
    linchpins_gained: tuple[str, ...]
    linchpins_lost: tuple[str, ...]
    before: Analysis
    after: Analysis

    def __repr__(self) -> str:
        return (
            f"Diff({self.old_name!r} -> {self.new_name!r}, {len(self.changes)} entries changed,"
            f" leader {self.leader_before} -> {self.leader_after})"
        )

    @property
    def same_content(self) -> bool:
        """Whether the two versions have the same digest."""
        return self.old_digest == self.new_digest

    def to_json(self) -> dict[str, object]:
        """Everything as JSON-ready data."""

        def state(s: HypothesisState | None) -> dict[str, object] | None:
            return None if s is None else attrs.asdict(s)

        return {
            "old": {"name": self.old_name, "digest": self.old_digest},
            "new": {"name": self.new_name, "digest": self.new_digest},
            "changes": [
                {
                    "block": c.block,
                    "id": c.id,
                    "status": c.status,
                    "fields": [attrs.asdict(f) for f in c.fields],
                }
                for c in self.changes
            ],
            "settings": [attrs.asdict(f) for f in self.settings],
            "reordered": list(self.reordered),
            "effect": {
                "hypotheses": [
                    {
                        "id": h.id,
                        "before": state(h.before),
                        "after": state(h.after),
                        "posterior_change": h.posterior_change,
                    }
                    for h in self.hypotheses
                ],
                "leader": {"before": self.leader_before, "after": self.leader_after},
                "confidence": {
                    "before": self.confidence_before,
                    "after": self.confidence_after,
                },
                "linchpins": {
                    "gained": list(self.linchpins_gained),
                    "lost": list(self.linchpins_lost),
                },
            },
        }


# --------------------------------------------------------------------------- fields


def _plain(value: object) -> Plain:
    """A scalar field value as JSON-ready data."""
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [str(_plain(v)) for v in value]
    return str(value)


def _flatten(value: object, prefix: str, into: dict[str, Plain]) -> None:
    """Every leaf of an attrs record or mapping, by dotted path; NA ratings left out."""
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            _flatten(getattr(value, field.name), f"{prefix}{field.name}.", into)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if item is Rating.NA:  # an NA rating is no rating (as in the digest)
                continue
            _flatten(item, f"{prefix}{_plain(key)}.", into)
    else:
        into[prefix[:-1]] = _plain(value)


def fields_of(value: object) -> dict[str, Plain]:
    """
    An entry's fields as ``{dotted path: plain value}``.

    .. versionadded:: 0.1
    """
    found: dict[str, Plain] = {}
    _flatten(value, "", found)
    return found


def _compare(old: Mapping[str, Plain], new: Mapping[str, Plain]) -> tuple[FieldChange, ...]:
    """The fields that differ, old order first, then fields only the new one has."""
    keys = list(old) + [k for k in new if k not in old]
    return tuple(
        FieldChange(key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key)
    )


def _entity_changes(old: Assessment, new: Assessment) -> tuple[list[EntityChange], list[str]]:
    changes: list[EntityChange] = []
    reordered: list[str] = []
    for block in ENTITIES:
        before = {e.id: e for e in getattr(old, block)}
        after = {e.id: e for e in getattr(new, block)}
        for entry in getattr(old, block):
            if entry.id not in after:
                gone = fields_of(entry)
                fields = _compare(gone, {})
                changes.append(EntityChange(SINGULAR[block], entry.id, "removed", fields))
            else:
                fields = _compare(fields_of(entry), fields_of(after[entry.id]))
                if fields:
                    changes.append(EntityChange(SINGULAR[block], entry.id, "changed", fields))
        for entry in getattr(new, block):
            if entry.id not in before:
                fields = _compare({}, fields_of(entry))
                changes.append(EntityChange(SINGULAR[block], entry.id, "added", fields))
        shared_old = [e.id for e in getattr(old, block) if e.id in after]
        shared_new = [e.id for e in getattr(new, block) if e.id in before]
        if shared_old != shared_new:
            reordered.append(block)
    return changes, reordered


def _settings(old: Assessment, new: Assessment) -> tuple[FieldChange, ...]:
    """Top-level fields other than the blocks of entries."""

    def top(assessment: Assessment) -> dict[str, Plain]:
        found: dict[str, Plain] = {}
        for field in attrs.fields(type(assessment)):
            if field.name not in ENTITIES:
                key = field.metadata.get("key") or field.name
                _flatten(getattr(assessment, field.name), f"{key}.", found)
        return found

    return _compare(top(old), top(new))


# --------------------------------------------------------------------------- effect


def _states(analysis: Analysis) -> dict[str, HypothesisState]:
    sensitivity = analysis.sensitivity
    return {
        h.id: HypothesisState(
            posterior=h.posterior,
            rank=h.rank,
            term=estimative_term(h.posterior),
            stability=sensitivity.of(h.id)[0],
        )
        for h in analysis.scores.hypotheses
    }


def _linchpins(analysis: Analysis) -> set[str]:
    return {lp.line for lp in analysis.linchpins if lp.leader_changes}


def diff(
    old: Assessment,
    new: Assessment,
    *,
    old_name: str = "old",
    new_name: str = "new",
    draws: int | None = None,
    seed: int | None = None,
) -> Diff:
    """
    Compare two versions of an assessment and what the change did.

    Each version is analysed with its own ``scoring`` settings (or with
    ``draws`` and ``seed`` when given), exactly as :func:`assess.analyse`
    would.

    Args:
        old: The earlier version.
        new: The later version.
        old_name: What to call the earlier version (a file name, a revision).
        new_name: What to call the later version.
        draws: Monte Carlo draws for both (default: each file's own).
        seed: Monte Carlo seed for both (default: each file's own).

    Returns:
        The comparison.

    .. versionadded:: 0.1
    """
    changes, reordered = _entity_changes(old, new)
    before = analyse(old, draws=draws, seed=seed)
    after = analyse(new, draws=draws, seed=seed)
    states_before, states_after = _states(before), _states(after)
    order = list(states_before) + [h for h in states_after if h not in states_before]
    pins_before, pins_after = _linchpins(before), _linchpins(after)
    return Diff(
        old_name=old_name,
        new_name=new_name,
        old_digest=digest(old),
        new_digest=digest(new),
        changes=tuple(changes),
        settings=_settings(old, new),
        reordered=tuple(reordered),
        hypotheses=tuple(
            HypothesisShift(h, states_before.get(h), states_after.get(h)) for h in order
        ),
        leader_before=before.confidence.leader,
        leader_after=after.confidence.leader,
        confidence_before=before.confidence.level,
        confidence_after=after.confidence.level,
        linchpins_gained=tuple(sorted(pins_after - pins_before)),
        linchpins_lost=tuple(sorted(pins_before - pins_after)),
        before=before,
        after=after,
    )
