"""The client's address, as far as the proxies we run can vouch for it.

Each proxy of ours appends the address it received the request from to X-Forwarded-For, so with
DJANGO_TRUSTED_PROXY_COUNT = N the N-th entry from the end was written by our outermost proxy and
is the client's. Everything before it came from the client and may be invented; with N = 0 the
header is ignored and the socket's peer is the client.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(hops) >= count:
            candidate = _valid(hops[-count])
            if candidate:
                return candidate
    return _valid(request.META.get("REMOTE_ADDR", "")) or "unknown"


def _valid(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""
