"""The create path of a Zoom booking: which of our source files run, from the guest's booking POST
on the public page through the task that creates the Zoom meeting to the link recorded on the
booking; and the import circles among our modules.

    .venv/bin/python benchmarks/create_path.py [--list]

Runs with the test settings (`tests.settings`) against PostgreSQL (a throwaway `test_…` database
made and dropped here) and a Zoom sandbox process started here, the way the suite starts it.
Celery runs eagerly, so the POST, the `on_commit` hand-over and the task happen in this thread
and one profiler (`sys.setprofile`) sees them all. Only the second booking is traced: the first
pays for imports, URL resolving and template loading.

What counts as "ours": Python files of this repository outside tests/, zoom_sandbox/, scripts/,
benchmarks/ and the virtualenv. Left out of the path: the invites task a ready link starts (and
the guest's confirmation at booking): it runs on its own queue and worker, after the link.

Figures:
- files: distinct files of ours in which a function ran;
- returns: how often the running file of ours became one that had run before and was left
  (A → B → A counts one), the back-and-forth between layers;
- the Zoom leg: the same two figures from the link task's start (`sync_zoom_meeting`) to the
  first HTTP request it sends to Zoom (`requests`' `Session.request`), with our files on the
  stack at that request;
- import circles: groups of our modules that import each other, through others or not
  (strongly connected parts of the import graph, every import counted, function-local ones
  included), read by scripts/code_shape.py as tests/unit/test_layers.py reads them.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"

NOT_OURS = ("tests", "zoom_sandbox", "scripts", "benchmarks")
# The invites a ready link (or a new booking) hands to their own worker: not the create path.
INVITES_TASK = ("meetings/tasks.py", "send_booking_invites")
# The Zoom leg: from the link task's start to the first HTTP request it sends to Zoom.
LINK_TASK = ("meetings/zoom/tasks.py", "sync_zoom_meeting")
HTTP_SEND = ("requests/sessions.py", "request")


def ours(filename: str) -> str | None:
    """The file's path in the repository if it is one of ours, else None."""
    path = Path(filename)
    if not path.is_absolute():
        return None
    try:
        relative = path.relative_to(ROOT)
    except ValueError:
        return None
    if relative.parts[0] in NOT_OURS or relative.parts[0].startswith(".") or path.suffix != ".py":
        return None
    return relative.as_posix()


class PathTracer:
    """Follows which of our files is running: the innermost frame of ours on the stack."""

    def __init__(self):
        self.runs: list[str] = []
        self._known: dict[str, str | None] = {}
        self._paused = None
        self.leg_start: int | None = None  # where in `runs` the link task began
        self.leg_end: int | None = None  # where in `runs` it first sent an HTTP request
        self.stack_at_http: list[str] = []  # our files on the stack at that request

    def _ours(self, code) -> str | None:
        name = code.co_filename
        if name not in self._known:
            self._known[name] = ours(name)
        return self._known[name]

    def _running_file(self, frame) -> str | None:
        while frame is not None:
            mine = self._ours(frame.f_code)
            if mine is not None:
                return mine
            frame = frame.f_back
        return None

    def _enter(self, mine: str | None) -> None:
        if mine is not None and (not self.runs or self.runs[-1] != mine):
            self.runs.append(mine)

    def __call__(self, frame, event, arg):
        if self._paused is not None:
            if event == "return" and frame is self._paused:
                self._paused = None
                self._enter(self._running_file(frame.f_back))
            return
        if event == "call":
            mine = self._ours(frame.f_code)
            if (mine, frame.f_code.co_name) == LINK_TASK and self.leg_start is None:
                self.leg_start = len(self.runs)
            elif self.leg_start is not None and self.leg_end is None and self._is_http(frame):
                self.leg_end = len(self.runs)
                self.stack_at_http = self._stack_of_ours(frame)
            if (mine, frame.f_code.co_name) == INVITES_TASK:
                self._paused = frame
            else:
                self._enter(mine)
        elif event == "return" and self._ours(frame.f_code) is not None:
            self._enter(self._running_file(frame.f_back))

    @staticmethod
    def _is_http(frame) -> bool:
        code = frame.f_code
        return code.co_name == HTTP_SEND[1] and code.co_filename.endswith(HTTP_SEND[0])

    def _stack_of_ours(self, frame) -> list[str]:
        found = []
        while frame is not None:
            mine = self._ours(frame.f_code)
            if mine is not None and (not found or found[-1] != mine):
                found.append(mine)
            frame = frame.f_back
        return found[::-1]

    @property
    def files(self) -> list[str]:
        return files_of(self.runs)

    @property
    def returns(self) -> int:
        return returns_in(self.runs)

    @property
    def zoom_leg(self) -> list[str]:
        """The runs from the link task's start to its first HTTP request to Zoom."""
        assert self.leg_start is not None and self.leg_end is not None, "no Zoom call traced"
        return self.runs[self.leg_start : self.leg_end]


