"""The `ritme` command: run, demo, migrate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError

from bot.settings import Settings, describe_error


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(prog="ritme", description="Rituals for remote teams, in chat.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve Ritme (the local browser chat when no platform is configured)")
    demo = commands.add_parser("demo", help="seed a demo team with a stand-up and serve the browser chat")
    commands.add_parser("migrate", help="apply database migrations")
    for sub in (run, demo):
        sub.add_argument("--port", type=int, help="port to listen on (default: RITME_PORT or 8080)")
        sub.add_argument("--host", help="address to listen on (default: RITME_HOST or 127.0.0.1)")
    demo.add_argument("--database-url", help="database for the demo (default: sqlite file ritme-demo.db)")
    args = parser.parse_args(argv)

    overrides = {key: value for key in ("port", "host") if (value := getattr(args, key, None)) is not None}
    if args.command == "demo":
        overrides["database_url"] = args.database_url or "sqlite+aiosqlite:///ritme-demo.db"
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        print(f"Ritme cannot start; please fix these settings:\n{describe_error(error)}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # APScheduler logs every run of the 5-second tick at INFO; only its warnings are news to an admin.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level)))
    # aiosqlite logs every statement with its parameters at DEBUG, Slack tokens included: never below INFO.
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, logging.getLevelName(settings.log_level)))

    if args.command == "migrate":
        from storage.database import migrate

        asyncio.run(migrate(settings.database_url))
        print("The database is up to date.")
        return 0
    from adapters.slack import SocketModeUnavailable
    from bot.wiring import SchemaNotCurrent

    try:
        asyncio.run(_serve(settings, demo=args.command == "demo"))
    except KeyboardInterrupt:
        pass
    except (SchemaNotCurrent, SocketModeUnavailable) as error:
        print(f"Ritme cannot start: {error}.", file=sys.stderr)
        return 2
    return 0


async def _serve(settings: Settings, *, demo: bool) -> None:
    from bot.demo import seed_demo, welcome
    from bot.wiring import assemble, serving

    async with assemble(settings) as ritme:
        if demo:
            await seed_demo(ritme)
            await ritme.local.send([welcome(ritme)])
        async with serving(ritme) as url:
            print(f"Ritme is running at {url} — open it in your browser. Ctrl+C stops it.", flush=True)
            await asyncio.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
