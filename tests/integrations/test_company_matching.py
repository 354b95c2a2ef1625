"""Matching reps to the company's Zoom users, one rep at a time: a rep whose lookup fails (a
pending invitation, a 429, a Zoom user another rep holds, an unverified address) gets that result
and reason, and every other rep is still matched. Against the sandbox over real HTTP."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.test import TestCase

from integrations.zoom.company import services as company_services
from integrations.zoom.company.models import ZoomCompanyMember
from tests.factories import RepFactory
from tests.meetings.factories import MeetingTypeFactory

from .company_steps import company_account, connect_company, connected_company

pytestmark = pytest.mark.django_db

State = ZoomCompanyMember.State


@pytest.fixture(autouse=True)
def _tasks_inline(tasks_run_inline):
    """The reps are matched by a task after the commit: inline here."""


def states() -> dict[str, str]:
    return {m.rep.email: m.state for m in ZoomCompanyMember.objects.select_related("rep")}


def test_a_pending_invitation_is_told_and_the_reps_after_it_are_matched(sandbox):
    admin = company_account(sandbox)
    # First in the run (reps go by email): Zoom answers 1120 for an invitation not accepted.
    RepFactory(email="aaron@corp.example")
    sandbox.create_user("aaron@corp.example", account_id=admin["account_id"], status="pending")
    RepFactory(email="zoe@corp.example")
    sandbox.create_user("zoe@corp.example", account_id=admin["account_id"])

    connect_company(sandbox)

    assert states() == {
        "aaron@corp.example": State.INVITATION_PENDING,
        "zoe@corp.example": State.SERVED,
    }
    assert "invitation is pending" in State.INVITATION_PENDING.label


def test_a_429_for_one_rep_leaves_that_rep_to_try_again_and_matches_the_others(sandbox):
    admin = company_account(sandbox)
    for email in ("aaron@corp.example", "zoe@corp.example"):
        RepFactory(email=email)
        sandbox.create_user(email, account_id=admin["account_id"])
    sandbox.fail_next("/users/aaron@corp.example", status=429, count=5)

    connect_company(sandbox)

    assert states() == {
        "aaron@corp.example": State.LOOKUP_FAILED,
        "zoe@corp.example": State.SERVED,
    }
    sandbox.clear_failures()
    with TestCase.captureOnCommitCallbacks(execute=True):
        company_services.schedule_matching()
    assert states()["aaron@corp.example"] == State.SERVED


def test_an_unverified_sign_up_cannot_claim_a_zoom_user_nor_stop_the_run(sandbox):
    """Someone signs up with the address of a Zoom user an admin mapped to another rep by hand:
    without confirming it, that address claims nothing, and matching goes on for everyone."""
    squatter = RepFactory(email="robert@corp.example")
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False, primary=True)
    bob = RepFactory(email="bob@corp.example")
    company = connected_company(sandbox, "robert@corp.example", "zoe@corp.example")
    RepFactory(email="zoe@corp.example")
    company_services.map_rep_by_hand(company, bob, "robert@corp.example")

    counts = company_services.match_reps(company)

    assert states() == {
        "robert@corp.example": State.EMAIL_UNVERIFIED,
        "bob@corp.example": State.SERVED,
        "zoe@corp.example": State.SERVED,
    }
    assert counts[State.SERVED] == 2


def test_a_rep_is_matched_as_soon_as_their_email_is_confirmed(sandbox):
    rep = RepFactory(email="ann@corp.example")
    address = EmailAddress.objects.create(user=rep, email=rep.email, verified=False, primary=True)
    connected_company(sandbox, "ann@corp.example")
    assert states() == {"ann@corp.example": State.EMAIL_UNVERIFIED}

    address.verified = True
    address.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    assert states() == {"ann@corp.example": State.SERVED}


def test_two_reps_found_holding_one_zoom_user_each_get_a_result(sandbox):
    admin = company_account(sandbox)
    sandbox.create_user("ann@corp.example", account_id=admin["account_id"])
    ann = RepFactory(email="ann@corp.example")
    bob = RepFactory(email="bob@corp.example")
    connect_company(sandbox)
    # An admin had mapped bob to ann's Zoom user before ann's own address matched it.
    ZoomCompanyMember.objects.filter(rep=ann).delete()
    ZoomCompanyMember.objects.filter(rep=bob).update(mapped_by_hand_to="ann@corp.example")
    company = company_services.company_account()
    company_services.match_rep(company, bob)

    company_services.match_reps(company)

    assert states() == {"ann@corp.example": State.ZOOM_USER_TAKEN, "bob@corp.example": State.SERVED}


def test_staff_who_take_meetings_are_reps_of_the_company_account(sandbox):
    staff = RepFactory(email="lead@corp.example", is_staff=True)
    MeetingTypeFactory(rep=staff)
    RepFactory(email="admin-only@corp.example", is_staff=True)

    connected_company(sandbox, "lead@corp.example")

    assert states() == {"lead@corp.example": State.SERVED}


def test_a_rep_whose_email_an_admin_changes_is_matched_again(sandbox):
    rep = RepFactory(email="bob@corp.example")
    connected_company(sandbox, "robert@corp.example")
    assert states() == {"bob@corp.example": State.NO_ZOOM_USER}

    rep.email = "robert@corp.example"
    with TestCase.captureOnCommitCallbacks(execute=True):
        rep.save()

    assert states() == {"robert@corp.example": State.SERVED}
