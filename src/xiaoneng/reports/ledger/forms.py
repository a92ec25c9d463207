"""Forms of the ledger pages: they find the records named on the form (a unit by code, an officer,
campaign or draw by id, a case by number) among those the user may choose, and type the dates
and numbers; the services decide what is valid and say why."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case
from xiaoneng.core.forms import DayField, OfferedChoiceField, PageForm, WholeNumberField
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.draws.models import RandomDraw
from xiaoneng.planning.patrol.models import Campaign
from xiaoneng.reports.ledger.models import ActivityKind
from xiaoneng.reports.ledger.services import QUOTA_LIMITS, EntryInput

DAY = _("%(value)s 不是 YYYY-MM-DD 格式的日期")
WHOLE = _("应为整数：%(value)s")


class AmountField(forms.Field):
    """A decimal amount as typed (hours, km, yuan); empty is None; its bounds are the service's."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def __init__(self, *, required: bool = False, **kwargs: Any) -> None:
        super().__init__(required=required, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise ValidationError(
                _("%(label)s应为数字：%(value)s"), "invalid", {"label": self.label, "value": text}
            )
        return number


class EntryForm(PageForm):
    """An entry: unit, kind and the activity its kind names, dates, inputs; ``reason`` when
    correcting."""

    unit = forms.CharField(label=_("投入单位"), required=False)
    kind = OfferedChoiceField(label=_("工作类型"), choices=ActivityKind.choices)
    officer = forms.CharField(label=_("巡查人员（日常巡查）"), required=False)
    campaign = forms.CharField(label=_("专项整治"), required=False)
    case = forms.CharField(label=_("案号（案件查办）"), required=False)
    draw = forms.CharField(label=_("双随机抽查"), required=False)
    title = forms.CharField(label=_("工作名称"), required=False)
    started_on = DayField(label=_("开始日期"), invalid=DAY)
    ended_on = DayField(label=_("结束日期"), invalid=DAY)
    officers = WholeNumberField(label=_("投入人数"), invalid=WHOLE, empty=None)
    person_hours = AmountField(label=_("投入工时"))
    vehicles = WholeNumberField(label=_("执法车辆"), invalid=WHOLE)
    kilometres = AmountField(label=_("行驶里程"))
    money = AmountField(label=_("经费支出"))
    other_resources = forms.CharField(label=_("其他资源"), required=False)
    note = forms.CharField(label=_("说明"), required=False)
    reason = forms.CharField(label=_("更正理由"), required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        officers: QuerySet[Officer],
        cases: QuerySet[Case],
        campaigns: QuerySet[Campaign],
        draws: QuerySet[RandomDraw],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units, self.people, self.cases = units, officers, cases
        self.campaigns, self.draws = campaigns, draws

    def _pk(self, name: str) -> int | None:
        text = str(self.cleaned_data[name]).strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValidationError(_("未找到该记录：%(v)s"), "unknown", {"v": text})
        return int(text)

    def clean_unit(self) -> Unit | None:
        code = str(self.cleaned_data["unit"]).strip()
        if not code:
            return None
        found = self.units.filter(code=code).first()
        if found is None:
            raise ValidationError(_("未知的单位代码：%(v)s"), "unknown", {"v": code})
        return found

    def clean_officer(self) -> Officer | None:
        pk = self._pk("officer")
        found = self.people.filter(pk=pk).first() if pk else None
        if pk and found is None:
            raise ValidationError(_("未找到该人员：%(v)s"), "unknown", {"v": pk})
        return found

    def clean_campaign(self) -> Campaign | None:
        pk = self._pk("campaign")
        found = self.campaigns.filter(pk=pk).first() if pk else None
        if pk and found is None:
            raise ValidationError(_("未找到该专项整治：%(v)s"), "unknown", {"v": pk})
        return found

    def clean_draw(self) -> RandomDraw | None:
        pk = self._pk("draw")
        found = self.draws.filter(pk=pk).first() if pk else None
        if pk and found is None:
            raise ValidationError(_("未找到该抽查：%(v)s"), "unknown", {"v": pk})
        return found

    def clean_case(self) -> Case | None:
        number = str(self.cleaned_data["case"]).strip()
        if not number:
            return None
        found = self.cases.filter(number=number).first()
        if found is None:
            raise ValidationError(_("未找到该案件：%(v)s"), "unknown", {"v": number})
        return found

    def entry_input(self) -> EntryInput:
        data = {k: v for k, v in self.cleaned_data.items() if k != "reason"}
        data["kind"] = data["kind"] or ""
        if data["vehicles"] is None:
            data["vehicles"] = 0
        return EntryInput(**data)


class QuotaForm(PageForm):
    """A year's quotas of one kind (and unit kind)."""

    year = WholeNumberField(label=_("年度"), invalid=WHOLE, empty=None)
    kind = OfferedChoiceField(label=_("工作类型"), choices=ActivityKind.choices)
    unit_kind = OfferedChoiceField(
        label=_("单位类型"), choices=[("", _("全部")), *Unit.Kind.choices]
    )
    hours_per_inspection = AmountField(label=_("每户次工时上限"))
    money_per_inspection = AmountField(label=_("每户次经费上限"))
    kilometres_per_inspection = AmountField(label=_("每户次里程上限"))
    money_per_activity = AmountField(label=_("每项工作经费上限"))
    note = forms.CharField(label=_("依据"), required=False)

    def limits(self) -> dict[str, Decimal | None]:
        return {name: self.cleaned_data.get(name) for name in QUOTA_LIMITS}
