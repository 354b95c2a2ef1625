"""The database settings (DATABASES["default"]) for a database URL, tuned per engine: SQLite shared
by web processes and workers, PostgreSQL directly or behind PgBouncer (config/settings.py reads
the environment)."""

from pathlib import Path

import environ


def database_config(env: environ.Env, url: str, *, var_dir: Path, may_create: bool) -> dict:
    """DATABASES["default"] for `url`. The embedded SQLite file's var_dir is created when
    `may_create` (every service chosen)."""
    database = env.db_url_config(url)
    database["ATOMIC_REQUESTS"] = False
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite is shared by web processes and workers. WAL lets reads run beside the one
        # writer. IMMEDIATE makes each transaction take the write lock when it begins, so writers
        # queue (up to the busy timeout) instead of failing "database is locked" when a read turns
        # into a write, and select_for_update, a no-op on SQLite, still serializes: the token
        # refresh holds the write lock across its call to Zoom, so the timeout outlasts that call.
        database.setdefault("OPTIONS", {}).update(
            timeout=env.int("DATABASE_SQLITE_TIMEOUT", default=60),
            transaction_mode="IMMEDIATE",
            init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        )
        if database["NAME"] == str(var_dir / "db.sqlite3") and may_create:
            var_dir.mkdir(parents=True, exist_ok=True)
        return database
    database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    if database["ENGINE"] == "django.db.backends.postgresql":
        # A server that accepts connections and never answers must not hang a request for good.
        database.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
        )
        # Behind PgBouncer in transaction pooling, a server-side cursor may outlive the
        # transaction that opened it on a server connection the next transaction does not get.
        pgbouncer = env.bool("DATABASE_PGBOUNCER", default=False)
        database["DISABLE_SERVER_SIDE_CURSORS"] = pgbouncer
        # Parameters bound by the server, and a statement run twice on a connection prepared:
        # PostgreSQL then plans a booking's dozen-odd queries once per connection instead of
        # every time, which halves its CPU per booking (benchmarks/booking_cost.py). A prepared
        # statement lives on one server connection, which PgBouncer's transaction pooling does
        # not keep, so there the statements are bound but never prepared.
        database["OPTIONS"].update(
            server_side_binding=True, prepare_threshold=None if pgbouncer else 2
        )
    return database
