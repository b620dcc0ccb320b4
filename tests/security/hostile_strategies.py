"""What the hostile-input tests throw at Ritme: hypothesis strategies of text an attacker, a script or a clumsy paste
would send, and the limits the answers are held to (the table in docs/security.md)."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

from rituals.commands import MAX_COMMAND_LENGTH, MAX_NAME_LENGTH, MAX_QUESTION_LENGTH
from rituals.model import MAX_LINK_LENGTH, MAX_THEME_LENGTH

# A parsed command's free-text fields by name, and the most characters each may hold.
LIMITS = {
    "questions": MAX_QUESTION_LENGTH,
    "theme": MAX_THEME_LENGTH,
    "label": MAX_THEME_LENGTH,
    "link": MAX_LINK_LENGTH,
    "who": MAX_NAME_LENGTH,
    "topic": MAX_COMMAND_LENGTH,
}

# Written out here rather than imported, so the test does not trust the code it checks: the direction marks,
# embeddings, overrides and isolates that reorder text on screen (CVE-2021-42574, "Trojan Source").
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

FRAGMENTS = (
    "<!channel>", "<!here>", "<!everyone>", "<!subteam^S123>", "<@U0123ABC>", "<#C0123|general>",
    "<http://evil.example|https://bank.example>", "@channel", "@here", "@everyone", "*bold*", "_it_", "~s~",
    "`code`", "```block```", "> quote", "[click](javascript:alert(1))", "![x](http://evil.example/x.png)",
    "# heading", "- item", "1. item", "| a | b |", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(1)>", "{{7*7}}", "${7*7}", "{0}", "{limit}", "%s%n", "\\", "'", '"', "“", "”",
    '{"type": "Action.OpenUrl", "url": "https://evil.example"}', '"}, {"type": "Action.Submit', "<at>Sam</at>",
    "../../etc/passwd", "..\\..\\boot.ini", "\x00", "nul\x00byte", "\r\n", "\u2028", "\u202e", "\u2066", "\u200e",
    "\u200b", "\ufeff", "\x1b[31m", "👩\u200d💻", "ﷺ", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇", "İstanbul", "ß", "K", "ﬁ", "09:30", "mon-fri",
    "https://meet.example/x", "Europe/Amsterdam", "fri", "16:30", "questions", "theme", "|", "#1", "-1", "9" * 30,
)


def is_invisible_control(ch: str) -> bool:
    """A character that changes how text looks or breaks without being seen: controls, separators, bidi marks."""
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS


def hostile_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Arbitrary unicode, heavy on the fragments that have broken chat bots and web pages before."""
    pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12),
                       st.characters(min_codepoint=0, max_codepoint=0x2070).map(str))
    return st.lists(pieces, max_size=12).map("".join).map(lambda text: text[:max_size])


def hostile_words() -> st.SearchStrategy[str]:
    """Hostile pieces as words of a command, spaces between them."""
    return st.lists(hostile_text(60), min_size=1, max_size=6).map(" ".join)
