"""Knobs: what tests and demos may change at runtime over HTTP (no restart), and the middleware that
applies latency and injected failures to Zoom's URLs.

Failure kinds: `status` (that status, with `body` or a Zoom-style JSON error), `non_json` (an HTML
error page, as Zoom's edge sometimes sends), `drop` (the connection is closed without an answer),
`timeout` (no answer for `timeout_seconds`, then the connection is closed) and `lost_answer` (Zoom
does the work, then the connection is closed before its answer: a create whose answer was lost).
"""

import json
import time
from http import HTTPStatus

from django.db import transaction
from django.db.models import F
from django.http import HttpResponse, JsonResponse

from .activity_events import ACTIVITY_EVENTS
from .latency import latency_seconds
from .models import FailureRule, Knobs

DEFAULTS = {
    "latency_ms": 0,
    # A test knob, not Zoom behaviour: Zoom publishes no answer-time figures. Above `latency_ms`,
    # answers take a log-normal time whose median is `latency_ms` and 99th percentile this, so a
    # benchmark sees a slow tail as a busy network would give it; 0 keeps every answer at
    # `latency_ms`.
    "latency_p99_ms": 0,
    "access_token_lifetime": 3599,
    # Zoom documents no refresh-token lifetime (sources say 90 days to 15 years).
    "refresh_token_lifetime": 90 * 24 * 3600,
    "code_lifetime": 300,
    "daily_meeting_limit": 100,
    # None: each account's per-second limits are its plan's per category (ratelimits.py); a
    # number replaces them with one limit for every request of an account (a test's control).
    "qps_limit": None,
    "retry_after_header": True,
    # Which scope family an app registered without an explicit listing has. Apps created on the
    # Marketplace since 2024 only offer granular scopes; "classic" models an older app.
    # https://developers.zoom.us/docs/integrations/oauth-scopes-granular/
    "scope_family": "granular",
    # Zoom's reference names only `meeting:read` for GET /meetings/{id} and GET
    # /users/{id}/meetings; whether classic `meeting:write` also allows them is unverified, so by
    # default it does not (the stricter choice).
    "classic_write_grants_read": False,
    # None grants the app's listed scopes; a space-separated string grants exactly that instead.
    "granted_scopes": None,
    # Real token-endpoint errors often carry only {"reason": "Invalid Token!", "error":
    # "invalid_grant"}; True adds Zoom's documented numeric `code` (4711, 4733, 4741…).
    "oauth_error_codes": False,
    # The code a REST call missing a scope answers: 4711 ("Invalid access token, does not contain
    # scopes") as observed, or 4700, which Zoom's error table lists for the same meaning.
    "missing_scope_code": 4711,
    "timeout_seconds": 30,
    # Zoom sends meeting.created/updated/deleted for meetings made or changed through the API
    # too, not only in its own apps: "Zoom triggers this event every time a meeting is
    # updated" (Meeting Updated, https://developers.zoom.us/docs/api/meetings/events/). On by
    # default, as Zoom does: the app's echoes of its own changes are part of what it must handle.
    "webhooks_for_api_changes": True,
    # Whether Zoom's retries of a failed webhook keep the first attempt's x-zm-request-timestamp
    # ("original", so a retry 85 minutes later is 85 minutes old) or are signed afresh ("fresh").
    # Zoom documents neither; "original" is the stricter choice.
    "webhook_retry_timestamp": "original",
    # Events about a meeting that happens (webhooks.ACTIVITY_EVENTS) can arrive late or never:
    # Zoom's delivery is at least once at best, a failed delivery is retried only three times,
    # and an app that was down past the last retry never gets the event
    # (https://developers.zoom.us/docs/api/webhooks/#webhook-retries). Late events are held this
    # many seconds (or until `POST /_sandbox/webhooks/held/send`); lost ones are never sent.
    "activity_event_delay_seconds": 0,
    # Event names never delivered, or ["*"] for every activity event.
    "activity_events_lost": [],
}
_CHOICES = {
    "scope_family": ("granular", "classic"),
    "missing_scope_code": (4711, 4700),
    "webhook_retry_timestamp": ("original", "fresh"),
}
FAILURE_KINDS = ("status", "non_json", "drop", "timeout", "lost_answer")
DROP_FLAG = "zoom_sandbox.drop"
# Only Zoom's own URLs get latency and failures; the sandbox's pages and control API never do.
ZOOM_PATH_PREFIXES = ("/oauth/", "/v2/")
_MACHINE_PATHS = ("/oauth/token", "/oauth/revoke", "/v2/")


