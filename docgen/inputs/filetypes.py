"""What docgen reads, by file name: the suffixes of each kind of input."""

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # a data-entry workbook (`docgen workbook`) or a workbook of printed forms
