"""TeamsOutbox: the engine's messages as Bot Connector calls, remembering where keyed messages went."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from adapters.failures import RecordedFailure, record_failure, send_to_each
from adapters.teams import render
from adapters.teams.client import TeamsRefused, TeamsUnavailable
from adapters.teams.connector import TeamsConnector
from adapters.teams.protocol import PLATFORM, channel_of_conversation
from adapters.teams.references import ConversationRef, ConversationReferences
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
    recipient_of,
)
from rituals.ports import Clock, FailureLog, MessageLog, PlatformRefused, PostedMessage

log = logging.getLogger(__name__)

# An update of a message that is gone (deleted, or its chat with it) is sent as a new message instead.
_GONE = frozenset({404})
# Command threads offered and not withdrawn are forgotten past this many, oldest first.
_THREADS_KEPT = 1024


class UndeliverableMessage(PlatformRefused, TypeError):
    """A message addressed to another platform, or of a kind Teams' outbox cannot show (a HomeView)."""


class NoConversation(PlatformRefused, LookupError):
    """Ritme knows no conversation reference to reach a member or channel (never installed there, or uninstalled)."""


class TeamsOutbox:
    """Delivers the engine's messages on Teams.

    Prompts and forms go to the member's personal chat with Ritme, opened on the fly (with the service URL and bot
    id of the tenant's freshest reference) and remembered when there is none yet; a form is an Adaptive Card, and
    an Update replaces the message it names (PUT), or is sent anew when that message is gone. Channel posts go to
    the channel's reference, thread replies under the post they name. A command's reply (a Prompt with `context`)
    goes to the member's personal chat, as Teams has no message only one member of a channel sees; the inbound side
    may instead offer the command's thread with reply_in_thread(). A channel post with buttons is a card anyone in
    the channel may press, and a ChannelUpdate replaces the post of its key (PUT), or posts it anew when it is gone.
    A bot cannot start a group chat, so a GroupPrompt goes to each member's personal chat, as a Prompt would (a
    later one with the same key replaces each member's copy). Where each keyed message went is kept in the
    MessageLog (message_id = the activity id). A message Teams refuses, that still fails after the client's
    retries, or that has nowhere to go is recorded in the FailureLog (when one is given) and the error is raised.
    """

    platform = PLATFORM

    def __init__(
        self,
        connector: TeamsConnector,
        references: ConversationReferences,
        messages: MessageLog,
        *,
        clock: Clock,
        failures: FailureLog | None = None,
    ) -> None:
        self._connector = connector
        self._references = references
        self._log = messages
        self._clock = clock
        self._failures = failures
        self._threads: OrderedDict[tuple[str, str, str], str] = OrderedDict()

    # Command threads ------------------------------------------------------------------------------------------

    def reply_in_thread(self, workspace_id: str, user_id: str, channel_id: str, activity_id: str) -> None:
        """Send replies to this member's command in this channel into the thread rooted at `activity_id`.

        Everyone in the channel sees them, so the inbound side offers this only where that is wanted; `activity_id`
        is the thread's root (the `;messageid=` of the command's conversation id, or the command's own id when it
        was posted at the top level). Withdraw it once the command is handled.
        """
        key = (workspace_id, user_id, channel_of_conversation(channel_id))
        self._threads[key] = activity_id
        self._threads.move_to_end(key)
        while len(self._threads) > _THREADS_KEPT:
            self._threads.popitem(last=False)

    def withdraw_thread(self, workspace_id: str, user_id: str, channel_id: str) -> None:
        """Send this member's command replies in this channel to their personal chat again."""
        self._threads.pop((workspace_id, user_id, channel_of_conversation(channel_id)), None)

    # Sending --------------------------------------------------------------------------------------------------

    async def send(self, messages: Sequence[Message]) -> None:
        """Deliver the messages in order; raises (TeamsUnavailable, TeamsRefused, NoConversation) on the first that
        fails, and UndeliverableMessage before sending anything when one cannot be shown on Teams."""
        for message in messages:
            _check(message)
        for message in messages:
            try:
                await self._send(message)
            except RecordedFailure as recorded:
                raise recorded.error from None
            except (TeamsUnavailable, TeamsRefused, NoConversation) as error:
                await self._record_failure(message, error)
                raise

    async def _send(self, message: Message) -> None:
        if isinstance(message, Prompt):
            await self._prompt(message)
        elif isinstance(message, Form):
            await self._private(message.to, message.key, render.form_card(message))
        elif isinstance(message, Update):
            await self._update(message)
        elif isinstance(message, ChannelPost):
            await self._channel_post(message)
        elif isinstance(message, ChannelUpdate):
            await self._channel_update(message)
        elif isinstance(message, GroupPrompt):
            await self._group_prompt(message)
        elif isinstance(message, ThreadReply):
            await self._thread_reply(message)
        # A StatusUpdate is dropped: a bot has no API to set a member's Teams presence or status note (Graph's
        # presence API needs a user's delegated permission Ritme does not ask for), and a status is a courtesy.

    async def _prompt(self, prompt: Prompt) -> None:
        activity = render.prompt_activity(prompt)
        context = prompt.context
        if context is not None and context.platform == PLATFORM and context.workspace_id == prompt.to.workspace_id:
            root = self._threads.get(
                (context.workspace_id, prompt.to.user_id, channel_of_conversation(context.channel_id))
            )
            if root is not None:
                channel = await self._channel(context)
                await self._connector.send(channel, activity, reply_to=root)
                return
        await self._private(prompt.to, prompt.key, activity)

    async def _update(self, update: Update) -> None:
        activity = render.update_activity(update)
        if await self._replace(update.to.workspace_id, update.key, update.to.user_id, activity, update.to):
            return
        # Nothing to replace (never posted, or gone): show the news rather than drop it.
        await self._private(update.to, update.key, activity)

    async def _channel_post(self, post: ChannelPost | ChannelUpdate) -> None:
        channel = await self._channel(post.to)
        activity_id = await self._connector.send(channel, render.channel_activity(post))
        await self._remember(post.to.workspace_id, post.key, post.to.channel_id, channel.conversation_id, activity_id)

    async def _channel_update(self, update: ChannelUpdate) -> None:
        activity = render.channel_activity(update)
        if await self._replace(update.to.workspace_id, update.key, update.to.channel_id, activity, None):
            return
        # Nothing to replace (never posted, or deleted): a new post shows the news, and is the one replaced next.
        await self._channel_post(update)

    async def _group_prompt(self, prompt: GroupPrompt) -> None:
        activity = render.group_activity(prompt)

        async def send_one(member: MemberAddress) -> None:
            if not await self._replace(member.workspace_id, prompt.key, member.user_id, activity, member):
                await self._private(member, prompt.key, activity)

        await send_to_each(
            prompt.to,
            send_one,
            failures=self._failures,
            platform=PLATFORM,
            message=prompt,
            at=self._clock.now,
            errors=(TeamsUnavailable, TeamsRefused, NoConversation),
        )

    async def _replace(
        self,
        workspace_id: str,
        key: str,
        recipient: str,
        activity: Mapping[str, Any],
        member: MemberAddress | None,
    ) -> bool:
        """Replace the keyed message posted to `recipient` (PUT); False when there is none, or it is gone."""
        posted = await self._find(workspace_id, key, recipient)
        if posted is None:
            return False
        ref = await self._references.conversation(posted.workspace_id, posted.conversation_id)
        if ref is None and member is not None:
            ref = await self._references.personal(member.workspace_id, member.user_id)
        if ref is None:
            return False
        try:
            await self._connector.update(ref, posted.message_id, activity)
        except TeamsRefused as refused:
            if refused.status not in _GONE:
                raise
            log.info("could not replace %s (%s); sending it as a new message", key, refused)
            return False
        return True

    async def _thread_reply(self, reply: ThreadReply) -> None:
        channel = await self._channel(reply.to)
        parent = await self._find(reply.to.workspace_id, reply.thread_key, reply.to.channel_id)
        # Without a known parent (posted before the log existed, or it failed) the reply still reaches the channel.
        reply_to = parent.message_id if parent is not None else None
        activity_id = await self._connector.send(channel, render.channel_activity(reply), reply_to=reply_to)
        await self._remember(
            reply.to.workspace_id, reply.key, reply.to.channel_id, channel.conversation_id, activity_id
        )

    async def _private(self, to: MemberAddress, key: str, activity: Mapping[str, Any]) -> None:
        chat = await self._personal(to)
        activity_id = await self._connector.send(chat, activity)
        await self._remember(to.workspace_id, key, to.user_id, chat.conversation_id, activity_id)

    async def _personal(self, to: MemberAddress) -> ConversationRef:
        """The member's personal chat: the one known, or a new one opened through the tenant's freshest reference."""
        known = await self._references.personal(to.workspace_id, to.user_id)
        if known is not None:
            return known
        anchor = await self._references.any_in_tenant(to.workspace_id)
        if anchor is None:
            raise NoConversation(f"no Teams conversation known in tenant {to.workspace_id} to reach {to.user_id}")
        chat = await self._connector.create_personal(to.workspace_id, anchor.service_url, anchor.bot_id, to.user_id)
        await self._references.remember(chat)
        return chat

    async def _channel(self, to: ChannelAddress) -> ConversationRef:
        channel = await self._references.conversation(to.workspace_id, channel_of_conversation(to.channel_id))
        if channel is None:
            raise NoConversation(f"no Teams conversation reference for channel {to.channel_id}")
        return channel

    async def _find(self, workspace_id: str, key: str, recipient: str) -> PostedMessage | None:
        if not key:
            return None
        return await self._log.find(PLATFORM, workspace_id, key, recipient)

    async def _remember(
        self, workspace_id: str, key: str, recipient: str, conversation_id: str, activity_id: str
    ) -> None:
        if not key:
            return
        await self._log.remember(
            PostedMessage(
                platform=PLATFORM,
                workspace_id=workspace_id,
                key=key,
                recipient=recipient,
                conversation_id=conversation_id,
                message_id=activity_id,
            )
        )

    async def _record_failure(self, message: Message, error: Exception) -> None:
        await record_failure(self._failures, platform=PLATFORM, message=message, error=error, at=self._clock.now())


def _check(message: Message) -> None:
    address = recipient_of(message)
    if address.platform != PLATFORM:
        raise UndeliverableMessage(f"the Teams outbox got a message for {address.platform!r}")
    allowed = Prompt | Form | Update | ChannelPost | ChannelUpdate | GroupPrompt | ThreadReply | StatusUpdate
    if not isinstance(message, allowed):
        raise UndeliverableMessage(f"Teams cannot show {type(message).__name__}")
