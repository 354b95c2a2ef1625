from datetime import UTC, datetime

from accounts.time_zones import current_zone_names, time_zone_choices, utc_offset_label


def test_the_picker_offers_area_city_zones_and_utc_only():
    names = current_zone_names()
    assert "America/Chicago" in names and "Asia/Kolkata" in names and "UTC" in names
    assert not [n for n in names if n.startswith(("Etc/", "US/")) or "/" not in n and n != "UTC"]


def test_offsets_follow_daylight_saving_time():
    assert utc_offset_label("America/Chicago", datetime(2026, 1, 15, tzinfo=UTC)) == "UTC−06:00"
    assert utc_offset_label("America/Chicago", datetime(2026, 7, 15, tzinfo=UTC)) == "UTC−05:00"
    assert utc_offset_label("Asia/Kolkata", datetime(2026, 7, 15, tzinfo=UTC)) == "UTC+05:30"


def test_a_saved_alias_stays_selectable():
    values = [value for value, _ in time_zone_choices("US/Eastern")]
    assert values[0] == "US/Eastern"
    assert "US/Eastern" not in [value for value, _ in time_zone_choices()]
