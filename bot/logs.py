"""Ritme's log output: plain lines for a terminal or one JSON object per line for a log collector, both redacted.

Redaction runs on the finished text of every record (message, arguments, exception and stack), so a secret cannot
slip through in an argument or a traceback: the values of the secret settings, anything shaped like a Slack token,
a bearer token or a JWT, passwords in URLs, the tokens in calendar-feed and sign-in links, and the parameters of a
failed SQL statement. Members' own words never reach a log call in the first place (ids and lengths are logged
instead); the loggers of libraries that would log them at DEBUG are kept at INFO.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import quote, unquote

from pydantic import SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.settings import Settings

REDACTED = "[redacted]"
# A secret shorter than this is not searched for: replacing every "abc" would wreck the log and protect little.
MIN_SECRET_LENGTH = 6

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Slack: bot, user, refresh (xoxe.xoxb-, xoxe-) and app-level tokens.
    (re.compile(r"\bxox[a-z]?[-.][A-Za-z0-9.\-]+"), REDACTED),
    (re.compile(r"\bxapp-[A-Za-z0-9\-]+"), REDACTED),
    (re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9\-._~+/]+=*"), rf"\1\2{REDACTED}"),
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?basic\s+)[A-Za-z0-9+/]+=*"), rf"\1{REDACTED}"),
    # A JWT (Teams' and Entra's tokens) wherever it appears, with or without "Bearer".
    (re.compile(r"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"), REDACTED),
    # user:password@ in any URL (a database URL in an error, a proxy URL).
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]*:)[^\s@]+@"), rf"\1{REDACTED}@"),
    # Links that are keys in themselves: a member's calendar feed, a dashboard sign-in (access log, Referer).
    (re.compile(r"(/calendar/)[^/\s\"?]+(\.ics)"), rf"\1{REDACTED}\2"),
    (re.compile(r"(/signin/)[^/\s\"?]+"), rf"\1{REDACTED}"),
    # Slack's OAuth redirect (code, state) and the history search, which may quote what members wrote.
    (re.compile(r"([?&](?:code|state|q)=)[^&\s\"]*"), rf"\1{REDACTED}"),
    # SQLAlchemy's error text lists a failed statement's parameters: answers, payloads, tokens.
    (re.compile(r"\[parameters: [^\n]*"), f"[parameters: {REDACTED}]"),
)


class Redactor:
    """Replaces secrets in text by "[redacted]": the given values, and whatever the patterns above recognise."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        values = {form for secret in secrets if len(secret) >= MIN_SECRET_LENGTH for form in _spellings(secret)}
        # Longest first, so a secret that contains another is replaced whole.
        ordered = sorted(values, key=len, reverse=True)
        self._secrets = re.compile("|".join(re.escape(value) for value in ordered)) if ordered else None

    def __call__(self, text: str) -> str:
        """`text` without secrets."""
        if self._secrets is not None:
            text = self._secrets.sub(REDACTED, text)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


def _spellings(secret: str) -> set[str]:
    # A password shows up as typed, and URL-encoded or decoded when it travelled in a URL.
    return {secret, quote(secret, safe=""), unquote(secret)} - {""}


def secrets_of(settings: Settings) -> list[str]:
    """The values of every secret setting, and the database URL's password."""
    found = [
        value.get_secret_value()
        for name in type(settings).model_fields
        if isinstance(value := getattr(settings, name), SecretStr)
    ]
    try:
        password = make_url(settings.database_url).password
    except ArgumentError:
        password = None
    if password:
        found.append(str(password))
    return found


class TextFormatter(logging.Formatter):
    """`time level logger: message`, redacted; for people reading a terminal."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        """The line (with any traceback), redacted."""
        return self._redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, and exc_info when there is one."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON, every text in it redacted."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exc_info"] = self._redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exc_info"] = self._redact(record.exc_text)
        if record.stack_info:
            entry["stack_info"] = self._redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is at the time, as the interpreter's own last-resort handler does."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


# Loggers that would write members' words (request and response bodies, SQL parameters) below this level, and
# APScheduler, which logs every run of the one-second tick at INFO: only its warnings are news to an admin.
_FLOORS = {
    "aiosqlite": logging.INFO,
    "slack_bolt": logging.INFO,
    "slack_sdk": logging.INFO,
    "adapters.slack.bolt": logging.INFO,
    "adapters.slack.web": logging.INFO,
    "sqlalchemy.engine": logging.WARNING,
    "apscheduler": logging.WARNING,
}


def configure_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Send every log record through one redacting handler on the root logger, in RITME_LOG_FORMAT; returns it.

    Called again (another command in the same process), it replaces the handler it installed before.
    """
    redact = Redactor(secrets_of(settings))
    handler: logging.Handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.setFormatter(JsonFormatter(redact) if settings.log_format == "json" else TextFormatter(redact))
    handler.set_name("ritme")
    root = logging.getLogger()
    for old in [old for old in root.handlers if old.get_name() == "ritme"]:
        root.removeHandler(old)
    root.addHandler(handler)
    level = logging.getLevelName(settings.log_level)
    root.setLevel(level)
    for name, floor in _FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, level))
    return handler
