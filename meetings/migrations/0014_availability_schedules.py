# Availability schedules, step 1 of 3: the schedule model, and a schedule link beside the Meeting
# Type link of weekly hours and date overrides (filled in by 0015, the old link dropped by 0016).
# Three migrations, not one: PostgreSQL refuses to ALTER a table whose rows changed in the same
# transaction while their foreign keys' deferred checks are pending.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0013_booking_form_questions_guests_language'),
        ('teams', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AvailabilitySchedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80)),
                ('is_default', models.BooleanField(default=False, verbose_name='use for new Meeting Types')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('rep', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='schedules', to=settings.AUTH_USER_MODEL)),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='schedules', to='teams.team')),
            ],
            options={
                'ordering': ['-is_default', 'name', 'pk'],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(models.Q(('rep__isnull', False), ('team__isnull', True)), models.Q(('rep__isnull', True), ('team__isnull', False)), _connector='OR'), name='schedule_of_a_rep_or_a_team'),
                    models.UniqueConstraint(fields=('rep', 'name'), name='schedule_name_unique_per_rep'),
                    models.UniqueConstraint(fields=('team', 'name'), name='schedule_name_unique_per_team'),
                    models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('rep',), name='schedule_one_default_per_rep'),
                ],
            },
        ),
        migrations.AddField(
            model_name='meetingtype',
            name='schedule',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meeting_types', to='meetings.availabilityschedule', verbose_name='availability'),
        ),
        migrations.AddField(
            model_name='availabilitywindow',
            name='schedule',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='windows', to='meetings.availabilityschedule'),
        ),
        migrations.AddField(
            model_name='dateoverride',
            name='schedule',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='overrides', to='meetings.availabilityschedule'),
        ),
    ]
