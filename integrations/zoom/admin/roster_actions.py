"""What an admin can do to rows of the Zoom roster: the Zoom actions (test, refresh, disconnect,
email a reconnect link) and the exports, each behind its own permission and logged.

The roster admin (`roster_admin`) shows the rows; this mixin acts on them.
"""

import csv
import json

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.http import HttpResponse

from ..connection.models import ZoomConnection
from . import actions as roster_actions
from . import roster

# Actions call Zoom synchronously, one rep after the other, within the admin's request: a bound
# keeps a click from running into the web server's timeout (each call may take ZOOM_HTTP_TIMEOUT).
MAX_REPS_PER_ZOOM_ACTION = 25
PERMISSION = "integrations.{}"


class RosterActions:
    """Mixed into the roster's ModelAdmin."""

    actions = (
        "test_connection",
        "refresh_now",
        "disconnect",
        "send_reconnect_email",
        "export_csv",
        "export_json",
    )

    # Permissions ------------------------------------------------------------------------------

    def has_check_permission(self, request):
        return request.user.has_perm(PERMISSION.format("check_zoom_connection"))

    def has_disconnect_permission(self, request):
        return request.user.has_perm(PERMISSION.format("disconnect_zoom_connection"))

    def has_email_permission(self, request):
        return request.user.has_perm(PERMISSION.format("email_zoom_reconnect"))

    def has_export_permission(self, request):
        return request.user.has_perm(PERMISSION.format("export_zoom_roster"))

    # Zoom actions -----------------------------------------------------------------------------

    @admin.action(
        description="Test the Zoom connection now (asks Zoom who the user is)",
        permissions=["check"],
    )
    def test_connection(self, request, queryset):
        self._run(
            request, queryset, "Tested the Zoom connection", roster_actions.check_connection_now
        )

    @admin.action(description="Refresh the Zoom tokens now", permissions=["check"])
    def refresh_now(self, request, queryset):
        self._run(request, queryset, "Refreshed the Zoom tokens", roster_actions.refresh_now)

    @admin.action(
        description="Disconnect Zoom (revokes the app's access at Zoom)", permissions=["disconnect"]
    )
    def disconnect(self, request, queryset):
        self._run(request, queryset, "Disconnected Zoom", roster_actions.disconnect)

    @admin.action(description="Email the rep a reconnect link now", permissions=["email"])
    def send_reconnect_email(self, request, queryset):
        def send(rep, connection):
            return roster_actions.send_reconnect_email(rep, connection, admin=request.user)

        self._run(request, queryset, "Sent the Zoom reconnect email", send)

    def _run(self, request, queryset, verb: str, operation) -> None:
        reps = list(queryset[: MAX_REPS_PER_ZOOM_ACTION + 1])
        if len(reps) > MAX_REPS_PER_ZOOM_ACTION:
            self.message_user(
                request,
                f"Select at most {MAX_REPS_PER_ZOOM_ACTION} reps at a time: each one is a call "
                "to Zoom made while you wait.",
                messages.ERROR,
            )
            return
        # The full rows, tokens included, go to the Zoom services only; the page never sees them.
        connections = ZoomConnection.objects.in_bulk([rep.pk for rep in reps], field_name="user_id")
        succeeded = []
        for rep in reps:
            outcome = operation(rep, connections.get(rep.pk))
            if outcome.acted:
                self.log_change(request, rep, f"{verb}: {outcome.message}")
            if outcome.succeeded:
                succeeded.append(outcome.message)
            else:
                self.message_user(
                    request, outcome.message, messages.ERROR if outcome.acted else messages.WARNING
                )
        if succeeded:
            self.message_user(request, " ".join(succeeded), messages.SUCCESS)

    @admin.action(description="Export selected as CSV (no tokens)", permissions=["export"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="zoom-roster.csv"'
        writer = csv.DictWriter(response, fieldnames=roster.EXPORT_COLUMNS, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        count = 0
        for entry in queryset:
            writer.writerow(roster.spreadsheet_safe(roster.export_row(entry)))
            count += 1
        self._log_export(request, queryset, "CSV", count)
        return response

    @admin.action(description="Export selected as JSON (no tokens)", permissions=["export"])
    def export_json(self, request, queryset):
        rows = [roster.export_row(entry) for entry in queryset]
        response = HttpResponse(
            json.dumps({"reps": rows}, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="zoom-roster.json"'
        self._log_export(request, queryset, "JSON", len(rows))
        return response

    def _log_export(self, request, queryset, kind: str, count: int) -> None:
        # An export hands reps' Zoom details to whoever clicked: the log records who took which.
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=queryset.order_by(),
            action_flag=CHANGE,
            change_message=f"Exported the Zoom roster as {kind} ({count} reps).",
        )
