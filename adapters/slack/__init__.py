"""The Slack adapter: slack-bolt in HTTP mode on the shared aiohttp server, Block Kit out, normalized events in.

Wiring, in this order (the outbox is needed by the inbound pipeline, which the app needs):

    client = slack_client(bot_token, api_url=api_url)
    outbox = SlackOutbox(RetryingTransport(client), message_log, clock=clock)   # the Outbox for "slack"
    ...  # OutboxRouter({..., outbox.platform: outbox}) and the InboundPipeline
    slack = SlackApp(signing_secret=signing_secret, client=client, inbound=pipeline, outbox=outbox, clock=clock)
    mount_slack(app, slack)   # POST /slack/events; drains work in progress on shutdown

Socket Mode, for development (one workspace; `signing_secret=None` when Slack sends nothing over HTTP):

    slack = SlackApp(signing_secret=None, client=client, ...)
    socket = SocketMode(slack, app_token=app_token, client=web_client(api_url=api_url))
    mount_slack(app, slack, socket=socket)   # connects as the server starts, closes as it stops

Several workspaces (OAuth installs): bolt's client holds no token, and the outbox and profiles find each
workspace's bot in the installation store:

    clients = InstalledClients(installation_store, api_url=api_url, rotator=AsyncTokenRotator(...))
    outbox = SlackOutbox(WorkspaceWebApi(clients), message_log, clock=clock)
    oauth = OAuthInstalls(client_id, client_secret, installation_store, state_store)
    slack = SlackApp(..., client=web_client(api_url=api_url), profiles=SlackProfiles(clients, clock=clock), oauth=oauth)

A member who went through the install link with the user scope (USER_SCOPES) has their own user token in the store;
the outbox sets their status with it when given `statuses=MemberStatuses(InstalledUserTokens(store, clock=clock))`.
"""

from adapters.slack.app import (
    BOT_SCOPES,
    EVENTS_PATH,
    INSTALL_PATH,
    REDIRECT_PATH,
    USER_SCOPES,
    OAuthInstalls,
    SlackApp,
    mount_slack,
)
from adapters.slack.outbox import SlackOutbox, UndeliverableMessage
from adapters.slack.profiles import Profile, SlackProfiles
from adapters.slack.protocol import PLATFORM
from adapters.slack.socket_mode import SocketMode, SocketModeUnavailable
from adapters.slack.status import InstalledUserTokens, MemberStatuses
from adapters.slack.tokens import (
    ClientSource,
    InstalledClients,
    NotInstalled,
    OneClient,
    WorkspaceWebApi,
    web_client,
)
from adapters.slack.transport import (
    DEFAULT_API_URL,
    RetryingTransport,
    SlackRefused,
    SlackUnavailable,
    WebApi,
    slack_client,
)

__all__ = [
    "BOT_SCOPES",
    "DEFAULT_API_URL",
    "EVENTS_PATH",
    "INSTALL_PATH",
    "PLATFORM",
    "REDIRECT_PATH",
    "USER_SCOPES",
    "ClientSource",
    "InstalledClients",
    "InstalledUserTokens",
    "MemberStatuses",
    "NotInstalled",
    "OAuthInstalls",
    "OneClient",
    "Profile",
    "RetryingTransport",
    "SlackApp",
    "SlackOutbox",
    "SlackProfiles",
    "SlackRefused",
    "SlackUnavailable",
    "SocketMode",
    "SocketModeUnavailable",
    "UndeliverableMessage",
    "WebApi",
    "WorkspaceWebApi",
    "mount_slack",
    "slack_client",
    "web_client",
]
