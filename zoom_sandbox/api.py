"""Zoom's REST API (`/v2/…`): bearer auth, scope checks, the endpoints a scheduler uses, Zoom's
error bodies. https://developers.zoom.us/docs/api/rest/error-definitions/"""

import functools
import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import knobs, meetings, pagination, past_meetings, ratelimits, tokens, users, webhooks
from .models import AccessToken, ZoomUser

# The scopes each endpoint takes, as Zoom's API reference names them: the classic scope, the
# granular scope of apps created since 2024, and their account-level (`:admin`) forms, needed to act
# for another user of the account. Reference pages, one per endpoint under
# https://developers.zoom.us/docs/api/meetings/ and https://developers.zoom.us/docs/api/users/
# (classic names as in Zoom's OpenAPI spec: "Scopes: meeting:read:admin, meeting:read" for
# GET /meetings/{meetingId} and GET /users/{userId}/meetings).
USER_READ = ("user:read:user", "user:read", "user:read:admin", "user:read:user:admin")
SETTINGS_READ = ("user:read:settings", "user:read", "user:read:admin", "user:read:settings:admin")
MEETING_CREATE = (
    "meeting:write:meeting",
    "meeting:write",
    "meeting:write:admin",
    "meeting:write:meeting:admin",
)
MEETING_UPDATE = (
    "meeting:update:meeting",
    "meeting:write",
    "meeting:write:admin",
    "meeting:update:meeting:admin",
)
MEETING_DELETE = (
    "meeting:delete:meeting",
    "meeting:write",
    "meeting:write:admin",
    "meeting:delete:meeting:admin",
)
MEETING_READ = (
    "meeting:read:meeting",
    "meeting:read",
    "meeting:read:admin",
    "meeting:read:meeting:admin",
)
MEETING_LIST = (
    "meeting:read:list_meetings",
    "meeting:read",
    "meeting:read:admin",
    "meeting:read:list_meetings:admin",
)
# Zoom's OpenAPI spec names the classic pair ("Scopes: `meeting:read:admin`,`meeting:read`",
# `pastMeetingParticipants`); the granular scope is the endpoint's own.
PAST_PARTICIPANTS_READ = (
    "meeting:read:list_past_participants",
    "meeting:read",
    "meeting:read:admin",
    "meeting:read:list_past_participants:admin",
)
# Whether classic write scopes also allow these reads is unverified (the `classic_write_grants_read`
# knob); by default they do not.
_READS_ALSO_BY_CLASSIC_WRITE = {
    MEETING_READ: ("meeting:write", "meeting:write:admin"),
    MEETING_LIST: ("meeting:write", "meeting:write:admin"),
}


