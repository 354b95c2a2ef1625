"""Where log lines go and how they look: Django's LOGGING, built from the settings that choose it
(config/settings.py reads them from the environment). The filters and the JSON format are
config/logging.py's and config/log_context.py's."""


def logging_config(log_format: str, *, level: str) -> dict:
    """LOGGING for `log_format` ("plain" or "json") with the root logger at `level`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "log_context": {"()": "config.log_context.LogContextFilter"},
            "redact_secrets": {"()": "config.logging.RedactSecretsFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s%(log_context)s"},
            "json": {"()": "config.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["log_context", "redact_secrets"],
            },
            # Errors (a 500, a failed task, a logged exception) mailed to ADMINS, redacted.
            "mail_admins": {
                "class": "config.logging.RedactedAdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false", "log_context", "redact_secrets"],
            },
        },
        "root": {
            "handlers": ["console", "mail_admins"],
            "level": level,
        },
        "loggers": {
            "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
            "celery": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
            # gunicorn's access log (written only when --access-logfile is given) through the same
            # filter: request lines carry OAuth codes and guest links.
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # urllib3 logs request URLs at DEBUG; keep it quieter than our own logs.
            "urllib3": {"level": "WARNING"},
        },
    }
