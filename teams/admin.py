"""Teams in the Django admin: teams and their members, team Meeting Types with theirs, the skips,
and each team's report."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from config.admin_views import ViewOnlyAdmin
from meetings.schedules import AvailabilitySchedule

from . import selectors
from .forms import ReportPeriodForm
from .models import AssignmentSkip, MeetingTypeMember, Team, TeamMeetingType, TeamMember
from .reassignment import PERMISSION
from .report import team_report

# The report lists the team's next bookings, each with its way to reassign it.
UPCOMING_SHOWN = 50


# Stacked, not tabular: Django's tabular rows label none of their inputs (meetings.admin says more).
class TeamMemberInline(admin.StackedInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["rep"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "member_count", "report_link"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("memberships"))

    @admin.display(description="Members", ordering="members")
    def member_count(self, team):
        return team.members

    @admin.display(description="Report")
    def report_link(self, team):
        return format_html(
            '<a href="{}">Bookings and skips</a>',
            reverse("admin:teams_team_report", args=[team.pk]),
        )

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [
            path("<int:pk>/report/", report, name="teams_team_report"),
            *super().get_urls(),
        ]

    def report_view(self, request, pk: int):
        team = get_object_or_404(Team, pk=pk)
        if not self.has_view_permission(request, team):
            raise PermissionDenied
        form = ReportPeriodForm(
            request.GET if "start" in request.GET else ReportPeriodForm.default_initial()
        )
        report = team_report(team, *form.bounds()) if form.is_valid() else None
        upcoming = selectors.upcoming_bookings_of(team)[:UPCOMING_SHOWN]
        return TemplateResponse(
            request,
            "admin/teams/team/report.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"{team.name}: bookings and skips",
                "team": team,
                "form": form,
                "report": report,
                "upcoming": upcoming,
                "may_reassign": request.user.has_perm(PERMISSION),
            },
        )


class MeetingTypeMembersFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Checked here, where the type's team (as just edited) is known, even for a new type.
        for form in self.forms:
            member = form.cleaned_data.get("member")
            if (
                member
                and not form.cleaned_data.get("DELETE")
                and member.team_id != self.instance.team_id
            ):
                form.add_error(
                    "member", "Only members of this Meeting Type's team can take its bookings."
                )


class MeetingTypeMemberInline(admin.StackedInline):
    model = MeetingTypeMember
    formset = MeetingTypeMembersFormSet
    extra = 0
    fields = ["member", "priority", "weight"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member":
            kwargs["queryset"] = TeamMember.objects.select_related("team", "rep")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TeamMeetingTypeForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        schedule, team = cleaned.get("schedule"), cleaned.get("team")
        if schedule is not None and team is not None and schedule.team_id != team.pk:
            self.add_error("schedule", "Choose one of this team's schedules.")
        return cleaned


@admin.register(TeamMeetingType)
class TeamMeetingTypeAdmin(admin.ModelAdmin):
    form = TeamMeetingTypeForm
    list_display = ["name", "team", "slug", "distribution", "duration_minutes", "is_active"]
    list_filter = ["team", "distribution", "is_active"]
    search_fields = ["name", "slug", "team__name"]
    list_select_related = ["team"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MeetingTypeMemberInline]
    fieldsets = [
        (None, {"fields": ["team", "name", "slug", "description", "is_active", "is_archived"]}),
        ("Who takes a booking", {"fields": ["distribution", "distribution_window_days"]}),
        (
            "Meeting",
            {"fields": ["duration_minutes", "location_kind", "location_detail"]},
        ),
        (
            "Availability",
            {
                "fields": ["schedule"],
                "description": "The team's weekly hours and date overrides (Meeting Types › "
                "Availability schedules), read in each member's own time zone.",
            },
        ),
        (
            "Booking rules",
            {
                "fields": [
                    "buffer_before_minutes",
                    "buffer_after_minutes",
                    "min_notice_minutes",
                    "horizon_days",
                ]
            },
        ),
        (
            "Zoom",
            {"fields": ["zoom_waiting_room", "zoom_join_before_host", "zoom_auto_recording"]},
        ),
        ("Invite", {"fields": ["invite_title_template", "invite_description_template"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["team"].required = True
        form.base_fields["distribution"].required = True
        form.base_fields["schedule"].queryset = AvailabilitySchedule.objects.filter(
            team__isnull=False
        ).select_related("team")
        return form


@admin.register(AssignmentSkip)
class AssignmentSkipAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "rep", "reason", "meeting_type", "slot_start", "booking"]
    list_filter = ["reason", "meeting_type__team"]
    search_fields = ["rep__email", "meeting_type__name"]
    list_select_related = ["rep", "meeting_type", "booking"]
    date_hierarchy = "created_at"
    show_full_result_count = False
