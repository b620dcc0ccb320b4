"""No secret ever leaves Ritme: a whole Slack flow with known secret values, and everything Ritme says searched.

Ritme is installed into a workspace over OAuth (client secret, bot token, a member's user token), runs a stand-up
(commands, prompts, an answer, the digest), meets a Slack call that fails, and shows that failure to the manager.
Everything it produced is then searched for the secrets: every log record at DEBUG (text and JSON, through
bot/logs.py's configure_logging, with every library logger opened to DEBUG too), /metrics, the failure records and
the manager's view of them, the Home tab, each member's data export, what it said back over HTTP, and every message
it sent to Slack. The database holds the tokens only encrypted (RITME_ENCRYPTION_KEY).
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import aiohttp
import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.logs import REDACTED, configure_logging
from bot.settings import Settings
from bot.wiring import assemble, serving
from storage.failures import SqlFailureLog
from tests.adapters.slack.fake_slack import FakeSlack, Scripted
from tests.adapters.slack.harness import SlackSender, home_opened_event, member_joined
from tests.bot.slack_rig import SlackRig
from tests.bot.test_slack_stand_up import _answer, _delivery_id
from tests.rituals.harness import FakeClock

CLIENT_ID = "4242.4343"
CLIENT_SECRET = "flow-client-secret-5b6c7d8e9f0a"
SIGNING_SECRET = "flow-signing-secret-7c1e9a0b33d2"
BOT_TOKEN = "xoxb-4242-4343-FlowBotTokenZ8x7c6v5"
USER_TOKEN = "xoxp-4242-4343-FlowUserTokenM1n2b3"
TEAMS_PASSWORD = "flow~teams~app~password~77q"
DB_PASSWORD = "flow-db-Pa55word-31x"
ENCRYPTION_KEY = Fernet.generate_key().decode()
MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@dataclass
class Seen:
    """Everything Ritme produced during the flow, by where it came from."""

    texts: dict[str, list[str]] = field(default_factory=dict)

    def add(self, where: str, value: object) -> None:
        self.texts.setdefault(where, []).append(value if isinstance(value, str) else json.dumps(value, default=str))

    def leaks(self, secrets: dict[str, str]) -> list[tuple[str, str]]:
        """(secret's name, where) for every secret found, in any spelling it could travel in."""
        found = []
        for name, secret in secrets.items():
            spellings = {secret, quote(secret, safe=""), secret[-12:], base64.b64encode(secret.encode()).decode()}
            for where, texts in self.texts.items():
                if any(spelling in value for value in texts for spelling in spellings):
                    found.append((name, where))
        return found


@pytest.fixture
def logs() -> Iterator[dict[str, io.StringIO]]:
    """Streams for the log in both formats; the handlers, levels and floors are put back afterwards."""
    root = logging.getLogger()
    level = root.level
    opened = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    streams = {"text": io.StringIO(), "json": io.StringIO()}
    yield streams
    for handler in [h for h in root.handlers if h.get_name() in ("ritme", "ritme-text")]:
        root.removeHandler(handler)
    root.setLevel(level)
    for name, old in opened.items():
        logging.getLogger(name).setLevel(old)


def _settings(database_url: str, fake_url: str, log_format: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, port=0, log_level="DEBUG", log_format=log_format,
        slack_client_id=CLIENT_ID, slack_client_secret=SecretStr(CLIENT_SECRET),
        slack_signing_secret=SecretStr(SIGNING_SECRET), slack_api_url=fake_url,
        teams_app_id="00000000-0000-0000-0000-0000000000aa", teams_app_password=SecretStr(TEAMS_PASSWORD),
        encryption_key=SecretStr(ENCRYPTION_KEY),
    )


def _log_everything(settings: Settings, streams: dict[str, io.StringIO]) -> None:
    """Both formats at once, each installed by configure_logging; then every logger opened to DEBUG."""
    text_handler = configure_logging(settings.model_copy(update={"log_format": "text"}), streams["text"])
    text_handler.set_name("ritme-text")  # so the second call keeps it
    configure_logging(settings.model_copy(update={"log_format": "json"}), streams["json"])
    for name in list(logging.root.manager.loggerDict):
        logging.getLogger(name).setLevel(logging.DEBUG)


async def _install(session: aiohttp.ClientSession, url: str, fake: FakeSlack, seen: Seen) -> None:
    """The workspace installs Ritme through /slack/install, its installer granting their user token on the way."""
    fake.oauth_codes["code-T1"] = {"team_id": "T1", "token": BOT_TOKEN, "user_token": USER_TOKEN}
    started = await session.get(f"{url}/slack/install", allow_redirects=False)
    seen.add("http responses", [dict(started.headers), await started.text()])
    state = parse_qs(urlparse(started.headers["Location"]).query)["state"][0]
    finished = await session.get(
        f"{url}/slack/oauth_redirect", params={"code": "code-T1", "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"}, allow_redirects=False,
    )
    seen.add("http responses", [dict(finished.headers), await finished.text()])
    assert finished.status == 200


async def _flow(rig: SlackRig, session: aiohttp.ClientSession, url: str, seen: Seen) -> None:
    """A stand-up from its creation to its digest, one prompt Slack refuses, and the manager's look at failures."""
    for response in (
        await rig.slack.event(member_joined("Ev1", user_id="U2")),
        await rig.slack.command("standup create at 09:30 on mon-fri digest 11:00", user_id="U1"),
        # A request signed with another secret is refused (and logged).
        await rig.slack.post(rig.slack.command_body("help"), "application/x-www-form-urlencoded",
                             secret="not-the-signing-secret"),
    ):
        seen.add("http responses", [response.status, dict(response.headers), await response.text()])
    ephemeral = lambda: rig.fake.calls_to("chat.postEphemeral", ok=True)  # noqa: E731
    await rig.until(lambda: [c for c in ephemeral() if "Stand-up 1" in c.args["text"]])
    await rig.until_member("C1", "U2")

    rig.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))  # 09:30: the prompts, the first of which Slack refuses
    rig.fake.script("chat.postMessage", Scripted(error="channel_not_found"))
    await rig.tick()
    [prompt] = [c for c in rig.fake.calls_to("chat.postMessage", ok=True) if c.args["channel"] in ("U1", "U2")]
    await _answer(rig, prompt.args["channel"], _delivery_id(prompt), ["Fine", "Docs", "Nothing"])
    await rig.until(lambda: rig.fake.calls_to("chat.update", ok=True))

    rig.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # 11:00: the digest
    await rig.tick()
    assert len(rig.posted("C1")) == 1

    shown = len(ephemeral())
    await rig.slack.command("standup failures", user_id="U1")
    [failures] = (await rig.until(ephemeral, shown + 1))[shown:]
    assert "channel_not_found" in failures.args["text"]  # the manager does see the failure
    await rig.slack.event(home_opened_event("EvHome1", user_id="U1"))
    await rig.until(lambda: rig.fake.calls_to("views.publish", ok=True))

    metrics = await session.get(f"{url}/metrics")
    seen.add("/metrics", await metrics.text())
    engine = rig.ritme.store._engine
    records = await SqlFailureLog(engine).recent("slack", "T1", MONDAY_0800_AMSTERDAM - timedelta(days=1))
    assert records
    seen.add("failure records", [repr(record) for record in records])
    for user in ("U1", "U2"):
        [member] = await rig.ritme.store.find_members("slack", "T1", user)
        seen.add("member data exports", await rig.ritme.member_data.export(member.id))
    # Everything Ritme sent to Slack, apart from the bearer token each call must carry.
    seen.add("messages to Slack", [call.args for call in rig.fake.calls])
    async with engine.connect() as connection:
        stored = (await connection.execute(text("SELECT bot_token FROM slack_installations"))).scalars().all()
        stored += (await connection.execute(text("SELECT user_token FROM slack_user_tokens"))).scalars().all()
    assert len(stored) == 2
    seen.add("the database's token columns", stored)


