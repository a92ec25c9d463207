"""Forms of the notice and confiscation pages; ``ads.notices.services`` decides what is
valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.pages import EntityField
from xiaoneng.core.forms import DayField, PageForm


class NoticeForm(PageForm):
    kind = forms.CharField(label=_("文书类别"), required=False)
    entity = EntityField(label=_("当事人主体（统一社会信用代码）"))
    party = forms.CharField(label=_("当事人"), required=False)
    issued_on = DayField(label=_("送达日期"))
    deadline = DayField(label=_("履行期限"))
    content = forms.CharField(label=_("违法事实及要求"), required=False)


class OutcomeForm(PageForm):
    service_fields = {"outcome_on": "on", "outcome_note": "note"}

    complied = forms.CharField(label=_("履行情况"), required=False)
    on = DayField(label=_("核实日期"))
    note = forms.CharField(label=_("说明"), required=False)


class ConfiscationForm(PageForm):
    entity = EntityField(label=_("当事人主体（统一社会信用代码）"))
    party = forms.CharField(label=_("当事人"), required=False)
    seized_on = DayField(label=_("收缴日期"))
    description = forms.CharField(label=_("印刷品名称"), required=False)
    quantity = forms.CharField(label=_("数量（份）"), required=False)
