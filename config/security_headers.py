"""Content-Security-Policy on every page: scripts only from our own static files, never inline.

Pages carry no inline scripts or event handlers (behaviour lives in static .js files), so an
injected `<script>` or `onerror=` never runs even if escaping were ever missed. Forms may post only
to us and to Zoom's OAuth server (Connect redirects there after its POST).
"""

from django.conf import settings


def content_security_policy() -> str:
    form_targets = " ".join(["'self'", settings.ZOOM_OAUTH_BASE_URL])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # The Django admin's templates carry style attributes; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            f"form-action {form_targets}",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        return response
