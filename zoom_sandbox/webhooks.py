"""Webhooks the sandbox sends to the app, signed as Zoom signs them.

x-zm-signature = "v0=" + hex(HMAC-SHA256(secret token, "v0:{timestamp}:{raw body}")), with the
timestamp in x-zm-request-timestamp. https://developers.zoom.us/docs/api/webhooks/
"""

import hashlib
import hmac
import json
import secrets
import time
from datetime import timedelta

import requests
from django.db.models import Q
from django.utils import timezone

from . import activity_events, knobs, tokens
from .live import Happened
from .meetings import as_fields, format_time, summary
from .models import App, Grant, Meeting, WebhookDelivery, ZoomUser

# Zoom waits 3 seconds for an answer before it counts the delivery as failed.
DELIVERY_TIMEOUT = 3.0
# A delivery not answered 200/204 in time is retried about 5, 25 and 85 minutes after the first
# attempt, then dropped. https://developers.zoom.us/docs/api/webhooks/#webhook-retries
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=25), timedelta(minutes=85))
DELIVERED = (200, 204)
USER_AGENT = "Zoom Marketplace/1.0a"


def sign(secret: str, timestamp: str, body: str) -> str:
    message = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _post(delivery: WebhookDelivery, timestamp: str | None = None) -> WebhookDelivery:
    delivery.timestamp = timestamp or str(int(time.time()))
    delivery.signature = sign(delivery.app.webhook_secret_token, delivery.timestamp, delivery.body)
    delivery.sent_at = timezone.now()
    delivery.status, delivery.response_body, delivery.error = None, "", ""
    try:
        response = requests.post(
            delivery.url,
            data=delivery.body.encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
                "x-zm-signature": delivery.signature,
                "x-zm-request-timestamp": delivery.timestamp,
                "x-zm-trackingid": f"Webhook_{secrets.token_hex(16)}",
            },
            timeout=DELIVERY_TIMEOUT,
        )
        delivery.status = response.status_code
        delivery.response_body = response.text[:10_000]
    except requests.RequestException as exc:
        delivery.error = type(exc).__name__
    if delivery.status not in DELIVERED and delivery.attempt < len(RETRY_AFTER):
        # Counted from when this attempt went out, so retries played early by a test are not
        # all due at once.
        done = RETRY_AFTER[delivery.attempt - 1] if delivery.attempt else timedelta(0)
        delivery.next_retry_at = delivery.sent_at + (RETRY_AFTER[delivery.attempt] - done)
    delivery.save()
    return delivery


def retry(delivery: WebhookDelivery, *, late_by: timedelta = timedelta(0)) -> WebhookDelivery:
    """Zoom's next retry of a failed delivery: the same body, attempt + 1. Whether Zoom re-signs
    it with a fresh x-zm-request-timestamp or keeps the first attempt's is undocumented (the
    `webhook_retry_timestamp` knob). `late_by` is how much later than scheduled it is sent, so
    tests can play "85 minutes later" without waiting: a kept timestamp is then as old as it
    would be."""
    first = delivery.first or delivery
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_retry_at=None)
    timestamp = None
    if knobs.get("webhook_retry_timestamp") == "original":
        age = RETRY_AFTER[min(delivery.attempt, len(RETRY_AFTER) - 1)] + late_by
        timestamp = str(int(time.time() - age.total_seconds()))
    return _post(
        WebhookDelivery(
            app=first.app,
            event=first.event,
            url=first.url,
            body=first.body,
            first=first,
            attempt=delivery.attempt + 1,
        ),
        timestamp,
    )


def retries_due(now=None) -> list[WebhookDelivery]:
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(next_retry_at__lte=now)
        .select_related("app", "first")
        .order_by("next_retry_at", "id")
    )


def send_due_retries() -> int:
    """Sends every retry and every held event whose time has come (the server's background loop
    calls this)."""
    now = timezone.now()
    due = retries_due(now)
    for delivery in due:
        retry(delivery, late_by=now - delivery.next_retry_at)
    return len(due) + send_held(until=now)


