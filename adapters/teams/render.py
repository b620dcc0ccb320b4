"""Outbound messages -> Bot Framework activities for Teams (markdown messages and Adaptive Cards), as pure functions.

Every span is escaped for Teams' markdown, which is also what an Adaptive Card's TextBlock reads: `&`, `<` and `>`
become entities, so no text becomes HTML or an `<at>` mention (and Ritme never sends mention entities, without
which Teams pings no one); the characters of inline markdown (`\\`, `` ` ``, `*`, `_`, `~`, `[`, `]`) get a
backslash, and so do the markers that start a heading, a list, a quote or a table at the start of a line. Spans a
member typed are also defused (`@everyone` gets a zero-width space). Bold spans are `**…**`.

Markdown joins single line breaks into one paragraph, so each line of a Text is a paragraph of its own: a
TextBlock per line on a card, lines apart by a blank line in a message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from adapters.mentions import defuse_mentions
from adapters.teams.protocol import ANSWER, BUTTON, DATA_KEY, FIELD_COUNT, field_id
from rituals.outbound import (
    Button,
    ChannelPost,
    ChannelUpdate,
    Field,
    Form,
    GroupPrompt,
    Line,
    Prompt,
    Span,
    Text,
    ThreadReply,
    Update,
)

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
# Teams refuses a bot message over about 28 KB (its documented limit), whole; Ritme's activities stay below this
# many characters of JSON as aiohttp sends it (ASCII only, so "é" takes six), leaving room for the envelope.
ACTIVITY_LIMIT = 24_000
INPUT_VALUE_LIMIT = 4_000
LABEL_LIMIT = 500
ELLIPSIS = "…"

Activity = dict[str, Any]
Element = dict[str, Any]

_INLINE = re.compile(r"([\\`*_~\[\]])")
_BLOCK_MARKER = re.compile(r"^(\s*)([#+|=-])")  # `>` is an entity by then
_ORDERED = re.compile(r"^(\s*\d+)([.)])")
# A web address in text: up to a space, or a character that would end a markdown link's target.
_URL = re.compile(r"https?://[^\s<>()\[\]`]+")
_URL_TRAILER = ".,;:!?'\""  # sentence punctuation right after an address is not part of it


def escape_markdown(text: str, *, line_start: bool = True) -> str:
    """Text that Teams' markdown shows as it is: no HTML, no mention, no emphasis, link, list or heading.

    `line_start` says whether the text begins a line (or paragraph), where `#`, `-`, `1.` and the like are markup.
    Line breaks inside the text become paragraph breaks, so every piece is escaped as the start of a line.
    """
    pieces = []
    for index, piece in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        pieces.append(_escape_piece(piece, line_start=line_start or index > 0))
    return "\n\n".join(pieces)


def _escape_piece(text: str, *, line_start: bool) -> str:
    # `&` first, or the `&` of the other two entities would be escaped again.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    if line_start:
        text = _BLOCK_MARKER.sub(r"\1\\\2", text)
        text = _ORDERED.sub(r"\1\\\2", text)
    return text


def render_span(span: Span, *, line_start: bool = True) -> str:
    """One span as Teams markdown: escaped, defused when a member typed it, Ritme's own web addresses as links,
    and bold as `**…**`."""
    if span.user:
        # What a member typed stays text: Teams links a typed address itself, and a typed link cannot be disguised.
        pieces = escape_markdown(defuse_mentions(span.text), line_start=line_start).split("\n\n")
    else:
        pieces = _with_links(span.text, line_start=line_start).split("\n\n")
    # Bold per paragraph: `**` does not reach across a paragraph break.
    return "\n\n".join(_bold(piece) for piece in pieces) if span.bold else "\n\n".join(pieces)


def _with_links(text: str, *, line_start: bool) -> str:
    """The text escaped, each web address in it a link whose target is the address exactly as written.

    An escaped address is not one: a sign-in or calendar token with `_` in it would reach the browser as `\\_`.
    A link's text is escaped like any text, but its target is taken literally.
    """
    parts: list[str] = []
    at = 0
    for found in _URL.finditer(text):
        url = found.group(0).rstrip(_URL_TRAILER)
        parts.append(escape_markdown(text[at:found.start()], line_start=line_start and at == 0))
        parts.append(f"[{escape_markdown(url, line_start=False)}]({url})")
        at = found.start() + len(url)
    parts.append(escape_markdown(text[at:], line_start=line_start and at == 0))
    return "".join(parts)


def render_line(line: Line) -> str:
    """A line of spans as Teams markdown; only text at the very start of the line is escaped as a line start."""
    out: list[str] = []
    at_start = True
    for span in line:
        out.append(render_span(span, line_start=at_start))
        at_start = at_start and not span.text.strip()
    return "".join(out)


def markdown(text: Text) -> str:
    """The whole text as Teams markdown, one paragraph per line."""
    return "\n\n".join(render_line(line) for line in text.lines)


# Activities ---------------------------------------------------------------------------------------------------


def message(text: Text) -> Activity:
    """A plain message in markdown, cut to Teams' size limit with an ellipsis."""
    lines = _fit(list(text.lines), lambda kept: _message(kept))
    return _message(lines)


