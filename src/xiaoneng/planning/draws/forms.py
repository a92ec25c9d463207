"""Forms of the draw pages: they collect text (and type the days); planning.draws decides what is
valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import DayField, PageForm
from xiaoneng.planning.draws.models import InspectionItem, RandomDraw
from xiaoneng.registry.models import CreditGrade, Entity, LicenceKind, RiskClass

GRADE_FIELDS = {grade: f"ratio_{grade}" for grade in CreditGrade.values}
# Where a service error about a field is shown on the form.
ERROR_FIELDS = {
    "items": "items",
    "unit": "unit",
    "pool": "pool_units",
    "ratio": "ratio_A",
    **{f"filter.{key}": key for key in ("region", "grid", "industry", "hot_industry")},
    **{f"filter.{key}": key for key in ("risk_class", "credit_grade", "status", "licence")},
}


def _checkboxes(label: Any, choices: Any = ()) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


class DrawForm(forms.Form):
    """A new draw as typed by division staff; ``values()`` hands it to ``create_draw``."""

    name = forms.CharField(label=_("名称"), required=False, max_length=200)
    unit = forms.ChoiceField(label=_("组织单位"), required=False)
    items = _checkboxes(_("检查事项"))
    region = forms.CharField(label=_("行政区划代码"), required=False, help_text=_("多个用逗号分隔"))
    grid = forms.CharField(label=_("网格"), required=False, help_text=_("网格编号，多个用逗号分隔"))
    industry = forms.CharField(
        label=_("行业"),
        required=False,
        help_text=_("GB/T 4754 代码前缀，如 H62,F5212；不填则按检查事项的适用行业"),
    )
    risk_class = _checkboxes(_("风险类别"), RiskClass.choices)
    credit_grade = _checkboxes(_("信用等级"), CreditGrade.choices)
    status = _checkboxes(_("登记状态"), Entity.Status.choices)
    licence = _checkboxes(_("持有许可证"), LicenceKind.choices)
    hot_industry = forms.ChoiceField(
        label=_("重热点行业"),
        required=False,
        choices=[("", _("不限")), ("yes", _("仅重热点")), ("no", _("仅非重热点"))],
    )
    selection = forms.ChoiceField(
        label=_("抽取方式"),
        choices=RandomDraw.Selection.choices,
        initial=RandomDraw.Selection.RATIO,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    ratio_A = forms.CharField(label=_("A 级比例"), required=False, initial="0.03")
    ratio_B = forms.CharField(label=_("B 级比例"), required=False, initial="0.05")
    ratio_C = forms.CharField(label=_("C 级比例"), required=False, initial="0.2")
    ratio_D = forms.CharField(label=_("D 级比例"), required=False, initial="0.6")
    count = forms.CharField(label=_("抽取数量"), required=False)
    pool_units = _checkboxes(_("检查人员库"))
    pool_units.help_text = _("所选单位（含下级）的持证在岗执法人员")
    team_size = forms.CharField(label=_("每组人数"), required=False, initial="2")
    workload_cap = forms.CharField(label=_("每人检查户数上限"), required=False, initial="20")
    inspections_end = DayField(
        label=_("检查截止日期"), invalid=_("请填写检查截止日期（YYYY-MM-DD）")
    )
    seed = forms.CharField(
        label=_("种子（可选）"),
        required=False,
        max_length=200,
        help_text=_(
            "不填则由系统生成并保密至抽取；自行填写的种子系统只保存其摘要，抽取时须再次提供"
        ),
    )
    # The button pressed: "draft" saves a draft, anything else commits at once.
    action = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices = [(u.code, f"{u.name}（{u.code}）") for u in units]
        self.fields["unit"].choices = [("", "—"), *unit_choices]  # type: ignore[attr-defined]
        self.fields["pool_units"].choices = unit_choices  # type: ignore[attr-defined]
        self.fields["items"].choices = [  # type: ignore[attr-defined]
            (i.code, f"{i.code} {i.name}") for i in InspectionItem.objects.filter(active=True)
        ]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            widget.attrs["class"] = (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )

    def population_filter(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ("region", "grid", "industry", "risk_class", "credit_grade", "status", "licence")
        found = {key: data[key] for key in keys if data.get(key)}
        if data.get("hot_industry"):
            found["hot_industry"] = data["hot_industry"]
        return found

    def ratios(self) -> dict[str, str]:
        return {
            grade: self.cleaned_data[name].strip()
            for grade, name in GRADE_FIELDS.items()
            if self.cleaned_data.get(name, "").strip()
        }

    def add_service_errors(self, error: DomainError) -> None:
        for item in error.errors or []:
            field = ERROR_FIELDS.get(item.field, item.field)
            self.add_error(field if field in self.fields else None, item.message)
        if not error.errors:
            self.add_error(None, error.message)


class ConflictForm(forms.Form):
    """A 回避 declaration: the entity by its USCC, the reason, and (for staff) whose it is."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    reason = forms.CharField(
        label=_("回避理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    officer = forms.CharField(
        label=_("执法人员（用户名）"), required=False, help_text=_("不填则为本人")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class SeedForm(PageForm):
    """The seed typed to commit or run a draw, kept exactly as typed (its digest is checked)."""

    seed = forms.CharField(label=_("种子"), required=False, strip=False)


class PublishForm(PageForm):
    """The publication of a drawn list (公示): its text and its web address, as typed."""

    text = forms.CharField(label=_("公示内容"), required=False)
    url = forms.CharField(label=_("公示网址"), required=False)
