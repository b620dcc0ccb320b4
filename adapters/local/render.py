"""Outbound messages -> the browser chat's view model, as pure functions.

The view model carries text as plain strings in lines of spans; the browser only ever puts them into the page
with textContent, so no text is markup anywhere. Spans a member typed are also defused, so copying them into a
real chat platform cannot ping a whole channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from adapters.mentions import defuse_mentions
from rituals.outbound import (
    Button,
    ChannelPost,
    ChannelUpdate,
    Field,
    Form,
    GroupPrompt,
    MemberAddress,
    Message,
    Prompt,
    Span,
    Text,
    ThreadReply,
    Update,
)

BOT_AUTHOR = "Ritme"
GROUP_PREFIX = "group:"


def dm_conversation(user_id: str) -> str:
    """The conversation id of a member's direct messages with Ritme."""
    return f"dm:{user_id}"


def channel_conversation(channel_id: str) -> str:
    """The conversation id of a team channel."""
    return f"channel:{channel_id}"


def group_conversation(members: Sequence[MemberAddress]) -> str:
    """The conversation id of a small group (a coffee pair): its members' sorted ids, apart by `:`.

    A local user id never holds a colon, so the id names its members unambiguously, and the same members always
    meet in the same conversation.
    """
    return GROUP_PREFIX + ":".join(sorted({member.user_id for member in members}))


def group_members(conversation: str) -> tuple[str, ...]:
    """The user ids of a group conversation's members; none for any other conversation."""
    if not conversation.startswith(GROUP_PREFIX):
        return ()
    return tuple(conversation.removeprefix(GROUP_PREFIX).split(":"))


@dataclass(frozen=True, kw_only=True)
class SpanView:
    """A run of text as the browser shows it."""

    text: str
    bold: bool = False


@dataclass(frozen=True, kw_only=True)
class ButtonView:
    """A button as the browser shows it; pressing it posts (action, value) back."""

    label: str
    action: str
    value: str


@dataclass(frozen=True, kw_only=True)
class ChoiceView:
    """One option of a question answered by picking; `value` is what the form sends back."""

    value: str
    label: str


@dataclass(frozen=True, kw_only=True)
class FieldView:
    """One question of a form: typed text, or with `choices` one option picked."""

    label: str
    value: str
    multiline: bool
    choices: tuple[ChoiceView, ...] = ()
    optional: bool = True


@dataclass(frozen=True, kw_only=True)
class FormView:
    """A form inside a message; submitting it posts (delivery_id, values) back."""

    delivery_id: int
    fields: tuple[FieldView, ...]
    submit_label: str


@dataclass(frozen=True, kw_only=True)
class MessageView:
    """One message of the transcript, in the shape the browser receives as JSON."""

    id: int
    conversation: str
    only_for: str | None = None
    thread_of: int | None = None
    author: str = BOT_AUTHOR
    # Who wrote it is a flag, never read off the name: a member may well be called "Ritme" too.
    from_bot: bool = True
    lines: tuple[tuple[SpanView, ...], ...] = ()
    buttons: tuple[ButtonView, ...] = ()
    form: FormView | None = None
    key: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON-able dict the browser renders."""
        return {
            "id": self.id,
            "conversation": self.conversation,
            "only_for": self.only_for,
            "thread_of": self.thread_of,
            "author": self.author,
            "from_bot": self.from_bot,
            "lines": [[{"text": span.text, "bold": span.bold} for span in line] for line in self.lines],
            "buttons": [
                {"label": button.label, "action": button.action, "value": button.value} for button in self.buttons
            ],
            "form": None
            if self.form is None
            else {
                "delivery_id": self.form.delivery_id,
                "fields": [_field_json(f) for f in self.form.fields],
                "submit_label": self.form.submit_label,
            },
            "key": self.key,
        }


def _field_json(field: FieldView) -> dict[str, Any]:
    return {
        "label": field.label,
        "value": field.value,
        "multiline": field.multiline,
        "choices": [{"value": choice.value, "label": choice.label} for choice in field.choices],
        "optional": field.optional,
    }


def render_text(text: Text) -> tuple[tuple[SpanView, ...], ...]:
    """Lines of spans for the browser; member-typed spans are defused."""
    return tuple(
        tuple(SpanView(text=defuse_mentions(span.text) if span.user else span.text, bold=span.bold) for span in line)
        for line in text.lines
    )


def render_buttons(buttons: Sequence[Button]) -> tuple[ButtonView, ...]:
    """Buttons for the browser."""
    return tuple(ButtonView(label=b.label, action=b.action, value=b.value) for b in buttons)


def render_form(form: Form) -> FormView:
    """The form part of a Form message."""
    return FormView(
        delivery_id=form.delivery_id,
        fields=tuple(render_field(field) for field in form.fields),
        submit_label=form.submit_label,
    )


def render_field(field: Field) -> FieldView:
    """One question of a form for the browser."""
    return FieldView(
        label=field.label,
        value=field.value,
        multiline=field.multiline,
        choices=tuple(ChoiceView(value=choice.value, label=choice.label) for choice in field.choices),
        optional=field.optional,
    )


def member_message(*, message_id: int, conversation: str, author: str, text: str) -> MessageView:
    """What a member typed, shown back in the conversation under their name."""
    # What a member types is user text through and through, so it is defused like any re-posted answer.
    return MessageView(
        id=message_id,
        conversation=conversation,
        author=author,
        from_bot=False,
        lines=render_text(Text(tuple((Span(text=line, user=True),) for line in text.split("\n")))),
    )


def is_private_to(view: MessageView, user_id: str) -> bool:
    """Whether the view is one of the bot's private messages to this member (a DM or an only-visible-to-you)."""
    return view.from_bot and (
        view.only_for == user_id or (view.conversation == dm_conversation(user_id) and view.only_for is None)
    )


