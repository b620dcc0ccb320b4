"""Outbound messages -> arguments of Slack Web API calls (Block Kit), as pure functions.

Every span is escaped for mrkdwn (`&`, `<`, `>`), so no text can become a link, a user mention or a special
mention such as `<!channel>`; spans a member typed are also defused (`@here` gets a zero-width space). The plain
`text` every message carries for notifications is rendered the same way, so it pings no one either.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from adapters.mentions import defuse_mentions
from adapters.slack.protocol import (
    ANSWER_ACTION,
    FIELD_ACTION,
    FORM_CALLBACK,
    button_action_id,
    field_block_id,
)
from rituals.outbound import Button, Choice, Field, Form, HomeView, Span, Text

# Slack's documented limits (docs.slack.dev, Block Kit reference); going over one makes the whole call fail.
SECTION_TEXT_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
MODAL_BLOCK_LIMIT = 100
ACTIONS_PER_BLOCK = 25
TEXT_LIMIT = 40_000
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
INPUT_LABEL_LIMIT = 2000
INPUT_VALUE_LIMIT = 3000
MODAL_TITLE_LIMIT = 24
MODAL_SUBMIT_LIMIT = 24
PRIVATE_METADATA_LIMIT = 3000
HOME_BLOCK_LIMIT = 100
HEADER_TEXT_LIMIT = 150
OPTION_TEXT_LIMIT = 75
OPTION_VALUE_LIMIT = 150
RADIO_OPTIONS_LIMIT = 10
SELECT_OPTIONS_LIMIT = 100
# Slack refuses a view over 250 kB (view_too_large); blocks are kept below this, leaving room for the rest.
VIEW_BYTES_LIMIT = 250_000 - 2_000

MODAL_TITLE = "Ritme"  # the product's name, the same in every language
ELLIPSIS = "…"

Args = dict[str, Any]
Block = dict[str, Any]


def escape_mrkdwn(text: str) -> str:
    """Text with Slack's three control characters escaped, so `<!channel>` or `<@U1>` is shown, not obeyed."""
    # `&` first, or the `&` of the other two escapes would be escaped again.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_span(span: Span) -> str:
    """One span as mrkdwn: escaped, defused when a member typed it, and bold as `*…*`."""
    text = escape_mrkdwn(defuse_mentions(span.text) if span.user else span.text)
    if not span.bold:
        return text
    core = text.strip()
    if not core:
        return text
    # Slack only reads `*x*` as bold when the asterisks touch the words, so surrounding spaces stay outside.
    start = len(text) - len(text.lstrip())
    return f"{text[:start]}*{core}*{text[start + len(core) :]}"


def render_mrkdwn(text: Text) -> str:
    """The whole text as mrkdwn, one line per line."""
    return "\n".join("".join(render_span(span) for span in line) for line in text.lines)


def fallback_text(text: Text) -> str:
    """The plain `text` of a message, shown in notifications; escaped and defused like the blocks."""
    return _truncate(render_mrkdwn(text), TEXT_LIMIT, escaped=True)


def section_blocks(text: Text, *, limit: int = MESSAGE_BLOCK_LIMIT) -> list[Block]:
    """The text as mrkdwn section blocks of at most 3,000 characters each, at most `limit` of them."""
    chunks = _chunks(render_mrkdwn(text), SECTION_TEXT_LIMIT)
    if len(chunks) > limit:
        # A message over Slack's block limit would be refused whole; a cut digest still tells most of it.
        chunks = chunks[:limit]
        chunks[-1] = _truncate(chunks[-1] + ELLIPSIS, SECTION_TEXT_LIMIT, escaped=True)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunks]


def button_value(button: Button) -> str:
    """What a button carries back: JSON {"action", "value"}; raises ValueError past Slack's 2,000 characters."""
    value = json.dumps({"action": button.action, "value": button.value}, ensure_ascii=False, separators=(",", ":"))
    if len(value) > BUTTON_VALUE_LIMIT:
        raise ValueError(
            f"the button {button.action!r} carries {len(value)} characters; Slack takes {BUTTON_VALUE_LIMIT}"
        )
    return value


def actions_blocks(buttons: Sequence[Button]) -> list[Block]:
    """Buttons as actions blocks of up to 25 buttons, each with its own action id (Slack wants them unique)."""
    elements = [
        {
            "type": "button",
            "action_id": button_action_id(index),
            "text": _plain(button.label, BUTTON_LABEL_LIMIT),
            "value": button_value(button),
        }
        for index, button in enumerate(buttons)
    ]
    return [
        {"type": "actions", "elements": elements[start : start + ACTIONS_PER_BLOCK]}
        for start in range(0, len(elements), ACTIONS_PER_BLOCK)
    ]


def message_content(text: Text, buttons: Sequence[Button] = ()) -> Args:
    """The `text` and `blocks` of a message that shows text and, below it, buttons."""
    actions = actions_blocks(buttons)
    blocks = section_blocks(text, limit=MESSAGE_BLOCK_LIMIT - len(actions)) + actions
    return {"text": fallback_text(text), "blocks": blocks}


def form_message_content(form: Form) -> Args:
    """A form as a DM: its text and one "Answer" button that opens the form's modal."""
    button = {
        "type": "button",
        "action_id": ANSWER_ACTION,
        "style": "primary",
        "text": _plain(form.open_label, BUTTON_LABEL_LIMIT),
        "value": str(form.delivery_id),
    }
    blocks = [*section_blocks(form.text, limit=MESSAGE_BLOCK_LIMIT - 1), {"type": "actions", "elements": [button]}]
    return {"text": fallback_text(form.text), "blocks": blocks}


