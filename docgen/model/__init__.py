"""Pure data: the unit file's model, field types, indicator values, amounts, rounding, findings."""

from docgen.model import labels as _labels  # noqa: E402,F401  (registers the form's words for messages)
