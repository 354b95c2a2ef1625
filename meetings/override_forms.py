"""A schedule's date overrides: one row per date (a calendar picker), either a day off or hours
that replace the weekly hours that day. A date may have several rows of hours (10:00–12:00 and
14:00–16:00); each row is one DateOverride. Rows are added and removed by
static/js/formset_rows.js, and without scripts by a blank row and a "Remove" box per row (a
Django formset)."""

from datetime import date, time

from django import forms

from .row_formsets import row_formset, rows_shown

PREFIX = "overrides"
# Far more than anyone keeps; a bound keeps a forged form from making the server build thousands.
MAX_ROWS = 200


class DateOverrideForm(forms.Form):
    OFF = "off"
    HOURS = "hours"

    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Pick the date.", "invalid": "Enter a date like 2026-12-25."},
    )
    kind = forms.ChoiceField(
        label="That day",
        choices=[(OFF, "Unavailable all day"), (HOURS, "Available these hours")],
        initial=OFF,
        widget=forms.RadioSelect,
    )
    start = forms.TimeField(
        label="From",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time like 09:00."},
    )
    end = forms.TimeField(
        label="To",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time like 17:00."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != self.HOURS:
            # A day off has no hours; times typed before choosing "unavailable" are dropped.
            cleaned["start"] = cleaned["end"] = None
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", "Enter when the hours start.")
        if end is None and "end" not in self.errors:
            self.add_error("end", "Enter when the hours end.")
        if start is not None and end is not None and end <= start:
            self.add_error("end", "The end must come after the start.")
        return cleaned

    @property
    def row(self) -> tuple[date, time | None, time | None]:
        return self.cleaned_data["date"], self.cleaned_data["start"], self.cleaned_data["end"]


class BaseDateOverrideFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this date"

    def _kept_forms(self) -> list[DateOverrideForm]:
        # An untouched blank row has no cleaned_data; a row ticked "Remove" is dropped.
        return [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self):
        # Rows being removed may hold anything: only the kept rows must make sense together.
        if any(f.errors for f in self.forms if not self._should_delete_form(f)):
            return
        by_day: dict[date, list[DateOverrideForm]] = {}
        for form in self._kept_forms():
            by_day.setdefault(form.cleaned_data["date"], []).append(form)
        for day, day_forms in by_day.items():
            if len(day_forms) > 1 and any(f.cleaned_data["start"] is None for f in day_forms):
                for form in day_forms[1:]:
                    form.add_error(
                        "date",
                        f"{day:%Y-%m-%d} is on another row too: a day off cannot also have hours. "
                        "Remove one of them.",
                    )
                continue
            day_forms.sort(key=lambda f: f.cleaned_data["start"])
            for earlier, later in zip(day_forms, day_forms[1:], strict=False):
                if later.cleaned_data["start"] < earlier.cleaned_data["end"]:
                    later.add_error("start", f"These hours overlap other hours on {day:%Y-%m-%d}.")

    @property
    def rows(self) -> list[tuple[date, time | None, time | None]]:
        """[(date, start, end)] of the kept rows, no times for a day off."""
        return sorted(
            (form.row for form in self._kept_forms()),
            key=lambda row: (row[0], row[1] or time.min),
        )


DateOverrideFormSet = row_formset(
    DateOverrideForm, BaseDateOverrideFormSet, extra=1, max_rows=MAX_ROWS
)


def override_formset(data, schedule) -> BaseDateOverrideFormSet | None:
    """The rows of `schedule`'s overrides, bound to `data` when given; None when the POST shows
    none (`rows_shown`)."""
    if not rows_shown(data, PREFIX):
        return None
    initial = [
        {
            "date": row.date,
            "kind": DateOverrideForm.OFF if row.start_time is None else DateOverrideForm.HOURS,
            "start": row.start_time,
            "end": row.end_time,
        }
        for row in (schedule.overrides.all() if schedule.pk else ())
    ]
    return DateOverrideFormSet(data, initial=initial, prefix=PREFIX)
