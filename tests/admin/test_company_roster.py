"""The roster says, for each rep, which connection makes their Zoom meetings."""

import pytest

from tests.factories import RepFactory
from tests.integrations.company_steps import connected_company
from tests.integrations.steps import connect_rep

from .conftest import ROSTER_URL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_inline(tasks_run_inline):
    """The reps are matched by a task after the connect commits: inline here."""


def test_the_roster_shows_which_connection_serves_each_rep(sandbox, superuser_client):
    ann = RepFactory(email="ann@corp.example")
    RepFactory(email="bob@corp.example")
    RepFactory(email="outsider@corp.example")
    company = connected_company(sandbox, "ann@corp.example", "bob@corp.example")
    connect_rep(sandbox, "ann@corp.example", rep=ann, account_id=company.zoom_account_id)

    page = superuser_client.get(ROSTER_URL).content.decode()

    assert "Own Zoom connection (ann@corp.example)" in page
    assert "Company Zoom account (as bob@corp.example)" in page
    assert "None — company Zoom account: no zoom user with this email" in page.lower() or (
        "no zoom user with this email in the company" in page.lower()
    )
