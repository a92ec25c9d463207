"""The session form: it finds the units named on it (by code) among those of the user's scope
and types the day; the service decides what is valid, with the same messages as the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, OfferedChoiceField, PageForm, TextListField
from xiaoneng.org.models import Unit
from xiaoneng.org.training.models import Topic
from xiaoneng.org.training.services import SessionDraft

DAY = _("请填写日期（YYYY-MM-DD）：%(value)s")
UNKNOWN_UNIT = _("未找到该单位：%(v)s")


class SessionForm(PageForm):
    """A session: its units are chosen among ``units`` (the user's scope) by code."""

    title = forms.CharField(label=_("培训专题"), required=False)
    topic = OfferedChoiceField(label=_("培训类别"), choices=Topic.choices)
    organiser = forms.CharField(label=_("组织单位"), required=False)
    held_on = DayField(label=_("培训日期"), invalid=DAY)
    hours = forms.CharField(label=_("学时"), required=False)
    place = forms.CharField(label=_("培训地点"), required=False)
    lecturer = forms.CharField(label=_("授课人"), required=False)
    audience = TextListField(label=_("参训单位"))
    note = forms.CharField(label=_("备注"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units

    def clean_organiser(self) -> Unit | None:
        code = str(self.cleaned_data["organiser"]).strip()
        if not code:
            return None
        found = self.units.filter(code=code).first()
        if found is None:
            raise ValidationError(UNKNOWN_UNIT, "unknown", {"v": code[:40]})
        return found

    def clean_audience(self) -> list[Unit]:
        codes = self.cleaned_data["audience"]
        found = {u.code: u for u in self.units.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValidationError(UNKNOWN_UNIT, "unknown", {"v": "、".join(missing)[:40]})
        return [found[code] for code in codes]

    def draft(self) -> SessionDraft:
        data = self.cleaned_data
        return SessionDraft(
            title=data["title"],
            topic=data["topic"],
            organiser=data["organiser"],
            held_on=data["held_on"],
            hours=data["hours"],
            audience=data["audience"],
            place=data["place"],
            lecturer=data["lecturer"],
            note=data["note"],
        )
