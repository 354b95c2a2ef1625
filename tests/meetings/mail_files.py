"""Reading the messages a worker wrote with Django's file-based email backend."""

import email
from email.message import Message
from pathlib import Path

from icalendar import Calendar

# The file-based backend separates messages with a line of 79 dashes.
SEPARATOR = "\n" + "-" * 79 + "\n"


def sent_mail(folder: Path) -> list[Message]:
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_text().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_string(chunk))
    return messages


def invite_of(message: Message):
    """(METHOD, VEVENT) of the message's text/calendar part."""
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def calendar_mail(folder: Path) -> list[Message]:
    """The invites and cancellations among the sent messages (confirmations carry no invite)."""
    return [
        m
        for m in sent_mail(folder)
        if any(p.get_content_type() == "text/calendar" for p in m.walk())
    ]
