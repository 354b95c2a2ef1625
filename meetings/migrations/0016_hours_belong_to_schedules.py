# Availability schedules, step 3 of 3: weekly hours and date overrides belong to a schedule only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0015_schedules_from_meeting_types'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='availabilitywindow',
            name='availability_window_unique_start',
        ),
        migrations.RemoveField(
            model_name='availabilitywindow',
            name='meeting_type',
        ),
        migrations.RemoveField(
            model_name='dateoverride',
            name='meeting_type',
        ),
        migrations.AlterField(
            model_name='availabilitywindow',
            name='schedule',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='windows', to='meetings.availabilityschedule'),
        ),
        migrations.AlterField(
            model_name='dateoverride',
            name='schedule',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='overrides', to='meetings.availabilityschedule'),
        ),
        migrations.AddConstraint(
            model_name='availabilitywindow',
            constraint=models.UniqueConstraint(fields=('schedule', 'weekday', 'start_time'), name='availability_window_unique_start'),
        ),
    ]
