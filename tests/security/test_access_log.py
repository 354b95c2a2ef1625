"""Request lines in the access log (runserver's django.server, gunicorn.access) keep OAuth codes,
states, guest links and allauth's reset and confirmation keys out."""

import pytest
import requests

from config.logging import REDACTED
from tests.fixtures.celery_worker import worker_env
from tests.fixtures.web import WebServer


def test_the_oauth_callbacks_code_and_state_are_redacted(redacting_log):
    logger, records = redacting_log
    # django.server's own format: message, then the status and size as arguments.
    logger.warning(
        '"%s" %s %s',
        "GET /integrations/zoom/callback/?code=obBEe8ewaL_KdyNjniT4&state=s3cr3t-State HTTP/1.1",
        302,
        0,
    )
    assert records == [
        f'"GET /integrations/zoom/callback/?code={REDACTED}&state={REDACTED} HTTP/1.1" 302 0'
    ]


def test_a_guest_link_is_redacted_with_whatever_follows(redacting_log):
    logger, records = redacting_log
    token = "8f0c2d5e6b4a4d3c9e1f0a2b3c4d5e6f:Qx1_abcDEFghiJKLmnoPQRstu"
    logger.warning('"GET /bookings/guest/%s/reschedule/?tz=UTC HTTP/1.1" 200 512', token)
    logger.warning("Not Found: /bookings/guest/%s/link/", token)
    assert token not in "".join(records)
    assert f"/bookings/guest/{REDACTED}/reschedule/?tz=UTC" in records[0]


def test_ordinary_request_lines_pass_through(redacting_log):
    logger, records = redacting_log
    logger.warning('"GET /book/ann/intro/?tz=Europe/Berlin&from=2030-01-07 HTTP/1.1" 200 9000')
    assert REDACTED not in records[0]


def test_gunicorns_access_log_goes_through_the_filter(settings):
    assert settings.LOGGING["loggers"]["gunicorn.access"]["handlers"] == ["console"]


def test_allauths_reset_and_confirmation_keys_are_redacted(redacting_log):
    logger, records = redacting_log
    reset = "/accounts/password/reset/key/4-c1x2y3-9f1e2d3c4b5a69788776655443322110/"
    confirm = "/accounts/confirm-email/MTI:1tXqAb:abCDefGHijKLmnOPqrSTuvWXyz01/"
    logger.info('"GET %s HTTP/1.1" 200 2048', reset)
    logger.info('"GET %s HTTP/1.1" 302 0', confirm)
    assert records == [
        f'"GET /accounts/password/reset/key/{REDACTED}/ HTTP/1.1" 200 2048',
        f'"GET /accounts/confirm-email/{REDACTED}/ HTTP/1.1" 302 0',
    ]


@pytest.mark.postgres
def test_gunicorns_own_access_log_lines_keep_every_key_out(transactional_db, tmp_path):
    """The web as the Procfile runs it (gunicorn --access-logfile -): what a request line would
    carry never reaches the log it writes."""
    secrets = {
        "/accounts/password/reset/key/4-c1x2y3-9f1e2d3c4b5a697887766554/": "c1x2y3-9f1e2d3c4b5a",
        "/accounts/confirm-email/MTI:1tXqAb:abCDefGHijKLmnOPqrSTuvWXyz01/": "abCDefGHijKLmnOP",
        "/bookings/guest/8f0c2d5e6b4a4d3c9e1f0a2b3c4d5e6f:Qx1_abcDEF/": "8f0c2d5e6b4a4d3c9e1f",
        "/integrations/zoom/callback/?code=obBEe8ewaL_KdyNjniT4&state=s3cr3tState": "obBEe8ewaL",
    }
    (tmp_path / "var").mkdir()
    log = tmp_path / "web.log"
    with WebServer(worker_env(DJANGO_VAR_DIR=tmp_path / "var"), workers=1, log=log) as web:
        for path in secrets:
            requests.get(f"{web.url}{path}", allow_redirects=False, timeout=60)
    lines = log.read_text()
    requested = [line for line in lines.splitlines() if '"GET /' in line and "/healthz" not in line]
    assert len(requested) == len(secrets), lines  # each request was logged, once
    for secret in secrets.values():
        assert secret not in lines
    assert all(REDACTED in line for line in requested), requested
    assert "s3cr3tState" not in lines
