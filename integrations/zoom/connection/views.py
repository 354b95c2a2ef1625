from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import tasks
from ..api.scopes import CAPABILITIES, scope_names
from ..webhooks.deliveries import receive_webhook
from ..webhooks.envelope import WebhookRejected
from . import services
from .connect_failures import ConnectFailed
from .selectors import upcoming_zoom_bookings, zoom_connection_for


@require_POST
@login_required
def connect(request):
    restarted = request.POST.get("install") == "1"
    return redirect(services.start_connect(request.user, request.session, restarted=restarted))


@require_GET
@never_cache
def callback(request):
    if not request.user.is_authenticated:
        return _login_then_continue(request)
    try:
        outcome = services.handle_callback(request.user, request.session, request.GET)
    except ConnectFailed as failure:
        return connect_problem_page(request, failure, CAPABILITIES)
    if outcome.confirm_install:
        return render(request, "integrations/zoom/finish_install.html")
    messages.success(request, f"Zoom is connected as {outcome.connection.zoom_email}.")
    return redirect("integrations:index")


@require_http_methods(["GET", "POST"])
@login_required
def disconnect(request):
    """GET asks first, saying what happens to upcoming bookings; POST disconnects."""
    connection = zoom_connection_for(request.user)
    if connection is None or connection.status == connection.Status.DISCONNECTED:
        return redirect("integrations:index")
    if request.method == "GET":
        return render(
            request,
            "integrations/zoom/disconnect.html",
            {"zoom": connection, "upcoming": upcoming_zoom_bookings(request.user)},
        )
    tell_disconnected(
        request,
        services.disconnect_zoom(connection),
        "Zoom is disconnected. The app no longer has access to it.",
        "Zoom is disconnected here, but Zoom did not answer, so the app may still appear in "
        f"your Zoom account: remove it under Zoom {ADDED_APPS}.",
    )
    return redirect("integrations:index")


# Where a Zoom user removes an app themselves, when our revoke did not reach Zoom.
ADDED_APPS = "App Marketplace → Manage → Added Apps"


def tell_disconnected(request, revoked: bool, done: str, remove_in_zoom: str) -> None:
    """After a disconnect: `done` when Zoom took the revoke, else the warning `remove_in_zoom`
    (the app may still be installed in Zoom)."""
    if revoked:
        messages.success(request, done)
    else:
        messages.warning(request, remove_in_zoom)


def connect_problem_page(request, failure: ConnectFailed, capabilities):
    """What went wrong connecting and what to do next, naming the scopes of the app connected
    (the rep's own app or the company's account-level app)."""
    classic_scopes, granular_scopes = scope_names(capabilities)
    return render(
        request,
        "integrations/zoom/connect_problem.html",
        {
            "problem": failure.problem,
            "page": failure.problem.page,
            "missing_scopes": failure.missing_scopes,
            "classic_scopes": classic_scopes,
            "granular_scopes": granular_scopes,
        },
        status=failure.problem.page.http_status,
    )


def _login_then_continue(request):
    """Anonymous arrivals (usually a Zoom Marketplace install) sign in, then start connecting.
    Their code is dropped: it cannot be tied to a session, and Zoom will issue a new one."""
    if request.GET.get("error"):
        return redirect_to_login(reverse("integrations:index"))
    resume = reverse("integrations:zoom:callback") + "?" + urlencode({"install": "1"})
    return redirect_to_login(resume)


@csrf_exempt  # Zoom cannot send a CSRF token; the HMAC signature authenticates the request.
@require_POST
def webhook(request):
    return _receive(request, settings.ZOOM_WEBHOOK_SECRET_TOKEN, settings.ZOOM_CLIENT_ID)


@csrf_exempt
@require_POST
def company_webhook(request):
    """Events of the company's admin-managed app, signed with that app's own secret token."""
    return _receive(
        request, settings.ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN, settings.ZOOM_ACCOUNT_CLIENT_ID
    )


def _receive(request, secret: str, client_id: str):
    try:
        answer = receive_webhook(
            body=request.body,
            timestamp=request.headers.get("x-zm-request-timestamp"),
            signature=request.headers.get("x-zm-signature"),
            secret=secret,
            client_id=client_id,
        )
    except WebhookRejected as rejected:
        return JsonResponse({"error": rejected.reason}, status=rejected.status)
    if answer.delivery_id is not None:
        # Applied by a task, so Zoom gets its answer within its 3 seconds.
        transaction.on_commit(lambda: tasks.apply_webhook_later(answer.delivery_id))
    return JsonResponse(answer.body, status=answer.status)
