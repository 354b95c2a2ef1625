"""GET /metrics for Prometheus, answered before the HTTPS redirect and the host check (like the
probes: a scraper reaches the pod by its address), and only to `Authorization: Bearer
<METRICS_TOKEN>`; without METRICS_TOKEN there is no such page (404)."""

from django.conf import settings
from django.http import HttpResponse

from config import metrics

PATH = "/metrics"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") != PATH:
            return self.get_response(request)
        if not settings.METRICS_TOKEN:
            return HttpResponse(status=404)
        if not metrics.token_allows(
            request.headers.get("Authorization", ""), settings.METRICS_TOKEN
        ):
            return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
        response = HttpResponse(metrics.exposition(system=True), content_type=metrics.CONTENT_TYPE)
        response["Cache-Control"] = "no-store"
        return response
