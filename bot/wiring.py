"""The one place where Ritme's parts are built and passed to each other."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from aiohttp import web
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.local import LocalPlatform, LocalUser, mount_local
from adapters.slack import (
    InstalledClients,
    OAuthInstalls,
    RetryingTransport,
    SlackApp,
    SlackOutbox,
    SlackProfiles,
    SocketMode,
    WorkspaceWebApi,
    mount_slack,
    slack_client,
    web_client,
)
from adapters.slack.sender import RateLimitedTransport
from adapters.slack.status import InstalledUserTokens, MemberStatuses
from adapters.teams.app import TeamsApp, mount_teams
from adapters.teams.client import BotConnectorClient, token_provider
from adapters.teams.outbox import TeamsOutbox
from adapters.teams.protocol import channel_of_conversation
from adapters.teams.sender import SendPacer
from bot.calendar_feed import mount_calendar
from bot.dashboard import mount_dashboard
from bot.dispatcher import Dispatcher, Timer
from bot.inbound import InboundPipeline
from bot.metrics import CountedFailureLog, Metrics, metrics_endpoint
from bot.outbox import OutboxRouter
from bot.settings import Settings
from bot.web_security import secure_web, web_application
from rituals.audit import AuditLog
from rituals.borrel import Borrels
from rituals.boundaries import Boundaries
from rituals.calendar import CalendarFeedRituals
from rituals.catalog import Catalog
from rituals.coffee import CoffeeRituals
from rituals.dashboard import Dashboard, SignInLinks
from rituals.engine import Engine, EngineSettings
from rituals.focus import FocusRituals
from rituals.limits import CommandLimits
from rituals.member_data import MemberData
from rituals.ports import Clock, FailureLog, Outbox, SystemClock
from rituals.pulse import SignalThresholds
from rituals.reports import Reports
from rituals.retention import Retention
from rituals.retries import Retries
from storage.audit import SqlAuditLog
from storage.borrel import SqlBorrelStore
from storage.calendar import SqlCalendarFeeds
from storage.coffee import SqlCoffeeStore
from storage.dashboard import SqlDashboardStore
from storage.database import create_engine, is_sqlite, lacking_migrations, migrate, pending_migrations
from storage.encryption import EncryptionKeyError, TokenCipher, unreadable_tokens
from storage.failures import SqlFailureLog
from storage.focus import SqlFocusStore
from storage.held_messages import SqlHeldMessages
from storage.inbound import SqlInboundLedger
from storage.member_data import SqlMemberData
from storage.message_counts import SqlMessageCounts
from storage.messages import SqlMessageLog
from storage.pulse import SqlPulseStore
from storage.reports import SqlReportStore
from storage.repository import SqlStore
from storage.retention import SqlRetention
from storage.slack_installations import SqlInstallationStore, SqlOAuthStateStore
from storage.teams_references import SqlConversationReferences

log = logging.getLogger(__name__)

LOCAL_TEAM_CHANNEL = "team"
# How long /readyz waits for the database before it answers "not ready".
READY_TIMEOUT = timedelta(seconds=2)


class SchemaNotCurrent(RuntimeError):
    """The database schema is older than this release."""


@dataclass(frozen=True)
class Ritme:
    """The assembled application."""

    settings: Settings
    store: SqlStore
    engine: Engine
    dispatcher: Dispatcher
    local: LocalPlatform
    inbound: InboundPipeline
    app: web.Application
    retention: Retention
    # The back-end of the dashboard's audit and "my data" pages (rituals/audit.py, rituals/member_data.py).
    audit: AuditLog
    member_data: MemberData
    # Counters behind GET /metrics; the timer, the inbound pipeline and the platform clients record into it.
    metrics: Metrics


@asynccontextmanager
async def assemble(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Ritme]:
    """Build every part from settings; the database connection closes on exit."""
    clock = clock or SystemClock()
    if is_sqlite(settings.database_url) or settings.migrate_on_start:
        # On PostgreSQL `migrate` holds an advisory lock: replicas starting together upgrade one after the other,
        # and the ones after the first find nothing left to do.
        await migrate(settings.database_url)
    elif lacking := await pending_migrations(settings.database_url):
        # The admin chose to migrate on purpose (RITME_MIGRATE_ON_START=false), so an old schema stops the start.
        raise SchemaNotCurrent(f"the database lacks migrations {', '.join(lacking)}: run `ritme migrate` first")
    database = create_engine(settings.database_url)
    metrics = Metrics()
    try:
        if settings.slack_client_id is not None:
            await _check_stored_tokens(settings, database)
        store = SqlStore(database, clock=clock)
        # One log for every platform: adapters record what they could not deliver, the engine shows it to managers.
        failures = CountedFailureLog(SqlFailureLog(database), metrics)
        catalog = Catalog()
        # One log of configuration changes: the engine writes chat's, the dashboard writes its own and reads it.
        audit = SqlAuditLog(database)
        # One policy for when any ritual may message a member privately (rituals/boundaries.py).
        boundaries = Boundaries(default_country=settings.default_country)
        coffee = CoffeeRituals(store=store, coffee=SqlCoffeeStore(database), catalog=catalog, clock=clock,
                               boundaries=boundaries)
        calendar = CalendarFeedRituals(
            store=store, feeds=SqlCalendarFeeds(database), catalog=catalog, clock=clock, base_url=settings.public_url,
            uid_domain=urlsplit(settings.public_url).hostname or "ritme",
        )
        # The dashboard's links and sessions; `/ritme dashboard` hands out links, the web pages use sessions.
        sign_ins = SqlDashboardStore(database)
        # What the adapters posted: a prompt or digest taken over from a replica that died is not sent twice.
        posted = SqlMessageLog(database)
        engine = Engine(
            store=store,
            clock=clock,
            catalog=catalog,
            settings=EngineSettings(
                default_timezone=settings.default_timezone,
                default_locale=settings.default_locale,
                grace=timedelta(minutes=settings.grace_minutes),
                lease=timedelta(seconds=settings.claim_lease_seconds),
                daily_message_cap=settings.daily_message_cap,
                pulse_signal=SignalThresholds(
                    drop=settings.pulse_signal_drop, low_share=settings.pulse_signal_low_share
                ),
            ),
            failures=failures,
            pulses=SqlPulseStore(database),
            borrels=Borrels(store=SqlBorrelStore(database), rituals=store, catalog=catalog, clock=clock,
                            boundaries=boundaries, failures=failures),
            boundaries=boundaries,
            coffee=coffee,
            calendar=calendar,
            focus=FocusRituals(store=store, focus=SqlFocusStore(database), catalog=catalog, clock=clock,
                               boundaries=boundaries),
            message_counts=SqlMessageCounts(database),
            audit=audit,
            dashboard=SignInLinks(sign_ins=sign_ins, catalog=catalog, clock=clock, base_url=settings.public_url),
            messages=posted,
            observe=metrics.prompts,  # each batch of due prompts, counted for /metrics
            limits=CommandLimits(clock=clock, catalog=catalog, store=store, default_locale=settings.default_locale,
                                 per_member=settings.commands_per_minute_member,
                                 per_team=settings.commands_per_minute_team),
            retries=Retries(SqlHeldMessages(database), store=store, boundaries=boundaries, failures=failures,
                            posted=posted, lease=timedelta(seconds=settings.claim_lease_seconds),
                            give_up_after=timedelta(hours=settings.retry_hours), observe=metrics.messages_held),
        )
        local = LocalPlatform(channels={LOCAL_TEAM_CHANNEL: LOCAL_TEAM_CHANNEL})
        outboxes: dict[str, Outbox] = {local.platform: local}
        slack = _slack(settings, database, clock, failures, metrics)
        if slack is not None:
            outboxes[slack.outbox.platform] = slack.outbox
        teams = _teams(settings, database, clock, failures, metrics) if settings.teams_enabled else None
        if teams is not None:
            outboxes[teams.outbox.platform] = teams.outbox
        router = OutboxRouter(outboxes)
        # Sending stops at three quarters of the lease, so a slow platform never lets a claim run out mid-send.
        dispatcher = Dispatcher(engine=engine, router=router, clock=clock,
                                send_within=timedelta(seconds=settings.claim_lease_seconds * 0.75))
        inbound = InboundPipeline(
            ledger=SqlInboundLedger(database), engine=engine, router=router, clock=clock, after=dispatcher.tick,
            acks_first=is_sqlite(settings.database_url), metrics=metrics,
        )
        app = web_application()
        # Security headers on every response, cross-site writes refused (bot/web_security.py).
        secure_web(app, public_url=settings.public_url, catalog=catalog)
        if settings.local_chat_enabled:
            mount_local(app, local, inbound, clock)
        if slack is not None:
            signing_secret = settings.slack_signing_secret
            slack_app = SlackApp(
                # None only with Socket Mode: then Slack sends nothing over HTTP and /slack/events is not mounted.
                signing_secret=signing_secret.get_secret_value() if signing_secret is not None else None,
                client=slack.client,
                inbound=inbound,
                outbox=slack.outbox,
                clock=clock,
                profiles=slack.profiles,
                oauth=slack.oauth,
                # SQLite has one writer: more work at once only queues on its lock and delays acknowledgements.
                max_concurrent_work=4 if is_sqlite(settings.database_url) else 32,
            )
            socket = None
            if settings.slack_app_token is not None:
                socket = SocketMode(
                    slack_app,
                    app_token=settings.slack_app_token.get_secret_value(),
                    # apps.connections.open goes where the Web API does, so a staging or test stand-in can answer it.
                    client=web_client(api_url=settings.slack_api_url),
                )
            mount_slack(app, slack_app, socket=socket)
            inbound.resume_with(slack_app.outbox.platform, slack_app.resume)
        if teams is not None:
            outbox = teams.outbox
            teams_app = TeamsApp(
                app_id=settings.teams_app_id,
                tenant_id=settings.teams_tenant_id,
                allow_anonymous=settings.teams_allow_anonymous,
                inbound=inbound,
                references=teams.references,
                connector=teams.client,
                clock=clock,
                # A command's reply goes into the command's own thread, where the member who typed it looks.
                on_reply_context=lambda member, conversation_id, activity_id: outbox.reply_in_thread(
                    member.workspace_id, member.user_id, channel_of_conversation(conversation_id), activity_id
                ),
                max_concurrent_work=4 if is_sqlite(settings.database_url) else 32,
            )
            mount_teams(app, teams_app)
            inbound.resume_with(outbox.platform, teams_app.resume)
            app.on_cleanup.append(_closing(teams.client))
        app.router.add_get("/healthz", _healthz)
        app.router.add_get("/readyz", readyz(database))
        app.router.add_get("/metrics", metrics_endpoint(metrics))
        mount_calendar(app, calendar)
        member_data = MemberData(store=SqlMemberData(database), catalog=catalog, clock=clock)
        mount_dashboard(app, Dashboard(store=store, sign_ins=sign_ins, planner=engine, catalog=catalog, clock=clock,
                                       boundaries=boundaries, audit=audit, member_data=member_data),
                        catalog, public_url=settings.public_url, default_locale=settings.default_locale,
                        reports=Reports(store=SqlReportStore(database), catalog=catalog), clock=clock)
        # Cleanup runs after shutdown, when adapters have let their in-flight work finish or cancelled it.
        app.on_cleanup.append(_releasing(inbound))
        await _load_local_users(store, local)
        # The local chat keeps its history in memory: show the forms that can still be answered again.
        await local.send([form for form in await engine.reopen(local.platform) if local.user(form.to.user_id)])
        retention = Retention(store=SqlRetention(database), clock=clock, days=settings.retention_days)
        yield Ritme(settings, store, engine, dispatcher, local, inbound, app, retention, audit, member_data, metrics)
    finally:
        await database.dispose()


async def _check_stored_tokens(settings: Settings, database: AsyncEngine) -> None:
    """Refuse to start when stored Slack tokens do not open with RITME_ENCRYPTION_KEY: every request of those
    workspaces would fail, so the admin hears it now, in one line, rather than from a member later."""
    key = settings.encryption_key.get_secret_value() if settings.encryption_key is not None else None
    states = await SqlInstallationStore(database, cipher=TokenCipher.from_setting(key)).key_states()
    if states["unreadable"]:
        raise EncryptionKeyError(unreadable_tokens(states["unreadable"], sum(states.values()), key_set=key is not None))


@dataclass(frozen=True)
class _Slack:
    """Slack's parts that the wiring passes on: bolt's client, the outbox, and in OAuth mode profiles and stores."""

    client: AsyncWebClient
    outbox: SlackOutbox
    profiles: SlackProfiles | None = None
    oauth: OAuthInstalls | None = None


def _slack(
    settings: Settings, database: AsyncEngine, clock: Clock, failures: FailureLog, metrics: Metrics
) -> _Slack | None:
    """Slack's parts, when Slack is configured: with one bot token, or with each workspace's from its install."""
    messages = SqlMessageLog(database)
    on_rate_limited = metrics.on_rate_limited("slack")

    def transport(client: AsyncWebClient) -> RetryingTransport:
        return RetryingTransport(client, on_rate_limited=on_rate_limited)

    cap = settings.slack_messages_per_minute  # per workspace; each channel also gets about one message a second
    if settings.slack_client_id is not None and settings.slack_client_secret is not None:
        client_secret = settings.slack_client_secret.get_secret_value()
        # Tokens encrypted at rest when RITME_ENCRYPTION_KEY is set (storage/encryption.py).
        key = settings.encryption_key.get_secret_value() if settings.encryption_key is not None else None
        installations = SqlInstallationStore(database, cipher=TokenCipher.from_setting(key))
        client = web_client(api_url=settings.slack_api_url)  # no token: bolt adds each request's workspace's
        clients = InstalledClients(
            installations,
            api_url=settings.slack_api_url,
            rotator=AsyncTokenRotator(client_id=settings.slack_client_id, client_secret=client_secret, client=client),
        )
        oauth = OAuthInstalls(
            client_id=settings.slack_client_id,
            client_secret=client_secret,
            installation_store=installations,
            state_store=SqlOAuthStateStore(database, clock=clock),
        )
        api = RateLimitedTransport(WorkspaceWebApi(clients, transport), messages_per_minute=cap)
        # Members' statuses go out with their own user tokens, so neither the bot's client nor its rate cap applies.
        statuses = MemberStatuses(
            InstalledUserTokens(installations, clock=clock), api_url=settings.slack_api_url, transport=transport
        )
        outbox = SlackOutbox(api, messages, clock=clock, failures=failures, statuses=statuses)
        return _Slack(client, outbox, SlackProfiles(clients, clock=clock), oauth)
    if settings.slack_bot_token is None:
        return None
    client = slack_client(settings.slack_bot_token.get_secret_value(), api_url=settings.slack_api_url)
    api = RateLimitedTransport(transport(client), messages_per_minute=cap)
    return _Slack(client, SlackOutbox(api, messages, clock=clock, failures=failures))


@dataclass(frozen=True)
class _Teams:
    """Teams' parts that the wiring passes on: the Bot Connector client, the references and the outbox."""

    client: BotConnectorClient
    references: SqlConversationReferences
    outbox: TeamsOutbox


