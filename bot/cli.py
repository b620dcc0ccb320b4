"""The `ritme` command: run, demo, migrate, doctor, prune, rotate-keys, admins, teams-package."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot.logs import configure_logging
from bot.settings import Settings, describe_error

if TYPE_CHECKING:
    from rituals.model import Member


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(prog="ritme", description="Rituals for remote teams, in chat.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve Ritme (the local browser chat while no platform is configured)")
    demo = commands.add_parser("demo", help="seed a demo team with a stand-up and serve the browser chat")
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser("doctor", help="check the settings, the database and the platforms; say what is wrong")
    commands.add_parser(
        "prune", help="delete stand-up answers and delivery records older than RITME_RETENTION_DAYS (default 365)"
    )
    commands.add_parser(
        "rotate-keys", help="re-encrypt every stored Slack token with the first key of RITME_ENCRYPTION_KEY"
    )
    admins = commands.add_parser(
        "admins", help="list, grant or revoke Ritme's workspace admins (they may manage every team of their workspace)"
    )
    admins.add_argument("action", nargs="?", choices=("list", "grant", "revoke"), default="list")
    admins.add_argument("who", nargs="?", help="the member's name as Ritme shows it, or their platform user id")
    admins.add_argument("--workspace", help="the Slack workspace or Teams tenant id, when the name is in several")
    package = commands.add_parser("teams-package", help="write the app package to upload in Microsoft Teams (a zip)")
    package.add_argument("--output", default="ritme-teams.zip", help="the zip to write (default: ritme-teams.zip)")
    package.add_argument("--app-id", help="the bot's Microsoft App ID (default: RITME_TEAMS_APP_ID)")
    package.add_argument("--domain", help="the host Ritme is reached at, e.g. ritme.example.org")
    package.add_argument("--developer-name", default="Ritme", help="the publisher Teams shows (default: Ritme)")
    package.add_argument("--website-url", help="the publisher's website (default: https://DOMAIN/)")
    package.add_argument("--privacy-url", help="the privacy statement (default: the website)")
    package.add_argument("--terms-url", help="the terms of use (default: the website)")
    package.add_argument(
        "--app-version", help="the app's version, higher for each update of an uploaded app (default: Ritme's)"
    )
    for sub in (run, demo):
        sub.add_argument("--port", type=int, help="port to listen on (default: RITME_PORT or 8080)")
        sub.add_argument("--host", help="address to listen on (default: RITME_HOST or 127.0.0.1)")
    demo.add_argument("--database-url", help="database for the demo (default: sqlite file ritme-demo.db)")
    args = parser.parse_args(argv)
    if args.command == "teams-package":
        return _teams_package(args)
    if args.command == "doctor":
        from bot.doctor import doctor

        return doctor()

    overrides = {key: value for key in ("port", "host") if (value := getattr(args, key, None)) is not None}
    if args.command == "demo":
        overrides["database_url"] = args.database_url or "sqlite+aiosqlite:///ritme-demo.db"
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        print(f"Ritme cannot start; please fix these settings:\n{describe_error(error)}", file=sys.stderr)
        return 2
    configure_logging(settings)  # RITME_LOG_FORMAT, with secrets redacted (bot/logs.py)

    if args.command == "migrate":
        from storage.database import migrate

        asyncio.run(migrate(settings.database_url))
        print("The database is up to date.")
        return 0
    if args.command == "prune":
        return asyncio.run(_prune(settings))
    if args.command == "rotate-keys":
        return asyncio.run(_rotate_keys(settings))
    if args.command == "admins":
        return asyncio.run(_admins(settings, args.action, args.who, args.workspace))
    from adapters.slack import SocketModeUnavailable
    from bot.wiring import SchemaNotCurrent
    from storage.encryption import EncryptionKeyError

    try:
        asyncio.run(_serve(settings, demo=args.command == "demo"))
    except KeyboardInterrupt:
        pass
    except (SchemaNotCurrent, SocketModeUnavailable, EncryptionKeyError) as error:
        print(f"Ritme cannot start: {error}.", file=sys.stderr)
        return 2
    return 0


def _teams_package(args: argparse.Namespace) -> int:
    """Write the Teams app package; say in one line what is missing when it cannot."""
    from adapters.teams import app_package as teams

    try:
        if args.app_id is not None:
            bot_id = teams.app_id(args.app_id, source="--app-id")
        else:
            try:
                settings = Settings()
            except ValidationError as error:
                print(f"Ritme cannot build the Teams package; please fix these settings:\n{describe_error(error)}",
                      file=sys.stderr)
                return 2
            if settings.teams_app_id is None:
                raise teams.PackageError(
                    "set RITME_TEAMS_APP_ID to the bot's Microsoft App ID (or pass --app-id), then run it again"
                )
            bot_id = teams.app_id(settings.teams_app_id, source="RITME_TEAMS_APP_ID")
        domain = teams.host(args.domain) if args.domain else None
        website = args.website_url or (f"https://{domain}/" if domain else None)
        if website is None:
            raise teams.PackageError(
                "Teams shows the publisher's website on the app's page: give --domain with the host Ritme is reached "
                "at (e.g. --domain ritme.example.org), or --website-url"
            )
        publisher = teams.developer(
            name=args.developer_name,
            website_url=website,
            privacy_url=args.privacy_url or website,
            terms_url=args.terms_url or website,
        )
        app_version = teams.app_version(args.app_version or _ritme_version())
        data = teams.package(
            bot_id=bot_id, version=app_version, developer=publisher, domains=[domain] if domain else []
        )
    except teams.PackageError as error:
        print(f"Ritme cannot build the Teams package: {error}.", file=sys.stderr)
        return 2
    output = Path(args.output)
    try:
        output.write_bytes(data)
    except OSError as error:
        print(f"Ritme cannot write the Teams package to {output}: {error.strerror}.", file=sys.stderr)
        return 2
    print(
        f"Wrote {output} (Teams app {app_version} for bot {bot_id}, manifest {teams.MANIFEST_VERSION}). Upload it in "
        "Teams under Apps → Manage your apps → Upload an app, or in the Teams admin center."
    )
    return 0


def _ritme_version() -> str:
    """The installed Ritme's version, the Teams app's version unless --app-version says otherwise."""
    from adapters.teams.app_package import PackageError

    try:
        return version("ritme")
    except PackageNotFoundError:
        raise PackageError("this copy of Ritme is not installed, so give its version: --app-version 1.0.0") from None


async def _lacks_migrations(settings: Settings, cannot: str) -> bool:
    """True, said in one line, when the database is older than this release: Ritme cannot `cannot` then."""
    from storage.database import pending_migrations

    if lacking := await pending_migrations(settings.database_url):
        print(f"Ritme cannot {cannot}: the database lacks migrations {', '.join(lacking)}: run `ritme migrate` first.",
              file=sys.stderr)
        return True
    return False


async def _prune(settings: Settings) -> int:
    """Run the retention job once, as housekeeping does every few hours; say what went."""
    from rituals.ports import SystemClock
    from rituals.retention import Retention
    from storage.database import create_engine
    from storage.retention import SqlRetention

    if await _lacks_migrations(settings, "prune"):
        return 2
    database = create_engine(settings.database_url)
    try:
        retention = Retention(store=SqlRetention(database), clock=SystemClock(), days=settings.retention_days)
        pruned = await retention.run()
    finally:
        await database.dispose()
    print(
        f"Deleted what was older than {settings.retention_days} days (before {retention.cutoff():%Y-%m-%d %H:%M} "
        f"UTC): {pruned.deliveries} delivery records, {pruned.answers} stand-up answers, {pruned.posted_messages} "
        f"message places and {pruned.failures} failure records. Pulse results are kept."
    )
    return 0


async def _rotate_keys(settings: Settings) -> int:
    """Re-encrypt the stored Slack tokens with the first key; say how many, or in one line why not."""
    from storage.database import create_engine
    from storage.encryption import KEY_EXAMPLE, EncryptionKeyError, TokenCipher
    from storage.slack_installations import SqlInstallationStore

    if settings.encryption_key is None:
        print("Ritme cannot rotate keys: RITME_ENCRYPTION_KEY is not set. Make a key with\n  "
              f"{KEY_EXAMPLE}\nand set RITME_ENCRYPTION_KEY=new-key (or new-key,old-key to replace an old one).",
              file=sys.stderr)
        return 2
    if await _lacks_migrations(settings, "rotate keys"):
        return 2
    database = create_engine(settings.database_url)
    try:
        cipher = TokenCipher.from_setting(settings.encryption_key.get_secret_value())
        rotation = await SqlInstallationStore(database, cipher=cipher).rotate_keys()
    except EncryptionKeyError as error:
        print(f"Ritme cannot rotate keys, and changed nothing: {error}.", file=sys.stderr)
        return 2
    finally:
        await database.dispose()
    print(
        f"Re-encrypted {rotation.tokens} stored Slack tokens with the first key of RITME_ENCRYPTION_KEY "
        f"({rotation.were_plain} of them had been stored unencrypted). Keys after the first are no longer needed "
        "for them."
    )
    return 0


async def _admins(settings: Settings, action: str, who: str | None, workspace: str | None) -> int:
    """`ritme admins`: Ritme's workspace admins, or one member made or unmade one; errors in one line."""
    from storage.database import create_engine
    from storage.repository import SqlStore

    example = "ritme admins grant 'Ada Lovelace'  (or her user id, e.g. ritme admins grant U012AB3CD)"
    if action != "list" and not who:
        print(f"Ritme needs to know whom to {action}: {example}.", file=sys.stderr)
        return 2
    if await _lacks_migrations(settings, "change admins"):
        return 2
    database = create_engine(settings.database_url)
    try:
        store = SqlStore(database)
        if action == "list":
            found = await store.workspace_admins()
            print("\n".join(_who(member) for member in found) if found else
                  f"Ritme has no workspace admins. Make one with: {example}.")
            return 0
        assert who is not None
        matches = await store.find_members_anywhere(who, workspace)
        if not matches:
            where = f" in workspace {workspace}" if workspace else ""
            print(f"Ritme knows no member named or with the user id {who!r}{where}; nothing was changed. A member is "
                  f"known once they wrote to Ritme or joined a team channel. For example: {example}.", file=sys.stderr)
            return 2
        if len(matches) > 1:
            listed = "; ".join(_who(member) for member in matches)
            print(f"{who!r} is more than one member ({listed}); nothing was changed. Give the user id, or add "
                  f"--workspace, e.g. ritme admins {action} {matches[0].user_id} --workspace "
                  f"{matches[0].workspace_id}.", file=sys.stderr)
            return 2
        [member] = matches
        await store.set_workspace_admin(member.id, action == "grant")
    finally:
        await database.dispose()
    if action == "grant":
        print(f"{_who(member)} is now a workspace admin in Ritme: they may manage every team of that workspace, in "
              "chat and on the dashboard.")
    else:
        print(f"{_who(member)} is no longer a workspace admin in Ritme.")
    return 0


def _who(member: Member) -> str:
    """A member as an operator tells them apart: name, platform user id, workspace."""
    return f"{member.display_name} ({member.platform} user {member.user_id} in workspace {member.workspace_id})"


async def _serve(settings: Settings, *, demo: bool) -> None:
    from bot.demo import seed_demo, welcome
    from bot.wiring import assemble, serving

    async with assemble(settings) as ritme:
        if demo:
            await seed_demo(ritme)
            await ritme.local.send([welcome(ritme)])
        async with serving(ritme) as url:
            print(f"Ritme is running at {url} — open it in your browser. Ctrl+C stops it.", flush=True)
            await _until_stopped()
        logging.getLogger(__name__).info("Ritme stopped")


async def _until_stopped() -> None:
    """Wait for SIGTERM (a container stop) or SIGINT (Ctrl+C); leaving `serving` then drains work under way."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Windows' event loops have no signal handlers; there Ctrl+C still ends Ritme through KeyboardInterrupt.
    with contextlib.suppress(NotImplementedError):
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        with contextlib.suppress(NotImplementedError):
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signum)
    logging.getLogger(__name__).info("stopping: finishing work under way")


if __name__ == "__main__":
    sys.exit(main())