class ApiError(Exception):
    def __init__(self, status: int, code: int, message: str, *, errors=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.errors, self.headers = errors, headers or {}

    def response(self) -> JsonResponse:
        body = {"code": self.code, "message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        response = JsonResponse(body, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def _missing_scopes(allowed: tuple[str, ...], *, admin: bool) -> ApiError:
    # Zoom names the scopes the call wanted: "Invalid access token, does not contain
    # scopes:[meeting:read:list_meetings, meeting:read]." with HTTP 400 and code 4711; its error
    # table also lists 4700 for this (the `missing_scope_code` knob).
    # https://developers.zoom.us/docs/api/rest/error-definitions/
    wanted = [s for s in allowed if s.endswith(":admin") == admin][:2]
    return ApiError(
        400,
        int(knobs.get("missing_scope_code")),
        f"Invalid access token, does not contain scopes:[{', '.join(wanted)}].",
    )


def _require(token: AccessToken, allowed: tuple[str, ...], *, admin: bool = False) -> None:
    granted = token.grant.scope_set
    candidates = set(allowed)
    if knobs.get("classic_write_grants_read"):
        candidates.update(_READS_ALSO_BY_CLASSIC_WRITE.get(allowed, ()))
    if admin:
        candidates = {s for s in candidates if s.endswith(":admin")}
    if not granted.intersection(candidates):
        raise _missing_scopes(allowed, admin=admin)


def _root(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def zoom_api(view):
    """Bearer auth, the account's rate limits, and Zoom's error bodies for every endpoint."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            try:
                token = tokens.authenticate_bearer(request.META.get("HTTP_AUTHORIZATION", ""))
            except tokens.ApiAuthError as exc:
                raise ApiError(exc.status, exc.code, exc.message) from exc
            request.sandbox_user_email = token.grant.user.email
            request.sandbox_client_id = token.grant.app.client_id
            try:
                ratelimits.check_account(token.grant.user.account, request.method, request.path)
            except ratelimits.RateLimited as exc:
                raise ApiError(429, 429, exc.message, headers=exc.headers) from exc
            return view(request, token, *args, **kwargs)
        except ApiError as exc:
            return exc.response()
        except meetings.MeetingValidationError as exc:
            return ApiError(400, 300, exc.message, errors=exc.errors or None).response()
        except meetings.MeetingNotFound as exc:
            return ApiError(404, 3001, str(exc)).response()
        except past_meetings.PastMeetingError as exc:
            return ApiError(exc.status, exc.code, exc.message, errors=exc.errors).response()

    return wrapper


def _target_user(token: AccessToken, value: str, allowed: tuple[str, ...]) -> ZoomUser:
    """`{userId}` is "me", a user id or an email address ("User ID or email address", Zoom's
    `GET /users/{userId}`). Users of other accounts do not exist for the token: 1001 "User {email}
    not exist or not belong to this account" (Zoom's error table for the meeting endpoints)."""
    me = token.grant.user
    if value == "me":
        _require(token, allowed)
        return me
    target = users.find_user(value)
    if target is None or target.account_id != me.account_id:
        raise ApiError(404, 1001, f"User does not exist: {value}.")
    if target.pk == me.pk:
        _require(token, allowed)
    else:
        # Acting for another user of the account needs an account-level (admin) scope.
        _require(token, allowed, admin=True)
    return target


def _owned_meeting(token: AccessToken, meeting_id, allowed: tuple[str, ...], *, change=None):
    """The token's own meetings need the user-level scope (or its admin form); a colleague's
    meeting needs the admin scope, and another account's meeting does not exist (3001).

    `change` ("update" or "delete") adds the refusals Zoom's Update and Delete a meeting
    references list for those calls: 400 code 3003 "You are not the meeting host." for a
    colleague's meeting without the admin scope; for a delete 3002 while it is in progress and
    3007 once it has ended, for an update 3000 once it has started. https://developers.zoom.us/docs/api/meetings/#tag/meetings/DELETE/meetings/{meetingId}
    """
    me = token.grant.user
    try:
        meeting = meetings.get(meeting_id)
    except meetings.MeetingNotFound:
        _require(token, allowed)
        raise
    if meeting.host_id == me.pk:
        _require(token, allowed)
    elif meeting.host.account_id != me.account_id:
        _require(token, allowed)
        raise meetings.MeetingNotFound(meeting_id)
    elif change is not None and not token.grant.scope_set.intersection(
        s for s in allowed if s.endswith(":admin")
    ):
        # Allowed to change meetings, just not this colleague's.
        if not token.grant.scope_set.intersection(s for s in allowed if not s.endswith(":admin")):
            _require(token, allowed, admin=True)
        raise ApiError(400, 3003, "You are not the meeting host.")
    else:
        _require(token, allowed, admin=True)
    if change == "update" and meeting.status in ("started", "ended"):
        # PATCH answers 3000, not 3002/3007: "You cannot update or delete meetings that have
        # started using this method" (Zoom's OpenAPI spec, `meetingUpdate`, 400). Zoom does not
        # say what PATCH of an ended meeting answers; the stricter choice refuses it the same.
        raise ApiError(
            400, 3000, "You cannot update or delete meetings that have started using this method."
        )
    if change is not None and meeting.status == "started":
        raise ApiError(
            400, 3002, f"Sorry, you cannot {change} this meeting since it is in progress."
        )
    if change is not None and meeting.status == "ended":
        raise ApiError(400, 3007, f"Sorry, you cannot {change} this meeting since it has ended.")
    return meeting


def _json_body(request):
    try:
        return json.loads(request.body or b"")
    except ValueError as exc:
        raise ApiError(400, 300, "Request Body should be a valid JSON object.") from exc


@zoom_api
def user_detail(request, token, user):
    if request.method != "GET":
        return HttpResponse(status=405)
    target = _target_user(token, user, USER_READ)
    if target.status == ZoomUser.PENDING and target != token.grant.user:
        # A user invited to the account who never accepted (or whose invitation expired): Zoom
        # answers `GET /users/{userId}` with 1120 rather than the user (seen on real accounts;
        # Zoom's reference lists no body for it, so the sandbox sends the stricter error).
        raise ApiError(
            400, 1120, f"User does not exist or has not accepted the invitation: {user}."
        )
    return JsonResponse(
        {
            "id": target.user_id,
            "first_name": target.first_name,
            "last_name": target.last_name,
            "display_name": target.display_name,
            "email": target.email,
            "type": target.type,
            "role_name": "Owner" if target.is_admin else "Member",
            "pmi": target.pmi,
            "use_pmi": False,
            "personal_meeting_url": f"{_root(request)}/j/{target.pmi}",
            "timezone": target.timezone,
            "verified": 1,
            "dept": "",
            "created_at": meetings.format_time(target.created_at),
            "user_created_at": meetings.format_time(target.created_at),
            "last_login_time": meetings.format_time(target.created_at),
            "pic_url": "",
            "language": "en-US",
            "phone_number": "",
            "status": target.status,
            "role_id": "0" if target.is_admin else "2",
            "account_id": target.account.account_id,
            "account_number": abs(hash(target.account.account_id)) % 10**10,
            "cluster": "us05",
            "login_types": [100],
        }
    )


@zoom_api
def user_settings(request, token, user):
    if request.method != "GET":
        return HttpResponse(status=405)
    target = _target_user(token, user, SETTINGS_READ)
    return JsonResponse(users.user_settings(target))


@zoom_api
def user_meetings(request, token, user):
    if request.method == "POST":
        host = _target_user(token, user, MEETING_CREATE)
        # Zoom documents nothing for scheduling as a deactivated user (who has no license and
        # may not sign in): the stricter choice is to refuse it like a user who may not host.
        if host.hosting_disabled or host.status != ZoomUser.ACTIVE:
            raise ApiError(
                400,
                3161,
                "Meeting hosting and scheduling capabilities are not "
                "allowed for your user account.",
            )
        cleaned = meetings.validate(_json_body(request), host, partial=False)
        try:
            headers = ratelimits.count_meeting_write(host)
        except ratelimits.RateLimited as exc:
            raise ApiError(429, 429, exc.message, headers=exc.headers) from exc
        meeting = meetings.create(host, cleaned)
        if knobs.get("webhooks_for_api_changes"):
            webhooks.meeting_created(meeting, meetings.join_url(meeting, _root(request)))
        response = JsonResponse(meetings.as_response(meeting, _root(request)), status=201)
        for name, value in headers.items():
            response[name] = value
        return response
    if request.method != "GET":
        return HttpResponse(status=405)
    host = _target_user(token, user, MEETING_LIST)
    list_type = request.GET.get("type", "scheduled")
    errors = []
    if list_type not in meetings.LIST_TYPES:
        errors.append({"field": "type", "message": "Invalid field."})
    try:
        page_size = int(request.GET.get("page_size", 30))
        if not 1 <= page_size <= 300:
            raise ValueError
    except ValueError:
        errors.append({"field": "page_size", "message": "Invalid field."})
    if errors:
        raise ApiError(400, 300, "Validation Failed.", errors=errors)
    try:
        page = meetings.list_page(
            host, list_type, page_size, request.GET.get("next_page_token", ""), _root(request)
        )
    except pagination.PageTokenError as exc:
        raise ApiError(400, 300, str(exc)) from exc
    return JsonResponse(page)


@zoom_api
def meeting_detail(request, token, meeting_id):
    if request.method == "GET":
        meeting = _owned_meeting(token, meeting_id, MEETING_READ)
        return JsonResponse(meetings.as_response(meeting, _root(request)))
    if request.method == "PATCH":
        meeting = _owned_meeting(token, meeting_id, MEETING_UPDATE, change="update")
        cleaned = meetings.validate(_json_body(request), meeting.host, partial=True)
        try:
            ratelimits.count_meeting_write(meeting.host)
        except ratelimits.RateLimited as exc:
            raise ApiError(429, 429, exc.message, headers=exc.headers) from exc
        previous = meetings.update(meeting, cleaned)
        if previous and knobs.get("webhooks_for_api_changes"):
            webhooks.meeting_updated(meeting, previous)
        return HttpResponse(status=204)
    if request.method == "DELETE":
        meeting = _owned_meeting(token, meeting_id, MEETING_DELETE, change="delete")
        errors = [
            {"field": name, "message": "Invalid field."}
            for name in ("schedule_for_reminder", "cancel_meeting_reminder")
            if name in request.GET and request.GET[name] not in ("true", "false")
        ]
        if errors:
            raise ApiError(400, 300, "Validation Failed.", errors=errors)
        if knobs.get("webhooks_for_api_changes"):
            webhooks.meeting_deleted(meeting)
        meeting.delete()
        return HttpResponse(status=204)
    return HttpResponse(status=405)


@zoom_api
def past_meeting_participants(request, token, meeting_id):
    if request.method != "GET":
        return HttpResponse(status=405)
    me = token.grant.user
    instance = past_meetings.find_instance(meeting_id)
    if instance is None or instance.host.account_id != me.account_id:
        _require(token, PAST_PARTICIPANTS_READ)
        raise past_meetings.not_ended()
    # A colleague's meeting needs the account-level (admin) scope, like every meeting endpoint.
    _require(token, PAST_PARTICIPANTS_READ, admin=instance.host_id != me.pk)
    page = past_meetings.participants_page(
        instance, request.GET.get("page_size", "30"), request.GET.get("next_page_token", "")
    )
    return JsonResponse(page)


@csrf_exempt
def not_found(request, rest=""):
    return JsonResponse({"code": 404, "message": "Not Found"}, status=404)
