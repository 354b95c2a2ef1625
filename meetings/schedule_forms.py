"""The schedule page's forms: its name, and its weekly hours as rows of time inputs, several per
day (09:00–12:00 and 13:00–17:00). Each weekday shows its rows and one blank row; "Add hours"
(static/js/formset_rows.js) copies a blank row for that day. A row left empty is no hours; a day
without rows is a day off. The date overrides are meetings.override_forms."""

from datetime import time

from django import forms
from django.core.exceptions import ValidationError

from .availability import Window
from .row_formsets import row_formset
from .schedules import AvailabilitySchedule, AvailabilityWindow

PREFIX = "hours"
Weekday = AvailabilityWindow.Weekday
# Far more than anyone keeps; a bound keeps a forged form from making the server build thousands.
MAX_ROWS = 7 * 12
# A time input cannot say 24:00: an end of 00:00 after a start means the end of the day.
END_OF_DAY = time(23, 59)


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = AvailabilitySchedule
        fields = ["name", "is_default"]
        labels = {"name": "Name"}
        help_texts = {
            "name": "For you, e.g. “Working hours” or “Evenings”.",
            "is_default": "New Meeting Types start with it, and team Meeting Types book you "
            "only within its hours and days off.",
        }

    def __init__(self, *args, rep, **kwargs):
        super().__init__(*args, **kwargs)
        self.rep = rep

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = AvailabilitySchedule.objects.filter(rep=self.rep, name=name).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise ValidationError("You have a schedule with this name already.")
        return name


def _time_input(label: str, example: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": f"Enter a time like {example}."},
    )


class HoursRowForm(forms.Form):
    weekday = forms.TypedChoiceField(coerce=int, choices=Weekday.choices, widget=forms.HiddenInput)
    start = _time_input("From", "09:00")
    end = _time_input("To", "17:00")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        if start is None and end is None:
            return cleaned  # an empty row: no hours
        if start is None:
            self.add_error("start", "Enter when these hours start.")
        elif end is None:
            self.add_error("end", "Enter when these hours end.")
        else:
            if end == time(0) and start > time(0):
                cleaned["end"] = end = END_OF_DAY
            if end <= start:
                self.add_error("end", "The end must come after the start.")
        return cleaned

    @property
    def window(self) -> Window | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("start") is None or data.get("end") is None or self.errors:
            return None
        return Window(data["weekday"], data["start"], data["end"])


class BaseHoursFormSet(forms.BaseFormSet):
    def _construct_form(self, i, **kwargs):
        # Every row is read as typed, even one that matches its initial hours: an empty row
        # means no hours (HoursRowForm.clean), not "unchanged".
        return super()._construct_form(i, empty_permitted=False, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove these hours"

    def _kept(self) -> list[HoursRowForm]:
        return [form for form in self.forms if not self._should_delete_form(form)]

    def clean(self):
        if any(form.errors for form in self._kept()):
            return
        by_day: dict[int, list[HoursRowForm]] = {}
        for form in self._kept():
            if form.window is not None:
                by_day.setdefault(form.window.weekday, []).append(form)
        for weekday, day_forms in by_day.items():
            day_forms.sort(key=lambda f: f.window.start)
            for earlier, later in zip(day_forms, day_forms[1:], strict=False):
                if later.window.start < earlier.window.end:
                    later.add_error(
                        "start", f"These hours overlap other hours on {Weekday(weekday).label}."
                    )

    @property
    def windows(self) -> list[Window]:
        """The kept rows' hours, by weekday and start."""
        found = [form.window for form in self._kept() if form.window is not None]
        return sorted(found, key=lambda w: (w.weekday, w.start))

    def days(self) -> list[tuple[int, str, list[HoursRowForm]]]:
        """(weekday, name, its rows) Monday to Sunday, for the page."""
        rows: dict[int, list[HoursRowForm]] = {day: [] for day in Weekday.values}
        for form in self.forms:
            value = form["weekday"].value()
            try:
                rows[int(value)].append(form)
            except (TypeError, ValueError, KeyError):
                continue  # a forged row with no weekday: validation reports it
        return [(day, Weekday(day).label, rows[day]) for day in Weekday.values]


HoursFormSet = row_formset(HoursRowForm, BaseHoursFormSet, extra=0, max_rows=MAX_ROWS)


def hours_formset(data, windows: list[Window]) -> BaseHoursFormSet:
    """Rows of the weekly hours `windows`, then one blank row per weekday, bound to `data` when
    given."""
    initial = []
    for day in Weekday.values:
        initial.extend(
            {"weekday": day, "start": w.start, "end": w.end} for w in windows if w.weekday == day
        )
        initial.append({"weekday": day})
    return HoursFormSet(data, initial=initial, prefix=PREFIX)
