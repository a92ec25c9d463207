"""Forms of the risk pages: the optional training cut-off day and the evaluation period.

The services check the rest (an evaluation period with no inspections, too little history).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import DayField, PageForm


class TrainForm(PageForm):
    """训练截止日期: learn from the inspections before this day; empty takes them all."""

    until = DayField(label=_("训练截止日期"), invalid=_("训练截止日期应为 YYYY-MM-DD：%(value)s"))


class EvaluationForm(PageForm):
    """The period to evaluate: both days required, the end not before the start."""

    start = DayField(
        label=_("评估期起"),
        required=True,
        invalid=_("评估期起应为 YYYY-MM-DD：%(value)s"),
        error_messages={"required": _("请填写评估期起始日期。")},
    )
    end = DayField(
        label=_("评估期止"),
        required=True,
        invalid=_("评估期止应为 YYYY-MM-DD：%(value)s"),
        error_messages={"required": _("请填写评估期结束日期。")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("评估期的结束日期早于开始日期。"))
        return data
