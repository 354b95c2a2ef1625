"""A lean stand-in for Zoom's meeting endpoints, for throughput runs of the benchmark.

The Zoom sandbox (zoom_sandbox/) models Zoom faithfully but keeps its state in SQLite behind a
write lock and serves each request through Django: under a few hundred requests per second its
own time becomes part of what the benchmark measures. This server answers only what link
population calls, from memory, after a set latency:

- `POST /v2/users/me/meetings` → 201 with `id` (beyond 32 bits, as Zoom's are), `join_url`,
  `password`, `settings.global_dial_in_numbers`; `GET /v2/users/me/meetings` (the adoption lookup),
  `GET|PATCH|DELETE /v2/meetings/{id}`.
- Zoom's per-account per-second limit: over `--qps-limit` requests in any second for one account
  answers 429 with `X-RateLimit-Type: QPS` and an ISO `Retry-After`, as Zoom does
  (https://developers.zoom.us/docs/api/rest/rate-limits/).
- Answer time: `--latency-ms`, or with `--latency-p99-ms` above it a log-normal delay with that
  median and 99th percentile (`zoom_sandbox.latency`: a test knob, not Zoom behaviour), drawn from
  a seeded generator (`--seed`) so runs offer the same tail.
- `GET /_stats` → calls, 429s, creates, this server's own handling time (latency excluded), and
  `zoom_seconds`: per meeting id, the time this server made its calls wait, so the benchmark can
  say how long each booking took beyond Zoom's own answer time.

Access tokens are mapped to Zoom accounts by `--tokens` (a JSON object written by the benchmark
from the connections the sandbox issued); an unknown token answers 401 with code 124.
"""

import argparse
import itertools
import json
import random
import re
import sys
import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from zoom_sandbox.latency import latency_seconds  # noqa: E402

MEETING_RE = re.compile(r"^/v2/meetings/(\d+)$")


class State:
    def __init__(self, tokens: dict[str, str], latency_ms: int, p99_ms: int, qps_limit: int, seed):
        self.tokens, self.qps_limit = tokens, qps_limit
        self.latency_ms, self.p99_ms = latency_ms, p99_ms
        self.rng = random.Random(seed)
        self.zoom_seconds: dict[str, float] = defaultdict(float)
        self.lock = threading.Lock()
        self.windows: dict[str, deque] = defaultdict(deque)
        self.meetings: dict[str, dict] = {}
        self.ids = itertools.count(81_000_000_000)
        self.calls = self.limited = self.creates = 0
        self.handling: list[float] = []

    def over_limit(self, account: str) -> bool:
        now = time.monotonic()
        with self.lock:
            self.calls += 1
            window = self.windows[account]
            while window and now - window[0] >= 1.0:
                window.popleft()
            if self.qps_limit and len(window) >= self.qps_limit:
                self.limited += 1
                return True
            window.append(now)
            return False

    def delay(self) -> float:
        with self.lock:
            return latency_seconds(self.latency_ms, self.p99_ms, self.rng)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes: with Nagle's algorithm the body waits for
    # the client's (delayed) ACK of the headers, ~40 ms on a kept-alive connection that Zoom
    # does not take and the benchmark would count as ours.
    disable_nagle_algorithm = True
    state: State

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: dict | None = None, headers: dict | None = None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str):
        started = time.perf_counter()
        if self.path == "/_stats":
            return self._stats()
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}") if length else {}
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        account = self.state.tokens.get(token)
        if account is None:
            return self._answer(401, {"code": 124, "message": "Invalid access token."})
        if self.state.over_limit(account):
            retry = (datetime.now(UTC) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            return self._answer(
                429,
                {"code": 429, "message": "You have reached the maximum per-second rate limit."},
                {"X-RateLimit-Type": "QPS", "X-RateLimit-Category": "Medium", "Retry-After": retry},
            )
        status, answer = self._route(method, body, token)
        self.state.handling.append(time.perf_counter() - started)
        delay = self.state.delay()
        meeting_id = (answer or {}).get("id") or self._meeting_in_path()
        if meeting_id:
            with self.state.lock:
                self.state.zoom_seconds[str(meeting_id)] += delay
        time.sleep(delay)
        self._answer(status, answer)

    def _meeting_in_path(self) -> str:
        match = MEETING_RE.match(self.path.split("?", 1)[0])
        return match.group(1) if match else ""

    def _route(self, method: str, body: dict, token: str):
        path = self.path.split("?", 1)[0]
        state = self.state
        if path == "/v2/users/me/meetings" and method == "POST":
            meeting_id = next(state.ids)
            meeting = {
                **body,
                "id": meeting_id,
                "host_token": token,
                "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "join_url": f"https://zoom.example/j/{meeting_id}?pwd=lean",
                "settings": {
                    **(body.get("settings") or {}),
                    "global_dial_in_numbers": [
                        {"country": "US", "country_name": "US", "city": "", "number": "+1 555"}
                    ],
                },
            }
            with state.lock:
                state.meetings[str(meeting_id)] = meeting
                state.creates += 1
            return 201, {k: v for k, v in meeting.items() if k != "host_token"}
        if path == "/v2/users/me/meetings" and method == "GET":
            with state.lock:
                mine = [m for m in state.meetings.values() if m["host_token"] == token]
            return 200, {"meetings": mine, "next_page_token": ""}
        match = MEETING_RE.match(path)
        if match:
            with state.lock:
                meeting = state.meetings.get(match.group(1))
                if meeting is None:
                    return 404, {"code": 3001, "message": "Meeting does not exist."}
                if method == "DELETE":
                    del state.meetings[match.group(1)]
                    return 204, None
                if method == "PATCH":
                    meeting.update(body)
                    return 204, None
                return 200, meeting
        return 404, {"code": 404, "message": f"Not modelled: {method} {path}"}

    def _stats(self):
        state = self.state
        with state.lock:
            handling = sorted(state.handling)
            stats = {
                "calls": state.calls,
                "limited": state.limited,
                "creates": state.creates,
                "zoom_seconds": dict(state.zoom_seconds),
            }
        for pct in (50, 99):
            index = min(len(handling) - 1, round(pct / 100 * (len(handling) - 1)))
            stats[f"handling_p{pct}_ms"] = handling[index] * 1000 if handling else 0.0
        self._answer(200, stats)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tokens", required=True, help="JSON file: {access token: account id}")
    parser.add_argument("--latency-ms", type=int, default=300, help="median answer time")
    parser.add_argument(
        "--latency-p99-ms", type=int, default=0, help="99th percentile (log-normal); 0: fixed"
    )
    parser.add_argument("--seed", type=int, default=28)
    parser.add_argument("--qps-limit", type=int, default=0, help="per account; 0 = none")
    args = parser.parse_args()
    with open(args.tokens) as handle:
        tokens = json.load(handle)
    Handler.state = State(tokens, args.latency_ms, args.latency_p99_ms, args.qps_limit, args.seed)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
