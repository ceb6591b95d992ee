"""
The version and the distribution name of assess, each written once.

pyproject.toml reads the version from here; a test checks the name against it.
"""

VERSION = "0.1.0.dev0"

DISTRIBUTION = "assess-evidence"
"""The name on the package index, where ``assess`` is an unrelated project."""
