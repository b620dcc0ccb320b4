"""The local adapter: a browser chat served by Ritme itself, so the bot can be tried without Slack or Teams.

Mount it on the shared aiohttp app with `mount_local(app, platform, inbound, clock)`, and hand the same
`LocalPlatform` to the engine as the Outbox for platform "local".
"""

from adapters.local.http import local_routes, mount_local
from adapters.local.platform import (
    InvalidUser,
    LocalChannel,
    LocalPlatform,
    LocalUser,
    Subscription,
    UndeliverableMessage,
)
from adapters.local.render import MessageView, defuse_mentions

__all__ = [
    "InvalidUser",
    "LocalChannel",
    "LocalPlatform",
    "LocalUser",
    "MessageView",
    "Subscription",
    "UndeliverableMessage",
    "defuse_mentions",
    "local_routes",
    "mount_local",
]
