"""Forms of the operator pages: they type dates and find the entity by USCC in the user's
scope; ``ads.operators.services`` decides what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.pages import EntityField
from xiaoneng.core.forms import DayField, PageForm, WholeNumberField


class OperatorForm(PageForm):
    entity = EntityField(label=_("市场主体（统一社会信用代码）"))
    role = forms.CharField(label=_("广告主体类型"), required=False)
    medium = forms.CharField(label=_("媒介类型"), required=False)
    outlet = forms.CharField(label=_("媒体名称"), required=False)
    reviewers = forms.CharField(label=_("广告审查员"), required=False)
    since = DayField(label=_("登记日期"))
    note = forms.CharField(label=_("备注"), required=False)


class CheckStartForm(PageForm):
    year = WholeNumberField(label=_("年度"), invalid=_("年度应为四位数字：%(value)s"), empty=None)
    checked_on = DayField(label=_("检查日期"))


class CheckDecisionForm(PageForm):
    service_fields = {"decided_on": "on"}

    outcome = forms.CharField(label=_("检查结论"), required=False)
    on = DayField(label=_("结论日期"))
    deadline = DayField(label=_("整改期限"))
    note = forms.CharField(label=_("说明"), required=False)


class ReviewersForm(PageForm):
    reviewers = forms.CharField(label=_("广告审查员"), required=False)
