"""Form data of the schedule page (name, weekly hours rows, date override rows)."""

NEW_SCHEDULE = "/availability/new/"


def hours_rows(*rows, initial: int = 0) -> dict:
    """The weekly hours formset's fields for rows of (weekday, start, end)."""
    data = {"hours-TOTAL_FORMS": str(len(rows)), "hours-INITIAL_FORMS": str(initial)}
    for index, (weekday, start, end) in enumerate(rows):
        data |= {
            f"hours-{index}-weekday": str(weekday),
            f"hours-{index}-start": start,
            f"hours-{index}-end": end,
        }
    return data


def override_rows(*rows, initial: int = 0) -> dict:
    """The date override formset's fields for rows of (date, "off" | "hours", start, end)."""
    data = {
        "overrides-TOTAL_FORMS": str(len(rows)),
        "overrides-INITIAL_FORMS": str(initial),
    }
    for index, (day, kind, start, end) in enumerate(rows):
        data |= {
            f"overrides-{index}-date": day,
            f"overrides-{index}-kind": kind,
            f"overrides-{index}-start": start,
            f"overrides-{index}-end": end,
        }
    return data


def schedule_data(*hours, name="Working hours", overrides=None, **fields) -> dict:
    """A schedule named `name` with `hours` rows (Monday and Tuesday 09:00–17:00 by default)."""
    rows = hours or ((0, "09:00", "17:00"), (1, "09:00", "17:00"))
    data = {"name": name, **hours_rows(*rows), **(overrides or override_rows())}
    data.update(fields)
    return data
