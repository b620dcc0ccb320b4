"""The Teams app package an admin uploads: manifest.json, the two icons and the Dutch strings, in one zip.

The manifest targets one schema version (MANIFEST_VERSION). Its bot is Ritme's registration (the Microsoft App ID),
and its command lists are what Teams suggests after @Ritme: each title is a command as Ritme's grammar reads it,
so picking one and typing on works. English is the manifest's own language; nl.json carries the Dutch strings, which
Teams shows to members whose client is in Dutch (Teams maps nl-be to nl-nl).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from adapters.teams.icons import accent_hex, color_icon, outline_icon

MANIFEST_VERSION = "1.30"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_URL = (
    f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json"
)
DUTCH_TAG = "nl-nl"
DUTCH_FILE = "nl.json"
COLOR_FILE = "color.png"
OUTLINE_FILE = "outline.png"

# Manifests up to version 1.20 allowed command titles of 32 characters, descriptions of 128 and ten commands per
# list (1.21 and 1.24 raised them). Ritme keeps to those: a short menu entry reads well in every Teams client.
MAX_TITLE = 32
MAX_DESCRIPTION = 128
MAX_COMMANDS = 10

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$)({_LABEL}\.)*{_LABEL}$")
_VERSION = re.compile(r"^[0-9]{1,9}\.[0-9]{1,9}\.[0-9]{1,9}$")
MAX_DEVELOPER_NAME = 32


class PackageError(ValueError):
    """A value the package cannot be built from; the message says which and what is expected."""


@dataclass(frozen=True, kw_only=True)
class Developer:
    """Who publishes the app, as Teams shows it on the app's details page."""

    name: str
    website_url: str
    privacy_url: str
    terms_url: str


@dataclass(frozen=True)
class BotCommand:
    """One entry of a command list: the command as typed, and what it does in English and Dutch."""

    title: str
    english: str
    dutch: str
    example: str | None = None  # a complete command that works as typed, when the title alone needs a value


def _command(title: str, english: str, dutch: str, example: str | None = None) -> BotCommand:
    if example is not None:
        english, dutch = f"{english}, e.g. {example}", f"{dutch}, bijv. {example}"
    return BotCommand(title, english, dutch, example)


_CHANNEL_COMMANDS = (
    _command("help", "What Ritme can do, with examples", "Wat Ritme kan, met voorbeelden"),
    _command("standup create", "A daily stand-up for this channel", "Een dagelijkse stand-up voor dit kanaal",
             "standup create at 09:30 on mon-fri"),
    _command("standup list", "The stand-ups of this channel, with their numbers",
             "De stand-ups van dit kanaal, met hun nummers"),
    _command("standup run", "Ask everyone now (the newest stand-up, or give its number)",
             "Vraag iedereen nu (de nieuwste stand-up, of geef het nummer)"),
    _command("standup digest", "Post today's digest now", "Plaats het overzicht van vandaag nu"),
    _command("standup pause", "Pause a stand-up (standup resume restarts it)",
             "Pauzeer een stand-up (standup resume hervat hem)", "standup pause 1"),
    _command("standup failures", "What could not be delivered here this week",
             "Wat deze week hier niet bezorgd kon worden"),
    _command("manager list", "Who configures this channel's rituals", "Wie de rituelen van dit kanaal instelt"),
    _command("manager add", "Let someone else configure this channel too",
             "Laat iemand anders dit kanaal ook instellen", "manager add Sam"),
    _command("me", "Your own settings: time zone, hours, days, time off, language",
             "Je eigen instellingen: tijdzone, werktijden, werkdagen, afwezigheid, taal"),
)

_PERSONAL_COMMANDS = (
    _command("help", "What Ritme can do, with examples", "Wat Ritme kan, met voorbeelden"),
    _command("me", "Your own settings", "Je eigen instellingen"),
    _command("me timezone", "Your time zone", "Je tijdzone", "me timezone Europe/Amsterdam"),
    _command("me hours", "When Ritme may message you", "Wanneer Ritme je berichten mag sturen", "me hours 08:30-17:00"),
    _command("me days", "The days you work", "De dagen dat je werkt", "me days mon-thu"),
    # No example date: any date written here would one day be in the past, and Ritme refuses those.
    _command("me away until", "A break from prompts until a date (YYYY-MM-DD)",
             "Even geen vragen tot een datum (JJJJ-MM-DD)"),
    _command("me away off", "Back from your break", "Terug van je pauze"),
    _command("me language", "English or Dutch", "Engels of Nederlands", "me language nl"),
)

COMMAND_LISTS: Mapping[str, Sequence[BotCommand]] = {
    "personal": _PERSONAL_COMMANDS,
    "team": _CHANNEL_COMMANDS,
    "groupChat": _CHANNEL_COMMANDS,
}
"""The commands Teams suggests in each scope: personal settings in the 1:1 chat, the channel's rituals elsewhere."""

