"""The embedded broker under SIGKILL: guests book through publisher processes (what a web process
does on a booking POST) while workers run, and both are killed mid-work, round after round: each
publisher in a booking chosen at random (anywhere in it, or inside the broker's write of its task),
each worker at a random moment while it holds a task it took. The kills are driven by what the
processes say they are doing, not by timers, so they land mid-work on a machine of any speed.

Afterwards, before anything is swept, a worker that lives receives every task whose publish had
returned (each of those bookings is taken up by a run at least once): the tasks taken by killed
workers come back from the broker itself. Then the sweeper, beat's job, finishes what the kills left
to it by design: bookings whose publisher died between commit and publish, and runs killed while
they held a booking's lease. Every booking ends with its link, and one Zoom meeting.
"""

import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from meetings import tasks
from meetings.models import Booking
from meetings.zoom.state import LinkState
from scripts.launchers import WorkerProcess
from tests.fixtures.celery_worker import wait_until, worker_env
from tests.reliability.checks import assert_one_meeting_per_booking
from tests.reliability.conftest import slot

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 6
BOOKINGS_PER_PUBLISHER = 4

# A web process's part of a booking: book, and (on commit) hand the Zoom work to the broker. It
# books one guest each time the test says so (a line on stdin), so the test knows which booking it
# is in when it kills it, and says when it starts handing a booking's task over and when that
# returned, so the test can kill it inside the broker's write and knows which tasks the broker
# holds.
PUBLISHER = """
import django, json, sys
django.setup()
from datetime import datetime
from meetings.meeting_types import MeetingType
from meetings.services.bookings import book_meeting
from meetings.zoom import tasks as zoom_tasks

def say(what, number=0):
    print(json.dumps([what, number]), flush=True)

handed_over = zoom_tasks.publish
def publish(task, *args, **options):
    say("publishing", args[0])
    sent = handed_over(task, *args, **options)
    if sent:
        say("published", args[0])
    return sent
zoom_tasks.publish = publish

meeting_type = MeetingType.objects.get(pk=int(sys.argv[1]))
say("ready")
for start in sys.argv[2:]:
    sys.stdin.readline()
    book_meeting(
        meeting_type, start_at=datetime.fromisoformat(start), guest_name="Grace Hopper",
        guest_email=f"guest-{start[:16]}@example.org", guest_time_zone="Europe/Paris",
    )
    say("booked")
sys.stdin.readline()
"""


class Publisher:
    def __init__(self, env: dict, meeting_type_id: int, starts: list):
        self.lines: list[tuple[str, int]] = []
        self.said = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-c", PUBLISHER, str(meeting_type_id)]
            + [start.isoformat() for start in starts],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            with self.said:
                self.lines.append(tuple(json.loads(line)))
                self.said.notify_all()

    def _said(self, what: str) -> int:
        return sum(1 for said, _ in self.lines if said == what)

    def _wait_until_said(self, what: str, times: int, timeout=60.0):
        with self.said:
            if not self.said.wait_for(lambda: self._said(what) >= times, timeout):
                raise AssertionError(f"the publisher never said {what!r} {times} times")

    def kill_in_booking(self, booking: int, inside_publish: bool, delay: float):
        """Lets the publisher make `booking` bookings, then SIGKILLs it `delay` seconds into the
        next one, or `delay` seconds after it starts handing that one's task to the broker (a
        small delay lands inside the broker's write). What it did not book is never booked."""
        self._wait_until_said("ready", 1)
        for done in range(booking):
            self._go()
            self._wait_until_said("booked", done + 1)
        self._go()
        if inside_publish:
            self._wait_until_said("publishing", booking + 1)
        time.sleep(delay)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.reader.join(timeout=10)

    def _go(self):
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def published(self) -> set[int]:
        return {number for what, number in self.lines if what == "published"}


def killing(publisher: Publisher, randomness) -> threading.Thread:
    """A thread that kills the publisher in one of its bookings, chosen at random: anywhere in it,
    or inside the broker's write of its task. The bookings after it are never made."""
    booking = randomness.randrange(BOOKINGS_PER_PUBLISHER)
    inside_publish = randomness.random() < 0.5
    delay = randomness.uniform(0, 0.005 if inside_publish else 0.1)
    return threading.Thread(target=publisher.kill_in_booking, args=(booking, inside_publish, delay))


def links_ready(booking_ids) -> bool:
    states = set(Booking.objects.filter(pk__in=booking_ids).values_list("link_state", flat=True))
    return states <= {LinkState.READY}


def all_taken_up(booking_ids) -> bool:
    """Every booking's Zoom work was claimed by a run at least once (or is done)."""
    return not Booking.objects.filter(
        pk__in=booking_ids, link_attempts=0, link_state=LinkState.PENDING
    ).exists()


