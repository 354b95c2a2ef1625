"""The embedded broker: Celery's queues in one SQLite file, for one machine without a broker server.

Every step is one SQLite transaction, so a process killed at any moment leaves the queues as they
were before or after its step, never between: a publish is in the file or not, a message is taken
by exactly one consumer, and an acknowledgement deletes it. kombu's file-system transport, which
this replaces, writes each message into a file a consumer may read before it is complete, and a
consumer that finds one empty or half written stops for good (a known kombu bug, still open); it
also deletes a message as it reads it, so a consumer killed before the task ran lost it.

A message taken by a consumer stays in the file, marked with that process (host, pid and the pid's
start time, so a reused pid is not mistaken for it), until it is acknowledged. A consumer whose
process is gone gives its messages back: any consumer of this host finds them every few seconds
and puts them back in their queue, however long the messages had been held (a live worker holding a
countdown for an hour keeps it). A message whose body cannot be read (it was written by something
else) is set aside in `unreadable_message` and logged as an error; the queue goes on.

Why SQLite rather than atomic message files (written to a temporary name, then renamed): renaming
makes a publish atomic, but holding a taken message until its acknowledgement, giving back a dead
consumer's messages and updating the routing table would each need their own locking and recovery
on files; here each is one transaction, and SQLite's write-ahead log already survives a killed
process. The file lives apart from the app's database, whose write lock a token refresh holds
across a call to Zoom.

URL: `sqlite:///path/to/broker.sqlite3` (settings: CELERY_BROKER_URL=embedded puts it in var/).
"""

import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from queue import Empty
from urllib.parse import unquote, urlsplit

from kombu.transport import virtual
from kombu.transport.base import to_rabbitmq_queue_arguments
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

# How often a consumer looks for messages held by processes that are gone (and expired ones).
RECLAIM_INTERVAL_SECONDS = 2.0
# Messages held by a process of another host (a file shared where it should not be) are given back
# after this long, as Redis's visibility timeout does: their process cannot be looked up.
FOREIGN_HOLD_SECONDS = 3600.0
# Seconds a step waits for another process's write to finish.
BUSY_TIMEOUT_SECONDS = 30.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    delivery_tag TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    expires_at REAL,
    held_by TEXT,
    held_since REAL
);
CREATE INDEX IF NOT EXISTS message_ready ON message (queue, held_by, id);
CREATE INDEX IF NOT EXISTS message_expiry ON message (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS binding (
    exchange TEXT NOT NULL,
    routing_key TEXT NOT NULL,
    pattern TEXT NOT NULL,
    queue TEXT NOT NULL,
    PRIMARY KEY (exchange, routing_key, pattern, queue)
);
CREATE TABLE IF NOT EXISTS queue (
    name TEXT PRIMARY KEY,
    message_ttl REAL
);
CREATE TABLE IF NOT EXISTS unreadable_message (
    id INTEGER PRIMARY KEY,
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    error TEXT NOT NULL,
    set_aside_at REAL NOT NULL
);
"""


def database_path(url: str) -> Path:
    """`sqlite:///relative/path` or `sqlite:////absolute/path`, as Django's DATABASE_URL."""
    parts = urlsplit(url)
    if parts.scheme != "sqlite" or not parts.path.strip("/"):
        raise ValueError(f"The embedded broker's URL is sqlite:///path/to/file, not {url!r}")
    return Path(unquote(parts.path[1:]))


def _start_time(pid: int) -> str:
    """When the process started (clock ticks since boot, from /proc), or "" where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    return stat.rsplit(")", 1)[1].split()[19]


def process_identity(pid: int | None = None) -> str:
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}:{pid}:{_start_time(pid)}"


def is_gone(identity: str) -> bool | None:
    """Whether the process named by `identity` has ended; None when it is another host's."""
    host, pid, started = identity.rsplit(":", 2)
    if host != socket.gethostname():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, someone else's
    return bool(started) and _start_time(int(pid)) != started


class _Connections(threading.local):
    """One SQLite connection per thread and per process: a connection must not cross a fork, and
    Celery acknowledges from its pool's threads."""

    def get(self, path: Path) -> sqlite3.Connection:
        if getattr(self, "pid", None) != os.getpid() or getattr(self, "path", None) != path:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=True
            )
            connection.execute("PRAGMA journal_mode=WAL")
            # WAL with NORMAL: a committed step survives any process being killed (only a power
            # cut could lose the last ones, which the sweepers find again).
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(SCHEMA)
            self.pid, self.path, self.connection = os.getpid(), path, connection
        return self.connection


