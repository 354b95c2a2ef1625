"""Which outcome the evidence shows (outcomes/rules.py): every case of the table."""

import pytest

from outcomes.rules import Evidence, Outcome, decide


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (Evidence(host_joined=True, others_joined=1, meeting_started=True), Outcome.HELD),
        (Evidence(host_joined=True, others_joined=3), Outcome.HELD),
        (Evidence(host_joined=True, meeting_started=True), Outcome.GUEST_NO_SHOW),
        # The guest sat in the waiting room and was never admitted: nobody's no-show.
        (Evidence(host_joined=True, guest_waited=True), Outcome.UNKNOWN),
        (Evidence(guest_waited=True), Outcome.HOST_NO_SHOW),
        # Joined before the host, who never came.
        (Evidence(others_joined=1, meeting_started=True), Outcome.HOST_NO_SHOW),
        # Zoom says it never ran: the host never started it, whoever else came.
        (Evidence(meeting_started=False), Outcome.HOST_NO_SHOW),
        # It ran with one unnamed person: the host, unless the guest could start it.
        (Evidence(meeting_started=True, lone_participant=True), Outcome.GUEST_NO_SHOW),
        (
            Evidence(meeting_started=True, lone_participant=True, guest_may_start=True),
            Outcome.UNKNOWN,
        ),
        # Nothing heard at all (events lost, no participant list): unknown, never a guess.
        (Evidence(), Outcome.UNKNOWN),
        (Evidence(meeting_started=True), Outcome.UNKNOWN),
    ],
)
def test_the_evidence_decides_the_outcome(evidence, expected):
    assert decide(evidence) == expected
