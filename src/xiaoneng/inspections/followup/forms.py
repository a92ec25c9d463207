"""Forms of the follow-up pages: rectification orders, exit supervision and unlicensed
operators. They type the days and coordinates, find an entity by its USCC in the user's scope
and collect the rest as text; inspections.followup decides what is valid.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, NumberField, PageForm, TextListField
from xiaoneng.registry.models import Entity

TERMS = [("days", _("工作日数")), ("date", _("截止日期"))]


class RectificationForm(PageForm):
    """责令整改 of a signed inspection's open findings: the findings ticked (``select_findings``
    reads the ids), the requirements, and the term, by working days or by a deadline.

    Only the term chosen is read: the other input is left out of the form, as the page has
    always ignored it. The working days stay text: ``rectification_term`` checks the range
    and names what was typed.
    """

    findings = TextListField(label=_("检查发现"))
    requirements = forms.CharField(label=_("整改要求"), required=False)
    term = forms.ChoiceField(
        label=_("整改期限"),
        choices=TERMS,
        required=False,
        error_messages={
            "invalid_choice": _("整改期限应按工作日数（days）或截止日期（date）：%(value)s")
        },
    )
    working_days = forms.CharField(label=_("工作日数"), required=False)
    deadline = DayField(label=_("截止日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unused = "working_days" if self.data.get("term") == "date" else "deadline"
        del self.fields[unused]


class OutcomeForm(PageForm):
    """An order, an exit check or an operator closed with its outcome (the service says
    whether one is needed)."""

    outcome = forms.CharField(label=_("结果"), required=False)


class NoteForm(PageForm):
    """An operator guided to obtain a licence, with what it was told."""

    note = forms.CharField(label=_("说明"), required=False)


def _entity(entities: QuerySet[Entity], typed: Any) -> Entity:
    """The entity of ``entities`` with the USCC ``typed`` (any case), or a field error."""
    uscc = str(typed or "").strip().upper()
    found = entities.filter(uscc=uscc).first() if uscc else None
    if found is None:
        raise ValidationError(
            _("辖区内没有该统一社会信用代码的主体：%(v)s"), "unknown", {"v": uscc}
        )
    return found


class ExitForm(PageForm):
    """A deregistered or revoked entity found operating: the entity by its USCC among
    ``entities`` (those of the user's scope; ``cleaned_data["uscc"]`` is the entity), the day,
    what was found."""

    uscc = forms.CharField(label=_("统一社会信用代码"), required=False)
    found_on = DayField(label=_("发现日期"), invalid=_("请填写发现日期（YYYY-MM-DD）"))
    circumstances = forms.CharField(label=_("经营情况"), required=False)

    def __init__(self, *args: Any, entities: QuerySet[Entity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entities = entities

    def clean_uscc(self) -> Entity:
        return _entity(self.entities, self.cleaned_data["uscc"])


class LicensedForm(PageForm):
    """An unlicensed operator that obtained its licence: the new entity by its USCC among
    ``entities`` (``cleaned_data["uscc"]`` is the entity)."""

    uscc = forms.CharField(label=_("统一社会信用代码"), required=False)

    def __init__(self, *args: Any, entities: QuerySet[Entity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entities = entities

    def clean_uscc(self) -> Entity:
        return _entity(self.entities, self.cleaned_data["uscc"])


class UnlicensedForm(PageForm):
    """An operator found without a licence, as typed; ``record_unlicensed`` checks the names,
    the day and where the position lies."""

    name = forms.CharField(label=_("经营者（字号）"), required=False)
    operator = forms.CharField(label=_("经营者姓名"), required=False)
    address = forms.CharField(label=_("经营场所"), required=False)
    business = forms.CharField(label=_("经营项目"), required=False)
    found_on = DayField(label=_("发现日期"), invalid=_("请填写发现日期（YYYY-MM-DD）"))
    longitude = NumberField(label=_("经度"))
    latitude = NumberField(label=_("纬度"))
