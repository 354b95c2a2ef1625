from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from integrations.zoom.api.scopes import (
    CAPABILITIES,
    CLASSIC_SCOPES,
    GRANULAR_SCOPES,
    PERMISSIONS_MANAGE,
    PERMISSIONS_VIEW,
)
from integrations.zoom.company.views import MANAGE as MANAGE_COMPANY_ZOOM
from integrations.zoom.connection.hosts import company_member_of
from integrations.zoom.connection.models import BASIC_MEETING_LIMIT_MINUTES
from integrations.zoom.connection.selectors import (
    zoom_connection_for,
    zoom_meeting_types_over_basic_limit,
)
from meetings.zoom.pages import zoom_state_for_page


@login_required
def my_integrations(request):
    connection = zoom_connection_for(request.user)
    long_meeting_types = []
    if connection is not None and connection.is_usable and connection.is_basic:
        long_meeting_types = zoom_meeting_types_over_basic_limit(request.user)
    member = company_member_of(request.user)
    # What the page says of either connection follows the one reading every page uses.
    zoom_state = zoom_state_for_page(request.user)
    company_serves = member is not None and member.is_served and member.account.is_usable
    return render(
        request,
        "integrations/index.html",
        {
            "zoom": connection,
            "zoom_state": zoom_state,
            # The company's Zoom account serves the rep unless their own connection works.
            "company_zoom": member if company_serves else None,
            "personal_wins": company_serves and zoom_state.key == "connected",
            "may_manage_company_zoom": request.user.has_perm(MANAGE_COMPANY_ZOOM),
            "capabilities": CAPABILITIES,
            "permissions_view": PERMISSIONS_VIEW,
            "permissions_manage": PERMISSIONS_MANAGE,
            "classic_scopes": CLASSIC_SCOPES,
            "granular_scopes": GRANULAR_SCOPES,
            "basic_limit_minutes": BASIC_MEETING_LIMIT_MINUTES,
            "long_meeting_types": long_meeting_types,
        },
    )
