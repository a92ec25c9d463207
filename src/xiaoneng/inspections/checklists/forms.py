"""Forms of the checklist pages: the import form types the day and takes the file;
inspections.checklists decides what is valid (``files.import_version``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, PageForm

NEW = "__new__"  # the choice "新建清单…": the code is typed in ``new_code``


class ImportForm(PageForm):
    """A new version of a checklist (``code``), or version 1 of a new one (``code`` is
    ``__new__`` and ``new_code`` names it, with its title, kind and industries), in force from
    ``effective_on``, its items in ``file`` (CSV or XLSX).

    ``cleaned_data["checklist_code"]`` is the code to import, ``cleaned_data["new"]`` whether
    it is a new checklist. The title, kind and industries stay text: ``import_version`` checks
    them.
    """

    code = forms.CharField(label=_("清单"), required=False)
    new_code = forms.CharField(label=_("清单代码"), required=False)
    title = forms.CharField(label=_("名称"), required=False)
    kind = forms.CharField(label=_("检查方式"), required=False)
    industry_prefixes = forms.CharField(label=_("适用行业代码前缀"), required=False)
    effective_on = DayField(
        label=_("施行日期"), required=True, error_messages={"required": _("请填写施行日期")}
    )
    file = forms.FileField(
        label=_("文件"), allow_empty_file=True, error_messages={"required": _("请选择文件")}
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["new"] = data.get("code") == NEW
        data["checklist_code"] = data.get("new_code") if data["new"] else data.get("code")
        if not data["checklist_code"]:
            self.add_error("code", _("请选择清单"))
        return data
