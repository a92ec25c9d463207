"""Forms of the policy pages: they type the effective day and collect the 12 cells as text;
planning.policy reads the cells and decides what is valid."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, PageForm
from xiaoneng.planning.policy.services import CLASSES, GRADES, PolicyTable, cell_key

CELL_VALUES = ("distance", "patrol_interval_days", "draw_ratio")
CELL_KEYS = [cell_key(c, g) for c in CLASSES for g in GRADES]
EFFECTIVE_FROM = _("请填写生效日期（YYYY-MM-DD）")


class PolicyForm(PageForm):
    """A new policy version: its effective day, a note, and each class × grade cell's distance,
    interval and draw ratio (inputs named ``I-A.distance`` and so on)."""

    effective_from = DayField(
        label=_("生效日期"),
        required=True,
        invalid=EFFECTIVE_FROM,
        error_messages={"required": EFFECTIVE_FROM},
    )
    note = forms.CharField(label=_("说明（依据、变化）"), required=False, strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in CELL_KEYS:
            for name in CELL_VALUES:
                self.fields[f"{key}.{name}"] = forms.CharField(required=False)

    @classmethod
    def initial_for(cls, table: PolicyTable, effective_from: dt.date) -> dict[str, Any]:
        """The form starting from ``table`` (the policy in force), in force from the day given."""
        initial: dict[str, Any] = {"effective_from": effective_from.isoformat(), "note": ""}
        for key, treatment in table.cells.items():
            for name in CELL_VALUES:
                initial[f"{key}.{name}"] = getattr(treatment, name)
        return initial

    def cells(self) -> dict[str, dict[str, Any]]:
        """The cells as ``create_policy`` takes them: ``{"I-A": {"distance": …}, …}``."""
        data = self.cleaned_data
        return {
            key: {name: data.get(f"{key}.{name}", "") for name in CELL_VALUES} for key in CELL_KEYS
        }

    def shown_cells(self) -> dict[str, dict[str, Any]]:
        """The cells as the inputs show them: as posted, or as in the policy in force."""
        shown = self.shown
        return {
            key: {name: shown.get(f"{key}.{name}", "") for name in CELL_VALUES} for key in CELL_KEYS
        }
