from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.forms import TimeZoneChoiceField
from meetings.availability import day_bounds
from meetings.forms import BookingForm

# The report's default period, and the longest one (a year keeps its two aggregates quick).
DEFAULT_REPORT_DAYS = 30
MAX_REPORT_DAYS = 366


class ReportPeriodForm(forms.Form):
    """From and to dates, both included, in the viewer's time zone."""

    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    @classmethod
    def default_initial(cls) -> dict:
        today = timezone.localdate()
        return {"start": today - timedelta(days=DEFAULT_REPORT_DAYS - 1), "end": today}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise ValidationError("The period must end on or after its first day.")
            if (end - start).days >= MAX_REPORT_DAYS:
                raise ValidationError(f"Choose a period of at most {MAX_REPORT_DAYS} days.")
        return cleaned

    def bounds(self):
        """[the first day's midnight, the midnight after the last day) in the viewer's zone."""
        zone = timezone.get_current_timezone_name()
        return (
            day_bounds(self.cleaned_data["start"], zone)[0],
            day_bounds(self.cleaned_data["end"], zone)[1],
        )


class ProspectForm(BookingForm):
    """A rep booking a prospect in: the booking form, about the prospect, with their zone."""

    time_zone = TimeZoneChoiceField(
        label="Prospect's time zone", help_text="Their invite shows times in this zone."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Prospect's name"
        self.fields["email"].label = "Prospect's email"
        self.fields["email"].help_text = "They get the invite and the link to their booking."
        self.fields["time_zone"].keep(self["time_zone"].value() or "UTC")


class ReassignForm(forms.Form):
    """The member who takes the booking (the Meeting Type's members but its host)."""

    to_rep = forms.ModelChoiceField(
        queryset=None,
        label="New host",
        empty_label=None,
        help_text="The meeting moves to their Zoom; the guest gets one updated invite with the "
        "new link, and the current host a cancellation.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_rep"]
        field.queryset = get_user_model().objects.filter(pk__in=[rep.pk for rep in members])
        field.label_from_instance = lambda rep: rep.display_name