def _teams(settings: Settings, database: AsyncEngine, clock: Clock, failures: FailureLog, metrics: Metrics) -> _Teams:
    """Teams' outbound parts: one Bot Connector client, paced per conversation and per tenant."""
    password = settings.teams_app_password.get_secret_value() if settings.teams_app_password else None
    client = BotConnectorClient(
        token_provider(settings.teams_app_id, password, settings.teams_tenant_id),
        pacer=SendPacer(tenant_sends_per_second=settings.teams_sends_per_second),
        clock=clock,
        on_rate_limited=metrics.on_rate_limited("teams"),
    )
    references = SqlConversationReferences(database)
    outbox = TeamsOutbox(client, references, SqlMessageLog(database), clock=clock, failures=failures)
    return _Teams(client, references, outbox)


def _closing(client: BotConnectorClient) -> Callable[[web.Application], Awaitable[None]]:
    """A cleanup hook that closes the Bot Connector client's connections."""

    async def close(_app: web.Application) -> None:
        await client.close()

    return close


def _releasing(inbound: InboundPipeline) -> Callable[[web.Application], Awaitable[None]]:
    """A cleanup hook that hands accepted but unhandled events back, so the next start handles them at once."""

    async def release(_app: web.Application) -> None:
        try:
            await inbound.release()
        except Exception:
            log.exception("could not hand unhandled inbound events back; they are recovered when their hold runs out")

    return release


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def readyz(database: AsyncEngine) -> Callable[[web.Request], Awaitable[web.Response]]:
    """/readyz: 200 when the database answers within READY_TIMEOUT and its schema is current, else 503 and why; a
    load balancer sends no traffic to a replica that cannot do its work."""

    async def readyz(_request: web.Request) -> web.Response:
        try:
            lacking = await asyncio.wait_for(lacking_migrations(database), READY_TIMEOUT.total_seconds())
        except Exception as error:  # any failure to reach the database means: not ready
            log.warning("not ready: the database did not answer (%s)", type(error).__name__)
            return web.json_response({"ok": False, "problem": "the database did not answer"}, status=503)
        if lacking:
            problem = f"the database lacks migrations {', '.join(lacking)}: run `ritme migrate`"
            return web.json_response({"ok": False, "problem": problem}, status=503)
        return web.json_response({"ok": True})

    return readyz