def visible_to(view: MessageView, user_id: str) -> bool:
    """Whether this member may see the view: their DM, their groups, and channel messages meant for all or them."""
    if view.conversation.startswith("dm:"):
        return view.conversation == dm_conversation(user_id)
    if view.conversation.startswith(GROUP_PREFIX):
        return user_id in group_members(view.conversation)
    return view.only_for is None or view.only_for == user_id


def place(message: Message, transcript: Sequence[MessageView], *, next_id: int) -> MessageView:
    """The view an outbound message becomes, given the transcript so far.

    The result reuses an existing id when it replaces that message (an Update); otherwise it has `next_id`.
    """
    if isinstance(message, Prompt):
        conversation, only_for = _prompt_place(message)
        return MessageView(
            id=next_id,
            conversation=conversation,
            only_for=only_for,
            lines=render_text(message.text),
            buttons=render_buttons(message.buttons),
            key=message.key,
        )
    if isinstance(message, Form):
        return MessageView(
            id=next_id,
            conversation=dm_conversation(message.to.user_id),
            lines=render_text(message.text),
            form=render_form(message),
            key=message.key,
        )
    if isinstance(message, ChannelPost | ChannelUpdate):
        conversation = channel_conversation(message.to.channel_id)
        earlier = _thread_parent(transcript, conversation, message.key) if isinstance(message, ChannelUpdate) else None
        if earlier is not None:
            return replace(earlier, lines=render_text(message.text), buttons=render_buttons(message.buttons))
        # A ChannelUpdate of a post unknown here (a transcript lost on restart) shows the news as a new post.
        return MessageView(
            id=next_id,
            conversation=conversation,
            lines=render_text(message.text),
            buttons=render_buttons(message.buttons),
            key=message.key,
        )
    if isinstance(message, GroupPrompt):
        conversation = group_conversation(message.to)
        earlier = _thread_parent(transcript, conversation, message.key)
        if earlier is not None:
            # A later message with the same key (say, the pair's plans) replaces what the group was shown.
            return replace(earlier, lines=render_text(message.text), buttons=render_buttons(message.buttons))
        return MessageView(
            id=next_id,
            conversation=conversation,
            lines=render_text(message.text),
            buttons=render_buttons(message.buttons),
            key=message.key,
        )
    if isinstance(message, ThreadReply):
        conversation = channel_conversation(message.to.channel_id)
        parent = _thread_parent(transcript, conversation, message.thread_key)
        # A reply whose parent is unknown (say, posted before a restart) still reaches the channel.
        return MessageView(
            id=next_id,
            conversation=conversation,
            thread_of=None if parent is None else parent.id,
            lines=render_text(message.text),
            key=message.key,
        )
    if isinstance(message, Update):
        earlier = _private_by_key(transcript, message.to.user_id, message.key)
        if earlier is None:
            # Nothing to replace (an empty key, or a transcript lost on restart): show the news rather than drop it.
            return MessageView(
                id=next_id,
                conversation=dm_conversation(message.to.user_id),
                lines=render_text(message.text),
                buttons=render_buttons(message.buttons),
                key=message.key,
            )
        return replace(earlier, lines=render_text(message.text), buttons=render_buttons(message.buttons), form=None)
    raise TypeError(f"the local platform cannot show {type(message).__name__}")


def _prompt_place(prompt: Prompt) -> tuple[str, str | None]:
    context = prompt.context
    if context is None or context.channel_id.startswith("dm:"):
        return dm_conversation(prompt.to.user_id), None
    return channel_conversation(context.channel_id), prompt.to.user_id


def _thread_parent(transcript: Sequence[MessageView], conversation: str, thread_key: str) -> MessageView | None:
    """The bot's latest top-level message for everyone in the conversation with this key: a thread's parent, or a
    post to replace."""
    if not thread_key:
        return None
    for view in reversed(transcript):
        if (
            view.conversation == conversation
            and view.key == thread_key
            and view.thread_of is None
            and view.only_for is None
            and view.from_bot
        ):
            return view
    return None


def _private_by_key(transcript: Sequence[MessageView], user_id: str, key: str) -> MessageView | None:
    if not key:
        return None
    for view in reversed(transcript):
        if view.key == key and is_private_to(view, user_id):
            return view
    return None
