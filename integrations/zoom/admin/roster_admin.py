"""The Zoom roster in the Django admin: every rep's connection, worst first, with actions
(`roster_actions`).

Read-only by design: rows come from reps signing up and connecting. Tokens are deferred in the
queryset and named nowhere here, so no page, action or export can show one.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timesince import timesince

from config.admin_views import ViewOnlyAdmin
from integrations.models import ReconnectNotice, ZoomRosterEntry

from ..api import quota
from ..api.reasons import ReconnectReason
from . import roster
from .filters import PlanFilter, StatusFilter, ZoomAccountFilter
from .roster_actions import RosterActions


def _when(value) -> str:
    if not value:
        return "—"
    # In the admin's own zone (accounts.middleware), named so nobody guesses.
    local = timezone.localtime(value)
    return format_html(
        '<span title="{} {}">{} ago</span>',
        local.strftime("%Y-%m-%d %H:%M"),
        timezone.get_current_timezone_name(),
        timesince(value),
    )


@admin.register(ZoomRosterEntry)
class ZoomRosterAdmin(RosterActions, ViewOnlyAdmin):
    # Six columns that fit a 1280 px screen with the admin's sidebars open, each a few short
    # lines (what needs acting on first); a rep's page has every detail. On a phone each row is a
    # card (styles.html).
    list_display = (
        "rep",
        "status",
        "served_by",
        "attention",
        "zoom",
        "activity",
    )
    list_display_links = ("rep",)
    list_filter = (StatusFilter, ZoomAccountFilter, PlanFilter)
    search_fields = ("email", "first_name", "last_name", "zoom_connection__zoom_email")
    search_help_text = "Search by the rep's name or email, or their Zoom email."
    list_per_page = 50
    # Showing every rep on one page would undo the pagination for large teams.
    list_max_show_all = 0
    show_full_result_count = False
    readonly_fields = (
        "rep",
        "status",
        "reconnect_detail",
        "zoom_email",
        "zoom_account",
        "zoom_user_id",
        "plan",
        "scopes",
        "connected_since",
        "last_success",
        "last_refresh",
        "last_error",
        "connect_started",
        "bookings_at_risk",
        "zoom_writes_today",
        "last_reconnect_email",
    )
    fields = readonly_fields

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Zoom roster: every rep's connection, worst first"} | (
            extra_context or {}
        )
        return super().changelist_view(request, extra_context)

    # Query ------------------------------------------------------------------------------------

    def get_queryset(self, request):
        return roster.roster_entries()

    def get_ordering(self, request):
        return roster.ROSTER_ORDERING

    # Columns ----------------------------------------------------------------------------------

    @admin.display(description="Rep", ordering="email")
    def rep(self, entry):
        name = entry.get_full_name()
        return format_html("{}<br><small>{}</small>", entry.email, name) if name else entry.email

    @admin.display(description="Zoom meetings made by")
    def served_by(self, entry):
        served = roster.served_by(entry)
        if roster.is_served_by_company(entry):
            return format_html('<span class="zoom-served">{}</span>', served)
        return served

    @admin.display(description="Status", ordering="roster_rank")
    def status(self, entry):
        status = roster.status_of(entry)
        connection = roster.connection_of(entry)
        label, detail = status.label, ""
        if status == roster.RosterStatus.NEEDS_RECONNECT:
            if connection.needs_reconnect_reason == ReconnectReason.APPROVAL_WITHDRAWN:
                label = "Blocked by Zoom pre-approval"
            detail = format_html(
                "{} — since {}",
                connection.get_needs_reconnect_reason_display() or "reason unknown",
                _when(connection.needs_reconnect_since),
            )
        elif status == roster.RosterStatus.AWAITING_APPROVAL:
            detail = format_html(
                "clicked Connect {} and never came back: their Zoom account's admin must "
                "pre-approve the app",
                _when(connection.connect_started_at),
            )
        elif status == roster.RosterStatus.REMOVED:
            detail = format_html("removed {}", _when(connection.removed_at))
        elif status == roster.RosterStatus.COMPANY and roster.own_connection_unused(entry):
            detail = format_html(
                "own Zoom connection not used: {}", roster.own_connection_unused(entry)
            )
        return format_html(
            '<span class="zoom-status zoom-status--{}">{}</span>{}',
            status.value,
            label,
            format_html("<br><small>{}</small>", detail) if detail else "",
        )

    @admin.display(description="Needs attention", ordering="bookings_at_risk")
    def attention(self, entry):
        """What to act on, in product words: bookings without their link, Zoom's daily limit.
        Zoom's own error text is on the rep's page only."""
        parts = []
        if entry.bookings_at_risk:
            url = reverse("admin:meetings_booking_changelist")
            parts.append(
                format_html(
                    '<a href="{}?{}">{} booking{} without a Zoom link</a>',
                    url,
                    urlencode({"q": entry.email}),
                    entry.bookings_at_risk,
                    "" if entry.bookings_at_risk == 1 else "s",
                )
            )
        use = quota.quota_use(entry.pk)
        if use.near_limit:
            parts.append(
                format_html(
                    '<strong class="zoom-status--needs_reconnect">Near Zoom\'s daily limit ({} of '
                    "{})</strong><br><small>public bookings stop first; resets 00:00 UTC</small>",
                    use.used,
                    use.limit,
                )
            )
        connection = roster.connection_of(entry)
        missing = connection.missing_capabilities if connection and connection.scopes else []
        if missing:
            parts.append(
                format_html(
                    '<small class="zoom-missing">Missing: {}</small>',
                    ", ".join(c.label for c in missing),
                )
            )
        advice = connection.scopes_to_add if connection and connection.scopes else []
        if advice:
            # Not a problem to fix today: the connection works and does without these.
            parts.append(
                format_html(
                    '<small class="zoom-advice">Works without: {}</small>',
                    format_html_join(
                        "; ", "{} (add <code>{}</code>)", ((c.label, scope) for c, scope in advice)
                    ),
                )
            )
        connected = roster.status_of(entry) == roster.RosterStatus.CONNECTED
        if connection is not None and connection.last_error and connected:
            parts.append(
                format_html(
                    "<small>Zoom answered with an error {}</small>", _when(connection.last_error_at)
                )
            )
        return format_html_join(mark_safe("<br>"), "{}", ((p,) for p in parts)) if parts else "—"

    @admin.display(description="Zoom", ordering="zoom_connection__zoom_email")
    def zoom(self, entry):
        """Their Zoom user, plan and account (the account named by its email domain; its link
        shows everyone on it)."""
        connection = roster.connection_of(entry)
        if connection is None or not connection.zoom_email:
            return "—"
        plan = connection.get_zoom_user_type_display() or "plan unknown"
        account = connection.zoom_account_id
        if not account:
            return format_html("{}<br><small>{}</small>", connection.zoom_email, plan)
        url = reverse("admin:integrations_zoomrosterentry_changelist")
        return format_html(
            '{}<br><small>{} · <a href="{}?{}">everyone on {}\'s account</a></small>',
            connection.zoom_email,
            plan,
            url,
            urlencode({"zoom_account": account}),
            roster.email_domain(connection.zoom_email),
        )

    @admin.display(description="Last worked", ordering="zoom_connection__last_success_at")
    def activity(self, entry):
        connection = roster.connection_of(entry)
        if connection is None or not connection.connected_at:
            return "—"
        return format_html(
            "{}<br><small>connected {}</small>",
            _when(connection.last_success_at) if connection.last_success_at else "not yet",
            _when(connection.connected_at),
        )

    def _field(self, entry, name: str):
        connection = roster.connection_of(entry)
        return getattr(connection, name, None) if connection else None

    @admin.display(description="Zoom email", ordering="zoom_connection__zoom_email")
    def zoom_email(self, entry):
        return self._field(entry, "zoom_email") or "—"

    @admin.display(description="Zoom account", ordering="zoom_connection__zoom_account_id")
    def zoom_account(self, entry):
        account = self._field(entry, "zoom_account_id")
        if not account:
            return "—"
        url = reverse("admin:integrations_zoomrosterentry_changelist")
        return format_html(
            '<a href="{}?{}" class="mono">{}</a>',
            url,
            urlencode({"zoom_account": account}),
            account,
        )

    @admin.display(description="Zoom user id")
    def zoom_user_id(self, entry):
        return self._field(entry, "zoom_user_id") or "—"

    @admin.display(description="Plan", ordering="zoom_connection__zoom_user_type")
    def plan(self, entry):
        connection = roster.connection_of(entry)
        return (connection and connection.get_zoom_user_type_display()) or "—"

    @admin.display(description="Granted scopes")
    def scopes(self, entry):
        connection = roster.connection_of(entry)
        if connection is None or not connection.scopes:
            return "—"
        granted = format_html_join(
            " ", "<code>{}</code>", ((s,) for s in connection.granted_scope_list)
        )
        missing = connection.missing_capabilities
        if not missing:
            return granted
        return format_html(
            '{}<br><small class="zoom-missing">Missing: {}</small>',
            granted,
            ", ".join(c.label for c in missing),
        )

    @admin.display(description="Connected since", ordering="zoom_connection__connected_at")
    def connected_since(self, entry):
        return _when(self._field(entry, "connected_at"))

    @admin.display(description="Last successful call", ordering="zoom_connection__last_success_at")
    def last_success(self, entry):
        return _when(self._field(entry, "last_success_at"))

    @admin.display(description="Last refresh", ordering="zoom_connection__last_refreshed_at")
    def last_refresh(self, entry):
        return _when(self._field(entry, "last_refreshed_at"))

    @admin.display(description="Zoom's last error", ordering="zoom_connection__last_error_at")
    def last_error(self, entry):
        error = self._field(entry, "last_error")
        if not error:
            return "—"
        return format_html(
            '<span title="{}">{}</span><br><small>{}</small>',
            error,
            Truncator(error).chars(80),
            _when(self._field(entry, "last_error_at")),
        )

    @admin.display(description="Bookings at risk", ordering="bookings_at_risk")
    def bookings_at_risk(self, entry):
        if not entry.bookings_at_risk:
            return "0"
        url = reverse("admin:meetings_booking_changelist")
        return format_html(
            '<a href="{}?{}">{}</a>', url, urlencode({"q": entry.email}), entry.bookings_at_risk
        )

    @admin.display(description="Zoom creates + updates today")
    def zoom_writes_today(self, entry):
        use = quota.quota_use(entry.pk)
        if not use.near_limit:
            return f"{use.used} / {use.limit}"
        return format_html(
            '<strong class="zoom-status--needs_reconnect">{} / {}: near Zoom\'s daily limit'
            "</strong><br><small>public bookings stop first; resets 00:00 UTC</small>",
            use.used,
            use.limit,
        )

    # Detail page only ---------------------------------------------------------------------------

    @admin.display(description="Why it needs reconnecting")
    def reconnect_detail(self, entry):
        return self._field(entry, "needs_reconnect_detail") or "—"

    @admin.display(description="Connect clicked, never came back")
    def connect_started(self, entry):
        return _when(self._field(entry, "connect_started_at"))

    @admin.display(description="Last reconnect email")
    def last_reconnect_email(self, entry):
        notice = ReconnectNotice.objects.filter(rep_id=entry.pk).first()
        if notice is None:
            return "never sent"
        how = f"sent by {notice.sent_by}" if notice.sent_by_id else "sent automatically"
        return format_html("{} ({}, to {})", _when(notice.sent_at), how, notice.email)
