"""Error reports (the debug page, admin emails) never show secrets, debug mode included.

Django's own filter stands down when DEBUG is on; ours does not, so the frames of functions marked
with `sensitive_variables` (the webhook's signature check, the Zoom client's token calls) and
settings named like secrets are hidden on the debug page too: a demo left in debug mode on a
public address must not hand out the webhook secret or a rep's tokens.

Secrets also hide where no name gives them away: a password inside a service URL (a broker URL in a
setting, a local variable, an exception's message), a guest's link in the request's path. The whole
report, page or email, goes through the log filter's redaction (config.logging.redact).
"""

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from config.logging import redact


class SecretsHiddenReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request) -> bool:
        return True


class SecretsHiddenExceptionReporter(ExceptionReporter):
    def get_traceback_html(self):
        return redact(str(super().get_traceback_html()))

    def get_traceback_text(self):
        return redact(str(super().get_traceback_text()))
