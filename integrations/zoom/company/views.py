"""The Zoom admin's page: connect the company's Zoom account once, see whom it serves."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..api.errors import ZoomError
from ..api.scopes import ACCOUNT_CAPABILITIES, ACCOUNT_CLASSIC_SCOPES, ACCOUNT_GRANULAR_SCOPES
from ..connection.connect_failures import ConnectFailed
from ..connection.hosts import ZoomHost, zoom_hosts_for
from ..connection.views import ADDED_APPS, connect_problem_page, tell_disconnected
from . import services
from .models import ZoomCompanyMember

MANAGE = "zoom.manage_zoom_account"


def _admin_only(view):
    return login_required(permission_required(MANAGE, raise_exception=True)(view))


def _company_in_use(host: ZoomHost | None) -> bool:
    return host is not None and host.via_company_account


@require_GET
@_admin_only
def company_page(request):
    company = services.company_account()
    members = {m.rep_id: m for m in ZoomCompanyMember.objects.all()} if company else {}
    reps = list(services.reps())
    # Whether the company's account makes each rep's meetings, by the precedence meetings are
    # made with: a served rep whose own connection works is "Not used" here as on their page.
    hosts = zoom_hosts_for([rep.pk for rep in reps])
    rows = [(rep, members.get(rep.pk), _company_in_use(hosts[rep.pk].host)) for rep in reps]
    return render(
        request,
        "integrations/zoom/account/page.html",
        {
            "company": company,
            "rows": rows,
            "served_count": sum(1 for _, m, _ in rows if m is not None and m.is_served),
            "capabilities": ACCOUNT_CAPABILITIES,
            "classic_scopes": ACCOUNT_CLASSIC_SCOPES,
            "granular_scopes": ACCOUNT_GRANULAR_SCOPES,
        },
    )


@require_POST
@_admin_only
def company_connect(request):
    return redirect(services.start_company_connect(request.user, request.session))


@require_GET
@never_cache
@_admin_only
def company_callback(request):
    try:
        outcome = services.handle_company_callback(request.user, request.session, request.GET)
    except ConnectFailed as failure:
        return connect_problem_page(request, failure, ACCOUNT_CAPABILITIES)
    if outcome is None:
        return render(request, "integrations/zoom/account/finish_install.html")
    services.schedule_matching()
    messages.success(
        request,
        f"The company's Zoom account is connected as {outcome.admin_zoom_email}. "
        "Each rep is being looked up in it: reload this page in a moment.",
    )
    return redirect("integrations:zoom:account")


@require_POST
@_admin_only
def company_match(request):
    company = services.company_account()
    if company is not None and company.is_usable:
        services.schedule_matching()
        messages.info(request, "Each rep is being looked up again: reload in a moment.")
    return redirect("integrations:zoom:account")


@require_POST
@_admin_only
def company_map(request, rep_id):
    rep = get_object_or_404(get_user_model(), pk=rep_id)
    company = services.company_account()
    if company is None or not company.is_usable:
        messages.error(request, "Connect the company's Zoom account first.")
        return redirect("integrations:zoom:account")
    try:
        member = services.map_rep_by_hand(company, rep, request.POST.get("zoom_user", ""))
    except services.ZoomUserTaken:
        messages.error(request, "That Zoom user already serves another rep.")
    except ZoomError as exc:
        messages.error(request, f"Zoom could not be asked: {exc}")
    else:
        messages.info(request, f"{rep.email}: {member.get_state_display()}.")
    return redirect("integrations:zoom:account")


@require_POST
@_admin_only
def company_disconnect(request):
    company = services.company_account()
    if company is not None and company.status != company.Status.DISCONNECTED:
        tell_disconnected(
            request,
            services.disconnect_company_account(company),
            "The company's Zoom account is disconnected.",
            "Disconnected here, but Zoom did not answer: remove the app in Zoom too "
            f"({ADDED_APPS}).",
        )
    return redirect("integrations:zoom:account")
