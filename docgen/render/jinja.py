"""The Jinja environment every template renders in.

Templates are untrusted input: sandboxed (no reaching Python internals), strict
about undefined names (a typo in a tag fails loudly instead of printing nothing),
and every value escaped for XML (an `&` or `<` in a project name must not truncate
the document).  Control characters, which XML 1.0 forbids, are dropped.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ..formatting import amount_text, number_text, percent_text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value)


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, str):
        return clean_text(value)
    return value


def make_env(autoescape: bool = True) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=autoescape,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    env.filters.update(amount=amount_text, num=number_text, pct=percent_text)
    return env
