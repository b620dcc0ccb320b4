"""Settings: one validated model, read from RITME_* environment variables and an optional .env file."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from rituals.boundaries import is_known_country
from rituals.schedule import is_valid_zone
from storage.database import normalize_url
from storage.encryption import parse_keys


class Settings(BaseSettings):
    """Everything an admin can set; see .env.example for each setting with an example."""

    model_config = SettingsConfigDict(env_prefix="RITME_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///ritme.db",
        description="sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host:5432/db",
    )
    migrate_on_start: bool = Field(
        default=True, description="true or false: apply PostgreSQL migrations at start (SQLite always), e.g. true"
    )
    claim_lease_seconds: float = Field(
        default=120, ge=5, le=3600,
        description="seconds a replica holds the prompts it claimed before others may take them over, e.g. 120",
    )
    host: str = Field(default="127.0.0.1", description="address the web server listens on, e.g. 0.0.0.0")
    local_chat: bool | None = Field(
        default=None, description="true or false (unset: served only while neither Slack nor Teams is configured)"
    )
    port: int = Field(
        default=8080, ge=0, le=65535, description="a port number from 1 to 65535 (0: any free port), e.g. 8080"
    )
    public_url: str = Field(
        default="http://127.0.0.1:8080",
        description="the address people reach Ritme's web server at, http(s)://..., e.g. https://ritme.example.com",
    )
    default_timezone: str = Field(default="Europe/Amsterdam", description="an IANA zone, e.g. Europe/Amsterdam")
    default_country: str = Field(
        default="NL", description="an ISO 3166 two-letter country code whose public holidays members keep, e.g. NL"
    )
    default_locale: Literal["en", "nl"] = Field(default="en", description="en or nl")
    grace_minutes: int = Field(default=120, ge=0, le=1440, description="minutes from 0 to 1440, e.g. 120")
    daily_message_cap: int = Field(default=3, ge=1, le=50, description="messages from 1 to 50, e.g. 3")
    retention_days: int = Field(default=365, ge=30, description="days, at least 30, e.g. 365")
    dispatch_interval_seconds: float = Field(default=1, ge=0.5, le=300, description="seconds, e.g. 1")
    plan_interval_minutes: float = Field(default=10, ge=1, le=720, description="minutes, e.g. 10")
    drain_seconds: float = Field(default=10, ge=0, le=300, description="seconds from 0 to 300, e.g. 10")
    retry_hours: float = Field(
        default=24, ge=0.1, le=168,
        description="hours a digest, reminder or invitation its platform could not take is tried again, e.g. 24",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="INFO or DEBUG")
    log_format: Literal["text", "json"] = Field(
        default="text", description="text (lines for a terminal) or json (one object per line for a log collector)"
    )
    slack_bot_token: SecretStr | None = Field(default=None, description="the app's bot token, xoxb-...")
    slack_signing_secret: SecretStr | None = Field(
        default=None, description="the app's signing secret (Basic Information in the Slack app settings)"
    )
    slack_app_token: SecretStr | None = Field(
        default=None, description="an app-level token with the connections:write scope, xapp-... (Socket Mode)"
    )
    slack_client_id: str | None = Field(
        default=None, description="the app's Client ID (Basic Information), e.g. 1234567890.1234567890"
    )
    slack_client_secret: SecretStr | None = Field(
        default=None, description="the app's Client Secret (Basic Information in the Slack app settings)"
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/", description="the Slack Web API base URL, e.g. https://slack.com/api/"
    )
    slack_messages_per_minute: int = Field(
        default=600, ge=1, le=6000, description="messages per minute per Slack workspace, from 1 to 6000, e.g. 600"
    )
    encryption_key: SecretStr | None = Field(
        default=None,
        description="one or more Fernet keys, comma-separated, the first encrypts (make one with python -c \"from "
        "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\")",
    )
    # Abuse limits (rituals/limits.py), counted per process: with several replicas each allows this many.
    commands_per_minute_member: int = Field(
        default=20, ge=1, le=1000, description="commands one member may send per minute, from 1 to 1000, e.g. 20"
    )
    commands_per_minute_team: int = Field(
        default=60, ge=1, le=10000,
        description="commands one team's channel may send per minute, from 1 to 10000, e.g. 60",
    )

    pulse_signal_drop: float = Field(
        default=0.5, gt=0, le=4, description="points on the 1-5 scale, above 0 and at most 4, e.g. 0.5"
    )
    pulse_signal_low_share: float = Field(
        default=0.4, gt=0, le=1, description="a share of answers above 0 and at most 1, e.g. 0.4"
    )
    teams_app_id: str | None = Field(
        default=None, description="the bot's Microsoft app id (Entra app registration), a GUID"
    )
    teams_app_password: SecretStr | None = Field(
        default=None, description="the app registration's client secret"
    )
    teams_tenant_id: str | None = Field(
        default=None, description="the Entra tenant of a single-tenant bot, a GUID (unset: multi-tenant)"
    )
    teams_allow_anonymous: bool = Field(
        default=False, description="true only for local testing: serve /api/messages without an app id, unchecked"
    )
    teams_sends_per_second: float = Field(
        default=30, gt=0, le=50, description="messages per second per Teams tenant, up to 50, e.g. 30"
    )

    @model_validator(mode="after")
    def _teams_needs_credentials(self) -> Settings:
        if self.teams_app_id is not None and self.teams_app_password is None:
            raise ValueError(
                "RITME_TEAMS_APP_ID needs RITME_TEAMS_APP_PASSWORD: set the app registration's client secret too"
            )
        if self.teams_app_id is None and (self.teams_app_password is not None or self.teams_tenant_id is not None):
            raise ValueError(
                "RITME_TEAMS_APP_PASSWORD and RITME_TEAMS_TENANT_ID belong to RITME_TEAMS_APP_ID: set the app id too"
            )
        return self

    @property
    def local_chat_enabled(self) -> bool:
        """True when the local browser chat is served: as set, or by default only while no platform is configured
        (it has no sign-in: anyone who reaches it can act as any of its members)."""
        if self.local_chat is not None:
            return self.local_chat
        return not (self.slack_enabled or self.teams_enabled)

    @property
    def teams_enabled(self) -> bool:
        """True when /api/messages is served: with an app id, or anonymously for local testing."""
        return self.teams_app_id is not None or self.teams_allow_anonymous

    @model_validator(mode="after")
    def _slack_needs_both(self) -> Settings:
        oauth = self.slack_client_id is not None or self.slack_client_secret is not None
        if self.slack_app_token is not None:
            # Socket Mode is for development with one workspace; installs over OAuth need Ritme's public URL anyway.
            if oauth:
                raise ValueError(
                    "RITME_SLACK_APP_TOKEN (Socket Mode) serves one workspace with RITME_SLACK_BOT_TOKEN; "
                    "RITME_SLACK_CLIENT_ID and RITME_SLACK_CLIENT_SECRET are for installs into several over HTTP: "
                    "set the app token or the client id and secret, not both"
                )
            if self.slack_bot_token is None:
                raise ValueError(
                    "RITME_SLACK_APP_TOKEN (Socket Mode) needs RITME_SLACK_BOT_TOKEN: set the bot token (xoxb-...) "
                    "of the workspace too"
                )
            return self
        if oauth and self.slack_bot_token is not None:
            raise ValueError(
                "RITME_SLACK_BOT_TOKEN is for one workspace, RITME_SLACK_CLIENT_ID and RITME_SLACK_CLIENT_SECRET for "
                "installs into several: set the bot token or the client id and secret, not both"
            )
        if oauth:
            if self.slack_client_id is None or self.slack_client_secret is None or self.slack_signing_secret is None:
                raise ValueError(
                    "RITME_SLACK_CLIENT_ID, RITME_SLACK_CLIENT_SECRET and RITME_SLACK_SIGNING_SECRET go together: "
                    "set all three to install Ritme into several Slack workspaces"
                )
        elif (self.slack_bot_token is None) != (self.slack_signing_secret is None):
            raise ValueError(
                "RITME_SLACK_BOT_TOKEN and RITME_SLACK_SIGNING_SECRET go together: set both to serve Slack, or neither "
                "(or, for development, the bot token with RITME_SLACK_APP_TOKEN for Socket Mode)"
            )
        return self

    @property
    def slack_enabled(self) -> bool:
        """True when Slack is configured (one workspace over HTTP or Socket Mode, or OAuth installs)."""
        return self.slack_signing_secret is not None or self.slack_app_token is not None

    @property
    def slack_oauth(self) -> bool:
        """True in multi-workspace mode: workspaces install Ritme through /slack/install."""
        return self.slack_client_id is not None

    @field_validator("slack_app_token")
    @classmethod
    def _app_level_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            # A bot token (xoxb-) pasted here is the usual mistake; Slack would refuse it with not_allowed_token_type.
            raise ValueError("not an app-level token")
        return value

    @field_validator("encryption_key")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_keys(value.get_secret_value())  # ValueError says which key is wrong, never showing it
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            normalize_url(value)
        except (ValueError, ArgumentError):
            raise ValueError("not a SQLite or PostgreSQL URL") from None
        return value

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or len(value) <= len("https://"):
            raise ValueError("not an http(s) address")
        # Links are built as public_url + "/calendar/...", so a trailing slash would double up.
        return value.rstrip("/")

    @field_validator("default_country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if not is_known_country(value):
            raise ValueError("unknown country code")
        return value.upper()

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_valid_zone(value):
            raise ValueError("unknown time zone")
        return value


def _without_password(url: str) -> str:
    """The URL with any password masked, so an error message never shows it."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)


def describe_error(error: ValidationError) -> str:
    """One readable line per bad setting: its variable name, what was wrong, and the expected form."""
    lines = []
    for problem in error.errors():
        if not problem["loc"]:  # a rule about several settings together says it all itself
            lines.append(str(problem["msg"]).removeprefix("Value error, "))
            continue
        name = str(problem["loc"][0])
        field = Settings.model_fields.get(name)
        expected = field.description if field and field.description else ""
        given = problem.get("input")
        if name == "database_url" and isinstance(given, str):
            given = _without_password(given)
        elif "token" in name or "secret" in name or name == "encryption_key":
            given = "***"
        shown = f" (got {given!r})" if "input" in problem and not isinstance(given, dict) else ""
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"RITME_{name.upper()}: {message}{shown}; expected {expected}")
    return "\n".join(lines)
