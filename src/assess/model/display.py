"""
Views of model and result objects, without the model importing the views.

The model and result classes (:class:`~assess.Assessment`,
:class:`~assess.Scores`, :class:`~assess.Analysis`, ...) answer Jupyter's
``_repr_html_`` and ``_repr_markdown_``, and ``to_pandas``, by asking this
registry for the view registered for the object's class and purpose
(``"html"``, ``"markdown"``, ``"pandas"``, ``"matrix-pandas"``).  The views
live in :mod:`assess.views` (:mod:`~assess.views.notebook`,
:mod:`~assess.views.frames`), which register them when imported; the
package's top level (``assess/__init__.py``) names those modules with
:func:`provide`, and :func:`view` imports them on first use.  So the
dependency runs from the views to the model, never back.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

#: Each (class name, purpose)'s view: object to HTML, Markdown, a frame, ...
_VIEWS: dict[tuple[str, str], Callable[[Any], Any]] = {}
#: Modules to import on first use, which register views.
_PROVIDERS: list[str] = []


def register(kind: str, purpose: str, view: Callable[[Any], Any]) -> None:
    """Give objects of the class named ``kind`` the ``view`` for ``purpose``."""
    _VIEWS[kind, purpose] = view


def provide(module: str) -> None:
    """Import ``module`` on first use: importing it registers views."""
    if module not in _PROVIDERS:
        _PROVIDERS.append(module)


def _find(obj: object, purpose: str) -> Callable[[Any], Any] | None:
    key = (type(obj).__name__, purpose)
    while key not in _VIEWS and _PROVIDERS:
        importlib.import_module(_PROVIDERS.pop(0))
    return _VIEWS.get(key)


def view(obj: object, purpose: str) -> Any:
    """``obj`` through the view registered for its class and ``purpose``."""
    found = _find(obj, purpose)
    if found is None:
        raise LookupError(f"no {purpose} view of {type(obj).__name__}")
    return found(obj)


def show(obj: object, fmt: str) -> str:
    """``obj`` as HTML or Markdown for a notebook; its ``repr`` if nothing renders it."""
    found = _find(obj, fmt)
    if found is not None:
        text: str = found(obj)
        return text
    import html  # noqa: PLC0415 -- only for a notebook's display, never on a command's start

    return f"<pre>{html.escape(repr(obj))}</pre>"  # Markdown passes the HTML through


class Displayed:
    """Mixin: a class whose notebook display is the view registered for it (:func:`show`)."""

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return show(self, "markdown")

    def _repr_html_(self) -> str:
        return show(self, "html")
