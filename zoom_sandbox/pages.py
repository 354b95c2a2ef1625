"""The sandbox's own pages: a dashboard, the Marketplace listing and "Manage → Added apps" (where a
user removes the app), the account admin's pre-approval page, meetings as a host edits them in
Zoom, webhook deliveries, knobs, and the calls log. Every page is marked "Zoom sandbox"."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import knobs, listing, live, meetings, oauth, registration, tokens, users, webhooks
from .models import (
    Account,
    App,
    Call,
    FailureRule,
    Grant,
    Meeting,
    PreapprovalRequest,
    WebhookDelivery,
    ZoomUser,
)


def sandbox_context(request):
    return {"signed_in": oauth.signed_in_user(request)}


def _current_app() -> App | None:
    return registration.default_app()


def home(request):
    return render(
        request,
        "zoom_sandbox/home.html",
        {
            "apps": App.objects.order_by("id"),
            "zoom_users": ZoomUser.objects.filter(deleted_at__isnull=True)
            .select_related("account")
            .order_by("email"),
            "accounts": Account.objects.order_by("name"),
            "meeting_count": Meeting.objects.count(),
            "pending_requests": PreapprovalRequest.objects.filter(resolved_at__isnull=True).count(),
        },
    )


def marketplace_app(request, client_id=None):
    app = App.objects.filter(client_id=client_id).first() if client_id else _current_app()
    if app is None:
        raise Http404("No app is registered in the sandbox.")
    return render(
        request,
        "zoom_sandbox/marketplace_app.html",
        {
            "app": app,
            "can_view": listing.CAN_VIEW,
            "can_manage": listing.CAN_MANAGE,
            "scopes": tokens.granted_scopes(app).split(),
        },
    )


def marketplace_install(request, client_id):
    """ "Add" on the listing: the authorize flow started by Zoom, so the app gets no `state`."""
    app = App.objects.filter(client_id=client_id).first()
    if app is None or not app.redirect_uris:
        raise Http404("No such app.")
    query = f"response_type=code&client_id={app.client_id}&redirect_uri={app.redirect_uris[0]}"
    return HttpResponseRedirect(f"{reverse('authorize')}?{query}")


def manage_apps(request):
    user = oauth.signed_in_user(request)
    grants = []
    if user is not None:
        grants = Grant.objects.filter(user=user, revoked_at__isnull=True).select_related("app")
    return render(
        request,
        "zoom_sandbox/manage_apps.html",
        {
            "zoom_user": user,
            "grants": grants,
            "zoom_users": ZoomUser.objects.filter(deleted_at__isnull=True).order_by("email"),
        },
    )


@require_POST
def remove_app(request, client_id):
    user = oauth.signed_in_user(request)
    app = App.objects.filter(client_id=client_id).first()
    if user is None or app is None:
        raise Http404("Sign in first.")
    try:
        delivery = webhooks.uninstall(user, app)
    except webhooks.UninstallRefused as exc:
        return render(request, "zoom_sandbox/oauth_error.html", {"message": str(exc)}, status=403)
    return render(request, "zoom_sandbox/removed.html", {"app": app, "delivery": delivery})


def admin_account(request, account_id):
    account = Account.objects.filter(account_id=account_id).first()
    if account is None:
        raise Http404("No such account.")
    app = _current_app()
    approvals = account.approvals.select_related("user", "app")
    return render(
        request,
        "zoom_sandbox/admin_account.html",
        {
            "account": account,
            "app": app,
            "approved_for_all": approvals.filter(user__isnull=True).exists(),
            "approvals": approvals.filter(user__isnull=False),
            "requests": PreapprovalRequest.objects.filter(user__account=account)
            .select_related("user", "app")
            .order_by("-requested_at"),
            "members": account.users.filter(deleted_at__isnull=True).order_by("email"),
        },
    )


@require_POST
def admin_account_action(request, account_id):
    account = Account.objects.filter(account_id=account_id).first()
    app = App.objects.filter(client_id=request.POST.get("client_id", "")).first() or _current_app()
    if account is None or app is None:
        raise Http404("No such account or app.")
    action = request.POST.get("action")
    user = users.find_user(request.POST["email"]) if request.POST.get("email") else None
    if action == "approve":
        users.approve(account, app, user)
    elif action == "withdraw":
        users.withdraw_approval(account, app, user)
    elif action == "require":
        account.requires_preapproval = request.POST.get("value") == "on"
        account.save(update_fields=["requires_preapproval"])
    return HttpResponseRedirect(reverse("admin_account", args=[account.account_id]))


def meeting_list(request):
    return render(
        request,
        "zoom_sandbox/meetings.html",
        {
            "meetings": Meeting.objects.select_related("host").order_by("-created_at")[:200],
        },
    )


def meeting_edit(request, meeting_id):
    try:
        meeting = meetings.get(meeting_id)
    except meetings.MeetingNotFound as exc:
        raise Http404(str(exc)) from exc
    error = None
    if request.method == "POST" and request.POST.get("action") in _LIVE_ACTIONS:
        try:
            _, happened = _LIVE_ACTIONS[request.POST["action"]](meeting, request.POST)
        except live.LiveError as exc:
            error = str(exc)
        else:
            webhooks.send_happenings(happened)
            return HttpResponseRedirect(reverse("meeting_edit", args=[meeting.id]))
    elif request.method == "POST":
        if request.POST.get("action") == "delete":
            webhooks.meeting_deleted(meeting)
            meeting.delete()
            return HttpResponseRedirect(reverse("meeting_list"))
        body = {
            "topic": request.POST.get("topic", ""),
            "agenda": request.POST.get("agenda", ""),
            "start_time": request.POST.get("start_time", ""),
        }
        try:
            body["duration"] = int(request.POST.get("duration", ""))
        except ValueError:
            body["duration"] = -1
        try:
            previous = meetings.update(meeting, meetings.validate(body, meeting.host, partial=True))
        except meetings.MeetingValidationError as exc:
            error = "; ".join(f"{e['field']}: {e['message']}" for e in exc.errors) or exc.message
        else:
            if previous:
                webhooks.meeting_updated(meeting, previous)
            return HttpResponseRedirect(reverse("meeting_edit", args=[meeting.id]))
    return render(
        request,
        "zoom_sandbox/meeting_edit.html",
        {
            "meeting": meeting,
            "start_time": meetings.format_time(meeting.start_time),
            "error": error,
            "participants": live.current_instance(meeting)
            .participants.select_related("zoom_user")
            .order_by("arrived_at", "id"),
        },
    )


# What happens in the meeting, as the host and guests do it in Zoom (the control API's steps).
_LIVE_ACTIONS = {
    "start": lambda meeting, form: live.start(meeting),
    "join": lambda meeting, form: live.join(
        meeting,
        as_host=False,
        name=form.get("name", ""),
        email=form.get("email", "").strip(),
        client=form.get("client", "app"),
    ),
    "admit": lambda meeting, form: live.admit(meeting, form.get("participant_id", "")),
    "leave": lambda meeting, form: live.leave(meeting, form.get("participant_id", "")),
    "end": lambda meeting, form: live.end(meeting),
}


def webhook_list(request):
    return render(
        request,
        "zoom_sandbox/webhooks.html",
        {
            "deliveries": WebhookDelivery.objects.order_by("-id")[:100],
            "app": _current_app(),
            "validation": request.session.pop("validation", None),
        },
    )


@require_POST
def webhook_validate(request):
    app = _current_app()
    if app is None:
        raise Http404("No app is registered.")
    result = webhooks.validate_url(app)
    request.session["validation"] = {
        "ok": result["ok"],
        "status": result["status"],
        "error": result["error"],
    }
    return HttpResponseRedirect(reverse("webhook_list"))


@require_POST
def webhook_redeliver(request, delivery_id):
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404("No such delivery.")
    webhooks.redeliver(delivery)
    return HttpResponseRedirect(reverse("webhook_list"))


def knobs_page(request):
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "fail":
                knobs.add_failure(
                    path_contains=request.POST.get("path_contains", ""),
                    kind=request.POST.get("kind", "status"),
                    status=int(request.POST.get("status") or 500),
                    count=int(request.POST.get("count") or 1),
                )
            else:
                granted = request.POST.get("granted_scopes", "").strip()
                knobs.update(
                    latency_ms=int(request.POST.get("latency_ms") or 0),
                    latency_p99_ms=int(request.POST.get("latency_p99_ms") or 0),
                    access_token_lifetime=int(request.POST.get("access_token_lifetime") or 3599),
                    daily_meeting_limit=int(request.POST.get("daily_meeting_limit") or 100),
                    # Empty: each account's plan sets its per-second limits per category.
                    qps_limit=int(request.POST["qps_limit"])
                    if request.POST.get("qps_limit")
                    else None,
                    retry_after_header=request.POST.get("retry_after_header") == "on",
                    granted_scopes=granted or None,
                    scope_family=request.POST.get("scope_family") or "granular",
                    classic_write_grants_read=request.POST.get("classic_write_grants_read") == "on",
                    oauth_error_codes=request.POST.get("oauth_error_codes") == "on",
                    missing_scope_code=int(request.POST.get("missing_scope_code") or 4711),
                    webhooks_for_api_changes=request.POST.get("webhooks_for_api_changes") == "on",
                    webhook_retry_timestamp=request.POST.get("webhook_retry_timestamp")
                    or "original",
                    activity_event_delay_seconds=int(
                        request.POST.get("activity_event_delay_seconds") or 0
                    ),
                    activity_events_lost=request.POST.get("activity_events_lost", "").split(),
                )
        except (ValueError, knobs.KnobError) as exc:
            error = str(exc)
        else:
            return HttpResponseRedirect(reverse("knobs"))

    return render(
        request,
        "zoom_sandbox/knobs.html",
        {
            "knobs": knobs.current(),
            "failures": FailureRule.objects.filter(remaining__gt=0).order_by("id"),
            "kinds": knobs.FAILURE_KINDS,
            "error": error,
            "classic": listing.CLASSIC_SCOPES,
            "granular": listing.GRANULAR_SCOPES,
        },
    )


def call_list(request):
    return render(request, "zoom_sandbox/calls.html", {"calls": Call.objects.order_by("-id")[:200]})


def join(request, meeting_id):
    """Where `join_url` and `start_url` lead: the guest types a name and joins (or waits); the
    host (a `zak` in the link) starts the meeting. Each sends Zoom's events, as the meeting
    page's controls do."""
    meeting = Meeting.objects.select_related("host").filter(pk=meeting_id).first()
    as_host = "zak" in request.GET
    passcode_ok = meeting is not None and (
        not meeting.password
        or request.GET.get("pwd", "").split(".")[0] == meeting.encrypted_password
    )
    person, error = None, None
    if request.method == "POST" and meeting is not None and (as_host or passcode_ok):
        try:
            if as_host:
                person, happened = live.start(meeting)
            else:
                person, happened = live.join(
                    meeting, as_host=False, name=request.POST.get("name", "")
                )
        except live.LiveError as exc:
            error = str(exc)
        else:
            webhooks.send_happenings(happened)
    return render(
        request,
        "zoom_sandbox/join.html",
        {
            "meeting": meeting,
            "as_host": as_host,
            "passcode_ok": passcode_ok,
            "person": person,
            "error": error,
        },
    )
