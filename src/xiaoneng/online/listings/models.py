"""Listing batches (网络商品信息批次), their listings and the keyword hits found in them (篇6:
以网管网 — violation keywords combined with money, logistics, domain and IP data)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced
from xiaoneng.online.sellers.models import Seller
from xiaoneng.org.models import Officer, Unit


@traced()
class Batch(models.Model):
    """One imported file of captured listings; written in one transaction."""

    name = models.CharField(_("文件名"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("导入单位"), on_delete=models.PROTECT, related_name="+"
    )
    imported_by = models.ForeignKey(
        Officer,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    listing_count = models.PositiveIntegerField(_("导入条数"), default=0)
    duplicate_count = models.PositiveIntegerField(_("重复跳过条数"), default=0)
    error_count = models.PositiveIntegerField(_("错误跳过行数"), default=0)
    hit_count = models.PositiveIntegerField(_("命中条数"), default=0)
    new_seller_count = models.PositiveIntegerField(_("新卖家数"), default=0)
    library_version = models.PositiveIntegerField(_("特征库版本"), default=0)
    errors = models.JSONField(_("跳过的错误行"), default=list, blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["unit", "imported_at"], name="online_batch_unit_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.listing_count} 条）"


class Listing(models.Model):
    """One captured listing (商品信息) of a seller on a platform, scanned on import.

    Listings are monitoring data, written in bulk; their batch carries the trace.
    """

    batch = models.ForeignKey(
        Batch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="listings"
    )
    seller = models.ForeignKey(
        Seller,
        verbose_name=_("卖家"),
        on_delete=models.CASCADE,
        related_name="listings",
        db_index=False,  # the index below begins with it
    )
    platform = models.CharField(_("平台"), max_length=60)
    shop = models.CharField(_("店铺"), max_length=200, blank=True)
    title = models.CharField(_("商品标题"), max_length=300)
    description = models.TextField(_("商品描述"), blank=True)
    price = models.DecimalField(
        _("价格（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    url = models.CharField(_("链接"), max_length=500)
    domain = models.CharField(_("域名"), max_length=200, blank=True)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    payment_account = models.CharField(_("收款账户"), max_length=100, blank=True)
    logistics_company = models.CharField(_("物流公司"), max_length=100, blank=True)
    logistics_account = models.CharField(_("物流账户"), max_length=100, blank=True)
    captured_at = models.DateTimeField(_("采集时间"))
    library_version = models.PositiveIntegerField(_("特征库版本"), default=0)
    hit_count = models.PositiveIntegerField(_("命中数"), default=0)
    # ",absolute,prohibited_goods," — the categories hit, for the category filter.
    categories = models.CharField(_("命中类别"), max_length=200, blank=True)

    unit_scope_field = "seller__unit"

    class Meta:
        verbose_name = _("商品信息")
        verbose_name_plural = _("商品信息")
        ordering = ["-captured_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "url", "captured_at"], name="online_listing_unique"
            )
        ]
        indexes = [
            models.Index(fields=["seller", "captured_at"], name="online_listing_seller_idx"),
            models.Index(fields=["captured_at"], name="online_listing_captured_idx"),
            models.Index(fields=["hit_count", "captured_at"], name="online_listing_hits_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.title[:40]}"


class Hit(models.Model):
    """A keyword rule matched in a listing's text (title, a line break, then description)."""

    listing = models.ForeignKey(
        Listing,
        verbose_name=_("商品信息"),
        on_delete=models.CASCADE,
        related_name="hits",
        db_index=False,  # the index below begins with it
    )
    rule = models.CharField(_("规则"), max_length=80)
    category = models.CharField(_("类别"), max_length=30)
    severity = models.CharField(_("严重程度"), max_length=10)
    law = models.CharField(_("法律依据"), max_length=200)
    match = models.CharField(_("命中文字"), max_length=200)
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    library_version = models.PositiveIntegerField(_("特征库版本"), default=0)

    unit_scope_field = "listing__seller__unit"

    class Meta:
        verbose_name = _("关键词命中")
        verbose_name_plural = _("关键词命中")
        ordering = ["listing", "start"]
        indexes = [
            models.Index(fields=["listing", "start"], name="online_hit_listing_idx"),
            models.Index(fields=["category", "listing"], name="online_hit_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.match}"
