"""Hostile text through the command grammar: whatever a member types after `/ritme`, the parser answers with a
command whose free text is within its documented limit and holds no invisible control character, or with a
refusal the catalog can word in English and Dutch. Never a traceback.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adapters.local import LocalPlatform
from adapters.local.platform import MAX_NAME_LENGTH as MAX_NAME_LENGTH_LOCAL
from adapters.local.platform import InvalidUser
from rituals import pulse
from rituals.catalog import LOCALES, Catalog
from rituals.commands import MAX_COMMAND_LENGTH, CommandError, parse
from tests.security.hostile_strategies import LIMITS, hostile_text, hostile_words, is_invisible_control

TODAY = date(2026, 11, 23)
CATALOG = Catalog()
# Beginnings that reach each grammar's free-text fields and options, so the hostile part lands where it counts.
STARTS = (
    "",
    "help",
    "standup create",
    "standup create at 09:30 on mon-fri questions",
    'standup create questions "How are you?" |',
    "standup pause",
    "pulse create weekly fri 14:00",
    "pulse create weekly fri 14:00 pin",
    "pulse delete",
    "me timezone",
    "me hours",
    "me days",
    "me away until",
    "me country",
    "me language",
    "manager add",
    "manager audit",
    "borrel create fri 16:30 45m https://meet.example/borrel theme",
    "borrel create fri 16:30",
    "borrel move 1",
    "borrel cancel",
    "borrel history",
    "coffee machine",
    "coffee machine https://meet.example/coffee at 10:00 until 10:30 on",
    "coffee create weekly mon 10:00",
    "coffee",
    "focus add mon-fri 09:00-11:00",
    "focus add mon-fri 09:00-11:00 zone",
    "focus remove",
    "focus calendar",
    "core set 10:00-12:00",
    "meet-check",
    "dashboard",
)
_HOSTILE_SETTINGS = settings(max_examples=400, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.too_slow])


def _strings(value: Any) -> list[tuple[str, str]]:
    """Every (field, text) a parsed command carries, nested tuples included."""
    found: list[tuple[str, str]] = []
    for item in dataclasses.fields(value):
        content = getattr(value, item.name)
        parts = content if isinstance(content, tuple) else (content,)
        found += [(item.name, part) for part in parts if isinstance(part, str)]
    return found


def _check_refusal(error: CommandError) -> None:
    assert CATALOG.has(error.key), error.key
    for locale in LOCALES:
        worded = CATALOG.text(locale, error.key, **error.params)
        assert worded.strip()


def _check_outcome(text: str) -> None:
    try:
        command = parse(text, TODAY)
    except CommandError as error:
        _check_refusal(error)
        return
    for name, value in _strings(command):
        limit = LIMITS.get(name, MAX_COMMAND_LENGTH)
        assert len(value) <= limit, (name, len(value), limit)
        if name != "topic":  # only looked up among the help topics (an unknown one shows the main help), never shown
            assert not any(is_invisible_control(ch) for ch in value), (name, value)


@_HOSTILE_SETTINGS
@given(start=st.sampled_from(STARTS), rest=hostile_words())
@example(start="manager add", rest="\u202eSam")
@example(start="borrel create fri 16:30 45m https://meet.example/borrel theme", rest='"Quiz\x00night"')
@example(start="standup create at 09:30 on mon-fri questions", rest='"How are you?\x1b[2J"')
@example(start="focus add mon-fri 09:00-11:00", rest='"Deep\u2066work"')
@example(start="coffee machine", rest="https://meet.example/<script> at 10:00 until 10:30")
def test_hostile_text_after_every_command_is_parsed_or_refused_in_both_languages(start: str, rest: str) -> None:
    _check_outcome(f"{start} {rest}")


@_HOSTILE_SETTINGS
@given(text=st.text(max_size=300))
def test_arbitrary_unicode_is_parsed_or_refused_in_both_languages(text: str) -> None:
    _check_outcome(text)


@pytest.mark.parametrize("command", ["standup create questions ", "borrel create fri 16:30 https://x.example/b theme ",
                                     "manager add ", "help "])
def test_a_100_kb_command_is_refused_naming_the_limit_and_an_example(command: str) -> None:
    with pytest.raises(CommandError) as refused:
        parse(command + "x" * 100_000, TODAY)
    assert refused.value.key == "error.too_long"
    for locale in LOCALES:
        worded = CATALOG.text(locale, refused.value.key, **refused.value.params)
        assert f"{MAX_COMMAND_LENGTH}" in worded and "100" in worded and "`/ritme standup create at 09:30`" in worded


@pytest.mark.parametrize(("command", "key"), [
    ("manager add " + "S" * 101, "error.name_long"),
    ("manager add Sam\u202eevil", "error.invisible_character"),
    ('borrel create fri 16:30 https://meet.example/b theme "Quiz\u200enight"', "error.invisible_character"),
    ('standup create questions "How\x07 are you?"', "error.invisible_character"),
    ('focus add mon-fri 09:00-11:00 "Deep\x00work"', "error.invisible_character"),
    ("coffee machine https://meet.example/a<b at 10:00 until 10:30", "error.coffee_link"),
    ("borrel create fri 16:30 https://meet.example/\u202eb", "error.invisible_character"),
])
def test_free_text_with_a_control_character_or_over_its_limit_is_refused_by_name(command: str, key: str) -> None:
    with pytest.raises(CommandError) as refused:
        parse(command, TODAY)
    assert refused.value.key == key
    english = CATALOG.text("en", key, **refused.value.params)
    dutch = CATALOG.text("nl", key, **refused.value.params)
    assert "`/ritme" in english and "`/ritme" in dutch  # a correct example in both languages
    if key == "error.invisible_character":
        # The character is named by its code point, since it cannot be seen.
        code = next(f"U+{ord(ch):04X}" for ch in command if is_invisible_control(ch))
        assert code in english and code in dutch


def test_the_invisible_control_check_keeps_emoji_and_accents() -> None:
    # A zero-width joiner holds a family emoji together and must stay allowed; accents and CJK are ordinary text.
    for text in ("👩\u200d💻 focus", "Crème brûlée", "コーヒー", "שלום"):
        assert not any(is_invisible_control(ch) for ch in text), text
    assert unicodedata.category("\u202e") == "Cf" and is_invisible_control("\u202e")


@_HOSTILE_SETTINGS
@given(points=st.lists(st.one_of(st.sampled_from(["1", "3", "5", ""]), hostile_text(10)), min_size=0, max_size=4),
       comment=st.one_of(hostile_text(300), st.sampled_from(["x" * 1_001, "ok\x00", "line\nbreak\tand tab"])))
def test_hostile_pulse_answers_are_read_or_refused_in_both_languages(points: list[str], comment: str) -> None:
    questions = ("workload", "feeling", "focus")[: max(len(points), 1)]
    try:
        answer = pulse.read_answer(questions, [*points, comment])
    except pulse.AnswerRefused as refused:
        _check_refusal(CommandError(refused.key, **refused.params))
        return
    assert len(answer.comment) <= pulse.MAX_COMMENT_LENGTH
    assert not any(is_invisible_control(ch) for ch in answer.comment if ch not in "\n\r\t")
    assert all(score in pulse.SCALE for _, score in answer.scores)


@_HOSTILE_SETTINGS
@given(name=st.one_of(hostile_text(120), st.sampled_from(["x" * 100_000, "../../etc/passwd", "Ada\x00", "\u202eAda"])))
def test_a_hostile_local_member_name_is_kept_short_and_visible_or_refused(name: str) -> None:
    platform = LocalPlatform()
    try:
        user = platform.new_user(display_name=name, timezone="Europe/Amsterdam", locale="en")
    except InvalidUser as refused:
        _check_refusal(CommandError(refused.key, **refused.params))
        return
    assert len(user.display_name) <= MAX_NAME_LENGTH_LOCAL and user.display_name.strip()
    assert not any(is_invisible_control(ch) for ch in user.display_name)
