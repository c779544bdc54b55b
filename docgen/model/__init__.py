"""Pure data: the unit file's model, field types, indicator values, amounts, rounding, findings."""
