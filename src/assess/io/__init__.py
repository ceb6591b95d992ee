"""
The input and output layer: text in and out.

The YAML reader (:mod:`~assess.io.yaml_reader`), loading and its checks
(:mod:`~assess.io.loading`, :mod:`~assess.io.documents`, :mod:`~assess.io.files`),
canonical YAML (:mod:`~assess.io.dump`), PARC ``.achz`` (:mod:`~assess.io.parc`),
CSV and TSV (:mod:`~assess.io.tabular`), the JSON Schema
(:mod:`~assess.io.schema`) and the starter files of ``assess init``
(:mod:`~assess.io.scaffold`).  Imports only the model and the ground floor.
"""
