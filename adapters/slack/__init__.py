"""The Slack adapter: slack-bolt in HTTP mode on the shared aiohttp server, Block Kit out, normalized events in.

Wiring, in this order (the outbox is needed by the inbound pipeline, which the app needs):

    client = slack_client(bot_token, api_url=api_url)
    outbox = SlackOutbox(RetryingTransport(client), message_log, clock=clock)   # the Outbox for "slack"
    ...  # OutboxRouter({..., outbox.platform: outbox}) and the InboundPipeline
    slack = SlackApp(signing_secret=signing_secret, client=client, inbound=pipeline, outbox=outbox, clock=clock)
    mount_slack(app, slack)   # POST /slack/events; drains work in progress on shutdown
"""

from adapters.slack.app import EVENTS_PATH, SlackApp, mount_slack
from adapters.slack.outbox import SlackOutbox, UndeliverableMessage
from adapters.slack.profiles import Profile, SlackProfiles
from adapters.slack.protocol import PLATFORM
from adapters.slack.transport import (
    DEFAULT_API_URL,
    RetryingTransport,
    SlackRefused,
    SlackUnavailable,
    WebApi,
    slack_client,
)

__all__ = [
    "DEFAULT_API_URL",
    "EVENTS_PATH",
    "PLATFORM",
    "Profile",
    "RetryingTransport",
    "SlackApp",
    "SlackOutbox",
    "SlackProfiles",
    "SlackRefused",
    "SlackUnavailable",
    "UndeliverableMessage",
    "WebApi",
    "mount_slack",
    "slack_client",
]
