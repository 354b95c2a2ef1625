"""CPU time and peak memory of every process that serves a booking.

Groups of processes are read from /proc once a second by a background thread: the web (its
master and every worker), each Celery worker (with any pool children), the PostgreSQL backends
serving the run's database (found through `pg_stat_activity`; they come and go with
connections), and the run's own redis-server. A process counts from its first sample (or from
its birth, when born during the run) to its last, so a backend that closes loses at most its
last second: the run prints how many sessions opened, which should be close to none.

What no per-process count can split is left out and said so: PostgreSQL's shared background
processes (WAL writer, checkpointer) serve every database on the host.
"""

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _uptime() -> float:
    """Seconds since boot, the clock of a process's start time in /proc."""
    return float(Path("/proc/uptime").read_text().split()[0])


def _stat(pid: int) -> tuple[float, float, int] | None:
    """(CPU seconds, start time in seconds since boot, parent pid), or None once gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    cpu = (int(fields[11]) + int(fields[12])) / _TICK
    return cpu, int(fields[19]) / _TICK, int(fields[1])


def process_seconds(pid: int) -> float:
    """The process's CPU seconds so far (0 once it is gone)."""
    stat = _stat(pid)
    return stat[0] if stat else 0.0


def peak_rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


class Family:
    """A process and its descendants (gunicorn's workers, a prefork pool's children), listed
    again every `refresh` seconds: reading all of /proc each second would cost the machine more
    than the processes it watches."""

    def __init__(self, pid: int, refresh: float = 5.0):
        self.pid, self.refresh = pid, refresh
        self._pids: list[int] = []
        self._listed = 0.0

    def __call__(self) -> list[int]:
        if time.monotonic() - self._listed > self.refresh:
            self._pids = self._descendants()
            self._listed = time.monotonic()
        return self._pids

    def _descendants(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = _stat(int(entry))
                if stat is not None:
                    children.setdefault(stat[2], []).append(int(entry))
        found, todo = [], [self.pid]
        while todo:
            current = todo.pop()
            found.append(current)
            todo.extend(children.get(current, []))
        return found


def postgres_backends(dsn: str, database: str, exclude_application: str) -> Callable[[], list[int]]:
    """A function listing the backends of `database` that are not the benchmark's own."""
    import psycopg

    connection = psycopg.connect(dsn, autocommit=True, application_name=exclude_application)

    def pids() -> list[int]:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = "
            "'client backend' AND application_name NOT LIKE %s",
            [database, exclude_application + "%"],
        ).fetchall()
        return [pid for (pid,) in rows]

    pids.close = connection.close  # type: ignore[attr-defined]
    return pids


class CpuMeter:
    """Samples each group's processes every `interval` seconds between `start()` and `stop()`."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]], interval: float = 1.0):
        self.groups = groups
        self.interval = interval
        self.first: dict[str, dict[int, float]] = {name: {} for name in groups}
        self.last: dict[str, dict[int, float]] = {name: {} for name in groups}
        self.peak_mib: dict[str, dict[int, float]] = {name: {} for name in groups}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.started = 0.0

    def start(self) -> None:
        self.started = _uptime()
        self.sample()
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self.sample()
        return self.seconds()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        for name, pids in self.groups.items():
            for pid in pids():
                stat = _stat(pid)
                if stat is None:
                    continue
                cpu, born, _parent = stat
                # Born during the run: all its CPU is the run's.
                self.first[name].setdefault(pid, 0.0 if born >= self.started else cpu)
                self.last[name][pid] = cpu
                self.peak_mib[name][pid] = max(self.peak_mib[name].get(pid, 0.0), peak_rss_mib(pid))

    def seconds(self) -> dict[str, float]:
        return {
            name: sum(self.last[name][pid] - first for pid, first in self.first[name].items())
            for name in self.groups
        }

    def processes(self, name: str) -> int:
        return len(self.first[name])
