"""
Notebook display without the model importing the views.

The model and result classes (:class:`~assess.Assessment`,
:class:`~assess.Scores`, :class:`~assess.Analysis`, ...) answer Jupyter's
``_repr_html_`` and ``_repr_markdown_`` by calling :func:`show`, which looks
up the renderer registered for the object's class.  The renderers live in
the views (:mod:`assess.notebook`), which register them when imported; the
package's top level (``assess/__init__.py``) names that module with
:func:`provide`, and :func:`show` imports it on the first display.  So the
dependency runs from the views to the model, never back.
"""

from __future__ import annotations

import html
import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

#: Each class name's renderer: object and format ("html" or "markdown") to text.
_RENDERERS: dict[str, Callable[[Any, str], str]] = {}
#: Modules to import on the first display, which register renderers.
_PROVIDERS: list[str] = []


def register(kind: str, render: Callable[[Any, str], str]) -> None:
    """Show objects of the class named ``kind`` with ``render``."""
    _RENDERERS[kind] = render


def provide(module: str) -> None:
    """Import ``module`` on the first display: importing it registers renderers."""
    if module not in _PROVIDERS:
        _PROVIDERS.append(module)


def show(obj: object, fmt: str) -> str:
    """``obj`` as HTML or Markdown for a notebook; its ``repr`` if nothing renders it."""
    kind = type(obj).__name__
    while kind not in _RENDERERS and _PROVIDERS:
        importlib.import_module(_PROVIDERS.pop(0))
    render = _RENDERERS.get(kind)
    if render is not None:
        return render(obj, fmt)
    return f"<pre>{html.escape(repr(obj))}</pre>"  # Markdown passes the HTML through


class Displayed:
    """Mixin: a class whose notebook display is the renderer registered for it (:func:`show`)."""

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return show(self, "markdown")

    def _repr_html_(self) -> str:
        return show(self, "html")