class KnobError(ValueError):
    pass


def current() -> dict:
    row = Knobs.objects.filter(pk=1).first()
    return {**DEFAULTS, **(row.values if row else {})}


def get(name: str):
    return current()[name]


def update(**values) -> dict:
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise KnobError(f"Unknown knobs: {', '.join(sorted(unknown))}")
    for name, allowed in _CHOICES.items():
        if name in values and values[name] not in allowed:
            raise KnobError(f"{name} must be one of {', '.join(map(str, allowed))}")
    delay = values.get("activity_event_delay_seconds", 0)
    if not isinstance(delay, int) or isinstance(delay, bool) or delay < 0:
        raise KnobError("activity_event_delay_seconds must be a whole number of seconds, 0 or more")
    lost = values.get("activity_events_lost", [])
    if not isinstance(lost, list) or not set(lost) <= {"*", *ACTIVITY_EVENTS}:
        raise KnobError(
            'activity_events_lost must be a list of meeting activity event names (or ["*"]): '
            + ", ".join(ACTIVITY_EVENTS)
        )
    with transaction.atomic():
        row, _ = Knobs.objects.get_or_create(pk=1)
        row.values = {**row.values, **values}
        row.save()
    return current()


def add_failure(
    *,
    path_contains: str,
    kind: str = "status",
    status: int = 500,
    count: int = 1,
    body: str | None = None,
) -> FailureRule:
    if kind not in FAILURE_KINDS:
        raise KnobError(f"kind must be one of {', '.join(FAILURE_KINDS)}")
    if count < 1:
        raise KnobError("count must be at least 1")
    return FailureRule.objects.create(
        path_contains=path_contains, kind=kind, status=status, body=body or "", remaining=count
    )


def take_failure(path: str) -> FailureRule | None:
    """Claims one use of the oldest rule matching `path`; concurrent requests never share a use."""
    with transaction.atomic():
        for rule in FailureRule.objects.filter(remaining__gt=0).order_by("id"):
            if rule.path_contains in path:
                FailureRule.objects.filter(pk=rule.pk).update(remaining=F("remaining") - 1)
                return rule
    return None


def _failure_response(request, rule: FailureRule) -> HttpResponse:
    if rule.kind in ("drop", "timeout"):
        if rule.kind == "timeout":
            time.sleep(float(get("timeout_seconds")))
        # server.py closes the socket instead of sending this response.
        request.META[DROP_FLAG] = True
        return HttpResponse(status=rule.status)
    if rule.kind == "non_json":
        body = rule.body or (
            f"<html><head><title>{rule.status}</title></head><body><center><h1>{rule.status} "
            f"{_phrase(rule.status)}</h1></center><hr><center>nginx</center></body></html>"
        )
        return HttpResponse(body, status=rule.status, content_type="text/html")
    if rule.body:
        try:
            json.loads(rule.body)
            content_type = "application/json;charset=UTF-8"
        except ValueError:
            content_type = "text/plain"
        return HttpResponse(rule.body, status=rule.status, content_type=content_type)
    return JsonResponse({"code": rule.status, "message": _phrase(rule.status)}, status=rule.status)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class FaultInjectionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not path.startswith(ZOOM_PATH_PREFIXES):
            return self.get_response(request)
        if path.startswith(_MACHINE_PATHS):
            values = current()
            delay = latency_seconds(int(values["latency_ms"]), int(values["latency_p99_ms"]))
            if delay > 0:
                time.sleep(delay)
        rule = take_failure(request.get_full_path())
        if rule is not None:
            request.sandbox_injected = rule.kind
            if rule.kind == "lost_answer":
                response = self.get_response(request)
                request.META[DROP_FLAG] = True  # done, and never answered
                return response
            return _failure_response(request, rule)
        return self.get_response(request)
