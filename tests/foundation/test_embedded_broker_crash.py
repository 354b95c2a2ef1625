"""The embedded broker (config/embedded_broker.py) with processes killed in the middle of writes.

Each publisher and consumer below is a process that SIGKILLs itself from inside SQLite, after a
random number of SQLite's virtual-machine steps: in the middle of a publish, of taking a message,
of an acknowledgement or of their commits. Whatever was killed, the queue stays readable, no
message that a publish returned for is lost, and one taken by a consumer that died is delivered
again.
"""

import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kombu import Connection

from config.embedded_broker import Transport

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "crash"

# A process that SIGKILLs itself once SQLite has run `budget` virtual-machine steps in it (counted
# from its first publish or take), and prints what it did before each step that could be its last.
PROCESS = """
import itertools, json, os, signal, sys
from kombu import Connection
from config.embedded_broker import Transport, _connections, database_path

role, url, budget, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with Connection(url, transport=Transport) as connection:
    queue = connection.SimpleQueue("crash")
    steps = itertools.count()
    def step():
        if next(steps) >= budget:
            os.kill(os.getpid(), signal.SIGKILL)
    _connections.get(database_path(url)).set_progress_handler(step, 1)
    if role == "publish":
        for number in range(first, first + 5):
            queue.put({"number": number, "padding": "x" * 3000})
            print(json.dumps(["published", number]), flush=True)
    elif role == "take-and-die":
        message = queue.get(block=False)
        print(json.dumps(["took", message.payload["number"]]), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    else:
        while True:
            try:
                message = queue.get(block=False)
            except queue.Empty:
                break
            print(json.dumps(["took", message.payload["number"]]), flush=True)
            message.ack()
"""


def run(role: str, url: str, budget: int, first: int = 0) -> list[tuple[str, int]]:
    result = subprocess.run(
        [sys.executable, "-c", PROCESS, role, url, str(budget), str(first)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode in (0, -9), result.stderr
    return [tuple(json.loads(line)) for line in result.stdout.splitlines()]


def test_publishers_and_consumers_killed_mid_write_lose_nothing_and_stop_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'broker.sqlite3'}"
    randomness = random.Random(1551)
    published, taken, kills = set(), set(), 0
    for round_ in range(16):
        # Budgets from "before the first write" to "after the fifth publish" (about 90 steps each):
        # every kind of statement, the commits included, is interrupted somewhere in the rounds.
        done = run("publish", url, randomness.randint(1, 520), first=round_ * 10)
        published |= {number for what, number in done if what == "published"}
        kills += len(done) < 5
        done = run("consume", url, randomness.randint(1, 700))
        taken |= {number for what, number in done if what == "took"}

    # A consumer that lives: everything that is left, including what dead consumers had taken.
    taken |= {number for what, number in run("consume", url, 10**9)}

    assert kills >= 8, "the publishers should mostly have died mid-way"
    assert published, "some publishes should have completed"
    assert published <= taken, f"lost: {sorted(published - taken)}"
    database = sqlite3.connect(tmp_path / "broker.sqlite3")
    assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert database.execute("SELECT COUNT(*) FROM message").fetchone() == (0,)
    assert database.execute("SELECT COUNT(*) FROM unreadable_message").fetchone() == (0,)


def test_a_message_taken_by_a_consumer_that_died_is_delivered_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'broker.sqlite3'}"
    with Connection(url, transport=Transport) as connection:
        connection.SimpleQueue(QUEUE).put({"number": 7})
    # Taken (committed), then SIGKILLed before the acknowledgement.
    assert run("take-and-die", url, budget=10**9) == [("took", 7)]
    database = sqlite3.connect(tmp_path / "broker.sqlite3")
    assert database.execute("SELECT COUNT(*) FROM message WHERE held_by IS NULL").fetchone()[0] == 0
    # The next consumer finds its process gone and takes the message again.
    assert run("consume", url, budget=10**9) == [("took", 7)]
    assert database.execute("SELECT COUNT(*) FROM message").fetchone()[0] == 0


def test_a_message_held_by_another_hosts_process_comes_back_after_an_hour(tmp_path):
    url = f"sqlite:///{tmp_path / 'broker.sqlite3'}"
    with Connection(url, transport=Transport) as connection:
        connection.SimpleQueue(QUEUE).put({"number": 8})
    database = sqlite3.connect(tmp_path / "broker.sqlite3")
    # Its process cannot be looked up from here: FOREIGN_HOLD_SECONDS decides.
    database.execute(
        "UPDATE message SET held_by = 'other-host:1:1', held_since = ?", (time.time(),)
    )
    database.commit()
    assert run("consume", url, budget=10**9) == []
    database.execute("UPDATE message SET held_since = ?", (time.time() - 3601,))
    database.commit()
    assert run("consume", url, budget=10**9) == [("took", 8)]


def test_an_unreadable_message_is_set_aside_and_reported_and_the_queue_goes_on(tmp_path, caplog):
    url = f"sqlite:///{tmp_path / 'broker.sqlite3'}"
    with Connection(url, transport=Transport) as connection:
        queue = connection.SimpleQueue(QUEUE)
        queue.put({"number": 1})
        database = sqlite3.connect(tmp_path / "broker.sqlite3")
        database.execute(
            "INSERT INTO message (queue, delivery_tag, payload) VALUES (?, 'broken', '{\"bo')",
            (QUEUE,),
        )
        database.commit()
        queue.put({"number": 2})
        numbers = []
        while True:
            try:
                message = queue.get(block=False)
            except queue.Empty:
                break
            numbers.append(message.payload["number"])
            message.ack()
    assert numbers == [1, 2]
    assert database.execute("SELECT queue, payload FROM unreadable_message").fetchall() == [
        (QUEUE, '{"bo')
    ]
    assert "cannot be read" in caplog.text
