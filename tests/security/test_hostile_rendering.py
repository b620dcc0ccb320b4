"""Hostile member text rendered for each platform: whatever a member typed, Slack shows it without a link, a mention
or a special mention (<!channel>), Teams shows it without HTML, markdown or a card element of its own, and the
local chat gets it as plain strings. Proved with hypothesis over the renderers' pure functions.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.local.render import render_form, render_text
from adapters.slack.render import (
    INPUT_LABEL_LIMIT,
    INPUT_VALUE_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    SECTION_TEXT_LIMIT,
    fallback_text,
    form_modal,
    render_mrkdwn,
    section_blocks,
)
from adapters.teams.protocol import field_id
from adapters.teams.render import ACTIVITY_LIMIT, LABEL_LIMIT, form_card, markdown, text_card
from rituals.outbound import Button, Field, Form, MemberAddress, Span, Text
from tests.security.hostile_strategies import hostile_text

_SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
ADA = MemberAddress(platform="x", workspace_id="w", user_id="u1")
# An entity Slack or Teams reads: the only thing an `&` may start once text is escaped.
_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")
# What a platform would ping everyone for, even without a leading `<!`.
_BROADCAST = re.compile(r"@(here|channel|everyone)", re.IGNORECASE)


def member_spans() -> st.SearchStrategy[Span]:
    """A span a member typed (their answer, a theme, a name), maybe bold, as Ritme shows it."""
    return st.builds(Span, text=hostile_text(300), bold=st.booleans(), user=st.just(True))


def texts(max_lines: int = 4) -> st.SearchStrategy[Text]:
    """Lines that mix the bot's own words with a member's hostile ones."""
    line = st.lists(st.one_of(member_spans(), st.just(Span(text="• "))), min_size=1, max_size=4).map(tuple)
    return st.lists(line, min_size=1, max_size=max_lines).map(lambda lines: Text(tuple(lines)))


def _unescape_slack(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@_SETTINGS
@given(text=texts())
def test_slack_mrkdwn_of_member_text_has_no_link_mention_or_broadcast(text: Text) -> None:
    for rendered in (render_mrkdwn(text), fallback_text(text)):
        # Slack's links, user mentions and <!channel> all need a bare `<`; escaped, none can form.
        assert "<" not in rendered and ">" not in rendered
        assert not _ENTITY.search(rendered)
        assert not _BROADCAST.search(_unescape_slack(rendered))
        assert "<!" not in _unescape_slack(rendered).replace("<!\u200b", "")


@_SETTINGS
@given(text=texts(max_lines=3), size=st.sampled_from([1, 120, 40_000, 100_000]))
def test_slack_blocks_stay_within_slacks_limits_and_never_cut_an_escape(text: Text, size: int) -> None:
    # A 100 kB answer becomes blocks Slack accepts (at most 50, 3,000 characters each), cut between escapes.
    long = Text((*text.lines, (Span(text=("<!channel>&" * size)[:size], user=True),)))
    blocks = section_blocks(long)
    assert 1 <= len(blocks) <= MESSAGE_BLOCK_LIMIT
    for block in blocks:
        chunk = block["text"]["text"]
        assert len(chunk) <= SECTION_TEXT_LIMIT and "<" not in chunk and not _ENTITY.search(chunk)


@_SETTINGS
@given(questions=st.lists(hostile_text(2_500), min_size=1, max_size=4), answer=hostile_text(4_000))
def test_slack_modal_of_hostile_questions_is_plain_text_within_limits(questions: list[str], answer: str) -> None:
    form = Form(to=ADA, text=Text.plain("Stand-up"), delivery_id=7, submit_label="Send", open_label="Answer",
                fields=tuple(Field(label=question, value=answer) for question in questions))
    view = form_modal(form)
    json.dumps(view)  # what slack_sdk would send
    for block in view["blocks"][1:]:
        # Labels are plain_text, which Slack never parses for mentions or links.
        assert block["label"]["type"] == "plain_text" and len(block["label"]["text"]) <= INPUT_LABEL_LIMIT
        assert len(block["element"].get("initial_value", "")) <= INPUT_VALUE_LIMIT


def _text_blocks(card: dict[str, Any]) -> list[str]:
    return [element["text"] for element in card["body"] if element["type"] == "TextBlock"]


@_SETTINGS
@given(text=texts())
def test_teams_card_of_member_text_keeps_its_shape_and_shows_no_markup(text: Text) -> None:
    buttons = (Button(label="Join", action="coffee.join", value="1"),)
    activity = text_card(text, buttons)
    sent = json.dumps(activity)  # aiohttp's ASCII JSON: what the Bot Connector receives
    assert len(sent) <= ACTIVITY_LIMIT
    card = json.loads(sent)["attachments"][0]["content"]
    # Member text only ever fills a TextBlock's text: no element, action, property or URL of its own.
    benign = text_card(Text.plain("x"), buttons)["attachments"][0]["content"]
    assert {key: value for key, value in card.items() if key != "body"} == {
        key: value for key, value in benign.items() if key != "body"}
    for element in card["body"]:
        assert element["type"] == "TextBlock" and element["wrap"] is True
        assert set(element) <= {"type", "text", "wrap", "spacing"} and element.get("spacing", "Large") == "Large"
    for block in _text_blocks(card):
        assert "<" not in block and ">" not in block and not _ENTITY.search(block)
        # Every markdown character a member typed carries its backslash; none is left to make a link or emphasis.
        assert not re.search(r"(?<!\\)(?:\\\\)*[\[\]`_~]", block.replace("**", ""))
        assert not _BROADCAST.search(block.replace("\\", ""))


@_SETTINGS
@given(text=texts())
def test_teams_markdown_of_member_text_has_no_html_link_or_broadcast(text: Text) -> None:
    rendered = markdown(text)
    assert "<" not in rendered and ">" not in rendered and not _ENTITY.search(rendered)
    assert "](" not in rendered.replace("\\]", "")  # no [text](target) link can form
    assert not _BROADCAST.search(rendered.replace("\\", ""))


@_SETTINGS
@given(questions=st.lists(hostile_text(1_000), min_size=1, max_size=4), answer=hostile_text(5_000))
def test_teams_form_card_puts_hostile_questions_and_answers_only_into_strings(questions: list[str],
                                                                              answer: str) -> None:
    form = Form(to=ADA, text=Text.plain("Stand-up"), delivery_id=7, submit_label="Send", open_label="Answer",
                fields=tuple(Field(label=question, value=answer) for question in questions))
    card = json.loads(json.dumps(form_card(form)))["attachments"][0]["content"]
    inputs = [element for element in card["body"] if element["type"].startswith("Input.")]
    assert [element["type"] for element in inputs] == ["Input.Text"] * len(questions)
    # The ids Ritme reads answers back by are its own, whatever a question says.
    assert [element["id"] for element in inputs] == [field_id(index) for index in range(len(questions))]
    assert all(element["label"] in (question.strip()[:LABEL_LIMIT], question.strip()[:LABEL_LIMIT - 1] + "…")
               or not question.strip() for element, question in zip(inputs, questions, strict=True))
    assert [action["type"] for action in card["actions"]] == ["Action.Submit"]


@_SETTINGS
@given(text=texts())
def test_local_chat_gets_member_text_as_plain_strings_defused(text: Text) -> None:
    lines = render_text(text)
    shown = "\n".join("".join(span.text for span in line) for line in lines)
    # The browser puts these strings in with textContent; they reach it unchanged apart from the defused mentions.
    assert shown.replace("\u200b", "") == text.as_plain().replace("\u200b", "")
    assert not _BROADCAST.search(shown)
    label = text.as_plain()[:200]
    form = render_form(Form(to=ADA, text=text, delivery_id=1, submit_label="<b>", open_label="x",
                            fields=(Field(label=label),)))
    assert form.submit_label == "<b>" and form.fields[0].label == label  # strings, left for textContent to show