async def _load_local_users(store: SqlStore, local: LocalPlatform) -> None:
    """The local chat's people live in the database; show them again after a restart."""
    team = await store.upsert_team(local.platform, local.workspace_id, LOCAL_TEAM_CHANNEL, LOCAL_TEAM_CHANNEL)
    for member in await store.team_members(team.id):
        local.add_user(
            LocalUser(
                user_id=member.user_id,
                display_name=member.display_name,
                timezone=member.timezone,
                locale=member.locale,
            )
        )


@asynccontextmanager
async def serving(ritme: Ritme, *, with_timer: bool = True) -> AsyncIterator[str]:
    """Serve the web app (and run the timer); yields the base URL, with the real port when port 0 was asked."""
    # On a stop, requests under way get the drain time to finish, like the timer's work.
    runner = web.AppRunner(ritme.app, shutdown_timeout=ritme.settings.drain_seconds)
    await runner.setup()
    site = web.TCPSite(runner, ritme.settings.host, ritme.settings.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    url = f"http://{host}:{port}"
    try:
        if with_timer:
            settings = ritme.settings
            timer = Timer(
                ritme.dispatcher,
                ritme.inbound,
                tick_every=timedelta(seconds=settings.dispatch_interval_seconds),
                plan_every=timedelta(minutes=settings.plan_interval_minutes),
                retention=ritme.retention,
                drain_within=timedelta(seconds=settings.drain_seconds),
                metrics=ritme.metrics,
            )
            async with timer:
                yield url
        else:
            yield url
    finally:
        await runner.cleanup()
