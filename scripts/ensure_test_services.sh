#!/usr/bin/env bash
# Makes sure what the test suite talks to is here and running: PostgreSQL (with a role and database
# the test settings can log in with), Redis, RabbitMQ (the tests of RabbitMQ as the broker make a
# vhost of their own with rabbitmqctl) and Debian's Chromium. Installs missing Debian packages
# when run as root; starts installed services that are stopped. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium fonts-dejavu-core)
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v rabbitmqctl >/dev/null 2>&1 || need_apt+=(rabbitmq-server)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${need_apt[*]} (run as root, or install them)." >&2
    exit 1
  fi
  echo "Installing ${need_apt[*]} …"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The database the suite connects to: DATABASE_URL when exported, else the test settings' default.
read -r PG_HOST PG_PORT PG_USER PG_PASSWORD PG_NAME < <(
  "$PY" -c '
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
from django.conf import settings
db = settings.DATABASES["default"]
print(db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"], db["PASSWORD"] or "-", db["NAME"])
'
)
[ "$PG_PASSWORD" = "-" ] && PG_PASSWORD=""

if ! pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null; then
  cluster=$(pg_lsclusters --no-header 2>/dev/null | awk -v port="$PG_PORT" '$3 == port {print $1, $2; exit}')
  if [ -z "$cluster" ]; then
    echo "PostgreSQL does not answer on $PG_HOST:$PG_PORT and no local cluster uses that port." >&2
    exit 1
  fi
  echo "Starting PostgreSQL ($cluster) …"
  # shellcheck disable=SC2086
  pg_ctlcluster --skip-systemctl-redirect $cluster start
  for _ in $(seq 1 30); do pg_isready -h "$PG_HOST" -p "$PG_PORT" -q && break; sleep 1; done
fi

can_log_in() {
  PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" \
    -d postgres -Atc 'select 1' >/dev/null 2>&1
}

# As the cluster's superuser: over the local socket as root (peer auth, Debian's default), else
# over TCP as postgres when that is trusted.
as_superuser() {
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- psql -X -q -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 "$@"
  else
    psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -v ON_ERROR_STOP=1 "$@"
  fi
}

if ! can_log_in; then
  # A fresh cluster: create the suite's own role (allowed to create its test database) and
  # database. An existing role is never changed: its password is someone else's choice.
  if ! as_superuser -v role="$PG_USER" -v password="$PG_PASSWORD" -v db="$PG_NAME" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
  then
    echo "Could not create the test role \"$PG_USER\" on $PG_HOST:$PG_PORT: run this as root, or" >&2
    echo "create it yourself (LOGIN CREATEDB), or export DATABASE_URL for a role that can create databases." >&2
    exit 1
  fi
  if ! can_log_in; then
    echo "PostgreSQL role \"$PG_USER\" exists on $PG_HOST:$PG_PORT but does not accept the test settings'" >&2
    echo "password; it was left as it is. Export DATABASE_URL with its password, or drop the role." >&2
    exit 1
  fi
  echo "Created PostgreSQL role and database \"$PG_USER\"/\"$PG_NAME\" for the tests."
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Starting Redis …"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/tests.log
  for _ in $(seq 1 30); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

if ! rabbitmqctl -q status >/dev/null 2>&1; then
  echo "Starting RabbitMQ …"
  if command -v service >/dev/null 2>&1 && service rabbitmq-server start >/dev/null 2>&1; then
    :
  else
    rabbitmq-server -detached >/dev/null 2>&1 || true
  fi
  rabbitmqctl -q --timeout 60 await_startup >/dev/null 2>&1 || true
  if ! rabbitmqctl -q status >/dev/null 2>&1; then
    echo "RabbitMQ is installed but does not start; the tests of RabbitMQ as the broker need it." >&2
    exit 1
  fi
fi