def text_card(text: Text, buttons: Sequence[Button] = ()) -> Activity:
    """A message with an Adaptive Card: the text, and under it a button per Button (Action.Submit)."""
    actions = [_button(button) for button in buttons]
    lines = _fit(list(text.lines), lambda kept: _card_activity(_text_blocks(kept), actions))
    return _card_activity(_text_blocks(lines), actions)


def form_card(form: Form) -> Activity:
    """A form as an Adaptive Card: its text, an input per question (text, or options to pick from; prefilled), and a
    submit button."""
    inputs = [form_input(index, field) for index, field in enumerate(form.fields)]
    submit: Element = {
        "type": "Action.Submit",
        "title": _cut(form.submit_label, LABEL_LIMIT),
        "data": {DATA_KEY: ANSWER, "delivery": form.delivery_id, FIELD_COUNT: len(form.fields)},
    }
    lines = _fit(list(form.text.lines), lambda kept: _card_activity([*_text_blocks(kept), *inputs], [submit]))
    return _card_activity([*_text_blocks(lines), *inputs], [submit])


def form_input(index: int, field: Field) -> Element:
    """The card's input for one question: Input.Text, or with choices an Input.ChoiceSet shown as radio buttons."""
    common: Element = {
        "id": field_id(index),
        "label": _cut(field.label.strip() or str(index + 1), LABEL_LIMIT),
        # Teams then refuses to send the card until the question is answered.
        "isRequired": not field.optional,
    }
    if not field.choices:
        return {
            "type": "Input.Text",
            **common,
            "isMultiline": field.multiline,
            "value": _cut(field.value, INPUT_VALUE_LIMIT),
        }
    # "expanded" shows every option at once (radio buttons), so one tap answers; Teams sends back the value picked.
    choice_set: Element = {
        "type": "Input.ChoiceSet",
        **common,
        "style": "expanded",
        "wrap": True,
        "choices": [{"title": _cut(choice.label, LABEL_LIMIT), "value": choice.value} for choice in field.choices],
    }
    if any(choice.value == field.value for choice in field.choices):
        choice_set["value"] = field.value
    return choice_set


def prompt_activity(prompt: Prompt) -> Activity:
    """A private message: markdown text, or a card when it has buttons."""
    return text_card(prompt.text, prompt.buttons) if prompt.buttons else message(prompt.text)


def update_activity(update: Update) -> Activity:
    """What replaces an earlier private message: always a card, as what it replaces is often one (a form)."""
    return text_card(update.text, update.buttons)


