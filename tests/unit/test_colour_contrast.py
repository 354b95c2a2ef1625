"""The site's colours meet WCAG 2.2 AA contrast, read from static/css/site.css itself: text 4.5:1
(badges, muted text, links, buttons) and the focus ring 3:1 against what it is drawn on. axe-core
checks text on the pages the browser tests visit; the focus ring is outside what axe measures."""

import re
from pathlib import Path

import pytest

SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def colours() -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", SITE_CSS.read_text()))


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    first, second = sorted((luminance(a), luminance(b)), reverse=True)
    return (first + 0.05) / (second + 0.05)


@pytest.mark.parametrize(
    "text, background",
    [
        ("ok", "ok-bg"),  # badges and banners
        ("warn", "warn-bg"),
        ("bad", "bad-bg"),
        ("muted", "bg"),  # the idle badge, help text
        ("muted", "card"),
        ("ink", "bg"),
        ("accent", "card"),  # links and quiet buttons
        ("accent", "bg"),
        ("accent-ink", "accent"),  # buttons
        ("bad", "card"),  # danger buttons
    ],
)
def test_text_colours_reach_4_5_to_1(text, background):
    palette = colours()
    assert contrast(palette[text], palette[background]) >= 4.5


@pytest.mark.parametrize("background", ["card", "bg", "ok-bg", "warn-bg", "bad-bg"])
def test_the_focus_ring_reaches_3_to_1_on_every_surface(background):
    palette = colours()
    assert re.search(
        r":focus-visible\s*\{[^}]*outline:\s*3px solid var\(--focus\)", SITE_CSS.read_text()
    )
    assert contrast(palette["focus"], palette[background]) >= 3
