"""Errors reach people: mail to ADMINS and, with SENTRY_DSN, Sentry; both redacted like the log."""

import gzip
import json
import logging
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from config.logging import REDACTED
from tests.foundation.test_log_redaction import ACCESS_TOKEN
from tests.foundation.test_settings import read_settings

ROOT = Path(__file__).resolve().parents[2]
CLIENT_SECRET = "test-client-secret-value"


def test_admins_are_read_from_the_environment():
    values = read_settings(
        {"DJANGO_DEBUG": "1", "DJANGO_ADMINS": "Ops Team <ops@example.com>, dev@example.com"},
        "ADMINS",
    )
    assert values["ADMINS"] == [["Ops Team", "ops@example.com"], ["", "dev@example.com"]]


def test_a_logged_error_is_mailed_to_admins_with_secrets_redacted(settings, mailoutbox):
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@example.com")]
    try:
        raise RuntimeError(f"Zoom said no to refresh_token={ACCESS_TOKEN}")
    except RuntimeError:
        logging.getLogger("integrations.zoom").exception(
            "refresh failed, client_secret %s", settings.ZOOM_CLIENT_SECRET
        )
    [mail] = mailoutbox
    assert mail.to == ["ops@example.com"]
    assert "refresh failed" in mail.subject
    text = mail.subject + mail.body
    assert REDACTED in text
    assert ACCESS_TOKEN not in text and settings.ZOOM_CLIENT_SECRET not in text


def test_errors_are_not_mailed_in_debug(settings, mailoutbox):
    settings.DEBUG = True
    settings.ADMINS = [("Ops", "ops@example.com")]
    logging.getLogger("integrations.zoom").error("a failure while developing")
    assert mailoutbox == []


class FakeSentry(BaseHTTPRequestHandler):
    """Sentry's ingest endpoint: keeps every envelope POSTed to it."""

    envelopes: list[str] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.envelopes.append(body.decode())
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_sentry():
    FakeSentry.envelopes = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/1", FakeSentry.envelopes
    server.shutdown()


def events_of(envelopes: list[str]) -> list[dict]:
    """The event items of Sentry envelopes (newline-separated JSON: header, item header, item)."""
    events = []
    for envelope in envelopes:
        lines = envelope.splitlines()
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_errors_reach_sentry_without_local_variables_and_with_secrets_redacted(fake_sentry):
    dsn, envelopes = fake_sentry
    code = f"""
import django, logging, sentry_sdk
django.setup()
from django.conf import settings

def refresh():
    refresh_token = {ACCESS_TOKEN!r}
    raise RuntimeError("Zoom refused refresh_token=" + refresh_token)

try:
    refresh()
except RuntimeError:
    logging.getLogger("integrations.zoom").exception(
        "refresh failed, client_secret %s", settings.ZOOM_CLIENT_SECRET
    )
sentry_sdk.flush(10)
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "sqlite://:memory:",
            "ZOOM_CLIENT_SECRET": CLIENT_SECRET,
            "SENTRY_DSN": dsn,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    [event] = events_of(envelopes)
    sent = json.dumps(event)
    assert "refresh failed" in sent and "RuntimeError" in sent
    assert REDACTED in sent
    assert ACCESS_TOKEN not in sent and CLIENT_SECRET not in sent
    frames = [f for exc in event["exception"]["values"] for f in exc["stacktrace"]["frames"]]
    assert frames and not any("vars" in frame for frame in frames)
