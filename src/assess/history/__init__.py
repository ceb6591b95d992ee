"""
The history layer: an assessment over time.

Diffs of two versions (:mod:`~assess.history.diff`), the date-by-date
timeline (:mod:`~assess.history.timeline`) and versions read from git
(:mod:`~assess.history.revisions`).  Imports the analysis and the layers
below it.
"""