_NAME = {"short": "Ritme", "full": "Ritme: rituals for remote teams"}
_NAME_NL = {"short": "Ritme", "full": "Ritme: rituelen voor teams op afstand"}
_DESCRIPTION = {
    "short": "Async stand-ups and team rituals that respect everyone's working hours.",
    "full": (
        "Ritme gives remote and hybrid teams their rituals back: an async daily stand-up with a digest in the "
        "team channel, prompts in each member's own time zone and working hours, one reminder rather than nagging, "
        "and nothing on a day off or while away. Type @Ritme help in a channel to start, for example "
        "@Ritme standup create at 09:30 on mon-fri. Ritme speaks English and Dutch."
    ),
}
_DESCRIPTION_NL = {
    "short": "Asynchrone stand-ups en teamrituelen die ieders werktijden respecteren.",
    "full": (
        "Ritme geeft teams op afstand en hybride teams hun rituelen terug: een asynchrone dagelijkse stand-up met "
        "een overzicht in het teamkanaal, vragen in ieders eigen tijdzone en werktijden, één herinnering in plaats "
        "van zeuren, en niets op een vrije dag of tijdens afwezigheid. Typ @Ritme help in een kanaal om te "
        "beginnen, bijvoorbeeld @Ritme standup create at 09:30 on mon-fri. Ritme spreekt Nederlands en Engels."
    ),
}


def app_id(value: str, *, source: str) -> str:
    """The bot's Microsoft App ID in canonical form; `source` names where it came from for the error message."""
    value = value.strip()
    if not _GUID.match(value):
        # The value itself is not repeated: a client secret pasted into the wrong variable must not reach a log.
        raise PackageError(
            f"{source} is not a Microsoft App ID; expected a GUID like 00000000-0000-0000-0000-000000000000 "
            "(the Azure Bot's or Teams Developer Portal's app id)"
        )
    return value.lower()


def host(value: str) -> str:
    """The host Ritme is reached at, from a bare host name or a URL, e.g. ritme.example.org."""
    text = value.strip()
    candidate = urlsplit(text).netloc if "://" in text else text.split("/", 1)[0]
    if not _HOST.match(candidate):
        raise PackageError(f"--domain {value!r} is not a host name; expected e.g. ritme.example.org")
    return candidate.lower()


def developer(*, name: str, website_url: str, privacy_url: str, terms_url: str) -> Developer:
    """The publisher as Teams shows it, after checking what Teams would refuse."""
    if not name.strip() or len(name.strip()) > MAX_DEVELOPER_NAME:
        raise PackageError(f"--developer-name must be 1 to {MAX_DEVELOPER_NAME} characters long")
    return Developer(
        name=name.strip(),
        website_url=_web_url(website_url, option="--website-url"),
        privacy_url=_web_url(privacy_url, option="--privacy-url"),
        terms_url=_web_url(terms_url, option="--terms-url"),
    )


def app_version(value: str) -> str:
    """The app's version as Teams wants it, MAJOR.MINOR.PATCH; an update must carry a higher one."""
    if not _VERSION.match(value.strip()):
        raise PackageError(f"--app-version {value!r} is not a version Teams accepts; expected e.g. 1.0.0")
    return value.strip()


def _web_url(value: str, *, option: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise PackageError(f"{option} {value!r} is not a web address; expected e.g. https://ritme.example.org/privacy")
    return value.strip()


def manifest(*, bot_id: str, version: str, developer: Developer, domains: Sequence[str] = ()) -> dict[str, Any]:
    """The manifest.json of the app, in English, pointing at the icons and the Dutch strings in the same zip."""
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        # Teams allows the app to share the bot's id, which keeps one id per install instead of two to track.
        "id": bot_id,
        "localizationInfo": {
            "defaultLanguageTag": "en-us",
            "additionalLanguages": [{"languageTag": DUTCH_TAG, "file": DUTCH_FILE}],
        },
        "developer": {
            "name": developer.name,
            "websiteUrl": developer.website_url,
            "privacyUrl": developer.privacy_url,
            "termsOfUseUrl": developer.terms_url,
        },
        "name": dict(_NAME),
        "description": dict(_DESCRIPTION),
        "icons": {"color": COLOR_FILE, "outline": OUTLINE_FILE},
        "accentColor": accent_hex(),
        "bots": [
            {
                "botId": bot_id,
                "scopes": list(COMMAND_LISTS),
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": [scope], "commands": [{"title": c.title, "description": c.english} for c in commands]}
                    for scope, commands in COMMAND_LISTS.items()
                ],
            }
        ],
        # identity: who is typing (for their settings); messageTeamMembers: prompts in each member's 1:1 chat.
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": list(domains),
    }


def dutch_strings() -> dict[str, str]:
    """nl.json: the Dutch name, description and command descriptions, keyed as Teams' localization schema asks."""
    strings = {
        "$schema": LOCALIZATION_SCHEMA_URL,
        "name.short": _NAME_NL["short"],
        "name.full": _NAME_NL["full"],
        "description.short": _DESCRIPTION_NL["short"],
        "description.full": _DESCRIPTION_NL["full"],
    }
    for index, commands in enumerate(COMMAND_LISTS.values()):
        for position, command in enumerate(commands):
            # Titles stay as they are: they are the commands themselves, which Ritme reads in any language.
            strings[f"bots[0].commandLists[{index}].commands[{position}].description"] = command.dutch
    return strings


def package(*, bot_id: str, version: str, developer: Developer, domains: Sequence[str] = ()) -> bytes:
    """The zip to upload in Teams, with every file at its root as Teams requires."""
    files = {
        "manifest.json": _json(manifest(bot_id=bot_id, version=version, developer=developer, domains=domains)),
        DUTCH_FILE: _json(dutch_strings()),
        COLOR_FILE: color_icon(),
        OUTLINE_FILE: outline_icon(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            # A fixed timestamp makes the same settings give the same bytes, so a rebuilt package is no news.
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _json(value: Mapping[str, Any]) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