def sweep_until_ready(booking_ids, timeout=90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tasks.sweep_due_work.delay()
        if links_ready(booking_ids):
            return True
        time.sleep(2)
    return links_ready(booking_ids)


def held_by(broker: Path, worker: WorkerProcess) -> int:
    """How many messages the worker's process has taken and not yet acknowledged."""
    try:
        with sqlite3.connect(f"file:{broker}?mode=ro", uri=True, timeout=30) as database:
            return database.execute(
                "SELECT COUNT(*) FROM message WHERE held_by LIKE ?",
                (f"%:{worker.process.pid}:%",),
            ).fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # the first process has not made the file or its tables yet


def kill_while_holding(broker: Path, worker: WorkerProcess, randomness, patience=30.0) -> int:
    """SIGKILLs the worker at a random moment while it holds a message it took (its task running,
    the acknowledgement not yet written), or after `patience` seconds wherever it is when none came
    (starting, idle); returns how many messages it held when it died."""
    deadline = time.monotonic() + patience
    delay = randomness.uniform(0, 0.3)
    while time.monotonic() < deadline:
        if held_by(broker, worker):
            time.sleep(delay)
            if held_by(broker, worker):
                break
            delay = 0.0  # it finished that one first: die holding the next one it takes
        time.sleep(0.02)
    worker.kill()
    # Counted once it is dead: nothing it held can be acknowledged any more, and no consumer
    # gives its messages back before the next round's worker starts.
    return held_by(broker, worker)


def test_publishers_and_workers_killed_at_random_and_every_booking_gets_its_link(
    transactional_db, tmp_path, sandbox, zoom_type, publishing_to
):
    broker = tmp_path / "broker.sqlite3"
    broker_url = f"sqlite:///{broker}"
    meeting_types = [zoom_type("kill-a@example.com"), zoom_type("kill-b@example.com")]
    env = worker_env(
        CELERY_BROKER_URL=broker_url,
        DJANGO_VAR_DIR=tmp_path,
        DJANGO_SETTINGS_MODULE="tests.reliability.worker_settings",
        # A killed worker's hold on a booking lapses quickly.
        MEETINGS_ZOOM_LEASE_SECONDS=5,
        MEETINGS_ZOOM_BACKOFF_BASE_SECONDS=0.5,
    )
    randomness = random.Random(1551)
    published: set[int] = set()
    workers: list[WorkerProcess] = []
    index = held_at_kill = 0
    try:
        for round_ in range(ROUNDS):
            worker = WorkerProcess(env, 2, f"kill{round_}@%h", pool="threads")
            workers.append(worker)
            publishers = []
            for meeting_type in meeting_types:
                starts = [slot(index + i) for i in range(BOOKINGS_PER_PUBLISHER)]
                index += BOOKINGS_PER_PUBLISHER
                publishers.append(Publisher(env, meeting_type.pk, starts))
            killers = [killing(publisher, randomness) for publisher in publishers]
            for killer in killers:
                killer.start()
            # Workers die while a task runs, or while starting or idle when none came.
            held_at_kill += kill_while_holding(broker, worker, randomness)
            for killer in killers:
                killer.join()
            for publisher in publishers:
                published |= publisher.published()

        bookings = list(
            Booking.objects.filter(meeting_type__in=meeting_types).values_list("pk", flat=True)
        )
        assert published, "no publisher lived long enough to publish"
        assert len(published) < len(bookings) or len(bookings) < index, "nothing was killed"
        assert held_at_kill, "no worker was killed holding a message"

        survivor = WorkerProcess(env, 2, "survivor@%h", pool="threads")
        workers.append(survivor)
        survivor.wait_ready()
        # Every task the broker took reaches a worker: nothing is swept yet.
        wait_until(
            lambda: all_taken_up(published),
            timeout=60,
            message="a run of every booking whose task was handed over",
        )

        # The publisher died between commit and publish: the booking's grace passes (two minutes,
        # here at once) and the sweeper hands it over; runs killed holding a booking's lease are
        # the sweeper's once the lease lapses.
        for booking_id in set(bookings) - published:
            Booking.objects.make_zoom_work_due_now(booking_id)
        with publishing_to(broker_url):
            assert sweep_until_ready(bookings), "every booking's link"
    finally:
        for worker in workers:
            worker.stop()

    assert_one_meeting_per_booking(
        sandbox, list(Booking.objects.filter(meeting_type__in=meeting_types))
    )
    database = sqlite3.connect(broker)
    assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert database.execute("SELECT COUNT(*) FROM unreadable_message").fetchone() == (0,)
