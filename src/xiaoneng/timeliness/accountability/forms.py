"""Forms of the accountability pages: they find the officer and the sources named on the form
in the user's scope and type the date; ``services.decide_action`` decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, OfferedChoiceField, PageForm
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.accountability.models import ActionKind

# Form field → (label, message when the number names no record in scope).
SOURCES = {
    "warning": _("未找到该预警：%(v)s"),
    "callback": _("未找到该回访：%(v)s"),
    "callback_problem": _("未找到该回访问题：%(v)s"),
    "trace_flag": _("未找到该痕迹疑点：%(v)s"),
}


class ActionForm(PageForm):
    """An accountability action: the officer by user name (among ``officers``), the kind,
    facts, rule, deduction (text: the service reads the amount) and the day decided, and the
    sources by number, "#12" or "12" (among ``sources``' querysets), all optional."""

    officer = forms.CharField(label=_("被问责人"), required=False)
    kind = OfferedChoiceField(label=_("问责方式"), choices=[("", "—"), *ActionKind.choices])
    facts = forms.CharField(label=_("问责事实"), required=False)
    rule = forms.CharField(label=_("依据条款"), required=False)
    deduction = forms.CharField(label=_("扣发补助（元）"), required=False)
    decided_on = DayField(label=_("决定日期"), invalid=_("请填写决定日期（YYYY-MM-DD）：%(value)s"))
    warning = forms.CharField(label=_("来源预警"), required=False)
    callback = forms.CharField(label=_("来源回访"), required=False)
    callback_problem = forms.CharField(label=_("来源回访问题"), required=False)
    trace_flag = forms.CharField(label=_("来源痕迹疑点"), required=False)

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[Officer],
        sources: dict[str, QuerySet[Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.officers, self.sources = officers, sources

    def clean_officer(self) -> Officer | None:
        name = str(self.cleaned_data["officer"]).strip()
        if not name:
            return None
        found = self.officers.filter(username=name).first()
        if found is None:
            raise ValidationError(_("未找到该执法人员：%(v)s"), "unknown", {"v": name})
        return found

    def _source(self, name: str) -> Any:
        number = str(self.cleaned_data[name]).strip().lstrip("#")
        if not number:
            return None
        found = None
        if number.isascii() and number.isdigit() and len(number) < 19:
            found = self.sources[name].filter(pk=int(number)).first()
        if found is None:
            raise ValidationError(SOURCES[name], "unknown", {"v": number})
        return found

    def clean_warning(self) -> Any:
        return self._source("warning")

    def clean_callback(self) -> Any:
        return self._source("callback")

    def clean_callback_problem(self) -> Any:
        return self._source("callback_problem")

    def clean_trace_flag(self) -> Any:
        return self._source("trace_flag")
