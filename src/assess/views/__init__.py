"""
The views layer: what people read.

Terminal tables, reports (Markdown, HTML, JSON, PDF), plots, notebook
displays, pandas frames and CI annotations.  Only the views and the command
line import this package.
"""
