"""PostgreSQL only: confirmed bookings of one rep may not overlap, whatever their Meeting Types.

The unique (rep, start) constraint from 0001 only catches identical starts; this exclusion
constraint also refuses a 10:00–11:00 booking next to a 10:30–11:00 one. It needs btree_gist (a
trusted extension since PostgreSQL 13, so the database owner may create it). SQLite, used by the
demo alone, has no equivalent: there the per-rep row lock in the booking service does the job.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE meetings_booking ADD CONSTRAINT booking_confirmed_times_do_not_overlap
    EXCLUDE USING gist (rep_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
    WHERE (status = 'confirmed');
"""
DROP = "ALTER TABLE meetings_booking DROP CONSTRAINT IF EXISTS booking_confirmed_times_do_not_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
