"""Passcodes: the host account's requirements, enforced on create and update with Zoom's
validation error, Zoom-generated passcodes that meet them, and the numeric phone passcode."""

import pytest

RULES = "meeting_password_requirement"


@pytest.fixture
def host(zoom):
    return zoom.connect("host@example.com")["access_token"]


def _rules(zoom, **rules):
    zoom.sandbox.set_user_settings("host@example.com", schedule_meeting={RULES: rules})


# (rule, a passcode that breaks it, one that meets it)
CASES = [
    ({"length": 8}, "abc123", "abcd1234"),
    ({"have_letter": True}, "123987", "123a987"),
    ({"have_number": True}, "abcdefgh", "abcdefg7"),
    ({"have_special_character": True}, "abc123xyz", "abc@123xy"),
    ({"only_allow_numeric": True}, "12a456", "193746"),
    ({"have_upper_and_lower_characters": True}, "abc123xyz", "aBc123xyz"),
    ({"consecutive_characters_length": 4}, "x1234yz9", "x1243yz9"),
    ({"consecutive_characters_length": 4}, "q7aaaa9z", "q7aa9aaz"),
]


@pytest.mark.parametrize(("rules", "bad", "good"), CASES)
def test_each_passcode_rule_is_enforced_on_create(zoom, host, rules, bad, good):
    _rules(zoom, **rules)
    refused = zoom.create_meeting(host, password=bad, default_password=False)
    assert refused.status_code == 400
    assert refused.json()["code"] == 300
    assert refused.json()["errors"][0]["field"] == "password"
    assert zoom.create_meeting(host, password=good, default_password=False).status_code == 201


def test_passcode_rules_are_enforced_on_update(zoom, host):
    meeting = zoom.create_meeting(host, password="abc123", default_password=False).json()
    _rules(zoom, only_allow_numeric=True)
    path = f"/meetings/{meeting['id']}"
    assert zoom.api("PATCH", path, host, json={"password": "abc999"}).json()["code"] == 300
    assert zoom.api("PATCH", path, host, json={"password": "918273"}).status_code == 204
    assert zoom.api("PATCH", path, host, json={"topic": "Moved"}).status_code == 204


def test_the_default_rules_ask_for_six_characters(zoom, host):
    assert zoom.create_meeting(host, password="ab12", default_password=False).status_code == 400


@pytest.mark.parametrize(
    "rules",
    [
        {"only_allow_numeric": True, "length": 8},
        {"have_special_character": True, "have_upper_and_lower_characters": True},
        {"have_letter": True, "have_number": True, "consecutive_characters_length": 4},
    ],
)
def test_zoom_generated_passcodes_meet_the_hosts_rules(zoom, host, rules):
    _rules(zoom, **rules)
    meeting = zoom.create_meeting(host, default_password=True).json()
    password = meeting["password"]
    assert len(password) >= rules.get("length", 6)
    if rules.get("only_allow_numeric"):
        assert password.isdigit()
    if rules.get("have_special_character"):
        assert any(c in "@-_*" for c in password)


def test_meetings_carry_a_numeric_phone_passcode(zoom, host):
    meeting = zoom.create_meeting(host, password="Ab3xY9zq", default_password=False).json()
    assert meeting["pstn_password"].isdigit()
    assert meeting["pstn_password"] != meeting["password"]
    numeric = zoom.create_meeting(host, password="583920", default_password=False).json()
    assert numeric["pstn_password"] == "583920"


def test_the_rules_are_readable_in_the_users_settings(zoom, host):
    _rules(zoom, have_special_character=True)
    settings = zoom.api("GET", "/users/me/settings", host).json()
    assert settings["schedule_meeting"][RULES]["have_special_character"] is True
    assert settings["schedule_meeting"][RULES]["length"] == 6
