"""Which registered form a table or sheet is: its kind by the title it prints, its version
by the labels (the versions' `labels:` in templates/manifest.yaml) it carries."""

from __future__ import annotations

from docgen.registry.manifest import FormVersion, Registry
from docgen.inputs.importing.grid import FormText
from docgen.inputs.importing.labels import norm


_LONGEST_TITLE_LINE = 40  # a title with the unit's name and the year before it; a sentence is longer


def _titled(head: str, title: str) -> bool:
    """The kind's title, alone or typed on one line with the year or the unit's name
    (「2022年度财政项目支出绩效自评表」); a cover note that only mentions it is a sentence."""
    return head.startswith(title) or (title in head and len(head) <= len(title) + _LONGEST_TITLE_LINE and not head.endswith(("。", ".")))


def recognise(form: FormText, registry: Registry) -> FormVersion | None:
    head = [norm(t) for t in [*form.preamble[-3:], *(c.text for row in form.rows[:2] for c in row)] if t.strip()]
    texts = {norm(t) for t in form.texts()}
    for kind, versions in registry.kinds.items():
        title = norm(next(iter(versions.values())).kind_title)
        # A document's tables are headed by their own titles (`…绩效目标表`: the version's `form` label).
        own = {norm(v.labels["form"]) for v in versions.values() if (v.labels or {}).get("form")}
        if not any(_titled(h, title) or any(h.endswith(t) or t in h.split("\t")[0][-len(t):] for t in own) for h in head):
            continue

        def fit(version: FormVersion) -> tuple[int, bool]:
            labels = (version.labels or {}).values()
            return sum(norm(label) in texts for label in labels), version.version == registry.defaults[kind]

        return max(versions.values(), key=fit)
    return None
