"""The guest's languages ship compiled: every message of every catalogue is translated, with the
same placeholders, and the committed .mo files say what the .po files say, so a fresh checkout
needs no gettext tools (`make messages` rebuilds both)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def entries(po: Path) -> list[dict]:
    """The catalogue's messages: {"flags", "msgid", "msgid_plural", "msgstr": [..]} (no header)."""
    found, current, key = [], None, None
    for line in po.read_text().splitlines() + [""]:
        if not line.strip():
            if current and current.get("msgid"):
                found.append(current)
            current, key = None, None
            continue
        current = current or {"flags": "", "msgid": "", "msgid_plural": None, "msgstr": []}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if key == "msgstr":
                current["msgstr"][-1] += value
            else:
                current[key] = (current[key] or "") + value
        else:
            keyword, value = line.split(" ", 1)
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                key = "msgstr"
                current["msgstr"].append(value)
            else:
                key = keyword
                current[keyword] = value
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language):
    messages = entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(messages) > 100
    for message in messages:
        assert "fuzzy" not in message["flags"], message["msgid"]
        assert all(message["msgstr"]), f"{language}: untranslated {message['msgid']!r}"
        wanted = set(PLACEHOLDER.findall(message["msgid"] + (message["msgid_plural"] or "")))
        for text in message["msgstr"]:
            found = set(PLACEHOLDER.findall(text))
            # A singular form may say "one" instead of its count; nothing else may go missing.
            assert found <= wanted and wanted - found <= {"%(counter)s"}, message["msgid"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for message in entries(folder / "django.po"):
        if message["msgid_plural"] is None:
            assert catalogue.gettext(message["msgid"]) == message["msgstr"][0], message["msgid"]
        else:
            assert (
                catalogue.ngettext(message["msgid"], message["msgid_plural"], 1)
                == (message["msgstr"][0])
            )
