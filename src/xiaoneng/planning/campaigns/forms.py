"""Forms of the campaign pages: they type the days and read the list; planning.campaigns
decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, FlagField, PageForm
from xiaoneng.planning.campaigns.checks import FILTER_KEYS
from xiaoneng.planning.campaigns.services import CampaignInput

# Filter key of ``create_campaign`` → the input naming it (the lead unit is ``unit``).
FILTER_INPUTS = {key: key for key in FILTER_KEYS if key != "hot_industry"} | {"unit": "area_unit"}


class CampaignForm(PageForm):
    """A new campaign as typed: its fields, and its population by filters or by a list of
    codes (typed and/or uploaded); ``campaign_input()`` hands it to ``create_campaign``."""

    title = forms.CharField(label=_("名称"), required=False)
    theme = forms.CharField(label=_("整治方向"), required=False)
    start_on = DayField(label=_("开始日期"), invalid=_("请填写开始日期（YYYY-MM-DD）"))
    end_on = DayField(label=_("结束日期"), invalid=_("请填写结束日期（YYYY-MM-DD）"))
    unit = forms.CharField(label=_("牵头单位"), required=False)
    capacity = forms.CharField(label=_("每人每日上限"), required=False)
    risk_share = forms.CharField(label=_("按风险抽取比例（%）"), required=False)
    checkpoints = forms.CharField(label=_("检查要点（定标准）"), required=False)
    partners = forms.CharField(label=_("联合部门（可空）"), required=False)
    description = forms.CharField(label=_("工作方案"), required=False)
    population = forms.CharField(required=False)
    industry = forms.CharField(required=False)
    grid = forms.CharField(required=False)
    area_unit = forms.CharField(required=False)
    risk_class = forms.CharField(required=False)
    credit_grade = forms.CharField(required=False)
    q = forms.CharField(required=False)
    hot_industry = FlagField()
    usccs = forms.CharField(required=False)
    file = forms.FileField(required=False, allow_empty_file=True)

    def _listed_codes(self) -> list[str]:
        upload = self.cleaned_data.get("file")
        text = upload.read().decode("utf-8-sig", errors="replace") if upload else ""
        return (text + "\n" + self.cleaned_data["usccs"]).splitlines()

    def _filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        filters: dict[str, Any] = {k: data[f] for k, f in FILTER_INPUTS.items() if data[f]}
        if data["hot_industry"]:
            filters["hot_industry"] = True
        return filters

    def campaign_input(self) -> CampaignInput:
        """The campaign as ``create_campaign`` takes it: a list or filters, never both."""
        data = self.cleaned_data
        by_list = data["population"] == "list"
        return CampaignInput(
            title=data["title"],
            theme=data["theme"],
            checkpoints=data["checkpoints"],
            start_on=data["start_on"],
            end_on=data["end_on"],
            description=data["description"],
            partners=data["partners"],
            unit_code=data["unit"] or None,
            filters=None if by_list else self._filters(),
            usccs=self._listed_codes() if by_list else None,
            capacity=data["capacity"] or None,
            risk_share=data["risk_share"] or None,
        )
