"""Optional extras: import one, or say which to install."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from assess.errors import MissingExtraError

if TYPE_CHECKING:
    from types import ModuleType


def load_extra(module: str, *, extra: str, needed_by: str) -> ModuleType:
    """
    The module an optional extra installs, or :class:`MissingExtraError` naming the extra.

    ``needed_by`` starts the message: ``"PDF reports need"`` gives "PDF
    reports need the pdf extra: pip install 'assess-evidence[pdf]'".
    """
    from assess._version import DISTRIBUTION  # noqa: PLC0415

    try:
        return importlib.import_module(module)
    except ImportError as error:
        message = f"{needed_by} the {extra} extra: pip install '{DISTRIBUTION}[{extra}]'"
        raise MissingExtraError(message, extra=extra) from error