_connections = _Connections()


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT: the write lock from the start, so the step's reads and writes
    see one state; ROLLBACK on any error."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        self.connection.execute("BEGIN IMMEDIATE")
        return self.connection

    def __exit__(self, exc_type, exc, tb):
        self.connection.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


class QoS(virtual.QoS):
    """Acknowledging deletes the message; rejecting deletes it or, to requeue, gives it back."""

    def ack(self, delivery_tag):
        self.channel._forget(delivery_tag)
        super().ack(delivery_tag)

    def reject(self, delivery_tag, requeue=False):
        if requeue:
            self.channel._give_back(delivery_tag)
        else:
            self.channel._forget(delivery_tag)
        self._quick_ack(delivery_tag)


class Channel(virtual.Channel):
    QoS = QoS
    supports_fanout = True

    def __init__(self, connection, **kwargs):
        super().__init__(connection, **kwargs)
        self._path = database_path(self.connection.client.hostname)
        self._identity = process_identity()
        self._no_ack_queues: set[str] = set()
        self._last_reclaim = 0.0

    def _db(self) -> sqlite3.Connection:
        return _connections.get(self._path)

    # Queues, bindings ---------------------------------------------------------------------------

    def prepare_queue_arguments(self, arguments, **kwargs):
        # Kept in AMQP's spelling: `_new_queue` reads x-message-ttl from them.
        return to_rabbitmq_queue_arguments(arguments, **kwargs)

    def _new_queue(self, queue, **kwargs):
        ttl = (kwargs.get("arguments") or {}).get("x-message-ttl")
        self._db().execute(
            "INSERT INTO queue (name, message_ttl) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET "
            "message_ttl = COALESCE(excluded.message_ttl, message_ttl)",
            (queue, ttl / 1000 if ttl else None),
        )

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        self._db().execute(
            "INSERT OR IGNORE INTO binding VALUES (?, ?, ?, ?)",
            (exchange, routing_key or "", pattern or "", queue or ""),
        )

    def get_table(self, exchange):
        return (
            self._db()
            .execute(
                "SELECT routing_key, pattern, queue FROM binding WHERE exchange = ?", (exchange,)
            )
            .fetchall()
        )

    def _delete(self, queue, exchange=None, routing_key=None, pattern=None, *args, **kwargs):
        with _Transaction(self._db()) as db:
            db.execute("DELETE FROM message WHERE queue = ?", (queue,))
            db.execute("DELETE FROM binding WHERE queue = ?", (queue,))
            db.execute("DELETE FROM queue WHERE name = ?", (queue,))

    # Messages -----------------------------------------------------------------------------------

    def _put(self, queue, message, **kwargs):
        # Every stored copy gets its own tag (a broadcast stores one per queue): acknowledging
        # one must not delete the others.
        message = {**message, "properties": {**message["properties"]}}
        tag = message["properties"]["delivery_tag"] = str(uuid.uuid4())
        now = time.time()
        self._db().execute(
            "INSERT INTO message (queue, delivery_tag, payload, expires_at) VALUES "
            "(?, ?, ?, (SELECT ? + message_ttl FROM queue WHERE name = ?))",
            (queue, tag, dumps(message), now, queue),
        )

    def _put_fanout(self, exchange, message, routing_key, **kwargs):
        # Every bound queue gets the broadcast, or (killed meanwhile) none does.
        with _Transaction(self._db()):
            for _routing_key, _pattern, queue in self.get_table(exchange):
                self._put(queue, message, **kwargs)

    def _get(self, queue, timeout=None):
        self._reclaim_from_the_gone()
        db = self._db()
        # A read without the write lock first: an empty queue, the usual case, costs no lock.
        if not db.execute(
            "SELECT 1 FROM message WHERE queue = ? AND held_by IS NULL LIMIT 1", (queue,)
        ).fetchone():
            raise Empty()
        now = time.time()
        with _Transaction(db):
            message = self._take(db, queue, now)
        if message is None:
            raise Empty()
        return message

    def _take(self, db, queue, now) -> dict | None:
        db.execute(
            "DELETE FROM message WHERE queue = ? AND held_by IS NULL AND expires_at < ?",
            (queue, now),
        )
        for message_id, payload in db.execute(
            "SELECT id, payload FROM message WHERE queue = ? AND held_by IS NULL "
            "ORDER BY id LIMIT 20",
            (queue,),
        ).fetchall():
            try:
                message = loads(payload)
                message["properties"]["delivery_tag"]  # noqa: B018 - the shape kombu needs
            except Exception as exc:  # noqa: BLE001 - any unreadable body is set aside
                self._set_aside(db, message_id, queue, payload, exc)
                continue
            if queue in self._no_ack_queues:
                db.execute("DELETE FROM message WHERE id = ?", (message_id,))
            else:
                db.execute(
                    "UPDATE message SET held_by = ?, held_since = ? WHERE id = ?",
                    (self._identity, now, message_id),
                )
            return message
        return None

    def _set_aside(self, db, message_id, queue, payload, exc) -> None:
        db.execute(
            "INSERT INTO unreadable_message (id, queue, payload, error, set_aside_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (message_id, queue, payload, repr(exc), time.time()),
        )
        db.execute("DELETE FROM message WHERE id = ?", (message_id,))
        logger.error(
            "Embedded broker: message %s of queue %r cannot be read (%r); set aside in %s, "
            "table unreadable_message",
            message_id,
            queue,
            exc,
            self._path,
        )

    def _forget(self, delivery_tag) -> None:
        self._db().execute("DELETE FROM message WHERE delivery_tag = ?", (delivery_tag,))

    def _give_back(self, delivery_tag) -> None:
        self._db().execute(
            "UPDATE message SET held_by = NULL, held_since = NULL WHERE delivery_tag = ?",
            (delivery_tag,),
        )

    def _restore(self, message):
        """Unacknowledged at a clean shutdown: back in its queue, where it still is."""
        self._give_back(message.delivery_tag)

    def _reclaim_from_the_gone(self) -> None:
        now = time.monotonic()
        if now - self._last_reclaim < RECLAIM_INTERVAL_SECONDS:
            return
        self._last_reclaim = now
        db = self._db()
        # Broadcasts to a worker that is gone for good expire unread (Celery gives its control
        # queues a message TTL).
        db.execute("DELETE FROM message WHERE held_by IS NULL AND expires_at < ?", (time.time(),))
        holders = db.execute(
            "SELECT held_by, MIN(held_since) FROM message WHERE held_by IS NOT NULL "
            "GROUP BY held_by"
        ).fetchall()
        for holder, since in holders:
            gone = is_gone(holder)
            if gone is None:
                gone = since < time.time() - FOREIGN_HOLD_SECONDS
            if gone:
                count = db.execute(
                    "UPDATE message SET held_by = NULL, held_since = NULL WHERE held_by = ?",
                    (holder,),
                ).rowcount
                logger.warning(
                    "Embedded broker: %d message(s) held by %s, which is gone, are back in their "
                    "queues",
                    count,
                    holder,
                )

    def _purge(self, queue):
        return (
            self._db()
            .execute("DELETE FROM message WHERE queue = ? AND held_by IS NULL", (queue,))
            .rowcount
        )

    def _size(self, queue):
        return (
            self._db()
            .execute("SELECT COUNT(*) FROM message WHERE queue = ? AND held_by IS NULL", (queue,))
            .fetchone()[0]
        )

    # Consumers that never acknowledge (replies, broadcasts) take messages for good --------------

    def basic_consume(self, queue, no_ack, *args, **kwargs):
        if no_ack:
            self._no_ack_queues.add(queue)
        return super().basic_consume(queue, no_ack, *args, **kwargs)

    def basic_get(self, queue, no_ack=False, **kwargs):
        if no_ack:
            self._no_ack_queues.add(queue)
        return super().basic_get(queue, no_ack, **kwargs)


class Transport(virtual.Transport):
    Channel = Channel
    # The URL is a file's path, read by the channel.
    can_parse_url = True
    driver_type = driver_name = "sqlite"
    implements = virtual.Transport.implements.extend(
        asynchronous=False, exchange_type=frozenset(["direct", "topic", "fanout"])
    )

    def driver_version(self):
        return sqlite3.sqlite_version
