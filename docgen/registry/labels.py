"""A label as the manifest declares it: the version's own wording first, then the
synonyms a clerk's copy uses (`read:` and a kind's `synonyms:`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from docgen.errors import RegistryError

__all__ = ["Labels", "label_map", "labels", "norm", "squeeze"]

Labels = tuple[str, ...]  # a field's label as the version prints it, then the synonyms a clerk's copy uses

_SPACE = re.compile(r"[\s\u3000]+")
_WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","})
_UNIT = re.compile(r"\(万?元\)")


@lru_cache(maxsize=1 << 16)
def squeeze(text: str) -> str:
    """`text` without spaces, brackets, colons and commas in their ASCII width."""
    return _SPACE.sub("", text).translate(_WIDTH)


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """A label as it is matched (by import, recognition and the kinds' synonyms):
    「项目总预算（万元）：」 is 「项目总预算」 (the amount unit is read from the labels
    separately: `importing.numbers`)."""
    return _UNIT.sub("", squeeze(text).rstrip(":")).rstrip(":")


def labels(value: Any, where: str) -> Labels:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise RegistryError(f"{where} 应为标签或标签列表，却是「{value}」")
    return tuple(values)


def label_map(raw: Any, where: str) -> dict[str, Labels]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RegistryError(f"{where} 应为 字段: 标签 的映射")
    return {str(k): labels(v, f"{where}.{k}") for k, v in raw.items()}
