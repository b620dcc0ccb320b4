"""Outbound messages -> Block Kit: escaping, defusing, limits."""

from __future__ import annotations

import json

import pytest

from adapters.slack.protocol import BUTTON_ACTION_PATTERN, FIELD_ACTION, field_block_id
from adapters.slack.render import (
    BUTTON_LABEL_LIMIT,
    HEADER_TEXT_LIMIT,
    HOME_BLOCK_LIMIT,
    INPUT_LABEL_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    MODAL_SUBMIT_LIMIT,
    OPTION_TEXT_LIMIT,
    SECTION_TEXT_LIMIT,
    actions_blocks,
    escape_mrkdwn,
    form_message_content,
    form_modal,
    home_view,
    message_content,
    render_mrkdwn,
    render_span,
    section_blocks,
)
from rituals.outbound import Button, Choice, Field, Form, HomeView, MemberAddress, Section, Span, Text

ZWSP = "\u200b"
ADA = MemberAddress(platform="slack", workspace_id="T1", user_id="U1")


FEELINGS = ("1 – very bad", "2 – bad", "3 – okay", "4 – good", "5 – very good")
SCALE = tuple(Choice(value=str(n), label=label) for n, label in enumerate(FEELINGS, 1))


def pulse(*fields: Field) -> Form:
    return form(key="pulse:9", delivery_id=9, text=Text.plain("How was your week?"), fields=fields)


def form(**changes: object) -> Form:
    values: dict[str, object] = {
        "key": "standup-form:42",
        "to": ADA,
        "text": Text.plain("Time for the stand-up of #team."),
        "delivery_id": 42,
        "fields": (Field(label="How are you?", value="Fine & you?"), Field(label="Blocked?", multiline=False)),
        "submit_label": "Send answer",
        "open_label": "Answer",
    }
    values.update(changes)
    return Form(**values)  # type: ignore[arg-type]


