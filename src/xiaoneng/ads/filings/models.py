"""Pre-publication filing (发布前备案, 篇1) of medical, drug, medical device, health food and
special cosmetics ads: the text scanned on submission, the review approval number
(广告审查批准文号, 《广告法》第四十六条) and its expiry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.operators.models import Medium
from xiaoneng.core.audit import traced
from xiaoneng.core.states import StatusField, StatusModel
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity


class FilingKind(models.TextChoices):
    """The five kinds filed before publication (篇1)."""

    MEDICAL = "medical", _("医疗")
    DRUG = "drug", _("药品")
    MEDICAL_DEVICE = "medical_device", _("医疗器械")
    HEALTH_FOOD = "health_food", _("保健食品")
    SPECIAL_COSMETICS = "special_cosmetics", _("特殊化妆品")


@traced()
class Filing(StatusModel):
    """One ad filed before publication by a local advertiser."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        ACCEPTED = "accepted", _("已备案")
        RETURNED = "returned", _("退回")
        REVOKED = "revoked", _("已撤销")

    number = models.CharField(_("备案编号"), max_length=20, unique=True)
    advertiser = models.ForeignKey(
        Entity, verbose_name=_("广告主"), on_delete=models.PROTECT, related_name="ad_filings"
    )
    kind = models.CharField(_("广告类别"), max_length=20, choices=FilingKind.choices)
    title = models.CharField(_("广告名称"), max_length=100)
    text = models.TextField(_("广告内容"))
    medium = models.CharField(_("拟发布媒介"), max_length=10, choices=Medium.choices)
    approval_number = models.CharField(_("广告审查批准文号"), max_length=60, blank=True)
    approval_expires_on = models.DateField(_("批准文号有效期至"), null=True, blank=True)
    submitted_on = models.DateField(_("提交日期"))
    status = StatusField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decided_on = models.DateField(_("审核日期"), null=True, blank=True)
    reason = models.CharField(_("退回（撤销）理由"), max_length=500, blank=True)
    library_version = models.PositiveIntegerField(_("特征库版本"), default=0)
    hits = models.JSONField(_("关键词命中"), default=list, blank=True)
    officer = models.ForeignKey(
        Officer, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("广告发布前备案")
        verbose_name_plural = _("广告发布前备案")
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
