"""Forms of the warning pages: they read the text; clocks.services decides what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import PageForm


class HandleForm(PageForm):
    note = forms.CharField(label=_("处理情况"), required=False)


class ClearForm(PageForm):
    reason_note = forms.CharField(label=_("解除理由"), required=False)


class PolicyForm(PageForm):
    yellow_share = forms.CharField(label=_("黄色预警用时比例"), required=False)
    handle_days = forms.CharField(label=_("红色预警处理期限（工作日）"), required=False)
