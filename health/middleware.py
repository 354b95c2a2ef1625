"""Health probes, answered before anything that could turn a probe away.

Load balancers and Kubernetes probe over plain HTTP with the pod's IP as Host. These paths are
answered here, first in MIDDLEWARE, before SecurityMiddleware (the HTTPS redirect) and before
anything reads the Host header (ALLOWED_HOSTS). The answers carry no page and no host-derived
content, so skipping both is safe.

- /healthz/live   liveness: this process serves requests (no dependency; a database outage must
                  not get every web process restarted).
- /healthz/ready  readiness: the database and the broker answer, so this process can take traffic.
- /healthz        the whole system, for monitoring: also a worker answers and beat ran lately.
"""

from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from health import checks

_READY = {"database": checks.database_ok, "broker": checks.broker_ok}
_SYSTEM = {**_READY, "worker": checks.worker_ok, "beat": checks.beat_ok}
PROBES = {"/healthz/live": {}, "/healthz/ready": _READY, "/healthz": _SYSTEM}


class HealthProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"error": "GET only"}, status=405, headers={"Allow": "GET, HEAD"})
        results = {name: check() for name, check in probe.items()}
        body = {name: "ok" if ok else "down" for name, ok in results.items()} or {"status": "ok"}
        response = JsonResponse(body, status=200 if all(results.values()) else 503)
        add_never_cache_headers(response)
        return response
