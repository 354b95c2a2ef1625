"""Real Celery worker processes (over Redis, on PostgreSQL) that all need the same rep's expired
token at once, against the Zoom sandbox: exactly one refresh reaches Zoom, every call succeeds,
and the connection still works afterwards.

Zoom rotates refresh tokens, so a second refresh with the same token would answer invalid_grant
and break the rep's connection; the Zoom session serializes refreshes on the connection's row.
"""

import pytest
from django.utils import timezone

from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.tasks import check_zoom_connection
from tests.fixtures.celery_worker import wait_until
from tests.integrations import steps as connect_steps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ZOOM_EMAIL = "busy.rep@example.com"
WORKERS = 4


def expire_here(sandbox, connection) -> None:
    """Our stored expiry has passed: every worker refreshes before calling."""
    ZoomConnection.objects.filter(pk=connection.pk).update(access_token_expires_at=timezone.now())


def expire_at_zoom(sandbox, connection) -> None:
    """Zoom ends the token early: every worker's call is answered 124, then they refresh."""
    sandbox.expire_access_tokens(ZOOM_EMAIL)


@pytest.mark.parametrize("expire", [expire_here, expire_at_zoom], ids=["expired", "rejected-124"])
def test_workers_needing_an_expired_token_at_once_refresh_it_exactly_once(
    sandbox, celery_workers, expire
):
    zoom = connect_steps.connect_rep(sandbox, ZOOM_EMAIL)
    celery_workers(count=WORKERS, concurrency=1)
    expire(sandbox, zoom)
    # Zoom slowed down, so every worker is inside a session while the first refresh is in flight.
    sandbox.set_knobs(latency_ms=400)

    for _ in range(WORKERS):
        check_zoom_connection.delay(zoom.pk)

    def answered() -> list[dict]:
        calls = sandbox.calls(path="/v2/users/me")[1:]  # after the connect's own call
        return [call for call in calls if call["status"] == 200]

    wait_until(lambda: len(answered()) >= WORKERS, timeout=60, message="every check to succeed")
    sandbox.set_knobs(latency_ms=0)

    assert len(connect_steps.token_calls(sandbox, "refresh_token")) == 1
    assert sandbox.token_stats(ZOOM_EMAIL)["refresh_count"] == 1
    profile_calls = sandbox.calls(path="/v2/users/me")[1:]
    assert [c["status"] for c in profile_calls].count(200) == WORKERS
    if expire is expire_at_zoom:
        # More than one worker held the old token at once: the race really happened.
        assert [c["status"] for c in profile_calls].count(401) > 1
    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert zoom.last_refreshed_at is not None
    assert connect_steps.get_me(zoom)["email"] == ZOOM_EMAIL
