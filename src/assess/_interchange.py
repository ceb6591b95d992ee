"""What the interchange modules (:mod:`assess.parc`, :mod:`assess.tabular`) share."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable

    from assess.model import Assessment

__all__ = ["Imported"]


def _to_notices(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Imported:
    """
    An assessment read from another tool's file, and what reading it took.

    ``notices`` says, one plain sentence each, what the import defaulted,
    mapped or changed, so that a person can check it before trusting the
    result: a grade translated between scales, an id made up, a rating
    changed.  They are not errors; an input that cannot be read raises
    :class:`~assess.InputError` instead.

    .. versionadded:: 0.1
    """

    assessment: Assessment
    notices: tuple[str, ...] = attrs.field(default=(), converter=_to_notices)
