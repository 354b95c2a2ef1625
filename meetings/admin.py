from django.contrib import admin, messages
from django.utils import timezone

from config.admin_views import ViewOnlyAdmin

from .host_changes import HostChange
from .invite_deliveries import InviteDelivery
from .meeting_types import MeetingType
from .models import Booking
from .schedules import AvailabilitySchedule, AvailabilityWindow, DateOverride
from .zoom.resume import retry_link
from .zoom.state import ZoomLink


# Stacked, not tabular: Django's tabular rows put a column heading over each input but label none
# of them (axe: "Form elements must have labels"), and scroll sideways on a phone.
class AvailabilityWindowInline(admin.StackedInline):
    model = AvailabilityWindow
    extra = 0


class DateOverrideInline(admin.StackedInline):
    model = DateOverride
    extra = 0


@admin.register(AvailabilitySchedule)
class AvailabilityScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "rep", "team", "is_default"]
    search_fields = ["name", "rep__email", "team__name"]
    list_select_related = ["rep", "team"]
    autocomplete_fields = ["rep"]
    inlines = [AvailabilityWindowInline, DateOverrideInline]


@admin.register(MeetingType)
class MeetingTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "rep", "slug", "duration_minutes", "location_kind", "is_active"]
    list_filter = ["location_kind", "is_active"]
    search_fields = ["name", "slug", "rep__email"]
    list_select_related = ["rep"]
    autocomplete_fields = ["schedule"]
    # A rep's types; team types have their own page (teams.admin) with their members.
    exclude = ["team", "distribution", "distribution_window_days"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(team__isnull=True)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["rep"].required = True
        return form


class InviteDeliveryInline(admin.StackedInline):
    model = InviteDelivery
    extra = 0
    can_delete = False
    readonly_fields = ["sequence", "method", "recipient", "email", "location", "sent_at"]


class HostChangeInline(admin.StackedInline):
    """Who the booking was handed from and to, and whether the former host's Zoom meeting is gone
    (an error says what to do when it could not be deleted)."""

    model = HostChange
    fk_name = "booking"
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "created_at",
        "from_rep",
        "to_rep",
        "changed_by",
        "removal",
        "zoom_meeting_id",
        "zoom_chain",
        "attempts",
        "last_error",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HostChange)
class HostChangeAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "booking", "from_rep", "to_rep", "removal", "last_error"]
    list_filter = ["removal"]
    search_fields = ["from_rep__email", "to_rep__email", "booking__guest_email", "zoom_meeting_id"]
    list_select_related = ["booking", "from_rep", "to_rep"]
    show_full_result_count = False


# The booking's Zoom link, shown apart from the booking's own fields.
ZOOM_LINK_COLUMNS = [f.name for f in ZoomLink._meta.fields]


@admin.register(Booking)
class BookingAdmin(ViewOnlyAdmin):
    list_display = [
        "guest_name",
        "rep",
        "starts",
        "status",
        "link_state",
        "zoom_meeting_id",
        "link_attempts",
        "link_next_attempt_at",
        "link_last_error",
        "outcome",
    ]
    list_filter = ["status", "link_state", "location_kind", "outcome__outcome"]
    search_fields = ["guest_name", "guest_email", "rep__email", "zoom_meeting_id"]
    list_select_related = ["rep", "outcome"]
    # One COUNT(*) of every booking per page view is enough (the paginator's); the "of N total"
    # beside a search would be a second.
    show_full_result_count = False
    # Rendering rows is most of the page's time; 50 a page, as in the roster.
    list_per_page = 50
    readonly_fields = [f.name for f in Booking._meta.fields]
    fieldsets = [
        (None, {"fields": [name for name in readonly_fields if name not in ZOOM_LINK_COLUMNS]}),
        ("Zoom link", {"fields": ZOOM_LINK_COLUMNS}),
    ]
    inlines = [InviteDeliveryInline, HostChangeInline]
    # Bookings change through the product's services (reschedule, cancel, retry), never by
    # editing rows here: the admin views them and can put a Zoom link back in line.
    actions = ["retry_zoom_link"]

    @admin.display(description="Starts", ordering="start_at")
    def starts(self, booking):
        # In the admin's own zone (accounts.middleware), named so nobody guesses.
        local = timezone.localtime(booking.start_at)
        return f"{local:%Y-%m-%d %H:%M} {timezone.get_current_timezone_name()}"

    @admin.display(description="Outcome", ordering="outcome__outcome")
    def outcome(self, booking):
        # outcomes.MeetingOutcome, once the meeting has one.
        record = getattr(booking, "outcome", None)
        return record.get_outcome_display() if record and record.is_decided else "—"

    def has_retry_permission(self, request):
        return request.user.has_perm("meetings.change_booking")

    @admin.action(
        description="Try the Zoom link again (failed or waiting bookings)", permissions=["retry"]
    )
    def retry_zoom_link(self, request, queryset):
        retried = 0
        for booking in queryset:
            if retry_link(booking):
                retried += 1
                self.log_change(request, booking, "Put the Zoom link back in line.")
        self.message_user(request, f"{retried} booking(s) put back in line.", messages.SUCCESS)
