"""Erasing what one Zoom app gave us once it is removed in Zoom (`app_deauthorized`).

Zoom's data rules: unless the event says `user_data_retention` is true, every value the app
received for that user (or, for the company's admin-managed app, for the whole account) is deleted,
and the deletion is recorded. https://developers.zoom.us/docs/distribute/published-apps/data-compliance/
Each booking and sent invite records which app's token chain made its meeting, so an app's removal
erases exactly its meetings (past and future) and leaves the other app's alone.
"""

from config.isotime import parse_iso_datetime

from ..connection.models import ZoomApp, ZoomConnection, ZoomDataErasure
from ..signals import zoom_data_erasure_due
from .models import ZoomMeetingCreated, ZoomWebhookEvent


def erase_app_data(
    zoom_app: ZoomApp, payload: dict, delivery_id: int, *, rep=None, zoom_user_id: str = ""
) -> ZoomDataErasure:
    """Runs inside the transaction that removed the app's tokens: the erasure commits with it, or
    neither does. `rep` and `zoom_user_id` name the rep for the rep's own app; the company's app
    erases for everyone."""
    erasure = ZoomDataErasure(
        zoom_app=zoom_app,
        rep=rep,
        deauthorized_at=parse_iso_datetime(payload.get("deauthorization_time"), naive_is_utc=True),
        retained=is_true(payload.get("user_data_retention")),
    )
    if not erasure.retained:
        answers = zoom_data_erasure_due.send(sender=ZoomDataErasure, zoom_app=zoom_app, rep=rep)
        erasure.records_erased = sum(count for _receiver, count in answers if count)
        erasure.payloads_erased = _erase_stored_payloads(zoom_app, delivery_id, zoom_user_id)
        if zoom_app == ZoomApp.COMPANY:
            erasure.records_erased += _erase_meetings_heard_of()
    erasure.save()
    return erasure


def _erase_meetings_heard_of() -> int:
    """What `meeting.created` told of meetings: the company's app hears it for every user of the
    account. Kept only for hosts whose own app (still authorized) heard it too."""
    own = ZoomConnection.objects.filter(status=ZoomConnection.Status.CONNECTED).exclude(
        zoom_user_id=""
    )
    erased, _ = ZoomMeetingCreated.objects.exclude(host_id__in=own.values("zoom_user_id")).delete()
    return erased


def _erase_stored_payloads(zoom_app: ZoomApp, delivery_id: int, zoom_user_id: str) -> int:
    """Payloads of this app still waiting to be processed (processed ones are cleared already):
    all of the company's app, or those naming the rep's Zoom user. Their fingerprints stay: they
    hold nothing of Zoom's and keep replays refused."""
    waiting = (
        ZoomWebhookEvent.objects.select_for_update()
        .filter(outcome=ZoomWebhookEvent.Outcome.PENDING, zoom_app=zoom_app)
        .exclude(pk=delivery_id)  # the deauthorization itself is cleared once applied
    )
    erased = 0
    for delivery in waiting:
        if zoom_app == ZoomApp.PERSONAL and not _names(delivery.payload or {}, zoom_user_id):
            continue
        delivery.mark_processed(ZoomWebhookEvent.Outcome.IGNORED, "erased with its Zoom app's data")
        erased += 1
    return erased


def _names(payload: dict, zoom_user_id: str) -> bool:
    meeting = payload.get("object") if isinstance(payload.get("object"), dict) else {}
    names = {payload.get("user_id"), payload.get("operator_id"), meeting.get("host_id")}
    return bool(zoom_user_id) and zoom_user_id in names


def is_true(value) -> bool:
    # Zoom sends the string "true"/"false"; a boolean is accepted too.
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")
