"""Numbers of rectification orders: 伊市监责改〔2026〕0001号, the bureau's yearly sequence."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models.functions import Length

from xiaoneng.inspections.followup.models import Rectification
from xiaoneng.org.models import Unit


def number_prefix() -> str:
    """The bureau's document prefix (setting DOCUMENT_NUMBER_PREFIX, default 伊市监)."""
    return str(settings.DOCUMENT_NUMBER_PREFIX)


def next_number(year: int) -> str:
    """The next order number of ``year``: 伊市监责改〔2026〕0001号 (the bureau's yearly sequence).

    The caller holds the lock (``lock_sequence``) so that two orders never share a number.
    """
    head = f"{number_prefix()}责改〔{year}〕"
    last = (
        Rectification.objects.filter(number__startswith=head)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    found = re.search(r"〕(\d+)号$", last or "")
    sequence = int(found[1]) + 1 if found else 1
    return f"{head}{sequence:04d}号"


def lock_sequence() -> None:
    """Lock the root unit's row, so that orders issued at once are numbered one after another."""
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").values_list("pk", flat=True)
    list(Unit.objects.select_for_update().filter(pk__in=list(root[:1])))
