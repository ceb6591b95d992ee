"""An immutable, hashable, picklable mapping for frozen model classes."""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class FrozenMap(Mapping[K, V]):
    """
    A read-only mapping that keeps insertion order and can be hashed.

    Equality is that of mappings (order does not matter), so two evidence
    items that rate the same hypotheses the same way are equal however the
    ratings were written.
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(items)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    # Delegate to the dict: Mapping's generic views go through __getitem__.
    def __contains__(self, key: object) -> bool:
        return key in self._data

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, /, default: V | T) -> V | T: ...
    def get(self, key: K, /, default: object = None) -> object:
        """The value for ``key``, or ``default``: the dict's own, not Mapping's by exception."""
        return self._data.get(key, default)

    def keys(self) -> KeysView[K]:
        """The dict's own view: Mapping's generic one goes through ``__getitem__``."""
        return self._data.keys()

    def items(self) -> ItemsView[K, V]:
        """The dict's own view."""
        return self._data.items()

    def values(self) -> ValuesView[V]:
        """The dict's own view."""
        return self._data.values()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (self._data,))
