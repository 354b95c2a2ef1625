from django import template

from meetings.zoom.pages import zoom_state_for_page

register = template.Library()


@register.simple_tag
def zoom_state(rep):
    """`{% zoom_state user as zoom_state %}`: where the rep's Zoom stands, for
    templates/integrations/zoom/_state.html and _state_badge.html."""
    return zoom_state_for_page(rep)
