import re
import unicodedata
from datetime import UTC, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import TimeZoneChoiceField
from accounts.models import validate_time_zone
from config.isotime import parse_iso_datetime

from . import placeholders, reminders
from .meeting_types import MAX_ADDITIONAL_GUESTS, LocationKind, MeetingType
from .questions import answers_from
from .schedules import AvailabilitySchedule

_PHONE = re.compile(r"^\+?[\d\s().-]{6,40}$")


RULE_FIELDS = (
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_notice_minutes",
    "horizon_days",
)


class MeetingTypeForm(forms.ModelForm):
    """A rep's Meeting Type; its hours are one of the rep's availability schedules."""

    reminder_minutes = forms.TypedMultipleChoiceField(
        label="Reminders",
        choices=reminders.CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Emails with the join link to the guest, their other guests and you.",
    )

    class Meta:
        model = MeetingType
        fields = [
            "name",
            "slug",
            "duration_minutes",
            "description",
            "location_kind",
            "location_detail",
            "is_active",
            "schedule",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "min_notice_minutes",
            "horizon_days",
            "zoom_waiting_room",
            "zoom_join_before_host",
            "zoom_auto_recording",
            "no_show_email",
            "host_absent_alert_minutes",
            "invite_title_template",
            "invite_description_template",
            "reminder_minutes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "invite_description_template": forms.Textarea(attrs={"rows": 8}),
            "location_kind": forms.RadioSelect,
        }

    def __init__(self, *args, rep, **kwargs):
        super().__init__(*args, **kwargs)
        self.rep = rep
        schedule = self.fields["schedule"]
        schedule.queryset = AvailabilitySchedule.objects.filter(rep=rep)
        schedule.required = True
        schedule.empty_label = None
        schedule.help_text = "Its weekly hours and date overrides, shared with your other types."
        schedule.error_messages["required"] = "Choose when this type can be booked."
        for name in (*RULE_FIELDS, "host_absent_alert_minutes"):
            # Left empty, a rule keeps its default (no buffer, an hour's notice, eight weeks,
            # an alert after three minutes).
            self.fields[name].required = False
        known = ", ".join(f"{{{{ {name} }}}}" for name in placeholders.FIELDS)
        self.fields["invite_description_template"].help_text = f"Placeholders: {known}."
        self.fields["invite_title_template"].help_text = "The same placeholders work here."

    def clean_reminder_minutes(self):
        return sorted(set(self.cleaned_data["reminder_minutes"]), reverse=True)

    def _clean_rule(self, name: str):
        value = self.cleaned_data.get(name)
        return MeetingType._meta.get_field(name).default if value is None else value

    def clean_buffer_before_minutes(self):
        return self._clean_rule("buffer_before_minutes")

    def clean_buffer_after_minutes(self):
        return self._clean_rule("buffer_after_minutes")

    def clean_min_notice_minutes(self):
        return self._clean_rule("min_notice_minutes")

    def clean_horizon_days(self):
        return self._clean_rule("horizon_days")

    def clean_host_absent_alert_minutes(self):
        return self._clean_rule("host_absent_alert_minutes")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = MeetingType.objects.filter(rep=self.rep, slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError("You already have a Meeting Type with this link.")
        return slug

    def _clean_template(self, field: str) -> str:
        value = self.cleaned_data[field]
        unknown = placeholders.unknown_placeholders(value)
        if unknown:
            names = ", ".join(f"{{{{ {name} }}}}" for name in unknown)
            raise ValidationError(f"Unknown placeholder {names}. See the list below the field.")
        return value

    def clean_invite_title_template(self):
        return self._clean_template("invite_title_template")

    def clean_invite_description_template(self):
        return self._clean_template("invite_description_template")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("location_kind")
        detail = (cleaned.get("location_detail") or "").strip()
        cleaned["location_detail"] = "" if kind == LocationKind.ZOOM else detail
        if kind and kind != LocationKind.ZOOM and not detail:
            self.add_error("location_detail", _DETAIL_REQUIRED[kind])
        elif kind == LocationKind.CUSTOM_LINK:
            try:
                URLValidator(schemes=["https", "http"])(detail)
            except ValidationError:
                self.add_error("location_detail", "Enter a full link starting with https://.")
        elif kind == LocationKind.PHONE and not _PHONE.match(detail):
            self.add_error("location_detail", "Enter a phone number, like +1 415 555 0100.")

        if cleaned.get("zoom_waiting_room") and cleaned.get("zoom_join_before_host"):
            # Zoom ignores join-before-host while the waiting room is on: offering both would
            # promise guests something Zoom does not do.
            self.add_error(
                "zoom_join_before_host",
                "Zoom ignores this while the waiting room is on: guests wait for you anyway. "
                "Turn one of them off.",
            )

        schedule = cleaned.get("schedule")
        if cleaned.get("is_active") and schedule is not None and not schedule.windows.exists():
            self.add_error(
                "schedule",
                f"“{schedule.name}” has no weekly hours yet: add some on the Availability page, "
                "or untick “bookable”.",
            )
        return cleaned


_DETAIL_REQUIRED = {
    LocationKind.PHONE: "Enter the phone number to call.",
    LocationKind.IN_PERSON: "Enter the address where you meet.",
    LocationKind.CUSTOM_LINK: "Enter the meeting link.",
}


_SLOT_RANGE = (datetime(2000, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC))


def parse_slot(value: str) -> datetime | None:
    """A slot value from the booking page (UTC, ISO 8601) as an aware datetime, or None."""
    moment = parse_iso_datetime(value or "", naive_is_utc=False)
    try:
        moment = moment.astimezone(UTC) if moment else None
    except OverflowError:
        # A moment at the calendar's very edge (0001-01-01T00:00+01:00) has no UTC.
        return None
    # Far from any bookable time, and near the calendar's ends showing it in a zone overflows.
    if moment is None or not _SLOT_RANGE[0] <= moment <= _SLOT_RANGE[1]:
        return None
    return moment


class TimeZoneField(forms.CharField):
    default_validators = [validate_time_zone]


class SlotField(forms.CharField):
    widget = forms.HiddenInput

    def to_python(self, value):
        moment = parse_slot(super().to_python(value))
        if moment is None and value:
            raise ValidationError(_("That time could not be read. Please pick a time again."))
        return moment


class BookingForm(forms.Form):
    """The guest's details for a picked time: name, email, the Meeting Type's own questions (in
    their order, between the email and the other guests), and up to ten other guests."""

    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    additional_guests = forms.CharField(
        label=_("Other guests (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    start = SlotField(error_messages={"required": _("Please pick a time first.")})
    time_zone = TimeZoneField(widget=forms.HiddenInput)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        guests = self.fields.pop("additional_guests")
        guests.help_text = gettext(
            "Up to %(count)s email addresses, separated by commas or new lines. "
            "They get the invite and the join link too."
        ) % {"count": MAX_ADDITIONAL_GUESTS}
        for question in self.questions:
            self.fields[question.field_name] = question.form_field()
        self.fields["additional_guests"] = guests

    @property
    def visible_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if not field.widget.is_hidden]

    @property
    def answers(self) -> list[dict]:
        return answers_from(self.questions, self.cleaned_data)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Please enter your name."))
        if _has_control_characters(name):
            raise ValidationError(_("Please enter your name without special characters."))
        return name

    def clean_email(self):
        # Django accepts a quoted local part with control characters ("\x01"@example.com), which
        # mail servers refuse: every invite of the booking would then fail.
        email = self.cleaned_data["email"]
        if _has_control_characters(email):
            raise ValidationError(_("Enter a valid email address."))
        return email

    def clean_additional_guests(self) -> list[str]:
        """The other guests' addresses, each once, without the guest's own."""
        own = (self.cleaned_data.get("email") or "").lower()
        guests: list[str] = []
        for part in _GUEST_SEPARATORS.split(self.cleaned_data["additional_guests"]):
            address = part.strip()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("“%(address)s” is not an email address.") % {"address": address[:100]}
                ) from None
            if _has_control_characters(address):
                raise ValidationError(_("Enter a valid email address."))
            if address.lower() != own and address.lower() not in map(str.lower, guests):
                guests.append(address)
        if len(guests) > MAX_ADDITIONAL_GUESTS:
            raise ValidationError(
                _("Invite at most %(count)s other guests.") % {"count": MAX_ADDITIONAL_GUESTS}
            )
        return guests


_GUEST_SEPARATORS = re.compile(r"[,;\s]+")


def _has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)


class RescheduleForm(forms.Form):
    """Picking a slot shows the change (old → new); only `confirm` makes it."""

    start = SlotField(error_messages={"required": "Please pick a new time."})

    @property
    def confirmed(self) -> bool:
        return "confirm" in self.data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, tell: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = gettext("Goes to %(name)s in the cancellation email.") % {
            "name": tell
        }


class TimeZonePickForm(forms.Form):
    """The time zone picker of pages that show times: a GET form, applied at once by
    static/js/time_zone_picker.js, else by its button."""

    tz = TimeZoneChoiceField(label=_("Your time zone"))

    def __init__(self, current: str):
        super().__init__(initial={"tz": current})
        self.fields["tz"].keep(current)
