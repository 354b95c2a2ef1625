"""The pipeline benchmark cannot flatter: its guests keep their schedule whatever the server does,
time each request from when it was due, count every process's CPU and name each missed target.
(No speed is asserted here: the figures themselves live in benchmarks/.)"""

import asyncio
import socket
import subprocess
import sys
import threading
import time

import pytest

from benchmarks.pipeline import cpu, guests
from benchmarks.pipeline.figures import Booked, Step
from benchmarks.pipeline.report import Targets, judge


@pytest.fixture
def one_at_a_time_server():
    """An HTTP server that answers one request at a time, each after 0.2 s."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                time.sleep(0.2)
                conn.sendall(b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    listener.close()


def test_guests_send_on_schedule_and_count_queueing_from_the_due_time(one_at_a_time_server):
    host = one_at_a_time_server.split("://")[1]
    requests = [
        guests.booking_request(host, "/book/a/b/confirm/", "2030-01-01T10:00:00+00:00", i, i / 20)
        for i in range(6)
    ]
    outcomes = sorted(guests.offer(one_at_a_time_server, requests, lead=0.1), key=lambda o: o.due)

    assert [o.status for o in outcomes] == [302] * 6
    # Sent every 50 ms although each answer takes 200 ms: nobody waited for an answer to send.
    assert max(o.lag for o in outcomes) < 0.15
    # The sixth waited behind five others: 6 × 0.2 s of service, due 0.25 s after the first.
    assert outcomes[-1].latency >= 6 * 0.2 - 0.25 - 0.02
    assert outcomes[0].latency < outcomes[-1].latency


def test_an_unanswered_request_is_a_failure_not_a_gap():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    request = guests.booking_request("x", "/p/", "2030-01-01T10:00:00+00:00", 0, 0)
    [outcome] = guests.offer(f"http://127.0.0.1:{port}", [request], lead=0)
    assert outcome.status == 0
    assert outcome.error == "ConnectionRefusedError"


def test_guests_run_while_the_callers_thread_has_a_loop_running(one_at_a_time_server):
    """Playwright's sync API leaves an event loop running in the main thread of a test process;
    the guests keep their schedule from there too (asyncio.run() alone would refuse)."""
    host = one_at_a_time_server.split("://")[1]
    requests = [
        guests.booking_request(host, "/p/", "2030-01-01T10:00:00+00:00", i, i / 20)
        for i in range(2)
    ]

    async def caller_with_a_running_loop():
        asyncio.get_running_loop()  # raises unless a loop is running here
        return guests.offer(one_at_a_time_server, requests, lead=0.1)

    # The caller runs in a thread of its own so that its loop is the only one there, whatever
    # this process's main thread already has.
    result = {}
    caller = threading.Thread(
        target=lambda: result.update(outcomes=asyncio.run(caller_with_a_running_loop()))
    )
    caller.start()
    caller.join(timeout=30)
    outcomes = result["outcomes"]

    assert [o.status for o in outcomes] == [302, 302]
    assert max(o.lag for o in outcomes) < 0.15


def test_a_failure_inside_the_guests_loop_reaches_the_caller():
    with pytest.raises(AttributeError):
        guests.offer("http://127.0.0.1:9", [object()], lead=0)  # not a Request: no offset


def _step(**changes) -> Step:
    outcomes = [
        guests.Outcome("book", i, due=1000.0 + i / 10, lag=0.001, latency=0.03, status=302)
        for i in range(20)
    ]
    booked = {
        i: Booked(due=1000.0 + i / 10, created=1000.02 + i / 10, state="ready", done=True,
                  ready=1000.35 + i / 10, invited=1000.4 + i / 10, zoom_seconds=0.3)
        for i in range(20)
    }  # fmt: skip
    step = Step(10, 2, direct=False, outcomes=outcomes, booked=booked)
    step.cpu = {"web": 0.2, "worker": 0.1, "PostgreSQL": 0.1, "Zoom stand-in": 5.0}
    step.peak_mib = {"worker": 100.0}
    for name, value in changes.items():
        setattr(step, name, value)
    return step


def test_a_step_that_meets_everything_passes():
    targets = Targets(cpu_ms=30, link_over_zoom_ms=(40, 150), post_over_trivial_ms=None)
    # 0.4 s of serving CPU over 20 bookings = 20 ms; the stand-in's 5 s is not the product's.
    assert judge(_step(), targets) == []


def test_each_missed_target_is_named():
    step = _step(peak_mib={"worker": 180.0})
    step.outcomes[3].lag = 0.5
    step.booked[7].done = False
    step.cpu["worker"] += 1.0
    for booked in step.booked.values():
        booked.invited = booked.due + 5  # the pipeline fell behind

    missed = judge(step, Targets(cpu_ms=30, zoom_p99=0.3))

    assert any("offered schedule was not kept" in m for m in missed)
    assert any("1 booking(s) never got their link and invites" in m for m in missed)
    assert any("did not keep the schedule" in m for m in missed)
    assert any("CPU per booking 70.0 ms > 30 ms" in m for m in missed)
    assert any("worker peaked at 180 MiB" in m for m in missed)


def test_cpu_is_divided_among_the_bookings_made_not_those_offered():
    step = _step()
    for i in range(10):  # half the offered bookings never reached the database
        step.booked[i] = Booked(due=1000.0 + i / 10)
    # 0.4 s of serving CPU over the 10 bookings made = 40 ms, not 20 ms over the 20 offered.
    missed = judge(step, Targets(cpu_ms=30, schedule=False))
    assert any("CPU per booking 40.0 ms > 30 ms" in m for m in missed)


def test_a_paced_queue_is_judged_on_its_429s_and_drain_rate():
    step = _step(zoom={"calls": 20, "limited": 1, "creates": 20})
    for i, booked in step.booked.items():
        booked.ready = 2000 + i / 9  # drained at 9 links/s
    missed = judge(step, Targets(schedule=False, drain_rate=18))
    assert any("1 × 429" in m for m in missed)
    assert any("drained at 9.0 links/s" in m for m in missed)


def test_the_cpu_meter_counts_a_child_process_and_its_children():
    burner = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time\n"
         "child = subprocess.Popen([sys.executable, '-c', "
         "'import time\\nwhile time.process_time() < 0.3: pass\\ntime.sleep(30)'])\n"
         "time.sleep(30)"],
    )  # fmt: skip
    try:
        meter = cpu.CpuMeter({"burner": cpu.Family(burner.pid, refresh=0.1)}, interval=0.1)
        meter.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and meter.seconds()["burner"] < 0.3:
            time.sleep(0.1)
        seconds = meter.stop()
    finally:
        for pid in cpu.Family(burner.pid)():
            subprocess.run(["kill", str(pid)], check=False)
        burner.wait()
    assert seconds["burner"] >= 0.3
    assert meter.processes("burner") == 2
