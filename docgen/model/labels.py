"""A field path in the form's words, from the models' titles, for every message docgen
gives about a field; registered with `docgen.errors` when the model is imported."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from docgen import errors
from docgen.model.fields import inner_model, quote
from docgen.model.unit import Unit


def field_label(path: tuple[Any, ...], named: bool = True) -> str:
    """A field path in the form's words, from the models' titles: `('projects', 0,
    'declaration', 'end')` -> `申报 › 计划完成日期`.  With `named`, the project and the
    indicator are left out (the message names them: 项目「…」，指标「…」); without it a
    list's item is counted (`项目第1项`).  A key the models do not know (a typo, a label's
    name) is quoted as typed, or left out when it ends the path: the message names it
    (未知字段「wieght」); an empty path gives ``."""
    model: type[BaseModel] | None = Unit
    words: list[str] = []
    parts = list(path)
    i = 0
    while i < len(parts):
        part = parts[i]
        info = model.model_fields.get(part) if model is not None and isinstance(part, str) else None
        if info is None:  # the text names a key that is the field's last part (未知字段「…」)
            if isinstance(part, int) or i + 1 < len(parts):
                words.append(f"第{part + 1}项" if isinstance(part, int) else f"「{quote(part)}」")
            model = None
            i += 1
            continue
        title = info.title or str(part)
        inner = inner_model(info.annotation)
        listed = i + 1 < len(parts) and isinstance(parts[i + 1], int)
        if listed and inner is not None:  # an item of a list of models: 项目第1项, 绩效指标第2项
            if not (named and part in _NAMED_LISTS):
                words.append(f"{title}第{parts[i + 1] + 1}项")
            i += 2
        else:
            words.append(title)
            i += 1
        model = inner
    return " › ".join(words)


# Lists whose items a message names by themselves (项目「…」，指标「…」: `validate.describe`).
_NAMED_LISTS = frozenset({"projects", "indicators"})


errors.register_field_label(field_label)
