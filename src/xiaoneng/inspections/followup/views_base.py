"""What the follow-up page modules share beyond ``core.pages``: the case form's link."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def case_link(source: str, pk: int) -> str:
    """The case form for a source (rectification, finding, exit_check, unlicensed)."""
    try:
        base = reverse("cases:case_create")
    except NoReverseMatch:
        base = "/cases/new/"
    return f"{base}?{source}={pk}"
