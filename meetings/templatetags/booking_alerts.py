from django import template

from meetings.selectors import link_problems_of

register = template.Library()


@register.inclusion_tag("meetings/includes/link_alerts.html", takes_context=True)
def zoom_link_alerts(context):
    """A banner telling the rep which upcoming bookings lack their Zoom link, and why."""
    user = context["user"]
    problems = link_problems_of(user) if user.is_authenticated else {}
    return {"problems": problems, "any": any(problems.values())}
