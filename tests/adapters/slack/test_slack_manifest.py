"""The Slack app manifest an admin pastes: the routes Ritme serves, and only the scopes its features use."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import yaml

from adapters.slack import EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[3] / "adapters" / "slack" / "manifest.yaml"


def test_the_manifest_points_at_ritmes_routes_and_asks_for_few_scopes() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    settings = manifest["settings"]
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        *(command["url"] for command in manifest["features"]["slash_commands"]),
    ]
    assert {urlparse(url).path for url in urls} == {EVENTS_PATH}
    assert [urlparse(url).path for url in manifest["oauth_config"]["redirect_urls"]] == ["/slack/oauth_redirect"]
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(
        ["commands", "chat:write", "users:read", "channels:read", "groups:read"]
    )
    assert "user" not in manifest["oauth_config"]["scopes"]
    assert "member_joined_channel" in settings["event_subscriptions"]["bot_events"]
    assert [command["command"] for command in manifest["features"]["slash_commands"]] == ["/ritme"]
