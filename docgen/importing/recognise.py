"""Which registered form a table or sheet is: its kind by the title it prints, its version
by the labels (the versions' `labels:` in templates/manifest.yaml) it carries."""

from __future__ import annotations

from ..registry import FormVersion, Registry
from .grid import FormText
from .labels import norm


def recognise(form: FormText, registry: Registry) -> FormVersion | None:
    head = [norm(t) for t in [*form.preamble[-3:], *(c.text for row in form.rows[:2] for c in row)] if t.strip()]
    texts = {norm(t) for t in form.texts()}
    for kind, versions in registry.kinds.items():
        title = norm(next(iter(versions.values())).kind_title)
        if not any(h.startswith(title) for h in head):
            continue

        def fit(version: FormVersion) -> tuple[int, bool]:
            labels = (version.labels or {}).values()
            return sum(norm(label) in texts for label in labels), version.version == registry.defaults[kind]

        return max(versions.values(), key=fit)
    return None
