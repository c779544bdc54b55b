"""The 财政项目支出绩效目标申报表: model fragment, checks, render context (see `kind.py`)."""
