from datetime import timedelta

from django.contrib import admin
from django.utils import timezone

from config.admin_views import ViewOnlyAdmin

from .models import MeetingOutcome
from .selectors import rates_per_meeting_type, rates_per_rep

PERIODS = {"30": 30, "90": 90, "365": 365}


@admin.register(MeetingOutcome)
class MeetingOutcomeAdmin(ViewOnlyAdmin):
    """Every meeting's outcome, with held and no-show rates per rep and per Meeting Type above
    the list. Outcomes change only through Zoom and the reps' own marking."""

    list_display = [
        "booking",
        "rep",
        "meeting_type",
        "outcome",
        "source",
        "decided_at",
        "unavailable_reason",
    ]
    list_filter = ["outcome", "source", "booking__meeting_type__location_kind"]
    list_select_related = ["booking__rep", "booking__meeting_type"]
    search_fields = ["booking__guest_email", "booking__rep__email", "booking__meeting_type__name"]
    date_hierarchy = "decided_at"
    # Only what decides the outcome; keys and raw evidence are not worth a reader's time.
    exclude = ["joined_keys"]

    @admin.display(ordering="booking__rep__email")
    def rep(self, record):
        return record.booking.rep

    @admin.display(ordering="booking__meeting_type__name")
    def meeting_type(self, record):
        return record.booking.meeting_type

    def changelist_view(self, request, extra_context=None):
        days = PERIODS.get(request.GET.get("days", ""), 30)
        since = timezone.now() - timedelta(days=days)
        request.GET = request.GET.copy()
        request.GET.pop("days", None)
        extra_context = {
            **(extra_context or {}),
            "days": days,
            "periods": PERIODS,
            "per_rep": rates_per_rep(since),
            "per_meeting_type": rates_per_meeting_type(since),
        }
        return super().changelist_view(request, extra_context)
