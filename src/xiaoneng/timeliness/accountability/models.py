"""Accountability (问责, 篇9): actions against officers, with the facts, the rule applied and
the allowance deducted, linked to the warning, callback or trace flag they came from."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.org.models import Officer, Unit
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem
from xiaoneng.timeliness.clocks.models import Warning


class ActionKind(models.TextChoices):
    """The forms of accountability, lightest first (篇9)."""

    ADMONITION = "admonition", _("诫勉谈话")
    WRITTEN_APOLOGY = "apology", _("书面检查或公开道歉")
    CRITICISM = "criticism", _("通报批评")
    REASSIGNMENT = "reassignment", _("调整工作岗位")
    SUSPENSION = "suspension", _("停职检查")
    DEMOTION = "demotion", _("降职使用")
    RESIGNATION = "resignation", _("责令辞职")
    DISMISSAL = "dismissal", _("免职")


@traced()
class AccountabilityAction(models.Model):
    """One accountability decision against one officer."""

    officer = models.ForeignKey(
        Officer,
        verbose_name=_("被问责人"),
        on_delete=models.PROTECT,
        related_name="accountability_actions",
    )
    # The officer's unit when decided: it scopes the record.
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("问责方式"), max_length=14, choices=ActionKind.choices)
    facts = models.TextField(_("问责事实"))
    rule = models.CharField(_("依据条款"), max_length=200)
    deduction = models.DecimalField(
        _("扣发补助（元）"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.ForeignKey(
        Officer, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+"
    )
    warning = models.ForeignKey(
        Warning,
        verbose_name=_("来源预警"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_actions",
    )
    callback = models.ForeignKey(
        Callback,
        verbose_name=_("来源回访"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_actions",
    )
    callback_problem = models.ForeignKey(
        CallbackProblem,
        verbose_name=_("来源回访问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_actions",
    )
    trace_flag = models.ForeignKey(
        TraceFlag,
        verbose_name=_("来源痕迹疑点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_actions",
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销理由"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("问责")
        verbose_name_plural = _("问责")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["decided_on", "unit"], name="accountability_day_idx")]

    def __str__(self) -> str:
        return f"{self.officer} {self.get_kind_display()}"
