"""`{{ moment|long_datetime }}`, `{{ day|long_date }}`, `{{ day|day_title }}` in the active
language (meetings.dates). Give them local times (`|timezone:zone` first)."""

from django import template

from meetings import dates

register = template.Library()

register.filter("long_date", dates.long_date)
register.filter("day_title", dates.day_title)
register.filter("long_datetime", dates.long_datetime)
