"""Forms of the register pages: they collect text; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import OfferedChoiceField, PageForm
from xiaoneng.registry.fields import KIND_WORDS, LABELS, STATUS_WORDS, licence_text
from xiaoneng.registry.models import CreditGrade, Entity, RiskClass

# Names of the entity values a form collects, in form order.
ENTITY_FIELDS = [
    "uscc",
    "name",
    "kind",
    "industry",
    "address",
    "longitude",
    "latitude",
    "region_code",
    "legal_representative",
    "registered_capital",
    "established",
    "status",
    "licences",
    "hot_industry",
    "hot_industry_note",
]


class EntityForm(PageForm):
    """Entity data as typed by a person; ``values()`` hands the non-empty text to the service."""

    uscc = forms.CharField(label=LABELS["uscc"], max_length=30)
    name = forms.CharField(label=LABELS["name"], max_length=200)
    kind = forms.ChoiceField(
        label=LABELS["kind"], choices=[(k.value, KIND_WORDS[k]) for k in Entity.Kind]
    )
    industry = forms.CharField(label=_("行业代码（GB/T 4754）"), max_length=10)
    address = forms.CharField(label=LABELS["address"], required=False, max_length=200)
    longitude = forms.CharField(label=LABELS["longitude"], required=False)
    latitude = forms.CharField(label=LABELS["latitude"], required=False)
    region_code = forms.CharField(label=LABELS["region_code"], required=False, max_length=6)
    legal_representative = forms.CharField(
        label=LABELS["legal_representative"], required=False, max_length=50
    )
    registered_capital = forms.CharField(label=LABELS["registered_capital"], required=False)
    established = forms.CharField(
        label=LABELS["established"], required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=LABELS["status"], choices=[(s.value, STATUS_WORDS[s]) for s in Entity.Status]
    )
    licences = forms.CharField(
        label=LABELS["licences"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "每行一个：种类|编号|发证日期|有效期至，"
            "如 食品经营许可证|JY16540020001234|2024-03-01|2029-02-28"
        ),
    )
    hot_industry = forms.BooleanField(label=LABELS["hot_industry"], required=False)
    hot_industry_note = forms.CharField(
        label=LABELS["hot_industry_note"], required=False, max_length=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            else:
                widget.attrs["class"] = (
                    "form-select" if isinstance(widget, forms.Select) else "form-control"
                )

    def values(self) -> dict[str, Any]:
        """The typed values by entity field name (an empty optional field clears it)."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in ENTITY_FIELDS:
            value = data.get(name)
            if (
                name
                in {"longitude", "latitude", "registered_capital", "established", "region_code"}
                and value == ""
            ):
                value = None
            if name == "licences":
                value = (value or "").replace("\r", "")
            values[name] = value
        return values

    def add_service_errors(self, error: DomainError) -> None:
        for item in error.errors or []:
            field = item.field if item.field in self.fields else None
            self.add_error(field, item.message)
        if not error.errors:
            self.add_error(None, error.message)

    @classmethod
    def initial_for(cls, entity: Entity) -> dict[str, Any]:
        from xiaoneng.registry.fields import LicenceValue

        initial = {name: getattr(entity, name, "") for name in ENTITY_FIELDS}
        initial["industry"] = entity.industry_id
        initial["licences"] = licence_text(
            [LicenceValue(x.kind, x.number, x.issued, x.expires) for x in entity.licences.all()]
        ).replace("; ", "\n")
        for name in ("longitude", "latitude", "registered_capital"):
            initial[name] = "" if initial[name] is None else initial[name]
        initial["established"] = entity.established.isoformat() if entity.established else ""
        return initial


class DossierForm(PageForm):
    """An action taken on a dossier, and the page to go back to (``next``) if not the dossier."""

    next = forms.CharField(required=False)


class ReasonForm(DossierForm):
    """A dossier action with its reason (归档, …); the service says whether it is enough."""

    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CreditGradeForm(ReasonForm):
    """A credit grade set by hand, with its reason; the service checks the grade."""

    credit_grade = OfferedChoiceField(label=_("信用等级"), choices=CreditGrade.choices)


class RiskClassForm(ReasonForm):
    """A risk class set by hand (or back to the rule's), with its reason."""

    risk_class = OfferedChoiceField(
        label=_("风险类别"), choices=[("", _("恢复按规则判定")), *RiskClass.choices]
    )


class PlaceForm(ReasonForm):
    """The grid an entity is placed in by hand (its code; none: placed by its position)."""

    grid = forms.CharField(label=_("网格"), required=False)


class ImportForm(forms.Form):
    """A file to import (one transaction), what it holds, and whether to update what exists."""

    kind = forms.ChoiceField(
        label=_("导入内容"),
        choices=[
            ("entities", _("市场主体")),
            ("units", _("单位")),
            ("officers", _("人员")),
            ("grids", _("网格")),
        ],
    )
    file = forms.FileField(label=_("文件（.csv、.xlsx；网格可用 .geojson）"))
    update = forms.BooleanField(label=_("更新已存在的记录"), required=False)
