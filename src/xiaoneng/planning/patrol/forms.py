"""Forms of the plan and task pages: they type the day, the counts and the checkboxes;
planning.patrol decides what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, FlagField, PageForm, WholeNumberField


class PlanForm(PageForm):
    """The period, unit and daily capacity of ``generate_patrol_plan``, as text (the service
    parses and checks them), and whether it is a dry run (试算)."""

    period = forms.CharField(label=_("期间"), required=False)
    unit = forms.CharField(label=_("单位"), required=False)
    capacity = forms.CharField(label=_("每人每日上限"), required=False)
    dry_run = FlagField()

    initial_when_absent = ("period", "unit", "capacity")


class CompleteForm(PageForm):
    """The result of a visit recorded without an inspection record (``complete_task``)."""

    done_on = DayField(label=_("检查日期"), invalid=_("请填写检查日期（YYYY-MM-DD）"))
    note = forms.CharField(label=_("检查情况"), required=False)
    violation_found = FlagField()
    notices_issued = WholeNumberField(invalid=_("通知书份数应为整数：%(value)s"))
    items_confiscated = forms.CharField(label=_("收缴物品"), required=False)
    items_confiscated_quantity = WholeNumberField(invalid=_("收缴数量应为整数：%(value)s"))
    items_confiscated_measure = forms.CharField(label=_("计量单位"), required=False)
