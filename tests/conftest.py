import pytest
from django.test import Client

from tests.factories import RepFactory

pytest_plugins = [
    "tests.fixtures.browser",
    "tests.fixtures.celery_worker",
    "tests.fixtures.logs",
    "tests.fixtures.migrations",
    "tests.fixtures.sandbox",
    "tests.fixtures.zoom",
]

PASSWORD = RepFactory.PASSWORD


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and Zoom quota counts never leak from one test into the next."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def rep(db):
    return RepFactory()


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep)
    return client


@pytest.fixture
def superuser_client(db):
    """A superuser signed in (as `client.staff`)."""
    client = Client()
    client.staff = RepFactory(is_staff=True, is_superuser=True)
    client.force_login(client.staff)
    return client
