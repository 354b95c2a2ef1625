"""`{% zoom_overview %}`: the Zoom overview at the top of the admin index.

A template tag rather than a custom AdminSite: the project keeps Django's default site, and the
index only needs this one block of data, computed only for staff allowed to see the roster.
"""

from django import template
from django.conf import settings

from ..admin import overview
from ..admin.roster import RosterStatus
from ..api.scopes import CLASSIC_SCOPES, GRANULAR_SCOPES
from ..connection.connect_failures import ConnectProblem

register = template.Library()


@register.inclusion_tag("admin/integrations/overview.html", takes_context=True)
def zoom_overview(context):
    user = context["request"].user
    if not user.has_perm("integrations.view_zoomrosterentry"):
        return {"visible": False}
    return {
        "visible": True,
        "status_counts": overview.status_counts(),
        "problem_statuses": [s for s in RosterStatus if s.is_problem],
        "blocked_accounts": overview.blocked_by_approval_by_account(),
        "bookings": overview.bookings_at_risk() if user.has_perm("meetings.view_booking") else None,
        "pending_too_long_minutes": int(overview.PENDING_TOO_LONG.total_seconds() // 60),
        "pending_too_many_attempts": overview.PENDING_TOO_MANY_ATTEMPTS,
        "approval": ConnectProblem.APPROVAL_REQUIRED.page,
        # What integrations/zoom/_approval_help.html reads, so the admin sees the reps' own text.
        "zoom_app_name": settings.ZOOM_APP_NAME,
        "zoom_marketplace_url": settings.ZOOM_MARKETPLACE_URL,
        "classic_scopes": CLASSIC_SCOPES,
        "granular_scopes": GRANULAR_SCOPES,
        "user": None,
    }
