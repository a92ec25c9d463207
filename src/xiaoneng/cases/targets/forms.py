"""Forms of the target pages: they find the unit; cases.targets decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import PageForm
from xiaoneng.org.models import Unit

CHOOSE_UNIT = _("请选择单位")


class TargetForm(PageForm):
    """A unit's annual target as typed: the unit (one the user may see, by its code); the year,
    metric, value and note as text, which ``set_target`` reads and checks."""

    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Unit.objects.none(),
        to_field_name="code",
        error_messages={"required": CHOOSE_UNIT, "invalid_choice": CHOOSE_UNIT},
    )
    year = forms.CharField(label=_("年度"), required=False)
    metric = forms.CharField(label=_("指标"), required=False)
    value = forms.CharField(label=_("目标值"), required=False)
    note = forms.CharField(label=_("说明"), required=False)

    initial_when_absent = ("year", "metric")

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
