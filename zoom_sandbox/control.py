"""The control API under /_sandbox/: JSON endpoints tests and scripts use to set the sandbox up,
turn its knobs, and read what it received. Not part of Zoom; the app never calls it."""

import functools
import json
from datetime import timedelta

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import calls, knobs, meetings, pagination, ratelimits, registration, tokens, users, webhooks
from .models import (
    Account,
    App,
    Call,
    FailureRule,
    Knobs,
    Meeting,
    PreapprovalRequest,
    WebhookDelivery,
    ZoomUser,
)


class ControlError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def control(methods):
    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return JsonResponse({"error": "method not allowed"}, status=405)
            try:
                data = json.loads(request.body) if request.body else {}
                if not isinstance(data, dict):
                    raise ControlError("Send a JSON object.")
                return JsonResponse(view(request, data, *args, **kwargs), safe=False)
            except ValueError as exc:
                # Also RegistrationError and DirectoryError: bad input, a clear answer.
                return JsonResponse({"error": str(exc)}, status=400)
            except ControlError as exc:
                return JsonResponse({"error": exc.message}, status=exc.status)

        return wrapper

    return decorate


def _root(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _user(email: str) -> ZoomUser:
    user = users.find_user(email)
    if user is None:
        raise ControlError(f"No sandbox user {email}", 404)
    return user


def _app(data: dict) -> App:
    client_id = data.get("client_id")
    app = (
        App.objects.filter(client_id=client_id).first() if client_id else registration.default_app()
    )
    if app is None:
        raise ControlError("No app is registered", 404)
    return app


def _account(account_id: str) -> Account:
    account = Account.objects.filter(account_id=account_id).first()
    if account is None:
        raise ControlError(f"No sandbox account {account_id}", 404)
    return account


def _narrowed(found, lookup: str, value: str | None):
    """A list's query parameter: `found` filtered on `lookup`, or all of it when it is absent."""
    return found.filter(**{lookup: value}) if value else found


def _approval_of(data: dict, account_id: str) -> tuple[Account, App, ZoomUser | None]:
    """Who an approval or its withdrawal is about: the account, the app, and one user or (no
    email) every user of the account."""
    account = _account(account_id)
    user = _user(data["email"]) if data.get("email") else None
    return account, _app(data), user


def _meeting(meeting_id: str) -> Meeting:
    try:
        return meetings.get(meeting_id)
    except meetings.MeetingNotFound as exc:
        raise ControlError(str(exc), 404) from exc


def _delivery(delivery_id: int) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).select_related("app", "first").first()
    if delivery is None:
        raise ControlError("No such delivery", 404)
    return delivery


@control(["GET"])
def health(request, data):
    return {"status": "ok"}


@control(["POST"])
def reset(request, data):
    with transaction.atomic():
        for model in (
            Call,
            WebhookDelivery,
            FailureRule,
            Knobs,
            Meeting,
            PreapprovalRequest,
            ZoomUser,
            Account,
            App,
        ):
            model.objects.all().delete()
    ratelimits.reset()
    pagination.reset()
    calls.start_new_generation()
    registration.register_from_environment()
    return {"status": "reset"}


@control(["POST"])
def register_app(request, data):
    app = registration.register_app(
        client_id=data["client_id"],
        client_secret=data["client_secret"],
        redirect_uris=data.get("redirect_uris", []),
        webhook_url=data.get("webhook_url", ""),
        webhook_secret_token=data.get("webhook_secret_token", ""),
        name=data.get("name"),
        scopes=data.get("scopes"),
        management=data.get("management"),
        events=data.get("events"),
    )
    return registration.as_dict(app)


@control(["POST"])
def app_scopes(request, data):
    """The developer edits the app's scopes on the Marketplace (authorized users keep theirs)."""
    app = _app(data)
    app.scopes = " ".join(str(data.get("scopes") or "").split())
    app.save(update_fields=["scopes"])
    return registration.as_dict(app)


@control(["POST"])
def user_settings(request, data, email):
    """Deep-merges `data` into the user's settings overrides (what GET /users/{id}/settings
    answers), as an admin or the user changes them in Zoom's web portal."""
    user = _user(email)
    user.settings = users.merge(user.settings or {}, data)
    user.save(update_fields=["settings"])
    return users.user_settings(user)


@control(["GET", "POST"])
def users_view(request, data):
    if request.method == "GET":
        found = ZoomUser.objects.filter(deleted_at__isnull=True).select_related("account")
        found = _narrowed(found, "email", request.GET.get("email", "").lower())
        return [users.user_as_dict(u) for u in found.order_by("id")]
    try:
        user = users.create_user(
            data["email"],
            account_id=data.get("account_id"),
            account_name=data.get("account_name", ""),
            user_type=int(data.get("type", ZoomUser.LICENSED)),
            requires_preapproval=data.get("requires_preapproval"),
            timezone_name=data.get("timezone", "America/New_York"),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            is_admin=bool(data.get("is_admin", False)),
            settings=data.get("settings"),
            hosting_disabled=bool(data.get("hosting_disabled", False)),
            plan=data.get("plan"),
            status=data.get("status", ZoomUser.ACTIVE),
        )
    except users.DirectoryError as exc:
        raise ControlError(str(exc)) from exc
    return users.user_as_dict(user)


@control(["POST"])
def delete_user(request, data, email):
    user = _user(email)
    # Zoom tells the apps before the user is gone (their grants go with them).
    webhooks.user_event(user, "user.deleted")
    users.delete_user(user)
    return {"status": "deleted"}


@control(["POST"])
def approve(request, data, account_id):
    users.approve(*_approval_of(data, account_id))
    return {"status": "approved"}


