"""The data-entry workbook: a unit file in Excel, for people who do not write YAML.

`read.read_workbook` (used by the loader for every .xlsx input) reads one back as the
same data a YAML file gives, each value located by its cell; `write.build` lays a unit
out as one (`docgen.build.workbook` writes it), `columns` holds its sheets and columns.
"""
