"""Which characters a member's free text may not hold: the invisible ones that hide, reorder or break what others
read, and NUL, which PostgreSQL cannot store in a text column at all."""

from __future__ import annotations

import unicodedata

# Direction marks, embeddings, overrides and isolates: invisible, yet they reorder what others read ("Trojan Source",
# CVE-2021-42574). Zero-width joiners are not among them: emoji such as 👩‍💻 need them.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\n\r\t")


def first_invisible(value: str, *, multiline: bool = False) -> str | None:
    """The first control character, line or paragraph separator or bidi mark in `value`, or None.

    With `multiline` (an answer, a comment) line breaks and tabs are ordinary text; in a one-line value (a name, a
    theme, a link) they are not.
    """
    for ch in value:
        if multiline and ch in _LINE_BREAKS:
            continue
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in BIDI_CONTROLS:
            return ch
    return None


def code_point(ch: str) -> str:
    """A character as `U+202E`, the way to name one that cannot be seen."""
    return f"U+{ord(ch):04X}"


# A name a platform gives (a member's, a channel's, a team's) is kept in a column of 255 characters; Entra ID allows
# 256 for a display name, so a longer one is cut rather than left to fail the insert on PostgreSQL.
MAX_PLATFORM_NAME = 200


def platform_name(value: str) -> str:
    """A name as a platform sent it, without invisible characters and cut to MAX_PLATFORM_NAME characters.

    Not refused: the member did not type it here, and refusing would shut them out of every ritual.
    """
    if len(value) <= MAX_PLATFORM_NAME and first_invisible(value) is None:
        return value
    visible = "".join(ch for ch in value if first_invisible(ch) is None)
    return visible[:MAX_PLATFORM_NAME]