@control(["POST"])
def withdraw(request, data, account_id):
    users.withdraw_approval(*_approval_of(data, account_id))
    return {"status": "withdrawn"}


@control(["GET"])
def preapproval_requests(request, data):
    pending = PreapprovalRequest.objects.select_related("user__account", "app").order_by("id")
    return [
        {
            "email": r.user.email,
            "account_id": r.user.account.account_id,
            "client_id": r.app.client_id,
            "requested_at": r.requested_at.isoformat(),
            "resolved": r.resolved_at is not None,
        }
        for r in pending
    ]


@control(["GET", "POST"])
def knobs_view(request, data):
    if request.method == "POST":
        try:
            values = knobs.update(**data)
        except knobs.KnobError as exc:
            raise ControlError(str(exc)) from exc
        if "qps_limit" in data:
            # A per-second limit set now counts the calls made from now on: the calls a test's
            # setup made under the previous limit are not held against the new one.
            ratelimits.reset()
        return values
    return knobs.current()


@control(["GET", "POST", "DELETE"])
def failures(request, data):
    if request.method == "POST":
        try:
            rule = knobs.add_failure(
                path_contains=data["path_contains"],
                kind=data.get("kind", "status"),
                status=int(data.get("status", 500)),
                count=int(data.get("count", 1)),
                body=data.get("body"),
            )
        except knobs.KnobError as exc:
            raise ControlError(str(exc)) from exc
        return {"id": rule.id}
    if request.method == "DELETE":
        FailureRule.objects.all().delete()
        return {"status": "cleared"}
    return [
        {
            "id": r.id,
            "path_contains": r.path_contains,
            "kind": r.kind,
            "status": r.status,
            "remaining": r.remaining,
        }
        for r in FailureRule.objects.order_by("id")
    ]


@control(["GET"])
def calls_view(request, data):
    found = _narrowed(Call.objects.all(), "path__contains", request.GET.get("path_contains"))
    return [calls.as_dict(c) for c in found.order_by("id")]


@control(["GET"])
def meetings_view(request, data):
    found = Meeting.objects.select_related("host").order_by("created_at", "id")
    found = _narrowed(found, "host__email", request.GET.get("host_email", "").lower())
    return [meetings.as_sandbox_dict(m, _root(request)) for m in found]


@control(["POST"])
def update_meeting(request, data, meeting_id):
    meeting = _meeting(meeting_id)
    try:
        cleaned = meetings.validate(data, meeting.host, partial=True)
    except meetings.MeetingValidationError as exc:
        raise ControlError(f"{exc.message} {exc.errors}") from exc
    previous = meetings.update(meeting, cleaned)
    deliveries = webhooks.meeting_updated(meeting, previous) if previous else []
    return {
        "meeting": meetings.as_sandbox_dict(meeting, _root(request)),
        "deliveries": [webhooks.as_dict(d) for d in deliveries],
    }


@control(["POST"])
def delete_meeting(request, data, meeting_id):
    meeting = _meeting(meeting_id)
    deliveries = webhooks.meeting_deleted(meeting)
    meeting.delete()
    return {"deliveries": [webhooks.as_dict(d) for d in deliveries]}


@control(["POST"])
def meeting_status(request, data, meeting_id):
    """The host starts or ends the meeting in Zoom ("waiting", "started", "ended")."""
    meeting = _meeting(meeting_id)
    if data.get("status") not in ("waiting", "started", "ended"):
        raise ControlError("status must be waiting, started or ended")
    meeting.status = data["status"]
    meeting.save(update_fields=["status"])
    return meetings.as_sandbox_dict(meeting, _root(request))


@control(["GET"])
def token_stats(request, data, email):
    return tokens.stats(_user(email))


@control(["POST"])
def expire_tokens(request, data, email):
    return {"expired": tokens.expire_access_tokens(_user(email))}


@control(["POST"])
def daily_usage(request, data, email):
    ratelimits.set_daily_usage(_user(email), int(data["count"]))
    return {"status": "set"}


@control(["POST"])
def uninstall(request, data, email):
    retention = bool(data.get("user_data_retention", False))
    return webhooks.as_dict(
        webhooks.uninstall(_user(email), _app(data), user_data_retention=retention)
    )


@control(["POST"])
def user_status(request, data, email):
    """Zoom's `PUT /users/{userId}/status` as an admin would do it."""
    user = users.set_status(_user(email), data.get("action", ""))
    if user.status == ZoomUser.INACTIVE:
        webhooks.user_event(user, "user.deactivated")
    return users.user_as_dict(user)


@control(["POST"])
def url_validation(request, data):
    return webhooks.validate_url(_app(data))


@control(["GET"])
def deliveries(request, data):
    found = _narrowed(WebhookDelivery.objects.all(), "event", request.GET.get("event"))
    return [webhooks.as_dict(d) for d in found.order_by("id")]


@control(["POST"])
def redeliver(request, data, delivery_id):
    return webhooks.as_dict(webhooks.redeliver(_delivery(delivery_id)))


@control(["POST"])
def retry_delivery(request, data, delivery_id):
    """Sends Zoom's next scheduled retry of a failed delivery now, as if `late_by_seconds` past its
    time, instead of waiting the 5/25/85 minutes."""
    delivery = _delivery(delivery_id)
    if delivery.next_retry_at is None:
        raise ControlError("Zoom schedules no retry of this delivery (it succeeded or was retried)")
    late_by = timedelta(seconds=int(data.get("late_by_seconds", 0)))
    return webhooks.as_dict(webhooks.retry(delivery, late_by=late_by))
