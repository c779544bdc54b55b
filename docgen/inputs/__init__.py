"""Reading input: unit files (YAML/JSON), data-entry workbooks, printed forms read back."""
