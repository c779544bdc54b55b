"""The Jinja environment every template renders in.

Templates are untrusted input: sandboxed (no reaching Python internals), strict
about undefined names (a typo in a tag fails loudly instead of printing nothing),
and every value escaped for XML (an `&` or `<` in a project name must not truncate
the document).  Control characters, which XML 1.0 forbids, are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from docgen.errors import TemplateError
from docgen.model.formatting import amount_text, fixed_text, number_text, percent_text

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
    env.filters.update(amount=amount_text, dec2=fixed_text, num=number_text, pct=percent_text)
    return env


@contextmanager
def template_errors(template: Path) -> Iterator[None]:
    """Turn whatever rendering `template` raises into one `TemplateError` for the user."""
    try:
        yield
    except TemplateError:
        raise
    except SecurityError as exc:
        raise TemplateError(template, f"模板试图访问不允许的内部属性（{exc}）") from exc
    except UndefinedError as exc:
        raise TemplateError(template, f"模板引用了不存在的变量（{exc.message}）") from exc
    except JinjaTemplateError as exc:
        raise TemplateError(template, f"模板标签有误（{exc}）") from exc
    except Exception as exc:  # a broken Office package surfaces as many exception types
        raise TemplateError(template, f"无法渲染（{type(exc).__name__}: {exc}）") from exc
