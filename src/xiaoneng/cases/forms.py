"""Forms of the case pages: they type the days, find the officers and the party's entity, and
collect the rest as text; the case services decide what is valid."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases import sources
from xiaoneng.core.forms import DayField, FlagField, PageForm
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

UNKNOWN_OFFICER = gettext_lazy("未知的执法人员")


def _officer_field(label: Any) -> forms.ModelChoiceField[Officer]:
    return forms.ModelChoiceField(
        label=label,
        queryset=Officer.objects.none(),
        required=False,
        error_messages={"invalid_choice": UNKNOWN_OFFICER},
    )


class CaseForm(PageForm):
    """A new lead (线索) as typed; a source record (``finding=ID``, …) posted with it gives the
    party's entity, so the entity typed is looked up only without one."""

    title = forms.CharField(label=gettext_lazy("案由"), required=False)
    kind = forms.CharField(label=gettext_lazy("案件类别"), required=False)
    party = forms.CharField(label=gettext_lazy("当事人"), required=False)
    entity = forms.CharField(
        label=gettext_lazy("当事人统一社会信用代码（已登记主体，可空）"), required=False
    )
    received_on = DayField(label=gettext_lazy("线索登记日期"))
    case_value = forms.CharField(label=gettext_lazy("案值（元）"), required=False)
    handler = _officer_field(gettext_lazy("主办人"))
    co_handler = _officer_field(gettext_lazy("协办人"))
    source_note = forms.CharField(required=False)
    major = FlagField()
    facts = forms.CharField(label=gettext_lazy("案情"), required=False)

    def __init__(
        self, *args: Any, handlers: QuerySet[Officer], entities: QuerySet[Entity], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("handler", "co_handler"):
            self.fields[name].queryset = handlers  # type: ignore[attr-defined]
        for kind in sources.KINDS:
            self.fields[kind.param] = forms.CharField(required=False)
        self.entities = entities

    def source_params(self) -> dict[str, str]:
        """The source records named (``{"finding": "12"}``), as typed; the page looks them up."""
        data = self.cleaned_data
        return {k.param: data[k.param] for k in sources.KINDS if data.get(k.param)}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        uscc = data.get("entity") or ""
        data["entity"] = None
        if uscc and not self.source_params():
            data["entity"] = self.entities.filter(uscc=uscc.upper()).first()
            if data["entity"] is None:
                message = _("未找到该统一社会信用代码的主体（或不在您的辖区）：%(v)s") % {"v": uscc}
                self.add_error("entity", message)
        return data


class TransitionForm(PageForm):
    """The inputs of one transition's form (立案, 告知, 决定…) as text, a checkbox as a flag;
    ``values()`` hands them to ``apply_transition``, which parses the days and amounts."""

    def __init__(self, *args: Any, inputs: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in inputs:
            self.fields[name] = (
                FlagField() if kind == "checkbox" else forms.CharField(required=False)
            )

    def values(self) -> dict[str, Any]:
        """The values posted; an input left out is left to the service's default, a checkbox
        left out is off."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.data or isinstance(self.fields[name], FlagField)
        }


class CollectionForm(PageForm):
    """Money paid into the treasury (罚没款入库): the day typed, the rest as text."""

    kind = forms.CharField(label=gettext_lazy("款项"), required=False)
    amount = forms.CharField(label=gettext_lazy("金额（元）"), required=False)
    collected_on = DayField(label=gettext_lazy("入库日期"))
    receipt_number = forms.CharField(label=gettext_lazy("缴款书号"), required=False)


class GoodsForm(PageForm):
    """Confiscated goods (罚没物品) as typed; the service reads the quantity and the value."""

    description = forms.CharField(label=gettext_lazy("物品"), required=False)
    quantity = forms.CharField(label=gettext_lazy("数量"), required=False)
    measure = forms.CharField(label=gettext_lazy("计量单位"), required=False)
    value = forms.CharField(label=gettext_lazy("货值（元）"), required=False)
    disposal = forms.CharField(label=gettext_lazy("处置方式"), required=False)

    initial_when_absent = ("value",)
