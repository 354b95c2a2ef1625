"""A threaded WSGI server for the sandbox: the app's workers call it in parallel, and the per-second
limit only means something with concurrent requests. It can also drop a connection on purpose
(the `drop` and `timeout` failure kinds), which a WSGI app alone cannot do."""

import contextlib
import logging
import socket
import socketserver
import threading

from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application

from .knobs import DROP_FLAG

logger = logging.getLogger(__name__)
HANDLER_KEY = "zoom_sandbox.request_handler"


class SandboxRequestHandler(WSGIRequestHandler):
    def get_environ(self):
        environ = super().get_environ()
        environ[HANDLER_KEY] = self
        return environ

    def log_message(self, format, *args):
        logger.info("%s %s", self.address_string(), format % args)


class ThreadedServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


def application_with_drops(django_app):
    def app(environ, start_response):
        result = django_app(environ, start_response)
        if environ.get(DROP_FLAG):
            handler = environ[HANDLER_KEY]
            handler.close_connection = True
            # Closing the socket before a byte of the answer is written: the client sees a reset or
            # an empty reply, like a connection Zoom's edge dropped.
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
        return result

    return app


# How often the background loop looks for webhook retries that are due.
RETRY_POLL_SECONDS = 15


def _send_retries_forever(stop: threading.Event) -> None:
    from django.db import close_old_connections

    from .webhooks import send_due_retries

    while not stop.wait(RETRY_POLL_SECONDS):
        try:
            send_due_retries()
        except Exception:  # the loop must outlive one bad delivery; the next pass tries again
            logger.exception("Sending webhook retries failed")
        finally:
            close_old_connections()


def serve(host: str, port: int) -> None:
    stop = threading.Event()
    threading.Thread(target=_send_retries_forever, args=(stop,), daemon=True).start()
    httpd = ThreadedServer((host, port), SandboxRequestHandler)
    httpd.set_app(application_with_drops(get_wsgi_application()))
    print(f"Zoom sandbox listening on http://{host}:{httpd.server_port}/", flush=True)
    try:
        httpd.serve_forever()
    finally:
        stop.set()
        httpd.server_close()
