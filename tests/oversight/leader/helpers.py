"""What the leader's view tests share: its addresses, the day it is asked on, and the counts of
a view or of the list page a card links to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

D = dt.date
TODAY = D(2026, 7, 15)
URL = "/oversight/"
API = "/api/v1/oversight"


def counts(view: Any) -> dict[str, int]:
    return {item.key: item.count for item in view.items}


def listed(client: Client, link: str | None) -> int:
    """How many records the list page at ``link`` shows (its total, checked against its rows)."""
    assert link is not None
    response = client.get(link)
    assert response.status_code == 200, link
    if "by_officer" in response.context:  # the spot checks of a month, by officer
        # ... and apart, those of the user's own records (others review them).
        shown = sum(len(reviews) for _officer, reviews in response.context["by_officer"])
        return shown + len(response.context["own"])
    page = response.context["page"]
    assert len(page.object_list) == page.paginator.count  # one page holds them all here
    return int(page.paginator.count)
