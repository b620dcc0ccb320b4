"""Mentions a member typed, made harmless before any platform shows them again."""

from __future__ import annotations

import re

_ZWSP = "\u200b"
# No word boundary on purpose: a platform may still expand "@here_" or "@HERE", and a stray space costs nothing.
_AT_MENTION = re.compile(r"@(?=here|channel|everyone)", re.IGNORECASE)


def defuse_mentions(text: str) -> str:
    """Insert a zero-width space after `@` in @here/@channel/@everyone and after `<!`, so nobody is pinged."""
    # `<!` opens Slack's special mentions (<!channel>, <!here>, <!subteam^...>), so it is broken wherever it occurs.
    return _AT_MENTION.sub("@" + _ZWSP, text).replace("<!", "<!" + _ZWSP)
