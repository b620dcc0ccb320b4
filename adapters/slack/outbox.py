"""SlackOutbox: the engine's messages as Slack Web API calls, remembering where keyed messages went."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from adapters.failures import RecordedFailure, record_failure, send_to_each
from adapters.slack import render
from adapters.slack.protocol import PLATFORM
from adapters.slack.status import MemberStatuses
from adapters.slack.transport import SlackRefused, SlackUnavailable, WebApi
from rituals.outbound import (
    ChannelPost,
    ChannelUpdate,
    Form,
    GroupPrompt,
    HomeView,
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

# Slack honours a trigger id for 3 seconds after the click; keep a margin for the views.open call itself.
TRIGGER_TTL = timedelta(seconds=2.5)
# Refusals after which a DM carries the message instead: the ephemeral's channel is one Ritme is not in, the
# trigger for a modal ran out, or the message to update was deleted.
_EPHEMERAL_FALLBACK = {"channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived", "restricted_action"}
_MODAL_FALLBACK = {"expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id", "trigger_exchanged"}
_UPDATE_FALLBACK = {"message_not_found", "cant_update_message", "channel_not_found", "edit_window_closed"}


class UndeliverableMessage(PlatformRefused, LookupError):
    """A message addressed to another platform or kind than Slack's outbox can show."""


@dataclass(frozen=True)
class _Trigger:
    trigger_id: str
    delivery_id: int
    expires_at: datetime


