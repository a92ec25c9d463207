"""Forms of the responsibility table: they collect text; planning.analysis.responsibility
reads the bounds and decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import PageForm
from xiaoneng.planning.analysis.responsibility import RULE_FIELDS


class RuleForm(PageForm):
    """A row of the responsibility table as typed; ``rule_values()`` hands it to
    ``create_rule`` or ``update_rule``, which parse the bounds."""

    department = forms.CharField(label=_("监管部门"), required=False)
    matter = forms.CharField(label=_("监管事项"), required=False)
    industry_prefix = forms.CharField(label=_("行业代码（GB/T 4754）"), required=False)
    measure = forms.CharField(label=_("规模指标"), required=False)
    min_value = forms.CharField(label=_("下限（含）"), required=False)
    max_value = forms.CharField(label=_("上限（不含）"), required=False)
    region_code = forms.CharField(label=_("区划"), required=False)
    legal_basis = forms.CharField(label=_("法律依据"), required=False)
    note = forms.CharField(label=_("说明"), required=False)

    def rule_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in RULE_FIELDS}


class DepartmentForm(PageForm):
    """A supervising department: code, name, and the bureau's own unit it is (if any). The
    table page posts it with ``form=department`` beside the rule form."""

    form = forms.CharField(required=False)
    code = forms.CharField(label=_("部门代码"), required=False)
    name = forms.CharField(label=_("部门名称"), required=False)
    unit = forms.CharField(label=_("本局单位（外部门不选）"), required=False)

    def is_posted(self) -> bool:
        """Whether the page posted this form rather than the rule form."""
        return self.is_valid() and self.cleaned_data["form"] == "department"
