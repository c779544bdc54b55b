"""The 部门整体绩效目标: model fragments, checks, render context, the document (see `kind.py`)."""
