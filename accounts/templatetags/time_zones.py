"""Time zones as people read them: `{{ zone|zone_city }}` → "New York"."""

from django import template

from accounts import time_zones

register = template.Library()


@register.filter
def zone_city(name: str) -> str:
    return time_zones.zone_city(str(name or ""))
