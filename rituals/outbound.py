"""Outbound messages: what the engine asks an adapter to show, and the small rich-text model they use.

Text is structure, not markup: a message is lines of spans, and every adapter escapes every span when it
renders. So an answer containing `<!channel>` or `<script>` can never become markup on any platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class Span:
    """A run of text; `user` marks words a member typed, which renderers also defuse (@here, @channel)."""

    text: str
    bold: bool = False
    user: bool = False


Line = tuple[Span, ...]


@dataclass(frozen=True)
class Text:
    """Lines of spans."""

    lines: tuple[Line, ...] = ()

    @classmethod
    def plain(cls, text: str) -> Text:
        """Bot-written text, one line per newline."""
        return cls(tuple((Span(text=line),) for line in text.split("\n")))

    def as_plain(self) -> str:
        """All spans joined, for logs and tests."""
        return "\n".join("".join(span.text for span in line) for line in self.lines)


@dataclass(frozen=True, kw_only=True)
class MemberAddress:
    """A member on a platform, by the platform's own ids."""

    platform: str
    workspace_id: str
    user_id: str


@dataclass(frozen=True, kw_only=True)
class ChannelAddress:
    """A team channel on a platform, by the platform's own ids."""

    platform: str
    workspace_id: str
    channel_id: str


@dataclass(frozen=True, kw_only=True)
class Button:
    """A button; pressing it comes back as ButtonClicked(action, value)."""

    label: str
    action: str
    value: str


@dataclass(frozen=True, kw_only=True)
class Choice:
    """One option of a question answered by picking (a point on a scale): `value` comes back, `label` is shown."""

    value: str
    label: str


@dataclass(frozen=True, kw_only=True)
class Field:
    """One question of a form: typed text, or with `choices` one option picked (its value is the answer)."""

    label: str
    value: str = ""
    multiline: bool = True
    choices: tuple[Choice, ...] = ()
    optional: bool = True


@dataclass(frozen=True, kw_only=True)
class Outbound:
    """Fields every outbound message carries; `key` names it so a later Update or ThreadReply can find it.

    `expires_at` is when a scheduled message stops being true ("starts in 10 minutes"): one its platform could not
    take is tried again until then (rituals/retries.py), and never after.
    """

    key: str = ""
    expires_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Prompt(Outbound):
    """A private message to one member, optionally with buttons.

    With `context` set (a command's reply), a platform that can show a private message inside that channel
    (Slack's ephemeral messages) does so; others send it as a direct message.
    """

    to: MemberAddress
    text: Text
    buttons: tuple[Button, ...] = ()
    context: ChannelAddress | None = None


@dataclass(frozen=True, kw_only=True)
class Form(Outbound):
    """A private form: its submission comes back as AnswerSubmitted(delivery_id, values)."""

    to: MemberAddress
    text: Text
    delivery_id: int
    fields: tuple[Field, ...]
    submit_label: str
    open_label: str  # for platforms that open the form from a button in the message (Slack's modal)


@dataclass(frozen=True, kw_only=True)
class ChannelPost(Outbound):
    """A message in a team channel, optionally with buttons anyone in the channel may press (an RSVP)."""

    to: ChannelAddress
    text: Text
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ThreadReply(Outbound):
    """A reply under an earlier ChannelPost, found by its key."""

    to: ChannelAddress
    thread_key: str
    text: Text


@dataclass(frozen=True, kw_only=True)
class Update(Outbound):
    """Replace what an earlier private message (found by its key) shows."""

    to: MemberAddress
    text: Text
    buttons: tuple[Button, ...] = field(default=())


@dataclass(frozen=True, kw_only=True)
class ChannelUpdate(Outbound):
    """Replace what an earlier ChannelPost (found by its key) shows, or post it anew when it cannot be found."""

    to: ChannelAddress
    text: Text
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, kw_only=True)
class GroupPrompt(Outbound):
    """A message to a small group of members of one workspace together (a coffee pair), optionally with buttons.

    A platform that can open a group conversation for them (Slack's group DM) does so; one that cannot (a Teams
    bot cannot start a group chat) sends each member the same message privately.
    """

    to: tuple[MemberAddress, ...]
    text: Text
    buttons: tuple[Button, ...] = ()

    def __post_init__(self) -> None:
        places = {(member.platform, member.workspace_id) for member in self.to}
        if len(self.to) < 2 or len(places) != 1:
            raise ValueError("a group prompt goes to two or more members of one workspace")


@dataclass(frozen=True, kw_only=True)
class Section:
    """One part of a HomeView: a heading in the bot's words, then text that may hold people's words."""

    title: str
    text: Text


@dataclass(frozen=True, kw_only=True)
class HomeView(Outbound):
    """A member's personal overview, replacing whatever it showed before (Slack's App Home tab)."""

    to: MemberAddress
    sections: tuple[Section, ...]


@dataclass(frozen=True, kw_only=True)
class StatusUpdate(Outbound):
    """Show a member's status (a no-meeting window while it lasts) where the platform has one; empty text clears it.

    It is a courtesy, not a message: nobody is notified, and a platform that cannot set it (no status API, or the
    member never granted it) drops it quietly. `until` is when the platform should clear it by itself.
    """

    to: MemberAddress
    text: str
    emoji: str = ""
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.until is not None and self.until.tzinfo is None:
            raise ValueError("a status ends at an aware time")


Message = Prompt | Form | ChannelPost | ThreadReply | Update | ChannelUpdate | GroupPrompt | HomeView | StatusUpdate


def recipient_of(message: Message) -> MemberAddress | ChannelAddress:
    """The one address that names where a message goes: a group prompt's first member stands for the group."""
    return message.to[0] if isinstance(message, GroupPrompt) else message.to


def recipient_id(message: Message) -> str:
    """Whom a message goes to, as the message log records it: a member's user id (a group's first) or a channel's."""
    address = recipient_of(message)
    return address.user_id if isinstance(address, MemberAddress) else address.channel_id
