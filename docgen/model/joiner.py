"""The one character the printed Word forms add to a text of the unit's: U+2060 WORD
JOINER, between the last two characters of a paragraph that may wrap, so that its last
line never holds one character alone (`render.lines`).  It has no width and prints
nothing; every reader of a form takes it out again (`without_joiners`), so a form read
back gives the unit's text exactly."""

from __future__ import annotations

WORD_JOINER = "\u2060"


def without_joiners(text: str) -> str:
    return text.replace(WORD_JOINER, "") if WORD_JOINER in text else text
