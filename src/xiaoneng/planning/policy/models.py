"""The supervision policy: risk class × credit grade → distance, patrol interval, draw ratio."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.registry.models import CreditGrade, RiskClass


class Distance(models.TextChoices):
    """篇2: 远距离、近距离、零距离监管."""

    REMOTE = "remote", _("远距离")
    NEAR = "near", _("近距离")
    ZERO = "zero", _("零距离")


@traced()
class Policy(models.Model):
    """One version of the policy; it governs from its effective date until the next version's."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    effective_from = models.DateField(_("生效日期"), unique=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监管政策")
        verbose_name_plural = _("监管政策")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"v{self.version}（{self.effective_from:%Y-%m-%d} 起）"


@traced()
class PolicyCell(models.Model):
    """The treatment of one risk class × credit grade under one policy version."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="cells")
    risk_class = models.CharField(_("风险类别"), max_length=3, choices=RiskClass.choices)
    credit_grade = models.CharField(_("信用等级"), max_length=1, choices=CreditGrade.choices)
    distance = models.CharField(_("监管距离"), max_length=6, choices=Distance.choices)
    patrol_interval_days = models.PositiveIntegerField(
        _("巡查间隔（天）"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    draw_ratio = models.DecimalField(
        _("年度抽查比例"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    class Meta:
        verbose_name = _("政策单元")
        verbose_name_plural = _("政策单元")
        ordering = ["policy", "risk_class", "credit_grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "risk_class", "credit_grade"], name="policy_cell_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.risk_class}×{self.credit_grade}"
