import zoneinfo
from datetime import UTC, datetime, time, timedelta

import factory
from django.utils import timezone

from meetings.meeting_types import LocationKind, MeetingType
from meetings.models import Booking
from meetings.schedules import AvailabilitySchedule, AvailabilityWindow
from meetings.zoom.state import LinkState, ZoomChain
from tests.factories import RepFactory
from tests.fixtures.zoom import ZOOM_EMAIL  # noqa: F401 - the Zoom user `zoom_rep` connects


class MeetingTypeFactory(factory.django.DjangoModelFactory):
    """A Zoom Meeting Type bookable every day 09:00–17:00 in the rep's zone, by a schedule of its
    own (pass `hours=[(weekday, start, end), …]` for other hours, or `schedule=` to share one)."""

    class Meta:
        model = MeetingType
        skip_postgeneration_save = True

    rep = factory.SubFactory(RepFactory)
    name = factory.Sequence(lambda n: f"Intro call {n}")
    slug = factory.Sequence(lambda n: f"intro-{n}")
    duration_minutes = 30
    location_kind = LocationKind.ZOOM

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):
        if not create or (obj.schedule_id is not None and extracted is None):
            return
        windows = (
            extracted if extracted is not None else [(day, time(9), time(17)) for day in range(7)]
        )
        if obj.schedule_id is None:
            obj.schedule = ScheduleFactory(rep=obj.rep, team=obj.team, name=f"{obj.name} hours")
            obj.save(update_fields=["schedule"])
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(schedule=obj.schedule, weekday=d, start_time=s, end_time=e)
            for d, s, e in windows
        )


class ScheduleFactory(factory.django.DjangoModelFactory):
    """An availability schedule with no hours (a rep's; pass `team=` and `rep=None` for a
    team's)."""

    class Meta:
        model = AvailabilitySchedule

    rep = factory.SubFactory(RepFactory)
    team = None
    name = factory.Sequence(lambda n: f"Hours {n}")


def next_slot(days: int = 2, hour: int = 10, tz: str = "America/New_York"):
    """A wall-clock start `days` from today in `tz`, as an aware datetime (inside 09–17)."""
    day = timezone.now().astimezone(zoneinfo.ZoneInfo(tz)).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=zoneinfo.ZoneInfo(tz)).astimezone(UTC)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    meeting_type = factory.SubFactory(MeetingTypeFactory)
    rep = factory.SelfAttribute("meeting_type.rep")
    guest_name = factory.Sequence(lambda n: f"Prospect {n}")
    guest_email = factory.Sequence(lambda n: f"prospect{n}@example.org")
    guest_time_zone = "Europe/Berlin"
    start_at = factory.LazyFunction(next_slot)
    end_at = factory.LazyAttribute(
        lambda o: o.start_at + timedelta(minutes=o.meeting_type.duration_minutes)
    )
    location_kind = factory.SelfAttribute("meeting_type.location_kind")
    location_detail = factory.SelfAttribute("meeting_type.location_detail")
    link_state = factory.LazyAttribute(
        lambda o: (
            LinkState.PENDING if o.location_kind == LocationKind.ZOOM else LinkState.NOT_NEEDED
        )
    )
    # A meeting given to the factory was made by the rep's own connection unless a test says.
    zoom_chain = factory.LazyAttribute(
        lambda o: ZoomChain.PERSONAL if getattr(o, "zoom_meeting_id", "") else ""
    )
