"""LOG_FORMAT=json: one JSON object per line, and a booking's request id and booking id on every
line of its POST and of every task that works on it, in the worker too."""

import io
import json
import logging

import pytest

from config.log_context import LogContextFilter, scope
from config.logging import JsonFormatter
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import wait_until
from tests.meetings.factories import MeetingTypeFactory
from tests.security.booking_steps import book

REQUEST_ID = "req-4f1c2b9e7a"


@pytest.fixture
def json_log():
    """What the app logs in this process, as LOG_FORMAT=json writes it (a list of dicts)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(LogContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_a_json_line_carries_the_context_and_the_traceback(json_log):
    logger = logging.getLogger("tests.json")
    with scope(request_id=REQUEST_ID, booking_id=7):
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("Something failed for %s", "a guest")
    (line,) = json_log()
    assert line["message"] == "Something failed for a guest"
    assert (line["request_id"], line["booking_id"]) == (REQUEST_ID, "7")
    assert line["level"] == "ERROR" and line["logger"] == "tests.json"
    assert "ValueError: boom" in line["exception"]
    assert line["time"].endswith("+00:00")


def test_a_request_gets_an_id_and_a_forged_one_is_not_taken(client, db):
    first = client.get("/healthz/live")["X-Request-ID"]
    assert len(first) == 32 and first != client.get("/healthz/live")["X-Request-ID"]
    assert client.get("/healthz/live", HTTP_X_REQUEST_ID=REQUEST_ID)["X-Request-ID"] == REQUEST_ID
    forged = client.get("/healthz/live", HTTP_X_REQUEST_ID="bad\nid {injected}")
    assert forged["X-Request-ID"] != "bad\nid {injected}"


@pytest.mark.celery_worker
def test_the_ids_follow_a_booking_from_its_post_through_its_tasks(
    client, json_log, celery_workers, sandbox, connect_zoom
):
    (worker,) = celery_workers(concurrency=2, LOG_FORMAT="json")
    meeting_type = MeetingTypeFactory(rep=connect_zoom(zoom_email="traced@example.com").user)

    assert book(client, meeting_type, 0, HTTP_X_REQUEST_ID=REQUEST_ID).status_code == 302

    booking = Booking.objects.get()
    wait_until(
        lambda: Booking.objects.filter(
            pk=booking.pk, link_state=LinkState.READY, invites_sent_sequence__isnull=False
        ).exists(),
        timeout=60,
        message="the link and the invites",
    )
    web = [line for line in json_log() if line.get("booking_id") == str(booking.pk)]
    assert web and {line["request_id"] for line in web} == {REQUEST_ID}

    def task_lines():
        lines = [json.loads(text) for text in worker.output if text.startswith("{")]
        return [line for line in lines if line.get("booking_id") == str(booking.pk)]

    def both_tasks_logged():
        messages = " ".join(line["message"] for line in task_lines())
        return all(
            f"Task {name}[" in messages
            for name in ("meetings.tasks.sync_zoom_meeting", "meetings.tasks.send_booking_invites")
        )

    wait_until(both_tasks_logged, timeout=30, message="both tasks' lines")
    lines = task_lines()
    assert {line["request_id"] for line in lines} == {REQUEST_ID}
    assert any("has its Zoom link" in line["message"] for line in lines)
