from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from .. import selectors
from ..forms import MeetingTypeForm
from ..models import MeetingType
from ..services.meeting_types import save_meeting_type
from ..zoom.gateway import zoom_connection_for, zoom_defaults_for, zoom_is_usable


@login_required
def meeting_type_list(request):
    return render(
        request,
        "meetings/meeting_types/list.html",
        {
            "meeting_types": selectors.meeting_types_of(request.user),
            "zoom_usable": zoom_is_usable(request.user),
        },
    )


@login_required
def meeting_type_create(request):
    instance = MeetingType(rep=request.user)
    initial = {} if request.method == "POST" else zoom_defaults_for(request.user)
    return _edit(request, instance, initial=initial, created=True)


@login_required
def meeting_type_edit(request, pk: int):
    try:
        instance = selectors.meeting_type_of(request.user, pk)
    except MeetingType.DoesNotExist:
        raise Http404("No such Meeting Type.") from None
    return _edit(request, instance, initial={}, created=False)


def _edit(request, instance: MeetingType, *, initial: dict, created: bool):
    form = MeetingTypeForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        initial=initial,
        rep=request.user,
    )
    connection = zoom_connection_for(request.user)
    zoom_usable = connection is not None and connection.is_usable
    if request.method == "POST" and form.is_valid():
        meeting_type = save_meeting_type(form.save(commit=False), form.windows)
        messages.success(request, f"“{meeting_type.name}” is saved.")
        if meeting_type.is_zoom and not zoom_usable:
            messages.warning(
                request,
                "Zoom is not connected: bookings of this type will wait for their links "
                "until you connect Zoom on My Integrations.",
            )
        return redirect("meetings:meeting_type_list")
    return render(
        request,
        "meetings/meeting_types/form.html",
        {
            "form": form,
            "created": created,
            "zoom_usable": zoom_usable,
            "zoom_is_basic": zoom_usable and connection.is_basic,
            "meeting_type": instance,
        },
    )
