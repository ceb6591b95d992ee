"""
A new assessment to start from: the files ``assess init`` writes.

A commented assessment file with two hypotheses, one source, one document
and one quoted item, which validates and scores as it stands; the JSON
Schema beside it, which its first line names for editors; and the document
it quotes.  The texts ship in the package (``templates/init``).
"""

from __future__ import annotations

from importlib import resources
from typing import Final

__all__ = ["ASSESSMENT", "files"]

ASSESSMENT: Final = "assessment.yaml"
"""The assessment file's name in the new folder."""


def files() -> dict[str, str]:
    """
    Each file of a new assessment folder, by its path in the folder (``/``-separated).

    .. versionadded:: 0.1
    """
    from assess.io.schema import text  # noqa: PLC0415 -- the schema's text only when asked

    template = resources.files("assess.io").joinpath("templates", "init")
    return {
        ASSESSMENT: template.joinpath(ASSESSMENT).read_text(encoding="utf-8"),
        "assessment.schema.json": text(),
        "docs/council-notice.txt": template.joinpath("docs", "council-notice.txt").read_text(
            encoding="utf-8"
        ),
    }
