"""What outcomes does when Zoom tells integrations something: a meeting's activity becomes its
booking's evidence; a removed app takes its participant data with it."""

from django.dispatch import receiver

from integrations.zoom.signals import (
    zoom_company_account_removed,
    zoom_data_erasure_due,
    zoom_meeting_activity,
)

from . import activity, erasure


@receiver(zoom_meeting_activity, dispatch_uid="outcomes.record_meeting_activity")
def record_meeting_activity(sender, *, event, meeting_id, details, occurred_at, **kwargs) -> bool:
    return activity.record(event, meeting_id, details, occurred_at)


@receiver(zoom_data_erasure_due, dispatch_uid="outcomes.erase_participant_data")
def erase_participant_data(sender, *, rep, **kwargs) -> int:
    return erasure.erase_for_reps([rep.pk])


@receiver(zoom_company_account_removed, dispatch_uid="outcomes.erase_company_participant_data")
def erase_company_participant_data(sender, *, rep_ids, **kwargs) -> int:
    return erasure.erase_for_reps(rep_ids)
