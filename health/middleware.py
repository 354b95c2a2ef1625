"""Health probes, answered before anything that could turn a probe away.

Load balancers and Kubernetes probe over plain HTTP with the pod's IP as Host. These paths are
answered here, first in MIDDLEWARE, before SecurityMiddleware (the HTTPS redirect) and before
anything reads the Host header (ALLOWED_HOSTS). The answers carry no page and no host-derived
content, so skipping both is safe.

- /healthz/live   liveness: this process serves requests (no dependency; a database outage must
                  not get every web process restarted).
- /healthz/ready  readiness: the database answers, so this process can take traffic. Not the
                  broker: a booking survives a broker outage (the sweeper hands its work over
                  later), so a broker outage must not take every web process out of rotation.
                  Answered within READY_DEADLINE even when the database never answers.
- /healthz        the whole system, for monitoring: also the broker, a worker answers and beat ran
                  lately; `beats` counts the beats running (one sends, others stand by).

A probe's 503 is an answer, not an error: it is not logged as a server error, so it never mails
ADMINS however often a monitor asks while a worker is down.
"""

from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from health import checks

READY_DEADLINE = 0.4
SYSTEM_DEADLINE = 3.0

_READY = {"database": checks.database_ok}
_SYSTEM = {
    "database": checks.database_ok,
    "broker": checks.broker_ok,
    "worker": checks.worker_ok,
    "beat": checks.beat_ok,
}
# path: (checks that decide the status, figures reported beside them, deadline)
PROBES = {
    "/healthz/live": ({}, {}, 0),
    "/healthz/ready": (_READY, {}, READY_DEADLINE),
    "/healthz": (_SYSTEM, {"beats": checks.beats_running}, SYSTEM_DEADLINE),
}


class HealthProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"error": "GET only"}, status=405, headers={"Allow": "GET, HEAD"})
        decide, figures, deadline = probe
        results = checks.run({**decide, **figures}, deadline) if decide else {}
        body = {name: "ok" if results[name] else "down" for name in decide} or {"status": "ok"}
        body.update({name: results[name] for name in figures})
        healthy = all(results[name] for name in decide)  # a late check (None) is down
        response = JsonResponse(body, status=200 if healthy else 503)
        add_never_cache_headers(response)
        # Django logs every 5xx as an error (mailed to ADMINS): a probe's answer is not one.
        response._has_been_logged = True
        return response