def send(app: App, event: str, payload: dict, *, event_ts: int | None = None) -> WebhookDelivery:
    return _post(_delivery(app, event, payload, event_ts))


def _delivery(app: App, event: str, payload: dict, event_ts: int | None) -> WebhookDelivery:
    body = json.dumps(
        {
            "event": event,
            "payload": payload,
            "event_ts": int(time.time() * 1000) if event_ts is None else event_ts,
        },
        separators=(",", ":"),
    )
    return WebhookDelivery(app=app, event=event, url=app.webhook_url, body=body)


def send_happenings(happenings: list[Happened]) -> list[WebhookDelivery]:
    """Sends what a meeting's step made Zoom say, to every app subscribed to each event; the
    knobs hold some back (late) or drop them (lost). `event_ts` is when it happened."""
    delay = int(knobs.get("activity_event_delay_seconds"))
    lost = set(knobs.get("activity_events_lost"))
    deliveries = []
    for happened in happenings:
        payload = activity_events.payload(happened)
        event_ts = int(happened.at.timestamp() * 1000)
        for app in _subscribed_apps(happened.instance.host, happened.event):
            delivery = _delivery(app, happened.event, payload, event_ts)
            if "*" in lost or happened.event in lost:
                delivery.lost = True
                delivery.save()
            elif delay > 0:
                delivery.held_until = timezone.now() + timedelta(seconds=delay)
                delivery.save()
            else:
                delivery = _post(delivery)
            deliveries.append(delivery)
    return deliveries


def send_held(*, until=None, reverse: bool = False) -> int:
    """Sends held (late) events: those due by `until`, or all of them now; in the order they
    happened, or the reverse (Zoom promises no order)."""
    held = WebhookDelivery.objects.filter(held_until__isnull=False).select_related("app")
    if until is not None:
        held = held.filter(held_until__lte=until)
    held = list(held.order_by("-id" if reverse else "id"))
    for delivery in held:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(held_until=None)
        delivery.held_until = None
        _post(delivery)
    return len(held)


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """The same body again, freshly timestamped and signed, outside the retry schedule (a manual
    resend)."""
    return _post(
        WebhookDelivery(
            app=delivery.app, event=delivery.event, url=delivery.url, body=delivery.body
        )
    )


class UninstallRefused(ValueError):
    pass


def uninstall(user: ZoomUser, app: App, *, user_data_retention: bool = False) -> WebhookDelivery:
    """The user removes the app in Zoom: its tokens die at once and the app is told. Zoom sends
    `user_data_retention` as the string "true"/"false": "false" obliges the app to delete the
    user's data. https://developers.zoom.us/docs/distribute/published-apps/data-compliance/

    An admin-managed app is removed by an admin, for the whole account: every grant of the app
    in the account ends and one `app_deauthorized` names the account and the admin who removed
    it (`account_id`, `user_id`; https://developers.zoom.us/docs/api/webhooks/ lists the event's
    fields, the same for both kinds of app)."""
    if app.is_admin_managed and not user.is_admin:
        raise UninstallRefused("Only an account admin can remove an admin-managed app.")
    tokens.revoke_user_grants(app, user, Grant.DEAUTHORIZED)
    return send(
        app,
        "app_deauthorized",
        {
            "account_id": user.account.account_id,
            "user_id": user.user_id,
            "signature": secrets.token_hex(32),
            "deauthorization_time": format_time(timezone.now()),
            "client_id": app.client_id,
            "user_data_retention": "true" if user_data_retention else "false",
        },
    )


def user_event(user: ZoomUser, event: str) -> list[WebhookDelivery]:
    """`user.deactivated`, `user.deleted`, `user.disassociated`: an admin of the account acted on
    the user. Payload as Zoom's user events: the account, the operator, and the user in `object`.
    https://developers.zoom.us/docs/api/users/events/"""
    admin = user.account.users.filter(is_admin=True).order_by("id").first() or user
    payload = {
        "account_id": user.account.account_id,
        "operator": admin.email,
        "operator_id": admin.user_id,
        "object": {
            "id": user.user_id,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "type": user.type,
        },
    }
    return [send(app, event, payload) for app in _subscribed_apps(user, event)]


