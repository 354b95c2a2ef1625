import pytest

from config.logging import REDACTED

ACCESS_TOKEN = "eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIn0.eyJ2ZXIiOjl9.c2lnbmF0dXJlLXBhcnQ"


@pytest.fixture(autouse=True)
def _secrets(settings):
    """The configured secrets the filter must find wherever they appear."""
    settings.ZOOM_CLIENT_SECRET = "client-secret-abcdef123456"
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = "webhook-secret-token-xyz789"


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
def test_token_shapes_never_reach_the_log(redacting_log, message):
    logger, records = redacting_log
    logger.info(message)
    assert REDACTED in records[0]
    for secret in (ACCESS_TOKEN, "abc.def.ghi123456", "dGVzdC1jbGllbnQtaWQ6", "rt-very-secret"):
        assert secret not in records[0]


def test_configured_secrets_are_redacted_wherever_they_appear(redacting_log):
    logger, records = redacting_log
    logger.warning(
        "signing with %s and %s", "client-secret-abcdef123456", "webhook-secret-token-xyz789"
    )
    assert records == [f"signing with {REDACTED} and {REDACTED}"]


def test_secrets_inside_a_traceback_are_redacted(redacting_log):
    logger, records = redacting_log
    try:
        raise ValueError(f"refresh failed for access_token={ACCESS_TOKEN}")
    except ValueError:
        logger.exception("Zoom call failed")
    assert "Zoom call failed" in records[0]
    assert "ValueError" in records[0]
    assert ACCESS_TOKEN not in records[0]


def test_ordinary_messages_pass_through_unchanged(redacting_log):
    logger, records = redacting_log
    logger.info("booking %s ready, meeting id %s", 42, 85746065432)
    assert records == ["booking 42 ready, meeting id 85746065432"]


def test_the_filter_is_installed_on_the_console_handler(settings):
    console = settings.LOGGING["handlers"]["console"]
    assert "redact_secrets" in console["filters"]
    assert (
        settings.LOGGING["filters"]["redact_secrets"]["()"] == "config.logging.RedactSecretsFilter"
    )
