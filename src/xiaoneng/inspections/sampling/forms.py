"""Forms of the spot-check pages (监督抽查, 篇4): they type the days and the re-inspection's
verdict and collect the rest as text; inspections.sampling decides what is valid.

A plan's year and planned batches stay text: ``create_plan`` reads them and names what was
typed, as it does for the API. A day that is no day gets the message the service gives a
missing one, as these pages have always shown it.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, PageForm


class PlanForm(PageForm):
    """A sampling plan as typed; ``create_plan`` checks every field."""

    year = forms.CharField(label=_("年度"), required=False)
    title = forms.CharField(label=_("名称"), required=False)
    category = forms.CharField(label=_("产品类别"), required=False)
    region_code = forms.CharField(label=_("行政区划代码"), required=False)
    unit = forms.CharField(label=_("组织单位"), required=False)
    planned_batches = forms.CharField(label=_("计划批次"), required=False)
    standard = forms.CharField(label=_("检验依据"), required=False)
    laboratory = forms.CharField(label=_("承检机构"), required=False)


class SampleForm(PageForm):
    """A batch sampled under a plan: the firm by USCC or by name, the product, the day."""

    uscc = forms.CharField(label=_("统一社会信用代码"), required=False)
    firm_name = forms.CharField(label=_("被抽样单位名称"), required=False)
    product = forms.CharField(label=_("产品名称"), required=False)
    specification = forms.CharField(label=_("规格型号"), required=False)
    batch_number = forms.CharField(label=_("生产批号"), required=False)
    sampled_on = DayField(label=_("抽样日期"), invalid=_("请填写抽样日期（YYYY-MM-DD）"))
    producer = forms.CharField(label=_("标称生产企业"), required=False)


class ResultForm(PageForm):
    """A sample's verdict: pass or fail (``record_result`` checks it), failed items, the day
    of the report."""

    result = forms.CharField(label=_("检验结论"), required=False)
    failed_items = forms.CharField(label=_("不合格项目"), required=False)
    reported_on = DayField(label=_("报告日期"), invalid=_("请填写报告日期（YYYY-MM-DD）"))


class RectifyForm(PageForm):
    """责令整改 of a failed batch: the measures, the day of the order (today unless given) and
    the deadline."""

    actions = forms.CharField(label=_("处理措施"), required=False)
    ordered_on = DayField(label=_("责令整改日期"), invalid=_("请填写责令整改日期（YYYY-MM-DD）"))
    deadline = DayField(label=_("整改期限"), invalid=_("请填写整改期限（YYYY-MM-DD）"))


def _passed(value: str) -> bool:
    return value == "1"


class ReinspectForm(PageForm):
    """复查: passed ("1") or not ("0"; none given is not passed), the day, what was found."""

    passed = forms.TypedChoiceField(
        label=_("复查结论"),
        choices=[("1", _("合格")), ("0", _("不合格"))],
        coerce=_passed,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("复查结论应为 1（合格）或 0（不合格）：%(value)s")},
    )
    reinspected_on = DayField(label=_("复查日期"), invalid=_("请填写复查日期（YYYY-MM-DD）"))
    note = forms.CharField(label=_("复查情况"), required=False)

    def clean_passed(self) -> bool:
        return self.cleaned_data["passed"] is True


class CloseForm(PageForm):
    """办结, with a note (``close_follow_up`` says when one is needed)."""

    note = forms.CharField(label=_("办结说明"), required=False)
