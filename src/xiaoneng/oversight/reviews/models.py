"""Director spot checks (所长抽查, 篇2): a month's round of sampled records and each review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Officer, Unit


@traced()
class ReviewRound(models.Model):
    """A month's random sample of a station's signed inspections put to its director.

    The seed is fixed before the sample is drawn and kept, so anyone can draw it again.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("所"), on_delete=models.PROTECT, related_name="review_rounds"
    )
    month = models.CharField(_("月份"), max_length=7, help_text=_("YYYY-MM"))
    rate = models.DecimalField(_("抽查比例"), max_digits=4, decimal_places=3)
    seed = models.CharField(_("随机种子"), max_length=64)
    population = models.PositiveIntegerField(_("已签名记录数"))
    drawn_at = models.DateTimeField(_("抽取时间"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("所长抽查批次")
        verbose_name_plural = _("所长抽查批次")
        ordering = ["-month", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="review_round_unit_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month}"


@traced()
class DirectorReview(StatusModel):
    """The director's review of one sampled inspection: confirmed, or a problem with a note."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待抽查")
        CONFIRMED = "confirmed", _("属实规范")
        PROBLEM = "problem", _("存在问题")

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="reviews"
    )
    inspection = models.OneToOneField(
        Inspection, verbose_name=_("检查记录"), on_delete=models.PROTECT, related_name="review"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("所"), on_delete=models.PROTECT, related_name="+")
    status = StatusField(_("结论"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # How the director checked: a call to the entity, a visit, the photos…
    method = models.CharField(_("抽查方式"), max_length=100, blank=True)
    note = models.TextField(_("抽查意见"), blank=True)
    reviewer = models.ForeignKey(
        Officer,
        verbose_name=_("抽查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("抽查时间"), null=True, blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("所长抽查")
        verbose_name_plural = _("所长抽查")
        ordering = ["round", "id"]
        indexes = [models.Index(fields=["unit", "status"], name="director_review_unit_idx")]

    def __str__(self) -> str:
        return f"{self.inspection}"
