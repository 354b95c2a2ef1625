"""The roster's sidebar filters: by roster status, by Zoom account, by Zoom plan."""

from django.contrib import admin

from ..connection.models import ZoomConnection
from . import roster


class _RosterFilter(admin.SimpleListFilter):
    """Filters the roster on `field` by a value the sidebar offers; any other value (a hand-edited
    URL) leaves the roster unfiltered."""

    field = ""

    def queryset(self, request, queryset):
        if self.value() in {str(value) for value, _ in self.lookup_choices}:
            return queryset.filter(**{self.field: self.value()})
        return queryset


class StatusFilter(_RosterFilter):
    title = "Zoom status"
    parameter_name = "status"
    field = "roster_status"
    BLOCKED = "blocked_by_approval"

    def lookups(self, request, model_admin):
        return [
            *roster.RosterStatus.choices,
            (self.BLOCKED, "Blocked by Zoom pre-approval (any)"),
        ]

    def queryset(self, request, queryset):
        if self.value() == self.BLOCKED:
            # A Connect that never came back, or an approval a Zoom admin withdrew.
            return roster.blocked_by_approval(queryset)
        return super().queryset(request, queryset)


class ZoomAccountFilter(_RosterFilter):
    title = "shared Zoom account"
    parameter_name = "zoom_account"
    field = "zoom_connection__zoom_account_id"

    def lookups(self, request, model_admin):
        # The chosen account is always among them, shared or not (its link in the roster).
        accounts = roster.shared_zoom_accounts(request.GET.get(self.parameter_name))
        labels = roster.account_labels(account for account, _ in accounts)
        return [
            (
                account,
                f"{labels.get(account, 'Zoom account')} ({reps} rep{'s' if reps != 1 else ''})",
            )
            for account, reps in accounts
        ]


class PlanFilter(_RosterFilter):
    title = "Zoom plan"
    parameter_name = "plan"
    field = "zoom_connection__zoom_user_type"

    def lookups(self, request, model_admin):
        return [(str(value), label) for value, label in ZoomConnection.UserType.choices]
