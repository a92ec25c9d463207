"""Monitored ads (广告监测, 篇1) from TV, radio, print, outdoor, leaflets and the internet,
scanned against the keyword feature library on entry; each hit is confirmed or dismissed by a
person."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.operators.models import Medium
from xiaoneng.cases.models import Case
from xiaoneng.core.audit import traced
from xiaoneng.inspections.followup.models import Finding
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity


@traced()
class MonitoredAd(models.Model):
    """One ad as captured by the monitoring; the advertiser an entity if local, else a name."""

    class Review(models.TextChoices):
        CLEAN = "clean", _("未发现问题")
        PENDING = "pending", _("待确认")
        VIOLATION = "violation", _("确认违法")
        DISMISSED = "dismissed", _("已排除")

    medium = models.CharField(_("媒介类型"), max_length=10, choices=Medium.choices)
    outlet = models.CharField(_("发布媒体（位置）"), max_length=100)
    advertiser = models.ForeignKey(
        Entity,
        verbose_name=_("广告主"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitored_ads",
    )
    advertiser_name = models.CharField(_("广告主名称"), max_length=200)
    kind = models.CharField(_("广告类别"), max_length=20)
    text = models.TextField(_("广告内容"))
    captured_at = models.DateTimeField(_("监测时间"))
    review = models.CharField(
        _("审核状态"), max_length=10, choices=Review.choices, default=Review.CLEAN
    )
    library_version = models.PositiveIntegerField(_("特征库版本"), default=0)
    source = models.CharField(_("来源"), max_length=120, blank=True)
    external_id = models.CharField(_("来源编号"), max_length=60, blank=True)
    case = models.ForeignKey(
        Case,
        verbose_name=_("立案案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A confirmed violation ordered rectified (责令改正) through inspections' follow-up.
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("问题（责令改正）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("监测广告")
        verbose_name_plural = _("监测广告")
        ordering = ["-captured_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "captured_at"], name="ad_monitored_unit_idx"),
            models.Index(fields=["review"], name="ad_monitored_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.advertiser_name}（{self.get_medium_display()}）"


@traced()
class AdHit(models.Model):
    """One keyword hit in a monitored ad, with the person's decision."""

    class Decision(models.TextChoices):
        OPEN = "", _("待确认")
        CONFIRMED = "confirmed", _("确认违法")
        DISMISSED = "dismissed", _("排除")

    ad = models.ForeignKey(
        MonitoredAd, verbose_name=_("监测广告"), on_delete=models.CASCADE, related_name="hits"
    )
    rule = models.CharField(_("规则"), max_length=60)
    category = models.CharField(_("违法类别"), max_length=30)
    law = models.CharField(_("法律依据"), max_length=200)
    severity = models.CharField(_("严重程度"), max_length=10)
    match = models.CharField(_("命中内容"), max_length=200)
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    decision = models.CharField(
        _("确认结果"), max_length=10, choices=Decision.choices, default="", blank=True
    )
    decided_by = models.ForeignKey(
        Officer,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("确认意见"), max_length=500, blank=True)

    unit_scope_field = "ad__unit"

    class Meta:
        verbose_name = _("关键词命中")
        verbose_name_plural = _("关键词命中")
        ordering = ["ad", "start", "id"]

    def __str__(self) -> str:
        return f"{self.match}（{self.rule}）"