def files_of(runs: list[str]) -> list[str]:
    return list(dict.fromkeys(runs))


def returns_in(runs: list[str]) -> int:
    seen, count = set(), 0
    for mine in runs:
        count += mine in seen
        seen.add(mine)
    return count


def trace_create_path(control) -> tuple[PathTracer, str]:
    from django.conf import settings
    from django.test import Client

    from meetings.models import Booking
    from scripts.sandbox import register_product_apps
    from tests.integrations.steps import connect_rep
    from tests.meetings.factories import MeetingTypeFactory, next_slot

    register_product_apps(control, settings)
    connection = connect_rep(control, "rep.zoom@example.com")
    meeting_type = MeetingTypeFactory(rep=connection.user)
    url = f"/book/{connection.user.booking_slug}/{meeting_type.slug}/confirm/"

    def book(hour: int, email: str):
        return Client().post(
            url,
            {
                "name": "Ada Lovelace",
                "email": email,
                "start": next_slot(hour=hour).isoformat(),
                "time_zone": "Europe/London",
            },
        )

    assert book(10, "warm.up@example.org").status_code == 302
    tracer = PathTracer()
    sys.setprofile(tracer)
    try:
        response = book(11, "ada@example.org")
    finally:
        sys.setprofile(None)
    assert response.status_code == 302, response
    booking = Booking.objects.get(guest_email="ada@example.org")
    assert booking.zoom_join_url, f"no link: {booking.link_state} {booking.link_last_error}"
    return tracer, booking.link_state


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="print the path, run by run, too")
    options = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from scripts.sandbox import running_sandbox

    setup_test_environment()
    original_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with tempfile.TemporaryDirectory() as workdir, running_sandbox(Path(workdir)) as control:
            started = time.monotonic()
            tracer, state = trace_create_path(control)
            seconds = time.monotonic() - started
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)

    from scripts.code_shape import import_circles

    circles = import_circles()
    print(f"create path (booking POST → Zoom task → link {state}), {seconds:.1f} s with setup")
    print(f"  files of ours: {len(tracer.files)}")
    for name in tracer.files:
        print(f"    {name}")
    print(f"  returns to a file already left: {tracer.returns}")
    if options.list:
        print("  the path, run by run: " + " → ".join(tracer.runs))
    leg = tracer.zoom_leg
    print("the Zoom leg (the link task → its first HTTP request to Zoom):")
    print(f"  files of ours: {len(files_of(leg))}")
    for name in files_of(leg):
        print(f"    {name}")
    print(f"  returns to a file already left: {returns_in(leg)}")
    print("  our files on the stack at the request: " + " → ".join(tracer.stack_at_http))
    if options.list:
        print("  the leg, run by run: " + " → ".join(leg))
    print(f"import circles among our modules: {len(circles)}")
    for group in circles:
        print("    " + " ↔ ".join(group))
    return 0


if __name__ == "__main__":
    sys.exit(main())
