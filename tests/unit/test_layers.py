"""Who may import whom: the layering the code promises, checked on the source (no imports run)."""

from config.celery import app as celery_app
from scripts.code_shape import ROOT, import_graph, imported_modules, python_files

ZOOM = ROOT / "integrations" / "zoom"
# The Zoom admin layer, what hands work to workers, the pages, and the app's wiring (its ready()
# connects the listeners): the core announces, these listen.
ZOOM_OUTER = {
    "admin",
    "apps",
    "company.views",
    "connection.notifications",
    "connection.views",
    "management",
    "tasks",
    "templatetags",
    "urls",
}


def is_outer(module: str) -> bool:
    """Whether a module (`integrations.zoom.…`, dotted) is in, or below, one of ZOOM_OUTER."""
    inside = module.removeprefix("integrations.zoom.")
    return inside != module and any(
        inside == name or inside.startswith(name + ".") for name in ZOOM_OUTER
    )


def test_the_zoom_core_never_imports_the_zoom_admin_tasks_or_pages():
    offenders = {}
    for path in python_files(ZOOM):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if is_outer(module):
            continue
        reached = {m for m in imported_modules(path) if is_outer(m)}
        if reached:
            offenders[str(path.relative_to(ROOT))] = sorted(reached)
    assert offenders == {}


def test_only_meetings_zoom_imports_the_zoom_integration():
    offenders = {
        str(p.relative_to(ROOT))
        for p in python_files(ROOT / "meetings")
        if "zoom" not in p.relative_to(ROOT / "meetings").parts
        and any(m.startswith("integrations") for m in imported_modules(p))
    }
    assert offenders == set()


def test_services_announce_work_and_never_import_a_tasks_module():
    services = [
        *python_files(ROOT / "meetings" / "services"),
        ROOT / "meetings" / "signals.py",
        ROOT / "meetings" / "zoom" / "links.py",
        ROOT / "meetings" / "zoom" / "resume.py",
        ROOT / "meetings" / "zoom" / "retries.py",
        ROOT / "integrations" / "zoom" / "connection" / "services.py",
        ROOT / "integrations" / "zoom" / "connection" / "lifecycle.py",
        ROOT / "integrations" / "zoom" / "connection" / "keepalive.py",
        ROOT / "integrations" / "zoom" / "webhooks" / "deliveries.py",
        ROOT / "outcomes" / "services.py",
        ROOT / "outcomes" / "followups.py",
        *python_files(ROOT / "outcomes" / "zoom"),
        ROOT / "booking_webhooks" / "deliveries.py",
    ]
    offenders = {
        str(p.relative_to(ROOT))
        for p in services
        if any(m.endswith(".tasks") or ".tasks." in m for m in imported_modules(p))
    }
    assert offenders == set()


def test_task_names_stay_what_queued_messages_were_sent_under():
    celery_app.loader.import_default_modules()
    assert {name for name in celery_app.tasks if not name.startswith("celery.")} == {
        "accounts.tasks.clear_expired_sessions",
        "booking_webhooks.tasks.deliver_webhook",
        "booking_webhooks.tasks.sweep_webhook_deliveries",
        "health.tasks.record_beat_heartbeat",
        "integrations.zoom.tasks.check_zoom_connection",
        "integrations.zoom.tasks.keep_company_zoom_account_alive",
        "integrations.zoom.tasks.keep_zoom_connections_alive",
        "integrations.zoom.tasks.match_company_zoom_reps",
        "integrations.zoom.tasks.process_zoom_webhook",
        "integrations.zoom.tasks.send_zoom_account_notice",
        "integrations.zoom.tasks.send_zoom_reconnect_notice",
        "integrations.zoom.tasks.sweep_zoom_webhooks",
        "meetings.tasks.send_booking_invites",
        "outcomes.tasks.alert_host_absent",
        "outcomes.tasks.check_outcome",
        "outcomes.tasks.send_no_show_email",
        "outcomes.tasks.sweep_outcomes",
        "meetings.tasks.send_booking_reminder",
        "meetings.tasks.sweep_due_reminders",
        "meetings.tasks.sweep_due_work",
        "meetings.tasks.sync_zoom_meeting",
        "meetings.zoom.tasks.remove_former_meeting",
    }


def test_no_two_modules_import_each_other_even_through_others():
    # Every import counts, function-local ones included: those are how circles hide. Every product
    # package is read (scripts/code_shape.py).
    graph = import_graph()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(graph.get(current, ()))
        return False

    circles = sorted(
        (a, b) for a in graph for b in graph[a] if not b.startswith(a + ".") and reaches(b, a)
    )
    assert circles == []
