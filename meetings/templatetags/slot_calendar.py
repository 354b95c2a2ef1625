from django import template

register = template.Library()


@register.filter
def day_query(slots, day) -> str:
    """The query string of `slots` (a SlotMonth) with `day` picked."""
    return slots.query(day=day.isoformat())
