"""Meeting passcodes that a host's Zoom account accepts.

Zoom refuses a create or update whose `password` breaks the host's passcode rules
(`GET /users/{id}/settings` → `schedule_meeting.meeting_password_requirement`): a minimum length,
letters, numbers, a special character, numbers only, mixed case, no runs of consecutive characters.
Passcodes are at most 10 characters of `[A-Za-z0-9@-_*]`.
https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings

We make the passcode up ourselves when we know the host's rules (read at connect and by the
keep-alive, stored on the connection), so every meeting gets a fresh random one that meets them.
When the rules are unknown we ask Zoom to generate one (`default_password: true`) rather than guess.
"""

import secrets
import string

MAX_LENGTH = 10
# Zoom allows these four; "special character" rules are met with one of them.
SPECIALS = "@-_*"
_ATTEMPTS = 1000


def _has_run(code: str, run: int) -> bool:
    """A run of `run` characters that repeat (aaaa) or count up or down by one (1234, dcba)."""
    if run < 2:
        return False
    for start in range(len(code) - run + 1):
        window = code[start : start + run]
        steps = {ord(b) - ord(a) for a, b in zip(window, window[1:], strict=False)}
        if len(steps) == 1 and next(iter(steps)) in (-1, 0, 1):
            return True
    return False


def broken_rule(code: str, rules: dict) -> str:
    """The name of the first rule `code` breaks, or "" when it meets them all."""
    checks = (
        ("length", len(code) >= int(rules.get("length") or 0)),
        ("only_allow_numeric", not rules.get("only_allow_numeric") or code.isdigit()),
        ("have_letter", not rules.get("have_letter") or any(c.isalpha() for c in code)),
        ("have_number", not rules.get("have_number") or any(c.isdigit() for c in code)),
        (
            "have_special_character",
            not rules.get("have_special_character") or any(c in SPECIALS for c in code),
        ),
        (
            "have_upper_and_lower_characters",
            not rules.get("have_upper_and_lower_characters")
            or (any(c.isupper() for c in code) and any(c.islower() for c in code)),
        ),
        (
            "consecutive_characters_length",
            not _has_run(code, int(rules.get("consecutive_characters_length") or 0)),
        ),
    )
    return next((name for name, ok in checks if not ok), "")


def generate(rules: dict) -> str | None:
    """A random 10-character passcode meeting `rules`, or None when none can (rules that
    contradict each other, or a minimum length above Zoom's maximum): then let Zoom pick."""
    if int(rules.get("length") or 0) > MAX_LENGTH:
        return None
    if rules.get("only_allow_numeric"):
        alphabet = string.digits
    else:
        # Letters and digits always, so rules we do not know of ("letters and numbers") are met
        # too; the special characters only when asked for, as some systems mangle them.
        alphabet = string.ascii_letters + string.digits
        if rules.get("have_special_character"):
            alphabet += SPECIALS
    for _ in range(_ATTEMPTS):
        code = "".join(secrets.choice(alphabet) for _ in range(MAX_LENGTH))
        if not rules.get("only_allow_numeric") and not (
            any(c.isalpha() for c in code) and any(c.isdigit() for c in code)
        ):
            continue
        if not broken_rule(code, rules):
            return code
    return None
