"""Forms of the director spot-check pages (所长抽查): they read the station and month of a draw
and the verdict of a review; oversight.reviews decides what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import PageForm


class DrawForm(PageForm):
    """A station (by code; the page finds it in the user's scope) and a finished month
    (YYYY-MM; ``draw_reviews`` reads and checks it)."""

    unit = forms.CharField(label=_("所"), required=False)
    month = forms.CharField(label=_("月份"), required=False)


def _confirmed(value: str) -> bool:
    return value == "confirm"


class ReviewForm(PageForm):
    """A review's verdict: ``confirm`` (属实规范) or ``problem`` (存在问题; none given counts as
    a problem, as the page always read it), how it was checked, the note;
    ``cleaned_data["decision"]`` is True when confirmed."""

    decision = forms.TypedChoiceField(
        label=_("抽查结论"),
        choices=[("confirm", _("属实规范")), ("problem", _("存在问题"))],
        coerce=_confirmed,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": _("抽查结论应为 confirm（属实规范）或 problem（存在问题）：%(value)s")
        },
    )
    method = forms.CharField(label=_("抽查方式"), required=False)
    note = forms.CharField(label=_("抽查意见"), required=False)

    def clean_decision(self) -> bool:
        return self.cleaned_data["decision"] is True
