# Availability schedules, step 2 of 3: each Meeting Type's weekly hours and date overrides become a
# schedule of their own, named after the type (its owner's: the rep's, or the team's), which the
# type uses. A rep's first schedule is their default. Nothing is shared yet: the rep decides that.

from django.db import migrations


def _free_name(taken: set, name: str) -> str:
    candidate, number = name[:80], 2
    while candidate in taken:
        suffix = f" ({number})"
        candidate, number = name[: 80 - len(suffix)] + suffix, number + 1
    taken.add(candidate)
    return candidate


def forwards(apps, schema_editor):
    MeetingType = apps.get_model("meetings", "MeetingType")
    Schedule = apps.get_model("meetings", "AvailabilitySchedule")
    Window = apps.get_model("meetings", "AvailabilityWindow")
    Override = apps.get_model("meetings", "DateOverride")
    names: dict = {}
    has_default: set = set()
    for meeting_type in MeetingType.objects.order_by("pk").iterator():
        owner = ("rep", meeting_type.rep_id) if meeting_type.rep_id else ("team", meeting_type.team_id)
        schedule = Schedule.objects.create(
            rep_id=meeting_type.rep_id,
            team_id=None if meeting_type.rep_id else meeting_type.team_id,
            name=_free_name(names.setdefault(owner, set()), f"{meeting_type.name} hours"),
            is_default=bool(meeting_type.rep_id) and meeting_type.rep_id not in has_default,
        )
        if meeting_type.rep_id:
            has_default.add(meeting_type.rep_id)
        Window.objects.filter(meeting_type_id=meeting_type.pk).update(schedule=schedule)
        Override.objects.filter(meeting_type_id=meeting_type.pk).update(schedule=schedule)
        MeetingType.objects.filter(pk=meeting_type.pk).update(schedule=schedule)


def backwards(apps, schema_editor):
    MeetingType = apps.get_model("meetings", "MeetingType")
    Window = apps.get_model("meetings", "AvailabilityWindow")
    Override = apps.get_model("meetings", "DateOverride")
    # Back to one set of hours per type: the first type of each schedule keeps its rows.
    for meeting_type in MeetingType.objects.exclude(schedule=None).order_by("pk"):
        Window.objects.filter(schedule_id=meeting_type.schedule_id, meeting_type=None).update(
            meeting_type=meeting_type
        )
        Override.objects.filter(schedule_id=meeting_type.schedule_id, meeting_type=None).update(
            meeting_type=meeting_type
        )


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0014_availability_schedules'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
