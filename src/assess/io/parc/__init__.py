"""
PARC ACH 2.0.x ``.achz`` files: export an assessment to one, import one.

An ``.achz`` file is an XML document in UTF-16 with a byte-order mark,
compressed with gzip.  The layout used here is reconstructed from the field
names that C-ACH's importer reads (``PROJECT-TITLE``, ``MATRIX``,
``HYPOTHESIS/NAME``, ``EVIDENCE/NAME``, ``NOTES``, ``VALUES`` ...); it has not
been checked against files written by PARC ACH itself.
``docs/interchange.md`` describes it element by element.

PARC holds less than an assessment: no sources, no Admiralty grades, three
credibility levels, one rating per cell.  Export therefore keeps what PARC
cannot hold in two places that PARC leaves alone: a line of JSON at the end
of each item's ``NOTES`` (the item's own data, which survives editing in
PARC), and one XML comment with the assessment's own data (which PARC drops
when it saves).  Import reads both back when they are present and still
agree with what PARC shows, so that ``import_achz(export_achz(a))`` equals
``a``; where they disagree, what PARC shows wins and a notice says so.

Reading is defensive: the compressed input and the decompressed XML are
capped, the XML is parsed by :mod:`defusedxml` with document type
declarations, entities and external references forbidden, and every
refusal is an :class:`~assess.InputError` naming the element at fault.
"""

from __future__ import annotations

from assess.io.interchange import MAX_JSON_VALUES, Imported
from assess.io.parc.format import (
    CREDIBILITY_FROM_PARC,
    CREDIBILITY_TO_PARC,
    DEFAULT_KIND,
    KIND_FROM_TYPE,
    MAX_ACHZ_BYTES,
    MAX_ELEMENTS,
    MAX_XML_BYTES,
    RATING_TOKENS,
    ROOT,
    TRAILER_MARKER,
)
from assess.io.parc.reading import import_achz
from assess.io.parc.writing import export_achz, export_notices, team_value

__all__ = [
    "CREDIBILITY_FROM_PARC",
    "CREDIBILITY_TO_PARC",
    "DEFAULT_KIND",
    "KIND_FROM_TYPE",
    "MAX_ACHZ_BYTES",
    "MAX_ELEMENTS",
    "MAX_JSON_VALUES",
    "MAX_XML_BYTES",
    "RATING_TOKENS",
    "ROOT",
    "TRAILER_MARKER",
    "Imported",
    "export_achz",
    "export_notices",
    "import_achz",
    "team_value",
]
