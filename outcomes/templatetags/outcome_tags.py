from django import template
from django.utils import timezone

from outcomes.followups import no_show_email_would_go
from outcomes.rules import Outcome
from outcomes.selectors import guests_waiting_for, list_unavailable_reason, outcome_of

register = template.Library()


def _scope_missing(context, booking) -> str:
    """The booking's rep's `list_unavailable_reason`, read once per rep per page (a list shows
    many of one rep's bookings)."""
    known = context.render_context.setdefault("outcomes.scope_missing", {})
    if booking.rep_id not in known:
        known[booking.rep_id] = list_unavailable_reason(booking.rep)
    return known[booking.rep_id]


def _view(context, booking):
    if booking.is_cancelled or not booking.is_zoom or booking.start_at > timezone.now():
        return outcome_of(booking)
    return outcome_of(booking, scope_missing=_scope_missing(context, booking))


@register.inclusion_tag("outcomes/includes/outcome_badge.html", takes_context=True)
def outcome_badge(context, booking):
    """The booking's outcome as a badge (nothing before the meeting, or once cancelled)."""
    return {"view": _view(context, booking)}


@register.simple_tag
def outcomes_scope_missing(user) -> str:
    """What the rep's Zoom grant lacks for meeting outcomes (My Integrations)."""
    return list_unavailable_reason(user) if user.is_authenticated else ""


@register.inclusion_tag("outcomes/includes/outcome_card.html", takes_context=True)
def outcome_card(context, booking):
    """The outcome, its times, and the rep's form to mark it."""
    view = _view(context, booking)
    return {
        "booking": booking,
        "view": view,
        # The rep is told before marking a no-show that the guest will be emailed.
        "no_show_email_would_go": view is not None
        and view.markable
        and not (view.record and view.record.no_show_email_sent_at)
        and no_show_email_would_go(booking),
        "choices": Outcome.choices,
        "guest_no_show_label": Outcome.GUEST_NO_SHOW.label,
        "user": context["user"],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("outcomes/includes/guests_waiting.html", takes_context=True)
def guests_waiting(context):
    """A banner for each meeting where a guest waits for the rep right now."""
    user = context["user"]
    return {
        "bookings": guests_waiting_for(user) if user.is_authenticated else [],
        "user": user,
        "csrf_token": context.get("csrf_token"),
    }
