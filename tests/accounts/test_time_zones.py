from datetime import UTC, datetime

from accounts.time_zones import (
    current_zone_names,
    time_zone_choices,
    utc_offset_label,
    zone_city,
    zone_values,
)


def test_the_picker_offers_area_city_zones_and_utc_only():
    names = current_zone_names()
    assert "America/Chicago" in names and "Asia/Kolkata" in names and "UTC" in names
    assert not [n for n in names if n.startswith(("Etc/", "US/")) or "/" not in n and n != "UTC"]


def test_offsets_follow_daylight_saving_time():
    assert utc_offset_label("America/Chicago", datetime(2026, 1, 15, tzinfo=UTC)) == "UTC−06:00"
    assert utc_offset_label("America/Chicago", datetime(2026, 7, 15, tzinfo=UTC)) == "UTC−05:00"
    assert utc_offset_label("Asia/Kolkata", datetime(2026, 7, 15, tzinfo=UTC)) == "UTC+05:30"


def test_a_saved_alias_stays_selectable():
    values = zone_values(time_zone_choices("US/Eastern"))
    assert values[0] == "US/Eastern"
    assert "US/Eastern" not in zone_values(time_zone_choices())


def test_zones_read_as_their_city_grouped_by_area_and_sorted_by_city():
    assert zone_city("America/New_York") == "New York"
    assert zone_city("America/Argentina/Buenos_Aires") == "Buenos Aires"
    assert zone_city("UTC") == "UTC"
    choices = dict(time_zone_choices())
    americas = choices["Americas"]
    labels = [label for _, label in americas]
    assert labels == sorted(labels)
    assert ("America/New_York", labels[[v for v, _ in americas].index("America/New_York")]) in (
        americas
    )
    assert any(label.startswith("New York (UTC−0") for label in labels)
    assert set(zone_values(time_zone_choices())) == set(current_zone_names())
