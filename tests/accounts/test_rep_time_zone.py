from datetime import UTC, datetime

from integrations.zoom.models import ZoomConnection


def test_rep_pages_show_times_in_the_reps_zone(rep_client, rep):
    rep.time_zone = "America/Chicago"
    rep.save()
    ZoomConnection.objects.create(
        user=rep,
        status=ZoomConnection.Status.CONNECTED,
        zoom_email="z@example.com",
        zoom_user_id="zoom-user-1",
        zoom_account_id="zoom-account-1",
        connected_at=datetime(2026, 1, 15, 15, 0, tzinfo=UTC),
    )
    body = rep_client.get("/integrations/").content.decode()
    assert "Jan. 15, 2026, 09:00 (America/Chicago)" in body
