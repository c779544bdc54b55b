"""Each shipped kind's workbook heads exactly the indicator columns its model fragment adds,
in the fragment's order: the data-entry workbook and the unit model say the same."""

from __future__ import annotations

import pytest

from docgen.forms import form_kinds


@pytest.mark.parametrize("kind", form_kinds(), ids=lambda k: k.name)
def test_a_kinds_workbook_heads_its_fragments_indicator_columns(kind):
    assert kind.indicator_fields() == tuple(part.field for part in kind.fragment.indicator)


def test_the_shipped_kinds_add_their_columns_to_the_indicator_row():
    added = {kind.name: kind.indicator_fields() for kind in form_kinds()}
    assert added == {
        "dept": ("description", "basis"),
        "target": ("standard",),
        "selfeval": ("evaluated_target", "actual", "weight", "score", "tier", "deviation"),
    }
