"""Rendering for Teams: markdown that shows what people typed without obeying it, cards with the card-action data
contract, and activities that stay under Teams' size limit."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.teams import render
from adapters.teams.protocol import ANSWER, BUTTON, DATA_KEY, FIELD_COUNT, field_id
from rituals.outbound import (
    Button,
    ChannelAddress,
    ChannelPost,
    Choice,
    Field,
    Form,
    MemberAddress,
    Prompt,
    Span,
    Text,
    Update,
)

ADA = MemberAddress(platform="teams", workspace_id="tenant-1", user_id="29:ada")
TEAM = ChannelAddress(platform="teams", workspace_id="tenant-1", channel_id="19:team@thread.tacv2")


def typed(text: str, *, before: str = "Ada: ") -> Text:
    """A line with bot text, then words a member typed."""
    return Text(((Span(text=before, bold=True), Span(text=text, user=True)),))


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"], card["$schema"]) == (
        "AdaptiveCard",
        "1.5",
        "http://adaptivecards.io/schemas/adaptive-card.json",
    )
    return dict(card)


@pytest.mark.parametrize(
    ("attempt", "shown"),
    [
        ("<at>everyone</at>", "&lt;at&gt;everyone&lt;/at&gt;"),
        ("**x**", "\\*\\*x\\*\\*"),
        ("[link](http://evil)", "\\[link\\](http://evil)"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("&lt;at&gt;", "&amp;lt;at&amp;gt;"),
        ("_x_ ~~y~~ `z`", "\\_x\\_ \\~\\~y\\~\\~ \\`z\\`"),
        ("a \\*", "a \\\\\\*"),
    ],
)
def test_injection_attempts_are_shown_as_typed(attempt: str, shown: str) -> None:
    assert render.render_span(Span(text=attempt, user=True), line_start=False) == shown
    text = render.message(typed(attempt))["text"]
    assert text == f"**Ada:** {shown}"
    assert "<" not in text and "<at>" not in json.dumps(render.message(typed(attempt)))


def test_at_everyone_typed_by_a_member_is_defused() -> None:
    text = render.message(typed("@everyone look"))["text"]
    assert "@\u200beveryone" in text


@pytest.mark.parametrize(
    ("attempt", "shown"),
    [
        ("# Heading", "\\# Heading"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. first", "1\\. first"),
        ("> quote", "&gt; quote"),
        ("| a | b |", "\\| a | b |"),
    ],
)
def test_block_markup_at_the_start_of_a_line_is_escaped(attempt: str, shown: str) -> None:
    assert render.message(Text(((Span(text=attempt, user=True),),)))["text"] == shown


def test_a_line_break_inside_an_answer_cannot_start_a_heading_or_a_list() -> None:
    text = render.message(typed("done\n# Big\n- item\r\n2) two"))["text"]
    assert text == "**Ada:** done\n\n\\# Big\n\n\\- item\n\n2\\) two"


def test_an_address_ritme_sends_is_a_link_to_exactly_that_address() -> None:
    link = "https://ritme.example.com/dashboard/signin/x_Y-z*1~2"
    text = render.message(Text.plain(f"Your link: {link}. Use it once."))["text"]
    assert text == f"Your link: [https://ritme.example.com/dashboard/signin/x\\_Y-z\\*1\\~2]({link}). Use it once."
    assert render.message(Text.plain(f"{link}\n- next"))["text"] == (
        f"[https://ritme.example.com/dashboard/signin/x\\_Y-z\\*1\\~2]({link})\n\n\\- next")


def test_dutch_text_passes_through_unchanged() -> None:
    dutch = "Gisteren de borrel geregeld; vandaag één stand-up, morgen vrij. Geen blokkades!"
    assert render.message(Text.plain(dutch))["text"] == dutch
    assert render.message(typed("Ik ben er om 10:00 (thuiswerken)."))["text"] == (
        "**Ada:** Ik ben er om 10:00 (thuiswerken)."
    )


def test_bold_keeps_surrounding_spaces_outside_and_lines_become_paragraphs() -> None:
    text = Text(((Span(text=" Ritme ", bold=True), Span(text="says hi")), (Span(text="second line"),)))
    assert render.message(text) == {
        "type": "message",
        "textFormat": "markdown",
        "text": " **Ritme** says hi\n\nsecond line",
    }


def test_a_form_is_a_card_with_a_prefilled_input_per_question_and_the_answer_data() -> None:
    form = Form(
        key="standup-form:7",
        to=ADA,
        text=Text.plain("Stand-up for Platform\nThree questions."),
        delivery_id=7,
        fields=(
            Field(label="What did you do yesterday?", value="Shipped <b>it</b>"),
            Field(label="Blockers?", multiline=False),
        ),
        submit_label="Send",
        open_label="Answer",
    )
    card = card_of(render.form_card(form))
    texts = [element for element in card["body"] if element["type"] == "TextBlock"]
    assert [block["text"] for block in texts] == ["Stand-up for Platform", "Three questions."]
    assert all(block["wrap"] for block in texts)
    inputs = [element for element in card["body"] if element["type"] == "Input.Text"]
    assert inputs == [
        {
            "type": "Input.Text",
            "id": field_id(0),
            "label": "What did you do yesterday?",
            "isRequired": False,
            "isMultiline": True,
            "value": "Shipped <b>it</b>",  # an input's value is plain text, shown as it is
        },
        {
            "type": "Input.Text",
            "id": field_id(1),
            "label": "Blockers?",
            "isRequired": False,
            "isMultiline": False,
            "value": "",
        },
    ]
    data = {DATA_KEY: ANSWER, "delivery": 7, FIELD_COUNT: 2}
    assert card["actions"] == [{"type": "Action.Submit", "title": "Send", "data": data}]


FEELINGS = ("1 – very bad", "2 – bad", "3 – okay", "4 – good", "5 – very good")
SCALE = tuple(Choice(value=str(n), label=label) for n, label in enumerate(FEELINGS, 1))


def pulse(*fields: Field) -> Form:
    return Form(
        key="pulse:9",
        to=ADA,
        text=Text.plain("How was your week?"),
        delivery_id=9,
        fields=fields,
        submit_label="Send",
        open_label="Answer",
    )


def test_a_question_on_a_scale_is_a_set_of_radio_buttons_with_the_earlier_pick_selected() -> None:
    card = card_of(
        render.form_card(
            pulse(
                Field(label="How are you feeling this week?", choices=SCALE, optional=False, value="4"),
                Field(label="How manageable is your workload?", choices=SCALE),
                Field(label="Anything to add?"),
            )
        )
    )
    feeling, workload, comment = [element for element in card["body"] if element["type"].startswith("Input.")]
    assert feeling == {
        "type": "Input.ChoiceSet",
        "id": field_id(0),
        "label": "How are you feeling this week?",
        "isRequired": True,  # Teams asks for a pick before the card can be sent
        "style": "expanded",  # every option shown as a radio button: one tap answers
        "wrap": True,
        "choices": [{"title": label, "value": str(n)} for n, label in enumerate(FEELINGS, 1)],
        "value": "4",
    }
    assert (workload["type"], workload["isRequired"]) == ("Input.ChoiceSet", False)
    assert "value" not in workload  # nothing picked yet
    assert (comment["type"], comment["isRequired"]) == ("Input.Text", False)
    assert card["actions"][0]["data"] == {DATA_KEY: ANSWER, "delivery": 9, FIELD_COUNT: 3}


def test_an_earlier_answer_that_is_no_option_selects_nothing_and_option_words_are_plain_text() -> None:
    hostile = Choice(value="1", label="<at>everyone</at> **bold**")
    card = card_of(render.form_card(pulse(Field(label="Feeling?", choices=(hostile, *SCALE[1:]), value="7"))))
    [choice_set] = [element for element in card["body"] if element["type"] == "Input.ChoiceSet"]
    assert "value" not in choice_set
    # Like an input's label, a choice's title is plain text on a card (no markdown, no mention entity): kept as written.
    assert choice_set["choices"][0]["title"] == "<at>everyone</at> **bold**"


def test_a_prompt_without_buttons_is_a_markdown_message_and_with_buttons_a_card() -> None:
    plain = Prompt(to=ADA, text=Text.plain("Hello"))
    assert render.prompt_activity(plain) == {"type": "message", "textFormat": "markdown", "text": "Hello"}
    buttons = (Button(label="Skip today", action="skip", value="7"), Button(label="Snooze", action="snooze", value="7"))
    card = card_of(render.prompt_activity(Prompt(to=ADA, text=Text.plain("Hello"), buttons=buttons)))
    assert card["body"] == [{"type": "TextBlock", "text": "Hello", "wrap": True}]
    assert card["actions"] == [
        {"type": "Action.Submit", "title": "Skip today", "data": {DATA_KEY: BUTTON, "action": "skip", "value": "7"}},
        {"type": "Action.Submit", "title": "Snooze", "data": {DATA_KEY: BUTTON, "action": "snooze", "value": "7"}},
    ]


def test_an_update_is_a_card_that_can_replace_a_form_card() -> None:
    update = Update(key="standup-form:7", to=ADA, text=typed("**all done**", before="Thanks, answered: "))
    card = card_of(render.update_activity(update))
    assert card["body"] == [{"type": "TextBlock", "text": "**Thanks, answered:** \\*\\*all done\\*\\*", "wrap": True}]
    assert "actions" not in card


def test_empty_lines_become_room_between_text_blocks() -> None:
    card = card_of(render.text_card(Text.plain("one\n\ntwo")))
    assert card["body"] == [
        {"type": "TextBlock", "text": "one", "wrap": True},
        {"type": "TextBlock", "text": "two", "wrap": True, "spacing": "Large"},
    ]


def test_a_digest_over_teams_size_limit_is_cut_at_a_line_with_an_ellipsis() -> None:
    lines = tuple((Span(text=f"Member {n}: ", bold=True), Span(text="é" * 300, user=True)) for n in range(200))
    post = ChannelPost(to=TEAM, text=Text(lines))
    activity = render.channel_activity(post)
    assert len(json.dumps(activity)) <= render.ACTIVITY_LIMIT
    text = activity["text"]
    assert text.startswith("**Member 0:** ") and text.endswith("…")
    assert text.count("**") % 2 == 0  # no bold span left open


def test_a_single_huge_answer_is_cut_inside_the_line_but_never_inside_an_escape() -> None:
    raw = "<&>*_" * 10_000
    activity = render.message(typed(raw))
    assert len(json.dumps(activity)) <= render.ACTIVITY_LIMIT
    text = activity["text"]
    assert text.startswith("**Ada:** &lt;&amp;&gt;\\*\\_") and text.endswith("…")
    body = text.removeprefix("**Ada:** ").removesuffix("…")
    # The cut falls between characters the member typed, so what is shown is exactly their first ones, escaped.
    escaped = [render.render_span(Span(text=char, user=True), line_start=False) for char in raw]
    shown = 0
    while len("".join(escaped[:shown])) < len(body):
        shown += 1
    assert body == "".join(escaped[:shown]) and shown > 100


def test_a_form_too_long_keeps_its_inputs_and_submit_and_cuts_its_text() -> None:
    form = Form(
        to=ADA,
        text=Text.plain("\n".join("x" * 200 for _ in range(500))),
        delivery_id=9,
        fields=(Field(label="Q", value="v" * 10_000),),
        submit_label="Send",
        open_label="Answer",
    )
    activity = render.form_card(form)
    assert len(json.dumps(activity)) <= render.ACTIVITY_LIMIT
    card = card_of(activity)
    [field] = [element for element in card["body"] if element["type"] == "Input.Text"]
    assert len(field["value"]) == render.INPUT_VALUE_LIMIT and field["value"].endswith("…")
    assert card["actions"][0]["data"] == {DATA_KEY: ANSWER, "delivery": 9, FIELD_COUNT: 1}
    assert card["body"][-2]["text"].endswith("…")
