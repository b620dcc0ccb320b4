"""Activities shaped like the ones Teams posts to a bot (the Bot Framework Activity schema as Teams fills it in).

The shapes follow what Teams sends today: `from` with a "29:" id, a name and the member's aadObjectId; the bot as
`recipient` ("28:<app id>"); channelData with the tenant, and in a team the team and channel; a clientInfo entity
with the client's locale and IANA time zone; `serviceUrl` of the tenant's region.
"""

from __future__ import annotations

from typing import Any

APP_ID = "4f2a8c1e-7d3b-4e59-9a61-2c8b5e0d7f13"
BOT_ID = f"28:{APP_ID}"
TENANT_ID = "b2c7e4f1-3a9d-4c68-8e25-9f1d0a6b3c47"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
TEAM_ID = "19:8a4f0c2b6d9e4f7a1b3c5d7e9f1a2b3c@thread.tacv2"  # also the General channel's conversation id
CHANNEL_ID = "19:c41e6b9d2f8a4e3b9d7c1a5e8f2b4d6a@thread.tacv2"  # a channel "stand-up" in that team
ADA = "29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bOc1Fy1IZ8qGI0AdcgpKZPLN05gyIu4ym0A"
BRAM = "29:1bSnHZ7Js2STWrgk6ScEErLk1Lp2zQuD5H2qQ960rtvstKp8tKLl-3r8b6DoW0QxZimuTxk_kupZ1DBMpvIQQUAZL-PNj0EORDvRZXy8kvWk"
PERSONAL_ADA = "a:1Fx6Rm1eOn8AF6ws3Ek5Ea9h0GXN5m-1-c2cZXxzH7RnZ8EwLbmoJ3VwJ9hM-kq3ANQf8oDl2dKxOQk1FxH4RlZtHO5mIqu0X7"


def _base(kind: str, activity_id: str, *, conversation: dict[str, Any], user: str = ADA, name: str = "Ada Lovelace",
          locale: str = "nl-NL", zone: str | None = "Europe/Amsterdam") -> dict[str, Any]:
    activity: dict[str, Any] = {
        "type": kind,
        "id": activity_id,
        "timestamp": "2026-11-23T08:01:12.3456789Z",
        "localTimestamp": "2026-11-23T09:01:12.3456789+01:00",
        "serviceUrl": SERVICE_URL,
        "channelId": "msteams",
        "from": {"id": user, "name": name, "aadObjectId": "6d1a9b4e-2c7f-4e8a-b3d5-0f9c8e7a6b51"},
        "conversation": conversation,
        "recipient": {"id": BOT_ID, "name": "Ritme"},
        "locale": locale,
        "entities": [],
    }
    if zone is not None:
        activity["localTimezone"] = zone
        activity["entities"].append(
            {"type": "clientInfo", "locale": locale, "country": locale[-2:], "platform": "Web", "timezone": zone}
        )
    return activity


def personal(user: str = ADA) -> dict[str, Any]:
    """A personal chat's conversation."""
    return {"conversationType": "personal", "tenantId": TENANT_ID, "id": PERSONAL_ADA if user == ADA else f"a:1{user}"}


def channel(channel_id: str = CHANNEL_ID, *, thread: str | None = None) -> dict[str, Any]:
    """A team channel's conversation (a message in it starts a thread: ";messageid=<its id>")."""
    suffix = f";messageid={thread}" if thread else ""
    return {"isGroup": True, "conversationType": "channel", "tenantId": TENANT_ID, "id": channel_id + suffix}


def team_data(channel_id: str = CHANNEL_ID, channel_name: str | None = "stand-up") -> dict[str, Any]:
    """channelData of an activity in a team's channel."""
    channel_info: dict[str, Any] = {"id": channel_id}
    if channel_name is not None:
        channel_info["name"] = channel_name
    return {
        "teamsChannelId": channel_id,
        "teamsTeamId": TEAM_ID,
        "channel": channel_info,
        "team": {"id": TEAM_ID, "name": "Platform team", "aadGroupId": "0e5b7c3a-91d4-4f2e-8a6b-3c9d1e7f5a24"},
        "tenant": {"id": TENANT_ID},
    }


def personal_message(text: str, activity_id: str = "1732348872345", **options: Any) -> dict[str, Any]:
    """A message typed to Ritme in a personal chat."""
    user = options.pop("user", ADA)
    activity = _base("message", activity_id, conversation=personal(user), user=user, **options)
    activity.update(text=text, textFormat="plain", channelData={"tenant": {"id": TENANT_ID}})
    return activity


