from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from .models import User, booking_slug_is_taken, validate_time_zone
from .time_zones import time_zone_choices


class TimeZoneSelect(forms.Select):
    """A select of current zones with their offsets; static/js/time_zone_picker.js adds a
    type-to-search field and, with data-detect, preselects the browser's own zone."""

    template_name = "accounts/time_zone_select.html"

    def __init__(self, *, detect: bool = False, attrs=None):
        attrs = {**(attrs or {}), "data-time-zone-select": ""}
        if detect:
            attrs["data-detect"] = ""
        super().__init__(attrs=attrs)


class TimeZoneChoiceField(forms.ChoiceField):
    def __init__(self, *, detect: bool = False, **kwargs):
        kwargs.setdefault("label", "Time zone")
        super().__init__(choices=time_zone_choices, widget=TimeZoneSelect(detect=detect), **kwargs)

    def valid_value(self, value):
        # Any real zone is accepted (an alias saved earlier, a browser's own name); the list
        # only decides what is offered.
        try:
            validate_time_zone(value)
        except ValidationError:
            return False
        return True

    def keep(self, current: str) -> None:
        self.choices = time_zone_choices(current)


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up adds to email and password (ACCOUNT_SIGNUP_FORM_CLASS)."""

    name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="Prospects see it on your booking pages and invites.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    time_zone = TimeZoneChoiceField(
        detect=True,
        initial="UTC",
        help_text="Your working hours are in this zone. We picked your browser's.",
    )

    def signup(self, request, user):
        user.first_name = " ".join(self.cleaned_data["name"].split())
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["first_name", "time_zone"])


class ProfileForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    time_zone = TimeZoneChoiceField(
        help_text="Your working hours and every time on your pages are in this zone."
    )
    booking_slug = forms.SlugField(
        label="Booking handle",
        max_length=60,
        help_text="Your part of booking links: /book/<handle>/…. "
        "Links with your old handle keep working.",
    )

    def __init__(self, *args, rep: User, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": rep.get_full_name(),
                "time_zone": rep.time_zone,
                "booking_slug": rep.booking_slug,
            },
        )
        super().__init__(*args, **kwargs)
        self.rep = rep
        self.fields["time_zone"].keep(rep.time_zone)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Please enter your name.")
        return name

    def clean_booking_slug(self):
        slug = slugify(self.cleaned_data["booking_slug"])
        if booking_slug_is_taken(slug, by_other_than=self.rep):
            raise ValidationError("This handle is taken. Please choose another one.")
        return slug
