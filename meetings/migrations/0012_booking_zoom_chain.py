from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery

CHAINS = [
    ("personal", "The rep's own Zoom connection"),
    ("company", "The company's Zoom account"),
]


def record_existing_chains(apps, schema_editor):
    """Bookings made before the chain was recorded: the rep's own connection made them unless the
    company's Zoom account serves the rep and their own connection does not work (the precedence
    the link worker applied when it made them)."""
    Booking = apps.get_model("meetings", "Booking")
    ZoomConnection = apps.get_model("zoom", "ZoomConnection")
    ZoomAccountMember = apps.get_model("zoom", "ZoomAccountMember")
    own = ZoomConnection.objects.filter(status="connected").exclude(zoom_user_id="")
    company_served = ZoomAccountMember.objects.filter(state="served").exclude(
        rep_id__in=own.values("user_id")
    )
    with_meeting = Booking.objects.exclude(zoom_meeting_id="")
    with_meeting.filter(rep_id__in=company_served.values("rep_id")).update(zoom_chain="company")
    with_meeting.filter(zoom_chain="").update(zoom_chain="personal")
    # Sent invites carried the booking's join URL of the time: its chain is the best we know.
    InviteDelivery = apps.get_model("meetings", "InviteDelivery")
    InviteDelivery.objects.filter(booking__location_kind="zoom").exclude(location="").update(
        zoom_chain=Subquery(Booking.objects.filter(pk=OuterRef("booking_id")).values("zoom_chain"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0011_meeting_type_of_a_team"),
        ("zoom", "0005_account_reconnect_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="zoom_chain",
            field=models.CharField(
                blank=True, choices=CHAINS, max_length=10, verbose_name="Zoom meeting made by"
            ),
        ),
        migrations.AddField(
            model_name="invitedelivery",
            name="zoom_chain",
            field=models.CharField(blank=True, choices=CHAINS, max_length=10),
        ),
        migrations.RunPython(record_existing_chains, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.CheckConstraint(
                condition=Q(zoom_meeting_id="") | Q(zoom_chain__in=["personal", "company"]),
                name="booking_meeting_has_chain",
            ),
        ),
    ]