def channel_mention(command: str, activity_id: str = "1732348872999", *, channel_id: str = CHANNEL_ID,
                    channel_name: str | None = "stand-up", **options: Any) -> dict[str, Any]:
    """A message in a team channel that @mentions Ritme: `<at>Ritme</at> <command>`, the new thread's root."""
    activity = _base("message", activity_id, conversation=channel(channel_id, thread=activity_id), **options)
    activity.update(
        text=f"<at>Ritme</at> {command}\n",
        textFormat="plain",
        attachments=[{"contentType": "text/html", "content": f"<p><at id=\"0\">Ritme</at>&nbsp;{command}</p>"}],
        channelData=team_data(channel_id, channel_name),
    )
    activity["entities"].insert(0, {"type": "mention", "text": "<at>Ritme</at>",
                                    "mentioned": {"id": BOT_ID, "name": "Ritme"}})
    return activity


def card_submit(value: dict[str, Any], activity_id: str = "1732348873111", *, reply_to: str = "1732348800000",
                **options: Any) -> dict[str, Any]:
    """An Action.Submit on a card Ritme posted in the member's personal chat: a message with the card's data and
    inputs as `value`, and no text."""
    user = options.pop("user", ADA)
    activity = _base("message", activity_id, conversation=personal(user), user=user, **options)
    activity.update(replyToId=reply_to, value=value, channelData={"tenant": {"id": TENANT_ID},
                                                                  "source": {"name": "message"},
                                                                  "legacy": {"replyToId": "1:1abc"}})
    return activity


def card_execute(data: dict[str, Any], activity_id: str = "f:8a7c3e15-4b2d-4c9a-b1e6-0d5f7a9c2e84", *,
                 verb: str = "ritme", reply_to: str = "1732348800000", **options: Any) -> dict[str, Any]:
    """An Action.Execute on a card Ritme posted: an invoke "adaptiveCard/action", the inputs merged into the data."""
    user = options.pop("user", ADA)
    activity = _base("invoke", activity_id, conversation=personal(user), user=user, **options)
    activity.update(
        name="adaptiveCard/action",
        replyToId=reply_to,
        value={"action": {"type": "Action.Execute", "id": "submit", "verb": verb, "data": data}, "trigger": "manual"},
        channelData={"tenant": {"id": TENANT_ID}, "source": {"name": "message"}},
    )
    return activity


def installed_in_team(activity_id: str = "f:3e1b7a9c-5d2f-4a8e-9c6b-1f0d3e5a7b92", *, action: str = "add",
                      channel_id: str = TEAM_ID, user: str = ADA) -> dict[str, Any]:
    """installationUpdate: a team member added Ritme to the team (from its General channel)."""
    activity = _base("installationUpdate", activity_id, conversation=channel(channel_id), user=user, name="")
    del activity["from"]["name"]  # Teams sends the installer's ids only
    data = team_data(channel_id, channel_name=None)
    data["settings"] = {"selectedChannel": {"id": channel_id}}
    data["source"] = {"name": "message"}
    activity.update(action=action, channelData=data)
    return activity


def installed_personally(activity_id: str = "f:0b9d7e5c-3a1f-4e2d-8c6b-5a4f3e2d1c0b") -> dict[str, Any]:
    """installationUpdate: a member added Ritme for themselves (a personal app)."""
    activity = _base("installationUpdate", activity_id, conversation=personal())
    activity.update(action="add", channelData={"tenant": {"id": TENANT_ID}, "source": {"name": "message"}})
    return activity


def members_added(*user_ids: str, activity_id: str = "f:5c3a1e9b-7d5f-4b3d-a1c9-8e6b4d2f0a17",
                  channel_id: str = TEAM_ID, event_type: str = "teamMemberAdded") -> dict[str, Any]:
    """conversationUpdate: members (or the bot) were added to the team."""
    activity = _base("conversationUpdate", activity_id, conversation=channel(channel_id), zone=None)
    del activity["from"]["name"]
    del activity["locale"]
    data = team_data(channel_id, channel_name=None)
    data["eventType"] = event_type
    activity.update(
        membersAdded=[{"id": user_id, "aadObjectId": f"aad-{index}"} for index, user_id in enumerate(user_ids)],
        channelData=data,
    )
    return activity


def typing(activity_id: str = "1732348872000") -> dict[str, Any]:
    """A typing indicator in a personal chat."""
    activity = _base("typing", activity_id, conversation=personal())
    activity["channelData"] = {"tenant": {"id": TENANT_ID}}
    return activity
