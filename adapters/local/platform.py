"""The local "platform": members, channels and an in-memory transcript that browsers watch live."""

from __future__ import annotations

import asyncio
import secrets
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from types import MappingProxyType, TracebackType
from typing import Any, Self

from adapters.local.render import (
    MessageView,
    dm_conversation,
    group_members,
    member_message,
    place,
    visible_to,
)
from rituals.catalog import DEFAULT_LOCALE, LOCALES, Catalog
from rituals.outbound import (
    ChannelAddress,
    ChannelPost,
    ChannelUpdate,
    Form,
    GroupPrompt,
    MemberAddress,
    Message,
    Prompt,
    StatusUpdate,
    ThreadReply,
    Update,
)
from rituals.ports import PlatformRefused
from rituals.schedule import is_valid_zone

PLATFORM = "local"
WORKSPACE = "local"
MAX_NAME_LENGTH = 80
# The inbound ledger keeps event ids of up to 255 characters: "<user_id>:" plus a browser's id of up to 200.
MAX_USER_ID_LENGTH = 50
DEFAULT_CHANNELS: Mapping[str, str] = MappingProxyType({"team": "team"})


class InvalidUser(ValueError):
    """A member's details are not acceptable; the message names the field and shows a good value.

    `str()` is the English text; `text(locale)` is the same message from the catalog in another language.
    """

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.text(DEFAULT_LOCALE))

    def text(self, locale: str) -> str:
        """The message in `locale`."""
        return Catalog().text(locale, self.key, **self.params)


class UndeliverableMessage(PlatformRefused, LookupError):
    """An outbound message is addressed to someone or somewhere the local platform does not have."""


@dataclass(frozen=True, kw_only=True)
class LocalUser:
    """A member of the local platform."""

    user_id: str
    display_name: str
    timezone: str
    locale: str = "en"

    def __post_init__(self) -> None:
        # No colon either: event ids are scoped as "<user_id>:<event_id>", which must stay unambiguous (and short).
        user_id = self.user_id
        if not user_id or len(user_id) > MAX_USER_ID_LENGTH or any(ch.isspace() or ch == ":" for ch in user_id):
            raise InvalidUser("ui.error.user_id", limit=MAX_USER_ID_LENGTH)
        name = self.display_name
        if not name.strip() or len(name) > MAX_NAME_LENGTH:
            raise InvalidUser("ui.error.display_name_length", limit=MAX_NAME_LENGTH)
        if any(unicodedata.category(ch).startswith("C") for ch in name):
            raise InvalidUser("ui.error.display_name_control")
        if not is_valid_zone(self.timezone):
            raise InvalidUser("ui.error.timezone")
        if self.locale not in LOCALES:
            raise InvalidUser(
                "ui.error.locale", locales=", ".join(f'"{code}"' for code in LOCALES), example=f'"{DEFAULT_LOCALE}"'
            )

    def to_json(self) -> dict[str, str]:
        """The JSON-able dict the browser lists."""
        return {
            "user_id": self.user_id,
            "display_name": self.display_name,
            "timezone": self.timezone,
            "locale": self.locale,
        }


@dataclass(frozen=True, kw_only=True)
class LocalChannel:
    """A team channel of the local platform."""

    channel_id: str
    name: str

    def to_json(self) -> dict[str, str]:
        """The JSON-able dict the browser lists."""
        return {"id": self.channel_id, "name": self.name}


class Subscription:
    """One browser's live feed of the messages its member may see."""

    def __init__(self, user_id: str, *, max_pending: int) -> None:
        self.user_id = user_id
        # None in the queue ends the feed: the platform closed it, or the browser fell too far behind.
        self._queue: asyncio.Queue[MessageView | None] = asyncio.Queue(maxsize=max_pending)
        self._ended = False

    def offer(self, view: MessageView) -> None:
        """Queue a message for the browser, or end the feed if the browser is not keeping up."""
        if self._ended:
            return
        try:
            self._queue.put_nowait(view)
        except asyncio.QueueFull:
            # A stalled browser must not grow memory without bound; it reloads history when it reconnects.
            self.end()

    def end(self) -> None:
        """End the feed; the reader sees None once it has what was already queued, or at once if it overflowed."""
        if self._ended:
            return
        self._ended = True
        if self._queue.full():
            while not self._queue.empty():
                self._queue.get_nowait()
        self._queue.put_nowait(None)

    async def next(self) -> MessageView | None:
        """The next message for the browser, or None when the feed has ended."""
        return await self._queue.get()


