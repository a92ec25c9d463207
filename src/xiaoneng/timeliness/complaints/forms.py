"""Forms of the complaint pages: they type the dates and find the entity and the officer named
in the user's scope; ``timeliness.complaints.services`` decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, FlagField, PageForm
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity


class ComplaintForm(PageForm):
    """A complaint or report as registered; the entity by USCC (among ``entities``), optional."""

    kind = forms.CharField(label=_("类别"), required=False)
    channel = forms.CharField(label=_("来源渠道"), required=False)
    topic = forms.CharField(label=_("涉及领域"), required=False)
    received_on = DayField(label=_("收到日期"), invalid=_("请填写收到日期（YYYY-MM-DD）"))
    person = forms.CharField(label=_("投诉（举报）人"), required=False)
    phone = forms.CharField(label=_("联系电话"), required=False)
    anonymous = FlagField(label=_("匿名举报"))
    entity = forms.CharField(label=_("被投诉（举报）主体"), required=False)
    respondent = forms.CharField(label=_("被投诉（举报）人"), required=False)
    content = forms.CharField(label=_("内容"), required=False)

    def __init__(self, *args: Any, entities: QuerySet[Entity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entities = entities

    def clean_entity(self) -> Entity | None:
        uscc = str(self.cleaned_data["entity"]).strip().upper()
        if not uscc:
            return None
        found = self.entities.filter(uscc=uscc).first()
        if found is None:
            raise ValidationError(
                _("未找到该统一社会信用代码的主体：%(v)s"), "unknown", {"v": uscc}
            )
        return found


class ActionForm(PageForm):
    """Any action on a complaint: its date, its text, and what the action needs besides (a
    decision, an amount, a finding, the officer who takes it over)."""

    service_fields = {
        "accepted_on": "on",
        "ended_on": "on",
        "notified_on": "on",
        "reason": "outcome",
    }

    on = DayField(label=_("日期"))
    outcome = forms.CharField(label=_("说明"), required=False)
    note = forms.CharField(label=_("说明"), required=False)
    decision = forms.CharField(label=_("结论"), required=False)
    founded = forms.CharField(label=_("核查结论"), required=False)
    amount_recovered = forms.CharField(label=_("挽回经济损失（元）"), required=False)
    officer = forms.CharField(label=_("接办人"), required=False)

    def __init__(
        self, *args: Any, officers: QuerySet[Officer] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.officers = officers

    def clean_officer(self) -> Officer | None:
        username = str(self.cleaned_data["officer"]).strip()
        if not username or self.officers is None:
            return None
        found = self.officers.filter(username=username).first()
        if found is None:
            raise ValidationError(_("未找到该执法人员：%(v)s"), "unknown", {"v": username})
        return found
