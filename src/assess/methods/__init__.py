"""
The methods layer: pure functions over the model's arrays.

Scoring and lines of reporting, sensitivity, opinions, evidence theory,
calibration, estimative language and the value of information.  Imports
only the model and the ground floor: never input and output, history or
the views.
"""
