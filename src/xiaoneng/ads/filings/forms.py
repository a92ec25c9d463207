"""Forms of the filing pages; ``ads.filings.services`` decides what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.pages import EntityField
from xiaoneng.core.forms import DayField, PageForm


class FilingForm(PageForm):
    advertiser = EntityField(label=_("广告主（统一社会信用代码）"))
    kind = forms.CharField(label=_("广告类别"), required=False)
    title = forms.CharField(label=_("广告名称"), required=False)
    text = forms.CharField(label=_("广告内容"), required=False)
    medium = forms.CharField(label=_("拟发布媒介"), required=False)
    submitted_on = DayField(label=_("提交日期"))
    approval_number = forms.CharField(label=_("广告审查批准文号"), required=False)
    approval_expires_on = DayField(label=_("批准文号有效期至"))


class DecisionForm(PageForm):
    service_fields = {"decided_on": "on"}

    on = DayField(label=_("日期"))
    reason = forms.CharField(label=_("理由"), required=False)
