"""The Slack app manifest an admin pastes: the routes Ritme serves, and only the scopes its features use."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import yaml

from adapters.slack import BOT_SCOPES, EVENTS_PATH, USER_SCOPES

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
        ["commands", "chat:write", "users:read", "channels:read", "groups:read", "mpim:write"]
    )
    # One user scope, granted by each member for themselves: their status during a no-meeting window.
    assert manifest["oauth_config"]["scopes"]["user"] == ["users.profile:write"] == list(USER_SCOPES)
    assert "member_joined_channel" in settings["event_subscriptions"]["bot_events"]
    assert [command["command"] for command in manifest["features"]["slash_commands"]] == ["/ritme"]


def test_the_manifest_turns_the_home_tab_on_and_listens_for_it_without_a_scope_more() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    app_home = manifest["features"]["app_home"]
    assert app_home["home_tab_enabled"] is True
    # Prompts still arrive as DMs in the Messages tab, where members can also type commands.
    assert app_home["messages_tab_enabled"] is True and app_home["messages_tab_read_only_enabled"] is False
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
    # The install asks for the manifest's scopes: the Home tab must not have added one.
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
