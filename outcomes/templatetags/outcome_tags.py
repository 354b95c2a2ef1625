from django import template

from outcomes.rules import Outcome
from outcomes.selectors import guests_waiting_for, outcome_of

register = template.Library()


@register.inclusion_tag("outcomes/includes/outcome_badge.html")
def outcome_badge(booking):
    """The booking's outcome as a badge (nothing before the meeting, or once cancelled)."""
    return {"view": outcome_of(booking)}


@register.inclusion_tag("outcomes/includes/outcome_card.html", takes_context=True)
def outcome_card(context, booking):
    """The outcome, its times, and the rep's form to mark it."""
    return {
        "booking": booking,
        "view": outcome_of(booking),
        "choices": Outcome.choices,
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