def _subscribed_apps(host: ZoomUser, event: str) -> list[App]:
    """Zoom sends a user's events to the apps that user has authorized, and to the admin-managed
    apps installed on the user's account (they act for every user of it), each only for the
    events it subscribed to."""
    app_ids = (
        Grant.objects.filter(revoked_at__isnull=True)
        .filter(Q(user=host) | Q(user__account=host.account, app__management=App.ADMIN_MANAGED))
        .values("app_id")
    )
    apps = App.objects.filter(pk__in=app_ids).exclude(webhook_url="").order_by("id")
    return [app for app in apps if app.subscribes_to(event)]


def _meeting_event(meeting: Meeting, event: str, obj: dict, old: dict | None) -> list:
    host = meeting.host
    payload = {
        "account_id": host.account.account_id,
        "operator": host.email,
        "operator_id": host.user_id,
        "operation": "single",
        "object": obj,
    }
    if old is not None:
        payload["old_object"] = old
        payload["time_stamp"] = int(time.time() * 1000)
    return [send(app, event, payload) for app in _subscribed_apps(host, event)]


def meeting_updated(meeting: Meeting, previous: dict) -> list[WebhookDelivery]:
    """Zoom's meeting.updated carries only the changed fields, new in `object`, old in
    `old_object`."""
    current = as_fields(meeting)
    obj = {"id": meeting.id, "uuid": meeting.uuid}
    obj.update({key: current[key] for key in previous})
    old = {"id": meeting.id, "uuid": meeting.uuid, **previous}
    return _meeting_event(meeting, "meeting.updated", obj, old)


def meeting_created(meeting: Meeting, join_url: str) -> list[WebhookDelivery]:
    """`meeting.created`, in the shape of Zoom's SDK (`zoom/rivet-javascript`,
    `meetings/meetings.d.ts`, `MeetingCreatedEvent`): no agenda, no start link."""
    obj = {
        **summary(meeting),
        "join_url": join_url,
        "password": meeting.password,
        "settings": {
            "use_pmi": False,
            "alternative_hosts": "",
            "join_before_host": bool(meeting.settings.get("join_before_host")),
            "jbh_time": 0,
        },
    }
    return _meeting_event(meeting, "meeting.created", obj, None)


def meeting_deleted(meeting: Meeting) -> list[WebhookDelivery]:
    return _meeting_event(meeting, "meeting.deleted", summary(meeting), None)


def validate_url(app: App) -> dict:
    """Sends Zoom's endpoint.url_validation challenge and checks the app's answer."""
    plain_token = secrets.token_urlsafe(16)
    expected = hmac.new(
        app.webhook_secret_token.encode(), plain_token.encode(), hashlib.sha256
    ).hexdigest()
    delivery = send(app, "endpoint.url_validation", {"plainToken": plain_token})
    try:
        answer = json.loads(delivery.response_body) if delivery.response_body else None
    except ValueError:
        answer = None
    ok = (
        delivery.status == 200
        and isinstance(answer, dict)
        and answer.get("plainToken") == plain_token
        and answer.get("encryptedToken") == expected
    )
    return {
        "ok": ok,
        "status": delivery.status,
        "error": delivery.error,
        "plain_token": plain_token,
        "expected_encrypted_token": expected,
        "response": answer if answer is not None else delivery.response_body,
        "delivery_id": delivery.id,
    }


def as_dict(delivery: WebhookDelivery) -> dict:
    return {
        "id": delivery.id,
        "event": delivery.event,
        "url": delivery.url,
        "body": json.loads(delivery.body),
        "raw_body": delivery.body,
        "timestamp": delivery.timestamp,
        "signature": delivery.signature,
        "status": delivery.status,
        "response_body": delivery.response_body,
        "error": delivery.error,
        "sent_at": delivery.sent_at.isoformat(),
        "attempt": delivery.attempt,
        "first_id": delivery.first_id,
        "next_retry_at": delivery.next_retry_at.isoformat() if delivery.next_retry_at else None,
        "held_until": delivery.held_until.isoformat() if delivery.held_until else None,
        "lost": delivery.lost,
    }