def channel_activity(post: ChannelPost | ChannelUpdate | ThreadReply) -> Activity:
    """A channel post or a reply in its thread: a markdown message, or a card when the post has buttons (anyone in
    the channel may press them); what replaces a post is always a card, as what it replaces often is one."""
    if isinstance(post, ChannelUpdate):
        return text_card(post.text, post.buttons)
    if isinstance(post, ChannelPost) and post.buttons:
        return text_card(post.text, post.buttons)
    return message(post.text)


def group_activity(prompt: GroupPrompt) -> Activity:
    """A group's message as each member gets it in their personal chat: a card, so a later one can replace it."""
    return text_card(prompt.text, prompt.buttons)


# Pieces -------------------------------------------------------------------------------------------------------


def _message(lines: Sequence[Line]) -> Activity:
    return {"type": "message", "textFormat": "markdown", "text": markdown(Text(tuple(lines)))}


def _card_activity(body: list[Element], actions: list[Element]) -> Activity:
    card: Element = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": CARD_VERSION, "body": body}
    if actions:
        card["actions"] = actions
    return {"type": "message", "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": card}]}


def _text_blocks(lines: Sequence[Line]) -> list[Element]:
    blocks: list[Element] = []
    gap = False
    for line in lines:
        text = render_line(line)
        if not text.strip():
            gap = bool(blocks)  # an empty line shows as room before the next one
            continue
        block: Element = {"type": "TextBlock", "text": text, "wrap": True}
        if gap:
            block["spacing"] = "Large"
            gap = False
        blocks.append(block)
    return blocks


def _button(button: Button) -> Element:
    return {
        "type": "Action.Submit",
        "title": _cut(button.label, LABEL_LIMIT),
        "data": {DATA_KEY: BUTTON, "action": button.action, "value": button.value},
    }


def _bold(text: str) -> str:
    core = text.strip()
    if not core:
        return text
    # Markdown only reads `**x**` as bold when the asterisks touch the words, so surrounding spaces stay outside.
    start = len(text) - len(text.lstrip())
    return f"{text[:start]}**{core}**{text[start + len(core) :]}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def _size(activity: Activity) -> int:
    return len(json.dumps(activity))


def _fit(lines: list[Line], build: Callable[[list[Line]], Activity]) -> list[Line]:
    """As many whole lines as fit under ACTIVITY_LIMIT, then what fits of the next one and an ellipsis.

    Lines are cut before they are escaped, so a cut never splits an escape or leaves a bold span open.
    """
    if _size(build(lines)) <= ACTIVITY_LIMIT:
        return lines
    low, high = 0, len(lines)  # the most whole lines that fit, by bisection: `low` fits, `high` does not
    while high - low > 1:
        middle = (low + high) // 2
        if _size(build([*lines[:middle], _ellipsis_line()])) <= ACTIVITY_LIMIT:
            low = middle
        else:
            high = middle
    kept = lines[:low]
    if low < len(lines):
        partial = _longest_prefix(lines[low], lambda line: _size(build([*kept, line])) <= ACTIVITY_LIMIT)
        if partial is not None:
            return [*kept, partial]
    return [*kept, _ellipsis_line()]


def _longest_prefix(line: Line, fits: Callable[[Line], bool]) -> Line | None:
    """The line cut to the most characters that still fit with an ellipsis, or None when nothing of it does."""
    total = sum(len(span.text) for span in line)
    low, high = 0, total
    while high > low:
        middle = (low + high + 1) // 2
        if fits(_prefix(line, middle)):
            low = middle
        else:
            high = middle - 1
    return _prefix(line, low) if low > 0 else None


def _prefix(line: Line, chars: int) -> Line:
    spans: list[Span] = []
    for span in line:
        if chars <= 0:
            break
        spans.append(Span(text=span.text[:chars], bold=span.bold, user=span.user))
        chars -= len(span.text)
    return (*spans, Span(text=ELLIPSIS))


def _ellipsis_line() -> Line:
    return (Span(text=ELLIPSIS),)
