"""Open-loop guests: every request leaves at its due time, whatever the server does.

One asyncio loop sends every request on its own connection (each guest is another browser), so
a slow answer never holds the next request back: there is no pool of guests to run out of.
Each request's latency is measured from its due time, so time spent queued (in the listen
backlog, behind busy web processes) counts. `lag` is how late the loop itself sent it: when that
grows, the machine running the guests, not the server, set the pace, and the run says so.
"""

import asyncio
import multiprocessing
import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

# A request with no answer after this long counts as failed (status 0).
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Request:
    kind: str  # "book", or a probe's name
    offset: float  # seconds after the start
    raw: bytes
    booking: int = -1  # the planned booking's index


@dataclass
class Outcome:
    kind: str
    booking: int
    due: float  # wall clock (time.time())
    lag: float  # seconds between the due time and the send
    latency: float  # seconds from the due time to the whole answer
    status: int  # 0: no answer
    error: str = ""


def _http(method: str, host: str, path: str, headers: dict, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def booking_request(host: str, path: str, start_iso: str, index: int, offset: float) -> Request:
    """A guest's booking POST as a browser sends it over HTTPS behind the proxy: CSRF cookie and
    token (a fresh secret per guest), the Referer Django checks on HTTPS."""
    csrf = secrets.token_hex(16)
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "start": start_iso,
            "name": f"Guest {index}",
            "email": f"guest{index}@example.org",
            "time_zone": "Europe/Paris",
        }
    ).encode()
    headers = {
        "X-Forwarded-Proto": "https",
        "Referer": f"https://{host}{path}",
        "Cookie": f"csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return Request("book", offset, _http("POST", host, path, headers, body), index)


def probe_requests(host: str, probes: dict[str, str], rate: float, duration: float):
    """GETs of each probe path at `rate` per second, on the same schedule as the bookings."""
    raw = {
        name: _http("GET", host, path, {"X-Forwarded-Proto": "https"})
        for name, path in probes.items()
    }
    return [
        Request(name, tick / rate, raw[name])
        for tick in range(int(duration * rate))
        for name in probes
    ]


async def _answer_status(reader: asyncio.StreamReader) -> int:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed before answering")
    status = int(status_line.split()[1])
    length = None
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        await reader.read()  # Connection: close ends the body
    elif length:
        await reader.readexactly(length)
    return status


async def _send(address, request: Request, due_mono: float, due_wall: float) -> Outcome:
    loop = asyncio.get_running_loop()
    lag = loop.time() - due_mono
    status, error, writer = 0, "", None
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            reader, writer = await asyncio.open_connection(*address)
            writer.write(request.raw)
            status = await _answer_status(reader)
    except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError) as exc:
        error = type(exc).__name__
    finally:
        if writer is not None:
            writer.close()
    return Outcome(
        request.kind, request.booking, due_wall, lag, loop.time() - due_mono, status, error
    )


async def _offer(address, requests: list[Request], lead: float) -> list[Outcome]:
    loop = asyncio.get_running_loop()
    start_mono = loop.time() + lead
    start_wall = time.time() + lead
    sending = []
    for request in sorted(requests, key=lambda r: r.offset):
        due = start_mono + request.offset
        wait = due - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        sending.append(
            asyncio.create_task(_send(address, request, due, start_wall + request.offset))
        )
    return list(await asyncio.gather(*sending))


def offer(base_url: str, requests: list[Request], lead: float = 0.5) -> list[Outcome]:
    """Sends every request at its offset from now + `lead`; returns every outcome."""
    host_port = base_url.split("://", 1)[1]
    host, port = host_port.rsplit(":", 1)
    return _run_in_own_thread(_offer((host, int(port)), requests, lead))


def _run_in_own_thread(coroutine):
    """Runs `coroutine` on a fresh event loop in a thread of its own. The caller's thread may
    already have a loop running (Playwright's sync API leaves one in the main thread, and
    asyncio.run() refuses to start inside it); a thread of our own never has one, so the guests
    run the same way from a script, a spawned process or a test."""
    result = {}

    def run():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # handed to the caller, raised there
            result["error"] = exc

    thread = threading.Thread(target=run, name="open-loop guests")
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def _offer_and_send_back(connection, base_url: str, requests: list[Request], lead: float):
    connection.send(offer(base_url, requests, lead))
    connection.close()


class Guests:
    """The guests in a process of their own: nothing else runs there (no Django heap for the
    garbage collector to walk, no measuring thread), so only the machine can make them late."""

    def __init__(self):
        self.pid = 0

    def offer(self, base_url: str, requests: list[Request], lead: float = 0.5) -> list[Outcome]:
        context = multiprocessing.get_context("spawn")
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(
            target=_offer_and_send_back, args=(sending, base_url, requests, lead)
        )
        child.start()
        self.pid = child.pid
        sending.close()
        outcomes = receiving.recv()
        child.join()
        return outcomes
