"""The host's passcode rules as Zoom enforces them on meeting create and update, and the
passcodes Zoom generates for `default_password: true`.
https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}/settings
"""

from . import identifiers, users
from .models import ZoomUser

# Zoom's passcodes may hold these four besides letters and digits.
PASSCODE_SPECIALS = "@-_*"


def passcode_requirement(host: ZoomUser) -> dict:
    """The host's passcode rules: `GET /users/{id}/settings` →
    `schedule_meeting.meeting_password_requirement` (Zoom's fields: length, have_letter,
    have_number, have_special_character, only_allow_numeric, have_upper_and_lower_characters,
    consecutive_characters_length, weak_enhance_detection)."""
    return users.user_settings(host)["schedule_meeting"].get("meeting_password_requirement") or {}


def _has_consecutive_run(value: str, run: int) -> bool:
    """Zoom's "consecutive characters" rule refuses runs such as 11111, 12345 or abcde; the
    sandbox also refuses descending runs (54321), as Zoom does not say it allows them."""
    if run < 2 or len(value) < run:
        return False
    for start in range(len(value) - run + 1):
        window = value[start : start + run]
        steps = {ord(b) - ord(a) for a, b in zip(window, window[1:], strict=False)}
        if len(steps) == 1 and steps.pop() in (-1, 0, 1):
            return True
    return False


def passcode_rule_broken(value: str, rules: dict) -> str:
    """The first of the host's passcode rules `value` breaks, in words, or "" if none."""
    length = int(rules.get("length") or 0)
    if length and len(value) < length:
        return f"at least {length} characters."
    if rules.get("only_allow_numeric") and not value.isdigit():
        return "numbers only."
    if rules.get("have_letter") and not any(c.isalpha() for c in value):
        return "at least one letter."
    if rules.get("have_number") and not any(c.isdigit() for c in value):
        return "at least one number."
    if rules.get("have_special_character") and not any(c in PASSCODE_SPECIALS for c in value):
        return "at least one special character."
    if rules.get("have_upper_and_lower_characters") and not (
        any(c.isupper() for c in value) and any(c.islower() for c in value)
    ):
        return "both upper and lower case letters."
    run = int(rules.get("consecutive_characters_length") or 0)
    if run and _has_consecutive_run(value, run):
        return f"no {run} consecutive characters (such as 1234 or aaaa)."
    return ""


def generated_passcode(host: ZoomUser) -> str:
    """What Zoom generates for `default_password: true`: a passcode meeting the host's rules."""
    rules = passcode_requirement(host)
    length = min(10, max(6, int(rules.get("length") or 0)))
    while True:
        code = identifiers.passcode(
            length, numeric=bool(rules.get("only_allow_numeric")), specials=PASSCODE_SPECIALS
        )
        if not passcode_rule_broken(code, rules):
            return code
