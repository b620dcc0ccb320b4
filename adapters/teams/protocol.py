"""The names Ritme's Teams messages and Teams' activities share, and how Teams ids map to engine addresses.

Addresses:
- A member is MemberAddress(platform="teams", workspace_id=<tenant id>, user_id=<the Teams user id, "29:...">),
  the id a bot sees as `from.id` and needs to open a personal chat.
- A team channel is ChannelAddress(platform="teams", workspace_id=<tenant id>, channel_id=<the channel's
  conversation id, "19:...@thread.tacv2", without any ";messageid=..." suffix>).

Card actions: every Action.Submit (or Action.Execute) Ritme puts on a card carries data {DATA_KEY: kind, ...}:
- {DATA_KEY: ANSWER, "delivery": <delivery id>, FIELD_COUNT: <how many fields>} on a prompt's form, whose inputs
  have ids FIELD_PREFIX + index (Teams leaves an input out of the submission when it is empty);
- {DATA_KEY: BUTTON, "action": <action>, "value": <value>} on a button, as ButtonClicked(action, value).
"""

from __future__ import annotations

PLATFORM = "teams"

DATA_KEY = "ritme"
ANSWER = "answer"
BUTTON = "button"
FIELD_PREFIX = "field."
FIELD_COUNT = "fields"

MAX_SENDS_PER_CONVERSATION_PER_SECOND = 7
"""Teams' documented limit for a bot posting into one conversation."""


def field_id(index: int) -> str:
    """The input id of a form's field at `index`."""
    return f"{FIELD_PREFIX}{index}"


def channel_of_conversation(conversation_id: str) -> str:
    """A channel's conversation id without the ";messageid=..." that marks a thread in it."""
    return conversation_id.split(";", 1)[0]
