"""Forms of the supervision pages (督办): they find the station, the entity and the inspection
record named on the form in the user's scope, type the deadline and read the close decision;
oversight.supervision decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, PageForm
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Unit
from xiaoneng.registry.models import Entity


class SupervisionForm(PageForm):
    """A supervision item: the station that handles it (among ``stations``), the deadline,
    title and description, and what it concerns: an entity by USCC (among ``entities``) and an
    inspection record by number, "#12" or "12" (among ``inspections``), both optional.

    ``cleaned_data`` holds the station, the entity and the record found (None when not
    named); ``issue_supervision`` checks that they belong together and the rest.
    """

    unit = forms.CharField(label=_("承办所"), required=False)
    deadline = DayField(label=_("办结期限"), invalid=_("请填写办结期限（YYYY-MM-DD）"))
    title = forms.CharField(label=_("督办事项"), required=False)
    description = forms.CharField(label=_("督办要求"), required=False)
    entity = forms.CharField(label=_("市场主体"), required=False)
    inspection = forms.CharField(label=_("检查记录"), required=False)

    def __init__(
        self,
        *args: Any,
        stations: QuerySet[Unit],
        entities: QuerySet[Entity],
        inspections: QuerySet[Inspection],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stations, self.entities, self.inspections = stations, entities, inspections

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"]
        station = self.stations.filter(code=code).first() if code else None
        if station is None:
            raise ValidationError(_("请选择承办所"), "required")
        return station

    def clean_entity(self) -> Entity | None:
        uscc = str(self.cleaned_data["entity"]).upper()
        if not uscc:
            return None
        found = self.entities.filter(uscc=uscc).first()
        if found is None:
            message = _("未找到该统一社会信用代码的主体：%(v)s")
            raise ValidationError(message, "unknown", {"v": uscc})
        return found

    def clean_inspection(self) -> Inspection | None:
        number = str(self.cleaned_data["inspection"]).lstrip("#")
        if not number:
            return None
        found = self.inspections.filter(pk=int(number)).first() if number.isdigit() else None
        if found is None:
            raise ValidationError(_("未找到该检查记录：%(v)s"), "unknown", {"v": number})
        return found


class AnswerForm(PageForm):
    """A station's answer: what was done (``answer_supervision`` requires it)."""

    response = forms.CharField(label=_("办理情况"), required=False)


def _accepted(value: str) -> bool:
    return value == "close"


class CloseForm(PageForm):
    """The division's decision on an answer: ``close`` (办结) or ``return`` (退回重办; none given
    returns it, as the page always read it), with a note; ``cleaned_data["decision"]`` is True
    when closed."""

    decision = forms.TypedChoiceField(
        label=_("审核结论"),
        choices=[("close", _("办结")), ("return", _("退回重办"))],
        coerce=_accepted,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": _("审核结论应为 close（办结）或 return（退回重办）：%(value)s")
        },
    )
    note = forms.CharField(label=_("审核意见"), required=False)

    def clean_decision(self) -> bool:
        return self.cleaned_data["decision"] is True