class LocalPlatform:
    """The embedded chat platform: it is the engine's Outbox for `local` and the browsers' source of truth."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        users: Iterable[LocalUser] = (),
        channels: Mapping[str, str] = DEFAULT_CHANNELS,
        workspace_id: str = WORKSPACE,
        max_pending_per_browser: int = 1000,
    ) -> None:
        self.workspace_id = workspace_id
        self._users: dict[str, LocalUser] = {}
        self._channels: dict[str, LocalChannel] = {}
        self._transcript: list[MessageView] = []
        self._index: dict[int, int] = {}
        self._subscriptions: set[Subscription] = set()
        self._max_pending = max_pending_per_browser
        for user in users:
            self.add_user(user)
        for channel_id, name in channels.items():
            self.add_channel(channel_id, name)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """End every browser feed, so a server can shut down without waiting on open event streams."""
        for subscription in list(self._subscriptions):
            subscription.end()

    # Directory

    def add_user(self, user: LocalUser) -> LocalUser:
        """Add a member, or replace the one with the same id."""
        self._users[user.user_id] = user
        return user

    def new_user(self, *, display_name: str, timezone: str, locale: str) -> LocalUser:
        """Add a member with a fresh id; raises InvalidUser naming the bad field."""
        user_id = f"u{secrets.token_hex(4)}"
        while user_id in self._users:
            user_id = f"u{secrets.token_hex(4)}"
        return self.add_user(
            LocalUser(user_id=user_id, display_name=display_name.strip(), timezone=timezone, locale=locale)
        )

    def user(self, user_id: str) -> LocalUser | None:
        """The member with this id, if any."""
        return self._users.get(user_id)

    def users(self) -> list[LocalUser]:
        """All members, in the order they were added."""
        return list(self._users.values())

    def add_channel(self, channel_id: str, name: str) -> LocalChannel:
        """Add a team channel, or rename the one with the same id."""
        if not channel_id or ":" in channel_id:
            raise ValueError(f"channel_id must be non-empty and contain no ':', got {channel_id!r}")
        channel = LocalChannel(channel_id=channel_id, name=name)
        self._channels[channel_id] = channel
        return channel

    def channel(self, channel_id: str) -> LocalChannel | None:
        """The channel with this id, if any."""
        return self._channels.get(channel_id)

    def channels(self) -> list[LocalChannel]:
        """All team channels, in the order they were added."""
        return list(self._channels.values())

    # Outbox

    async def send(self, messages: Sequence[Message]) -> None:
        """Show the messages in order; raises UndeliverableMessage, before showing any, if one cannot be shown."""
        checked = [self._checked(message) for message in messages]
        for message in checked:
            if isinstance(message, StatusUpdate):
                # The local chat shows no member status, so there is nothing to set.
                continue
            self._publish(place(message, self._transcript, next_id=self._next_id()))

    def _checked(self, message: Message) -> Message:
        if isinstance(message, Prompt):
            self._member(message.to)
            if message.context is not None and not self._is_context_here(message.context, message.to):
                # Like a platform without ephemeral messages: the reply still reaches the member, as a DM.
                return replace(message, context=None)
            return message
        if isinstance(message, StatusUpdate):
            return message  # dropped in send(); an unknown member must not keep the rest of the batch back
        if isinstance(message, Form | Update):
            self._member(message.to)
            return message
        if isinstance(message, ChannelPost | ChannelUpdate | ThreadReply):
            self._channel(message.to)
            return message
        if isinstance(message, GroupPrompt):
            for member in message.to:
                self._member(member)
            return message
        raise TypeError(f"the local platform cannot show {type(message).__name__}")

    def _member(self, address: MemberAddress) -> LocalUser:
        user = self._users.get(address.user_id)
        if address.platform != PLATFORM or address.workspace_id != self.workspace_id or user is None:
            raise UndeliverableMessage(f"no local member {address.platform}/{address.workspace_id}/{address.user_id}")
        return user

    def _channel(self, address: ChannelAddress) -> LocalChannel:
        channel = self._channels.get(address.channel_id)
        if address.platform != PLATFORM or address.workspace_id != self.workspace_id or channel is None:
            raise UndeliverableMessage(
                f"no local channel {address.platform}/{address.workspace_id}/{address.channel_id}"
            )
        return channel

    def _is_context_here(self, context: ChannelAddress, to: MemberAddress) -> bool:
        if context.platform != PLATFORM or context.workspace_id != self.workspace_id:
            return False
        return context.channel_id == dm_conversation(to.user_id) or context.channel_id in self._channels

    # Transcript

    def post_member_message(self, user_id: str, conversation: str, text: str) -> MessageView:
        """Show what a member typed in a conversation they may write in."""
        user = self._users.get(user_id)
        if user is None:
            raise LookupError(f"no local member {user_id}")
        if not self.may_write(user_id, conversation):
            raise PermissionError(f"{user_id} cannot write in {conversation}")
        view = member_message(
            message_id=self._next_id(), conversation=conversation, author=user.display_name, text=text
        )
        self._publish(view)
        return view

    def may_write(self, user_id: str, conversation: str) -> bool:
        """Whether the member may type in the conversation: their own DM with Ritme, a group they are in, or a team
        channel."""
        if conversation == dm_conversation(user_id) or user_id in group_members(conversation):
            return True
        kind, _, channel_id = conversation.partition(":")
        return kind == "channel" and channel_id in self._channels

    def is_group(self, conversation: str) -> bool:
        """Whether the conversation is a small group's (a coffee pair's), where members talk among themselves."""
        return bool(group_members(conversation))

    def channel_of(self, conversation: str) -> LocalChannel | None:
        """The team channel a conversation id names, if it names one."""
        kind, _, channel_id = conversation.partition(":")
        return self._channels.get(channel_id) if kind == "channel" else None

    def history(self, user_id: str) -> list[MessageView]:
        """Every message the member may see, oldest first."""
        return [view for view in self._transcript if visible_to(view, user_id)]

    def message(self, message_id: int) -> MessageView | None:
        """The current version of a message."""
        position = self._index.get(message_id)
        return None if position is None else self._transcript[position]

    @contextmanager
    def subscribe(self, user_id: str) -> Iterator[Subscription]:
        """Follow what the member may see from now on, until the block ends."""
        subscription = Subscription(user_id, max_pending=self._max_pending)
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    def subscriber_count(self, user_id: str | None = None) -> int:
        """How many browser feeds are open, for one member or for all."""
        return sum(1 for s in self._subscriptions if user_id is None or s.user_id == user_id)

    def _next_id(self) -> int:
        return self._transcript[-1].id + 1 if self._transcript else 1

    def _publish(self, view: MessageView) -> None:
        position = self._index.get(view.id)
        if position is None:
            self._index[view.id] = len(self._transcript)
            self._transcript.append(view)
        else:
            self._transcript[position] = view
        for subscription in list(self._subscriptions):
            if visible_to(view, subscription.user_id):
                subscription.offer(view)
