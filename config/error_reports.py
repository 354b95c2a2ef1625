"""Error reports (the debug page, admin emails) never show secrets, debug mode included.

Django's own filter stands down when DEBUG is on; ours does not, so the frames of functions marked
with `sensitive_variables` (the webhook's signature check, the Zoom client's token calls) and
settings named like secrets are hidden on the debug page too: a demo left in debug mode on a
public address must not hand out the webhook secret or a rep's tokens.
"""

from django.views.debug import SafeExceptionReporterFilter


class SecretsHiddenReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request) -> bool:
        return True
