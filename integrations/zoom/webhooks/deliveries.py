"""Receiving Zoom's webhook deliveries and applying them.

The endpoint must answer within Zoom's 3 seconds and Zoom retries deliveries, so receiving only
verifies, records the delivery once, and enqueues; applying happens in a task and is idempotent.
https://developers.zoom.us/docs/api/webhooks/
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from ..company import lifecycle as company_lifecycle
from ..connection.models import ZoomApp, ZoomConnection
from ..signals import zoom_meeting_activity, zoom_meeting_changed, zoom_meeting_created
from .envelope import URL_VALIDATION_EVENT, WebhookRejected, url_validation_answer, verify
from .erasure import erase_app_data
from .models import ZoomMeetingCreated, ZoomWebhookEvent

logger = logging.getLogger(__name__)

APP_DEAUTHORIZED = "app_deauthorized"
MEETING_EVENTS = {"meeting.updated": "updated", "meeting.deleted": "deleted"}
# Kept a while so a create whose answer was lost can be found without listing meetings
# (`ZoomMeetingCreated`).
MEETING_CREATED = "meeting.created"
# What happens in a meeting (who came, when): the booking's outcome is made of these. Payload
# shapes: Zoom's SDK `zoom/rivet-javascript`, `meetings/meetings.d.ts` (`MeetingStartedEvent`,
# `MeetingParticipantJoinedEvent`, …) and https://developers.zoom.us/docs/api/webhooks/.
ACTIVITY_EVENTS = {
    "meeting.started",
    "meeting.ended",
    "meeting.participant_joined",
    "meeting.participant_left",
    "meeting.participant_jbh_waiting",
    "meeting.participant_jbh_waiting_left",
    "meeting.participant_joined_waiting_room",
    "meeting.participant_left_waiting_room",
}
# A user of the company's Zoom account deactivated, deleted or taken out of it (the company's app
# only: a rep's own app learns it when its tokens stop working).
USER_EVENTS = set(company_lifecycle.USER_EVENTS)
HANDLED_EVENTS = {
    APP_DEAUTHORIZED,
    MEETING_CREATED,
    *MEETING_EVENTS,
    *ACTIVITY_EVENTS,
    *USER_EVENTS,
}
# A delivery whose task never ran (broker down when it arrived) is enqueued again after this.
REENQUEUE_AFTER = timedelta(minutes=2)


@dataclass
class WebhookAnswer:
    status: int
    body: dict = field(default_factory=dict)
    # The delivery recorded for a task to apply once the transaction commits (None: nothing to do).
    delivery_id: int | None = None


@sensitive_variables()
def receive_webhook(
    *,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    secret: str | None = None,
    client_id: str | None = None,
) -> WebhookAnswer:
    """Verifies one delivery and either answers Zoom's URL challenge or records it for a task.

    Raises WebhookRejected (with the HTTP status to answer) for anything not authentic, fresh
    or well-formed; nothing is stored then. An authentic event the app does not handle is
    answered 200 and dropped: Zoom counts any other answer as a failed delivery, retries it, and
    stops sending that event after its retries
    (https://developers.zoom.us/docs/api/webhooks/#webhook-retries).
    """
    # Each Marketplace app signs with its own secret token and names its own client_id: the rep's
    # app by default, the company's admin-managed app on its own endpoint.
    secret = settings.ZOOM_WEBHOOK_SECRET_TOKEN if secret is None else secret
    client_id = settings.ZOOM_CLIENT_ID if client_id is None else client_id
    event = verify(secret=secret, body=body, timestamp=timestamp, signature=signature)
    if event.name == URL_VALIDATION_EVENT:
        return WebhookAnswer(200, url_validation_answer(secret, event))
    if event.name not in HANDLED_EVENTS:
        logger.info("Zoom webhook %s is not one this app handles: ignored", event.name)
        return WebhookAnswer(200, {"status": "ignored"})
    if event.name == APP_DEAUTHORIZED and event.payload.get("client_id") != client_id:
        # Another app's deauthorization (or a forged one): never erase our reps' data for it.
        raise WebhookRejected(403, "app_deauthorized for another client_id")

    try:
        with transaction.atomic():
            delivery = ZoomWebhookEvent.objects.create(
                fingerprint=event.fingerprint,
                event=event.name,
                payload=event.payload,
                occurred_at=_from_event_ts(event.event_ts),
                zoom_app=_app_of(client_id),
            )
    except IntegrityError:
        # Zoom's retry of a delivery we already hold: acknowledge it so Zoom stops retrying.
        return WebhookAnswer(200, {"status": "duplicate"})
    return WebhookAnswer(200, {"status": "accepted"}, delivery_id=delivery.pk)


def _app_of(client_id: str) -> ZoomApp:
    """Which app's endpoint this is: each app names its own client_id."""
    account_app = settings.ZOOM_ACCOUNT_CLIENT_ID
    return ZoomApp.COMPANY if account_app and client_id == account_app else ZoomApp.PERSONAL


def process_webhook_event(event_id: int) -> None:
    """Applies one recorded delivery; a second run of the same delivery does nothing."""
    with transaction.atomic():
        delivery = (
            ZoomWebhookEvent.objects.select_for_update()
            .filter(pk=event_id, outcome=ZoomWebhookEvent.Outcome.PENDING)
            .first()
        )
        if delivery is None:
            return
        if delivery.event == APP_DEAUTHORIZED:
            outcome, note = _apply_deauthorization(delivery)
        elif delivery.event in USER_EVENTS:
            outcome, note = _apply_user_event(delivery)
        elif delivery.event in ACTIVITY_EVENTS:
            outcome, note = _apply_meeting_activity(delivery)
        elif delivery.event == MEETING_CREATED:
            outcome, note = _apply_meeting_created(delivery.payload)
        else:
            outcome, note = _apply_meeting_change(delivery)
        delivery.mark_processed(outcome, note)
    logger.info("Zoom webhook %s %s: %s", delivery.event, outcome, note)


def deliveries_to_reenqueue() -> list[int]:
    """Deliveries that have waited too long: their enqueue was lost (broker down)."""
    cutoff = timezone.now() - REENQUEUE_AFTER
    return list(
        ZoomWebhookEvent.objects.filter(
            outcome=ZoomWebhookEvent.Outcome.PENDING, received_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )


def _apply_deauthorization(delivery: ZoomWebhookEvent) -> tuple[str, str]:
    """The Zoom user removed the rep's app: their tokens and Zoom ids go at once, and what the app
    gave us goes too unless Zoom allows keeping it (`webhooks.erasure`)."""
    payload = delivery.payload
    if delivery.zoom_app == ZoomApp.COMPANY:
        return company_lifecycle.apply_company_deauthorization(payload, delivery.pk)
    zoom_user_id = str(payload.get("user_id") or "")
    if not zoom_user_id:
        return ZoomWebhookEvent.Outcome.IGNORED, "no user_id in payload"
    connection = (
        ZoomConnection.objects.select_for_update().filter(zoom_user_id=zoom_user_id).first()
    )
    if connection is None:
        return ZoomWebhookEvent.Outcome.IGNORED, "no connection for this Zoom user"
    connection.mark_removed()
    ZoomMeetingCreated.objects.filter(host_id=zoom_user_id).delete()
    erasure = erase_app_data(
        ZoomApp.PERSONAL, payload, delivery.pk, rep=connection.user, zoom_user_id=zoom_user_id
    )
    if erasure.retained:
        return ZoomWebhookEvent.Outcome.APPLIED, (
            f"connection of rep {connection.user_id} removed; Zoom allows keeping its data"
        )
    return ZoomWebhookEvent.Outcome.APPLIED, (
        f"connection of rep {connection.user_id} removed; {erasure.records_erased} records and "
        f"{erasure.payloads_erased} stored payloads erased"
    )


def _from_event_ts(event_ts: int | None):
    # Zoom's event_ts is in milliseconds since the epoch.
    if event_ts is None or not 0 < event_ts < 10**14:
        return None
    return datetime.fromtimestamp(event_ts / 1000, tz=UTC)


def _apply_user_event(delivery: ZoomWebhookEvent) -> tuple[str, str]:
    if delivery.zoom_app != ZoomApp.COMPANY:
        return ZoomWebhookEvent.Outcome.IGNORED, "user events matter to the company's app only"
    return company_lifecycle.apply_user_event(delivery.event, delivery.payload)


def _apply_meeting_activity(delivery: ZoomWebhookEvent) -> tuple[str, str]:
    meeting = delivery.payload.get("object")
    meeting = meeting if isinstance(meeting, dict) else {}
    # Zoom's SDK types this id as a string in most of these events and as a number in others.
    meeting_id = str(meeting.get("id") or "")
    if not meeting_id:
        return ZoomWebhookEvent.Outcome.IGNORED, "no meeting id in payload"
    answers = zoom_meeting_activity.send(
        sender=ZoomWebhookEvent,
        event=delivery.event,
        meeting_id=meeting_id,
        details=meeting,
        occurred_at=delivery.occurred_at,
    )
    if any(matched for _receiver, matched in answers):
        return ZoomWebhookEvent.Outcome.APPLIED, f"a booking's meeting: {delivery.event}"
    return ZoomWebhookEvent.Outcome.IGNORED, "the meeting is not one of ours"


def _apply_meeting_change(delivery: ZoomWebhookEvent) -> tuple[str, str]:
    event, payload = delivery.event, delivery.payload
    meeting = payload.get("object") or {}
    meeting_id = str(meeting.get("id") or "")
    if not meeting_id:
        return ZoomWebhookEvent.Outcome.IGNORED, "no meeting id in payload"
    # When the change was made: `meeting.updated` carries it as `time_stamp` (milliseconds; Zoom's
    # SDK, `MeetingUpdatedEvent`), else the envelope's `event_ts`.
    stamp = payload.get("time_stamp")
    occurred_at = _from_event_ts(stamp if isinstance(stamp, int) else None) or delivery.occurred_at
    answers = zoom_meeting_changed.send(
        sender=ZoomWebhookEvent,
        meeting_id=meeting_id,
        change=MEETING_EVENTS[event],
        details=meeting,
        occurred_at=occurred_at,
    )
    if any(matched for _receiver, matched in answers):
        return ZoomWebhookEvent.Outcome.APPLIED, f"a booking's meeting {MEETING_EVENTS[event]}"
    return ZoomWebhookEvent.Outcome.IGNORED, "the meeting is not one of ours"


def _apply_meeting_created(payload: dict) -> tuple[str, str]:
    """Keeps what the event says of the meeting (`ZoomMeetingCreated`), then tells meetings: a
    booking whose create answer was lost may be waiting for exactly this."""
    meeting = payload.get("object") if isinstance(payload.get("object"), dict) else {}
    meeting_id, host_id = str(meeting.get("id") or ""), str(meeting.get("host_id") or "")
    if not meeting_id or not host_id:
        return ZoomWebhookEvent.Outcome.IGNORED, "no meeting or host id in payload"
    keep_from = timezone.now() - timedelta(days=ZoomMeetingCreated.KEEP_FOR_DAYS)
    ZoomMeetingCreated.objects.filter(heard_at__lt=keep_from).delete()
    duration = meeting.get("duration")
    ZoomMeetingCreated.objects.update_or_create(
        meeting_id=meeting_id,
        defaults={
            "host_id": host_id,
            "topic": str(meeting.get("topic") or "")[:300],
            "start_time": str(meeting.get("start_time") or "")[:32],
            "duration": duration if isinstance(duration, int) else None,
            "join_url": str(meeting.get("join_url") or "")[:2000],
            "password": str(meeting.get("password") or "")[:32],
        },
    )
    answers = zoom_meeting_created.send(
        sender=ZoomWebhookEvent, meeting_id=meeting_id, host_id=host_id
    )
    if any(matched for _receiver, matched in answers):
        return ZoomWebhookEvent.Outcome.APPLIED, "a meeting was created: a booking looks again"
    return ZoomWebhookEvent.Outcome.APPLIED, "a meeting was created: kept a while"


def meetings_created_by(host_id: str) -> list[dict]:
    """What `meeting.created` events said of the Zoom user's meetings lately (Zoom's meeting
    object as far as the event tells it), oldest first."""
    rows = ZoomMeetingCreated.objects.filter(host_id=host_id).order_by("heard_at", "pk")
    return [row.as_meeting() for row in rows]
