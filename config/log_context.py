"""What every log line says about the work it belongs to: the request id and the booking id.

A web request gets a request id (the proxy's `X-Request-ID` when it sent a sane one, else a new one;
it is echoed in the response). A booking change names its booking (`bind`). Tasks published while
these are known carry them in their message headers, and a worker binds them while it runs the
task, so the lines of a booking's POST, of its Zoom work, its invites and every retry share both
ids; a task that takes a `booking_id` is bound to that booking, whoever published it (the sweeper,
beat).
The log filter (`LogContextFilter`) puts them on every record, for the JSON format and the plain.
"""

import contextvars
import functools
import inspect
import logging
import re
import uuid
from contextlib import contextmanager
from types import MappingProxyType

from celery import signals

FIELDS = ("request_id", "booking_id")
_context: contextvars.ContextVar = contextvars.ContextVar(
    "log_context", default=MappingProxyType({})
)
# A proxy's id is taken as it is only when it looks like one (it is written into every log line).
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def current() -> dict:
    return dict(_context.get())


def bind(**values) -> None:
    """Adds to the context of the rest of this request or task."""
    _context.set({**_context.get(), **{k: str(v) for k, v in values.items() if v is not None}})


@contextmanager
def scope(**values):
    """The context for a block: `values` alone (what came before is put back afterwards)."""
    token = _context.set({k: str(v) for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        _context.reset(token)


class LogContextFilter(logging.Filter):
    """Sets `request_id` and `booking_id` on the record ("" when unknown), and `log_context`, the
    plain format's " [request … booking …]" ("" when neither is known)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get()
        for name in FIELDS:
            if not hasattr(record, name):
                setattr(record, name, context.get(name, ""))
        known = [f"{name[:-3]} {getattr(record, name)}" for name in FIELDS if getattr(record, name)]
        record.log_context = f" [{' '.join(known)}]" if known else ""
        return True


class RequestIdMiddleware:
    """First in MIDDLEWARE: every line a request logs carries its id."""

    header = "HTTP_X_REQUEST_ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get(self.header, "")
        request_id = offered if _SANE_ID.match(offered) else uuid.uuid4().hex
        with scope(request_id=request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@signals.before_task_publish.connect
def _carry_context(headers=None, **kwargs):
    if headers is not None:
        headers.update({f"log_{name}": value for name, value in _context.get().items()})


@signals.task_prerun.connect
def _bind_carried_context(task=None, args=None, kwargs=None, **extra):
    request = getattr(task, "request", None)
    carried = {name: getattr(request, f"log_{name}", None) for name in FIELDS}
    named = _booking_argument(task, args or (), kwargs or {})
    if named is not None:
        carried["booking_id"] = named
    _context.set({name: str(value) for name, value in carried.items() if value})


def _booking_argument(task, args, kwargs):
    """The `booking_id` the task was called with, if it takes one."""
    if "booking_id" in kwargs:
        return kwargs["booking_id"]
    position = _booking_position(task) if task is not None else None
    return args[position] if position is not None and position < len(args) else None


@functools.cache
def _booking_position(task) -> int | None:
    parameters = list(inspect.signature(task.run).parameters)
    return parameters.index("booking_id") if "booking_id" in parameters else None


@signals.task_postrun.connect
def _forget_context(**kwargs):
    _context.set({})