def form_modal(form: Form) -> Args:
    """A form as a modal view for views.open: its text, then one input per question (text, or options to pick
    from), prefilled."""
    metadata = json.dumps({"delivery_id": form.delivery_id, "key": form.key}, separators=(",", ":"))
    if len(metadata) > PRIVATE_METADATA_LIMIT:
        raise ValueError(f"the key of form {form.delivery_id} is too long for a modal's private_metadata")
    inputs = [_input_block(index, field) for index, field in enumerate(form.fields)]
    if len(inputs) > MODAL_BLOCK_LIMIT:
        raise ValueError(f"form {form.delivery_id} has {len(inputs)} questions; a modal holds {MODAL_BLOCK_LIMIT}")
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": _plain(MODAL_TITLE, MODAL_TITLE_LIMIT),
        "submit": _plain(form.submit_label, MODAL_SUBMIT_LIMIT),
        "private_metadata": metadata,
        "blocks": section_blocks(form.text, limit=MODAL_BLOCK_LIMIT - len(inputs)) + inputs,
    }


def home_view(view: HomeView) -> Args:
    """A HomeView as the `view` of views.publish: a header per section, then its text, cut to Slack's limits."""
    blocks: list[Block] = []
    for section in view.sections:
        if blocks:
            blocks.append({"type": "divider"})
        blocks.append({"type": "header", "text": _plain(section.title, HEADER_TEXT_LIMIT)})
        blocks.extend(section_blocks(section.text, limit=HOME_BLOCK_LIMIT))
    return {"type": "home", "blocks": _fit_home(blocks)}


def _fit_home(blocks: list[Block]) -> list[Block]:
    """The blocks that fit a Home tab (100 blocks, 250 kB), ending in an ellipsis when some had to go.

    Slack refuses an oversized view whole; a long overview cut short still shows its beginning.
    """
    kept: list[Block] = []
    size = 0
    for block in blocks:
        # Measured as it is sent: aiohttp writes ASCII-only JSON, where "é" takes six characters.
        size += len(json.dumps(block))
        if len(kept) == HOME_BLOCK_LIMIT or size > VIEW_BYTES_LIMIT:
            break
        kept.append(block)
    else:
        return kept
    del kept[HOME_BLOCK_LIMIT - 1 :]  # room for the ellipsis
    while kept and kept[-1]["type"] in ("header", "divider"):
        kept.pop()  # a heading whose text did not fit would only confuse
    kept.append({"type": "section", "text": {"type": "mrkdwn", "text": ELLIPSIS}})
    return kept


def _input_block(index: int, field: Field) -> Block:
    """The modal's input for one question: a text input, or radio buttons (a menu past ten options) to pick one."""
    element = _choice_element(field) if field.choices else _text_element(field)
    return {
        "type": "input",
        "block_id": field_block_id(index),
        # Optional unless the engine asks for an answer; otherwise the engine judges an answer and explains in
        # the member's language what is missing.
        "optional": field.optional,
        "label": _plain(field.label.strip() or str(index + 1), INPUT_LABEL_LIMIT),
        "element": element,
    }


def _text_element(field: Field) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": FIELD_ACTION, "multiline": field.multiline}
    if field.value:
        # Slack refuses an empty initial_value, and one longer than an input can hold.
        element["initial_value"] = field.value[:INPUT_VALUE_LIMIT]
    return element


def _choice_element(field: Field) -> Block:
    # Slack shows at most 10 radio buttons; a longer list becomes a menu, which holds 100.
    kind = "radio_buttons" if len(field.choices) <= RADIO_OPTIONS_LIMIT else "static_select"
    if len(field.choices) > SELECT_OPTIONS_LIMIT:
        raise ValueError(f"{field.label[:40]!r} has {len(field.choices)} options; Slack takes {SELECT_OPTIONS_LIMIT}")
    options = [_option(choice) for choice in field.choices]
    element: Block = {"type": kind, "action_id": FIELD_ACTION, "options": options}
    picked = next((option for option in options if option["value"] == field.value), None)
    if picked is not None:
        # Slack wants the very same option object that is in the list.
        element["initial_option"] = picked
    return element


def _option(choice: Choice) -> Block:
    # The value is the answer: cut, it would be another answer, and "" means none picked; so such values are refused.
    if not choice.value or len(choice.value) > OPTION_VALUE_LIMIT:
        raise ValueError(f"the option value {choice.value[:40]!r} is empty or over Slack's {OPTION_VALUE_LIMIT}")
    return {"text": _plain(choice.label, OPTION_TEXT_LIMIT), "value": choice.value}


def _plain(text: str, limit: int) -> Block:
    # plain_text is never parsed for mentions or links, so it needs no escaping; Slack refuses an empty one.
    return {"type": "plain_text", "text": _truncate(text, limit) or " ", "emoji": True}


def _truncate(text: str, limit: int, *, escaped: bool = False) -> str:
    if len(text) <= limit:
        return text
    size = limit - len(ELLIPSIS)
    return (_cut(text, size) if escaped else text[:size]) + ELLIPSIS


def _cut(text: str, size: int) -> str:
    """The longest prefix of escaped text of at most `size` characters that does not end inside `&amp;` & co."""
    head = text[:size]
    # In escaped text every `&` starts an escape, so one without its `;` in the head was cut in half.
    amp = head.rfind("&")
    if amp != -1 and ";" not in head[amp:]:
        return head[:amp]
    return head


def _chunks(text: str, size: int) -> list[str]:
    """Pieces of at most `size` characters, split at line ends where possible and never inside an escape."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = line if not current else f"{current}\n{line}"
        if len(candidate) <= size:
            current = candidate
            continue
        if current.strip():
            chunks.append(current)
        while len(line) > size:
            piece = _cut(line, size) or line[:size]
            chunks.append(piece)
            line = line[len(piece) :]
        current = line
    if current.strip():
        chunks.append(current)
    return chunks
