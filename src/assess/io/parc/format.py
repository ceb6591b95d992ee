"""The ``.achz`` format as this package reads and writes it: the root, the caps, the tokens."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from assess.model.assessment import (
    Credibility,
    Kind,
    Rating,
)
from assess.model.frozenmap import FrozenMap

# --------------------------------------------------------------------------- the format

ROOT: Final = "ACH"
"""The root element export writes; PARC's own name for it is not known, and import accepts any."""

MAX_ACHZ_BYTES: Final = 16 * 1024 * 1024
"""Largest compressed ``.achz`` input read (16 MiB)."""

MAX_XML_BYTES: Final = 2 * MAX_ACHZ_BYTES
"""Largest decompressed XML accepted: 32 MiB, 16 MiB of text at two bytes a character."""

MAX_ELEMENTS: Final = 200_000
"""Most XML elements (and comments) read: ten per item leaves room for 20,000 items.

The cap keeps a small file of many tiny elements from taking gigabytes as a tree.
"""

TRAILER_MARKER: Final = "--- kept by assess (v1): do not edit below this line ---"
"""The line in an item's ``NOTES`` after which export keeps what PARC cannot hold."""

BLOCK_PREFIX: Final = " assess: "
BLOCK_VERSION: Final = 1

RATING_TOKENS: Final[FrozenMap[Rating, str]] = FrozenMap(
    {
        Rating.CC: "C C",
        Rating.C: "C",
        Rating.N: "N",
        Rating.I: "I",
        Rating.II: "I I",
        Rating.NA: "NA",
    }
)
"""How PARC writes each rating in ``VALUES``."""

FROM_TOKEN: Final = {token: rating for rating, token in RATING_TOKENS.items()}

CREDIBILITY_TO_PARC: Final[FrozenMap[Credibility, str]] = FrozenMap(
    {
        Credibility.CONFIRMED: "HIGH",
        Credibility.PROBABLY_TRUE: "HIGH",
        Credibility.POSSIBLY_TRUE: "MEDIUM",
        Credibility.DOUBTFUL: "LOW",
        Credibility.IMPROBABLE: "LOW",
        # "Cannot be judged" is worth 0.5 in scoring, as 3 is, and MEDIUM is
        # PARC's own default for an item nobody graded.
        Credibility.CANNOT_BE_JUDGED: "MEDIUM",
    }
)
"""Admiralty credibility written as PARC's three levels (docs/interchange.md)."""

CREDIBILITY_FROM_PARC: Final[FrozenMap[str, Credibility]] = FrozenMap(
    {
        "HIGH": Credibility.PROBABLY_TRUE,
        "MEDIUM": Credibility.POSSIBLY_TRUE,
        "LOW": Credibility.DOUBTFUL,
    }
)
"""PARC's three levels read as Admiralty credibility: the middle grade of each band."""

DEFAULT_KIND: Final = Kind.REPORT
"""The kind of an item whose ``TYPE`` is empty or not in :data:`KIND_FROM_TYPE`."""

KIND_FROM_TYPE: Final[FrozenMap[str, Kind]] = FrozenMap(
    {
        **{kind.value: kind for kind in Kind},
        # C-ACH's evidence types, the only PARC-era vocabulary on record.
        "humint": Kind.TESTIMONY,
        "osint": Kind.REPORT,
        "sigint": Kind.REPORT,
        "imint": Kind.PHYSICAL,
        "masint": Kind.PHYSICAL,
    }
)
"""``TYPE`` (compared in lower case, trimmed) to the nearest evidence kind."""

PARC_SOURCE_ID: Final = "parc"
PARC_SOURCE_NAME: Final = "Not recorded in the PARC ACH file"
PARC_SOURCE_NOTES: Final = (
    "PARC ACH files neither record nor grade sources, so the items imported from one"
    " cite this source, graded F (reliability cannot be judged). Replace it with the"
    " real sources, graded, when you know them."
)

DAY_MS: Final = 86_400_000
EPOCH: Final = dt.date(1970, 1, 1)
MIN_MS: Final = (dt.date.min - EPOCH).days * DAY_MS
MAX_MS: Final = (dt.date.max - EPOCH).days * DAY_MS

# Characters XML 1.0 cannot carry at all, not even as character references.
NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Of these, the ones a JSON string may still contain (json escapes the rest).
NOT_XML_IN_JSON: Final = re.compile("[\ud800-\udfff\ufffe\uffff]")
# In a Python string, a surrogate is always a lone one: a pair is one character.
SURROGATE: Final = re.compile("[\ud800-\udfff]")
# Keys of an item's canonical data that the PARC elements themselves hold.
HELD_BY_PARC: Final = frozenset(
    {"id", "summary", "kind", "source", "credibility", "date", "ratings", "notes", "document"}
)

CODES: Final = {Rating.II: -2, Rating.I: -1, Rating.N: 0, Rating.C: 1, Rating.CC: 2}
FROM_CODE: Final = {code: rating for rating, code in CODES.items()}
