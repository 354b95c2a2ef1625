"""Zoom tokens at rest: encrypted, never silently undecryptable, and re-encryptable."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from integrations.zoom.connection.fields import UndecryptableValue
from integrations.zoom.connection.models import ZoomConnection
from tests.integrations.factories import ZoomConnectionFactory

pytestmark = pytest.mark.django_db


def raw_row(pk):
    table = ZoomConnection._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return [str(value) for value in cursor.fetchone()]


def test_the_database_row_holds_no_token_text():
    zoom = ZoomConnectionFactory(
        access_token="eyJplain-access-token", refresh_token="eyJrefresh-xyz"
    )

    row = " ".join(raw_row(zoom.pk))

    assert "eyJplain-access-token" not in row
    assert "eyJrefresh-xyz" not in row
    reloaded = ZoomConnection.objects.get(pk=zoom.pk)
    assert (reloaded.access_token, reloaded.refresh_token) == (
        "eyJplain-access-token",
        "eyJrefresh-xyz",
    )


def test_a_token_no_key_can_decrypt_raises_instead_of_returning_ciphertext(settings):
    zoom = ZoomConnectionFactory()
    settings.FIELD_ENCRYPTION_KEY = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEY]
    call_command("rotate_zoom_token_key")  # now under a key the running field does not know

    with pytest.raises(UndecryptableValue):
        ZoomConnection.objects.get(pk=zoom.pk)


def test_rotation_reencrypts_every_token_with_the_first_key(settings):
    zoom = ZoomConnectionFactory(access_token="access-before", refresh_token="refresh-before")
    old_keys = list(settings.FIELD_ENCRYPTION_KEY)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = [new_key, *old_keys]

    with pytest.raises(CommandError, match="not yet encrypted with the first key"):
        call_command("rotate_zoom_token_key", "--check")
    call_command("rotate_zoom_token_key")
    call_command("rotate_zoom_token_key", "--check")

    stored = ZoomConnection.objects.filter(pk=zoom.pk).values_list("pk", flat=True)
    assert list(stored) == [zoom.pk]
    table = ZoomConnection._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT access_token, refresh_token FROM {table} WHERE id = %s", [zoom.pk])  # noqa: S608
        access, refresh = cursor.fetchone()
    assert Fernet(new_key).decrypt(access.encode()) == b"access-before"
    assert Fernet(new_key).decrypt(refresh.encode()) == b"refresh-before"


def test_rotation_refuses_and_changes_nothing_when_a_token_matches_no_key(settings):
    zoom = ZoomConnectionFactory()
    before = raw_row(zoom.pk)
    settings.FIELD_ENCRYPTION_KEY = [Fernet.generate_key().decode()]

    with pytest.raises(CommandError, match="matches no key"):
        call_command("rotate_zoom_token_key")

    assert raw_row(zoom.pk) == before


def test_rotation_covers_every_encrypted_field_not_only_reps_tokens(settings):
    from booking_webhooks.models import WebhookEndpoint
    from integrations.zoom.company.models import ZoomCompanyAccount
    from integrations.zoom.management.commands.rotate_zoom_token_key import encrypted_fields

    covered = dict(encrypted_fields())
    assert covered[ZoomConnection] == ("access_token", "refresh_token")
    assert covered[ZoomCompanyAccount] == ("access_token", "refresh_token")
    assert covered[WebhookEndpoint] == ("secret",)

    endpoint = WebhookEndpoint.objects.create(url="https://crm.example.com/hooks")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = [new_key, *settings.FIELD_ENCRYPTION_KEY]
    with pytest.raises(CommandError, match="not yet encrypted with the first key"):
        call_command("rotate_zoom_token_key", "--check")
    call_command("rotate_zoom_token_key")
    call_command("rotate_zoom_token_key", "--check")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT secret FROM {WebhookEndpoint._meta.db_table} WHERE id = %s",  # noqa: S608
            [endpoint.pk],
        )
        (secret,) = cursor.fetchone()
    assert Fernet(new_key).decrypt(secret.encode()).decode() == endpoint.secret
