"""Forms of the service pages: they find the item, station, entity and officer named on the
form in the user's scope and type the dates and numbers; ``permits.services`` decides what is
valid."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, FlagField, PageForm, WholeNumberField
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.permits.models import ServiceItem


class CaseForm(PageForm):
    """收件: the item (by code, among the active ones), applicant, station (among ``stations``),
    entity by USCC (among ``entities``, optional) and the day received."""

    item = forms.CharField(label=_("服务事项"), required=False)
    applicant = forms.CharField(label=_("申请人"), required=False)
    applicant_phone = forms.CharField(label=_("联系电话"), required=False)
    entity = forms.CharField(label=_("市场主体"), required=False)
    unit = forms.CharField(label=_("办理所"), required=False)
    received_on = DayField(label=_("收件日期"), invalid=_("收件日期格式应为 YYYY-MM-DD：%(value)s"))
    note = forms.CharField(label=_("备注"), required=False)

    def __init__(
        self, *args: Any, stations: QuerySet[Unit], entities: QuerySet[Entity], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stations, self.entities = stations, entities

    def clean_item(self) -> ServiceItem | None:
        code = self.cleaned_data["item"].strip()
        if not code:
            return None
        found = ServiceItem.objects.filter(code=code).first()
        if found is None:
            raise ValidationError(_("未找到该服务事项：%(v)s"), "unknown", {"v": code})
        return found

    def clean_unit(self) -> Unit | None:
        code = self.cleaned_data["unit"].strip()
        if not code:
            return None
        found = self.stations.filter(code=code).first()
        if found is None:
            raise ValidationError(_("请选择办理所"), "unknown")
        return found

    def clean_entity(self) -> Entity | None:
        uscc = self.cleaned_data["entity"].strip().upper()
        if not uscc:
            return None
        found = self.entities.filter(uscc=uscc).first()
        if found is None:
            raise ValidationError(
                _("未找到该统一社会信用代码的主体：%(v)s"), "unknown", {"v": uscc}
            )
        return found


class ActionForm(PageForm):
    """Any step of a case: its day, opinion or reason, outcome, the officer handed on to (by
    user name, among ``officers``), the materials of a notice, a suspension's reason and note."""

    service_fields: ClassVar[dict[str, str]] = {
        "accepted_on": "on",
        "completed_on": "on",
        "started_on": "on",
        "ended_on": "on",
    }

    on = DayField(label=_("日期"), invalid=_("日期格式应为 YYYY-MM-DD：%(value)s"))
    opinion = forms.CharField(label=_("意见"), required=False)
    reason = forms.CharField(label=_("理由"), required=False)
    outcome = forms.CharField(label=_("办理结果"), required=False)
    officer = forms.CharField(label=_("接办人"), required=False)
    materials = forms.CharField(label=_("需补正材料"), required=False)
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args: Any, officers: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officers = officers

    def clean_officer(self) -> Officer | None:
        name = self.cleaned_data["officer"].strip()
        if not name:
            return None
        found = self.officers.filter(username=name).first()
        if found is None:
            raise ValidationError(_("未找到该人员：%(v)s"), "unknown", {"v": name})
        return found


class ItemForm(PageForm):
    """A service item; ``items.save_item`` checks the code, the limits and the rest."""

    code = forms.CharField(label=_("事项编码"), required=False)
    name = forms.CharField(label=_("事项名称"), required=False)
    category = forms.CharField(label=_("事项类别"), required=False)
    statutory_days = WholeNumberField(
        label=_("法定时限"), empty=None, invalid=_("法定时限应为整数（工作日）：%(value)s")
    )
    committed_days = WholeNumberField(
        label=_("承诺时限"), empty=None, invalid=_("承诺时限应为整数（工作日）：%(value)s")
    )
    single_review = FlagField(label=_("一审一核"))
    basis = forms.CharField(label=_("设定依据"), required=False)
    materials = forms.CharField(label=_("申请材料"), required=False)
    active = FlagField(label=_("在办"))