class SlackOutbox:
    """Delivers the engine's messages on Slack.

    Prompts go out as DMs (channel = the member's id) or, as a command's reply, as ephemeral messages in the
    channel; forms as a DM with an "Answer" button, or straight as a modal when the member just clicked for it;
    channel posts (with buttons anyone there may press) and thread replies to the channel, and a ChannelUpdate
    edits the channel post of its key; a GroupPrompt goes to a group DM of its members (conversations.open, which
    needs the mpim:write scope), or to each of them as a DM when Slack will not open one; a HomeView replaces the
    member's App Home tab (views.publish); a StatusUpdate sets the member's status with their OWN user token (see
    adapters/slack/status.py), and is dropped without a word when they granted none. Where each keyed message
    went is kept in the MessageLog, so Update and ChannelUpdate can edit it and ThreadReply can answer under it. A
    message Slack refuses, or that still fails after the transport's retries, is recorded in the FailureLog (when
    one is given) before the error is raised (a StatusUpdate's is recorded only: the rest still goes out).
    """

    platform = PLATFORM

    def __init__(
        self,
        api: WebApi,
        messages: MessageLog,
        *,
        clock: Clock,
        failures: FailureLog | None = None,
        trigger_ttl: timedelta = TRIGGER_TTL,
        statuses: MemberStatuses | None = None,
    ) -> None:
        self._api = api
        self._statuses = statuses
        self._log = messages
        self._failures = failures
        self._clock = clock
        self._trigger_ttl = trigger_ttl
        self._triggers: dict[tuple[str, str], _Trigger] = {}

    # Modals ---------------------------------------------------------------------------------------------------

    def offer_trigger(
        self, workspace_id: str, user_id: str, trigger_id: str, *, delivery_id: int, received_at: datetime
    ) -> None:
        """A member just asked for a delivery's form: open it as a modal if it comes back while the trigger lives."""
        now = self._clock.now()
        # Triggers are withdrawn after each event; this sweep only bounds what failed handlers left behind.
        for key in [key for key, trigger in self._triggers.items() if trigger.expires_at <= now]:
            del self._triggers[key]
        self._triggers[(workspace_id, user_id)] = _Trigger(trigger_id, delivery_id, received_at + self._trigger_ttl)

    def withdraw_trigger(self, workspace_id: str, user_id: str, trigger_id: str) -> None:
        """Forget a trigger once its event is handled (unless a newer click replaced it)."""
        key = (workspace_id, user_id)
        trigger = self._triggers.get(key)
        if trigger is not None and trigger.trigger_id == trigger_id:
            del self._triggers[key]

    def _take_trigger(self, form: Form) -> str | None:
        key = (form.to.workspace_id, form.to.user_id)
        trigger = self._triggers.get(key)
        if trigger is None or trigger.delivery_id != form.delivery_id:
            return None
        del self._triggers[key]  # a trigger id opens one view only
        return trigger.trigger_id if trigger.expires_at > self._clock.now() else None

    # Sending --------------------------------------------------------------------------------------------------

    async def send(self, messages: Sequence[Message]) -> None:
        """Deliver the messages in order; raises (SlackUnavailable, SlackRefused) on the first that fails."""
        for message in messages:
            self._check(message)
        for message in messages:
            if isinstance(message, StatusUpdate):
                await self._status(message)
                continue
            try:
                await self._send(message)
            except RecordedFailure as recorded:
                raise recorded.error from None
            except (SlackUnavailable, SlackRefused) as error:
                await self._record_failure(message, error)
                raise

    async def _record_failure(self, message: Message, error: Exception) -> None:
        await record_failure(self._failures, platform=PLATFORM, message=message, error=error, at=self._clock.now())

    async def _send(self, message: Message) -> None:
        if isinstance(message, Prompt):
            await self._prompt(message)
        elif isinstance(message, Form):
            await self._form(message)
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
        elif isinstance(message, HomeView):
            await self._home(message)

    async def _status(self, update: StatusUpdate) -> None:
        if self._statuses is None:
            # One bot token and no OAuth installs: no member can have granted a user token.
            return
        try:
            await self._statuses.set(update)
        except (SlackUnavailable, SlackRefused) as error:
            # Recorded for managers, but not raised: a status is a courtesy, and the messages after it in the
            # batch (another member's status, a reminder) must still go out.
            await self._record_failure(update, error)

    async def _prompt(self, prompt: Prompt) -> None:
        content = render.message_content(prompt.text, prompt.buttons)
        context = prompt.context
        if context is not None and context.platform == PLATFORM and context.workspace_id == prompt.to.workspace_id:
            try:
                # Slack cannot edit an ephemeral message later, so there is nothing to remember.
                await self._call(
                    prompt.to.workspace_id,
                    "chat.postEphemeral",
                    {"channel": context.channel_id, "user": prompt.to.user_id, **content},
                )
                return
            except SlackRefused as refused:
                if refused.error not in _EPHEMERAL_FALLBACK:
                    raise
                log.info("ephemeral reply in %s refused (%s); sending it as a DM", context.channel_id, refused.error)
        await self._direct(prompt.to, prompt.key, content)

    async def _form(self, form: Form) -> None:
        trigger_id = self._take_trigger(form)
        if trigger_id is not None:
            try:
                # The DM with the "Answer" button stays as it is; the answer's Update edits it.
                await self._call(
                    form.to.workspace_id, "views.open", {"trigger_id": trigger_id, "view": render.form_modal(form)}
                )
                return
            except SlackRefused as refused:
                if refused.error not in _MODAL_FALLBACK:
                    raise
                log.info(
                    "modal for delivery %s refused (%s); sending the form as a DM", form.delivery_id, refused.error
                )
        await self._direct(form.to, form.key, render.form_message_content(form))

    async def _update(self, update: Update) -> None:
        content = render.message_content(update.text, update.buttons)
        posted = await self._find(update.to.workspace_id, update.key, update.to.user_id)
        if posted is not None and await self._edit(update.to.workspace_id, update.key, posted, content):
            return
        # Nothing to edit (never posted, or deleted): show the news rather than drop it.
        await self._direct(update.to, update.key, content)

    async def _channel_post(self, post: ChannelPost | ChannelUpdate) -> None:
        content = render.message_content(post.text, post.buttons)
        response = await self._call(
            post.to.workspace_id, "chat.postMessage", {"channel": post.to.channel_id, **content}
        )
        await self._remember(post.to.workspace_id, post.key, post.to.channel_id, response)

    async def _channel_update(self, update: ChannelUpdate) -> None:
        content = render.message_content(update.text, update.buttons)
        posted = await self._find(update.to.workspace_id, update.key, update.to.channel_id)
        if posted is not None and await self._edit(update.to.workspace_id, update.key, posted, content):
            return
        # Nothing to edit (never posted, or deleted): a new post shows the news, and is the one edited from now on.
        await self._channel_post(update)

    async def _group_prompt(self, prompt: GroupPrompt) -> None:
        workspace_id = prompt.to[0].workspace_id
        content = render.message_content(prompt.text, prompt.buttons)
        group = _group_recipient(prompt.to)
        posted = await self._find(workspace_id, prompt.key, group)
        if posted is not None and await self._edit(workspace_id, prompt.key, posted, content):
            return
        try:
            opened = await self._call(workspace_id, "conversations.open", {"users": group})
        except SlackRefused as refused:
            # Most likely missing_scope: an install from before Ritme asked for mpim:write. Each member still gets
            # the message, privately, which is all a group DM would have added to.
            log.info("could not open a group DM (%s); sending the group's message to each member", refused.error)
            await send_to_each(
                prompt.to,
                lambda member: self._direct_or_edit(member, prompt.key, content),
                failures=self._failures,
                platform=PLATFORM,
                message=prompt,
                at=self._clock.now,
                errors=(SlackUnavailable, SlackRefused),
            )
            return
        channel = opened.get("channel")
        channel_id = channel.get("id") if isinstance(channel, Mapping) else None
        if not isinstance(channel_id, str) or not channel_id:
            raise SlackRefused("conversations.open", "no_channel_in_answer")
        response = await self._call(workspace_id, "chat.postMessage", {"channel": channel_id, **content})
        await self._remember(workspace_id, prompt.key, group, response)

    async def _direct_or_edit(self, to: MemberAddress, key: str, content: Mapping[str, Any]) -> None:
        """Edit the member's DM of this key when there is one, else send one."""
        posted = await self._find(to.workspace_id, key, to.user_id)
        if posted is None or not await self._edit(to.workspace_id, key, posted, content):
            await self._direct(to, key, content)

    async def _edit(
        self, workspace_id: str, key: str, posted: PostedMessage, content: Mapping[str, Any]
    ) -> bool:
        """Replace a posted message's content; False when it is gone and the caller should post anew."""
        try:
            await self._call(
                workspace_id, "chat.update", {"channel": posted.conversation_id, "ts": posted.message_id, **content}
            )
        except SlackRefused as refused:
            if refused.error not in _UPDATE_FALLBACK:
                raise
            log.info("could not update %s (%s); posting it anew", key, refused.error)
            return False
        return True

    async def _thread_reply(self, reply: ThreadReply) -> None:
        args: dict[str, Any] = {"channel": reply.to.channel_id, **render.message_content(reply.text)}
        parent = await self._find(reply.to.workspace_id, reply.thread_key, reply.to.channel_id)
        if parent is not None:
            args["channel"] = parent.conversation_id
            args["thread_ts"] = parent.message_id
        # Without a known parent (posted before the log existed) the reply still reaches the channel.
        response = await self._call(reply.to.workspace_id, "chat.postMessage", args)
        await self._remember(reply.to.workspace_id, reply.key, reply.to.channel_id, response)

    async def _home(self, view: HomeView) -> None:
        # views.publish replaces the member's whole Home tab: there is no message to remember or to update later.
        args = {"user_id": view.to.user_id, "view": render.home_view(view)}
        await self._call(view.to.workspace_id, "views.publish", args)

    async def _direct(self, to: MemberAddress, key: str, content: Mapping[str, Any]) -> None:
        # Posting to a user id lands in the member's DM with the app; Slack answers with that DM's channel id.
        response = await self._call(to.workspace_id, "chat.postMessage", {"channel": to.user_id, **content})
        await self._remember(to.workspace_id, key, to.user_id, response)

    async def _call(self, workspace_id: str, method: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
        return await self._api.call(workspace_id, method, args)

    async def _find(self, workspace_id: str, key: str, recipient: str) -> PostedMessage | None:
        if not key:
            return None
        return await self._log.find(PLATFORM, workspace_id, key, recipient)

    async def _remember(self, workspace_id: str, key: str, recipient: str, response: Mapping[str, Any]) -> None:
        channel, ts = response.get("channel"), response.get("ts")
        if not key or not isinstance(channel, str) or not isinstance(ts, str):
            return
        await self._log.remember(
            PostedMessage(
                platform=PLATFORM,
                workspace_id=workspace_id,
                key=key,
                recipient=recipient,
                conversation_id=channel,
                message_id=ts,
            )
        )

    def _check(self, message: Message) -> None:
        address = recipient_of(message)
        if address.platform != PLATFORM:
            raise UndeliverableMessage(f"the Slack outbox got a message for {address.platform!r}")
        allowed = (
            Prompt | Form | Update | ChannelPost | ChannelUpdate | GroupPrompt | ThreadReply | HomeView | StatusUpdate
        )
        if not isinstance(message, allowed):
            raise UndeliverableMessage(f"Slack cannot show {type(message).__name__}")


def _group_recipient(members: Sequence[MemberAddress]) -> str:
    """The group's members as conversations.open takes them, and as the MessageLog's recipient: sorted ids, joined."""
    return ",".join(sorted({member.user_id for member in members}))
