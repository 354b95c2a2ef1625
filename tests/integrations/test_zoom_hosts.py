"""Who makes a rep's meetings, for one rep or many at once: both answer the same."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.zoom.connection.hosts import (
    with_zoom_state,
    zoom_host_for,
    zoom_hosts_for,
    zoom_hosts_of,
)
from integrations.zoom.connection.models import ZoomConnection
from tests.factories import RepFactory
from tests.integrations.company_steps import connected_company, zoom_admin
from tests.integrations.factories import ZoomConnectionFactory

pytestmark = pytest.mark.django_db


def test_many_reps_at_once_get_the_host_each_would_get_alone(sandbox, tasks_run_inline):
    reps = {
        "own": RepFactory(),
        "own broken": RepFactory(),
        "own disconnected, company serves": RepFactory(email="ann@corp.example"),
        "own broken, company serves": RepFactory(email="bob@corp.example"),
        "company has no user": RepFactory(email="nobody@corp.example"),
        "nothing": RepFactory(email="nothing@elsewhere.example"),
    }
    zoom_admin()
    connected_company(sandbox, "ann@corp.example", "bob@corp.example")
    ZoomConnectionFactory(user=reps["own"])
    ZoomConnectionFactory(user=reps["own broken"], status=ZoomConnection.Status.NEEDS_RECONNECT)
    ZoomConnectionFactory(
        user=reps["own disconnected, company serves"],
        status=ZoomConnection.Status.DISCONNECTED,
        zoom_user_id="",
    )
    ZoomConnectionFactory(
        user=reps["own broken, company serves"], status=ZoomConnection.Status.NEEDS_RECONNECT
    )

    ids = [rep.pk for rep in reps.values()]
    with CaptureQueriesContext(connection) as queries:
        found = zoom_hosts_for(ids)
    assert len(queries) == 2
    for name, rep in reps.items():
        alone = zoom_host_for(rep, with_tokens=False)
        together = found[rep.pk].host
        assert (alone and (alone.chain_name, alone.zoom_user_id, alone.is_usable)) == (
            together and (together.chain_name, together.zoom_user_id, together.is_usable)
        ), name
    # Read with the reps themselves (a team's members with their lock): the same, no more query.
    with CaptureQueriesContext(connection) as queries:
        read_with = zoom_hosts_of(with_zoom_state(get_user_model().objects.filter(pk__in=ids)))
    assert len(queries) == 1
    for name, rep in reps.items():
        host, with_rep = found[rep.pk].host, read_with[rep.pk].host
        assert (host and (host.chain_name, host.zoom_user_id, host.is_usable)) == (
            with_rep and (with_rep.chain_name, with_rep.zoom_user_id, with_rep.is_usable)
        ), name
        assert found[rep.pk].member == read_with[rep.pk].member, name
    assert found[reps["own broken, company serves"].pk].host.chain_name == "company"
    assert found[reps["company has no user"].pk].host is None
    assert not found[reps["company has no user"].pk].member.is_served
    assert found[reps["nothing"].pk].host is None
