"""Forms of the callback pages (回访): they type the days and find the officers and units named
in the user's scope; timeliness.callbacks.services decides what is valid (the answers, the
modes, the dates), so the page shows the service's own messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, PageForm
from xiaoneng.org.models import Officer, Unit
from xiaoneng.timeliness.callbacks.models import QUESTIONS


class AnswerForm(PageForm):
    """A callback reached: channel, day, the answer to each question (满意 / 基本满意 / 不满意 or
    empty), remarks; with an overall 不满意, the problem raised (description, owner's username
    among ``owners``, deadline) or why none is."""

    channel = forms.CharField(label=_("回访方式"), required=False)
    called_on = DayField(label=_("回访日期"), invalid=_("请填写回访日期（YYYY-MM-DD）：%(value)s"))
    remarks = forms.CharField(label=_("回访记录"), required=False)
    problem_description = forms.CharField(label=_("反映问题"), required=False)
    problem_owner = forms.CharField(label=_("整改责任人"), required=False)
    problem_deadline = DayField(
        label=_("整改期限"), invalid=_("请填写整改期限（YYYY-MM-DD）：%(value)s")
    )
    no_problem_reason = forms.CharField(label=_("不交办整改的理由"), required=False)

    service_fields = {
        "problem": "problem_description",
        "description": "problem_description",
        "owner": "problem_owner",
        "deadline": "problem_deadline",
    }

    def __init__(self, *args: Any, owners: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = owners
        for name, label in QUESTIONS:
            self.fields[name] = forms.CharField(label=label, required=False)

    def clean_problem_owner(self) -> Officer | None:
        username = self.cleaned_data["problem_owner"]
        if not username:
            return None
        found = self.owners.filter(username=username).first()
        if found is None:
            raise ValidationError(_("整改责任人不在本单位：%(v)s"), "unknown", {"v": username})
        return found

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name, _label in QUESTIONS}

    def problem(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not (data["problem_description"] or data["problem_owner"] or data["problem_deadline"]):
            return None
        return {
            "description": data["problem_description"],
            "owner": data["problem_owner"],
            "deadline": data["problem_deadline"],
        }


class UnreachableForm(PageForm):
    """An attempt that reached no one: its day and a note."""

    called_on = DayField(label=_("回访日期"), invalid=_("请填写回访日期（YYYY-MM-DD）：%(value)s"))
    remarks = forms.CharField(label=_("情况说明"), required=False)


class ProblemForm(PageForm):
    """A problem raised on a reached callback: description, owner (username among ``owners``),
    deadline."""

    description = forms.CharField(label=_("反映问题"), required=False)
    owner = forms.CharField(label=_("整改责任人"), required=False)
    deadline = DayField(label=_("整改期限"), invalid=_("请填写整改期限（YYYY-MM-DD）：%(value)s"))

    def __init__(self, *args: Any, owners: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = owners

    def clean_owner(self) -> Officer | None:
        username = self.cleaned_data["owner"]
        if not username:
            return None
        found = self.owners.filter(username=username).first()
        if found is None:
            raise ValidationError(_("整改责任人不在本单位：%(v)s"), "unknown", {"v": username})
        return found


class RectifyForm(PageForm):
    outcome = forms.CharField(label=_("整改情况"), required=False)
    on = DayField(label=_("整改完成日期"), invalid=_("请填写整改完成日期（YYYY-MM-DD）：%(value)s"))


class FeedbackForm(PageForm):
    channel = forms.CharField(label=_("反馈方式"), required=False)
    on = DayField(label=_("反馈日期"), invalid=_("请填写反馈日期（YYYY-MM-DD）：%(value)s"))


class UnitForm(PageForm):
    """A form naming a unit by code among ``units``."""

    unit = forms.CharField(label=_("单位"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"]
        found = self.units.filter(code=code).first() if code else None
        if found is None:
            raise ValidationError(_("请选择单位"), "required")
        return found


class DrawForm(UnitForm):
    month = forms.CharField(label=_("月份"), required=False)
    subject_kind = forms.CharField(label=_("回访对象"), required=False)


class RuleForm(UnitForm):
    subject_kind = forms.CharField(label=_("回访对象"), required=False)
    mode = forms.CharField(label=_("抽取方式"), required=False)
    share = forms.CharField(label=_("抽取比例"), required=False)
    count = forms.CharField(label=_("抽取数量"), required=False)
    channel = forms.CharField(label=_("默认回访方式"), required=False)
    active = forms.CharField(label=_("启用"), required=False)
