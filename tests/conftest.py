import pytest

from tests.factories import RepFactory

pytest_plugins = [
    "tests.fixtures.browser",
    "tests.fixtures.celery_worker",
    "tests.fixtures.sandbox",
    "tests.fixtures.zoom",
]

PASSWORD = RepFactory.PASSWORD


@pytest.fixture
def rep(db):
    return RepFactory()


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep)
    return client