def test_the_three_control_characters_are_escaped() -> None:
    assert escape_mrkdwn("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    # `&` first, or "&lt;" typed by a member would come out as "<".
    assert escape_mrkdwn("&lt;!channel&gt;") == "&amp;lt;!channel&amp;gt;"


@pytest.mark.parametrize("typed", ["<!channel>", "<!here>", "<!everyone>", "<@U123>", "<#C1>", "<!subteam^S1>"])
def test_no_mention_survives_in_any_span(typed: str) -> None:
    for user in (False, True):
        rendered = render_span(Span(text=f"hey {typed}", user=user))
        assert "<" not in rendered and ">" not in rendered


def test_spans_a_member_typed_are_defused_too() -> None:
    rendered = render_span(Span(text="@here @channel @Everyone", user=True))
    assert rendered == f"@{ZWSP}here @{ZWSP}channel @{ZWSP}Everyone"
    # The bot's own words are only escaped.
    assert render_span(Span(text="@here")) == "@here"


def test_bold_wraps_the_escaped_words_and_keeps_spaces_outside() -> None:
    assert render_span(Span(text="Blockers", bold=True)) == "*Blockers*"
    assert render_span(Span(text=" <Ada> ", bold=True, user=True)) == " *&lt;Ada&gt;* "
    assert render_span(Span(text="  ", bold=True)) == "  "


def test_lines_become_lines() -> None:
    text = Text(((Span(text="Title", bold=True),), (Span(text="Ada", user=True), Span(text=": <fine>"))))
    assert render_mrkdwn(text) == "*Title*\nAda: &lt;fine&gt;"


def test_message_content_has_a_fallback_text_rendered_like_the_blocks() -> None:
    content = message_content(Text.plain("Hi <!channel> & all"))
    assert content["text"] == "Hi &lt;!channel&gt; &amp; all"
    assert content["blocks"] == [{"type": "section", "text": {"type": "mrkdwn", "text": content["text"]}}]


def test_long_text_is_split_into_sections_at_line_ends() -> None:
    line = "x" * 1000
    blocks = section_blocks(Text.plain("\n".join([line] * 7)))
    # Three lines with their two line ends would be 3,002 characters: two lines per section.
    assert [len(block["text"]["text"]) for block in blocks] == [2001, 2001, 2001, 1000]
    assert "\n".join(block["text"]["text"] for block in blocks) == "\n".join([line] * 7)


def test_a_very_long_line_is_cut_but_never_inside_an_escape() -> None:
    text = Text.plain("a" * (SECTION_TEXT_LIMIT - 2) + "&&&" + "b" * 10)
    blocks = section_blocks(text)
    pieces = [block["text"]["text"] for block in blocks]
    assert all(len(piece) <= SECTION_TEXT_LIMIT for piece in pieces)
    assert "".join(pieces) == "a" * (SECTION_TEXT_LIMIT - 2) + "&amp;&amp;&amp;" + "b" * 10
    assert pieces[0].endswith("a")


def test_a_text_over_the_block_limit_is_cut_with_an_ellipsis() -> None:
    line = "y" * (SECTION_TEXT_LIMIT - 10)
    blocks = section_blocks(Text.plain("\n".join([line] * (MESSAGE_BLOCK_LIMIT + 5))))
    assert len(blocks) == MESSAGE_BLOCK_LIMIT
    assert blocks[-1]["text"]["text"].endswith("…")


def test_buttons_carry_action_and_value_as_json_with_unique_action_ids() -> None:
    buttons = [Button(label=f"{n}", action="pulse.answer", value=str(n)) for n in range(1, 31)]
    blocks = actions_blocks(buttons)
    assert [len(block["elements"]) for block in blocks] == [25, 5]
    elements = [element for block in blocks for element in block["elements"]]
    assert len({element["action_id"] for element in elements}) == 30
    assert all(BUTTON_ACTION_PATTERN.match(element["action_id"]) for element in elements)
    assert json.loads(elements[3]["value"]) == {"action": "pulse.answer", "value": "4"}


def test_long_button_labels_are_cut_and_long_values_refused() -> None:
    [block] = actions_blocks([Button(label="L" * 200, action="a", value="v")])
    assert len(block["elements"][0]["text"]["text"]) == BUTTON_LABEL_LIMIT
    with pytest.raises(ValueError, match="2000"):
        actions_blocks([Button(label="x", action="a", value="v" * 2000)])


def test_a_form_as_a_dm_has_one_answer_button() -> None:
    content = form_message_content(form())
    assert content["text"] == "Time for the stand-up of #team."
    actions = content["blocks"][-1]
    assert actions["type"] == "actions"
    [button] = actions["elements"]
    assert (button["action_id"], button["value"], button["text"]["text"]) == ("ritme.answer", "42", "Answer")


def test_a_form_as_a_modal() -> None:
    view = form_modal(form())
    assert view["type"] == "modal"
    assert view["callback_id"] == "ritme.form"
    assert view["title"]["text"] == "Ritme"
    assert view["submit"]["text"] == "Send answer"
    assert json.loads(view["private_metadata"]) == {"delivery_id": 42, "key": "standup-form:42"}
    intro, first, second = view["blocks"]
    assert intro["type"] == "section"
    assert first["block_id"] == field_block_id(0)
    assert first["label"]["text"] == "How are you?"
    # plain_text is never parsed, so what the member wrote comes back exactly as written.
    assert first["element"] == {
        "type": "plain_text_input",
        "action_id": FIELD_ACTION,
        "multiline": True,
        "initial_value": "Fine & you?",
    }
    assert second["element"]["multiline"] is False
    assert "initial_value" not in second["element"]


def test_modal_labels_are_cut_to_slacks_limits() -> None:
    view = form_modal(form(fields=(Field(label="Q" * 3000),), submit_label="Antwoord versturen en sluiten"))
    assert len(view["blocks"][-1]["label"]["text"]) == INPUT_LABEL_LIMIT
    assert len(view["submit"]["text"]) == MODAL_SUBMIT_LIMIT
    assert view["submit"]["text"].endswith("…")


def test_a_question_on_a_scale_is_a_set_of_radio_buttons_with_the_earlier_pick_selected() -> None:
    view = form_modal(
        pulse(
            Field(label="How are you feeling this week?", choices=SCALE, optional=False, value="4"),
            Field(label="How manageable is your workload?", choices=SCALE),
            Field(label="Anything to add?"),
        )
    )
    _, feeling, workload, comment = view["blocks"]
    assert feeling["block_id"] == field_block_id(0)
    assert feeling["label"]["text"] == "How are you feeling this week?"
    # Slack itself asks for an answer before the modal can be sent; the others may be left open.
    assert (feeling["optional"], workload["optional"], comment["optional"]) == (False, True, True)
    element = feeling["element"]
    assert (element["type"], element["action_id"]) == ("radio_buttons", FIELD_ACTION)
    first = {"text": {"type": "plain_text", "text": "1 – very bad", "emoji": True}, "value": "1"}
    assert element["options"][0] == first
    assert [option["value"] for option in element["options"]] == ["1", "2", "3", "4", "5"]
    assert element["initial_option"] == element["options"][3]
    assert "initial_option" not in workload["element"]
    assert comment["element"]["type"] == "plain_text_input"


def test_an_earlier_answer_that_is_no_option_selects_nothing() -> None:
    [_, block] = form_modal(pulse(Field(label="Feeling?", choices=SCALE, value="7")))["blocks"]
    assert "initial_option" not in block["element"]


def test_more_than_ten_options_become_a_menu_and_long_option_words_are_cut() -> None:
    many = tuple(Choice(value=str(n), label=f"{n} " + "w" * 100) for n in range(11))
    [_, block] = form_modal(pulse(Field(label="Pick", choices=many, value="10")))["blocks"]
    element = block["element"]
    assert element["type"] == "static_select"
    assert len(element["options"]) == 11
    assert all(len(option["text"]["text"]) == OPTION_TEXT_LIMIT for option in element["options"])
    assert element["options"][0]["text"]["text"].endswith("…")
    assert element["initial_option"] == element["options"][10]
    # Ten fit as radio buttons.
    [_, ten] = form_modal(pulse(Field(label="Pick", choices=many[:10])))["blocks"]
    assert ten["element"]["type"] == "radio_buttons"


def test_option_values_slack_cannot_carry_back_are_refused_rather_than_cut() -> None:
    with pytest.raises(ValueError, match="150"):
        form_modal(pulse(Field(label="Pick", choices=(Choice(value="v" * 151, label="x"),))))
    with pytest.raises(ValueError, match="100"):
        form_modal(pulse(Field(label="Pick", choices=tuple(Choice(value=str(n), label="x") for n in range(101)))))


def test_option_words_are_plain_text_shown_as_written() -> None:
    hostile = Choice(value="1", label="<!channel> & *bold*")
    [_, block] = form_modal(pulse(Field(label="Pick", choices=(hostile,))))["blocks"]
    shown = {"type": "plain_text", "text": "<!channel> & *bold*", "emoji": True}
    assert block["element"]["options"][0]["text"] == shown


def test_a_pulse_as_a_dm_is_its_text_and_the_answer_button() -> None:
    content = form_message_content(pulse(Field(label="Feeling?", choices=SCALE), Field(label="Anything to add?")))
    assert content["text"] == "How was your week?"
    assert [block["type"] for block in content["blocks"]] == ["section", "actions"]


def home(*sections: Section) -> HomeView:
    return HomeView(to=ADA, sections=sections)


def test_a_home_view_has_a_header_per_section_and_its_text() -> None:
    view = home_view(
        home(Section(title="Your rituals", text=Text.plain("Mon-Fri at 09:30")),
             Section(title="Your settings", text=Text.plain("Time zone: Europe/Amsterdam")))
    )
    assert view["type"] == "home"
    assert [block["type"] for block in view["blocks"]] == ["header", "section", "divider", "header", "section"]
    assert view["blocks"][0]["text"] == {"type": "plain_text", "text": "Your rituals", "emoji": True}
    assert view["blocks"][4]["text"] == {"type": "mrkdwn", "text": "Time zone: Europe/Amsterdam"}


def test_a_team_named_like_a_mention_is_shown_not_obeyed_on_the_home_tab() -> None:
    line = (Span(text="#<!channel> @here", bold=True, user=True), Span(text=" — Mon-Fri at 09:30"))
    view = home_view(home(Section(title="Teams you manage", text=Text((line,)))))
    shown = json.dumps(view)
    assert "<!channel>" not in shown and "@here" not in shown
    assert view["blocks"][1]["text"]["text"] == f"*#&lt;!{ZWSP}channel&gt; @{ZWSP}here* — Mon-Fri at 09:30"


def test_a_home_view_over_slacks_limits_is_cut_with_an_ellipsis() -> None:
    # 60 sections of 3 blocks: far over the 100 blocks a Home tab may hold.
    many = [Section(title=f"Team {n}", text=Text.plain(f"{n}\n" + "z" * SECTION_TEXT_LIMIT)) for n in range(60)]
    blocks = home_view(home(*many))["blocks"]
    assert len(blocks) == HOME_BLOCK_LIMIT
    assert blocks[-1]["text"]["text"] == "…"
    assert blocks[-2]["type"] == "section"  # no heading is left without its text
    assert all(len(block["text"]["text"]) <= SECTION_TEXT_LIMIT for block in blocks if block["type"] == "section")
    assert all(len(block["text"]["text"]) <= HEADER_TEXT_LIMIT for block in blocks if block["type"] == "header")
    # A few sections of long lines are cut by size instead: Slack refuses views over 250 kB.
    wide = [Section(title="T", text=Text.plain("\n".join(["é" * 2900] * 40))) for _ in range(3)]
    cut = home_view(home(*wide))
    assert len(json.dumps(cut).encode()) < 250_000
    assert cut["blocks"][-1]["text"]["text"] == "…"
