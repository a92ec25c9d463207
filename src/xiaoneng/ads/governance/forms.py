"""Forms of the ladder and joint-meeting pages: they find the records named on the form in the
user's scope and type the dates; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, PageForm, TextListField
from xiaoneng.registry.models import Entity

DAY = _("请填写日期（YYYY-MM-DD）：%(value)s")


class ReviewerForm(PageForm):
    """A reviewer: name, the outlet by its uscc (among ``outlets``), the certificate no."""

    name = forms.CharField(label=_("姓名"), required=False)
    outlet = forms.CharField(label=_("所在媒体（统一社会信用代码）"), required=False)
    certificate_no = forms.CharField(label=_("审查员证号"), required=False)

    def __init__(self, *args: Any, outlets: QuerySet[Entity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outlets = outlets

    def clean_outlet(self) -> Entity | None:
        code = str(self.cleaned_data["outlet"]).strip().upper()
        if not code:
            return None
        found = self.outlets.filter(uscc=code).first()
        if found is None:
            raise ValidationError(_("未找到该主体：%(v)s"), "unknown", {"v": code})
        return found


class EventForm(PageForm):
    """An event of a ladder: kind, day, facts, source document."""

    kind = forms.CharField(label=_("事件类型"), required=False)
    occurred_on = DayField(label=_("事件日期"), invalid=DAY)
    facts = forms.CharField(label=_("事实"), required=False)
    source_document = forms.CharField(label=_("来源文书"), required=False)


class DecisionForm(PageForm):
    """A decision on a proposal: confirm ("confirm") or decline ("decline")."""

    key = forms.CharField(label=_("提议"), required=False)
    decision = forms.ChoiceField(
        label=_("决定"),
        choices=[("confirm", _("确认")), ("decline", _("不采纳"))],
        error_messages={
            "required": _("请选择确认或不采纳"),
            "invalid_choice": _("请选择确认或不采纳"),
        },
    )
    outcome = forms.CharField(label=_("处理结果"), required=False)
    reason = forms.CharField(label=_("理由或说明"), required=False)
    document = forms.CharField(label=_("文书编号"), required=False)
    decided_on = DayField(label=_("决定日期"), invalid=DAY)


class MeetingForm(PageForm):
    """A joint meeting; the member departments are the checked boxes."""

    held_on = DayField(label=_("会议日期"), invalid=DAY)
    title = forms.CharField(label=_("会议名称"), required=False)
    convening_department = forms.CharField(label=_("召集部门"), required=False)
    member_departments = TextListField(label=_("成员单位"))
    attendees = forms.CharField(label=_("参会人员"), required=False)
    topics = forms.CharField(label=_("议题"), required=False)
    decisions = forms.CharField(label=_("议定事项"), required=False)


class FollowUpForm(PageForm):
    """A follow-up of a meeting."""

    task = forms.CharField(label=_("落实事项"), required=False)
    owner_department = forms.CharField(label=_("责任部门"), required=False)
    deadline = DayField(label=_("完成期限"), invalid=DAY)


class CompletionForm(PageForm):
    """A follow-up done: the day and the result."""

    done_on = DayField(label=_("办结日期"), invalid=DAY)
    result = forms.CharField(label=_("办理结果"), required=False)


class LeadForm(PageForm):
    """A lead shared at a meeting."""

    from_department = forms.CharField(label=_("通报部门"), required=False)
    content = forms.CharField(label=_("线索内容"), required=False)
    party_name = forms.CharField(label=_("涉及主体"), required=False)
