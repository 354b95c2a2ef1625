"""config.mail writes a message exactly as Django and the standard library's compat32 policy do,
only faster: the same bytes, header by header and for whole messages."""

import re
from email.errors import HeaderParseError
from email.mime.text import MIMEText
from email.policy import compat32

from django.core import mail as django_mail
from django.core.mail import message as django_message
from django.core.mail.backends import smtp
from hypothesis import given
from hypothesis import strategies as st

from config import mail as config_mail
from config.mail import FAST_FOLDING, EmailMessage, sanitize_address

names = st.sampled_from(["Subject", "To", "From", "Content-Type", "X-A-Rather-Long-Header-Name"])
values = st.one_of(
    st.text(st.characters(max_codepoint=127), max_size=120),
    st.text(max_size=40),
    st.sampled_from(["", " ", "a ", " a", "a  b", "a\tb", "a\r\n b", "x" * 72, "x" * 73, "é"]),
)


def outcome(fold, name, value):
    """What folding gives, or the error it raises (compat32 refuses an embedded header)."""
    try:
        return fold(name, value)
    except HeaderParseError as exc:
        return type(exc)


@given(names, values, st.sampled_from(["\n", "\r\n"]))
def test_each_header_is_folded_as_compat32_folds_it(name, value, linesep):
    ours, theirs = FAST_FOLDING.clone(linesep=linesep), compat32.clone(linesep=linesep)
    assert outcome(ours.fold, name, value) == outcome(theirs.fold, name, value)
    assert outcome(ours.fold_binary, name, value) == outcome(theirs.fold_binary, name, value)


def invite(message_class, subject: str):
    message = message_class(
        subject=subject,
        body="Your meeting is booked.\n\nJoin: https://zoom.example/j/1\n" * 3,
        from_email="Scheduler <no-reply@example.com>",
        to=["Guest Name <guest@example.com>"],
        # Else each message has its own.
        headers={
            "Content-Language": "de",
            "Date": "Sun, 06 Dec 2026 20:45:00 -0000",
            "Message-ID": "<1.2@example.com>",
        },
    )
    part = MIMEText(
        "BEGIN:VCALENDAR\r\nSUMMARY:Kennenlernen\r\nEND:VCALENDAR\r\n", "calendar", "utf-8"
    )
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)
    mime = message.message()
    mime.set_boundary("===============0123456789==")  # else each is random
    return mime.as_bytes(linesep="\r\n")


def test_a_whole_message_is_written_as_django_writes_it():
    for subject in [
        "Invitation: Intro",
        "Einladung: Kennenlernen mit Jürgen",
        "Invitation: " + "x" * 90,
    ]:
        assert invite(EmailMessage, subject) == invite(django_mail.EmailMessage, subject)


addresses = st.one_of(
    st.emails(),
    st.text(max_size=30),
    st.tuples(st.text(max_size=20), st.emails()),
    st.builds("{} <{}>".format, st.text(max_size=20), st.emails()),
    st.sampled_from(["Jürgen <j@example.com>", "a@b@c", '"Last, First" <l@example.com>']),
)


def formatted(sanitize, address, encoding):
    try:
        return sanitize(address, encoding)
    except ValueError as exc:
        return type(exc)


@given(addresses, st.sampled_from(["utf-8", "iso-8859-1"]))
def test_an_address_is_formatted_as_django_formats_it(address, encoding):
    django_formats = config_mail._format_address
    for _ in range(2):  # the second time, kept
        assert formatted(sanitize_address, address, encoding) == formatted(
            django_formats, address, encoding
        )


def test_django_formats_addresses_through_the_kept_ones():
    assert django_message.sanitize_address is sanitize_address
    assert smtp.sanitize_address is sanitize_address


def test_a_multipart_message_has_a_boundary_none_of_its_parts_holds():
    message = EmailMessage(subject="Invitation", body="Hello", to=["guest@example.com"])
    message.attach("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    mime = message.message()
    boundary = mime.get_boundary()
    assert re.fullmatch(r"={15}\d{19}==", boundary)
    written = mime.as_bytes(linesep="\r\n").decode()
    assert written.count(f"--{boundary}\r\n") == 2
    assert written.count(f"--{boundary}--") == 1
