"""Forms of the credit proposal pages: they collect the decision; registry.credit decides what
is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import PageForm


class DecisionForm(PageForm):
    """A decision on a credit grade proposal: ``decision=confirm`` confirms it, anything else
    rejects it; the reason as typed (the service says whether it is needed)."""

    decision = forms.CharField(required=False)
    reason = forms.CharField(label=_("理由"), required=False)

    def confirms(self) -> bool:
        return self.cleaned_data["decision"] == "confirm"
