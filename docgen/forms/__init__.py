"""Form kinds: everything particular to one kind of form lives in its package here.

A kind is registered in `templates/manifest.yaml` (`kinds: <name>:`, with `package:`
naming its Python package, by default `docgen.forms.<name>`).  The package holds its
model fragment (`model.py`: `FRAGMENT`, the part of a project or unit record only this
kind reads), its checks (and scoring), its render context, and `kind.py`: `KIND`, a
`FormKind` listing the capabilities it has (`docgen.forms.interface`).  `form_kinds()`
is the kinds the manifest registers, in the order a project's forms come (the
manifest's `form_order:`, then the other kinds in manifest order); finding them also
installs their fragments into the unit model (`docgen.model.parts`).

Importing this package is cheap on purpose: it installs the fragments of the default
manifest's kinds (their `model.py` only); a kind's `kind.py` is loaded on first use.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
from functools import lru_cache

from docgen.errors import RegistryError
from docgen.forms.interface import Change, FormKind
from docgen.model import parts
from docgen.registry.manifest import Registry, load_registry, templates_dir

__all__ = ["Change", "FormKind", "form_kind", "form_kinds", "reset_kinds"]

# What form_kinds() keys on: the manifest's kinds in form order, each (name, package, scope).
Entries = tuple[tuple[str, str, str], ...]


def _entries(registry: Registry) -> Entries:
    return tuple((name, package, registry.kinds[name][registry.defaults[name]].scope) for name, package in registry.packages.items())


@lru_cache(maxsize=8)
def _entries_at(env: str | None) -> Entries:
    """The kinds of the manifest under `templates_dir()`, by `$DOCGEN_TEMPLATES` as it was
    (asked for on every lookup of a kind: the environment is cheaper to read than a path)."""
    return _entries(load_registry(templates_dir()))


def _module(package: str, module: str, name: str, what: str) -> object:
    try:
        found = importlib.import_module(f"{package}.{module}")
    except ModuleNotFoundError as exc:
        if exc.name is None or not f"{package}.{module}".startswith(exc.name):
            raise  # the kind's module is there, something it imports is not
        raise RegistryError(f"表单种类「{name}」的程序包 {package} 没有 {module}.py（{exc}）") from exc
    if not hasattr(found, what):
        raise RegistryError(f"表单种类「{name}」：{package}.{module} 没有 {what}")
    return getattr(found, what)


@lru_cache(maxsize=8)
def _fragments(entries: Entries) -> tuple[parts.Fragment, ...]:
    return tuple(_module(package, "model", name, "FRAGMENT") for name, package, _ in entries)  # type: ignore[misc]


@lru_cache(maxsize=8)
def _kinds(entries: Entries) -> tuple[FormKind, ...]:
    out = []
    for name, package, scope in entries:
        kind = _module(package, "kind", name, "KIND")
        if not isinstance(kind, FormKind) or kind.name != name:
            raise RegistryError(f"表单种类「{name}」：{package}.kind.KIND 应为名为「{name}」的 FormKind")
        if (kind.document if scope == "unit" else kind.context) is None:
            raise RegistryError(f"表单种类「{name}」（scope: {scope}）缺少{'整体文档（document）' if scope == 'unit' else '表单内容（context）'}")
        out.append(dataclasses.replace(kind, scope=scope))
    return tuple(out)


@lru_cache(maxsize=8)
def _default(env: str | None) -> tuple[tuple[parts.Fragment, ...], tuple[FormKind, ...]]:
    entries = _entries_at(env)
    return _fragments(entries), _kinds(entries)


def form_kinds(registry: Registry | None = None) -> tuple[FormKind, ...]:
    """Every form kind `registry` (default: the manifest under `templates_dir()`)
    registers, in the order a project's forms come; their fragments are the unit model's."""
    if registry is None:
        fragments, kinds = _default(os.environ.get("DOCGEN_TEMPLATES"))
    else:
        entries = _entries(registry)
        fragments, kinds = _fragments(entries), _kinds(entries)
    parts.install(fragments)
    return kinds


def form_kind(name: str, registry: Registry | None = None) -> FormKind:
    for kind in form_kinds(registry):
        if kind.name == name:
            return kind
    raise KeyError(f"no FormKind for form kind {name!r}")


def reset_kinds() -> None:
    """Forget the kinds found so far (a test that changes the manifest's kinds)."""
    for cache in (_entries_at, _fragments, _kinds, _default):
        cache.cache_clear()


def _install_default() -> None:
    """The default manifest's fragments, so the unit model has its parts from the start;
    a broken manifest is reported where it is used."""
    try:
        parts.install(_fragments(_entries_at(os.environ.get("DOCGEN_TEMPLATES"))))
    except (RegistryError, OSError, ImportError):
        pass


_install_default()
