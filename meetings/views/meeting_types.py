from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import selectors
from ..forms import MeetingTypeForm
from ..meeting_types import MeetingType
from ..question_forms import question_formset
from ..services.meeting_types import (
    MeetingTypeInUse,
    delete_meeting_type,
    save_meeting_type,
    set_archived,
)
from ..services.schedules import ensure_a_schedule
from ..zoom.pages import zoom_defaults_for, zoom_host_for_page, zoom_state_for_page
from .deletion import delete_page


@login_required
def meeting_type_list(request):
    meeting_types = list(selectors.meeting_types_of(request.user))
    return render(
        request,
        "meetings/meeting_types/list.html",
        {
            "meeting_types": [t for t in meeting_types if not t.is_archived],
            "archived_types": [t for t in meeting_types if t.is_archived],
            "zoom_state": zoom_state_for_page(request.user),
        },
    )


def _own_meeting_type(request, pk: int) -> MeetingType:
    return get_object_or_404(selectors.meeting_types_with_hours_of(request.user), pk=pk)


@login_required
@require_POST
def meeting_type_archive(request, pk: int):
    archive = request.POST.get("archived") == "1"
    meeting_type = set_archived(_own_meeting_type(request, pk), archive)
    if archive:
        messages.success(
            request,
            f"“{meeting_type.name}” is archived: its booking page is closed, "
            "its existing bookings keep working.",
        )
    else:
        messages.success(request, f"“{meeting_type.name}” is back in your Meeting Types.")
    return redirect("meetings:meeting_type_list")


@login_required
def meeting_type_delete(request, pk: int):
    meeting_type = _own_meeting_type(request, pk)
    return delete_page(
        request,
        meeting_type,
        delete=delete_meeting_type,
        refused=MeetingTypeInUse,
        back="meetings:meeting_type_list",
        template="meetings/meeting_types/delete.html",
        question=lambda: {"meeting_type": meeting_type, "blocked": meeting_type.bookings.exists()},
    )


@login_required
def meeting_type_create(request):
    # A new type starts with the rep's default schedule (made for a rep who has none yet).
    instance = MeetingType(rep=request.user, schedule=ensure_a_schedule(request.user))
    initial = {} if request.method == "POST" else zoom_defaults_for(request.user)
    return _edit(request, instance, initial=initial, created=True)


@login_required
def meeting_type_edit(request, pk: int):
    return _edit(request, _own_meeting_type(request, pk), initial={}, created=False)


def _edit(request, instance: MeetingType, *, initial: dict, created: bool):
    data = request.POST if request.method == "POST" else None
    if data is not None and "schedule" not in data and instance.schedule_id:
        # A client that never showed the choice keeps the schedule the type has (or starts with).
        data = data.copy()
        data["schedule"] = str(instance.schedule_id)
    form = MeetingTypeForm(data, instance=instance, initial=initial, rep=request.user)
    questions = question_formset(data, instance)
    host = zoom_host_for_page(request.user)
    zoom_state = zoom_state_for_page(request.user)
    # Both are validated, so every mistake on the page is shown at once.
    questions_valid = questions is None or not questions.is_bound or questions.is_valid()
    if data is not None and form.is_valid() and questions_valid:
        meeting_type = save_meeting_type(
            form.save(commit=False), questions.rows if questions else None
        )
        messages.success(request, f"“{meeting_type.name}” is saved.")
        if meeting_type.is_zoom and not zoom_state.works:
            messages.warning(
                request,
                "Zoom is not working for you right now (see My Integrations): bookings of this "
                "type wait for their links until it does.",
            )
        return redirect("meetings:meeting_type_list")
    return render(
        request,
        "meetings/meeting_types/form.html",
        {
            "form": form,
            "questions": questions or question_formset(None, instance),
            "created": created,
            "zoom_state": zoom_state,
            "zoom_is_basic": zoom_state.works and host.is_basic,
            "meeting_type": instance,
        },
    )
