"""The names Ritme's Slack messages and Slack's payloads share: the platform, action ids and the modal's id."""

from __future__ import annotations

import re

PLATFORM = "slack"

ANSWER_ACTION = "ritme.answer"
"""The "Answer" button of a prompt in a DM; its value is the delivery id, and pressing it opens the form's modal."""

BUTTON_ACTION = "ritme.button"
"""Prefix of every other button's action id; its value is JSON {"action", "value"} for ButtonClicked."""

BUTTON_ACTION_PATTERN = re.compile(r"^ritme\.button(\.\d+)?$")
"""Matches the action ids of buttons: Slack wants action ids unique within a block, so each gets its index."""

FORM_CALLBACK = "ritme.form"
"""The callback id of a form's modal; its private_metadata is JSON {"delivery_id", "key"}."""

FIELD_BLOCK_PREFIX = "ritme.field."
"""Block ids of a modal's inputs are this prefix and the field's index."""

FIELD_ACTION = "value"
"""The action id of each modal input's text element."""


def button_action_id(index: int) -> str:
    """The action id of the button at `index` in a message."""
    return f"{BUTTON_ACTION}.{index}"


def field_block_id(index: int) -> str:
    """The block id of a modal's input for the field at `index`."""
    return f"{FIELD_BLOCK_PREFIX}{index}"
