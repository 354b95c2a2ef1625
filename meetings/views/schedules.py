"""The rep's availability schedules: named weekly hours with date overrides, shared by Meeting
Types."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from .. import selectors
from ..availability import Window
from ..override_forms import override_formset
from ..schedule_forms import ScheduleForm, hours_formset
from ..schedules import AvailabilitySchedule
from ..services.schedules import (
    WORKING_WEEK,
    ScheduleError,
    delete_schedule,
    ensure_a_schedule,
    save_schedule,
)
from .deletion import delete_page


@login_required
def schedule_list(request):
    ensure_a_schedule(request.user)
    return render(
        request,
        "meetings/schedules/list.html",
        {"schedules": selectors.schedules_of(request.user)},
    )


def _own_schedule(request, pk: int) -> AvailabilitySchedule:
    return get_object_or_404(AvailabilitySchedule.objects.filter(rep=request.user), pk=pk)


@login_required
def schedule_create(request):
    schedule = AvailabilitySchedule(rep=request.user)
    return _edit(request, schedule, windows=WORKING_WEEK, created=True)


@login_required
def schedule_edit(request, pk: int):
    schedule = _own_schedule(request, pk)
    windows = [Window(w.weekday, w.start_time, w.end_time) for w in schedule.windows.all()]
    return _edit(request, schedule, windows=windows, created=False)


def _edit(request, schedule: AvailabilitySchedule, *, windows, created: bool):
    data = request.POST if request.method == "POST" else None
    form = ScheduleForm(data, instance=schedule, rep=request.user)
    hours = hours_formset(data, windows)
    overrides = override_formset(data, schedule)
    # Every part is validated, so every mistake on the page is shown at once.
    valid = [form.is_valid(), hours.is_valid(), overrides is None or overrides.is_valid()]
    if data is not None and all(valid):
        try:
            saved = save_schedule(
                form.save(commit=False), hours.windows, overrides.rows if overrides else None
            )
        except ScheduleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"“{saved.name}” is saved.")
            return redirect("meetings:schedule_list")
    return render(
        request,
        "meetings/schedules/form.html",
        {
            "form": form,
            "hours": hours,
            "overrides": overrides or override_formset(None, schedule),
            "schedule": schedule,
            "created": created,
            "used_by": list(schedule.meeting_types.all()) if schedule.pk else [],
        },
    )


@login_required
def schedule_delete(request, pk: int):
    schedule = _own_schedule(request, pk)

    def question():
        used_by = list(schedule.meeting_types.all())
        return {"used_by": used_by, "blocked": used_by}

    return delete_page(
        request,
        schedule,
        delete=delete_schedule,
        refused=ScheduleError,
        back="meetings:schedule_list",
        template="meetings/schedules/delete.html",
        question=question,
    )
