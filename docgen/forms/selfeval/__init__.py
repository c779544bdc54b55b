"""The 财政项目支出绩效自评表: model fragment, scoring, checks, render context (see `kind.py`)."""
