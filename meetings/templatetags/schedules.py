from django import template

from meetings.schedules import describe_week

register = template.Library()
register.filter("describe_week", describe_week)
