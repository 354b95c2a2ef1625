import factory

from integrations.zoom.connection.models import ZoomConnection
from meetings.meeting_types import Distribution
from teams.models import MeetingTypeMember, Team, TeamMember
from tests.factories import RepFactory
from tests.integrations.factories import ZoomConnectionFactory
from tests.meetings.factories import MeetingTypeFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Sales team {n}")
    slug = factory.Sequence(lambda n: f"sales-{n}")


def team_type(
    team=None,
    reps=None,
    *,
    size=3,
    distribution=Distribution.ROUND_ROBIN,
    zoom_connected=True,
    **fields,
):
    """A team Meeting Type (Zoom, every day 09:00–17:00 in each member's zone unless `hours`
    says otherwise) whose members are `reps` ([rep] or [(rep, priority, weight)]), else `size`
    new reps, all in the team. Members of a Zoom type get a working Zoom connection unless
    `zoom_connected` is False (or they have one)."""
    team = team or TeamFactory()
    meeting_type = MeetingTypeFactory(rep=None, team=team, distribution=distribution, **fields)
    for entry in reps if reps is not None else RepFactory.create_batch(size):
        rep, priority, weight = entry if isinstance(entry, tuple) else (entry, 2, 100)
        add_member(meeting_type, rep, priority=priority, weight=weight)
        if meeting_type.is_zoom and zoom_connected:
            zoom_ready(rep)
    return meeting_type


def zoom_ready(rep):
    """The rep's Zoom connection works (a row as the consent screen leaves it; no Zoom call)."""
    if not ZoomConnection.objects.filter(user=rep).exists():
        ZoomConnectionFactory(user=rep)
    return rep


def add_member(meeting_type, rep, *, priority=2, weight=100) -> MeetingTypeMember:
    member, _ = TeamMember.objects.get_or_create(team=meeting_type.team, rep=rep)
    return MeetingTypeMember.objects.create(
        meeting_type=meeting_type, member=member, priority=priority, weight=weight
    )


def member_reps(meeting_type):
    return [m.member.rep for m in meeting_type.members.select_related("member__rep")]
