"""zh-hans by default, English on request, and an English catalogue with no gaps."""

from __future__ import annotations

from pathlib import Path

import xiaoneng
from tests.conftest import County, client_for

CATALOGUE = Path(xiaoneng.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_pages_are_chinese_by_default(county: County) -> None:
    page = client_for(county.admin).get("/entities/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "经济户口" in page


def test_english_is_available(county: County) -> None:
    client = client_for(county.admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/entities/"})
    page = client.get("/entities/").content.decode()
    assert '<html lang="en">' in page
    assert "Register" in page and "经济户口" not in page


def test_every_message_has_an_english_translation() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first entry is the header
    assert "#, fuzzy" not in text
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""')]
    assert untranslated == []
