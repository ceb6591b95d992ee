"""
Canonical YAML: the canonical form of an assessment (:mod:`assess.model.canonical`) as text.

``load(dump(a))`` equals ``a`` for every valid assessment; comments and the
formatting of the original file are not kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from assess.io.yaml_reader import resolve_plain
from assess.model.canonical import Flow, canonical_tree

if TYPE_CHECKING:
    from assess.model import Assessment

__all__ = ["dump"]


class _Dumper(yaml.SafeDumper):
    """
    Pure-Python safe dumper that quotes what a YAML 1.2 reader would not read as text.

    PyYAML decides whether a string needs quotes by YAML 1.1 rules; ``1e5`` or
    ``0o17`` pass those as text but our loader reads them as numbers.  The
    pure-Python emitter (not libyaml's) keeps the bytes the same on every
    installation.  Equal values (two items on the same date) are written out
    each time: the loader refuses anchors and aliases.
    """

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 -- never alias anything
        return True


# Characters YAML treats as line breaks (or a byte-order mark): only the
# double-quoted style writes them as escapes; other styles would fold them away.
_ESCAPE_ONLY = frozenset("\r\x85\u2028\u2029\ufeff")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if not _ESCAPE_ONLY.isdisjoint(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if not isinstance(resolve_plain(value), str):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Lists of ids on one line ([E1, E7]); lists of mappings as blocks.
    flow = all(isinstance(item, str) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Flow, _represent_flow)
_Dumper.add_representer(list, _represent_list)


def dump(assessment: Assessment) -> str:
    """
    The assessment as canonical YAML text.

    ``load(dump(a))`` equals ``a`` for every valid assessment ``a``; comments
    and formatting of the original file are not kept.

    .. versionadded:: 0.1
    """
    text: str = yaml.dump(
        canonical_tree(assessment),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
        indent=2,
    )
    return text
