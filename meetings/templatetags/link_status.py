from django import template

from meetings.link_status import link_status as status_of

register = template.Library()


@register.simple_tag
def link_status(booking):
    """`{% link_status booking as status %}`: the one reading of where its meeting place stands."""
    return status_of(booking)
