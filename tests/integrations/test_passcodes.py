"""Passcodes we make up meet every rule a host's Zoom account can set (pure: no Zoom needed)."""

import pytest

from integrations.zoom.api.passcodes import SPECIALS, broken_rule, generate
from integrations.zoom.connection.models import passcode_rules_of

RULES = [
    {"length": 10},
    {"have_letter": True},
    {"have_number": True},
    {"have_special_character": True},
    {"only_allow_numeric": True},
    {"have_upper_and_lower_characters": True},
    {"consecutive_characters_length": 4},
    {
        "length": 8,
        "have_letter": True,
        "have_number": True,
        "have_special_character": True,
        "have_upper_and_lower_characters": True,
        "consecutive_characters_length": 4,
    },
    {"only_allow_numeric": True, "length": 10, "consecutive_characters_length": 3},
]


@pytest.mark.parametrize("rules", RULES)
def test_generated_passcodes_meet_each_rule(rules):
    for _ in range(200):
        code = generate(rules)
        assert code is not None
        assert broken_rule(code, rules) == ""
        assert len(code) == 10
        assert all(c.isalnum() or c in SPECIALS for c in code)


def test_numeric_only_rules_give_digits_only():
    assert generate({"only_allow_numeric": True}).isdigit()


def test_special_characters_appear_only_when_asked_for():
    codes = [generate({}) for _ in range(200)]
    assert not any(c in SPECIALS for code in codes for c in code)
    assert all(
        any(c in SPECIALS for c in generate({"have_special_character": True})) for _ in range(50)
    )


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("abc12", "length"),
        ("12345a7890", "only_allow_numeric"),
        ("1357924680", "have_letter"),
        ("abcdefghXy", "have_number"),
        ("abc123XYZq", "have_special_character"),
        ("abc123xyzq", "have_upper_and_lower_characters"),
        ("x1234yzq9R", "consecutive_characters_length"),
        ("x9aaaayzqR", "consecutive_characters_length"),
        ("x94321zqRb", "consecutive_characters_length"),
    ],
)
def test_each_broken_rule_is_named(code, rule):
    rules = {
        "length": 6,
        "only_allow_numeric": rule == "only_allow_numeric",
        "have_letter": rule == "have_letter",
        "have_number": rule == "have_number",
        "have_special_character": rule == "have_special_character",
        "have_upper_and_lower_characters": rule == "have_upper_and_lower_characters",
        "consecutive_characters_length": 4 if rule == "consecutive_characters_length" else 0,
    }
    assert broken_rule(code, rules) == rule


def test_a_minimum_length_above_zooms_maximum_leaves_the_passcode_to_zoom():
    assert generate({"length": 12}) is None


def test_rules_are_read_from_zooms_settings_answer_and_junk_is_dropped():
    answer = {
        "schedule_meeting": {
            "meeting_password_requirement": {
                "length": 8,
                "have_special_character": True,
                "only_allow_numeric": "yes",
                "weak_enhance_detection": True,
            }
        }
    }
    assert passcode_rules_of(answer) == {"length": 8, "have_special_character": True}
    assert passcode_rules_of({}) == {}
