"""Forms of the trace flag pages: they read the decision; inspections.trace decides what is
valid (``flags.resolve_flag``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import PageForm


def _confirmed(value: str) -> bool:
    return value == "confirm"


class ResolveForm(PageForm):
    """A flag cleared (``decision=clear``, the default) or confirmed (``confirm``), with the
    reason; ``cleaned_data["decision"]`` is True when confirmed."""

    decision = forms.TypedChoiceField(
        label=_("核实结论"),
        choices=[("clear", _("排除：记录属实")), ("confirm", _("属实：存在虚假检查或不规范"))],
        coerce=_confirmed,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": _("核实结论应为 clear（排除）或 confirm（属实）：%(value)s")
        },
    )
    reason = forms.CharField(label=_("核实意见"), required=False)

    def clean_decision(self) -> bool:
        return self.cleaned_data["decision"] is True
