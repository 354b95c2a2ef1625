"""The roster's sidebar filters: by roster status, by Zoom account, by Zoom plan."""

from django.contrib import admin

from ..models import ZoomConnection
from . import roster


class StatusFilter(admin.SimpleListFilter):
    title = "Zoom status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return roster.RosterStatus.choices

    def queryset(self, request, queryset):
        if self.value() in roster.RosterStatus.values:
            return queryset.filter(roster_status=self.value())
        return queryset


class ZoomAccountFilter(admin.SimpleListFilter):
    title = "shared Zoom account"
    parameter_name = "zoom_account"

    def lookups(self, request, model_admin):
        return [
            (account, f"{account} ({reps} rep{'s' if reps != 1 else ''})")
            for account, reps in roster.shared_zoom_accounts(request.GET.get(self.parameter_name))
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(zoom_connection__zoom_account_id=self.value())
        return queryset


class PlanFilter(admin.SimpleListFilter):
    title = "Zoom plan"
    parameter_name = "plan"

    def lookups(self, request, model_admin):
        return [(str(value), label) for value, label in ZoomConnection.UserType.choices]

    def queryset(self, request, queryset):
        if self.value() in {str(value) for value in ZoomConnection.UserType.values}:
            return queryset.filter(zoom_connection__zoom_user_type=int(self.value()))
        return queryset
