"""The calls log: every request the sandbox received on Zoom's URLs, with what it answered, so tests
can assert what the app sent (and what it did not)."""

import base64
import binascii
import time

from django.forms.models import model_to_dict
from django.utils import timezone

from .knobs import DROP_FLAG, ZOOM_PATH_PREFIXES
from .models import Call

_MAX_BODY = 10_000

# Bumped by every reset: a request still running across a reset (a stalled "timeout" failure)
# must not log into the next test's fresh state.
_generation = 0


def start_new_generation() -> None:
    global _generation
    _generation += 1


def _auth_summary(request) -> tuple[str, str]:
    """The kind of credentials sent and, for HTTP Basic, the client id (never secrets)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        try:
            client_id = base64.b64decode(value).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            client_id = ""
        return "basic", client_id
    if scheme == "bearer":
        return "bearer", ""
    return "", ""


def _text(data: bytes) -> str:
    return data[:_MAX_BODY].decode("utf-8", errors="replace")


class CallLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(ZOOM_PATH_PREFIXES):
            return self.get_response(request)
        generation, started, clock = _generation, timezone.now(), time.monotonic()
        request_body = _text(request.body)
        authorization, client_id = _auth_summary(request)
        response = self.get_response(request)
        if generation != _generation:
            return response
        dropped = bool(request.META.get(DROP_FLAG))
        streamed = getattr(response, "streaming", False)
        Call.objects.create(
            method=request.method,
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
            status=None if dropped else response.status_code,
            request_body=request_body,
            response_body="" if dropped or streamed else _text(response.content),
            authorization=authorization,
            # REST calls: the app whose bearer token it was.
            client_id=client_id or getattr(request, "sandbox_client_id", ""),
            user_email=getattr(request, "sandbox_user_email", ""),
            injected=getattr(request, "sandbox_injected", ""),
            started_at=started,
            duration_ms=int((time.monotonic() - clock) * 1000),
        )
        return response


def as_dict(call: Call) -> dict:
    """Every field of the call, as the control API lists it."""
    return {"id": call.id, **model_to_dict(call), "started_at": call.started_at.isoformat()}
