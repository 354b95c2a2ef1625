import logging

import pytest

from config.logging import REDACTED, RedactSecretsFilter

ACCESS_TOKEN = "eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIn0.eyJ2ZXIiOjl9.c2lnbmF0dXJlLXBhcnQ"


@pytest.fixture
def captured(settings):
    """A logger whose handler has the production filter, recording what would be written."""
    settings.ZOOM_CLIENT_SECRET = "client-secret-abcdef123456"
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = "webhook-secret-token-xyz789"
    records: list[str] = []

    class ListHandler(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = ListHandler()
    handler.addFilter(RedactSecretsFilter())
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, records
    logger.removeHandler(handler)


@pytest.mark.parametrize(
    "message",
    [
        f"token response: {{'access_token': '{ACCESS_TOKEN}', 'expires_in': 3599}}",
        "POST /oauth/token body grant_type=refresh_token&refresh_token=abc.def.ghi123456",
        f"headers: Authorization: Bearer {ACCESS_TOKEN}",
        "headers: Authorization: Basic dGVzdC1jbGllbnQtaWQ6dGVzdC1zZWNyZXQ=",
        f"a bare jwt {ACCESS_TOKEN} in the middle",
        'json {"refresh_token": "rt-very-secret-value-1234"}',
    ],
)
def test_token_shapes_never_reach_the_log(captured, message):
    logger, records = captured
    logger.info(message)
    assert REDACTED in records[0]
    for secret in (ACCESS_TOKEN, "abc.def.ghi123456", "dGVzdC1jbGllbnQtaWQ6", "rt-very-secret"):
        assert secret not in records[0]


def test_configured_secrets_are_redacted_wherever_they_appear(captured):
    logger, records = captured
    logger.warning(
        "signing with %s and %s", "client-secret-abcdef123456", "webhook-secret-token-xyz789"
    )
    assert records == [f"signing with {REDACTED} and {REDACTED}"]


def test_secrets_inside_a_traceback_are_redacted(captured):
    logger, records = captured
    try:
        raise ValueError(f"refresh failed for access_token={ACCESS_TOKEN}")
    except ValueError:
        logger.exception("Zoom call failed")
    assert "Zoom call failed" in records[0]
    assert "ValueError" in records[0]
    assert ACCESS_TOKEN not in records[0]


def test_ordinary_messages_pass_through_unchanged(captured):
    logger, records = captured
    logger.info("booking %s ready, meeting id %s", 42, 85746065432)
    assert records == ["booking 42 ready, meeting id 85746065432"]


def test_the_filter_is_installed_on_the_console_handler(settings):
    console = settings.LOGGING["handlers"]["console"]
    assert "redact_secrets" in console["filters"]
    assert (
        settings.LOGGING["filters"]["redact_secrets"]["()"] == "config.logging.RedactSecretsFilter"
    )
