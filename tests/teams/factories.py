import factory

from meetings.models import Distribution
from teams.models import MeetingTypeMember, Team, TeamMember
from tests.factories import RepFactory
from tests.meetings.factories import MeetingTypeFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Sales team {n}")
    slug = factory.Sequence(lambda n: f"sales-{n}")


def team_type(team=None, reps=None, *, size=3, distribution=Distribution.ROUND_ROBIN, **fields):
    """A team Meeting Type (Zoom, every day 09:00–17:00 in each member's zone unless `hours`
    says otherwise) whose members are `reps` ([rep] or [(rep, priority, weight)]), else `size`
    new reps, all in the team."""
    team = team or TeamFactory()
    meeting_type = MeetingTypeFactory(rep=None, team=team, distribution=distribution, **fields)
    for entry in reps if reps is not None else RepFactory.create_batch(size):
        rep, priority, weight = entry if isinstance(entry, tuple) else (entry, 2, 100)
        add_member(meeting_type, rep, priority=priority, weight=weight)
    return meeting_type


def add_member(meeting_type, rep, *, priority=2, weight=100) -> MeetingTypeMember:
    member, _ = TeamMember.objects.get_or_create(team=meeting_type.team, rep=rep)
    return MeetingTypeMember.objects.create(
        meeting_type=meeting_type, member=member, priority=priority, weight=weight
    )


def member_reps(meeting_type):
    return [m.member.rep for m in meeting_type.members.select_related("member__rep")]
