"""Forms of the online-monitoring pages: they parse and type what is posted; the services
check it and give the messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, FlagField, OfferedChoiceField, PageForm
from xiaoneng.online.sellers.models import Referral


class ImportForm(PageForm):
    """A listing file, and whether to import its good lines when some are bad."""

    file = forms.FileField(
        label=_("文件"), required=True, error_messages={"required": _("请选择要导入的文件")}
    )
    keep_good_lines = FlagField(label=_("有错误行时仍导入正确的行"))


class DecisionForm(PageForm):
    """The decision on a flagged seller: its reason, and for a referral where it goes."""

    reason = forms.CharField(label=_("理由"), required=False)
    to_kind = OfferedChoiceField(label=_("移送对象类型"), choices=Referral.To.choices)
    to_name = forms.CharField(label=_("移送对象"), required=False)
    referred_on = DayField(label=_("移送日期"))


class AnswerForm(PageForm):
    """What came back of a referral."""

    on = DayField(label=_("日期"))
    answer = forms.CharField(label=_("反馈情况"), required=False)
