"""Invites wait on their own queue, so a backlog of invites never delays a Zoom create."""

import json

import pytest
import redis
from django.conf import settings

from config.celery import app as celery_app
from meetings import signals
from tests.fixtures.celery_worker import purge_broker
from tests.meetings.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker():
    purge_broker()
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield redis.Redis.from_url(settings.CELERY_BROKER_URL)
    celery_app.conf.task_always_eager = old
    purge_broker()


def queued_tasks(broker, queue: str) -> list[str]:
    return [json.loads(m)["headers"]["task"] for m in broker.lrange(queue, 0, -1)]


def test_invites_and_zoom_work_are_published_to_separate_queues(
    broker, django_capture_on_commit_callbacks
):
    booking = BookingFactory()

    with django_capture_on_commit_callbacks(execute=True):
        signals.zoom_work_after_commit(booking.pk)
        signals.invites_after_commit(booking.pk)

    assert queued_tasks(broker, settings.CELERY_TASK_DEFAULT_QUEUE) == [
        "meetings.tasks.sync_zoom_meeting"
    ]
    assert queued_tasks(broker, settings.MEETINGS_INVITES_QUEUE) == [
        "meetings.tasks.send_booking_invites"
    ]


def test_a_worker_started_without_queues_consumes_both():
    names = {queue.name for queue in celery_app.amqp.queues.values()}
    assert {settings.CELERY_TASK_DEFAULT_QUEUE, settings.MEETINGS_INVITES_QUEUE} <= names


def test_the_outcome_emails_go_on_the_invites_queue_too(broker):
    from config.celery import publish
    from outcomes.tasks import alert_host_absent, check_outcome, send_no_show_email

    publish(alert_host_absent, 1)
    publish(send_no_show_email, 1)
    publish(check_outcome, 1)
    assert sorted(queued_tasks(broker, settings.MEETINGS_INVITES_QUEUE)) == [
        "outcomes.tasks.alert_host_absent",
        "outcomes.tasks.send_no_show_email",
    ]
    assert queued_tasks(broker, settings.CELERY_TASK_DEFAULT_QUEUE) == [
        "outcomes.tasks.check_outcome"
    ]
