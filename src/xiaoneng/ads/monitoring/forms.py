"""Forms of the monitoring pages; ``ads.monitoring.services`` decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.pages import EntityField
from xiaoneng.core.forms import DayField, MomentField, PageForm
from xiaoneng.inspections.followup.forms import TERMS


class MonitoredAdForm(PageForm):
    medium = forms.CharField(label=_("媒介类型"), required=False)
    outlet = forms.CharField(label=_("发布媒体（位置）"), required=False)
    advertiser = EntityField(label=_("本地广告主（统一社会信用代码）"))
    advertiser_name = forms.CharField(label=_("广告主名称"), required=False)
    kind = forms.CharField(label=_("广告类别"), required=False)
    text = forms.CharField(label=_("广告内容"), required=False, strip=False)
    captured_at = MomentField(label=_("监测时间"))


class ImportForm(PageForm):
    file = forms.FileField(label=_("文件"), required=False)


class HitForm(PageForm):
    decision = forms.CharField(label=_("确认结果"), required=False)
    note = forms.CharField(label=_("确认意见"), required=False)


class CaseForm(PageForm):
    service_fields = {"received_on": "on"}

    on = DayField(label=_("线索登记日期"))


class RectifyForm(PageForm):
    """责令改正 of a confirmed violation (``findings.order_rectification``): the term by working
    days or by a deadline (only the one chosen is read, as on follow-up's order form), the
    finding's description and the order's requirements."""

    term = forms.ChoiceField(
        label=_("整改期限"),
        choices=TERMS,
        required=False,
        error_messages={
            "invalid_choice": _("整改期限应按工作日数（days）或截止日期（date）：%(value)s")
        },
    )
    working_days = forms.CharField(label=_("工作日数"), required=False)
    deadline = DayField(label=_("截止日期"))
    description = forms.CharField(label=_("问题描述"), required=False)
    requirements = forms.CharField(label=_("整改要求"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unused = "working_days" if self.data.get("term") == "date" else "deadline"
        del self.fields[unused]
