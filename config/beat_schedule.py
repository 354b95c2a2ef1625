"""What beat sends, and how often: the sweepers that find lost or due work, the keep-alives, and
beat's own heartbeat."""


def beat_schedule(*, heartbeat_seconds: int) -> dict:
    """CELERY_BEAT_SCHEDULE, with beat's heartbeat every `heartbeat_seconds`."""
    return {
        "clear-expired-sessions": {
            "task": "accounts.tasks.clear_expired_sessions",
            "schedule": 60 * 60 * 24,
        },
        # Zoom links whose enqueue was lost, whose worker died, or whose wait ran out.
        "meetings-sweep-due-work": {
            "task": "meetings.tasks.sweep_due_work",
            "schedule": 60,
        },
        # Reminders before meetings (each booking's next one, per its Meeting Type).
        "meetings-sweep-due-reminders": {
            "task": "meetings.tasks.sweep_due_reminders",
            "schedule": 60,
        },
        # Webhook deliveries stored while the broker was unreachable.
        "sweep-zoom-webhooks": {
            "task": "integrations.zoom.tasks.sweep_zoom_webhooks",
            "schedule": 60,
        },
        # Meetings that are over and unsettled checked with Zoom; hosts alerted to waiting guests.
        "outcomes-sweep": {
            "task": "outcomes.tasks.sweep_outcomes",
            "schedule": 60,
        },
        # Outgoing webhooks whose retry is due or whose enqueue was lost.
        "booking-webhooks-sweep": {
            "task": "booking_webhooks.tasks.sweep_webhook_deliveries",
            "schedule": 60,
        },
        # Idle Zoom connections refreshed and checked, reps of broken ones reminded.
        "zoom-keep-connections-alive": {
            "task": "integrations.zoom.tasks.keep_zoom_connections_alive",
            "schedule": 60 * 60,
        },
        # The company's Zoom account: its one token chain kept fresh, its reps matched again.
        "zoom-keep-company-account-alive": {
            "task": "integrations.zoom.tasks.keep_company_zoom_account_alive",
            "schedule": 60 * 60,
        },
        # Beat's own heartbeat (/healthz); one not run within its interval is dropped.
        "health-beat-heartbeat": {
            "task": "health.tasks.record_beat_heartbeat",
            "schedule": heartbeat_seconds,
            "options": {"expires": heartbeat_seconds},
        },
    }
