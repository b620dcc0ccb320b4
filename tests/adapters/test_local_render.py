"""The local adapter's rendering: outbound messages -> browser view models, and the platform's transcript."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from adapters.local.platform import (
    InvalidUser,
    LocalPlatform,
    LocalUser,
    UndeliverableMessage,
)
from adapters.local.render import (
    BOT_AUTHOR,
    MessageView,
    defuse_mentions,
    is_private_to,
    member_message,
    place,
    render_text,
    visible_to,
)
from adapters.local.translate import scoped_event_id
from rituals.catalog import Catalog
from rituals.outbound import (
    Button,
    ChannelAddress,
    ChannelPost,
    Choice,
    Field,
    Form,
    HomeView,
    MemberAddress,
    Prompt,
    Section,
    Span,
    StatusUpdate,
    Text,
    ThreadReply,
    Update,
)

ZWSP = "\u200b"
TEAM = ChannelAddress(platform="local", workspace_id="local", channel_id="team")
ADA = MemberAddress(platform="local", workspace_id="local", user_id="u1")
BRAM = MemberAddress(platform="local", workspace_id="local", user_id="u2")
STATIC = Path(__file__).resolve().parents[2] / "adapters" / "local" / "static"


def users() -> list[LocalUser]:
    return [
        LocalUser(user_id="u1", display_name="Ada", timezone="Europe/Amsterdam", locale="en"),
        LocalUser(user_id="u2", display_name="Bram", timezone="America/New_York", locale="nl"),
    ]


def texts(view: MessageView) -> list[str]:
    return ["".join(span.text for span in line) for line in view.lines]


# Defusing and escaping


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("@here", f"@{ZWSP}here"),
        ("hi @channel!", f"hi @{ZWSP}channel!"),
        ("@everyone and @Here", f"@{ZWSP}everyone and @{ZWSP}Here"),
        ("<!channel>", f"<!{ZWSP}channel>"),
        ("<!here|here> <!subteam^S1>", f"<!{ZWSP}here|here> <!{ZWSP}subteam^S1>"),
        ("mail ada@example.com about <b>", "mail ada@example.com about <b>"),
    ],
)
def test_defuse_mentions(typed: str, shown: str) -> None:
    assert defuse_mentions(typed) == shown


def test_user_spans_are_defused_and_bot_spans_are_not() -> None:
    text = Text(((Span(text="Ping "), Span(text="@here <!channel>", user=True)), (Span(text="@here", bold=True),)))

    lines = render_text(text)

    assert lines[0][1].text == f"@{ZWSP}here <!{ZWSP}channel>"
    assert lines[1][0].text == "@here"
    assert lines[1][0].bold is True


def test_markup_stays_text_in_the_view_model() -> None:
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    view = place(
        ChannelPost(to=TEAM, text=Text(((Span(text=hostile, user=True),),))),
        [],
        next_id=1,
    )

    payload = json.loads(json.dumps(view.to_json()))

    # Kept verbatim, never entity-escaped or turned into markup: the browser puts it in with textContent.
    assert payload["lines"] == [[{"text": hostile, "bold": False}]]


def test_the_browser_code_never_parses_html() -> None:
    script = (STATIC / "app.js").read_text(encoding="utf-8")

    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script
    assert re.search(r"\.textContent\s*=", script)


def test_the_page_loads_nothing_from_elsewhere() -> None:
    page = (STATIC / "index.html").read_text(encoding="utf-8") + (STATIC / "style.css").read_text(encoding="utf-8")

    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)
    assert "@import" not in page


def test_a_member_message_is_defused_line_by_line() -> None:
    view = member_message(message_id=7, conversation="channel:team", author="Ada", text="/ritme note @here\n<!channel>")

    assert view.author == "Ada"
    assert view.only_for is None
    assert texts(view) == [f"/ritme note @{ZWSP}here", f"<!{ZWSP}channel>"]


# Placement


def test_a_prompt_with_context_is_shown_in_the_channel_to_that_member_only() -> None:
    view = place(Prompt(to=ADA, text=Text.plain("Try /ritme help"), context=TEAM, key="help"), [], next_id=3)

    assert (view.id, view.conversation, view.only_for, view.author) == (3, "channel:team", "u1", BOT_AUTHOR)
    assert visible_to(view, "u1")
    assert not visible_to(view, "u2")


def test_a_prompt_without_context_or_from_a_dm_goes_to_the_dm() -> None:
    plain = place(Prompt(to=ADA, text=Text.plain("Hello")), [], next_id=1)
    dm_context = ChannelAddress(platform="local", workspace_id="local", channel_id="dm:u1")
    from_dm = place(Prompt(to=ADA, text=Text.plain("Hello"), context=dm_context), [], next_id=2)

    for view in (plain, from_dm):
        assert (view.conversation, view.only_for) == ("dm:u1", None)
        assert visible_to(view, "u1")
        assert not visible_to(view, "u2")


def test_a_form_renders_its_fields_and_buttons_render_too() -> None:
    form = place(
        Form(
            to=ADA,
            text=Text.plain("Stand-up"),
            delivery_id=42,
            fields=(Field(label="Yesterday", value="Tests"), Field(label="Mood", multiline=False)),
            submit_label="Send",
            open_label="Answer",
            key="standup:42",
        ),
        [],
        next_id=1,
    )
    prompt = place(
        Prompt(to=ADA, text=Text.plain("How are you?"), buttons=(Button(label="Fine", action="pulse", value="4"),)),
        [],
        next_id=2,
    )

    assert form.to_json()["form"] == {
        "delivery_id": 42,
        "fields": [
            {"label": "Yesterday", "value": "Tests", "multiline": True, "choices": [], "optional": True},
            {"label": "Mood", "value": "", "multiline": False, "choices": [], "optional": True},
        ],
        "submit_label": "Send",
    }
    assert prompt.to_json()["buttons"] == [{"label": "Fine", "action": "pulse", "value": "4"}]


def test_a_question_on_a_scale_carries_its_options_the_picked_one_and_whether_it_is_required() -> None:
    scale = tuple(Choice(value=str(n), label=label) for n, label in enumerate(("1 – very bad", "2", "3", "4", "5"), 1))
    view = place(
        Form(
            to=ADA,
            text=Text.plain("Pulse"),
            delivery_id=9,
            fields=(
                Field(label="How are you feeling this week?", choices=scale, optional=False, value="4"),
                Field(label="Anything to add?"),
            ),
            submit_label="Send",
            open_label="Answer",
        ),
        [],
        next_id=1,
    )

    feeling, comment = json.loads(json.dumps(view.to_json()))["form"]["fields"]
    assert feeling["label"] == "How are you feeling this week?"
    assert feeling["choices"][0] == {"value": "1", "label": "1 – very bad"}
    assert [choice["value"] for choice in feeling["choices"]] == ["1", "2", "3", "4", "5"]
    assert (feeling["value"], feeling["optional"]) == ("4", False)
    assert (comment["choices"], comment["optional"]) == ([], True)


def test_an_update_replaces_the_private_message_with_its_key_and_drops_the_form() -> None:
    form = place(
        Form(
            to=ADA,
            text=Text.plain("Stand-up"),
            delivery_id=42,
            fields=(Field(label="Today"),),
            submit_label="Send",
            open_label="Answer",
            key="standup:42",
        ),
        [],
        next_id=1,
    )

    updated = place(
        Update(
            to=ADA,
            text=Text.plain("Thanks!"),
            buttons=(Button(label="Edit", action="standup.edit", value="42"),),
            key="standup:42",
        ),
        [form],
        next_id=2,
    )

    assert updated.id == form.id
    assert updated.form is None
    assert texts(updated) == ["Thanks!"]
    assert updated.to_json()["buttons"] == [{"label": "Edit", "action": "standup.edit", "value": "42"}]


def test_an_update_only_replaces_that_members_message() -> None:
    adas = place(Prompt(to=ADA, text=Text.plain("Ada's"), context=TEAM, key="k"), [], next_id=1)

    brams = place(Update(to=BRAM, text=Text.plain("Bram's"), key="k"), [adas], next_id=2)

    assert brams.id == 2
    assert brams.conversation == "dm:u2"


def test_an_update_with_nothing_to_replace_still_shows() -> None:
    view = place(Update(to=ADA, text=Text.plain("Your answer was saved"), key="gone"), [], next_id=5)

    assert (view.id, view.conversation, view.form) == (5, "dm:u1", None)
    assert texts(view) == ["Your answer was saved"]


def test_a_thread_reply_goes_under_the_post_with_its_key() -> None:
    post = place(ChannelPost(to=TEAM, text=Text.plain("Stand-up summary"), key="summary:1"), [], next_id=1)
    other = place(ChannelPost(to=TEAM, text=Text.plain("Coffee pairs"), key="coffee"), [post], next_id=2)

    reply = place(
        ThreadReply(to=TEAM, thread_key="summary:1", text=Text.plain("Ada: shipped it")), [post, other], next_id=3
    )

    assert (reply.id, reply.conversation, reply.thread_of) == (3, "channel:team", post.id)
    assert visible_to(reply, "u2")


def test_a_thread_reply_without_its_post_is_posted_in_the_channel() -> None:
    reply = place(ThreadReply(to=TEAM, thread_key="lost", text=Text.plain("Late answer")), [], next_id=9)

    assert (reply.conversation, reply.thread_of, reply.only_for) == ("channel:team", None, None)
    assert texts(reply) == ["Late answer"]


# The platform keeps the transcript


@pytest.mark.asyncio
async def test_the_platform_replaces_updated_messages_and_feeds_them_again() -> None:
    platform = LocalPlatform(users=users())
    with platform.subscribe("u1") as feed:
        await platform.send(
            [
                Prompt(
                    to=ADA,
                    text=Text.plain("Pick one"),
                    key="pulse:1",
                    buttons=(Button(label="Good", action="pulse", value="5"),),
                )
            ]
        )
        await platform.send([Update(to=ADA, text=Text.plain("Thanks"), key="pulse:1")])

        first, second = await feed.next(), await feed.next()

    assert first is not None and second is not None
    assert first.id == second.id
    assert texts(second) == ["Thanks"] and second.buttons == ()
    assert [texts(view) for view in platform.history("u1")] == [["Thanks"]]
    assert platform.history("u2") == []


@pytest.mark.asyncio
async def test_a_batch_with_an_unknown_member_shows_nothing() -> None:
    platform = LocalPlatform(users=users())
    stranger = MemberAddress(platform="local", workspace_id="local", user_id="nobody")

    with pytest.raises(UndeliverableMessage):
        await platform.send([ChannelPost(to=TEAM, text=Text.plain("Hi")), Prompt(to=stranger, text=Text.plain("?"))])

    assert platform.history("u1") == []


@pytest.mark.asyncio
async def test_a_home_view_is_refused_loudly_and_its_batch_shows_nothing() -> None:
    # The local chat has no Home tab and never hands the engine HomeOpened; should one arrive, it is a bug to see.
    platform = LocalPlatform(users=users())
    home = HomeView(to=ADA, sections=(Section(title="Your rituals", text=Text.plain("none")),))

    with pytest.raises(TypeError, match="HomeView"):
        await platform.send([Prompt(to=ADA, text=Text.plain("Hi")), home])

    assert platform.history("u1") == []


@pytest.mark.asyncio
async def test_messages_for_another_platform_or_channel_are_refused() -> None:
    platform = LocalPlatform(users=users())
    slack_member = MemberAddress(platform="slack", workspace_id="T1", user_id="u1")
    elsewhere = ChannelAddress(platform="local", workspace_id="local", channel_id="random")

    with pytest.raises(UndeliverableMessage):
        await platform.send([Prompt(to=slack_member, text=Text.plain("Hi"))])
    with pytest.raises(UndeliverableMessage):
        await platform.send([ChannelPost(to=elsewhere, text=Text.plain("Hi"))])


@pytest.mark.asyncio
async def test_a_prompt_in_an_unknown_channel_goes_to_the_dm() -> None:
    platform = LocalPlatform(users=users())
    elsewhere = ChannelAddress(platform="local", workspace_id="local", channel_id="random")

    await platform.send([Prompt(to=ADA, text=Text.plain("Help"), context=elsewhere)])

    [view] = platform.history("u1")
    assert (view.conversation, view.only_for) == ("dm:u1", None)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"display_name": " "}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"display_name": "Ada\nLovelace"}, "display_name"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"timezone": "localtime"}, "timezone"),
        ({"locale": "de"}, "locale"),
        ({"user_id": "u 9"}, "user_id"),
        ({"user_id": "u:9"}, "user_id"),
        ({"user_id": ""}, "user_id"),
        ({"user_id": "u" * 51}, "user_id"),
    ],
)
def test_a_local_user_names_the_bad_field_in_both_languages(changes: dict[str, str], field: str) -> None:
    good = {"user_id": "u9", "display_name": "Ada", "timezone": "Europe/Amsterdam", "locale": "en"}

    with pytest.raises(InvalidUser, match=f"^{field}:") as raised:
        LocalUser(**{**good, **changes})

    assert "for example" in str(raised.value)
    assert raised.value.text("nl").startswith(f"{field}:")
    assert "bijvoorbeeld" in raised.value.text("nl")


def test_an_unknown_locale_is_told_which_ones_there_are() -> None:
    with pytest.raises(InvalidUser) as raised:
        LocalUser(user_id="u9", display_name="Ada", timezone="UTC", locale="fr")

    assert str(raised.value) == 'locale: use one of "en", "nl", for example "en"'
    assert raised.value.text("nl") == 'locale: gebruik een van "en", "nl", bijvoorbeeld "en"'


def test_browser_event_ids_are_scoped_to_the_member() -> None:
    ada, bram = users()

    assert scoped_event_id(ada, "e-1") == "u1:e-1"
    assert scoped_event_id(ada, "e-1") != scoped_event_id(bram, "e-1")


# Who wrote it


def test_bot_messages_are_flagged_and_a_member_called_ritme_is_not_the_bot() -> None:
    bot = place(Prompt(to=ADA, text=Text.plain("Hello")), [], next_id=1)
    impostor = member_message(message_id=2, conversation="dm:u1", author=BOT_AUTHOR, text="I am the bot")

    assert bot.to_json()["from_bot"] is True
    assert impostor.to_json()["from_bot"] is False
    assert impostor.author == BOT_AUTHOR
    assert is_private_to(bot, "u1")
    assert not is_private_to(impostor, "u1")


def test_a_thread_reply_never_hangs_under_a_member_message() -> None:
    post = place(ChannelPost(to=TEAM, text=Text.plain("Stand-up"), key="summary:1"), [], next_id=1)
    impostor = MessageView(id=2, conversation="channel:team", author=BOT_AUTHOR, from_bot=False, key="summary:1")

    reply = place(ThreadReply(to=TEAM, thread_key="summary:1", text=Text.plain("Ada: ok")), [post, impostor], next_id=3)

    assert reply.thread_of == post.id


# The page's words come from the catalog


def _page_keys() -> set[str]:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    in_page = set(re.findall(r'data-ui(?:-[a-z-]+)?="([\w.]+)"', page))
    in_script = set(re.findall(r'\bt\("([\w.]+)"', script)) | set(re.findall(r'showStatusKey\("([\w.]+)"', script))
    in_script |= set(re.findall(r'"(ui\.status\.[\w.]+)"', script))
    return in_page | in_script


def test_every_word_key_the_page_uses_is_in_the_catalog() -> None:
    keys = _page_keys()
    catalog = Catalog()

    assert {"ui.people.heading", "ui.run_standup", "ui.only_you", "ui.status.lost", "ui.form.sent"} <= keys
    assert sorted(key for key in keys if not catalog.has(key)) == []


def test_the_page_writes_no_words_of_its_own() -> None:
    page = (STATIC / "index.html").read_text(encoding="utf-8")

    # Elements filled from the catalog are empty in the file, and no placeholder or label is written out.
    assert re.findall(r'data-ui="[\w.]+"[^>]*>([^<]+)<', page) == []
    assert not re.search(r'\s(?:placeholder|aria-label|title)="', page)


@pytest.mark.asyncio
async def test_the_local_chat_accepts_a_status_and_shows_nothing_as_it_has_no_member_status() -> None:
    platform = LocalPlatform(users=users())
    stranger = MemberAddress(platform="local", workspace_id="local", user_id="nobody")
    await platform.send([
        StatusUpdate(to=ADA, text="Focus afternoon — no meetings", emoji=":no_bell:"),
        StatusUpdate(to=stranger, text="Focus afternoon — no meetings"),
        Prompt(to=ADA, text=Text.plain("Still here")),
    ])
    assert [texts(view) for view in platform.history("u1")] == [["Still here"]]