@pytest.fixture
async def flow_database(database_url: str) -> str:
    """The test's database; on PostgreSQL its URL carries a password (trust auth lets any through)."""
    url = make_url(database_url)
    return database_url if url.get_backend_name() == "sqlite" else url.set(password=DB_PASSWORD).render_as_string(
        hide_password=False
    )


async def test_no_secret_in_logs_metrics_failures_exports_or_messages(
    flow_database: str, tmp_path: Path, logs: dict[str, io.StringIO]
) -> None:
    seen = Seen()
    async with FakeSlack() as fake:
        fake.profiles["U1"] = {"id": "U1", "name": "ada", "tz": "Europe/Amsterdam", "locale": "en-GB",
                               "profile": {"display_name": "Ada"}}
        fake.profiles["U2"] = {"id": "U2", "name": "bram", "tz": "Europe/Amsterdam", "locale": "en-GB",
                               "profile": {"display_name": "Bram"}}
        settings = _settings(flow_database, fake.url, "text")
        _log_everything(settings, logs)
        clock = FakeClock(MONDAY_0800_AMSTERDAM)
        async with assemble(settings, clock) as ritme, serving(ritme, with_timer=False) as url:
            async with aiohttp.ClientSession() as session:
                await _install(session, url, fake, seen)
                slack = SlackSender(session, f"{url}/slack/events", secret=SIGNING_SECRET)
                rig = SlackRig(ritme, fake, clock, slack, tmp_path / "unused.db")
                await _flow(rig, session, url, seen)
        # What Slack got with each call: the bot's token, as it must (so the flow really used the installed token).
        assert {call.token for call in fake.calls_to("chat.postMessage", ok=True)} == {BOT_TOKEN}
    logging.getLogger("ritme.test").warning("the control: %s", BOT_TOKEN)  # must arrive, redacted
    for log_format, stream in logs.items():
        seen.add(f"the {log_format} log", stream.getvalue())

    secrets = {"bot token": BOT_TOKEN, "user token": USER_TOKEN, "client secret": CLIENT_SECRET,
               "signing secret": SIGNING_SECRET, "Teams app password": TEAMS_PASSWORD,
               "encryption key": ENCRYPTION_KEY}
    if make_url(flow_database).get_backend_name() == "postgresql":
        secrets["database password"] = DB_PASSWORD
    assert seen.leaks(secrets) == []
    # The search had something to search: both logs hold the whole flow, at DEBUG, and the control line redacted.
    for log_format in ("text", "json"):
        [written] = seen.texts[f"the {log_format} log"]
        assert "stored the Slack bot for workspace T1" in written and "DEBUG" in written
        assert f"the control: {REDACTED}" in written
    assert "ritme_" in seen.texts["/metrics"][0]
